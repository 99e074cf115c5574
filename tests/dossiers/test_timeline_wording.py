"""The timeline in words: values in the user's locale, field names as labels, set / cleared."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import AccountChange
from dossiers import services
from dossiers.models import ProfileChange
from dossiers.timeline import account_timeline
from dossiers.wording import change_text, field_value_text, money_text

pytestmark = pytest.mark.django_db


def _profile_lines(account):
    (entry,) = account_timeline(account=account, types=["profile"])
    return entry.detail.split("\n")


def test_money_is_grouped_with_the_currency_in_the_users_locale():
    with translation.override("en"):
        assert money_text(Decimal("5212500.00")) == "5,212,500 EUR"
    with translation.override("fi"):
        assert money_text(Decimal("5212500.00")) == "5\xa0212\xa0500 EUR"


def test_a_value_set_from_nothing_or_cleared_is_said_in_words():
    with translation.override("en"):
        assert change_text("Status", "", "Lost") == "Status set to Lost"
        assert change_text("Description", "Old text", "") == "Description cleared"
        assert change_text("Headcount", "143", "148") == "Headcount: 143 → 148"
        assert "—" not in change_text("Status", "", "Lost")


def test_profile_changes_name_their_fields_and_format_money(kam, account):
    services.profile_update(account=account, by=kam, sales_forecast=Decimal("5212500"), description="Mill")
    services.profile_update(account=account, by=kam, description="", version=1)

    with translation.override("en"):
        lines = _profile_lines(account)

    assert "Client's sales forecast set to 5,212,500 EUR" in lines
    assert "Description set to Mill" in lines and "Description cleared" in lines
    assert not any("sales_forecast" in line or "—" in line for line in lines)


def test_a_change_of_a_field_the_profile_no_longer_has_still_reads_well(kam, account):
    services.profile_update(account=account, by=kam, description="Mill")
    profile = account.profile
    profile.changes.all().delete()
    for field, old, new in (("annual_sales", "", "5212500.00"), ("headcount", "1200", "1500")):
        ProfileChange.objects.create(profile=profile, field=field, old=old, new=new, changed_by=kam)

    with translation.override("en"):
        lines = _profile_lines(account)

    assert "Client's own annual turnover set to 5,212,500 EUR" in lines
    assert "Headcount: 1,200 → 1,500" in lines


def test_a_choice_code_shows_its_label(kam, account):
    from dossiers.models import Interaction

    kind = Interaction._meta.get_field("kind")
    assert field_value_text(kind, "business_review") == "Business review"


def test_a_status_set_from_nothing_says_set_to(client, kam, account):
    AccountChange.objects.create(account=account, field="status", old="", new="Lost", changed_by=kam)
    client.force_login(kam)

    page = client.get(reverse("dossiers:timeline", args=[account.pk]), {"type": "status"}).content.decode()

    assert "Status set to Lost" in page and "— →" not in page


def test_an_imports_ids_sit_in_technical_details(client, kam, account):
    from sales.services import sales_lines_bulk_import
    from tests.factories import UserFactory

    admin = UserFactory(username="importer", role="admin")
    line = {"account_external_id": account.external_id, "date": "2026-03-02", "amount": "1250000.00"}
    sales_lines_bulk_import(by=admin, lines=[line], options={})
    client.force_login(kam)

    page = client.get(reverse("dossiers:timeline", args=[account.pk]), {"type": "import"}).content.decode()

    assert "1 sales line imported" in page and "1,250,000 EUR" in page
    details = page[page.index('<details class="small text-muted technical-details">') :]
    assert "Technical details" in details and "batch #" not in page.split("<details")[0]
