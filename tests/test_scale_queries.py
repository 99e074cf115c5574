"""The pages of tests/scale_data.PAGES run the same number of queries at 1,000 and at 10,000 accounts,
for a department head (who sees them all) and for a KAM (who owns a twentieth of them).

The company is built once per size (bulk inserts, rolled back afterwards) and every page is fetched
once per role; the test then compares the counts. A changed pin means a query was added or removed:
find which, then update the pin. Timings are printed by bench/pages_bench.py, never asserted here.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.scale_data import PAGES, ROLES, build_company

# django_db: the test database is set up for this module's tests (the counts fixture fills it).
pytestmark = [
    pytest.mark.scale,
    pytest.mark.django_db,
    # Counted where the pages are served at this size: the bulk builder writes PostgreSQL SQL.
    pytest.mark.skipif(connection.vendor != "postgresql", reason="scale query counts run on PostgreSQL"),
]

SIZES = (1_000, 10_000)
# Fewer rows per account than the bench builds: the count of queries does not depend on them.
THIN = {"contacts_per_account": 1, "interactions_per_account": 1, "sales_months": 1}

# Queries per page, at every size, for a head and for a KAM. Every page starts with the session and
# the user (2); the list pages then run a capped COUNT, the owner and department choices and the
# page of rows (6); the API its COUNT, the page and the team members (5). The head's home page has
# one more card than the KAM's (proposals waiting for approval); its "drifting away" card asks whether
# the run kept each account's 12-month value (one query) and then reads it. The home page's status
# counts and birthday card are kept until accounts or contacts change (accounts.kept): a steady view
# reads the counts from the cache and only the few contacts the card shows. A head's home leads with
# the department's desk (the quarter, the alerts, the KAMs needing attention: management.scorecards),
# worked out once and kept for five minutes, so a steady view reads it from the cache; the head's home
# no longer lists their own accounts. A KAM's home adds the accounts nobody kept in touch with (the
# policy, the first few, their count). Both homes read the user's own overdue promises to clients
# (the first five; counted only when five are shown); the timeline reads the kept and broken ones.
# The Retention tab reads the neglect limit twice (health's contact component, the suggested loss
# reason) and the account's last interaction, and counts the open complaint cases for the health
# score. The Overview tab adds the key-client type suggestion (the latest complete run, the account's
# own margin and revenue in its window, its first sale, whether it is in a group; the company's totals
# are kept per run) and the referrals that brought the account in, then our figures at a glance
# (management.glance, 12): our revenue of the last 12 months and the 12 before (one aggregate), the
# latest complete run, the account's segment in it, its last order, the health score (the monthly
# values, refusals, surveys, interactions, open complaints, the neglect limit: 6), the next open task
# and the count of open proposals. The timeline adds kept and broken commitments.
PINNED: dict[str, dict[str, int]] = {
    "home": {"head": 12, "kam": 15},
    # The account lists read their page's keys first, then its rows (common.pagination).
    "accounts list": {"head": 7, "kam": 7},
    "accounts list, page 3": {"head": 7, "kam": 7},
    "accounts search": {"head": 7, "kam": 7},
    "accounts sorted by contacts": {"head": 7, "kam": 7},
    "accounts sorted by owner": {"head": 7, "kam": 7},
    "global search": {"head": 6, "kam": 6},
    "tab overview": {"head": 23, "kam": 23},
    "tab dossier": {"head": 10, "kam": 10},
    "tab sales": {"head": 7, "kam": 7},
    # The runs of the class history first (history_runs); the user's ranks in them are kept per run
    # and visibility scope (analysis.scopes), so a steady view reads none of the other segments.
    "tab analysis": {"head": 6, "kam": 6},
    "tab retention": {"head": 24, "kam": 24},
    "tab timeline": {"head": 19, "kam": 19},
    "API accounts, 100": {"head": 6, "kam": 6},  # its keys first, then its rows
}


def _count_queries(size: int) -> dict[tuple[str, str], tuple[int, int]]:
    """(status, queries) of every page for every role, with `size` accounts."""
    measured = {}
    with transaction.atomic():
        company = build_company(accounts=size, **THIN)
        for role in ROLES:
            client = Client(HTTP_HOST="127.0.0.1")
            client.force_login(getattr(company, role))
            for name, url_of in PAGES:
                url = url_of(company)
                cache.clear()
                client.get(url)  # the first view of a page may fill a cache: count a steady one
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(url)
                measured[name, role] = (response.status_code, len(queries))
        transaction.set_rollback(True)
    return measured


# One test, not one per page: each parallel worker that ran some of the pages would build both
# companies (24 s). A failure lists every page that is off.
@pytest.mark.slow(20)
def test_every_page_runs_as_many_queries_at_10k_accounts_as_at_1k_and_as_pinned():
    small, large = (_count_queries(size) for size in SIZES)
    wrong = []
    for name, _url_of in PAGES:
        for role in ROLES:
            status_small, queries_small = small[name, role]
            status_large, queries_large = large[name, role]
            page = f"{name} ({role})"
            if not status_small == status_large == 200:
                wrong.append(f"{page}: answered {status_small} at 1k accounts, {status_large} at 10k")
            elif queries_small != queries_large:
                wrong.append(f"{page}: {queries_small} queries at 1k accounts, {queries_large} at 10k")
            elif queries_large != PINNED[name][role]:
                wrong.append(f"{page}: {queries_large} queries, pinned {PINNED[name][role]}")
    assert not wrong, "\n".join(wrong)
