"""The plan file import (all or nothing, idempotent), the plan pages and the plans API."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from sales.models import ProductLine, SalesPlan
from sales.periods import parse
from sales.plan_import import plans_import
from sales.plan_services import plan_create

pytestmark = pytest.mark.django_db
GOOD = (
    "period,account_external_id,kam,department,product_line,amount\n"
    "2026,00017,,,,250000\n"
    "2026Q3,,owner,,,180000\n"
    "2026-07,,,key-accounts,COIL,9000.50\n"
)


def upload(content: str | bytes, name: str = "plans.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content.encode() if isinstance(content, str) else content)


def plans() -> list[tuple]:
    return sorted(
        SalesPlan.objects.values_list(
            "account_id",
            "kam_id",
            "department_id",
            "period_kind",
            "period_start",
            "product_line__code",
            "amount",
            "version",
        ),
        key=str,
    )


@pytest.fixture
def coil(db):
    return ProductLine.objects.create(code="COIL", name="Coil")


def test_a_plan_file_creates_a_plan_per_row(head, account, kam, coil):
    report = plans_import(by=head, upload=upload(GOOD))
    assert (report.refused, report.rows, report.created) == (False, 3, 3), report.errors
    assert SalesPlan.objects.get(account=account).amount == Decimal(250000)
    assert SalesPlan.objects.get(kam=kam).period == parse("2026Q3")
    assert SalesPlan.objects.get(department__code="key-accounts").product_line == coil


def test_the_same_file_twice_changes_nothing(head, account, kam, coil):
    plans_import(by=head, upload=upload(GOOD))
    before = plans()
    report = plans_import(by=head, upload=upload(GOOD))
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert plans() == before


def test_a_changed_amount_updates_the_plan_and_its_version(head, account, kam, coil):
    plans_import(by=head, upload=upload(GOOD))
    report = plans_import(by=head, upload=upload(GOOD.replace("250000", "260000")))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    plan = SalesPlan.objects.get(account=account)
    assert (plan.amount, plan.version) == (Decimal(260000), 2)


def test_one_bad_row_refuses_the_whole_file_and_names_row_column_value_and_reason(head, account, kam, coil):
    bad = GOOD + "2026Q5,00017,,,,1\n2026,,,retail,,1\n2026,00017,,,,-5\n2026,00017,owner,,,1\n"
    report = plans_import(by=head, upload=upload(bad))
    assert report.refused and not SalesPlan.objects.exists()
    found = {(e["row"], e["column"], e["value"]) for e in report.errors}
    assert {
        (5, "period", "2026Q5"),
        (6, "department", "retail"),
        (7, "amount", "-5"),
        (8, "kam", "00017 / owner"),
    } <= found
    assert all(e["reason"] for e in report.errors)


def test_the_same_plan_twice_in_a_file_is_refused(head, account):
    report = plans_import(
        by=head, upload=upload("period,account_external_id,amount\n2026,00017,1\n2026,00017,2\n")
    )
    assert report.refused and report.errors[0]["row"] == 3 and "row 2" in report.errors[0]["reason"]


def test_a_head_cannot_import_plans_for_another_departments_account(other_head, account):
    report = plans_import(by=other_head, upload=upload("period,account_external_id,amount\n2026,00017,1\n"))
    assert report.errors[0]["column"] == "account_external_id" and not SalesPlan.objects.exists()


def test_an_unknown_column_refuses_the_file_like_the_ledger_import(head):
    report = plans_import(by=head, upload=upload("period,client,amount\n2026,00017,1\n"))
    assert report.refused and "Unknown column 'client'" in report.errors[0]["reason"]


def test_a_semicolon_file_with_a_decimal_comma_in_cp1252(head, account):
    content = "period;account_external_id;amount;note\n2026;00017;1234,50;Année\n".encode("cp1252")
    report = plans_import(by=head, upload=upload(content), options={"encoding": "cp1252"})
    assert not report.refused, report.errors
    assert SalesPlan.objects.get().amount == Decimal("1234.50") and SalesPlan.objects.get().note == "Année"


def test_a_workbook_imports_like_a_csv(head, account, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["period", "account_external_id", "amount"])
    book.active.append(["2026Q1", "00017", 1500])
    book.save(tmp_path / "plans.xlsx")
    report = plans_import(by=head, upload=upload((tmp_path / "plans.xlsx").read_bytes(), "plans.xlsx"))
    assert not report.refused, report.errors
    assert SalesPlan.objects.get().amount == Decimal(1500)


# --- pages ---


def test_the_plan_list_filters_by_period_and_sorts(client, head, account, kam):
    plan_create(by=head, period=parse("2026"), amount=Decimal(5), account=account)
    plan_create(by=head, period=parse("2026Q3"), amount=Decimal(7), kam=kam)
    client.force_login(head)
    response = client.get(reverse("sales:plans"), {"period": "2026Q3", "ordering": "-amount"})
    assert [p.kam for p in response.context["page"]] == [kam]


def test_a_bad_period_in_the_filters_is_a_400_with_the_reason(client, head):
    client.force_login(head)
    response = client.get(reverse("sales:plans"), {"period": "Q3"})
    assert response.status_code == 400 and "is not a period" in response.content.decode()


def test_the_plan_form_shows_errors_next_to_the_fields(client, head, account, kam):
    client.force_login(head)
    response = client.post(reverse("sales:plan-create"), {"period": "2026Q9", "account": account.pk,
                                                          "kam": kam.pk, "amount": "-1"})  # fmt: skip
    form = response.context["form"]
    assert response.status_code == 400
    assert {"period", "account", "kam", "amount"} <= set(form.errors)


def test_a_stale_edit_from_the_page_is_refused_with_a_clear_message(client, head, account):
    plan = plan_create(by=head, period=parse("2026"), amount=Decimal(5), account=account)
    client.force_login(head)
    body = {"period": "2026", "account": account.pk, "amount": "6", "version": 1}
    assert client.post(reverse("sales:plan-edit", args=[plan.pk]), body).status_code == 302
    response = client.post(reverse("sales:plan-edit", args=[plan.pk]), {**body, "amount": "7"})
    assert "changed by someone else" in response.content.decode()
    assert SalesPlan.objects.get().amount == Decimal(6)


def test_the_upload_page_lists_every_problem_and_writes_nothing(client, head, account):
    client.force_login(head)
    response = client.post(
        reverse("sales:plan-import"), {"file": upload("period,account_external_id,amount\n2026,nope,x\n")}
    )
    page = response.content.decode()
    assert (
        response.status_code == 400 and "Nothing was imported" in page and "No account you plan for" in page
    )
    assert not SalesPlan.objects.exists()


def test_plan_vs_actual_defaults_to_the_current_quarter(client, head):
    client.force_login(head)
    response = client.get(reverse("management:plan-vs-actual"))
    assert response.status_code == 200 and response.context["period"].kind == "quarter"


def test_a_kam_is_not_offered_department_figures(client, kam):
    client.force_login(kam)
    response = client.get(reverse("management:plan-vs-actual"), {"level": "department"})
    assert response.status_code == 400 and response.context["level"] == "account"


# --- API ---


def test_the_api_creates_and_reads_a_plan(client, head, account):
    client.force_login(head)
    body = {"period": "2026Q3", "account": account.pk, "amount": "10"}
    response = client.post(reverse("sales-plan-list"), body, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["period"] == "2026Q3"
    listed = client.get(reverse("sales-plan-list"), {"period": "2026Q3"}).json()
    assert [p["amount"] for p in listed["results"]] == ["10.00"]


def test_a_stale_api_edit_answers_409(client, head, account):
    plan = plan_create(by=head, period=parse("2026"), amount=Decimal(5), account=account)
    client.force_login(head)
    url = reverse("sales-plan-detail", args=[plan.pk])
    assert (
        client.patch(url, {"amount": "6", "version": 1}, content_type="application/json").status_code == 200
    )
    response = client.patch(url, {"amount": "7", "version": 1}, content_type="application/json")
    assert response.status_code == 409 and "version" in response.json()


def test_the_api_import_answers_the_report(client, head, account):
    client.force_login(head)
    url = reverse("sales-plan-import")
    ok = client.post(url, {"file": upload("period,account_external_id,amount\n2026,00017,3\n")})
    assert ok.status_code == 200 and ok.json()["created"] == 1
    bad = client.post(url, {"file": upload("period,account_external_id,amount\n2026,00017,x\n")})
    assert bad.status_code == 400 and bad.json()["errors"][0]["column"] == "amount"


def test_a_kam_asking_for_department_rows_is_refused_on_the_page_and_in_the_api_alike(
    client, kam, head, department
):
    plan_create(by=head, period=parse("2026Q4"), amount=Decimal(5), department=department)
    client.force_login(kam)
    query = {"level": "department", "period": "2026Q4"}
    response = client.get(reverse("management-forecast"), query)
    assert response.status_code == 400 and list(response.json()) == ["level"]
    assert client.get(reverse("management:plan-vs-actual"), query).status_code == 400
    client.force_login(head)
    rows = client.get(reverse("management-forecast"), {"level": "department", "period": "2026Q4"}).json()
    assert [r["plan"] for r in rows["results"]] == ["5.00"]


def test_the_forecast_api_refuses_a_bad_period(client, head):
    client.force_login(head)
    response = client.get(reverse("management-forecast"), {"period": "soon"})
    assert response.status_code == 400 and "period" in response.json()


@pytest.mark.parametrize("year", ["0", "99999", "\N{SUPERSCRIPT TWO}", "-1"])
def test_a_year_no_date_can_have_is_a_400_naming_it_on_the_page_and_in_the_api(client, head, year):
    client.force_login(head)
    page = client.get(reverse("sales:plans"), {"year": year})
    assert page.status_code == 400 and "Enter a year from 1900 to 2200" in page.content.decode()
    api = client.get(reverse("sales-plan-list"), {"year": year})
    assert api.status_code == 400 and "year" in api.json()


def test_a_formula_in_the_note_is_kept_as_text_and_a_formula_amount_is_refused(head, account):
    report = plans_import(
        by=head, upload=upload("period,account_external_id,amount,note\n2026,00017,=1+1,=HYPERLINK(1)\n")
    )
    assert report.refused and report.errors[0]["column"] == "amount" and SalesPlan.objects.count() == 0
    text = "period,account_external_id,amount,note\n2026,00017,3,=1+1\n"
    report = plans_import(by=head, upload=upload(text))
    assert not report.refused and SalesPlan.objects.get().note == "=1+1"


def test_an_edit_from_the_page_without_the_version_it_showed_is_refused(client, head, account):
    plan = plan_create(by=head, period=parse("2026"), amount=Decimal(5), account=account)
    client.force_login(head)
    url = reverse("sales:plan-edit", args=[plan.pk])
    for version in ({}, {"version": "abc"}, {"version": "\N{SUPERSCRIPT TWO}"}):
        response = client.post(url, {"period": "2026", "account": account.pk, "amount": "6", **version})
        assert response.status_code == 400 and "version" in response.context["form"].errors
    assert SalesPlan.objects.get().amount == Decimal(5)


@pytest.mark.parametrize("version", [None, "abc", "\N{SUPERSCRIPT TWO}", "9" * 30])
def test_a_removal_without_a_valid_current_version_removes_nothing(client, head, account, version):
    plan = plan_create(by=head, period=parse("2026"), amount=Decimal(5), account=account)
    client.force_login(head)
    data = {} if version is None else {"version": version}
    response = client.post(reverse("sales:plan-delete", args=[plan.pk]), data, follow=True)
    assert SalesPlan.objects.filter(pk=plan.pk).exists()
    assert (
        "was not removed" in response.content.decode()
        or "changed by someone else" in response.content.decode()
    )


@pytest.mark.parametrize("amount", ["-1", "1.234", "9" * 30, "NaN", "Infinity", "\N{SUPERSCRIPT TWO}"])
def test_a_bad_amount_on_the_page_is_a_400_naming_it_and_writes_nothing(client, head, account, amount):
    client.force_login(head)
    data = {"period": "2026", "account": account.pk, "amount": amount}
    response = client.post(reverse("sales:plan-create"), data)
    assert response.status_code == 400 and "amount" in response.context["form"].errors
    assert not SalesPlan.objects.exists()


HEADER = "period,account_external_id,amount\n"


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("", "The file is empty."),
        (HEADER, "The file has a header but no rows."),
        (HEADER + "2026,00017,3\n2026,00017,4\n", "The same plan as row 2"),
        ("period,acct,amount\n2026,00017,3\n", "Unknown column 'acct'"),
        (HEADER + "2026,00017,3\n" * 800_000, "More than 50,000 plans in one file"),  # 10 MB
        (HEADER + "2026\x00,00017,3\n", "is not a period"),
    ],
    ids=["empty", "header-only", "duplicate", "wrong-column", "10-MB", "NUL"],
)
def test_an_unimportable_file_gets_a_clear_report_and_writes_nothing(head, account, content, reason):
    report = plans_import(by=head, upload=upload(content))
    assert report.refused and reason in report.errors[0]["reason"]
    assert not SalesPlan.objects.exists()


def test_a_file_with_a_byte_order_mark_and_semicolons_imports(head, account):
    report = plans_import(by=head, upload=upload("\ufeffperiod;account_external_id;amount\n2026;00017;3,5\n"))
    assert not report.refused and SalesPlan.objects.get().amount == Decimal("3.5")
