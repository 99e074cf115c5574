"""Query counts pinned: the account and contact lists cost the same for 5 and for 50 accounts.

A changed number means a query was added or an N+1 crept in: find which, then update the count
and the list of queries next to it.
"""

from __future__ import annotations

import pytest

from accounts.models import User
from accounts.visibility import cached_subtree_ids as keep_visible_ids
from dossiers.models import StrategicAssessment
from tests.factories import AccountFactory, ContactFactory, TeamMemberFactory, UserFactory

pytestmark = pytest.mark.django_db
STRATEGIC = {"volume": True, "loyalty": True, "prestige_brand": True, "priority_dispatch": True}

# The same queries for a KAM and for a department head: only the visibility filter inside differs.
QUERIES = {
    # 1. the session
    # 2. the logged-in user
    # 3. COUNT(*) of the visible accounts, for the paginator
    # 4. the owner choices of the filter form (KAMs and heads)
    # 5. the department choices of the filter form
    # 6. the page's 25 account ids, in the list's order (common.pagination.KeysFirstPaginator)
    # 7. those accounts, owner, department, parent and strategic assessment (the badges) joined,
    #    contacts and subsidiaries counted
    "/accounts/": 7,
    # 1. the session
    # 2. the logged-in user
    # 3. COUNT(*) of the visible accounts, for the paginator
    # 4. the page's 50 account ids, in order (common.pagination.KeysFirstPaginator)
    # 5. those accounts, the strategic assessment joined (`strategic`, `privileges`), contacts
    #    and subsidiaries counted
    # 6. the team members of those accounts (prefetch_related)
    "/api/v1/accounts/": 6,
    # 1. the session
    # 2. the logged-in user
    # 3. COUNT(*) of the visible contacts, for the paginator
    # 4. the page's 50 contact ids, in order (common.pagination.KeysFirstPaginator)
    # 5. those contacts, account and reports_to joined
    # 6. one INSERT of the personal-data access row for the response
    # 7. one INSERT of the contacts it lists (all of the page's, in one statement)
    "/api/v1/contacts/": 7,
}


@pytest.fixture
def portfolio(kam, department, other_department):
    """`build(n)`: n accounts the KAM owns or is on the team of, in the head's department.

    Each has two contacts (one reporting to the other) and two team members, every other one is
    strategic with privileges (the badges must not cost a query per row); accounts of
    another department, which neither the KAM nor the head sees, must not change the count.
    """
    colleague = UserFactory(username="colleague", role=User.Role.KAM, departments=[department])
    stranger = UserFactory(username="stranger", role=User.Role.KAM, departments=[other_department])

    def build(n: int) -> None:
        for i in range(n):
            # Half owned, half reached through the account team: both paths of `visible_to`.
            owner, member = (kam, colleague) if i % 2 else (colleague, kam)
            account = AccountFactory(owner=owner, department=department)
            TeamMemberFactory(account=account, user=member)
            TeamMemberFactory(account=account, user=UserFactory(username=f"service-{i}"))
            boss = ContactFactory(account=account, is_primary=True)
            ContactFactory(account=account, reports_to=boss)
            if i % 2 == 0:
                StrategicAssessment.objects.create(account=account, **STRATEGIC)
        for _ in range(3):
            ContactFactory(account=AccountFactory(owner=stranger, department=other_department))

    return build


def rows_listed(response) -> int:
    if response.get("Content-Type", "").startswith("application/json"):
        return response.json()["count"]
    return response.context["page"].paginator.count


CASES = [
    pytest.param(url, role, n, id=f"{role} lists {url} with {n} accounts")
    for url in QUERIES
    for role in ("kam", "head")
    for n in (5, 50)
]


@pytest.mark.parametrize(("url", "role", "n"), CASES)
def test_list_runs_the_same_queries_for_few_and_many_accounts(
    client, request, django_assert_num_queries, portfolio, url, role, n
):
    portfolio(n)
    user = request.getfixturevalue(role)
    client.force_login(user)
    keep_visible_ids(user)  # as after a first request: a KAM's account ids are kept (accounts.visibility)

    with django_assert_num_queries(QUERIES[url]):
        response = client.get(url)

    assert response.status_code == 200
    contacts_per_account = 2 if "contacts" in url else 1
    assert rows_listed(response) == n * contacts_per_account
