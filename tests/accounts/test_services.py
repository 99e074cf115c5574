"""Writes to accounts and contacts: validated first, all-or-nothing, scoped to the author."""

import pytest
from django.core.exceptions import ValidationError

from accounts import services
from accounts.models import Account, AccountTeamMember, Contact, PersonalDataAccess
from common.errors import StaleEditError
from tests.factories import AccountFactory, ContactFactory

pytestmark = pytest.mark.django_db


def test_a_kams_new_account_is_theirs_in_their_department(kam, department):
    account = services.account_create(by=kam, name="Vega Motors", external_id="00042")
    assert account.owner == kam
    assert account.department == department
    assert account.path == f"/{account.pk}/"
    assert AccountTeamMember.objects.filter(account=account, user=kam, team_role="kam").exists()


def test_external_id_is_kept_exactly_as_given(kam):
    account = services.account_create(by=kam, name="Zero Padded", external_id="00017")
    account.refresh_from_db()
    assert account.external_id == "00017"


def test_duplicate_external_id_is_refused_and_nothing_is_written(kam, account):
    with pytest.raises(ValidationError) as error:
        services.account_create(by=kam, name="Copy", external_id="00017")
    assert "external id 00017 already exists" in str(error.value)
    assert not Account.objects.filter(name="Copy").exists()


def test_accounts_without_external_id_do_not_collide(kam):
    services.account_create(by=kam, name="Prospect One")
    services.account_create(by=kam, name="Prospect Two")
    assert Account.objects.filter(external_id="").count() == 2


def test_an_account_cannot_become_its_own_ancestor(kam, account, subsidiary):
    with pytest.raises(ValidationError) as error:
        services.account_update(account=account, by=kam, parent=subsidiary)
    assert "own ancestor" in error.value.message_dict["parent"][0]
    account.refresh_from_db()
    assert account.parent is None
    assert account.version == 1


def test_an_account_cannot_be_its_own_parent(kam, account):
    with pytest.raises(ValidationError):
        services.account_update(account=account, by=kam, parent=account)


def test_moving_an_account_moves_its_whole_subtree(kam, account, subsidiary, outsider, department):
    grandchild = AccountFactory(parent=subsidiary, owner=outsider, department=department)
    new_group = AccountFactory(owner=kam, department=department)
    services.account_update(account=subsidiary, by=kam, parent=new_group)
    grandchild.refresh_from_db()
    assert grandchild.path == f"/{new_group.pk}/{subsidiary.pk}/{grandchild.pk}/"


def test_a_stale_edit_is_refused(kam, account):
    services.account_update(account=account, by=kam, industry="Metals", version=1)
    with pytest.raises(StaleEditError):
        services.account_update(account=account, by=kam, industry="Mining", version=1)
    account.refresh_from_db()
    assert account.industry == "Metals"
    assert account.version == 2


def test_parent_must_be_visible_to_the_author(kam, account, foreign_account):
    with pytest.raises(ValidationError) as error:
        services.account_update(account=account, by=kam, parent=foreign_account)
    assert "parent" in error.value.message_dict


def test_a_kam_cannot_hand_an_account_over(kam, account, outsider):
    with pytest.raises(ValidationError) as error:
        services.account_update(account=account, by=kam, owner=outsider)
    assert "owner" in error.value.message_dict


def test_a_head_can_hand_an_account_over(head, account, outsider):
    services.account_update(account=account, by=head, owner=outsider)
    account.refresh_from_db()
    assert account.owner == outsider


def test_a_head_files_accounts_only_in_their_departments(head, other_department):
    with pytest.raises(ValidationError) as error:
        services.account_create(by=head, name="Elsewhere", department=other_department)
    assert "department" in error.value.message_dict


def test_an_account_with_subsidiaries_cannot_be_deleted(head, account, subsidiary):
    with pytest.raises(ValidationError):
        services.account_delete(account=account)
    assert Account.objects.filter(pk=account.pk).exists()


def test_malformed_website_is_refused(kam):
    with pytest.raises(ValidationError) as error:
        services.account_create(by=kam, name="Bad", website="not a url")
    assert "website" in error.value.message_dict


def test_one_primary_contact_per_account(kam, account):
    first = services.contact_create(
        account=account,
        first_name="A",
        last_name="One",
        is_primary=True,
        personal=True,
    )
    second = services.contact_create(
        account=account,
        first_name="B",
        last_name="Two",
        is_primary=True,
        personal=True,
    )
    first.refresh_from_db()
    assert (first.is_primary, second.is_primary) == (False, True)


def test_reports_to_must_be_a_contact_of_the_same_account(kam, contact, foreign_contact):
    with pytest.raises(ValidationError) as error:
        services.contact_update(contact=contact, reports_to=foreign_contact, personal=True)
    assert "reports_to" in error.value.message_dict


def test_reporting_lines_cannot_loop(kam, account):
    boss = ContactFactory(account=account)
    report = ContactFactory(account=account, reports_to=boss)
    with pytest.raises(ValidationError):
        services.contact_update(contact=boss, reports_to=report, personal=True)


def test_malformed_email_is_refused(kam, account):
    with pytest.raises(ValidationError) as error:
        services.contact_create(
            account=account,
            first_name="X",
            last_name="Y",
            email="nope",
            personal=True,
        )
    assert "email" in error.value.message_dict
    assert not Contact.objects.filter(last_name="Y").exists()


def test_influence_outside_1_to_5_is_refused(kam, contact):
    with pytest.raises(ValidationError):
        services.contact_update(contact=contact, influence=7, personal=True)


def test_personal_fields_are_not_written_without_the_right(kam, contact):
    services.contact_update(contact=contact, hobbies="chess", position="CFO", personal=False)
    contact.refresh_from_db()
    assert (contact.hobbies, contact.position) == ("sailing", "CFO")


def test_the_owner_is_on_the_team_and_a_handover_moves_the_kam_seat(head, kam, outsider, department):
    account = services.account_create(by=head, name="Handover Ltd", owner=kam)
    assert list(account.team_members.values_list("user__username", "team_role")) == [("owner", "kam")]
    services.account_update(account=account, by=head, owner=outsider)
    assert list(account.team_members.values_list("user__username", "team_role")) == [("outsider", "kam")]


def test_an_account_with_sales_cannot_be_deleted(head, admin_user, account):
    from sales.services import sales_lines_bulk_import

    sales_lines_bulk_import(
        by=admin_user, lines=[{"account_external_id": "00017", "date": "2025-01-02", "amount": "10"}]
    )
    with pytest.raises(ValidationError, match="cannot be deleted: it has sales lines"):
        services.account_delete(account=account)
    assert Account.objects.filter(pk=account.pk).exists()


# --- the personal-data access log ---


def test_one_access_row_lists_each_contact_shown_once(kam, contact, foreign_contact):
    access = services.personal_data_access_log(
        user=kam, contacts=[contact, foreign_contact, contact], channel=PersonalDataAccess.Channel.API
    )
    assert access is not None
    assert (access.channel, access.action) == ("api", "view")
    assert set(access.contacts.all()) == {contact, foreign_contact}
    assert PersonalDataAccess.objects.count() == 1


def test_showing_no_contact_writes_no_access_row(kam):
    assert services.personal_data_access_log(user=kam, contacts=[], channel="page") is None
    assert not PersonalDataAccess.objects.exists()


def test_deleting_a_contact_keeps_the_views_that_listed_it(kam, contact, foreign_contact):
    access = services.personal_data_access_log(user=kam, contacts=[contact, foreign_contact], channel="page")
    services.contact_delete(contact=contact)
    assert list(PersonalDataAccess.objects.get(pk=access.pk).contacts.all()) == [foreign_contact]
