"""What people read on the management pages and in their files: human headers and labels, counts
and dates by the locale, and a refused parameter's message that names the parameter."""

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from rest_framework.test import APIClient

from management.consumption.files import report_files
from management.consumption.selectors import report_of
from sales import forecast as fc
from sales.periods import parse

pytestmark = pytest.mark.django_db
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _sheets(data: bytes) -> dict[str, list[list[object]]]:
    book = load_workbook(BytesIO(data))
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}


def test_the_consumption_workbook_has_human_headers_and_months_by_the_locale(ledger, account):
    with translation.override("fi"):
        sheets = _sheets(report_files(report_of(account, parse("2026H1"))).xlsx)
    for title, rows in sheets.items():
        assert not SNAKE.search(title)
        for heading in rows[0]:
            assert heading and not SNAKE.search(str(heading)), (title, heading)
    with translation.override("fi"):  # the sheet and its headers in Finnish too
        by_month = sheets[translation.gettext("By month")]
        assert by_month[0][:2] == [translation.gettext("Month"), translation.gettext("Product line")]
    assert by_month[0][0] != "Month"
    months = {row[0] for row in by_month[1:]}
    assert "huhtikuu 2026" in months  # April in Django's Finnish month names, not "2026-04"
    assert not any(re.fullmatch(r"\d{4}-\d{2}", str(month)) for month in months)


def test_the_consumption_workbook_names_the_half_years_in_words(ledger, account):
    sheets = _sheets(report_files(report_of(account, parse("2026H1"))).xlsx)
    about = dict(row[:2] for row in sheets["About"][1:])
    assert about["Report period"] == "H1 2026 (January\N{EN DASH}June)"


def test_the_strategic_export_has_human_headers(client, head):
    client.force_login(head)
    response = client.get(reverse("management:strategic"), {"format": "xlsx"})
    assert response.status_code == 200
    header = _sheets(response.content)["Strategic accounts"][0]
    assert header[:3] == ["Account", "External id", "Owner"] and "Visits planned" in header
    assert not any(SNAKE.search(str(h)) for h in header)


@pytest.mark.parametrize(
    ("query", "parameter", "words"),
    [
        ("period=soon", "period", "is not a period"),
        ("period=2026H1", "period", "Plans are per month, quarter or year"),
        ("level=galaxy", "level", "galaxy"),
    ],
)
def test_a_bad_forecast_parameter_is_a_400_that_names_it(client, head, query, parameter, words):
    client.force_login(head)
    response = client.get(f"/api/v1/management/forecast/?{query}")
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [parameter] and words in " ".join(body[parameter])


def test_a_bad_report_format_is_a_400_that_names_the_parameter(kam, account):
    client = APIClient()
    client.force_authenticate(kam)
    response = client.get(f"/api/v1/accounts/{account.pk}/consumption-report/?half=2026H1&format=docx")
    assert response.status_code == 400
    assert response.json()["format"][0].startswith("format must be one of")


def test_the_forecast_method_gives_the_day_in_the_readers_language():
    forecast = fc.Forecast(Decimal(100), fc.SEASONAL, Decimal(38), Decimal("0.38"))
    with translation.override("fi"):
        text = fc.describe(forecast, last_year_label="2025Q3", same_day=dt.date(2026, 11, 4))
    assert "2025Q3" in text and "4. marraskuu" in text  # the day as Finnish readers write it
    assert "was in by" not in text  # and the sentence in Finnish


def test_the_scorecards_name_their_figures_in_words(client, head):
    client.force_login(head)
    page = client.get(reverse("management:kams")).content.decode()
    for heading in ("Key accounts", "Contacts a month", "Buying-centre gaps", "Complaints past SLA"):
        assert f">{heading}</th>" in page
    assert "neglect_days" not in page and "kam_load_target" not in page
