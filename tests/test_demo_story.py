"""The demo tells one story: what its campaigns, dossiers, plans and buying centres say agrees with
its ledger and its latest analysis run. Seeding the demo takes a while, so it is seeded once and
every check below reads it; the test reports every check that fails, not only the first."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Max, Q, Sum
from django.utils import timezone

from accounts.demo import SUPERIORS, ascii_name, position_level
from accounts.models import Account, Contact
from analysis.models import AccountSegment, AnalysisRun
from dossiers.demo import REVIEW, _review_outcome
from dossiers.models import Interaction, StrategicAssessment, Tender
from retention.models import CampaignTarget, LossRecord
from retention.selectors import latest_run
from sales.models import ImportBatch, SalesLine, SalesPlan

pytestmark = pytest.mark.django_db
FLAGSHIP = "Nordic Steel"


def _run() -> AnalysisRun:
    run = latest_run()
    assert run is not None
    return run


def _segments() -> dict[int, AccountSegment]:
    return {s.account_id: s for s in AccountSegment.objects.filter(run=_run())}


def _revenue(account: Account, first: dt.date, last: dt.date) -> Decimal:
    lines = SalesLine.objects.filter(account=account, date__gte=first, date__lte=last)
    return lines.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def check_the_latest_run_comes_after_every_demo_sale():
    run = _run()
    last_sale = SalesLine.objects.aggregate(last=Max("date"))["last"]
    assert last_sale is not None
    assert last_sale <= run.as_of, (last_sale, run.as_of)
    assert (last_sale.year, last_sale.month) == (run.as_of.year, run.as_of.month)
    last_import = ImportBatch.objects.filter(status=ImportBatch.Status.DONE).aggregate(
        last=Max("finished_at")
    )["last"]
    assert run.finished_at is not None and last_import is not None
    assert last_import <= run.finished_at


def check_no_account_is_both_won_back_and_lost():
    segments = _segments()
    won_back = CampaignTarget.objects.filter(outcome=CampaignTarget.Outcome.WON_BACK).select_related(
        "account"
    )
    assert won_back.exists()
    for target in won_back:
        account = target.account
        assert account.status != Account.Status.LOST, account.name
        assert segments[account.pk].churn_status != AccountSegment.ChurnStatus.LOST, account.name
        assert target.outcome_on is not None
        assert account.sales_lines.filter(date__gte=target.outcome_on).exists(), account.name


def check_every_strategic_account_buys_in_the_analysis_window():
    run, segments = _run(), _segments()
    assert run.window_first is not None
    strategic = [a for a in StrategicAssessment.objects.select_related("account") if a.is_strategic]
    assert strategic
    for assessment in strategic:
        account = assessment.account
        assert _revenue(account, run.window_first, run.as_of) > 0, account.name
        assert account.status == Account.Status.ACTIVE, (account.name, account.status)
        assert segments[account.pk].churn_status == AccountSegment.ChurnStatus.ACTIVE, account.name


def check_won_tenders_plans_and_key_accounts_belong_to_buying_clients():
    won = Account.objects.filter(tenders__status=Tender.Status.WON).distinct()
    assert won.exists()
    assert not won.exclude(status=Account.Status.ACTIVE).exists()
    planned = SalesPlan.objects.filter(account__isnull=False).values_list("account__status", flat=True)
    assert Account.Status.LOST not in set(planned)
    key = Account.objects.exclude(key_client_type="").exclude(key_client_type=Account.KeyClientType.PROSPECT)
    assert not key.filter(status__in=(Account.Status.LOST, Account.Status.AT_RISK)).exists()


def check_the_flagship_figures_match_its_story():
    account = Account.objects.get(name=FLAGSHIP)
    run = _run()
    segment = _segments()[account.pk]
    assert (segment.abc_class, segment.churn_status, account.status) == ("A", "active", "active")
    assert account.key_client_type == Account.KeyClientType.IMAGE_MAKER
    assert StrategicAssessment.objects.get(account=account).is_strategic
    assert account.tenders.filter(status=Tender.Status.WON).exists()
    year_ago = run.as_of.replace(year=run.as_of.year - 1)
    two_years_ago = run.as_of.replace(year=run.as_of.year - 2)
    recent = _revenue(account, year_ago + dt.timedelta(days=1), run.as_of)
    before = _revenue(account, two_years_ago + dt.timedelta(days=1), year_ago)
    assert Decimal("1.05") < recent / before < Decimal("1.11"), (recent, before)
    review = Interaction.objects.filter(account=account, summary=REVIEW)
    assert [i.outcome for i in review] in ([], ["Volumes up 8 %"])


def check_business_reviews_say_what_the_ledger_says():
    reviews = Interaction.objects.filter(summary=REVIEW).select_related("account")
    assert reviews.exists()
    for review in reviews:
        expected = _review_outcome(review.account, timezone.localdate(review.occurred_at))
        assert review.outcome == expected, (review.account.name, review.outcome, expected)


def check_nobody_reports_to_someone_junior():
    contacts = Contact.objects.select_related("reports_to")
    assert contacts.filter(reports_to__isnull=False).exists()
    for contact in contacts:
        boss = contact.reports_to
        if contact.position == "CEO":
            assert boss is None, contact
        if boss is None:
            continue
        assert boss.account_id == contact.account_id
        assert boss.position in SUPERIORS[contact.position], (contact.position, boss.position)
        assert position_level(boss.position) < position_level(contact.position)
    for account in Account.objects.filter(contacts__isnull=False).distinct():
        primary = account.contacts.filter(is_primary=True)
        assert primary.count() == 1
        top = min(position_level(c.position) for c in account.contacts.all())
        assert position_level(primary.get().position) == top


def check_every_email_is_the_name_with_no_letter_dropped():
    assert ascii_name("López") == "lopez" and ascii_name("Müller") == "muller"
    for contact in Contact.objects.exclude(email=""):
        local = contact.email.split("@")[0]
        assert local == f"{ascii_name(contact.first_name)}.{ascii_name(contact.last_name)}", contact.email
        assert len(local) == len(contact.first_name) + len(contact.last_name) + 1, contact.email
    assert Contact.objects.filter(email__startswith="marta.lopez@").exists()
    assert not Contact.objects.filter(email__startswith="marta.lpez@").exists()


def check_nothing_is_dated_in_the_future():
    today, now = timezone.localdate(), timezone.now()
    assert not SalesLine.objects.filter(date__gt=today).exists()
    assert not Interaction.objects.filter(occurred_at__gt=now).exists()
    closed = Q(status__in=(Tender.Status.WON, Tender.Status.LOST))
    assert not Tender.objects.filter(closed, decision_on__gt=today).exists()
    assert not CampaignTarget.objects.filter(outcome_on__gt=today).exists()
    assert not LossRecord.objects.filter(lost_on__gt=today).exists()


CHECKS = [value for name, value in sorted(globals().items()) if name.startswith("check_")]


@pytest.mark.slow(8)
def test_the_demo_tells_one_story():
    call_command("seed_demo", stdout=io.StringIO())
    failures = []
    for check in CHECKS:
        try:
            check()
        except AssertionError as error:
            failures.append(f"{check.__name__}: {error}")
    assert not failures, "\n".join(failures)
