"""Every write of the retention app (surveys apart: survey_services.py), validated first, transactional."""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, TypedDict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail, send_mass_mail
from django.db import connection, transaction
from django.db.models import F, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from typing_extensions import Unpack

from accounts.models import Account, User
from accounts.services import account_mark_lost, account_statuses_set
from analysis.models import AccountSegment, AnalysisRun
from common.errors import check_version
from common.fields import assign, fields_of
from common.locale import in_language_of
from dossiers.models import Competitor
from sales.models import DailySales, MonthlySales, ProductLine
from sales.selectors import last_purchase_date

from .models import (
    CampaignStep,
    CampaignTarget,
    ChurnStatus,
    LossRecord,
    Notification,
    Refusal,
    StatusTransition,
    WinBackCampaign,
)
from .selectors import latest_run

logger = logging.getLogger(__name__)
RECOVERED = "churn_recovered"  # the notification kind of an account buying again


class RefusalFields(TypedDict, total=False):
    on: dt.date
    kind: str
    product_line: ProductLine | None
    reason: str
    text: str


class LossFields(TypedDict, total=False):
    lost_on: dt.date
    reason: str
    product_line: ProductLine | None
    competitor: Competitor | None
    notes: str


class CampaignFields(TypedDict, total=False):
    name: str
    goal: str
    method: str
    budget: Decimal
    starts_on: dt.date
    ends_on: dt.date


class TargetFields(TypedDict, total=False):
    outcome: str
    outcome_on: dt.date | None
    notes: str


class StepFields(TypedDict, total=False):
    on: dt.date | None
    action: str


# --- churn transitions and the notifications they send ------------------------------------------


def previous_run(run: AnalysisRun) -> AnalysisRun | None:
    """The complete run this one is compared with: the latest one before it by as-of date."""
    return (
        AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE, as_of__lte=run.as_of)
        .exclude(pk=run.pk)
        .order_by("-as_of", "-finished_at", "-pk")
        .first()
    )


def _is_latest(run: AnalysisRun) -> bool:
    return not AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE, as_of__gt=run.as_of).exists()


def transitions_record(*, run: AnalysisRun) -> int:
    """Store every account whose churn status differs from the previous run's, in one INSERT … SELECT.

    The first run records the accounts that start at risk or lost. Only a run that is the newest
    notifies (a back-filled older month does not), and only when there is a run to compare with.
    """
    before = previous_run(run)
    StatusTransition.objects.filter(run=run).delete()  # a retried run records its transitions once
    table, segments = StatusTransition._meta.db_table, AccountSegment._meta.db_table
    on = connection.ops.quote_name("on")
    params: list[Any] = [run.pk, run.as_of, timezone.now(), before.pk if before else -1, run.pk]
    with connection.cursor() as cursor:
        cursor.execute(  # table names come from the models, values are parameters
            f"INSERT INTO {table} (account_id, run_id, old_status, new_status, {on}, "  # noqa: S608  # nosec B608 # table names from the models; values are parameters
            "days_since_last_purchase, median_interval_days, created_at) "
            "SELECT s.account_id, %s, COALESCE(p.churn_status, ''), s.churn_status, %s, "
            "s.days_since_last_purchase, s.median_interval_days, %s "
            f"FROM {segments} s LEFT JOIN {segments} p ON p.account_id = s.account_id AND p.run_id = %s "
            "WHERE s.run_id = %s AND (p.churn_status IS NULL AND s.churn_status <> 'active' "
            "OR p.churn_status <> s.churn_status)",
            params,
        )
        count = cursor.rowcount
    if before is not None and _is_latest(run):
        notifications_for_transitions(run=run)
    return count


def buying_statuses_sync(*, run: AnalysisRun) -> int:
    """After the newest run: each account's one buying status, from the run and the recorded losses.

    A customer takes the run's rhythm status; an account the run does not cover never bought and is
    a prospect. A loss recorded by hand keeps the account lost until it buys after the loss date
    (then the loss is recovered: see `losses_recover`). Returns how many losses were recovered.
    """
    if not _is_latest(run):
        return 0
    recovered = losses_recover()
    _set_buying_statuses(accounts=Account.objects.all(), run=run)
    return recovered


def _set_buying_statuses(*, accounts: QuerySet[Account], run: AnalysisRun | None) -> None:
    """The one rule: the run's rhythm status, a prospect where the run has no segment (it never
    bought), and lost while a recorded loss is open."""
    # A join rather than a subquery per account: one pass over the run's segments for 100,000 accounts.
    joined = accounts.annotate(of_run=FilteredRelation("segments", condition=Q(segments__run=run)))
    rhythm = Coalesce(F("of_run__churn_status"), Value(Account.Status.PROSPECT))
    account_statuses_set(accounts=joined, status=rhythm)
    account_statuses_set(accounts=accounts.filter(pk__in=_open_losses()), status=Account.Status.LOST)


def _open_losses() -> QuerySet[LossRecord, Any]:
    """The accounts of losses not recovered yet (a subquery of account ids)."""
    return LossRecord.objects.filter(recovered_on__isnull=True).values("account_id")


def buying_statuses_after_purchases(*, account_ids: list[int]) -> int:
    """New sales lines of `account_ids` (an import): a recorded loss followed by a purchase is
    recovered at once, and an account at risk or lost that has bought since the latest run judged it
    (a purchase later than the last one the run saw) is active again: it bought within its rhythm as
    of today. Returns how many losses were recovered.

    An import may touch 100,000 accounts: they are picked in SQL, each query given the ids once."""
    if not account_ids:
        return 0
    recovered = losses_recover(account_ids=account_ids)
    run = latest_run()
    if run is None:
        return recovered
    seen = AccountSegment.objects.filter(run=run, account=OuterRef("pk")).values("last_purchase")[:1]
    latest = (
        DailySales.objects.filter(account=OuterRef("pk"), purchase_lines__gt=0)
        .order_by("-date")
        .values("date")[:1]
    )
    revived = (
        Account.objects.filter(
            pk__in=_ids(account_ids), status__in=[Account.Status.AT_RISK, Account.Status.LOST]
        )
        .exclude(pk__in=_open_losses())
        .annotate(last_bought=Subquery(latest), last_seen=Subquery(seen))
        .filter(
            Q(last_bought__isnull=False) & (Q(last_seen__isnull=True) | Q(last_bought__gt=F("last_seen")))
        )
    )
    account_statuses_set(
        accounts=Account.objects.filter(pk__in=revived.values("pk")), status=Account.Status.ACTIVE
    )
    return recovered


def _ids(ids: list[int]) -> list[int] | RawSQL:
    """`ids` for an `__in` lookup: on PostgreSQL a subquery of one array (100,000 ids as as many
    parameters took seconds to send and plan), elsewhere the list. Not `accounts.models.among`'s
    `= ANY(%s)`: that form suits a KAM's few hundred ids joined into page queries (as a subquery the
    at-risk card planned a nested loop, 32 ms against 6), this one an import's 100,000 as measured."""
    if connection.vendor == "postgresql":
        return RawSQL("SELECT unnest(%s::bigint[])", (ids,))
    return ids


def losses_recover(*, account_ids: list[int] | None = None) -> int:
    """Open losses whose account bought after the loss date become recovered (on that first
    purchase), and the owner and the department's heads are told. Returns how many."""
    first_after = (
        DailySales.objects.filter(
            account=OuterRef("account"), purchase_lines__gt=0, date__gt=OuterRef("lost_on")
        )
        .order_by("date")
        .values("date")[:1]
    )
    losses = LossRecord.objects.filter(recovered_on__isnull=True)
    if account_ids is not None:
        losses = losses.filter(account_id__in=_ids(account_ids))
    recovered = list(
        losses.annotate(bought_on=Subquery(first_after))
        .filter(bought_on__isnull=False)
        .select_related("account__owner")
    )
    for loss in recovered:
        loss.recovered_on = loss.bought_on
    LossRecord.objects.bulk_update(recovered, ["recovered_on"])
    by_account = {loss.account_id: loss for loss in recovered}
    _notify(
        accounts=[loss.account for loss in by_account.values()],
        kind=RECOVERED,
        title=lambda a: _("%(account)s is buying again (recovered)") % {"account": a.name},
        body=lambda a: (
            _("A purchase on %(day)s, after the loss recorded on %(lost)s.")
            % {"day": by_account[a.pk].recovered_on, "lost": by_account[a.pk].lost_on}
        ),
    )
    return len(recovered)


def _headline(transition: StatusTransition) -> str:
    name = transition.account.name
    if transition.recovered:
        return _("%(account)s is buying again (recovered)") % {"account": name}
    if transition.new_status == ChurnStatus.LOST:
        return _("%(account)s is now lost") % {"account": name}
    return _("%(account)s is at risk") % {"account": name}


def _explain(transition: StatusTransition) -> str:
    days, usual = transition.days_since_last_purchase, transition.median_interval_days
    if usual:
        since = ngettext(
            "%(days)s day since the last purchase;", "%(days)s days since the last purchase;", days or 0
        ) % {"days": days}
        every = ngettext(
            "it usually buys every %(usual)s day.", "it usually buys every %(usual)s days.", round(usual)
        ) % {"usual": round(usual)}
        return f"{since} {every}"
    return ngettext(
        "%(days)s day since its only purchase.", "%(days)s days since its only purchase.", days or 0
    ) % {"days": days}


def notifications_for_transitions(*, run: AnalysisRun) -> list[Notification]:
    """Tell the owner KAM and the heads of the account's department about each transition of the run."""
    transitions = list(
        StatusTransition.objects.filter(run=run)
        .exclude(old_status="")
        .select_related("account__owner", "account__department")
    )
    # A recovery already told when its sale was imported (losses_recover) is not told twice.
    before = previous_run(run)
    told = set(
        Notification.objects.filter(
            kind=RECOVERED,
            account_id__in=[t.account_id for t in transitions if t.recovered],
            created_at__gte=before.finished_at if before and before.finished_at else run.created_at,
        ).values_list("account_id", flat=True)
    )
    transitions = [t for t in transitions if not (t.recovered and t.account_id in told)]
    notifications = []
    recipients = _recipients([t.account for t in transitions])
    for transition in transitions:
        url = reverse("retention:account-tab", args=[transition.account_id])
        for user in recipients[transition.account_id]:
            with in_language_of(user):
                notifications.append(
                    Notification(
                        user=user,
                        account=transition.account,
                        kind=RECOVERED if transition.recovered else f"churn_{transition.new_status}",
                        title=_headline(transition),
                        body=_explain(transition),
                        url=url,
                    )
                )
    return _send(notifications)


def _recipients(accounts: list[Account]) -> dict[int, list[User]]:
    """Per account: its owner KAM and the heads of its department (active users only)."""
    department_ids = {a.department_id for a in accounts if a.department_id}
    heads: dict[int, list[User]] = defaultdict(list)
    for head in User.objects.filter(
        role=User.Role.HEAD, is_active=True, departments__in=department_ids
    ).prefetch_related("departments"):
        for department in head.departments.all():
            heads[department.pk].append(head)
    result = {}
    for account in accounts:
        people = {u.pk: u for u in heads.get(account.department_id or 0, [])}
        if account.owner is not None and account.owner.is_active:
            people[account.owner.pk] = account.owner
        result[account.pk] = list(people.values())
    return result


def _notify(
    *, accounts: list[Account], kind: str, title: Callable[[Account], str], body: Callable[[Account], str]
) -> list[Notification]:
    recipients = _recipients(accounts)
    notifications = []
    for account in accounts:
        for user in recipients[account.pk]:
            with in_language_of(user):
                notifications.append(
                    Notification(
                        user=user,
                        account=account,
                        kind=kind,
                        title=title(account),
                        body=body(account),
                        url=reverse("retention:account-tab", args=[account.pk]),
                    )
                )
    return _send(notifications)


def _send(notifications: list[Notification]) -> list[Notification]:
    Notification.objects.bulk_create(notifications, batch_size=2000)
    if notifications and settings.KAM_NOTIFY_BY_EMAIL:
        transaction.on_commit(lambda: _email_digests(notifications))
    return notifications


def _email_digests(notifications: list[Notification]) -> None:
    """One e-mail per person listing their transitions, through Django's mail settings."""
    by_user: dict[int, list[Notification]] = defaultdict(list)
    users: dict[int, User] = {}
    for notification in notifications:
        if notification.user.email:
            by_user[notification.user.pk].append(notification)
            users[notification.user.pk] = notification.user
    messages = []
    for pk, items in by_user.items():
        lines = [f"- {n.title}. {n.body} {settings.KAM_BASE_URL}{n.url}" for n in items]
        with in_language_of(users[pk]):
            subject = ngettext(
                "kam: %(count)s account changed churn status",
                "kam: %(count)s accounts changed churn status",
                len(items),
            ) % {"count": len(items)}
        messages.append((subject, "\n".join(lines), None, [users[pk].email]))
    try:
        send_mass_mail(messages, fail_silently=False)
    except OSError:  # the in-app notifications are stored; a mail outage must not lose them
        logger.exception("Sending %s churn notification e-mails failed", len(messages))


def notifications_mark_read(*, user: User, ids: Iterable[int] | None = None) -> int:
    """Mark the user's own notifications read (all of them when ids is None)."""
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    return unread.update(read_at=timezone.now())


def notification_create(
    *, user: User, kind: str, title: str, body: str = "", url: str = "", account: Account | None = None
) -> Notification:
    """One in-app message to `user` (for other apps' events: a proposal to approve, …), also e-mailed
    once the transaction commits when mail is configured."""
    notification = Notification.objects.create(
        user=user, kind=kind, title=title[:255], body=body, url=url, account=account
    )
    if settings.KAM_NOTIFY_BY_EMAIL and user.email:
        transaction.on_commit(lambda: _email_one(notification))
    return notification


def _email_one(notification: Notification) -> None:
    link = f"{settings.KAM_BASE_URL}{notification.url}" if notification.url else ""
    text = "\n\n".join(part for part in (notification.body, link) if part)
    try:
        send_mail(f"kam: {notification.title}", text, None, [notification.user.email], fail_silently=False)
    except OSError:  # the in-app notification is stored; a mail outage must not lose it
        logger.exception("Sending the %s notification e-mail failed", notification.kind)


# --- refusals and losses ------------------------------------------------------------------------


def _not_in_future(day: dt.date | None, field: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: _("This date is in the future.")})


def _validate(obj: Any, *, dated: str, exclude: Iterable[str] = ()) -> None:
    """The model's own checks and "not in the future" for `dated`, all reported together."""
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=list(exclude))
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        _not_in_future(getattr(obj, dated), dated)
    except ValidationError as error:
        errors.setdefault(dated, []).extend(error.message_dict[dated])
    if errors:
        raise ValidationError(errors)


def _save_refusal(refusal: Refusal) -> Refusal:
    _validate(refusal, dated="on")
    refusal.save()
    return refusal


@transaction.atomic
def refusal_create(*, account: Account, by: User, **fields: Unpack[RefusalFields]) -> Refusal:
    """A declined order, offer or meeting, recorded by `by`."""
    refusal = Refusal(account=account, recorded_by=by)
    assign(refusal, fields_of(RefusalFields, fields))
    return _save_refusal(refusal)


@transaction.atomic
def refusal_update(*, refusal: Refusal, **fields: Unpack[RefusalFields]) -> Refusal:
    """Correct the given fields; the refusal keeps the author who recorded it."""
    refusal = Refusal.objects.select_for_update().get(pk=refusal.pk)
    assign(refusal, fields_of(RefusalFields, fields))
    return _save_refusal(refusal)


@transaction.atomic
def refusal_delete(*, refusal: Refusal) -> None:
    refusal.delete()


def _check_after_last_purchase(loss: LossRecord) -> None:
    """A lost client is one that stopped buying: the loss is dated on or after its last purchase."""
    last = last_purchase_date(account=loss.account)
    if loss.lost_on is not None and last is not None and loss.lost_on < last:
        raise ValidationError(
            {
                "lost_on": _(
                    "The account bought on %(day)s, after this date. Date the loss on or after its "
                    "last purchase."
                )
                % {"day": last}
            }
        )


@transaction.atomic
def loss_record_create(*, account: Account, by: User, **fields: Unpack[LossFields]) -> LossRecord:
    """Why an account was lost (recorded by `by`). Recording it also marks the account lost (kept in
    its change history) until it buys again, when the nightly run marks the loss recovered."""
    loss = LossRecord(account=account, recorded_by=by)
    assign(loss, fields_of(LossFields, fields))
    _validate(loss, dated="lost_on")
    _check_after_last_purchase(loss)
    loss.save()
    account_mark_lost(account=account, by=by)
    return loss


@transaction.atomic
def loss_record_update(*, loss: LossRecord, **fields: Unpack[LossFields]) -> LossRecord:
    """Correct the given fields; the loss keeps the author who recorded it."""
    loss = LossRecord.objects.select_for_update().get(pk=loss.pk)
    assign(loss, fields_of(LossFields, fields))
    _validate(loss, dated="lost_on")
    if loss.is_open:
        _check_after_last_purchase(loss)
    loss.save()
    return loss


@transaction.atomic
def loss_record_delete(*, loss: LossRecord) -> None:
    """Remove a loss recorded in error: without another open loss the account takes its rhythm
    status from the latest run again (a prospect when the run does not cover it)."""
    account = loss.account
    loss.delete()
    _set_buying_statuses(accounts=Account.objects.filter(pk=account.pk), run=latest_run())


# --- win-back campaigns -------------------------------------------------------------------------


def _check_campaign(campaign: WinBackCampaign) -> None:
    campaign.full_clean(exclude=["department", "created_by"], validate_constraints=False)
    if campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": _("The campaign cannot end before it starts.")})
    if campaign.budget < 0:
        raise ValidationError({"budget": _("The budget cannot be negative.")})


@transaction.atomic
def campaign_create(
    *, by: User, accounts: Iterable[Account] = (), **fields: Unpack[CampaignFields]
) -> WinBackCampaign:
    """A campaign created by `by`, filed in their department, with its first target accounts."""
    campaign = WinBackCampaign(created_by=by, department=by.departments.first())
    assign(campaign, fields_of(CampaignFields, fields))
    _check_campaign(campaign)
    campaign.save()
    campaign_targets_add(campaign=campaign, accounts=accounts)
    return campaign


@transaction.atomic
def campaign_update(
    *, campaign: WinBackCampaign, version: int | None = None, **fields: Unpack[CampaignFields]
) -> WinBackCampaign:
    """Change the given fields; a stale `version` is refused."""
    campaign = WinBackCampaign.objects.select_for_update().get(pk=campaign.pk)
    check_version(campaign, version)
    assign(campaign, fields_of(CampaignFields, fields))
    _check_campaign(campaign)
    campaign.version += 1
    campaign.save()
    return campaign


def value_before(*, accounts: Iterable[Account], start: dt.date) -> dict[int, Decimal]:
    """Each account's revenue in the 12 whole months before `start` (what a win-back aims to restore)."""
    first = dt.date(start.year - 1, start.month, 1)
    rows = (
        MonthlySales.objects.filter(
            account__in=list(accounts), month__gte=first, month__lt=start.replace(day=1)
        )
        .values_list("account_id")
        .annotate(total=Sum("revenue"))
        .values_list("account_id", "total")
    )
    return {pk: Decimal(str(total)).quantize(Decimal("0.01")) for pk, total in rows}


@transaction.atomic
def campaign_targets_add(*, campaign: WinBackCampaign, accounts: Iterable[Account]) -> list[CampaignTarget]:
    """Add accounts (already checked visible) to a campaign; ones already in it are kept as they are."""
    accounts = list(accounts)
    present = set(campaign.targets.values_list("account_id", flat=True))
    new = [a for a in accounts if a.pk not in present]
    if not new:
        return []
    # The status the account had when it was picked: the latest run's.
    latest = (
        AnalysisRun.objects.filter(status=AnalysisRun.Status.COMPLETE)
        .order_by("-as_of", "-finished_at", "-pk")
        .first()
    )
    statuses = (
        dict(
            AccountSegment.objects.filter(run=latest, account__in=new).values_list(
                "account_id", "churn_status"
            )
        )
        if latest
        else {}
    )
    before = value_before(accounts=new, start=campaign.starts_on)
    targets = [
        CampaignTarget(
            campaign=campaign,
            account=account,
            status_at_start=statuses.get(account.pk, ""),
            value_before=before.get(account.pk, Decimal(0)),
        )
        for account in new
    ]
    return CampaignTarget.objects.bulk_create(targets)


@transaction.atomic
def target_remove(*, target: CampaignTarget) -> None:
    target.delete()


@transaction.atomic
def target_update(
    *, target: CampaignTarget, version: int | None = None, **fields: Unpack[TargetFields]
) -> CampaignTarget:
    """Record a target's outcome; an outcome other than "in progress" gets a date (today by default)."""
    target = CampaignTarget.objects.select_for_update().get(pk=target.pk)
    check_version(target, version)
    assign(target, fields_of(TargetFields, fields))
    if target.outcome == CampaignTarget.Outcome.PENDING:
        target.outcome_on = None
    elif target.outcome_on is None:
        target.outcome_on = timezone.localdate()
    target.full_clean(exclude=["campaign", "account"])
    _not_in_future(target.outcome_on, "outcome_on")
    target.version += 1
    target.save()
    return target


@transaction.atomic
def target_step_add(*, target: CampaignTarget, by: User, **fields: Unpack[StepFields]) -> CampaignStep:
    """A step taken with the target, done by `by` (today unless dated)."""
    step = CampaignStep(target=target, by=by)
    assign(step, fields_of(StepFields, fields))
    if step.on is None:
        step.on = timezone.localdate()
    _validate(step, dated="on", exclude=["target", "by"])
    step.save()
    return step
