"""Demo growth data: a lead source on every account, prospects at every stage of the funnel from
three sources, referrals (one won, its first order in the ledger) and a recommendation letter."""

from __future__ import annotations

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Contact, LeadSource, User
from sales.services import sales_lines_bulk_import

from . import services
from .models import Interaction, ProspectQualification, RecommendationLetter, Referral

KAMS = ("kam1", "kam2", "kam3")
# The customers' sources, by account index: most came from cold calls and exhibitions.
CUSTOMER_SOURCES = ("cold_call", "exhibition", "cold_call", "partner", "inbound", "exhibition", "other")
# The demo prospects (after the two the dossier demo qualifies), each one stage further or referred:
# (source, criteria confirmed, days ago created, referral outcome or None).
STAGES = (
    ("cold_call", (), 40, None),
    ("exhibition", ("need",), 75, None),
    ("inbound", ("need", "solvency"), 90, None),
    ("referral", ("need", "solvency", "authority"), 120, "won"),
    ("referral", ("need",), 30, "meeting_held"),
)
LETTER = b"%PDF-1.4\n% Demo recommendation letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _sources() -> dict[str, LeadSource]:
    return {source.code: source for source in LeadSource.objects.all()}


def _file_customers(sources: dict[str, LeadSource]) -> None:
    """Every account without a source gets one, deterministically by its external id."""
    for account in Account.objects.filter(lead_source__isnull=True).order_by("external_id"):
        code = CUSTOMER_SOURCES[int(account.external_id or 0) % len(CUSTOMER_SOURCES)]
        Account.objects.filter(pk=account.pk).update(lead_source=sources.get(code))


def _backdate(prospect: Account, created_days: int, criteria: tuple[str, ...], now: dt.datetime) -> None:
    """Spread the stages over time: creation, then each criterion some weeks later."""
    created = now - dt.timedelta(days=created_days)
    Account.objects.filter(pk=prospect.pk).update(created_at=created)
    step = created_days // (len(criteria) + 2)
    times = {f"{c}_confirmed_at": created + dt.timedelta(days=step * (n + 1)) for n, c in enumerate(criteria)}
    if len(criteria) == 3:
        times["qualified_at"] = times["authority_confirmed_at"]
    ProspectQualification.objects.filter(account=prospect).update(**times)


def _referrer(prospect: Account) -> Contact | None:
    """A contact of one of the same KAM's customers."""
    return (
        Contact.objects.filter(account__owner=prospect.owner)
        .exclude(account__status=Account.Status.PROSPECT)
        .order_by("account__external_id", "pk")
        .first()
    )


def _first_order(prospect: Account, admin: User, today: dt.date) -> None:
    """The won prospect's first order, imported like any ledger (it becomes a customer): ten days
    ago, but in the last completed month at the latest, which the demo's analysis covers."""
    last_month_end = today.replace(day=1) - dt.timedelta(days=1)
    day = min(today - dt.timedelta(days=10), last_month_end - dt.timedelta(days=2))
    lines = [
        {
            "account_external_id": prospect.external_id,
            "date": day.isoformat(),
            "amount": amount,
            "product_line": "Coils",
            "line_external_id": f"demo-first-order-{prospect.external_id}-{n}",
        }
        for n, amount in enumerate(("18400.00", "6250.00"))
    ]
    sales_lines_bulk_import(by=admin, lines=lines)


def _letter(customer: Account, contact: Contact, kam: User, now: dt.datetime) -> None:
    delivery = services.interaction_create(
        account=customer,
        by=kam,
        kind=Interaction.Kind.DELIVERY,
        occurred_at=now - dt.timedelta(days=21),
        summary="Delivery of the spring coil order, on time and complete",
    )
    services.letter_create(
        account=customer,
        by=kam,
        contact=contact,
        delivery=delivery,
        received_on=(now - dt.timedelta(days=14)).date(),
        file=ContentFile(LETTER, name="recommendation-letter.pdf"),
        note="Praises the on-time delivery; may be quoted to prospects.",
    )


@transaction.atomic
def load_demo_growth() -> str:
    """Sources, funnel stages, referrals and a letter; a second run adds nothing."""
    if Referral.objects.exists():
        return "Growth: already filled, nothing added."
    sources = _sources()
    prospects = list(
        Account.objects.filter(status=Account.Status.PROSPECT, owner__username__in=KAMS)
        .select_related("owner")
        .order_by("external_id")[2 : 2 + len(STAGES)]
    )
    admin = User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    now, today = timezone.now(), timezone.localdate()
    referrals = 0
    for prospect, (source, criteria, created_days, outcome) in zip(prospects, STAGES, strict=False):
        owner = prospect.owner
        if owner is None:  # the query picks owned prospects only
            raise ValueError(f"demo prospect {prospect.external_id} has no owner")
        Account.objects.filter(pk=prospect.pk).update(lead_source=sources.get(source))
        for criterion in criteria:
            services.qualification_confirm(account=prospect, criterion=criterion, by=owner)
        _backdate(prospect, created_days, criteria, now)
        referrer = _referrer(prospect) if outcome else None
        if referrer is None or outcome is None:
            continue
        services.referral_create(
            account=prospect,
            by=owner,
            referrer=referrer,
            referred_on=(now - dt.timedelta(days=created_days)).date(),
            referrer_called=True,
            called_on=(now - dt.timedelta(days=created_days - 2)).date(),
            outcome=outcome,
            note="Introduced us at a trade dinner.",
        )
        referrals += 1
        if outcome == "won" and admin is not None:
            _first_order(prospect, admin, today)
            _letter(referrer.account, referrer, owner, now)
    _file_customers(sources)
    letters = RecommendationLetter.objects.count()
    return (
        f"Growth: lead sources filed, {len(prospects)} prospects staged, {referrals} referrals, "
        f"{letters} recommendation letter(s)."
    )
