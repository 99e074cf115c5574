"""The report's workbook and PDF, read back with openpyxl and pypdf."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from management.consumption.files import file_stem, report_files
from management.consumption.selectors import report_of
from sales.periods import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(ledger, account):
    return report_files(report_of(account, parse("2026H1")))


def test_the_files_are_named_after_the_account_and_the_half(files):
    assert files.stem == "nordic-steel-consumption-2026h1"


def test_names_taken_by_another_account_of_the_batch_get_a_number():
    assert file_stem("Acme", parse("2026H1"), {"acme-consumption-2026h1"}) == "acme-consumption-2026h1-2"


def test_the_workbook_holds_the_three_years_and_the_half_year(files):
    book = load_workbook(BytesIO(files.xlsx))
    assert book.sheetnames == ["Summary", "Revenue by year", "Revenue by half-year", "Quantity by year",
                               "Quantity by half-year", "Likely demand", "By month", "About"]  # fmt: skip
    summary = [[cell.value for cell in row] for row in book["Summary"].iter_rows()]
    assert summary[0][:3] == ["Period", "Revenue, EUR", "Quantity"]
    assert [row[:2] for row in summary[1:4]] == [["2023", 100], ["2024", 250], ["2025", 800]]
    assert summary[7][:2] == ["H1 2026", 500]
    assert summary[8][:2] == ["Likely demand H2 2026", 1400]
    by_year = [[cell.value for cell in row] for row in book["Revenue by year"].iter_rows()]
    assert by_year[0] == ["Product line", "2023", "2024", "2025", "Change 2025 vs 2024, %"]
    assert by_year[1] == ["Coils", 100, 200, 700, 250]
    assert by_year[-1][0] == "Total"


def test_the_workbook_states_the_method_and_shows_no_internal_ids(files, account):
    book = load_workbook(BytesIO(files.xlsx))
    about = dict(row for row in book["About"].iter_rows(min_row=2, values_only=True))
    assert about["Client"] == "Nordic Steel"
    assert "same half-year last year" in about["Method"] and "trend" in about["Method"]
    every_text = " ".join(str(v) for sheet in book for row in sheet.iter_rows(values_only=True) for v in row)
    assert "00017" not in every_text


def test_the_pdf_holds_the_account_the_three_years_the_half_and_the_method(files):
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(files.pdf)).pages)
    assert "Nordic Steel" in text and "CONSUMPTION REPORT" in text
    for period in ("2023", "2024", "2025", "H1 2026", "Likely demand H2 2026"):
        assert period in text
    assert "1,400.00" in text  # the total likely demand
    assert "How the likely demand is worked out" in text
    assert "00017" not in text


def test_a_formula_like_account_name_is_neutralised_in_the_workbook(client, kam, account, ledger):
    account.name = "=1+1"
    account.save()
    client.force_login(kam)
    url = reverse("management:consumption-download", args=[account.pk, "xlsx"])
    response = client.get(url, {"half": "2026H1"})
    assert response.status_code == 200
    assert 'filename="11-consumption-2026h1.xlsx"' in response["Content-Disposition"]
    cells = [
        cell.value
        for sheet in load_workbook(BytesIO(response.content)).worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and "1+1" in cell.value
    ]
    assert cells and all(value.startswith("'") for value in cells)
