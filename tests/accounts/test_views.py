"""The account and contact pages."""

import pytest
from django.test import Client

from accounts.models import Account, PersonalDataAccess
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser():
    return Client()


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_list_shows_only_visible_accounts(kam, account, foreign_account):
    html = logged_in(kam).get("/accounts/").content.decode()
    assert "Nordic Steel" in html
    assert "Baltic Foods" not in html


def test_list_search_and_filter_never_reveal_foreign_accounts(kam, account, foreign_account):
    html = logged_in(kam).get("/accounts/", {"q": "Baltic"}).content.decode()
    assert "No accounts match" in html
    html = logged_in(kam).get("/accounts/", {"owner": foreign_account.owner_id}).content.decode()
    assert "Baltic Foods" not in html


def test_list_sorts_and_paginates(kam, department):
    for n in range(30):
        AccountFactory(name=f"Client {n:02d}", owner=kam, department=department, headcount=n)
    client = logged_in(kam)
    first_page = client.get("/accounts/", {"ordering": "-headcount"}).content.decode()
    assert first_page.index("Client 29") < first_page.index("Client 28")
    assert "Client 00" not in first_page
    second_page = client.get("/accounts/", {"ordering": "-headcount", "page": 2}).content.decode()
    assert "Client 00" in second_page
    assert "Page 2 of 2" in second_page


def test_a_later_page_keeps_the_sort_and_its_rows_figures(kam, department):
    for n in range(30):
        AccountFactory(name=f"Client {n:02d}", owner=kam, department=department, headcount=30 - n)
    page = logged_in(kam).get("/accounts/", {"ordering": "headcount", "page": 2}).context["page"]
    # Sorted by headcount ascending: Client 29 (1) … Client 00 (30); page 2 holds the last five.
    assert [account.name for account in page.object_list] == [f"Client {n:02d}" for n in range(4, -1, -1)]
    assert all(hasattr(account, "contact_count") for account in page.object_list)


def test_htmx_filter_returns_only_the_rows(kam, account):
    response = logged_in(kam).get("/accounts/", {"q": "Nordic"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Nordic Steel" in html
    assert '<nav class="navbar' not in html


def test_foreign_account_pages_are_404(kam, foreign_account, foreign_contact):
    client = logged_in(kam)
    for url in (
        f"/accounts/{foreign_account.pk}/",
        f"/accounts/{foreign_account.pk}/edit/",
        f"/accounts/{foreign_account.pk}/contacts/",
        f"/accounts/{foreign_account.pk}/hierarchy/",
        f"/accounts/{foreign_account.pk}/sales/",
        f"/accounts/contacts/{foreign_contact.pk}/",
    ):
        assert client.get(url).status_code == 404, url


def test_create_form_shows_errors_next_to_fields_and_writes_nothing(kam, account):
    response = logged_in(kam).post(
        "/accounts/new/", {"name": "", "external_id": "00017", "website": "nope", "status": "active"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors.keys() >= {"name", "website"}
    assert Account.objects.count() == 1


def test_duplicate_external_id_shows_on_the_field(kam, account):
    response = logged_in(kam).post(
        "/accounts/new/", {"name": "Copy", "external_id": "00017", "status": "active"}
    )
    assert "external id 00017 already exists" in str(response.context["form"].errors["external_id"])
    assert not Account.objects.filter(name="Copy").exists()


def test_create_then_land_on_the_account(kam):
    response = logged_in(kam).post("/accounts/new/", {"name": "Vega Motors", "status": "prospect"})
    account = Account.objects.get(name="Vega Motors")
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/{account.pk}/"
    assert account.owner == kam


def test_a_website_typed_without_a_scheme_is_saved_as_https(kam):
    data = {"name": "Vega Motors", "status": "prospect", "website": "vega-motors.example"}
    logged_in(kam).post("/accounts/new/", data)
    assert Account.objects.get(name="Vega Motors").website == "https://vega-motors.example"


def test_cycle_shows_on_the_parent_field(kam, account, subsidiary):
    data = {"name": account.name, "status": "active", "parent": subsidiary.pk, "version": 1}
    response = logged_in(kam).post(f"/accounts/{account.pk}/edit/", data)
    # The subtree is not offered as a parent at all; a forged value is refused on the field.
    assert "parent" in response.context["form"].errors


def test_stale_edit_is_refused_with_a_message(kam, account):
    client = logged_in(kam)
    base = {"name": "Nordic Steel", "status": "active", "owner": kam.pk, "department": account.department_id}
    assert (
        client.post(f"/accounts/{account.pk}/edit/", {**base, "industry": "A", "version": 1}).status_code
        == 302
    )
    response = client.post(f"/accounts/{account.pk}/edit/", {**base, "industry": "B", "version": 1})
    assert "changed by someone else" in response.content.decode()
    account.refresh_from_db()
    assert account.industry == "A"


def test_analyst_cannot_open_the_edit_page(analyst, account):
    assert logged_in(analyst).get(f"/accounts/{account.pk}/edit/").status_code == 403


def test_contact_card_shows_personal_data_to_the_owner_and_logs_it(kam, contact):
    html = logged_in(kam).get(f"/accounts/contacts/{contact.pk}/").content.decode()
    assert "sailing" in html
    log = PersonalDataAccess.objects.get()
    assert (log.user, list(log.contacts.all()), log.channel, log.action) == (kam, [contact], "page", "view")


def test_contact_card_hides_personal_data_from_analysts(analyst, contact):
    html = logged_in(analyst).get(f"/accounts/contacts/{contact.pk}/").content.decode()
    assert "sailing" not in html
    assert "+358 40 123 4567" not in html
    assert not PersonalDataAccess.objects.exists()


def test_head_sees_personal_data(head, contact):
    assert "sailing" in logged_in(head).get(f"/accounts/contacts/{contact.pk}/").content.decode()


def test_contact_form_error_on_malformed_email(kam, account):
    response = logged_in(kam).post(
        f"/accounts/{account.pk}/contacts/new/",
        {"first_name": "X", "last_name": "Y", "email": "nope", "influence": 3, "attitude": "neutral"},
    )
    assert "email" in response.context["form"].errors
    assert not account.contacts.filter(last_name="Y").exists()


def test_hierarchy_rolls_up_counts(kam, account, subsidiary):
    response = logged_in(kam).get(f"/accounts/{account.pk}/hierarchy/")
    tree = response.context["tree"]
    assert tree.account == account
    assert [child.account for child in tree.children] == [subsidiary]
    assert tree.total_accounts == 2


def test_team_member_add_and_remove(kam, account, outsider):
    client = logged_in(kam)
    client.post(f"/accounts/{account.pk}/team/", {"user": outsider.pk, "team_role": "finance"})
    member = account.team_members.get(user=outsider)
    client.post(f"/accounts/{account.pk}/team/{member.pk}/remove/")
    assert not account.team_members.filter(user=outsider).exists()


def test_anonymous_is_sent_to_login(browser, account):
    response = browser.get(f"/accounts/{account.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/auth/login/")


def test_editing_a_subsidiary_whose_group_is_out_of_sight_keeps_it_in_the_group(
    outsider, account, subsidiary
):
    client = logged_in(outsider)
    form = client.get(f"/accounts/{subsidiary.pk}/edit/").context["form"]
    assert "parent" not in form.fields
    data = {"name": subsidiary.name, "status": "active", "department": subsidiary.department_id, "version": 1}
    assert client.post(f"/accounts/{subsidiary.pk}/edit/", data).status_code == 302
    subsidiary.refresh_from_db()
    assert subsidiary.parent_id == account.pk


def test_token_expiry_out_of_range_is_refused(kam):
    response = logged_in(kam).post("/api-tokens/", {"expiry_days": "999999999"}, follow=True)
    assert "from 1 to 3650 days" in response.content.decode()
    assert not kam.auth_token_set.exists()


# Superscript two, Arabic-Indic 12, fullwidth 12 and 12.5: str.isdigit() accepts the first three.
@pytest.mark.parametrize("days", ["\u00b2", "\u0661\u0662", "\uff11\uff12", "\uff11\uff12.\uff15"])
def test_token_expiry_in_unicode_digits_is_refused(kam, days):
    response = logged_in(kam).post("/api-tokens/", {"expiry_days": days}, follow=True)
    assert response.status_code == 200
    assert "from 1 to 3650 days" in response.content.decode()
    assert not kam.auth_token_set.exists()


def test_contact_edit_page_logs_one_edit_row(kam, contact):
    assert logged_in(kam).get(f"/accounts/contacts/{contact.pk}/edit/").status_code == 200
    log = PersonalDataAccess.objects.get()
    assert (log.user, list(log.contacts.all()), log.channel, log.action) == (kam, [contact], "page", "edit")
