"""`field__any_of`: the ids sent as one array text, written once (`accounts.models.IdArray`)."""

from __future__ import annotations

import pytest
from django.db import connection

from accounts.models import Account, IdArray
from tests.factories import AccountFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="an array parameter (PostgreSQL)"),
]


def test_any_of_takes_the_rows_an_in_list_takes_from_a_list_or_an_id_array():
    accounts = [AccountFactory() for _ in range(4)]
    wanted = [accounts[0].pk, accounts[2].pk, 10**12]

    expected = set(Account.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    assert expected == {accounts[0].pk, accounts[2].pk}
    for ids in (wanted, IdArray(wanted), tuple(wanted)):
        assert set(Account.objects.filter(pk__any_of=ids).values_list("pk", flat=True)) == expected
    assert not Account.objects.filter(pk__any_of=IdArray([])).exists()


def test_an_id_array_holds_integers_only():
    assert IdArray([3, 17, 42]).text == "{3,17,42}"
    with pytest.raises(ValueError):
        IdArray(["1}; DROP TABLE accounts_account; --"])
