"""Figures kept per visibility scope in the shared cache (accounts.kept): the home page's counts and
birthday card are read again only until accounts or contacts change, and never cross scopes."""

import datetime as dt
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.kept import kept, state_generation
from accounts.models import Account
from accounts.selectors import count_accounts_by_status
from accounts.services import account_mark_lost, account_statuses_set
from dossiers.selectors import home_agenda
from tests.factories import AccountFactory, ContactFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not settings.REDIS_URL, reason="figures are kept only in a shared cache (REDIS_URL)"),
]


def birthday_in(days, **kwargs):
    day = timezone.localdate() + dt.timedelta(days=days)
    return ContactFactory(birthday=day.replace(year=1980), **kwargs)


def test_a_kept_figure_is_worked_out_once_per_scope(kam, head):
    calls = []

    def work_out():
        calls.append(1)
        return len(calls)

    assert kept("test", kam, work_out) == 1
    assert kept("test", kam, work_out) == 1
    assert kept("test", head, work_out) == 2  # another scope
    assert kept("test", kam, work_out, "2026-12-03") == 3


def test_a_kept_figure_lives_its_own_timeout_from_when_it_was_worked_out(kam):
    """The head's desk is kept five minutes from its working out, not within a five-minute slot of
    the clock (a view just before a slot's end and the next just after it worked it out twice)."""
    assert kept("short-lived", kam, lambda: 1, timeout=300) == 1
    client = cache._cache.get_client()  # the Redis client under Django's cache
    keys = list(client.scan_iter(match="*accounts:kept:short-lived:*"))
    assert len(keys) == 1
    assert 0 < client.ttl(keys[0]) <= 300


def test_the_status_counts_follow_a_loss_recorded_by_hand(kam, account):
    assert count_accounts_by_status(user=kam) == {account.status: 1}
    account_mark_lost(account=account, by=kam)
    assert count_accounts_by_status(user=kam) == {Account.Status.LOST: 1}


def test_the_status_counts_follow_the_nightly_runs_bulk_write(kam, account):
    assert count_accounts_by_status(user=kam) == {account.status: 1}
    before = state_generation()
    account_statuses_set(accounts=Account.objects.filter(pk=account.pk), status=Account.Status.AT_RISK)
    assert state_generation() != before
    assert count_accounts_by_status(user=kam) == {Account.Status.AT_RISK: 1}


def test_the_birthday_card_follows_contact_changes_and_keeps_no_personal_data(kam, account):
    soon = birthday_in(3, account=account, first_name="Soon")
    assert [b.contact for b in home_agenda(user=kam).birthdays] == [soon]
    other = birthday_in(1, account=account, first_name="Sooner")
    assert [b.contact for b in home_agenda(user=kam).birthdays] == [other, soon]
    other.delete()
    assert [b.contact for b in home_agenda(user=kam).birthdays] == [soon]


def test_the_birthday_card_never_crosses_roles_that_share_a_scope(client, admin_user, analyst, account):
    birthday_in(3, account=account, first_name="Private")
    client.force_login(admin_user)
    assert "Private" in client.get(reverse("home")).content.decode()
    client.force_login(analyst)  # sees every account, as the admin, but no personal data
    assert "Private" not in client.get(reverse("home")).content.decode()


def test_a_new_account_elsewhere_does_not_show_up_in_a_kams_counts(kam, account, outsider):
    assert count_accounts_by_status(user=kam) == {account.status: 1}
    AccountFactory(owner=outsider)
    assert count_accounts_by_status(user=kam) == {account.status: 1}
    AccountFactory(owner=kam)
    assert sum(count_accounts_by_status(user=kam).values()) == 2


def test_a_birthday_card_kept_for_a_contact_gone_without_a_signal_is_worked_out_anew(kam, account):
    gone = birthday_in(1, account=account, first_name="Gone")
    stays = birthday_in(3, account=account, first_name="Stays")
    assert [b.contact for b in home_agenda(user=kam).birthdays] == [gone, stays]
    type(gone).objects.filter(pk=gone.pk)._raw_delete(using="default")  # as a restore or raw SQL would
    before = state_generation()
    agenda = home_agenda(user=kam)
    assert [b.contact for b in agenda.birthdays] == [stays]
    assert agenda.birthdays_total == 1
    assert state_generation() != before  # the other kept figures are worked out anew too


def test_forget_cached_state_renews_what_the_cache_keeps_about_the_database(kam, account):
    from accounts.visibility import visibility_generation

    assert count_accounts_by_status(user=kam) == {account.status: 1}
    before = (visibility_generation(), state_generation())
    Account.objects.filter(pk=account.pk).update(status=Account.Status.LOST)  # a restored database
    call_command("forget_cached_state", stdout=StringIO())
    assert visibility_generation() != before[0] and state_generation() != before[1]
    assert count_accounts_by_status(user=kam) == {Account.Status.LOST: 1}


def test_the_cache_keys_carry_a_prefix_of_this_database():
    prefix = settings.CACHES["default"]["KEY_PREFIX"]
    assert prefix  # the database's name unless CACHE_KEY_PREFIX says otherwise
