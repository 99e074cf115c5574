"""The history pages: an object's changes for whoever sees it, every change for the administrators."""

from __future__ import annotations

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Account, PersonalDataAccess
from dossiers.models import AccountPlan, PlanAction
from proposals.services import proposal_create
from tests.factories import TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
# 1. the session  2. the user  3. the account (with its header's counts)  4. the ids of its team
# members  5. COUNT of the entries  6. one page of entries, actor and content type joined
# 7.-9. the names the changes point at: users, accounts, departments (one query per model)
QUERIES_OF_THE_ACCOUNT_HISTORY = 9


def edit_account(client, user, account, **fields):
    client.force_login(user)
    form = {"name": account.name, "status": account.status, "owner": account.owner_id,
            "external_id": account.external_id, "department": account.department_id,
            "version": account.version, **fields}  # fmt: skip
    assert client.post(f"/accounts/{account.pk}/edit/", form).status_code == 302


def test_the_account_history_tab_says_who_changed_what_in_words(client, kam, account):
    edit_account(client, kam, account, external_id="00017", key_client_type="image_maker", headcount="1200")

    page = client.get(f"/history/accounts/{account.pk}/").content.decode()

    assert 'class="nav-link active" href="/history/accounts/' in page
    assert str(kam) in page
    entries = page.split("audit-entries")[1]
    assert "Key-client type set to Image-maker" in entries  # the label, not the code
    assert "Headcount set to 1,200" in entries
    assert "Version" not in entries and "ID set to" not in entries and ".None" not in entries


def test_team_changes_show_in_the_account_history_even_once_removed(client, kam, account):
    newcomer = UserFactory(username="newcomer", first_name="Nina", last_name="New")
    member = TeamMemberFactory(account=account, user=newcomer)
    member.delete()
    client.force_login(kam)
    page = client.get(f"/history/accounts/{account.pk}/").content.decode()
    assert page.count("Nina New") >= 2  # added, then removed


def test_a_kam_cannot_see_the_history_of_a_foreign_account_or_its_objects(client, kam, foreign_account):
    plan = AccountPlan.objects.create(account=foreign_account, year=2026)
    proposal = proposal_create(account=foreign_account, by=foreign_account.owner, title="Theirs")
    client.force_login(kam)
    for url in (f"/history/accounts/{foreign_account.pk}/", f"/history/account-plans/{plan.pk}/",
                f"/history/proposals/{proposal.pk}/"):  # fmt: skip
        assert client.get(url).status_code == 404, url


def test_the_proposal_history_lists_its_lines(client, kam, account):
    proposal = proposal_create(account=account, by=kam, title="Coils 2026")
    from proposals import services

    services.line_create(proposal=proposal, description="Coil", quantity=2, unit_price=100)
    client.force_login(kam)
    page = client.get(f"/history/proposals/{proposal.pk}/").content.decode()
    assert "Coils 2026" in page and "Coil" in page


def test_the_plan_history_lists_its_actions(client, kam, account):
    plan = AccountPlan.objects.create(account=account, year=2026)
    PlanAction.objects.create(plan=plan, title="Joint trade fair", progress=10)
    client.force_login(kam)
    page = client.get(f"/history/account-plans/{plan.pk}/").content.decode()
    assert "Joint trade fair" in page


def test_personal_details_in_a_contacts_history_are_hidden_from_analysts(client, analyst, kam, contact):
    contact.hobbies = "Chess"
    contact.save()
    client.force_login(analyst)
    page = client.get(f"/history/contacts/{contact.pk}/").content.decode()
    assert "Chess" not in page and "personal data, not shown" in page
    client.force_login(kam)
    assert "Chess" in client.get(f"/history/contacts/{contact.pk}/").content.decode()


def test_addresses_and_tokens_are_for_administrators(client, kam, admin_user, account):
    client.force_login(kam)
    edit_account(client, kam, account, industry="Steel")
    assert "127.0.0.1" not in client.get(f"/history/accounts/{account.pk}/").content.decode()
    client.force_login(admin_user)
    assert "127.0.0.1" in client.get(f"/history/accounts/{account.pk}/").content.decode()


def test_only_administrators_open_the_page_of_every_change(client, head, admin_user):
    client.force_login(head)
    assert client.get("/history/").status_code == 403
    client.force_login(admin_user)
    assert client.get("/history/").status_code == 200


def test_the_administrators_page_filters_by_who_what_object_and_date(
    client, kam, admin_user, account, contact
):
    edit_account(client, kam, account, industry="Steel")
    contact.position = "CFO"
    contact.save()
    client.force_login(admin_user)
    account_type = ContentType.objects.get_for_model(Account)

    def listed(**params):
        response = client.get("/history/", params)
        assert response.status_code == 200, response.content
        return [row.entry for row in response.context["rows"]]

    by_kam = listed(actor=kam.pk)
    assert by_kam and all(e.actor_id == kam.pk for e in by_kam)
    accounts = listed(model=account_type.pk, object=account.pk)
    assert accounts and all(e.content_type_id == account_type.pk for e in accounts)
    assert all(e.object_pk == str(account.pk) for e in accounts)
    today = timezone.localdate()
    assert listed(after=today.isoformat(), before=today.isoformat())
    assert listed(before=(today - dt.timedelta(days=1)).isoformat()) == []
    assert client.get("/history/", {"object": "x"}).status_code == 400


def test_viewing_a_history_page_writes_no_entry(client, kam, account):
    client.force_login(kam)
    before = LogEntry.objects.count()
    client.get(f"/history/accounts/{account.pk}/")
    assert LogEntry.objects.count() == before
    assert not PersonalDataAccess.objects.filter(user=kam).exists()


def test_a_hidden_account_named_in_a_change_stays_a_bare_id(client, kam, account, foreign_account):
    account.parent = foreign_account  # filed under an account the KAM does not see
    account.save()
    client.force_login(kam)
    page = client.get(f"/history/accounts/{account.pk}/").content.decode()
    assert "Baltic Foods" not in page
    assert f"#{foreign_account.pk}" in page


@pytest.mark.parametrize("edits", [2, 20])
def test_the_history_page_costs_the_same_queries_for_few_and_many_entries(
    client, kam, account, contact, edits, django_assert_num_queries
):
    for i in range(edits):
        account.headcount = 100 + i
        account.parent = None
        account.save()
        TeamMemberFactory(account=account, user=UserFactory(username=f"member{i}"))
    client.force_login(kam)
    client.get(f"/history/accounts/{account.pk}/")  # content types and the visibility cache warm
    with django_assert_num_queries(QUERIES_OF_THE_ACCOUNT_HISTORY):
        client.get(f"/history/accounts/{account.pk}/")


def test_an_import_tells_its_life_to_those_who_see_imports(client, head, kam, account):
    from sales.services import sales_lines_bulk_import

    line = {"line_external_id": "H1", "account_external_id": account.external_id,
            "date": timezone.localdate().isoformat(), "amount": "10.00"}  # fmt: skip
    batch = sales_lines_bulk_import(by=head, lines=[line])
    client.force_login(head)
    batch_page = client.get(f"/sales/imports/{batch.pk}/").content.decode()
    assert f'href="/history/imports/{batch.pk}/"' in batch_page
    page = client.get(f"/history/imports/{batch.pk}/").content.decode()
    assert "Status" in page.split("audit-entries")[1]
    client.force_login(kam)
    assert client.get(f"/history/imports/{batch.pk}/").status_code == 403  # as the import's own page


def test_a_history_page_showing_personal_values_logs_one_access(client, analyst, kam, admin_user, contact):
    contact.hobbies = "Chess"
    contact.save()
    client.force_login(analyst)  # shown "changed", not the values: nothing to log
    client.get(f"/history/contacts/{contact.pk}/")
    assert not PersonalDataAccess.objects.exists()
    client.force_login(kam)
    client.get(f"/history/contacts/{contact.pk}/")
    client.force_login(admin_user)
    client.get("/history/")
    accesses = PersonalDataAccess.objects.order_by("pk")
    assert [(a.user, a.channel, list(a.contacts.all())) for a in accesses] == [
        (kam, "page", [contact]),
        (admin_user, "page", [contact]),
    ]
