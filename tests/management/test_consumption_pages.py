"""The consumption report from the account page: the report on screen, the picker, the downloads."""

from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_the_sales_tab_links_to_the_report(client, kam, account, ledger):
    client.force_login(kam)
    page = client.get(reverse("sales:account-tab", args=[account.pk])).content.decode()
    assert reverse("management:consumption", args=[account.pk]) in page


def test_the_report_page_shows_the_figures_and_both_downloads(client, kam, account, ledger):
    client.force_login(kam)
    response = client.get(reverse("management:consumption", args=[account.pk]), {"half": "2026H1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Consumption report · H1 2026 (January\N{EN DASH}June)" in page
    assert "Likely demand H2 2026" in page and "1,400.00" in page
    xlsx = reverse("management:consumption-download", args=[account.pk, "xlsx"])
    assert f"{xlsx}?half=2026H1" in page


def test_a_bad_half_is_shown_next_to_the_picker(client, kam, account, ledger):
    client.force_login(kam)
    response = client.get(reverse("management:consumption", args=[account.pk]), {"half": "2026H3"})
    assert response.status_code == 400
    assert "is not a half-year" in response.content.decode()


def test_the_pdf_downloads_for_the_chosen_half(client, kam, account, ledger):
    client.force_login(kam)
    url = reverse("management:consumption-download", args=[account.pk, "pdf"])
    response = client.get(url, {"half": "2025H2"})
    assert response.status_code == 200
    assert 'filename="nordic-steel-consumption-2025h2.pdf"' in response["Content-Disposition"]
    assert "H2 2025" in PdfReader(BytesIO(response.content)).pages[0].extract_text()


def test_a_download_with_a_bad_half_is_a_400_with_the_reason(client, kam, account, ledger):
    client.force_login(kam)
    url = reverse("management:consumption-download", args=[account.pk, "xlsx"])
    response = client.get(url, {"half": "soon"})
    assert (response.status_code, response.content) == (
        400,
        b"'soon' is not a half-year: write it like 2026H1 or 2026H2.",
    )


def test_an_unknown_file_kind_is_not_found(client, kam, account, ledger):
    client.force_login(kam)
    assert (
        client.get(reverse("management:consumption-download", args=[account.pk, "docx"])).status_code == 404
    )


def test_an_outsider_cannot_see_the_report(client, outsider, account, ledger):
    client.force_login(outsider)
    assert client.get(reverse("management:consumption", args=[account.pk])).status_code == 404
    assert client.get(reverse("management:consumption-download", args=[account.pk, "pdf"])).status_code == 404


def test_the_runs_page_is_for_heads_and_admins(client, kam, head, ledger):
    client.force_login(kam)
    assert client.get(reverse("management:consumption-runs")).status_code == 403
    client.force_login(head)
    page = client.get(reverse("management:consumption-runs")).content.decode()
    assert "Write the reports" in page and "(2 accounts for the last closed half-year)" in page
