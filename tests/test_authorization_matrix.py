"""Who gets what on every URL of the project: the authorization matrix.

Roles are the cast of tests/conftest.py plus anonymous. For URLs that name an object, "own" is one
the role can see (the owner's account for most; the outsider's own account; an account of the
other head's department) and "foreign" one it cannot, which must answer 404 in pages and API
alike (ARCHITECTURE.md, "Visibility"). For API tokens, "foreign" is another user's token.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from knox.models import AuthToken

from accounts.models import Account, AccountTeamMember, Contact, ContactConsent, Department, User
from analysis.models import AnalysisPolicy, AnalysisRun
from analysis.services import run_create, run_execute
from dossiers import services as dossier_services
from dossiers.models import (
    AccountPlan,
    AccountProfile,
    Commitment,
    Competitor,
    CompetitorPresence,
    ComplaintCase,
    Interaction,
    PlanAction,
    ProspectQualification,
    RecommendationLetter,
    Referral,
    ServicePlan,
    StrategicAssessment,
    Task,
    Tender,
    TenderMilestone,
)
from integrations.models import WebhookDelivery, WebhookSubscription
from management.calendar_feed.models import CalendarFeed
from management.calendar_feed.services import calendar_feed_issue
from management.consumption.models import ConsumptionReportFile, ConsumptionRun
from management.digests.kinds import DAILY
from management.digests.tokens import unsubscribe_token
from management.models import DigestSubscription, ManagementPolicy
from proposals import services as proposal_services
from proposals.models import FollowUpStep, Proposal, ProposalArgument, ProposalLine, SuccessStory
from proposals.services import proposal_create
from retention.models import (
    CampaignStep,
    CampaignTarget,
    LossRecord,
    Refusal,
    Survey,
    SurveyInvitation,
    WinBackCampaign,
)
from retention.services import campaign_targets_add
from retention.survey_services import answer_field, invitation_create, token_hash
from sales.models import ImportBatch, ProductLine, SalesLine, SalesPlan
from sales.services import sales_lines_bulk_import
from tests.cast import CAST, build_cast
from tests.factories import (
    AccountFactory,
    CompetitorFactory,
    ComplaintFactory,
    ContactFactory,
    DepartmentFactory,
    InteractionFactory,
    PlanFactory,
    PresenceFactory,
    SurveyFactory,
    TaskFactory,
    TeamMemberFactory,
    TenderFactory,
    UserFactory,
)
from tests.matrix_sample import sample, sampling_from_environment
from tests.module_data import module_transaction

# shared_cast: made before any case opens its own transaction (below).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shared_cast")]

ROLES = ("kam", "teammate", "outsider", "head", "other_head", "analyst", "admin_user")
# Expected answers that are redirects to a login page carrying ?next=<the requested url>.
LOGIN, ADMIN_LOGIN = "login", "admin-login"
REFUSALS = {LOGIN, ADMIN_LOGIN, 401, 403, 404, 405}


def each(status: Any, *, anonymous: Any = LOGIN, **overrides: Any) -> dict[str, Any]:
    """The same answer for every logged-in role except `overrides`; anonymous apart."""
    return {"anonymous": anonymous, **{role: overrides.get(role, status) for role in ROLES}}


def api(status: Any, **overrides: Any) -> dict[str, Any]:
    # knox's TokenAuthentication comes first and sends `WWW-Authenticate: Token`: DRF answers 401.
    return each(status, anonymous=401, **overrides)


PUBLIC_200 = each(200, anonymous=200)
PAGE_WRITE = each(302, analyst=403)  # a successful form post redirects; analysts are read-only
PAGE_FORM = each(200, analyst=403)
POST_ONLY = each(405)  # @login_required runs before @require_POST: anonymous still goes to log in
STAFF_ONLY = each(ADMIN_LOGIN, anonymous=ADMIN_LOGIN, admin_user=200)
# Import batches span many accounts: KAMs have no business with them (sales/permissions.py).
NO_KAMS = {"kam": 403, "teammate": 403, "outsider": 403}
IMPORT_VIEW = each(200, **NO_KAMS)
IMPORT_RUN = each(302, **NO_KAMS, analyst=403)  # heads and admins run imports
IMPORT_RUN_FORM = each(200, **NO_KAMS, analyst=403)
ADMIN_ONLY_WRITE = each(403, admin_user=302)
ANALYSIS_MANAGE = each(403, head=302, other_head=302, admin_user=302)
POLICY_FORM = {"basis": "revenue", "window_months": 12, "abc_a": "0.80", "abc_b": "0.95", "xyz_method": "cv",
               "xyz_x": "0.10", "xyz_y": "0.25", "min_months": 3, "key_accounts": "abc_a",
               "lost_interval_multiplier": "3", "lost_min_days": 90, "at_risk_interval_multiplier": "1.5",
               "at_risk_min_days": 45, "single_lost_days": 180, "single_at_risk_days": 45,
               "churn_horizon_months": 6}  # fmt: skip


@dataclass
class Objects:
    """What a request's URL kwargs and body are filled from."""

    account: Account
    contact: Contact
    member: AccountTeamMember
    token: AuthToken
    # A completed import with one line of `account` and one rejected row (ledger routes only).
    batch: ImportBatch | None = None
    line: SalesLine | None = None
    run: AnalysisRun | None = None  # a complete run over that ledger (segmentation routes only)
    # A webhook subscription of the user ("own") or of a stranger ("foreign"), with one delivery.
    webhook: WebhookSubscription | None = None


@dataclass(frozen=True)
class Route:
    methods: dict[str, dict[str, Any]]
    kwargs: Callable[[Objects], dict[str, Any]] = lambda o: {}
    # "account": the kwargs name an account-scoped object; "token": one of the user's own tokens.
    foreign: str | None = None
    api: bool = False
    data: Callable[[Objects], dict[str, Any]] = lambda o: {}
    # What a write changes: equal before and after when refused, different when allowed.
    state: Callable[[Objects], Any] | None = None
    multipart: bool = False  # an API upload: the body is a form with a file, not JSON


def account_pk(o: Objects) -> dict[str, Any]:
    return {"pk": o.account.pk}


def contact_pk(o: Objects) -> dict[str, Any]:
    return {"pk": o.contact.pk}


def batch_pk(o: Objects) -> dict[str, Any]:
    return {"pk": o.batch.pk}


def batch_status(o: Objects) -> str:
    return ImportBatch.objects.get(pk=o.batch.pk).status


def ledger_file(o: Objects) -> SimpleUploadedFile:
    content = f"account_external_id,date,amount\n{o.account.external_id},2025-01-31,10.00\n"
    return SimpleUploadedFile("ledger.csv", content.encode(), content_type="text/csv")


def account_form(o: Objects) -> dict[str, Any]:
    a = o.account
    return {
        "name": "Renamed",
        "status": a.status,
        "owner": a.owner_id,
        "department": a.department_id,
        "version": a.version,
    }


NEW_PASSWORDS = ("new_password1", "new_password2")
CONTACT_FORM = {"first_name": "Ada", "last_name": "Renamed", "influence": 3, "attitude": "neutral"}


def account_names(o: Objects) -> list[str]:
    return list(Account.objects.filter(pk=o.account.pk).values_list("name", flat=True))


def contact_names(o: Objects) -> list[str]:
    return list(Contact.objects.filter(pk=o.contact.pk).values_list("last_name", flat=True))


def contact_count(o: Objects) -> int:
    return Contact.objects.filter(account=o.account).count()


def service_plan_of(o: Objects) -> ServicePlan:
    return ServicePlan.objects.create(account=o.account, year=2026, visits=3)


def commitment_of(o: Objects) -> Commitment:
    """An open promise on the request's account, kept by its owner."""
    return Commitment.objects.create(
        account=o.account, what="Send the samples", due_on=dt.date(2026, 12, 1), owner=o.account.owner
    )


def commitment_form(o: Objects) -> dict[str, Any]:
    return {"what": "Matrix promise", "due_on": "2026-12-01", "owner": o.account.owner_id, "version": "0"}


def phone_answers(o: Objects) -> dict[str, Any]:
    """A one-question survey answered by phone for the request's contact."""
    survey = SurveyFactory(questions=[("How satisfied are you?", "scale", True)])
    answers = {answer_field(question): "4" for question in survey.questions.all()}
    return {"survey": survey.pk, "contact": o.contact.pk, **answers}


def webhook_pk(o: Objects) -> dict[str, Any]:
    assert o.webhook is not None
    return {"pk": o.webhook.pk}


def webhook_url(o: Objects) -> str:
    return WebhookSubscription.objects.get(pk=o.webhook.pk).target_url


def account_count(o: Objects) -> int:
    return Account.objects.count()


API_CRUD = {"GET": api(200), "PUT": api(200, analyst=403), "PATCH": api(200, analyst=403)}
API_CRUD_DELETE = {**API_CRUD, "DELETE": api(204, analyst=403)}
API_LIST_CREATE = {"GET": api(200), "POST": api(201, analyst=403)}
TENDER_DATES = {"announced_on": "2026-01-10", "submission_on": "2026-10-15"}


def of_account(model: Any, field: str) -> Callable[[Objects], list[Any]]:
    """The `field` of every `model` row of the request's account: what a write there changes."""
    return lambda o: list(
        model.objects.filter(account=o.account).order_by("pk").values_list(field, flat=True)
    )


def as_prospect(o: Objects) -> dict[str, Any]:
    """Only prospects are qualified: the account becomes one before the request."""
    Account.objects.filter(pk=o.account.pk).update(status=Account.Status.PROSPECT)
    return {"criterion": "need"}


def presence_form(o: Objects) -> dict[str, Any]:
    return {"competitor": CompetitorPresence.objects.get(account=o.account).competitor_id, "threat_level": 5}


def survey_link(o: Objects) -> dict[str, Any]:
    """A fresh private link to a one-question survey, sent to the request's contact."""
    survey = SurveyFactory(questions=[("How satisfied are you?", "scale", True)])
    _invitation, token = invitation_create(survey=survey, account=o.account, contact=o.contact, by=None)
    return {"token": token}


def digest_unsubscribe_link(o: Objects) -> dict[str, Any]:
    """The daily digest's unsubscribe link of the KAM called "owner": the signed token is the credential."""
    return {"token": unsubscribe_token(user_id=the_kam().pk, kind=DAILY)}


def daily_digest_subscribed(o: Objects) -> bool:
    return DigestSubscription.objects.filter(user__username="owner", daily=False).count() == 0


def survey_answers(o: Objects) -> dict[str, Any]:
    invitation = SurveyInvitation.objects.filter(account=o.account).latest("pk")
    return {answer_field(question): "4" for question in invitation.survey.questions.all()}


def survey_form(o: Objects) -> dict[str, Any]:
    rows = {"questions-TOTAL_FORMS": 1, "questions-INITIAL_FORMS": 0}
    return {"title": "Matrix survey", "is_active": "on", **rows, "questions-0-text": "Happy?",
            "questions-0-kind": "scale", "questions-0-required": "on"}  # fmt: skip


def campaign_of(o: Objects) -> WinBackCampaign:
    """A campaign of the account's department that targets the request's account."""
    campaign = WinBackCampaign.objects.create(
        name="Matrix campaign", goal="g", method="gift", starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 1), department=o.account.department,
    )  # fmt: skip
    campaign_targets_add(campaign=campaign, accounts=[o.account])
    return campaign


def target_of(o: Objects) -> CampaignTarget:
    return campaign_of(o).targets.get()


def of_targets(field: str) -> Callable[[Objects], list[Any]]:
    return lambda o: list(
        CampaignTarget.objects.filter(account=o.account).order_by("pk").values_list(field, flat=True)
    )


def another_account(o: Objects) -> dict[str, Any]:
    """An account beside the request's: same owner and department, so the same people see it."""
    return {"accounts": [AccountFactory(owner=o.account.owner, department=o.account.department).pk]}


def proposal_pk(o: Objects) -> dict[str, Any]:
    """A draft on the request's account, written by its owner."""
    return {"pk": proposal_create(account=o.account, by=o.account.owner, title="Matrix proposal").pk}


def story_of(o: Objects) -> dict[str, Any]:
    """A reference in the shared library (no account: everyone sees it)."""
    return {"pk": SuccessStory.objects.create(title="Matrix story", client_name="Acme", result="OK").pk}


def customer_contact(o: Objects) -> Contact:
    """A contact of a customer in the request's account's group (a subsidiary): whoever sees the
    account sees its referrer too."""
    customer = AccountFactory(parent=o.account, owner=o.account.owner, department=o.account.department)
    return ContactFactory(account=customer)


def referral_body(o: Objects) -> dict[str, Any]:
    """The request's account becomes a prospect, referred by a customer's contact."""
    Account.objects.filter(pk=o.account.pk).update(status=Account.Status.PROSPECT)
    return {"account": o.account.pk, "referrer": customer_contact(o).pk, "referred_on": "2026-02-01"}


def referral_pk(o: Objects) -> dict[str, Any]:
    Account.objects.filter(pk=o.account.pk).update(status=Account.Status.PROSPECT)
    prospect = Account.objects.get(pk=o.account.pk)
    referral = dossier_services.referral_create(
        account=prospect, referrer=customer_contact(o), by=None, referred_on=dt.date(2026, 2, 1)
    )
    return {"pk": referral.pk}


def referral_edit_body(o: Objects) -> dict[str, Any]:
    referral = Referral.objects.get(account=o.account)
    return {"referrer": referral.referrer_id, "referred_on": "2026-02-01", "outcome": "won", "version": 1}


def letter_pk(o: Objects) -> dict[str, Any]:
    """A letter of the request's account, with its scan."""
    letter = RecommendationLetter(account=o.account, received_on=dt.date(2026, 3, 1))
    letter.file.save("matrix.pdf", ContentFile(b"%PDF-1.4"), save=False)
    letter.save()
    return {"pk": letter.pk}


LETTER_BODY = {"received_on": "2026-03-01", "note": "Matrix letter"}


STORY_BODY = {"title": "Renamed story", "client_name": "Acme", "result": "OK"}
HEADS_DELETE = api(403, head=204, other_head=204, admin_user=204)


CAMPAIGN_FORM = {"name": "Matrix campaign", "goal": "g", "method": "gift", "budget": "0",
                 "starts_on": "2026-01-01", "ends_on": "2026-03-01"}  # fmt: skip
CAMPAIGN_MANAGE_PAGE = each(403, head=200, other_head=200, admin_user=200)
HEADS_AND_ADMINS_200 = each(403, head=200, other_head=200, admin_user=200)
REFUSAL_BODY = {"on": "2026-01-05", "kind": "order", "reason": "price"}


def draft_of(o: Objects) -> Proposal:
    """A draft proposal with one line on the request's account, written by its owner."""
    draft = proposal_services.proposal_create(account=o.account, by=o.account.owner, title="Matrix proposal")
    proposal_services.line_create(
        proposal=draft, description="Coil", quantity=Decimal(1), unit_price=Decimal(100)
    )
    return Proposal.objects.get(pk=draft.pk)


def proposal_of(o: Objects) -> Proposal:
    return Proposal.objects.get(account=o.account)


def versioned(**fields: Any) -> Callable[[Objects], dict[str, Any]]:
    """A form body carrying the proposal's current version (the optimistic lock)."""
    return lambda o: {"version": proposal_of(o).version, **fields}


def of_proposal_rows(model: Any, field: str) -> Callable[[Objects], list[Any]]:
    return lambda o: list(
        model.objects.filter(proposal__account=o.account).order_by("pk").values_list(field, flat=True)
    )


def argument_of(o: Objects) -> ProposalArgument:
    return proposal_services.argument_create(proposal=draft_of(o), audience="buyer", text="Cheaper")


def open_step(o: Objects) -> FollowUpStep:
    return FollowUpStep.objects.create(
        proposal=draft_of(o), position=1, key="receipt", title="Confirm receipt", working_days=1, state="open"
    )


def feed_token(o: Objects) -> dict[str, Any]:
    """A live calendar feed of the token's owner (the requester, or a stranger for anonymous)."""
    _feed, token = calendar_feed_issue(user=o.token.user)
    return {"token": token}


def with_feed(o: Objects) -> dict[str, Any]:
    calendar_feed_issue(user=o.token.user)
    return {}


def active_feeds(o: Objects) -> list[int]:
    return list(CalendarFeed.objects.active().order_by("pk").values_list("pk", flat=True))


def with_white_space(o: Objects) -> dict[str, Any]:
    """The account buys line WS-A and a subsidiary WS-B last month: WS-B is the account's opportunity."""
    account = o.account
    sister = AccountFactory(parent=account, owner=account.owner, department=account.department)
    day = timezone.localdate().replace(day=1) - dt.timedelta(days=10)
    importer = User.objects.filter(username="ws-importer").first() or UserFactory(
        username="ws-importer", role=User.Role.ADMIN
    )
    lines = [
        {"account_external_id": a.external_id, "date": day, "amount": "100", "product_line": code}
        for a, code in ((account, "WS-A"), (sister, "WS-B"))
    ]
    assert sales_lines_bulk_import(by=importer, lines=lines).status == ImportBatch.Status.DONE
    return {"pk": account.pk}


def white_space_cell(o: Objects) -> dict[str, Any]:
    return {"product_line": ProductLine.objects.get(code="WS-B").pk}


def suggested_prospect(o: Objects) -> dict[str, Any]:
    """A young account (no sale) with a big headcount: the data suggest "prospect"."""
    Account.objects.filter(pk=o.account.pk).update(headcount=5000)
    return {"pk": o.account.pk}


def accept_prospect(o: Objects) -> dict[str, Any]:
    return {"key_client_type": "prospect", "version": Account.objects.get(pk=o.account.pk).version}


def the_kam() -> User:
    """tests/conftest.py's `kam`, in its department, whether or not the test asked for it."""
    found = User.objects.filter(username="owner").first()  # untouched: it may be the one logged in
    department = DepartmentFactory(name="Key Accounts", code="key-accounts")
    return found or UserFactory(username="owner", role=User.Role.KAM, departments=[department])


def story() -> SuccessStory:
    return SuccessStory.objects.create(title="Matrix project", client_name="Matrix Co", result="Less scrap")


VALID_UNTIL = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
PROPOSAL_FORM = {"title": "Renamed", "currency": "EUR", "valid_until": VALID_UNTIL}
LINE_FORM = {"description": "Renamed", "quantity": "1", "unit_price": "5", "discount_percent": "0"}
STORY_FORM = {"title": "Renamed", "client_name": "Matrix Co", "result": "Less scrap"}


# Consumption reports: heads and admins run them in bulk; a run is seen by its starter (and admins).
CONSUMPTION_RUNS = each(403, head=200, other_head=200, admin_user=200)
CONSUMPTION_RUN = each(404, head=200, other_head=200, admin_user=200)


def run_of_requester(o: Objects) -> ConsumptionRun:
    """A finished run started by the user making the request (the owner of their own token)."""
    return ConsumptionRun.objects.create(
        half="2026H1", started_by=o.token.user, status="done", total=1, done=1
    )


def consumption_file(o: Objects) -> dict[str, Any]:
    """The files of the request's account in a run of the requester."""
    row = ConsumptionReportFile(run=run_of_requester(o), account=o.account, name="matrix-consumption-2026h1")
    row.xlsx.save("matrix.xlsx", ContentFile(b"PK"), save=False)
    row.pdf.save("matrix.pdf", ContentFile(b"%PDF-1.4"), save=False)
    row.save()
    return {"pk": row.pk, "fmt": "pdf"}


def plan_of(o: Objects) -> dict[str, Any]:
    """The request's account's plan for 2026."""
    plan, _created = SalesPlan.objects.get_or_create(
        account=o.account, period_kind="year", period_start=dt.date(2026, 1, 1), defaults={"amount": 5}
    )
    return {"pk": plan.pk}


def plan_amounts(o: Objects) -> list[Any]:
    return list(SalesPlan.objects.filter(account=o.account).values_list("amount", flat=True))


def plan_file(o: Objects) -> dict[str, Any]:
    content = f"period,account_external_id,amount\n2026Q2,{o.account.external_id},12\n"
    return {"file": SimpleUploadedFile("plans.csv", content.encode(), content_type="text/csv")}


PLAN_BODY = {"period": "2026", "amount": "6", "version": 1}
PLAN_EDITORS = {"head": 302, "other_head": 302, "admin_user": 302}
PLAN_FORM = each(403, head=200, other_head=200, admin_user=200)
PLAN_API_WRITE = api(403, head=200, other_head=200, admin_user=200)


MATRIX: dict[str, Route] = {
    # --- public: load balancers probe health; the login page is where everyone starts ---
    "health": Route({"GET": PUBLIC_200}),
    "favicon": Route({"GET": each(302, anonymous=302)}),  # a redirect to the static icon
    "login": Route({"GET": each(302, anonymous=200), "POST": each(302, anonymous=200)}),
    "logout": Route({"GET": each(405, anonymous=405), "POST": each(302, anonymous=302)}),
    # The schema and its docs are for signed-in users (API_DOCS_PUBLIC opens them).
    "api-schema": Route({"GET": api(200)}),
    "api-docs": Route({"GET": each(200)}),
    # --- pages of any logged-in user ---
    "home": Route({"GET": each(200)}),
    "password_change": Route(
        {"GET": each(200), "POST": each(302)},
        data=lambda o: {"old_password": "secret-pass-123", **dict.fromkeys(NEW_PASSWORDS, "Tr1cky-pass")},
        state=lambda o: list(User.objects.order_by("pk").values_list("password", flat=True)),
    ),
    "password_change_done": Route({"GET": each(200)}),
    # Issuing one's own token is self-service, analysts included (they read the API with it).
    "tokens": Route({"GET": each(200), "POST": each(200)}, state=lambda o: AuthToken.objects.count()),
    "token-revoke": Route(
        {"GET": POST_ONLY, "POST": each(302)},
        kwargs=lambda o: {"digest": o.token.digest},
        foreign="token",
        state=lambda o: AuthToken.objects.filter(pk=o.token.pk).exists(),
    ),
    # Two-factor sign-in is self-service; only administrators reset someone's (docs/access.md). The
    # code page sends anyone with no login waiting for a code onwards (signed in) or back to log in.
    "two-factor": Route({"GET": each(200)}),
    "two-factor-code": Route(
        {"GET": each(302, anonymous=302), "POST": each(302, anonymous=302)}, data=lambda o: {"code": "123456"}
    ),
    "two-factor-setup": Route({"GET": each(200), "POST": each(200)}, data=lambda o: {"code": "000000"}),
    # The cast has no authenticator: new backup codes and turning it off send back to the page.
    "two-factor-backup-codes": Route({"GET": POST_ONLY, "POST": each(302)}),
    "two-factor-disable": Route({"GET": POST_ONLY, "POST": each(302)}),
    "two-factor-reset": Route(
        {"GET": each(403, admin_user=200), "POST": ADMIN_ONLY_WRITE},
        kwargs=lambda o: {"pk": o.member.user_id},
        state=lambda o: LogEntry.objects.count(),
    ),
    # One's own calendar feed is self-service like API tokens; the .ics URL's token is its credential.
    "management:calendar-feed": Route({"GET": each(200), "POST": each(200)}, state=active_feeds),
    "management:calendar-feed-revoke": Route(
        {"GET": POST_ONLY, "POST": each(302)}, with_feed, state=active_feeds
    ),
    "management:calendar-ics": Route({"GET": PUBLIC_200}, feed_token),
    # The language switcher: anyone may switch (a cookie); a signed-in user's choice is saved.
    "language-set": Route(
        {"GET": each(405, anonymous=405), "POST": each(302, anonymous=302)},
        data=lambda o: {"language": "fi", "next": "/"},
    ),
    # --- account pages ---
    "accounts:list": Route({"GET": each(200)}),
    # The account pickers' search: JSON of the accounts the user sees (none are foreign by construction).
    "accounts:choices": Route({"GET": each(200)}),
    "accounts:create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        data=lambda o: {"name": "Matrix Co", "status": "active"},
        state=account_count,
    ),
    "accounts:detail": Route({"GET": each(200)}, account_pk, "account"),
    "accounts:hierarchy": Route({"GET": each(200)}, account_pk, "account"),
    "accounts:edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE}, account_pk, "account", data=account_form, state=account_names
    ),
    "accounts:delete": Route(
        {"GET": POST_ONLY, "POST": each(403, head=302, other_head=302, admin_user=302)},
        account_pk,
        "account",
        state=account_names,
    ),
    "accounts:team-add": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"user": UserFactory(username="newcomer").pk, "team_role": "finance"},
        state=lambda o: o.account.team_members.count(),
    ),
    "accounts:team-remove": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": o.account.pk, "member_pk": o.member.pk},
        "account",
        state=lambda o: AccountTeamMember.objects.filter(pk=o.member.pk).exists(),
    ),
    "accounts:contacts": Route({"GET": each(200)}, account_pk, "account"),
    "accounts:contact-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: CONTACT_FORM,
        state=contact_count,
    ),
    "accounts:contact": Route({"GET": each(200)}, contact_pk, "account"),
    "accounts:contact-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        contact_pk,
        "account",
        data=lambda o: {**CONTACT_FORM, "version": o.contact.version},
        state=contact_names,
    ),
    "accounts:contact-delete": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE}, contact_pk, "account", state=contact_names
    ),
    # The consent register: whoever works on the account and may see personal data (not analysts).
    "accounts:contact-consent": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        contact_pk,
        "account",
        data=lambda o: {"given_on": "2026-01-05", "channel": "email"},
        state=lambda o: ContactConsent.objects.filter(contact=o.contact).count(),
    ),
    "accounts:contact-consent-withdraw": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        contact_pk,
        "account",
        data=lambda o: {"withdrawn_on": "2026-01-06"},
        state=lambda o: Contact.objects.get(pk=o.contact.pk).consent_withdrawn_on,
    ),
    # --- API v1 ---
    "api-root": Route({"GET": api(200)}, api=True),
    "account-list": Route(
        {"GET": api(200), "POST": api(201, analyst=403)},
        api=True,
        data=lambda o: {"name": "API Co"},
        state=account_count,
    ),
    "account-detail": Route(
        {
            "GET": api(200),
            "PUT": api(200, analyst=403),
            "PATCH": api(200, analyst=403),
            "DELETE": api(403, head=204, other_head=204, admin_user=204),
        },
        account_pk,
        "account",
        api=True,
        data=lambda o: {"name": "Renamed"},
        state=account_names,
    ),
    "contact-list": Route(
        {"GET": api(200), "POST": api(201, analyst=403)},
        api=True,
        data=lambda o: {"account": o.account.pk, "first_name": "Ada", "last_name": "Lovelace"},
        state=contact_count,
    ),
    "contact-detail": Route(
        {
            "GET": api(200),
            "PUT": api(200, analyst=403),
            "PATCH": api(200, analyst=403),
            "DELETE": api(204, analyst=403),
        },
        contact_pk,
        "account",
        api=True,
        data=lambda o: {"first_name": "Ada", "last_name": "Renamed"},
        state=contact_names,
    ),
    # Reference data to pick owners and departments from: not scoped by account.
    "department-list": Route({"GET": api(200)}, api=True),
    "department-detail": Route({"GET": api(200)}, lambda o: {"pk": o.account.department_id}, api=True),
    "user-list": Route({"GET": api(200)}, api=True),
    "user-detail": Route({"GET": api(200)}, lambda o: {"pk": o.account.owner_id}, api=True),
    # --- the sales ledger ---
    "sales:account-tab": Route({"GET": each(200)}, account_pk, "account"),
    "sales:batches": Route({"GET": IMPORT_VIEW}),
    "sales:upload": Route(
        {"GET": IMPORT_RUN_FORM, "POST": IMPORT_RUN},
        data=lambda o: {"file": ledger_file(o), "encoding": "utf-8", "create_accounts": "on"},
        state=lambda o: ImportBatch.objects.count(),
    ),
    "sales:batch": Route({"GET": IMPORT_VIEW}, batch_pk),
    "sales:batch-progress": Route({"GET": IMPORT_VIEW}, batch_pk),
    "sales:batch-rejects": Route({"GET": IMPORT_VIEW}, batch_pk),
    # Only a waiting import can change options or start: this one is done, so nothing changes.
    "sales:batch-options": Route(
        {"GET": POST_ONLY, "POST": IMPORT_RUN}, batch_pk, data=lambda o: {"encoding": "utf-8"}
    ),
    "sales:batch-start": Route({"GET": POST_ONLY, "POST": IMPORT_RUN}, batch_pk),
    "sales:batch-rollback": Route(
        {"GET": POST_ONLY, "POST": ADMIN_ONLY_WRITE}, batch_pk, state=lambda o: batch_status(o)
    ),
    "import-list": Route(
        {"GET": api(200, **NO_KAMS), "POST": api(202, **NO_KAMS, analyst=403)},
        api=True,
        multipart=True,
        data=lambda o: {"file": ledger_file(o)},
        state=lambda o: ImportBatch.objects.count(),
    ),
    "import-detail": Route({"GET": api(200, **NO_KAMS)}, batch_pk, api=True),
    "import-rollback": Route(
        {"POST": api(403, admin_user=200)}, batch_pk, api=True, state=lambda o: batch_status(o)
    ),
    "sales-line-list": Route({"GET": api(200)}, api=True),
    "sales-line-detail": Route({"GET": api(200)}, lambda o: {"pk": o.line.pk}, "account", api=True),
    "sales-line-bulk": Route(
        {"POST": api(201, **NO_KAMS, analyst=403)},
        api=True,
        data=lambda o: {"lines": [{"account_external_id": "M-1", "date": "2025-01-02", "amount": "5"}]},
        state=lambda o: SalesLine.objects.count(),
    ),
    "sales-line-sync": Route(
        {"PUT": api(200, **NO_KAMS, analyst=403)},
        api=True,
        data=lambda o: {
            "lines": [
                {
                    "line_external_id": "ERP-1",
                    "account_external_id": "M-1",
                    "date": "2025-01-02",
                    "amount": "5",
                    "updated_at": "2025-01-03T00:00:00Z",
                }
            ]
        },
        state=lambda o: SalesLine.objects.count(),
    ),
    "product-line-list": Route({"GET": api(200)}, api=True),
    "product-line-detail": Route({"GET": api(200)}, lambda o: {"pk": o.line.product_line_id}, api=True),
    # --- segmentation pages: numbers over the visible accounts, for everyone logged in ---
    "analysis:dashboard": Route({"GET": each(200)}),
    "analysis:segments": Route({"GET": each(200)}),
    "analysis:migration": Route({"GET": each(200)}),
    "analysis:account-tab": Route({"GET": each(200)}, account_pk, "account"),
    # Starting runs and changing the policy change everyone's numbers: heads and admins.
    "analysis:runs": Route(
        {"GET": each(200), "POST": ANALYSIS_MANAGE}, state=lambda o: AnalysisRun.objects.count()
    ),
    "analysis:policy": Route(
        {"GET": each(200), "POST": ANALYSIS_MANAGE},
        data=lambda o: POLICY_FORM,
        state=lambda o: AnalysisPolicy.objects.count(),
    ),
    # --- segmentation API: reads over the visible accounts; heads and admins start runs ---
    "analysis-matrix": Route({"GET": api(200)}, api=True),
    "analysis-run-list": Route(
        {"GET": api(200), "POST": api(202, **NO_KAMS, analyst=403)},
        api=True,
        data=lambda o: {"as_of": "2025-01-31"},
        state=lambda o: AnalysisRun.objects.count(),
    ),
    "analysis-run-detail": Route({"GET": api(200)}, lambda o: {"pk": o.run.pk}, api=True),
    "segment-list": Route({"GET": api(200)}, api=True),
    "segment-detail": Route({"GET": api(200)}, lambda o: {"account": o.account.pk}, "account", api=True),
    # --- dossiers API: account-scoped like the accounts; the competitor registry is shared ---
    "account-timeline": Route({"GET": api(200)}, account_pk, "account", api=True),
    "profile-detail": Route(
        {"GET": api(200), "PUT": api(200, analyst=403), "PATCH": api(200, analyst=403)},
        lambda o: {"account": o.account.pk},
        "account",
        api=True,
        data=lambda o: {"description": "Renamed"},
        state=of_account(AccountProfile, "description"),
    ),
    "profile-assessment": Route(
        {"GET": api(200), "PATCH": api(200, analyst=403)},
        lambda o: {"account": o.account.pk},
        "account",
        api=True,
        data=lambda o: {"volume": True},
        state=of_account(StrategicAssessment, "volume"),
    ),
    "profile-qualification": Route(
        {"GET": api(200), "POST": api(200, analyst=403)},
        lambda o: {"account": o.account.pk},
        "account",
        api=True,
        data=as_prospect,
        state=of_account(ProspectQualification, "need_confirmed_at"),
    ),
    "interaction-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {
            "account": o.account.pk,
            "kind": "call",
            "occurred_at": "2026-01-05T10:00:00Z",
            "summary": "Matrix call",
        },
        state=of_account(Interaction, "summary"),
    ),
    "interaction-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": InteractionFactory(account=o.account).pk},
        "account",
        api=True,
        data=lambda o: {"kind": "call", "occurred_at": "2026-01-05T10:00:00Z", "summary": "Renamed"},
        state=of_account(Interaction, "summary"),
    ),
    # The list is the caller's own tasks; a task on a visible account can be read and ticked off.
    "task-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"title": "Matrix task", "due_on": "2026-12-01", "account": o.account.pk},
        state=of_account(Task, "title"),
    ),
    "task-detail": Route(
        {"GET": api(200)},
        lambda o: {"pk": TaskFactory(owner=o.account.owner, account=o.account).pk},
        "account",
        api=True,
    ),
    "task-complete": Route(
        {"POST": api(200, analyst=403)},
        lambda o: {"pk": TaskFactory(owner=o.account.owner, account=o.account).pk},
        "account",
        api=True,
        state=of_account(Task, "done"),
    ),
    "tender-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "title": "Matrix tender", **TENDER_DATES},
        state=of_account(Tender, "title"),
    ),
    "tender-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": TenderFactory(account=o.account).pk},
        "account",
        api=True,
        data=lambda o: {"title": "Renamed", **TENDER_DATES},
        state=of_account(Tender, "title"),
    ),
    "complaint-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "severity": "low", "description": "Matrix complaint"},
        state=of_account(ComplaintCase, "description"),
    ),
    "complaint-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": ComplaintFactory(account=o.account).pk},
        "account",
        api=True,
        data=lambda o: {"severity": "high", "description": "Renamed"},
        state=of_account(ComplaintCase, "description"),
    ),
    "complaint-transition": Route(
        {"POST": api(200, analyst=403)},
        lambda o: {"pk": ComplaintFactory(account=o.account).pk},
        "account",
        api=True,
        data=lambda o: {"to": "in_progress"},
        state=of_account(ComplaintCase, "status"),
    ),
    "competitor-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"name": "Matrix Rival"},
        state=lambda o: Competitor.objects.count(),
    ),
    "competitor-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": CompetitorFactory(name="Registry Rival").pk},
        api=True,
        data=lambda o: {"name": "Renamed Rival"},
        state=lambda o: list(Competitor.objects.values_list("name", flat=True)),
    ),
    "competitor-presence-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "competitor": CompetitorFactory().pk, "threat_level": 4},
        state=of_account(CompetitorPresence, "threat_level"),
    ),
    "competitor-presence-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": PresenceFactory(account=o.account).pk},
        "account",
        api=True,
        data=presence_form,
        state=of_account(CompetitorPresence, "threat_level"),
    ),
    "account-plan-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "year": 2027},
        state=of_account(AccountPlan, "year"),
    ),
    "account-plan-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": PlanFactory(account=o.account).pk},
        "account",
        api=True,
        data=lambda o: {"year": 2026, "joint_activities": "Renamed"},
        state=of_account(AccountPlan, "joint_activities"),
    ),
    # Strategic clients' contact plans, with what was logged in their year.
    "service-plan-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "year": 2027, "visits": 4},
        state=of_account(ServicePlan, "visits"),
    ),
    "service-plan-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": service_plan_of(o).pk},
        "account",
        api=True,
        data=lambda o: {"visits": 9, "calls": 2, "reviews": 1, "budget": "100.00"},
        state=of_account(ServicePlan, "visits"),
    ),
    # Promises made to clients: any visible account's, kept or broken through actions.
    "commitment-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "what": "API promise", "due_on": "2026-12-01"},
        state=of_account(Commitment, "what"),
    ),
    "commitment-detail": Route(
        API_CRUD_DELETE,
        lambda o: {"pk": commitment_of(o).pk},
        "account",
        api=True,
        data=lambda o: {"what": "Renamed", "due_on": "2026-12-02"},
        state=of_account(Commitment, "what"),
    ),
    "commitment-kept": Route(
        {"POST": api(200, analyst=403)},
        lambda o: {"pk": commitment_of(o).pk},
        "account",
        api=True,
        state=of_account(Commitment, "status"),
    ),
    "commitment-broken": Route(
        {"POST": api(200, analyst=403)},
        lambda o: {"pk": commitment_of(o).pk},
        "account",
        api=True,
        data=lambda o: {"note": "The supplier was late"},
        state=of_account(Commitment, "status"),
    ),
    "dossiers:commitments": Route({"GET": each(200)}),
    "dossiers:account-commitments": Route({"GET": each(200)}, account_pk, "account"),
    "dossiers:commitment-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=commitment_form,
        state=of_account(Commitment, "what"),
    ),
    "dossiers:commitment-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": commitment_of(o).pk},
        "account",
        data=commitment_form,
        state=of_account(Commitment, "what"),
    ),
    "dossiers:commitment-kept": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": commitment_of(o).pk},
        "account",
        state=of_account(Commitment, "status"),
    ),
    "dossiers:commitment-broken": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": commitment_of(o).pk},
        "account",
        data=lambda o: {"note": "The supplier was late", "version": "0"},
        state=of_account(Commitment, "status"),
    ),
    "management:meeting-brief": Route({"GET": each(200)}, account_pk, "account"),
    # --- dossier pages: the account page's Dossier tab and its forms; one's own tasks ticked off ---
    "dossiers:account-tab": Route({"GET": each(200)}, account_pk, "account"),
    "dossiers:profile-edit": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"description": "Renamed", "version": ""},
        state=of_account(AccountProfile, "description"),
    ),
    "dossiers:interaction-create": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"kind": "call", "occurred_at": "2026-01-05T10:00", "summary": "Matrix call"},
        state=of_account(Interaction, "summary"),
    ),
    "dossiers:tender-create": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"title": "Matrix tender", "status": "planned", **TENDER_DATES},
        state=of_account(Tender, "title"),
    ),
    # The task is the account owner's: only they tick it off here (the outsider owns their account).
    "dossiers:task-done": Route(
        {"GET": POST_ONLY, "POST": each(404, kam=302, outsider=302, analyst=403)},
        lambda o: {"pk": TaskFactory(owner=o.account.owner, account=o.account).pk},
        "account",
        state=of_account(Task, "done"),
    ),
    "dossiers:timeline": Route({"GET": each(200)}, account_pk, "account"),
    "dossiers:assessment-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"volume": "on"},
        state=of_account(StrategicAssessment, "volume"),
    ),
    "dossiers:qualification-confirm": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=as_prospect,
        state=of_account(ProspectQualification, "need_confirmed_at"),
    ),
    "dossiers:presence-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"competitor": CompetitorFactory().pk, "threat_level": 4},
        state=of_account(CompetitorPresence, "threat_level"),
    ),
    "dossiers:presence-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": PresenceFactory(account=o.account).pk},
        "account",
        data=presence_form,
        state=of_account(CompetitorPresence, "threat_level"),
    ),
    "dossiers:presence-delete": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": PresenceFactory(account=o.account).pk},
        "account",
        state=of_account(CompetitorPresence, "pk"),
    ),
    # The competitor registry is shared: everyone reads it, everyone but analysts keeps it.
    "dossiers:competitors": Route({"GET": each(200)}),
    "dossiers:competitor-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        data=lambda o: {"name": "Matrix Rival"},
        state=lambda o: Competitor.objects.count(),
    ),
    "dossiers:competitor-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": CompetitorFactory(name="Registry Rival").pk},
        data=lambda o: {"name": "Renamed Rival"},
        state=lambda o: list(Competitor.objects.values_list("name", flat=True)),
    ),
    "dossiers:plans": Route({"GET": each(200)}, account_pk, "account"),
    "dossiers:service-plan-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": o.account.pk, "year": 2027},
        "account",
        data=lambda o: {"visits": 6, "calls": 12, "reviews": 1, "budget": "500", "version": "0"},
        state=of_account(ServicePlan, "visits"),
    ),
    "dossiers:plan-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"year": 2027},
        state=of_account(AccountPlan, "year"),
    ),
    "dossiers:plan-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": PlanFactory(account=o.account).pk},
        "account",
        data=lambda o: {"year": 2026, "joint_activities": "Renamed"},
        state=of_account(AccountPlan, "joint_activities"),
    ),
    "dossiers:action-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": PlanFactory(account=o.account).pk},
        "account",
        data=lambda o: {"title": "Matrix action", "progress": 10},
        state=lambda o: list(
            PlanAction.objects.filter(plan__account=o.account).values_list("title", flat=True)
        ),
    ),
    "dossiers:action-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {
            "pk": (plan := PlanFactory(account=o.account)).pk,
            "action_pk": PlanAction.objects.create(plan=plan, title="Matrix action").pk,
        },
        "account",
        data=lambda o: {"title": "Renamed", "progress": 50},
        state=lambda o: list(
            PlanAction.objects.filter(plan__account=o.account).values_list("title", flat=True)
        ),
    ),
    "dossiers:tender-calendar": Route({"GET": each(200)}),
    "dossiers:tender-detail": Route(
        {"GET": each(200), "POST": PAGE_WRITE},
        lambda o: {"pk": TenderFactory(account=o.account).pk},
        "account",
        data=lambda o: {"title": "Renamed", "status": "planned", "version": "", **TENDER_DATES},
        state=of_account(Tender, "title"),
    ),
    "dossiers:milestone-toggle": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {
            "pk": TenderMilestone.objects.create(
                tender=TenderFactory(account=o.account), title="Matrix step", due_on=dt.date(2026, 5, 1)
            ).pk
        },
        "account",
        state=lambda o: list(
            TenderMilestone.objects.filter(tender__account=o.account).values_list("done", flat=True)
        ),
    ),
    # --- complaint cases: whoever sees the account; the list shows only the visible ones ---
    "dossiers:complaints": Route({"GET": each(200)}),
    "dossiers:account-complaints": Route(
        {"GET": each(200), "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"severity": "low", "description": "Matrix complaint"},
        state=of_account(ComplaintCase, "description"),
    ),
    "dossiers:complaint-detail": Route(
        {"GET": each(200), "POST": PAGE_WRITE},
        lambda o: {"pk": ComplaintFactory(account=o.account).pk},
        "account",
        data=lambda o: {"severity": "high", "description": "Renamed", "version": ""},
        state=of_account(ComplaintCase, "description"),
    ),
    "dossiers:complaint-transition": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": ComplaintFactory(account=o.account).pk},
        "account",
        data=lambda o: {"to": "in_progress"},
        state=of_account(ComplaintCase, "status"),
    ),
    # Search: every logged-in role may search; what it finds is scoped (tests/dossiers/test_search.py).
    "dossiers:search": Route({"GET": each(200)}),
    "dossiers:birthdays": Route({"GET": each(200)}),
    "dossiers:tasks": Route({"GET": each(200)}),
    # --- satisfaction surveys: shared questionnaires; links sent from visible accounts only ---
    "retention:surveys": Route({"GET": each(200)}),
    "retention:survey-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        data=survey_form,
        state=lambda o: Survey.objects.count(),
    ),
    "retention:survey": Route({"GET": each(200)}, lambda o: {"pk": SurveyFactory().pk}),
    "retention:survey-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": SurveyFactory(title="Matrix survey").pk},
        data=lambda o: {"title": "Renamed survey", "is_active": "on"},
        state=lambda o: list(Survey.objects.values_list("title", flat=True)),
    ),
    # A successful send shows the new links (once) rather than redirecting.
    "retention:survey-send": Route(
        {"GET": PAGE_FORM, "POST": PAGE_FORM},
        account_pk,
        "account",
        data=lambda o: {"survey": SurveyFactory().pk, "contacts": [o.contact.pk], "valid_days": 30},
        state=of_account(SurveyInvitation, "pk"),
    ),
    # Answers given by phone, entered by anyone who may work on the account.
    "retention:survey-phone": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=phone_answers,
        state=of_account(SurveyInvitation, "pk"),
    ),
    # The public side: the link is the credential, whoever follows it; answering it redirects to thanks.
    "retention:survey-answer": Route(
        {"GET": PUBLIC_200, "POST": each(302, anonymous=302)},
        survey_link,
        data=survey_answers,
        state=of_account(SurveyInvitation, "answered_at"),
    ),
    "retention:survey-thanks": Route({"GET": PUBLIC_200}),
    "survey-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"title": "API survey", "questions": [{"text": "Happy?"}]},
        state=lambda o: Survey.objects.count(),
    ),
    "survey-detail": Route({"GET": api(200)}, lambda o: {"pk": SurveyFactory().pk}, api=True),
    "survey-results": Route({"GET": api(200)}, lambda o: {"pk": SurveyFactory().pk}, api=True),
    "survey-invitation-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"survey": SurveyFactory().pk, "account": o.account.pk, "contact": o.contact.pk},
        state=of_account(SurveyInvitation, "pk"),
    ),
    "survey-invitation-phone": Route(
        {"POST": api(201, analyst=403)},
        api=True,
        data=lambda o: {
            "survey": (survey := SurveyFactory(questions=[("Happy?", "scale", True)])).pk,
            "account": o.account.pk,
            "contact": o.contact.pk,
            "answers": {str(q.pk): "4" for q in survey.questions.all()},
        },
        state=of_account(SurveyInvitation, "pk"),
    ),
    "survey-invitation-detail": Route(
        {"GET": api(200)},
        lambda o: {"pk": SurveyInvitation.objects.get(token_hash=token_hash(survey_link(o)["token"])).pk},
        "account",
        api=True,
    ),
    # --- retention: churn lists, refusals, losses, win-back campaigns, notifications ---
    "retention:account-tab": Route({"GET": each(200)}, account_pk, "account"),
    "retention:refusal-create": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: REFUSAL_BODY,
        state=of_account(Refusal, "reason"),
    ),
    "retention:refusal-delete": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {
            "pk": Refusal.objects.create(account=o.account, on=dt.date(2026, 1, 5), reason="price").pk
        },
        "account",
        state=of_account(Refusal, "pk"),
    ),
    "retention:loss-create": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {"lost_on": "2026-01-05", "reason": "price"},
        state=of_account(LossRecord, "reason"),
    ),
    "retention:loss-delete": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {
            "pk": LossRecord.objects.create(account=o.account, lost_on=dt.date(2026, 1, 5), reason="price").pk
        },
        "account",
        state=of_account(LossRecord, "pk"),
    ),
    # Lists and analyses are scoped to the accounts each user sees (tests/retention).
    "retention:churn-list": Route({"GET": each(200)}),
    "retention:losses": Route({"GET": each(200)}),
    "retention:campaigns": Route({"GET": each(200)}),
    "retention:campaign-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        data=lambda o: {**CAMPAIGN_FORM, "account": [o.account.pk]},
        state=lambda o: WinBackCampaign.objects.count(),
    ),
    # A campaign is seen by whoever sees one of its targets; its creator, heads and admins change it.
    "retention:campaign-detail": Route({"GET": each(200)}, lambda o: {"pk": campaign_of(o).pk}, "account"),
    "retention:campaign-edit": Route(
        {"GET": CAMPAIGN_MANAGE_PAGE, "POST": ANALYSIS_MANAGE},
        lambda o: {"pk": campaign_of(o).pk},
        "account",
        data=lambda o: {**CAMPAIGN_FORM, "name": "Renamed"},
        state=lambda o: list(WinBackCampaign.objects.values_list("name", flat=True)),
    ),
    "retention:campaign-targets-add": Route(
        {"GET": POST_ONLY, "POST": ANALYSIS_MANAGE},
        lambda o: {"pk": campaign_of(o).pk},
        "account",
        data=lambda o: {"account": another_account(o)["accounts"]},
        state=lambda o: CampaignTarget.objects.count(),
    ),
    "retention:target-update": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": target_of(o).pk},
        "account",
        data=lambda o: {f"t{CampaignTarget.objects.get(account=o.account).pk}-outcome": "declined"},
        state=of_targets("outcome"),
    ),
    "retention:step-add": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": target_of(o).pk},
        "account",
        data=lambda o: {"action": "Called"},
        state=lambda o: CampaignStep.objects.filter(target__account=o.account).count(),
    ),
    "retention:notifications": Route({"GET": each(200)}),
    # --- management: the strategic accounts (over what each sees) and the handover brief ---
    "management:strategic": Route({"GET": each(200)}),
    "management:handover": Route({"GET": each(200)}, account_pk, "account"),
    # Everything held about a contact, and its erasure: heads and admins (docs/personal-data.md).
    "management:personal-data-export": Route({"GET": HEADS_AND_ADMINS_200}, contact_pk, "account"),
    "management:personal-data-erase": Route(
        {"GET": HEADS_AND_ADMINS_200, "POST": each(403, head=302, other_head=302, admin_user=302)},
        contact_pk,
        "account",
        data=lambda o: {"confirm": "on"},
        state=contact_names,
    ),
    # --- cross-sell white space of the account's group; its cells become tasks and draft proposals ---
    "management:white-space": Route({"GET": each(200)}, with_white_space, "account"),
    "management:white-space-task": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        with_white_space,
        "account",
        data=white_space_cell,
        state=of_account(Task, "title"),
    ),
    "management:white-space-proposal": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        with_white_space,
        "account",
        data=white_space_cell,
        state=of_account(Proposal, "title"),
    ),
    "management:key-client-type-accept": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        suggested_prospect,
        "account",
        data=accept_prospect,
        state=lambda o: Account.objects.get(pk=o.account.pk).key_client_type,
    ),
    "retention:notifications-badge": Route({"GET": each(200)}),
    "retention:notifications-read": Route({"GET": POST_ONLY, "POST": each(302)}),
    # --- proposal pages: account-scoped like the accounts; the reference library is shared ---
    "proposals:account-tab": Route({"GET": each(200)}, account_pk, "account"),
    "proposals:create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: PROPOSAL_FORM,
        state=of_account(Proposal, "title"),
    ),
    "proposals:list": Route({"GET": each(200)}),
    # A KAM sees the queue of what they see; only heads and admins decide (tests/proposals).
    "proposals:approvals": Route({"GET": each(200)}),
    "proposals:detail": Route({"GET": each(200)}, lambda o: {"pk": draft_of(o).pk}, "account"),
    "proposals:edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": draft_of(o).pk},
        "account",
        data=versioned(**PROPOSAL_FORM),
        state=of_account(Proposal, "title"),
    ),
    "proposals:copy": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": draft_of(o).pk},
        "account",
        state=lambda o: Proposal.objects.count(),
    ),
    "proposals:pdf": Route({"GET": each(200)}, lambda o: {"pk": draft_of(o).pk}, "account"),
    # The lines table: htmx swaps it in place; without htmx a read or a write goes back to the page.
    "proposals:lines": Route(
        {"GET": each(302), "POST": PAGE_WRITE},
        lambda o: {"pk": draft_of(o).pk},
        "account",
        data=versioned(**LINE_FORM),
        state=of_proposal_rows(ProposalLine, "description"),
    ),
    "proposals:line-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": draft_of(o).lines.get().pk},
        "account",
        data=versioned(**LINE_FORM),
        state=of_proposal_rows(ProposalLine, "description"),
    ),
    "proposals:line-delete": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": draft_of(o).lines.get().pk},
        "account",
        data=versioned(),
        state=of_proposal_rows(ProposalLine, "pk"),
    ),
    "proposals:argument-create": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": draft_of(o).pk},
        "account",
        data=versioned(audience="buyer", text="Cheaper"),
        state=of_proposal_rows(ProposalArgument, "text"),
    ),
    "proposals:argument-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": argument_of(o).pk},
        "account",
        data=versioned(audience="buyer", text="Renamed"),
        state=of_proposal_rows(ProposalArgument, "text"),
    ),
    "proposals:argument-delete": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": argument_of(o).pk},
        "account",
        data=versioned(),
        state=of_proposal_rows(ProposalArgument, "pk"),
    ),
    "proposals:transition": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": draft_of(o).pk},
        "account",
        data=versioned(to="withdrawn", comment="Matrix"),
        state=of_account(Proposal, "status"),
    ),
    "proposals:follow-up-close": Route(
        {"GET": POST_ONLY, "POST": PAGE_WRITE},
        lambda o: {"pk": open_step(o).pk},
        "account",
        state=of_proposal_rows(FollowUpStep, "state"),
    ),
    "proposals:references": Route({"GET": each(200)}),
    "proposals:reference-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        data=lambda o: STORY_FORM,
        state=lambda o: list(SuccessStory.objects.values_list("title", flat=True)),
    ),
    "proposals:reference-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        lambda o: {"pk": story().pk},
        data=lambda o: STORY_FORM,
        state=lambda o: list(SuccessStory.objects.values_list("title", flat=True)),
    ),
    "proposals:reference-delete": Route(
        {"GET": POST_ONLY, "POST": each(403, head=302, other_head=302, admin_user=302)},
        lambda o: {"pk": story().pk},
        state=lambda o: SuccessStory.objects.count(),
    ),
    "churn-list": Route({"GET": api(200)}, api=True),
    "account-health": Route({"GET": api(200)}, account_pk, "account", api=True),
    "account-white-space": Route({"GET": api(200)}, with_white_space, "account", api=True),
    "refusal-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, **REFUSAL_BODY},
        state=of_account(Refusal, "reason"),
    ),
    "refusal-detail": Route(
        API_CRUD_DELETE,
        lambda o: {
            "pk": Refusal.objects.create(account=o.account, on=dt.date(2026, 1, 5), reason="price").pk
        },
        "account",
        api=True,
        data=lambda o: {**REFUSAL_BODY, "reason": "competitor"},
        state=of_account(Refusal, "reason"),
    ),
    "loss-record-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "lost_on": "2026-01-05", "reason": "price"},
        state=of_account(LossRecord, "reason"),
    ),
    "loss-record-detail": Route(
        API_CRUD_DELETE,
        lambda o: {
            "pk": LossRecord.objects.create(account=o.account, lost_on=dt.date(2026, 1, 5), reason="price").pk
        },
        "account",
        api=True,
        data=lambda o: {"lost_on": "2026-01-05", "reason": "competitor"},
        state=of_account(LossRecord, "reason"),
    ),
    "winback-campaign-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {**CAMPAIGN_FORM, "accounts": [o.account.pk]},
        state=lambda o: WinBackCampaign.objects.count(),
    ),
    "winback-campaign-detail": Route(
        {
            "GET": api(200),
            "PUT": api(403, head=200, other_head=200, admin_user=200),
            "PATCH": api(403, head=200, other_head=200, admin_user=200),
            "DELETE": api(403, head=204, other_head=204, admin_user=204),
        },
        lambda o: {"pk": campaign_of(o).pk},
        "account",
        api=True,
        data=lambda o: {**CAMPAIGN_FORM, "name": "Renamed"},
        state=lambda o: list(WinBackCampaign.objects.values_list("name", flat=True)),
    ),
    "winback-campaign-targets": Route(
        {"POST": api(403, head=201, other_head=201, admin_user=201)},
        lambda o: {"pk": campaign_of(o).pk},
        "account",
        api=True,
        data=another_account,
        state=lambda o: CampaignTarget.objects.count(),
    ),
    "winback-campaign-results": Route(
        {"GET": api(200)}, lambda o: {"pk": campaign_of(o).pk}, "account", api=True
    ),
    "campaign-target-list": Route({"GET": api(200)}, api=True),
    "campaign-target-detail": Route(
        API_CRUD,
        lambda o: {"pk": target_of(o).pk},
        "account",
        api=True,
        data=lambda o: {"outcome": "declined"},
        state=of_targets("outcome"),
    ),
    "campaign-target-steps": Route(
        {"POST": api(201, analyst=403)},
        lambda o: {"pk": target_of(o).pk},
        "account",
        api=True,
        data=lambda o: {"action": "Called"},
        state=lambda o: CampaignStep.objects.filter(target__account=o.account).count(),
    ),
    "notification-list": Route({"GET": api(200)}, api=True),
    # Reading one's own notifications is not a write to the CRM: analysts mark theirs read too.
    "notification-read": Route({"POST": api(200)}, api=True),
    # --- proposals API: account-scoped; never deleted (withdrawn); the status moves by transition ---
    "proposal-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, "title": "Matrix proposal"},
        state=of_account(Proposal, "title"),
    ),
    "proposal-detail": Route(
        API_CRUD,
        proposal_pk,
        "account",
        api=True,
        data=lambda o: {"title": "Renamed"},
        state=of_account(Proposal, "title"),
    ),
    "proposal-transition": Route(
        {"POST": api(200, analyst=403)},
        proposal_pk,
        "account",
        api=True,
        data=lambda o: {"to": "withdrawn"},
        state=of_account(Proposal, "status"),
    ),
    "proposal-copy": Route(
        {"POST": api(201, analyst=403)},
        proposal_pk,
        "account",
        api=True,
        state=lambda o: Proposal.objects.filter(account=o.account).count(),
    ),
    "proposal-pdf": Route({"GET": api(200)}, proposal_pk, "account", api=True),
    # The reference library is shared like the competitor registry; heads and admins remove entries.
    "proposal-reference-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: STORY_BODY,
        state=lambda o: SuccessStory.objects.count(),
    ),
    "proposal-reference-detail": Route(
        {**API_CRUD, "DELETE": HEADS_DELETE},
        story_of,
        api=True,
        data=lambda o: STORY_BODY,
        state=lambda o: list(SuccessStory.objects.values_list("title", flat=True)),
    ),
    # --- sales plans: everyone reads the plans in their scope; heads and admins set them ---
    "sales:plans": Route({"GET": each(200)}),
    "sales:plan-create": Route(
        {"GET": PLAN_FORM, "POST": each(403, **PLAN_EDITORS)},
        data=lambda o: {**PLAN_BODY, "account": o.account.pk},
        state=lambda o: SalesPlan.objects.count(),
    ),
    "sales:plan-edit": Route(
        {"GET": PLAN_FORM, "POST": each(403, **PLAN_EDITORS)},
        plan_of,
        "account",
        data=lambda o: {**PLAN_BODY, "account": o.account.pk},
        state=plan_amounts,
    ),
    "sales:plan-delete": Route(
        {"GET": POST_ONLY, "POST": each(403, **PLAN_EDITORS)},
        plan_of,
        "account",
        data=lambda o: {"version": "1"},  # the version the edit page showed: without it nothing goes
        state=plan_amounts,
    ),
    "sales:plan-import": Route(
        {"GET": PLAN_FORM, "POST": each(403, **PLAN_EDITORS)},
        data=plan_file,
        state=lambda o: SalesPlan.objects.count(),
    ),
    "management:plan-vs-actual": Route({"GET": each(200)}),
    "sales-plan-list": Route(
        {"GET": api(200), "POST": api(403, head=201, other_head=201, admin_user=201)},
        api=True,
        data=lambda o: {**PLAN_BODY, "account": o.account.pk},
        state=lambda o: SalesPlan.objects.count(),
    ),
    "sales-plan-detail": Route(
        {
            "GET": api(200),
            "PUT": PLAN_API_WRITE,
            "PATCH": PLAN_API_WRITE,
            "DELETE": api(403, head=204, other_head=204, admin_user=204),
        },
        plan_of,
        "account",
        api=True,
        data=lambda o: {**PLAN_BODY, "account": o.account.pk},
        state=plan_amounts,
    ),
    "sales-plan-import": Route(
        {"POST": PLAN_API_WRITE},
        api=True,
        multipart=True,
        data=plan_file,
        state=lambda o: SalesPlan.objects.count(),
    ),
    # Plan vs actual with the forecast: everyone, each over what they see (no department rows for KAMs).
    "management-forecast": Route({"GET": api(200)}, api=True),
    # --- proposal statistics: everyone signed in, each over the proposals they see ---
    "proposals:stats": Route({"GET": each(200)}),
    "proposal-stats": Route({"GET": api(200)}, api=True),
    # --- management: KAM scorecards (a KAM sees their own card, a head their departments' KAMs',
    # analysts and admins every card); the management policy, changed by heads and admins ---
    "management:kams": Route({"GET": each(200)}),
    "management:kam": Route(
        # Always the card of the KAM called "owner" (tests/conftest.py's `kam`), whoever asks.
        {"GET": each(200, teammate=404, outsider=404, other_head=404)},
        lambda o: {"pk": the_kam().pk},
    ),
    "management:policy": Route(
        {"GET": each(200), "POST": ANALYSIS_MANAGE},
        data=lambda o: {
            "kam_load_target": 9,
            "neglect_days": 45,
            "strategic_share_cap": "20",
            "sla_days_critical": 2,
            "sla_days_high": 5,
            "sla_days_medium": 10,
            "sla_days_low": 20,
            "access_log_retention_months": 24,
        },
        state=lambda o: ManagementPolicy.objects.count(),
    ),
    "management-kams": Route({"GET": api(200)}, api=True),
    # --- e-mail digests: everyone previews their own (a KAM's daily, a head's weekly; none for analysts
    # and admins); the unsubscribe link works for whoever follows it, without signing in ---
    "management:digest-preview": Route({"GET": each(200)}),
    "management:digest-preview-text": Route(
        {"GET": each(200, head=404, other_head=404, analyst=404, admin_user=404)},
        lambda o: {"kind": DAILY},
    ),
    "management:digest-unsubscribe": Route(
        {"GET": PUBLIC_200, "POST": each(200, anonymous=200)},
        digest_unsubscribe_link,
        state=daily_digest_subscribed,
    ),
    # --- the semester consumption report: whoever sees the account; bulk runs for heads and admins ---
    "management:consumption": Route({"GET": each(200)}, account_pk, "account"),
    "management:consumption-download": Route(
        {"GET": each(200)}, lambda o: {"pk": o.account.pk, "fmt": "xlsx"}, "account"
    ),
    "account-consumption-report": Route({"GET": api(200)}, account_pk, "account", api=True),
    "management:consumption-runs": Route({"GET": CONSUMPTION_RUNS}),
    "management:consumption-run-start": Route(
        {"GET": POST_ONLY, "POST": each(403, head=302, other_head=302, admin_user=302)},
        data=lambda o: {"half": "2026H1"},
        state=lambda o: ConsumptionRun.objects.count(),
    ),
    "management:consumption-run": Route({"GET": CONSUMPTION_RUN}, lambda o: {"pk": run_of_requester(o).pk}),
    "management:consumption-run-progress": Route(
        {"GET": CONSUMPTION_RUN}, lambda o: {"pk": run_of_requester(o).pk}
    ),
    "management:consumption-file": Route({"GET": CONSUMPTION_RUN}, consumption_file, "account"),
    # --- growth: referrals, recommendation letters, the prospect funnel (over what each sees) ---
    "referral-list": Route(
        API_LIST_CREATE, api=True, data=referral_body, state=of_account(Referral, "referred_on")
    ),
    "referral-detail": Route(
        API_CRUD_DELETE,
        referral_pk,
        "account",
        api=True,
        data=referral_edit_body,
        state=of_account(Referral, "outcome"),
    ),
    "recommendation-letter-list": Route(
        API_LIST_CREATE,
        api=True,
        data=lambda o: {"account": o.account.pk, **LETTER_BODY},
        state=of_account(RecommendationLetter, "note"),
    ),
    "recommendation-letter-detail": Route(
        API_CRUD_DELETE,
        letter_pk,
        "account",
        api=True,
        data=lambda o: {"received_on": "2026-03-02", "note": "Renamed"},
        state=of_account(RecommendationLetter, "note"),
    ),
    "prospect-funnel": Route({"GET": api(200)}, api=True),
    "management:funnel": Route({"GET": each(200)}),
    "management:referrals": Route({"GET": each(200)}),
    "dossiers:referral-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: {**referral_body(o), "outcome": "pending"},
        state=of_account(Referral, "referred_on"),
    ),
    "dossiers:referral-edit": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        referral_pk,
        "account",
        data=referral_edit_body,
        state=of_account(Referral, "outcome"),
    ),
    "dossiers:letter-create": Route(
        {"GET": PAGE_FORM, "POST": PAGE_WRITE},
        account_pk,
        "account",
        data=lambda o: LETTER_BODY,
        state=of_account(RecommendationLetter, "note"),
    ),
    "dossiers:letter-file": Route({"GET": each(200)}, letter_pk, "account"),
    # --- integrations: one's own webhook subscriptions (admins see all on the pages) ---
    "integrations:webhooks": Route({"GET": each(200)}),
    "integrations:webhook-create": Route(
        {"GET": each(200), "POST": each(302)},
        data=lambda o: {"target_url": "http://127.0.0.1:9/new", "events": ["account.created"]},
        state=lambda o: WebhookSubscription.objects.count(),
    ),
    "integrations:webhook-edit": Route(
        {"GET": each(200), "POST": each(302)},
        webhook_pk,
        foreign="webhook",
        data=lambda o: {"target_url": "http://127.0.0.1:9/edited", "events": ["account.created"]},
        state=webhook_url,
    ),
    "integrations:webhook-pause": Route(
        {"GET": POST_ONLY, "POST": each(302)},
        webhook_pk,
        foreign="webhook",
        state=lambda o: WebhookSubscription.objects.get(pk=o.webhook.pk).active,
    ),
    "integrations:webhook-delete": Route(
        {"GET": POST_ONLY, "POST": each(302)},
        webhook_pk,
        foreign="webhook",
        state=lambda o: WebhookSubscription.objects.filter(pk=o.webhook.pk).exists(),
    ),
    "integrations:webhook-deliveries": Route({"GET": each(200)}, webhook_pk, foreign="webhook"),
    "integrations:delivery-redeliver": Route(
        {"GET": POST_ONLY, "POST": each(302)},
        lambda o: {"pk": o.webhook.pk, "delivery_pk": o.webhook.deliveries.get().pk},
        foreign="webhook",
        state=lambda o: WebhookDelivery.objects.count(),
    ),
    "webhook-list": Route(
        {"GET": api(200), "POST": api(201)},
        api=True,
        data=lambda o: {"target_url": "http://127.0.0.1:9/api", "events": ["complaint.opened"]},
        state=lambda o: WebhookSubscription.objects.count(),
    ),
    "webhook-detail": Route(
        {"GET": api(200), "PUT": api(200), "PATCH": api(200), "DELETE": api(204)},
        webhook_pk,
        foreign="webhook",
        api=True,
        data=lambda o: {
            "target_url": "http://127.0.0.1:9/put",
            "events": ["account.created"],
            "active": False,
        },
        state=lambda o: list(WebhookSubscription.objects.filter(pk=o.webhook.pk).values_list("target_url")),
    ),
    "webhook-deliveries": Route({"GET": api(200)}, webhook_pk, foreign="webhook", api=True),
    # --- change history: an object's for whoever sees the object; every change for administrators ---
    "audit:entries": Route({"GET": each(403, admin_user=200)}),
    "audit:account": Route({"GET": each(200)}, account_pk, "account"),
    "audit:contact": Route({"GET": each(200)}, contact_pk, "account"),
    "audit:proposal": Route({"GET": each(200)}, lambda o: {"pk": draft_of(o).pk}, "account"),
    "audit:account-plan": Route(
        {"GET": each(200)}, lambda o: {"pk": PlanFactory(account=o.account).pk}, "account"
    ),
    "audit:sales-plan": Route({"GET": each(200)}, plan_of, "account"),
    "audit:import": Route({"GET": IMPORT_VIEW}, batch_pk),
    # --- admin site: staff only. A representative set; any admin:* name counts as covered ---
    "admin:index": Route({"GET": STAFF_ONLY}),
    "admin:accounts_account_changelist": Route({"GET": STAFF_ONLY}),
    "admin:accounts_account_change": Route({"GET": STAFF_ONLY}, lambda o: {"object_id": o.account.pk}),
    "admin:accounts_contact_changelist": Route({"GET": STAFF_ONLY}),
    "admin:accounts_contact_change": Route({"GET": STAFF_ONLY}, lambda o: {"object_id": o.contact.pk}),
    "admin:accounts_personaldataaccess_changelist": Route({"GET": STAFF_ONLY}),
    "admin:management_personaldataerasure_changelist": Route({"GET": STAFF_ONLY}),
    "admin:management_erasurereviewflag_changelist": Route({"GET": STAFF_ONLY}),
    "admin:dossiers_tender_changelist": Route({"GET": STAFF_ONLY}),
    "admin:dossiers_tender_change": Route(
        {"GET": STAFF_ONLY}, lambda o: {"object_id": TenderFactory(account=o.account).pk}
    ),
    "admin:dossiers_accountprofile_changelist": Route({"GET": STAFF_ONLY}),
    "admin:dossiers_interaction_changelist": Route({"GET": STAFF_ONLY}),
    "admin:proposals_proposal_changelist": Route({"GET": STAFF_ONLY}),
    "admin:proposals_proposal_change": Route({"GET": STAFF_ONLY}, lambda o: {"object_id": draft_of(o).pk}),
    "admin:proposals_proposalpolicy_add": Route({"GET": STAFF_ONLY}),
    "admin:proposals_successstory_changelist": Route({"GET": STAFF_ONLY}),
}

# Which account fixture each role sees ("own") and which it cannot see ("foreign").
VISIBLE = {"outsider": "foreign_account", "other_head": "other_account"}  # the others: "account"
ACCOUNTS = ("account", "foreign_account", "other_account")  # every account a case may name
INVISIBLE = {"kam": "foreign_account", "teammate": "foreign_account", "outsider": "account"}
INVISIBLE |= {"head": "other_account", "other_head": "account"}  # analysts and admins see all


def url_patterns(resolver: URLResolver | None = None, prefix: str = "", namespace: str = "") -> Iterator:
    """(route, full name or None, namespace, callback) of every URL pattern of the project."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, pattern.name and namespace + pattern.name, namespace, pattern.callback


def test_every_url_of_the_project_is_in_the_matrix():
    # The admin site's hundreds of routes (some unnamed) follow one rule, checked on a sample.
    missing = {
        f"{name or '(unnamed)'} {route}"
        for route, name, namespace, _ in url_patterns()
        if name not in MATRIX and namespace != "admin:"
    }
    assert not missing, "add these URLs to MATRIX"


def test_every_url_in_the_matrix_exists():
    assert set(MATRIX) - {name for _, name, _, _ in url_patterns()} == set()


def test_matrix_lists_exactly_the_methods_each_api_route_accepts():
    for _, name, _, callback in url_patterns():
        if hasattr(callback, "actions"):  # a router route: {"get": "list", "post": "create"}
            # DRF adds "head" (as "get") to that dict at the first request: not a method of its own.
            assert set(MATRIX[name].methods) == {m.upper() for m in callback.actions} - {"HEAD"}, name


def cases() -> Iterator:
    for name, route in MATRIX.items():
        for method, answers in route.methods.items():
            for role, answer in answers.items():
                has_foreign = route.foreign in ("token", "webhook") or (route.foreign and role in INVISIBLE)
                variants = ("own", "foreign") if has_foreign and role != "anonymous" else ("own",)
                for variant in variants:
                    # Admins see every user's webhooks on the pages (the API stays one's own).
                    sees_all = route.foreign == "webhook" and not route.api and role == "admin_user"
                    expected = answer if variant == "own" or answer == 405 or sees_all else 404
                    label = f" ({variant})" if route.foreign and role != "anonymous" else ""
                    test_id = f"{role} {method} {name}{label} -> {expected}"
                    yield pytest.param(name, method, role, variant, expected, id=test_id)


def make_other_account(other_department: Department) -> Account:
    owner = UserFactory(username="otherkam", role=User.Role.KAM, departments=[other_department])
    return AccountFactory(name="Retail Chain", owner=owner, department=other_department)


# The cast and its accounts are made once per module (tests/module_data.py) rather than once per
# case. The cases then cost their request and the few objects of their own.
@pytest.fixture(scope="module")
def shared_cast(django_db_setup, django_db_blocker) -> Iterator[dict[str, Any]]:
    with module_transaction(django_db_blocker):
        made: dict[str, Any] = build_cast()
        made["other_account"] = make_other_account(made["other_department"])
        # Each account a case may name gets a team member (a service user) and a contact of its own.
        for name in ACCOUNTS:
            account = made[name]
            member = TeamMemberFactory(account=account, user=UserFactory(username=f"service-{account.pk}"))
            made[f"{name} extras"] = (member, ContactFactory(account=account))
        made["stranger"] = UserFactory(username="token-stranger")  # owns the foreign tokens and webhooks
        # One session per role, logged in once: a case that changes it (a logout, a new password) is
        # rolled back with the rest of the case.
        for role in ROLES:
            browser = Client()
            browser.force_login(made[role])
            made[f"{role} session"] = browser.cookies[settings.SESSION_COOKIE_NAME].value
        yield made


SHARED = (*CAST, "other_account")


def _from_shared_cast(name: str) -> Any:
    @pytest.fixture(name=name)
    def fixture(shared_cast: dict[str, Any], db: None) -> Any:
        return shared_cast[name]

    return fixture


# In this module the conftest's cast fixtures (and `other_account`) hand out the shared objects.
for _name in SHARED:
    globals()[f"_shared_{_name}"] = _from_shared_cast(_name)


# The segmentation pages get the ledger and one complete run over it, so they show real numbers.
LEDGER_ROUTES = ("sales", "import", "product", "analysis", "segment", "audit:import")


def ledger_of(account: Account) -> tuple[ImportBatch, SalesLine]:
    """A completed import with one line of `account` and one rejected row. Made per case, not shared:
    an account with sales is another case for some routes (it can't be deleted, say)."""
    importer = UserFactory(username="importer", role=User.Role.ADMIN)
    lines = [
        {
            "account_external_id": account.external_id,
            "date": "2025-01-15",
            "amount": "10",
            "product_line": "P",
        },
        {"account_external_id": account.external_id, "date": "not a date", "amount": "1"},
    ]
    batch = sales_lines_bulk_import(by=importer, lines=lines, options={"skip_invalid": True})
    assert batch.status == ImportBatch.Status.DONE and batch.rejects, batch.errors
    return batch, batch.lines.get()


WEBHOOK_ROUTES = ("integrations:", "webhook-")


def objects_for(request, role: str, user: User | None, variant: str, name: str) -> Objects:
    own = variant == "own"
    which = VISIBLE.get(role, "account") if own else INVISIBLE.get(role, "account")
    account = request.getfixturevalue(which)
    if user is not None and (own or role in INVISIBLE):  # the premise: own is visible, foreign not
        assert Account.objects.visible_to(user).filter(pk=account.pk).exists() == own
    shared = request.getfixturevalue("shared_cast")
    member, contact = shared[f"{which} extras"]
    token_owner = user if own and user is not None else shared["stranger"]
    token, _secret = AuthToken.objects.create(user=token_owner)
    objects = Objects(account, contact, member, token)
    if name.startswith(WEBHOOK_ROUTES):
        objects.webhook = WebhookSubscription.objects.create(
            owner=token_owner, target_url="http://127.0.0.1:9/hook", events=["account.updated"]
        )
        WebhookDelivery.objects.create(subscription=objects.webhook, event="account.updated", payload={})
    if name.startswith(LEDGER_ROUTES):
        objects.batch, objects.line = ledger_of(account)
    if name.startswith(("analysis", "segment")):
        objects.run = run_execute(
            run=run_create(by=None, as_of=dt.date(2025, 1, 31), trigger=AnalysisRun.Trigger.COMMAND)
        )
    return objects


def send(client, route: Route, method: str, url: str, data: dict[str, Any]):
    if method == "GET":
        return client.get(url)
    if route.api and route.multipart:
        return client.post(url, data)
    if route.api:  # the test client encodes the dict as JSON for this content type
        return getattr(client, method.lower())(url, data, content_type="application/json")
    return client.post(url, data)


def assert_answer(response, expected: Any, url: str) -> None:
    if expected in (LOGIN, ADMIN_LOGIN):
        login = reverse("login" if expected == LOGIN else "admin:login")
        location = f"{login}?{urlencode({'next': url}, safe='/')}"
        assert (response.status_code, response.get("Location")) == (302, location)
    else:
        assert response.status_code == expected
    if expected == 401:
        assert response["WWW-Authenticate"] == "Token"  # how a client learns to send its token


# Every URL with every role, method and answer in each run; the rest drawn by KAM_MATRIX_SEED.
@pytest.mark.parametrize(
    ("name", "method", "role", "variant", "expected"), sample(list(cases()), sampling_from_environment())
)
def test_access(client, request, name, method, role, variant, expected):
    route = MATRIX[name]
    user = None if role == "anonymous" else request.getfixturevalue(role)
    objects = objects_for(request, role, user, variant, name)
    url = reverse(name, kwargs=route.kwargs(objects))
    data = route.data(objects) if method != "GET" else {}
    if user is not None:
        session = request.getfixturevalue("shared_cast")[f"{role} session"]
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    before = route.state(objects) if route.state else None

    response = send(client, route, method, url, data)

    assert_answer(response, expected, url)
    if route.state and method != "GET":
        after = route.state(objects)
        assert (after == before) == (expected in REFUSALS), f"state {before!r} -> {after!r}"


def test_a_foreign_team_member_cannot_be_removed_through_an_own_account(
    client, kam, account, foreign_account
):
    stranger = TeamMemberFactory(account=foreign_account, user=UserFactory(username="stranger"))
    client.force_login(kam)
    url = reverse("accounts:team-remove", kwargs={"pk": account.pk, "member_pk": stranger.pk})
    assert client.post(url).status_code == 404
    assert AccountTeamMember.objects.filter(pk=stranger.pk).exists()


FOREIGN_IN_BODY = {
    "a contact cannot be added to a foreign account": (
        "post",
        lambda own: reverse("contact-list"),
        lambda foreign: {"account": foreign.pk, "first_name": "Ada", "last_name": "Lovelace"},
    ),
    "an account cannot be filed under a foreign one": (
        "post",
        lambda own: reverse("account-list"),
        lambda foreign: {"name": "Sneaky", "parent": foreign.pk},
    ),
    "an interaction cannot be logged on a foreign account": (
        "post",
        lambda own: reverse("interaction-list"),
        lambda foreign: {
            "account": foreign.pk,
            "kind": "call",
            "occurred_at": "2026-01-05T10:00:00Z",
            "summary": "x",
        },
    ),
    "a complaint cannot be logged on a foreign account": (
        "post",
        lambda own: reverse("complaint-list"),
        lambda foreign: {"account": foreign.pk, "severity": "low", "description": "Sneaky"},
    ),
    "a tender cannot be planned on a foreign account": (
        "post",
        lambda own: reverse("tender-list"),
        lambda foreign: {"account": foreign.pk, "title": "Sneaky", **TENDER_DATES},
    ),
    "an account cannot be moved under a foreign one": (
        "patch",
        lambda own: reverse("account-detail", args=[own.pk]),
        lambda foreign: {"parent": foreign.pk},
    ),
}


@pytest.mark.parametrize(("method", "url", "body"), FOREIGN_IN_BODY.values(), ids=FOREIGN_IN_BODY.keys())
def test_api_bodies_naming_a_foreign_account_are_refused(
    client, kam, account, foreign_account, method, url, body
):
    client.force_login(kam)
    before = list(Account.objects.values_list("pk", "parent", "version")), Contact.objects.count()
    response = getattr(client, method)(url(account), body(foreign_account), content_type="application/json")
    assert response.status_code == 400  # "Invalid pk": the same answer as for an id that does not exist
    assert (list(Account.objects.values_list("pk", "parent", "version")), Contact.objects.count()) == before


@pytest.mark.parametrize("url_name", ["accounts:list", "accounts:detail"])
def test_a_subsidiary_does_not_reveal_a_parent_the_user_cannot_see(
    client, outsider, account, subsidiary, url_name
):
    client.force_login(outsider)  # sees the subsidiary they own, not its parent "Nordic Steel"
    url = reverse(url_name, kwargs={"pk": subsidiary.pk} if url_name == "accounts:detail" else {})
    page = client.get(url).content.decode()
    assert "Nordic Steel Logistics" in page
    assert not re.search(r"Nordic Steel(?! Logistics)", page)


def test_an_administrator_who_is_not_a_superuser_can_use_the_admin_site(client, account):
    administrator = UserFactory(username="second-admin", role=User.Role.ADMIN)
    client.force_login(administrator)
    assert client.get(reverse("admin:accounts_account_changelist")).status_code == 200
