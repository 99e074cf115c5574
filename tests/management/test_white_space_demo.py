"""The demo shows clear white space: a group whose companies buy different product lines."""

from __future__ import annotations

import pytest

from accounts.demo import seed_demo
from accounts.models import Account, User
from sales.demo import load_demo_ledger
from sales.white_space import white_space

pytestmark = pytest.mark.django_db


def test_the_demo_groups_show_cross_sell_opportunities(db):
    seed_demo()
    load_demo_ledger()
    head = User.objects.get(username="head")
    tops = Account.objects.filter(parent__isnull=True, subsidiaries__isnull=False).distinct()
    spaces = [white_space(user=head, account=top) for top in tops]
    assert len(spaces) >= 5
    # Orion Chemicals' group: every company buys, none buys every line.
    orion = next(s for s in spaces if s.top is not None and s.top.name == "Orion Chemicals")
    assert all(m.total > 0 for m in orion.members)
    assert len(orion.opportunities) >= 3
