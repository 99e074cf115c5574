"""One parsing path: every list page and its API endpoint take the same parameters through the same
FilterSet, refuse the same bad values (API: 400 `{parameter: [message]}`; page: 400 and the message,
still rendered), never answer 500, and never tell a missing id from one the user may not see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from common.numbers import whole_number
from dossiers.timeline import timeline_types
from retention import services as retention_services
from retention.models import Notification, WinBackCampaign
from tests.factories import ContactFactory, SurveyFactory
from tests.retention.helpers import buy, run_as_of

pytestmark = pytest.mark.django_db

# Superscript two, Arabic-Indic 12, full-width 12.5: str.isdigit(), int() or Decimal() take them all.
UNICODE_DIGITS = ["\u00b2", "\u0661\u0662", "\uff11\uff12\uff0e\uff15"]


@pytest.fixture
def ledger(account, foreign_account):
    """A complete run, so that the segment and churn lists have rows to filter."""
    today = timezone.localdate()
    buy(account, [today - dt.timedelta(days=400)])
    buy(foreign_account, [today - dt.timedelta(days=30)])
    return run_as_of(today)


def _timeline(account: Account) -> tuple[str, str]:
    return reverse("dossiers:timeline", args=[account.pk]), reverse("account-timeline", args=[account.pk])


def _contacts(account: Account) -> tuple[str, str]:
    return reverse("accounts:contacts", args=[account.pk]), "/api/v1/contacts/"


# name: (page url, API url) or a function of the account giving them; good parameters; a bad one.
RESOURCES = {
    "accounts": (("/accounts/", "/api/v1/accounts/"), {"status": "active", "ordering": "name"},
                 {"ordering": "x"}),
    "contacts": (_contacts, {"dmu_role": "decision_maker", "is_primary": "true"}, {"is_primary": "maybe"}),
    "import batches": (("/sales/imports/", "/api/v1/imports/"), {"status": "done"}, {"status": "bogus"}),
    "segments": (("/analysis/segments/", "/api/v1/segments/"), {"abc_class": "C", "ordering": "-value"},
                 {"xyz_class": "Q"}),
    "analysis runs": (("/analysis/runs/", "/api/v1/analysis-runs/"), {"status": "complete"},
                      {"trigger": "x"}),
    "competitors": (("/competitors/", "/api/v1/competitors/"), {"q": "steel"}, {"page": "²"}),
    "tenders": (("/tenders/", "/api/v1/tenders/"), {"mine": "true", "status": "planned"}, {"mine": "maybe"}),
    "churn list": (("/retention/", "/api/v1/retention/churn/"),
                   {"status": "lost", "dormant": "30", "abc_class": "C", "ordering": "days"},
                   {"dormant": "\u00b2"}),
    "win-back campaigns": (("/retention/campaigns/", "/api/v1/winback-campaigns/"), {"method": "gift"},
                           {"method": "bribe"}),
    "notifications": (("/notifications/", "/api/v1/notifications/"), {"unread": "true", "kind": "lost"},
                      {"unread": "perhaps"}),
    "surveys": (("/surveys/", "/api/v1/surveys/"), {"is_active": "false"}, {"is_active": "sometimes"}),
    "timeline": (_timeline, {"type": "call"}, {"type": "bogus"}),
    "proposal statistics": (("/proposals/stats/", "/api/v1/proposals/stats/"),
                            {"decided_from": "2026-01-01", "decided_until": "2026-06-30"},
                            {"decided_until": "soon"}),
}  # fmt: skip


def _urls(spec, account: Account) -> tuple[str, str]:
    return spec(account) if callable(spec) else spec


@pytest.mark.parametrize("name", RESOURCES)
def test_the_page_and_the_api_accept_the_same_parameters(client, head, account, ledger, name):
    spec, good, _bad = RESOURCES[name]
    page_url, api_url = _urls(spec, account)
    if name == "timeline":
        assert "call" in dict(timeline_types())
    client.force_login(head)

    page = client.get(page_url, good)
    api = client.get(api_url, good)

    assert page.status_code == 200, page.content.decode()[:500]
    assert api.status_code == 200, api.content


# The pages whose filters the shared filter bar draws, and one parameter of each.
FILTER_BAR = {
    "/sales/imports/": "status",
    "/analysis/runs/": "status",
    "/retention/campaigns/": "method",
    "/notifications/": "unread",
    "/surveys/": "is_active",
    "/proposals/stats/": "decided_from",
}


@pytest.mark.parametrize(("url", "parameter"), FILTER_BAR.items())
def test_the_filter_bar_shows_the_filters_of_the_page(client, head, url, parameter):
    client.force_login(head)
    assert f'name="{parameter}"' in client.get(url).content.decode()


@pytest.mark.parametrize("name", RESOURCES)
def test_the_page_and_the_api_refuse_the_same_bad_value(client, head, account, ledger, name):
    spec, _good, bad = RESOURCES[name]
    page_url, api_url = _urls(spec, account)
    (parameter,) = bad
    client.force_login(head)

    page = client.get(page_url, bad)
    api = client.get(api_url, bad)

    assert api.status_code == 400 and list(api.json()) == [parameter]
    if parameter == "page":  # a page that is not a number: the first page, with the reason
        assert page.status_code == 200 and f"{parameter}: " in page.content.decode()
    else:
        assert page.status_code == 400 and f"{parameter}: " in page.content.decode()


def test_the_churn_list_takes_the_same_names_on_the_page_and_in_the_api(client, kam, account, ledger):
    client.force_login(kam)
    query = {"status": "lost", "abc_class": "C", "ordering": "name", "owner": kam.pk}

    page = client.get(reverse("retention:churn-list"), query)
    api = client.get(reverse("churn-list"), query).json()

    assert (
        [s.account_id for s in page.context["page"]] == [r["account"] for r in api["results"]] == [account.pk]
    )
    assert page.context["abc_class"] == "C" and page.context["sort"] == "name"


# --- unicode digits -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", UNICODE_DIGITS)
@pytest.mark.parametrize(
    ("url", "parameter"),
    [
        ("/api/v1/retention/churn/", "dormant"),
        ("/api/v1/retention/churn/", "owner"),
        ("/api/v1/accounts/", "owner"),
        ("/api/v1/accounts/", "parent"),
        ("/api/v1/contacts/", "account"),
        ("/api/v1/sales-lines/", "account"),
        ("/api/v1/sales-lines/", "batch"),
        ("/api/v1/account-plans/", "year"),
        ("/api/v1/tasks/", "done"),
        ("/api/v1/accounts/", "page"),
        ("/api/v1/accounts/", "page_size"),
        ("/api/v1/accounts/1/timeline/", "limit"),
    ],
)
def test_unicode_digits_in_an_integer_parameter_are_a_clear_400(client, kam, account, url, parameter, value):
    client.force_login(kam)
    response = client.get(url.replace("/1/", f"/{account.pk}/"), {parameter: value})
    assert response.status_code == 400 and list(response.json()) == [parameter]


@pytest.mark.parametrize("value", UNICODE_DIGITS)
@pytest.mark.parametrize(
    ("url", "parameter"),
    [("/retention/", "dormant"), ("/retention/", "owner"), ("/accounts/", "owner"), ("/accounts/", "parent")],
)
def test_unicode_digits_on_a_page_are_a_message_not_a_500(client, kam, account, url, parameter, value):
    client.force_login(kam)
    response = client.get(url, {parameter: value})
    assert response.status_code == 400 and f"{parameter}: " in response.content.decode()


@pytest.mark.parametrize("value", UNICODE_DIGITS)
def test_unicode_digits_as_a_page_number_show_the_first_page_and_say_why(client, kam, account, value):
    client.force_login(kam)
    for url in ("/accounts/", reverse("dossiers:timeline", args=[account.pk])):
        response = client.get(url, {"page": value})
        assert response.status_code in (200, 400) and "page: " in response.content.decode()


@pytest.mark.parametrize("value", UNICODE_DIGITS)
def test_unicode_digits_name_no_analysis_run(client, kam, ledger, value):
    client.force_login(kam)
    assert client.get("/api/v1/segments/", {"run": value}).status_code == 404
    assert client.get(reverse("analysis:segments"), {"run": value}).status_code == 404
    with pytest.raises(CommandError, match="run id"):
        call_command("export_segments", run=value)


def test_whole_numbers_are_ascii_digits_only():
    assert [whole_number(v) for v in ("12", "7", "0")] == [12, 7, 0]
    assert [whole_number(v) for v in (*UNICODE_DIGITS, "-1", "1.0", "", "1e3", "12" * 10)] == [None] * 8


@pytest.mark.parametrize("value", UNICODE_DIGITS)
def test_picked_ids_in_unicode_digits_are_refused_with_a_message(client, kam, account, value):
    Notification.objects.create(user=kam, kind="lost", title="Lost")
    client.force_login(kam)

    read = client.post(reverse("retention:notifications-read"), {"id": value}, follow=True)
    start = client.get(
        reverse("retention:campaign-create"), {"account": [str(account.pk), value]}, follow=True
    )

    assert "id: a whole number" in read.content.decode()
    assert Notification.objects.filter(user=kam, read_at__isnull=True).count() == 1  # nothing half-done
    assert start.redirect_chain[-1][0] == reverse("retention:churn-list")
    assert "id: a whole number" in start.content.decode()


def test_an_expiry_in_unicode_digits_is_refused(client, kam):
    client.force_login(kam)
    response = client.post(reverse("tokens"), {"expiry_days": "²"})
    assert response.status_code == 200
    assert "Expiry must be a whole number from 1 to" in response.content.decode()


# --- the existence oracle -------------------------------------------------------------------------


@pytest.fixture
def foreign(foreign_account, outsider):
    """Ids of rows the KAM may not see, and an id that does not exist."""
    campaign = retention_services.campaign_create(
        by=outsider,
        name="Theirs",
        goal="Win back",
        method=WinBackCampaign.Method.GIFT,
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 3, 1),
        accounts=[foreign_account],
    )
    survey = SurveyFactory()
    missing = 10**9
    return {
        "account": foreign_account.pk,
        "parent": foreign_account.pk,
        "contact": ContactFactory(account=foreign_account).pk,
        "campaign": campaign.pk,
        "survey": survey.pk,
        "missing": missing,
    }


ORACLE = [
    ("/api/v1/accounts/", "parent"),
    ("/api/v1/contacts/", "account"),
    ("/api/v1/sales-lines/", "account"),
    ("/api/v1/interactions/", "account"),
    ("/api/v1/tasks/", "account"),
    ("/api/v1/tenders/", "account"),
    ("/api/v1/competitor-presences/", "account"),
    ("/api/v1/account-plans/", "account"),
    ("/api/v1/refusals/", "account"),
    ("/api/v1/loss-records/", "account"),
    ("/api/v1/campaign-targets/", "account"),
    ("/api/v1/campaign-targets/", "campaign"),
    ("/api/v1/survey-invitations/", "account"),
    ("/api/v1/survey-invitations/", "contact"),
]


@pytest.mark.parametrize(("url", "parameter"), ORACLE)
def test_a_foreign_id_and_a_missing_id_get_the_same_answer(client, kam, account, foreign, url, parameter):
    client.force_login(kam)

    invisible = client.get(url, {parameter: foreign[parameter]})
    missing = client.get(url, {parameter: foreign["missing"]})
    own = client.get(url, {parameter: account.pk}) if parameter in ("account", "parent") else None

    assert invisible.status_code == missing.status_code == 400
    assert invisible.json() == missing.json() == {parameter: [invisible.json()[parameter][0]]}
    assert "Select a valid choice" in invisible.json()[parameter][0]
    assert own is None or own.status_code == 200


def test_the_account_list_page_answers_a_foreign_and_a_missing_parent_alike(client, kam, foreign):
    client.force_login(kam)

    invisible = client.get("/accounts/", {"parent": foreign["parent"]})
    missing = client.get("/accounts/", {"parent": foreign["missing"]})

    assert invisible.status_code == missing.status_code == 400
    assert [str(m) for m in invisible.context["messages"]] == [str(m) for m in missing.context["messages"]]
