"""The segmentation pages: what each role sees, the exports, policy edits, starting runs, query counts."""

from __future__ import annotations

import datetime as dt
import time
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Account
from analysis.forms import RunStartForm
from analysis.models import AnalysisPolicy, AnalysisRun
from analysis.services import run_create, run_execute
from sales.ledger_generator import generate_lines
from sales.services import sales_lines_bulk_import
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
END = dt.date(2025, 12, 31)
BEFORE = dt.date(2025, 6, 30)


@pytest.fixture
def portfolio(kam, outsider, department, admin_user):
    """`build(n)`: n accounts with 18 months of sales, even ones owned by the KAM, odd ones by a
    colleague; the head of the department sees them all."""
    built: list = []

    def build(n: int) -> list:
        accounts = [
            AccountFactory(owner=kam if (len(built) + i) % 2 == 0 else outsider, department=department)
            for i in range(n)
        ]
        built.extend(accounts)
        ids = [a.external_id for a in accounts]
        lines = generate_lines(lines=n * 40, accounts=n, months=18, seed=len(built), end=END, account_ids=ids)
        payload = [{k: "" if v is None else str(v) for k, v in line.items()} for line in lines]
        batch = sales_lines_bulk_import(by=admin_user, lines=payload, options={"create_accounts": False})
        assert batch.status == "done", batch.errors
        return accounts

    return build


def execute(as_of: dt.date = END) -> AnalysisRun:
    return run_execute(run=run_create(by=None, as_of=as_of, trigger=AnalysisRun.Trigger.COMMAND))


@pytest.fixture
def runs(portfolio):
    portfolio(12)
    return execute(BEFORE), execute(END)


PAGES = {
    "dashboard": lambda runs: reverse("analysis:dashboard"),
    "segments": lambda runs: reverse("analysis:segments") + f"?run={runs[1].pk}&abc_class=A&ordering=-value",
    "migration": lambda runs: reverse("analysis:migration") + f"?before={runs[0].pk}&after={runs[1].pk}",
    "runs": lambda runs: reverse("analysis:runs"),
    "policy": lambda runs: reverse("analysis:policy"),
    "account tab": lambda runs: reverse("analysis:account-tab", args=[runs[1].segments.first().account_id]),
}


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_each_page_renders_for_a_head(client, head, runs, page):
    client.force_login(head)
    response = client.get(page(runs))
    assert response.status_code == 200
    assert b"Segmentation" in response.content  # the navbar link


def test_the_dashboard_shows_an_empty_state_before_the_first_run(client, head):
    client.force_login(head)
    response = client.get(reverse("analysis:dashboard"))
    assert response.status_code == 200
    assert b"No complete segmentation run yet" in response.content


def test_matrix_cells_link_to_their_segment_list(client, head, runs):
    client.force_login(head)
    page = client.get(reverse("analysis:dashboard")).content.decode()
    assert f"/analysis/segments/?run={runs[1].pk}&abc_class=A&xyz_class=X" in page


def test_the_cv_histogram_counts_the_accounts_the_matrix_classes_by_cv(client, head, department, admin_user):
    """A new account's CV over its first two months (0 here) is no class: its bar would stand beside
    the X accounts' while the matrix puts it under "new"."""
    months = {"STEADY": range(1, 13), "NEWCOMER": (11, 12)}
    lines = [
        {"line_external_id": f"{account}-{m}", "account_external_id": account,
         "date": f"2025-{m:02d}-05", "amount": "100.00"}
        for account, numbers in months.items() for m in numbers
    ]  # fmt: skip
    assert sales_lines_bulk_import(by=admin_user, lines=lines).status == "done"
    Account.objects.update(department=department)
    run = execute()
    assert dict(run.segments.values_list("account__external_id", "xyz_class")) == {
        "STEADY": "X",
        "NEWCOMER": "new",
    }
    assert run.segments.get(xyz_class="new").cv == 0.0  # the engine's figure stays in the segment
    client.force_login(head)
    histogram = client.get(reverse("analysis:dashboard")).context["histogram"]
    assert (sum(histogram["counts"]), histogram["counts"][0], histogram["undefined"]) == (1, 1, 1)


def matrix_counts(client, run: AnalysisRun) -> dict[tuple[str, str], int]:
    rows = client.get(reverse("analysis:dashboard"), {"run": run.pk}).context["matrix"]["rows"]
    return {(r["abc_class"], c["xyz_class"]): c["count"] for r in rows for c in r["cells"]}


def test_a_kams_dashboard_counts_only_their_accounts(client, kam, head, runs):
    run = runs[1]
    client.force_login(kam)
    counts = matrix_counts(client, run)
    own = run.segments.filter(account__owner=kam)
    assert sum(counts.values()) == own.count() == 6 < run.account_count
    for (abc, xyz), n in counts.items():
        listed = client.get(reverse("analysis:segments"), {"run": run.pk, "abc_class": abc, "xyz_class": xyz})
        assert listed.context["page"].paginator.count == n == own.filter(abc_class=abc, xyz_class=xyz).count()
    client.force_login(head)
    assert sum(matrix_counts(client, run).values()) == run.account_count


def test_a_foreign_accounts_analysis_tab_is_not_found(client, kam, runs):
    foreign = runs[1].segments.exclude(account__owner=kam).first().account
    client.force_login(kam)
    assert client.get(reverse("analysis:account-tab", args=[foreign.pk])).status_code == 404


def test_the_class_history_shows_one_run_per_as_of_date_the_latest(client, kam, runs, monkeypatch):
    again = execute(END)  # the ledger changed overnight: a second complete run as of the same date
    segment = again.segments.filter(account__owner=kam).first()
    client.force_login(kam)
    history = client.get(reverse("analysis:account-tab", args=[segment.account_id])).context["history"]
    assert [s.run for s in history] == [again, runs[0]]
    monkeypatch.setattr("analysis.selectors.HISTORY_AS_OF_DATES", 1)
    history = client.get(reverse("analysis:account-tab", args=[segment.account_id])).context["history"]
    assert [s.run for s in history] == [again]


def test_the_analysis_tab_shows_the_latest_figures_and_the_monthly_series(client, kam, runs):
    segment = runs[1].segments.filter(account__owner=kam).select_related("account").first()
    client.force_login(kam)
    response = client.get(reverse("analysis:account-tab", args=[segment.account_id]))
    assert response.context["latest"] == segment
    assert [s.run for s in response.context["history"]] == [runs[1], runs[0]]
    series = response.context["series"]
    assert series["labels"][0] == "2025-01" and series["labels"][-1] == "2025-12"
    assert sum(series["values"]) == pytest.approx(float(segment.value))


def xlsx_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    book = load_workbook(BytesIO(response.content))
    return [tuple(row) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)]


def test_exports_open_in_openpyxl_and_hold_only_the_visible_rows(client, kam, runs):
    before, after = runs
    client.force_login(kam)
    own = list(after.segments.filter(account__owner=kam).values_list("account__name", flat=True))

    segments = xlsx_rows(client.get(reverse("analysis:segments"), {"run": after.pk, "format": "xlsx"}))
    assert segments[0][:3] == ("Rank", "External id", "Account")
    assert sorted(row[2] for row in segments[1:]) == sorted(own)

    url = reverse("analysis:migration")
    migration = xlsx_rows(client.get(url, {"before": before.pk, "after": after.pk, "format": "xlsx"}))
    assert ("Class before \\ after", "A", "B", "C", "—") in migration

    history = xlsx_rows(client.get(reverse("analysis:runs"), {"format": "xlsx"}))
    assert {row[0] for row in history[1:]} == {before.pk, after.pk}
    assert {row[9] for row in history[1:]} == {len(own)}  # accounts the KAM sees
    assert "cv" not in " ".join(str(row[11]) for row in history[1:]).split()  # the policy in words


def dashboard_book(client, run):
    response = client.get(reverse("analysis:dashboard"), {"run": run.pk, "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def test_the_dashboard_workbook_has_a_sheet_per_table_with_human_headers(client, kam, runs):
    after = runs[1]
    client.force_login(kam)
    book = dashboard_book(client, after)
    assert list(book) == ["ABC-XYZ matrix", "Segments", "Pareto curve", "Concentration", "Migration",
                          "Fell a class", "Rose a class"]  # fmt: skip
    headers = [str(cell) for rows in book.values() for cell in rows[0]]
    assert not [h for h in headers if "_" in h]  # no abc_class, account_id, cum_share
    assert book["ABC-XYZ matrix"][0] == ("ABC class", "XYZ class", "Accounts", "Value", "Share of value")
    assert book["Fell a class"][0] == ("Account id", "Account", "Class before", "Class after", "Value now")


def test_the_dashboard_workbook_covers_only_the_accounts_the_user_sees(client, kam, runs):
    after = runs[1]
    own = set(after.segments.filter(account__owner=kam).values_list("account_id", flat=True))
    names = set(after.segments.filter(account__owner=kam).values_list("account__name", flat=True))
    client.force_login(kam)
    book = dashboard_book(client, after)
    assert sum(row[2] for row in book["ABC-XYZ matrix"][1:]) == len(own) == 6
    assert {row[2] for row in book["Segments"][1:]} == names
    assert dict(book["Concentration"][1:])["Accounts"] == len(own)
    assert sum(sum(row[1:]) for row in book["Migration"][1:]) <= len(own) * 2
    moved = [row[0] for sheet in ("Fell a class", "Rose a class") for row in book[sheet][1:]]
    assert set(moved) <= own
    assert book["Pareto curve"][-1] == (1.0, 1.0)


def test_the_dashboard_workbook_neutralises_formula_like_names(client, kam, runs):
    after = runs[1]
    evil = "=1+2"
    after.segments.filter(account__owner=kam).first().account.__class__.objects.filter(
        pk=after.segments.filter(account__owner=kam).first().account_id
    ).update(name=evil)
    client.force_login(kam)
    response = client.get(reverse("analysis:dashboard"), {"run": after.pk, "format": "xlsx"})
    book = load_workbook(BytesIO(response.content))
    assert "'" + evil in [row[2] for row in book["Segments"].iter_rows(min_row=2, values_only=True)]
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert all(cell.data_type != "f" for cell in cells)


def test_the_first_runs_workbook_says_there_is_no_migration_yet(client, head, runs):
    client.force_login(head)
    book = dashboard_book(client, runs[0])
    assert book["Migration"][1] == ("No earlier complete run to compare with.",)


def test_the_migration_page_lists_the_accounts_that_rose_and_fell(client, head, runs):
    before, after = runs
    riser, faller = after.segments.order_by("rank")[:2]
    before.segments.filter(account=riser.account_id).update(abc_class="C")
    after.segments.filter(pk=riser.pk).update(abc_class="A")
    before.segments.filter(account=faller.account_id).update(abc_class="A")
    after.segments.filter(pk=faller.pk).update(abc_class="C")
    was = dict(before.segments.values_list("account_id", "abc_class"))
    now = dict(after.segments.values_list("account_id", "abc_class"))
    rose = {a for a, c in now.items() if a in was and c < was[a]}
    fell = {a for a, c in now.items() if a in was and c > was[a]}
    client.force_login(head)
    response = client.get(reverse("analysis:migration"), {"before": before.pk, "after": after.pk})
    result = response.context["result"]
    assert {r["account_id"] for r in result["rose"]} == rose
    assert {f["account_id"] for f in result["fell"]} == fell
    assert riser.account_id in rose and faller.account_id in fell
    assert all(r["to"] < r["from"] for r in result["rose"])
    page = response.content.decode()
    assert "Rose a class" in page and "Fell a class" in page
    for account_id in rose:
        assert reverse("analysis:account-tab", args=[account_id]) in page


def test_a_kam_cannot_change_the_policy(client, kam):
    client.force_login(kam)
    response = client.post(reverse("analysis:policy"), {"window_months": 6})
    assert response.status_code == 403
    assert not AnalysisPolicy.objects.filter(window_months=6).exists()


POLICY = {"basis": "revenue", "window_months": 6, "abc_a": "0.70", "abc_b": "0.90", "xyz_method": "cv",
          "xyz_x": "0.15", "xyz_y": "0.30", "min_months": 3, "key_accounts": "both",
          "lost_interval_multiplier": "3", "lost_min_days": 90, "at_risk_interval_multiplier": "1.5",
          "at_risk_min_days": 45, "single_lost_days": 180, "single_at_risk_days": 45,
          "churn_horizon_months": 6}  # fmt: skip


def test_a_head_saves_a_new_policy_version(client, head):
    client.force_login(head)
    response = client.post(reverse("analysis:policy"), POLICY)
    assert response.status_code == 302
    current = AnalysisPolicy.objects.first()
    assert (current.window_months, str(current.abc_a), current.created_by) == (6, "0.7000", head)
    assert AnalysisPolicy.objects.count() == 2  # the defaults stay as the previous version


def test_churn_thresholds_are_saved_and_checked(client, head):
    client.force_login(head)
    response = client.post(
        reverse("analysis:policy"), {**POLICY, "lost_min_days": 120, "churn_horizon_months": 3}
    )
    assert response.status_code == 302
    current = AnalysisPolicy.objects.first()
    assert (current.lost_min_days, current.churn_horizon_months) == (120, 3)
    response = client.post(reverse("analysis:policy"), {**POLICY, "at_risk_interval_multiplier": "4"})
    assert response.status_code == 200
    assert "interval multipliers need 0 &lt; at risk &lt;= lost" in response.content.decode()


def test_the_services_objection_is_shown_next_to_the_form(client, head):
    client.force_login(head)
    response = client.post(reverse("analysis:policy"), {**POLICY, "abc_a": "0.95", "abc_b": "0.80"})
    assert response.status_code == 200
    assert "ABC thresholds need 0 &lt; A &lt; B &lt;= 1" in response.content.decode()
    assert not AnalysisPolicy.objects.filter(abc_a="0.95").exists()


@pytest.mark.django_db(transaction=True)
def test_a_head_starts_a_run_that_a_worker_completes(client, head, portfolio, celery_worker):
    portfolio(4)
    client.force_login(head)
    response = client.post(reverse("analysis:runs"), {"as_of": "2025-11-30"})
    assert response.status_code == 302
    run = AnalysisRun.objects.get()
    deadline = time.monotonic() + 30
    while AnalysisRun.objects.get(pk=run.pk).status != AnalysisRun.Status.COMPLETE:
        assert time.monotonic() < deadline, AnalysisRun.objects.get(pk=run.pk).error
        time.sleep(0.1)
    run.refresh_from_db()
    assert (run.as_of, run.account_count, run.created_by) == (dt.date(2025, 11, 30), 4, head)


# 1. the session  2. the logged-in user  3. the latest complete run (policy, created_by joined)
# 4. the visible segment rows, read once for the matrix, Pareto, CV histogram and concentration
# 5. the flagged key clients among them  6. the run picker's runs
# session, user, the latest run, its visible segments (one read for every chart), the run list, the
# bell count is loaded after the page. The key accounts come with the segments (stored by the run).
DASHBOARD_QUERIES = 5


def test_the_dashboard_costs_the_same_queries_for_5_and_40_accounts(
    client, head, portfolio, django_assert_num_queries
):
    client.force_login(head)
    for n in (5, 35):  # 5 accounts, then 40
        portfolio(n)
        run = execute()
        with django_assert_num_queries(DASHBOARD_QUERIES):
            response = client.get(reverse("analysis:dashboard"))
        assert response.context["matrix"]["accounts"] == run.account_count


def test_the_run_form_says_which_month_an_empty_date_covers_and_why_not_this_one():
    text = RunStartForm(today=dt.date(2026, 3, 14)).fields["as_of"].help_text
    assert "2026-03-31" not in text and "2026-02-28" in text
    assert "February 2026" in text  # the month the run covers
    assert "March 2026" in text and "not over" in text  # why this month's sales wait


def test_the_runs_page_shows_the_run_form_text_and_hides_hashes_in_technical_details(client, head, runs):
    client.force_login(head)
    page = client.get(reverse("analysis:runs")).content.decode()
    assert "the month is not over" in page
    details = page.index("<details")
    assert runs[1].result_hash and page.index(runs[1].result_hash) > details
    assert "key abc_a" not in page and "Key-client type or strategic" in page
