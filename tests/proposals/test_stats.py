"""Proposal statistics: hand-made proposals with known outcomes give exact rates, discounts and
medians; every figure covers only what the user sees; the cost is a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import User
from accounts.visibility import cached_subtree_ids as keep_visible_ids
from analysis.models import AccountSegment, AnalysisRun
from proposals import services
from proposals.models import Proposal
from proposals.stats import ProposalStats, StatsRow, proposal_stats, stats_filter
from sales.models import ProductLine
from tests.factories import AccountFactory, UserFactory
from tests.proposals.conftest import add_line

S = Proposal.Status
SENT = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))  # every proposal here went out that morning


def at(days: int) -> dt.datetime:
    return SENT + dt.timedelta(days=days)


def build(account, author, *lines, status: str, decided: int | None = None) -> Proposal:
    """A proposal with `lines` (quantity, unit price, discount, product line) moved to `status`
    through the workflow, sent on SENT and decided `decided` days later."""
    proposal = services.proposal_create(account=account, by=author, title=f"{status} offer")
    for quantity, unit_price, discount, line in lines:
        add_line(proposal, quantity=quantity, unit_price=unit_price, discount=discount, product_line=line)
    if status == S.WITHDRAWN:
        services.proposal_transition(proposal=proposal, to=S.WITHDRAWN, by=author)
    elif status != S.DRAFT:
        services.proposal_transition(proposal=proposal, to=S.SENT, by=author)
    if status == S.EXPIRED:
        Proposal.objects.filter(pk=proposal.pk).update(
            valid_until=timezone.localdate() - dt.timedelta(days=1)
        )
        services.proposal_transition(proposal=proposal, to=S.EXPIRED, by=None)
    elif status in (S.WON, S.LOST):
        reason = "references" if status == S.WON else "price"
        services.proposal_transition(proposal=proposal, to=status, by=author, reason=reason)
    if status != S.DRAFT:
        sent_at = SENT if status != S.WITHDRAWN else None
        Proposal.objects.filter(pk=proposal.pk).update(
            sent_at=sent_at, decided_at=at(decided) if decided is not None else None
        )
    return proposal


@pytest.fixture
def lines(db):
    return {
        "equipment": ProductLine.objects.create(code="equipment", name="Equipment"),
        "services": ProductLine.objects.create(code="services", name="Services"),
    }


@pytest.fixture
def book(account, foreign_account, kam, teammate, outsider, lines):
    """Nine proposals. On `account` (which the KAM owns and the teammate works on):
    won 12,000 → 11,000 in 10 days; lost 5,000 → 4,750 in 4 days; the teammate's won 3,000 in 7 days;
    one expired, one withdrawn, one out with the client (2,000) and a draft (300).
    On `foreign_account` (the outsider's): won 1,000 in 20 days; lost 1,000 → 900 in 30 days."""
    eq, sv = lines["equipment"], lines["services"]
    return {
        "won": build(
            account, kam, ("10", "1000", "10", eq), ("1", "2000", "0", sv), status=S.WON, decided=10
        ),
        "lost": build(account, kam, ("5", "1000", "5", eq), status=S.LOST, decided=4),
        "team_won": build(account, teammate, ("3", "1000", "0", sv), status=S.WON, decided=7),
        "expired": build(account, kam, ("1", "500", "0", eq), status=S.EXPIRED, decided=40),
        "withdrawn": build(account, kam, ("1", "100", "0", sv), status=S.WITHDRAWN, decided=1),
        "open": build(account, kam, ("2", "1000", "0", eq), status=S.SENT),
        "draft": build(account, kam, ("1", "300", "0", sv), status=S.DRAFT),
        "foreign_won": build(foreign_account, outsider, ("1", "1000", "0", eq), status=S.WON, decided=20),
        "foreign_lost": build(foreign_account, outsider, ("2", "500", "10", sv), status=S.LOST, decided=30),
    }


def figures(row: StatsRow) -> tuple:
    return (row.proposals, row.won, row.lost, row.win_rate, row.average_discount, row.days_to_decision)


def counts(row: StatsRow) -> tuple:
    return (row.expired, row.withdrawn, row.open, row.won_value, row.open_value)


def by_key(rows: list[StatsRow]) -> dict[str, StatsRow]:
    return {row.key: row for row in rows}


D = Decimal


def test_the_head_sees_every_proposal_of_the_department(book, head):
    total = proposal_stats(user=head).total
    # 3 of 5 won; 1,350 discount on 22,000; days 4, 7, 10, 20, 30.
    assert figures(total) == (5, 3, 2, D("60.0"), D("6.14"), D("10"))
    assert counts(total) == (1, 1, 2, D("15000.00"), D("2300.00"))


def test_a_kams_figures_exclude_the_proposals_of_accounts_they_cannot_see(book, kam, outsider):
    total = proposal_stats(user=kam).total
    # 2 of 3 won; 1,250 discount on 20,000; days 4, 7, 10.
    assert figures(total) == (3, 2, 1, D("66.7"), D("6.25"), D("7"))
    assert counts(total) == (1, 1, 2, D("14000.00"), D("2300.00"))
    assert str(outsider.pk) not in by_key(proposal_stats(user=kam).by_kam)
    assert figures(proposal_stats(user=outsider).total) == (2, 1, 1, D("50.0"), D("5.00"), D("25"))


def test_an_analyst_and_an_admin_see_everything_and_a_stranger_nothing(book, analyst, admin_user):
    assert proposal_stats(user=analyst).total == proposal_stats(user=admin_user).total
    assert proposal_stats(user=analyst).total.proposals == 5
    stranger = UserFactory(username="stranger", role=User.Role.KAM)
    empty = proposal_stats(user=stranger)
    assert figures(empty.total) == (0, 0, 0, None, None, None)
    assert (empty.by_kam, empty.by_abc_class, empty.by_product_line) == ([], [], [])


def test_per_kam_the_author_counts(book, kam, teammate, outsider, head):
    rows = by_key(proposal_stats(user=head).by_kam)
    assert list(rows) == [str(u.pk) for u in sorted((kam, teammate, outsider), key=_label)]
    # 1,250 discount on 17,000 = 7.35 %; the median of 4 and 10 days is 7.
    assert figures(rows[str(kam.pk)]) == (2, 1, 1, D("50.0"), D("7.35"), D("7"))
    assert counts(rows[str(kam.pk)]) == (1, 1, 2, D("11000.00"), D("2300.00"))
    assert figures(rows[str(teammate.pk)]) == (1, 1, 0, D("100.0"), D("0.00"), D("7"))
    assert figures(rows[str(outsider.pk)]) == (2, 1, 1, D("50.0"), D("5.00"), D("25"))
    assert rows[str(kam.pk)].label == kam.get_full_name()


def _label(user: User) -> str:
    return user.get_full_name().lower()


def run_with(classes: dict, *, as_of: dt.date, status: str = AnalysisRun.Status.COMPLETE) -> AnalysisRun:
    run = AnalysisRun.objects.create(as_of=as_of, status=status)
    for rank, (account, abc_class) in enumerate(classes.items(), start=1):
        AccountSegment.objects.create(
            run=run, account=account, rank=rank, abc_class=abc_class, xyz_class="X", value=D(1000),
            share=0.5, cum_share=0.5 * rank, months=12, monthly_mean=D(80), monthly_std=D(5),
            months_with_purchase=12, orders=12, purchase_dates=12, months_active=12,
        )  # fmt: skip
    return run


@pytest.fixture
def subsidiary_win(subsidiary, outsider, lines):
    """Won in 3 days on `account`'s subsidiary, which no run has classed, with a line of no product line."""
    return build(subsidiary, outsider, ("1", "100", "0", None), status=S.WON, decided=3)


def test_per_abc_class_the_latest_complete_run_counts(book, subsidiary_win, account, foreign_account, head):
    run_with({account: "C", foreign_account: "C"}, as_of=dt.date(2026, 1, 31))
    run_with({account: "A", foreign_account: "B"}, as_of=dt.date(2026, 2, 28))
    run_with({account: "B"}, as_of=dt.date(2026, 3, 31), status=AnalysisRun.Status.RUNNING)
    rows = by_key(proposal_stats(user=head).by_abc_class)
    assert list(rows) == ["A", "B", "—"]
    assert figures(rows["A"]) == (3, 2, 1, D("66.7"), D("6.25"), D("7"))
    assert figures(rows["B"]) == (2, 1, 1, D("50.0"), D("5.00"), D("25"))
    assert figures(rows["—"]) == (1, 1, 0, D("100.0"), D("0.00"), D("3"))
    assert counts(rows["A"]) == (1, 1, 2, D("14000.00"), D("2300.00"))


def test_without_a_complete_run_every_account_is_unclassed(book, head):
    assert [(r.key, r.proposals) for r in proposal_stats(user=head).by_abc_class] == [("—", 5)]


def test_per_product_line_a_proposal_counts_under_each_of_its_lines(book, subsidiary_win, head):
    rows = by_key(proposal_stats(user=head).by_product_line)
    assert list(rows) == ["equipment", "services", "—"]
    # Equipment lines: won (10,000 → 9,000, 10 days), lost (5,000 → 4,750, 4 days), the outsider's
    # won (1,000, 20 days); 1,250 discount on 16,000 = 7.8125 %.
    assert figures(rows["equipment"]) == (3, 2, 1, D("66.7"), D("7.81"), D("10"))
    assert counts(rows["equipment"]) == (1, 0, 1, D("10000.00"), D("2000.00"))
    # Services lines: won (2,000, 10 days), the teammate's won (3,000, 7 days), the outsider's lost
    # (1,000 → 900, 30 days); 100 on 6,000 = 1.67 %.
    assert figures(rows["services"]) == (3, 2, 1, D("66.7"), D("1.67"), D("10"))
    assert counts(rows["services"]) == (0, 1, 1, D("5000.00"), D("300.00"))
    assert figures(rows["—"]) == (1, 1, 0, D("100.0"), D("0.00"), D("3"))
    assert rows["equipment"].label == "Equipment"


def test_line_values_are_rounded_to_the_cent_line_by_line(account, kam, head, lines):
    # 0.335 x 3.00 = 1.005 → 1.01 before discount on each line; net 0.90 (0.9045) each.
    build(account, kam, *[("0.335", "3.00", "10", lines["services"])] * 3, status=S.WON, decided=2)
    row = proposal_stats(user=head).by_product_line[0]
    total = proposal_stats(user=head).total
    assert (row.won_value, total.won_value) == (D("2.70"), D("2.70"))
    assert row.average_discount == total.average_discount == D("10.89")  # 0.33 on 3.03


def test_the_period_narrows_the_decided_proposals_and_keeps_the_pipeline(book, head):
    period = stats_filter(user=head, filters={"decided_from": "2026-03-08", "decided_until": "2026-03-31"})
    total = proposal_stats(user=head, proposals=period.rows).total
    # Decided 9 March (7 days), 12 March (10) and 22 March (20): all won.
    assert figures(total) == (3, 3, 0, D("100.0"), D("6.25"), D("10"))  # 1,000 on 16,000
    assert counts(total) == (0, 0, 2, D("15000.00"), D("2300.00"))


def test_the_period_cannot_widen_what_the_user_sees(book, kam):
    everything = Proposal.objects.all()
    assert proposal_stats(user=kam, proposals=everything).total.proposals == 3


def test_a_refused_period_counts_nothing(book, head):
    period = stats_filter(user=head, filters={"decided_from": "3 March"})
    assert "decided_from" in period.errors
    nothing = proposal_stats(user=head, proposals=Proposal.objects.none()).total
    assert proposal_stats(user=head, proposals=period.rows).total == nothing
    assert figures(nothing) == (0, 0, 0, None, None, None)


# --- the cost ---------------------------------------------------------------------------------------


@pytest.fixture
def many(account, foreign_account, kam, outsider, lines):
    def add(n: int) -> None:
        for i in range(n):
            target, author = (account, kam) if i % 2 else (foreign_account, outsider)
            line = lines["equipment"] if i % 3 else lines["services"]
            status = (S.WON, S.LOST, S.SENT, S.DRAFT)[i % 4]
            build(target, author, ("1", "100", "5", line), ("2", "50", "0", None), status=status, decided=i)
        AccountFactory(owner=kam)  # another visible account, without proposals

    return add


# 1. counts and sums per author (GROUP BY the author and their name)
# 2. counts and sums per ABC class (GROUP BY the latest complete run's class, a subquery)
# 3. author, class, sent and decided of the decided proposals: the medians
# 4. the lines of the proposals with their product line and their proposal's status and dates
QUERIES = 4


@pytest.mark.parametrize("role", ["kam", "head", "analyst"])
def test_the_query_count_does_not_grow_with_the_proposals(many, request, role, django_assert_num_queries):
    user = request.getfixturevalue(role)
    run_with({request.getfixturevalue("account"): "A"}, as_of=dt.date(2026, 2, 28))
    many(2)
    keep_visible_ids(user)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    with django_assert_num_queries(QUERIES):
        proposal_stats(user=user)
    many(12)
    keep_visible_ids(user)  # a new account: the ids are kept again
    with django_assert_num_queries(QUERIES):
        stats = proposal_stats(user=user)
    assert isinstance(stats, ProposalStats) and stats.total.proposals > 0


# --- the page and the API ----------------------------------------------------------------------------


def test_the_page_shows_three_tables_and_the_win_rate_bars(client, book, kam):
    client.force_login(kam)
    response = client.get("/proposals/stats/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('class="card mb-3 stats-table"') == 3
    assert 'data-width="66.7"' in page  # the total's bar (sized by static/js/kam.js)
    assert "Baltic Foods" not in page and response.context["stats"].total.proposals == 3


def test_the_page_filters_by_period_and_refuses_a_bad_date(client, book, head):
    client.force_login(head)
    response = client.get("/proposals/stats/", {"decided_from": "2026-03-08", "decided_until": "2026-03-31"})
    assert response.context["stats"].total.win_rate == D("100.0")
    refused = client.get("/proposals/stats/", {"decided_until": "soon"})
    assert refused.status_code == 400
    assert refused.context["stats"].total.proposals == 0


def test_the_api_answers_the_same_figures(client, book, kam, teammate):
    client.force_login(kam)
    body = client.get("/api/v1/proposals/stats/").json()
    assert body["total"] == {
        "key": "total", "label": "Total", "proposals": 3, "won": 2, "lost": 1, "win_rate": "66.7",
        "average_discount": "6.25", "days_to_decision": "7.0", "expired": 1, "withdrawn": 1, "open": 2,
        "won_value": "14000.00", "open_value": "2300.00",
    }  # fmt: skip
    assert [row["key"] for row in body["by_product_line"]] == ["equipment", "services"]
    assert {row["key"] for row in body["by_kam"]} == {str(kam.pk), str(teammate.pk)}
    assert body["by_abc_class"][0]["key"] == "—"


def test_the_api_refuses_a_bad_date(client, book, kam):
    client.force_login(kam)
    response = client.get("/api/v1/proposals/stats/", {"decided_from": "2026-13-01"})
    assert response.status_code == 400 and "decided_from" in response.json()
