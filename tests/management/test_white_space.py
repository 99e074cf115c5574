"""Cross-sell white space: the matrix and its opportunities, visibility, and a cell turned into work."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.formats import date_format

from dossiers.models import Task
from proposals.models import Proposal
from sales.models import ProductLine
from sales.white_space import white_space
from tests.factories import AccountFactory

from .white_space_data import build_group, months, sell

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def group(kam, outsider, department):
    return build_group(top_owner=outsider, s1_owner=kam, s2_owner=outsider, department=department)


def line(code: str) -> int:
    return ProductLine.objects.get(code=code).pk


def test_the_matrix_holds_each_members_revenue_per_line_over_the_twelve_complete_months(head, group):
    top, s1, s2 = group
    space = white_space(user=head, account=s2)
    assert [m.account for m in space.members] == [top, s1, s2]
    assert space.top == top
    assert [pl.code for pl in space.product_lines] == ["PIPES", "STEEL", "TOOLS"]
    cells = {
        m.account.name: {pl: m.cells.get(line(pl)) for pl in ("PIPES", "STEEL", "TOOLS")}
        for m in space.members
    }
    assert cells == {
        "Tundra Group": {"PIPES": D(500), "STEEL": D(2000), "TOOLS": None},
        "Tundra Finland": {"PIPES": None, "STEEL": D(300), "TOOLS": D(900)},
        "Tundra Sweden": {
            "PIPES": D(700),
            "STEEL": None,
            "TOOLS": D(100),
        },  # the 5000 before the window left out
    }
    assert [m.total for m in space.members] == [D(2500), D(1200), D(800)]
    assert space.line_totals == [D(1200), D(2300), D(1000)]
    assert space.total == D(4500)


def test_each_gap_is_an_opportunity_sized_by_the_median_of_the_sisters_that_buy_the_line(head, group):
    top, s1, s2 = group
    found = {
        (o.account, o.product_line.code): (o.prize, o.buyers)
        for o in white_space(user=head, account=top).opportunities
    }
    assert found == {
        (top, "TOOLS"): (D("500.00"), 2),
        (s1, "PIPES"): (D("600.00"), 2),
        (s2, "STEEL"): (D("1150.00"), 2),
    }


def test_a_member_that_buys_nothing_is_offered_no_line(head, group, department):
    top, _s1, _s2 = group
    idle = AccountFactory(name="Tundra Idle", parent=top, department=department)
    space = white_space(user=head, account=top)
    assert all(o.account != idle for o in space.opportunities)


def test_a_kam_sees_only_the_members_they_may_see_and_no_figure_of_the_others(
    kam, outsider, group, department
):
    _top, s1, _s2 = group
    branch = AccountFactory(name="Tundra Finland Branch", parent=s1, owner=outsider, department=department)
    last, _before, _outside = months()
    sell((branch, last, 50, "PIPES"))
    space = white_space(user=kam, account=s1)
    assert [m.account for m in space.members] == [s1, branch]
    assert space.top is None
    assert space.total == D(1250)
    # S1's gap in PIPES is sized by its visible sister alone (50), not by the top's 500 or Sweden's 700.
    assert [(o.account, o.product_line.code, o.prize) for o in space.opportunities] == [
        (branch, "TOOLS", D("900.00")),
        (branch, "STEEL", D("300.00")),
        (s1, "PIPES", D("50.00")),
    ]


def test_the_page_opens_from_any_member_and_shows_the_whole_group_and_its_months(client, head, group):
    _top, _s1, s2 = group
    client.force_login(head)
    response = client.get(reverse("management:white-space", args=[s2.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tundra Group group" in body and "Tundra Finland" in body
    space = response.context["space"]
    first, last = (date_format(month, "YEAR_MONTH_FORMAT") for month in (space.first_month, space.last_month))
    assert first in body and last in body
    assert body.count('class="text-end table-warning opportunity"') == 3
    assert "median" in body


def test_a_foreign_kam_gets_404_for_the_page_and_the_api(client, group, other_head):
    client.force_login(other_head)
    assert client.get(reverse("management:white-space", args=[group[0].pk])).status_code == 404
    assert client.get(f"/api/v1/accounts/{group[0].pk}/white-space/").status_code == 404


def test_a_cell_becomes_a_task_for_the_members_owner(client, head, kam, group):
    _top, s1, _s2 = group
    client.force_login(head)
    response = client.post(
        reverse("management:white-space-task", args=[s1.pk]), {"product_line": line("PIPES")}
    )
    assert response.status_code == 302
    task = Task.objects.get(account=s1)
    assert task.owner == kam and task.created_by == head
    assert "PIPES" in task.title and "600.00" in task.title
    client.force_login(kam)
    assert "PIPES" in client.get(reverse("dossiers:tasks")).content.decode()


def test_a_cell_that_is_no_opportunity_creates_nothing(client, head, group):
    _top, s1, _s2 = group
    client.force_login(head)
    response = client.post(
        reverse("management:white-space-task", args=[s1.pk]), {"product_line": line("STEEL")}
    )
    assert response.status_code == 404
    assert not Task.objects.exists()


def test_a_cell_becomes_a_draft_proposal_with_a_line_of_the_product_line(client, kam, group):
    _top, s1, _s2 = group
    # As S1's KAM, who sees S1 only, PIPES is no opportunity: no sister in sight buys it.
    client.force_login(kam)
    assert (
        client.post(
            reverse("management:white-space-proposal", args=[s1.pk]), {"product_line": line("PIPES")}
        ).status_code
        == 404
    )


def test_a_head_turns_a_cell_into_a_draft_proposal(client, head, group):
    _top, s1, _s2 = group
    client.force_login(head)
    response = client.post(
        reverse("management:white-space-proposal", args=[s1.pk]), {"product_line": line("PIPES")}
    )
    proposal = Proposal.objects.get(account=s1)
    assert response.status_code == 302 and response["Location"] == reverse(
        "proposals:detail", args=[proposal.pk]
    )
    assert proposal.status == Proposal.Status.DRAFT
    assert [(pl.product_line.code, pl.quantity, pl.unit_price) for pl in proposal.lines.all()] == [
        ("PIPES", D(1), D(0))
    ]


def test_analysts_read_the_matrix_but_create_nothing(client, analyst, group):
    _top, s1, _s2 = group
    client.force_login(analyst)
    page = client.get(reverse("management:white-space", args=[s1.pk]))
    assert page.status_code == 200 and "white-space-task" not in page.content.decode()
    assert b"/white-space/task/" not in page.content
    response = client.post(
        reverse("management:white-space-task", args=[s1.pk]), {"product_line": line("PIPES")}
    )
    assert response.status_code == 403
    assert not Task.objects.exists()


def test_the_api_gives_the_same_figures(client, head, group):
    top, s1, _s2 = group
    client.force_login(head)
    data = client.get(f"/api/v1/accounts/{s1.pk}/white-space/").json()
    assert data["top"] == top.pk
    assert [m["total"] for m in data["members"]] == ["2500.00", "1200.00", "800.00"]
    assert data["total"] == "4500.00"
    finland = data["members"][1]
    assert finland["revenue"] == {str(line("STEEL")): "300.00", str(line("TOOLS")): "900.00"}
    assert finland["opportunities"] == [{"product_line": line("PIPES"), "prize": "600.00", "buyers": 2}]


def test_the_group_page_rolls_up_the_revenue_of_the_visible_members(client, head, kam, group):
    top, s1, _s2 = group
    client.force_login(head)
    body = client.get(reverse("accounts:hierarchy", args=[top.pk])).content.decode()
    assert '<strong class="group-revenue-total">4,500 ' in body
    client.force_login(kam)
    body = client.get(reverse("accounts:hierarchy", args=[s1.pk])).content.decode()
    assert '<strong class="group-revenue-total">1,200 ' in body and "4,500" not in body


# 1. the session  2. the user  3. the account (the page: with its header's figures)  4. the group's
# visible members  5. their revenue per product line  6. the product lines bought
PAGE_QUERIES = 6
API_QUERIES = 6


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_and_api_cost_the_same_queries_for_a_group_of_three_and_of_six(client, head, group, department):
    top, _s1, _s2 = group
    client.force_login(head)
    page, api = reverse("management:white-space", args=[top.pk]), f"/api/v1/accounts/{top.pk}/white-space/"
    small = (_queries(client, page), _queries(client, api))
    last, _before, _outside = months()
    for i in range(3):
        extra = AccountFactory(name=f"Tundra {i}", parent=top, department=department)
        sell((extra, last, 10 * (i + 1), f"LINE{i}"))
    assert small == (PAGE_QUERIES, API_QUERIES)
    assert (_queries(client, page), _queries(client, api)) == small
