"""The segmentation and retention pages cost the same number of queries at 1,000 and at 10,000 accounts,
for a department head (who sees them all) and for a KAM (who owns one in twenty).

The data is written in bulk (no factories, no services): a run with a segment per account, at-risk and
lost accounts, losses, refusals and a campaign. Each page is asked twice: the first request works out
the run's figures for the user's scope (the dashboard's matrix, Pareto, histogram and counts), the
second reads them from the cache. A changed number means a query was added or one now runs per row:
find which, then update the count and the list next to it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Account, AccountTeamMember, Department, User
from accounts.visibility import cached_subtree_ids as keep_visible_ids
from analysis.models import AccountSegment, AnalysisRun
from retention.models import CampaignTarget, LossRecord, Refusal, WinBackCampaign
from sales.models import ProductLine

pytestmark = [pytest.mark.scale, pytest.mark.django_db]

AS_OF = dt.date(2026, 10, 31)
KAMS = 20

# (first request, second request) per page, the same for the head and the KAM: only the visibility
# filter inside differs.
# Figures kept in the shared cache (accounts.kept) are worked out once: one query fewer after that.
KEPT = int(bool(settings.REDIS_URL))

QUERIES = {
    # 1. session  2. user  3. the latest complete run  4. (first time only) the visible segments of
    # the run, every figure worked out from this one read and kept for the run and the user's scope
    # 5. the runs of the picker
    "/analysis/": {"head": (5, 4), "kam": (5, 4)},
    # 1. session  2. user  3. run  4. one page (25) of visible segments in rank order, accounts joined
    # 5. the runs of the picker. The paginator's count and the user's ranks and shares are read from
    # the kept figures (the dashboard above worked them out).
    "/analysis/segments/": {"head": (5, 5), "kam": (5, 5)},
    "/analysis/segments/?abc_class=A&ordering=-value": {"head": (5, 5), "kam": (5, 5)},
    "/analysis/segments/?ordering=name&page=2": {"head": (5, 5), "kam": (5, 5)},
    # 1. session  2. user  3. run  4. whether the run kept each account's last-12-months value
    # 5. (first time only) status counts of the visible accounts (the tabs, and the paginator's count),
    # kept until an account changes (accounts.kept)  6. one page of at-risk and lost accounts, owner
    # joined, with that value  7-11. health of the page's accounts: monthly values, refusals, surveys,
    # interactions, open complaint cases  12. the management policy (the neglect limit of the contact
    # component)  13. the owner choices (users owning a visible account)
    "/retention/": {"head": (13, 13 - KEPT), "kam": (13, 13 - KEPT)},
    "/retention/?status=lost&ordering=days": {"head": (13 - KEPT,) * 2, "kam": (13 - KEPT,) * 2},
    # 1. session  2. user  3. run  4-6. (first time only) lost by rhythm without a recorded loss,
    # losses grouped by reason, product line, owner and class, refusals the same way and by quarter,
    # kept until a loss or refusal changes  7. the names of their product lines  8. of their owners
    "/retention/losses/": {"head": (8, 8 - 3 * KEPT), "kam": (8, 8 - 3 * KEPT)},
    # 1. session  2. user  3. visible campaigns  4. their visible targets with the revenue recovered
    "/retention/campaigns/": {"head": (4, 4), "kam": (4, 4)},
}


def _build(n: int) -> dict[str, User]:
    """n accounts of one department, owned in turn by 20 KAMs; a run with every account in it."""
    department = Department.objects.create(name=f"Scale {n}", code=f"scale-{n}")
    head = User.objects.create(username=f"head-{n}", role=User.Role.HEAD)
    head.departments.add(department)
    kams = User.objects.bulk_create(
        User(username=f"kam-{n}-{i}", role=User.Role.KAM, last_name=f"K{i:02d}") for i in range(KAMS)
    )
    statuses = ["active"] * 14 + ["at_risk"] * 3 + ["lost"] * 3
    accounts = Account.objects.bulk_create(
        (
            Account(name=f"Account {i:05d}", external_id=f"S{n}-{i:05d}", department=department,
                    owner=kams[i % KAMS], status=statuses[i // KAMS % 20])
            for i in range(n)
        ),
        batch_size=2000,
    )  # fmt: skip
    Account.objects.filter(path="").update(path=Concat(Value("/"), Cast("pk", CharField()), Value("/")))
    AccountTeamMember.objects.bulk_create(
        (AccountTeamMember(account=a, user_id=a.owner_id, team_role="kam") for a in accounts), batch_size=2000
    )
    run = AnalysisRun.objects.create(
        as_of=AS_OF, status=AnalysisRun.Status.COMPLETE, finished_at=timezone.now(), account_count=n
    )
    segments = (_segment(run, a, i, n) for i, a in enumerate(accounts))
    AccountSegment.objects.bulk_create(segments, batch_size=2000)
    LossRecord.objects.bulk_create(
        LossRecord(account=a, lost_on=AS_OF, reason="price") for a in accounts[::37]
    )
    line = ProductLine.objects.create(code=f"scale-{n}", name="Coils")  # on some of every KAM's refusals
    Refusal.objects.bulk_create(
        Refusal(account=a, on=AS_OF, reason="price", product_line=line if i % 4 < 2 else None)
        for i, a in enumerate(accounts[::7])
    )
    campaign = WinBackCampaign.objects.create(
        name="Back", goal="Back", method="discount", starts_on=AS_OF, ends_on=AS_OF, department=department
    )
    CampaignTarget.objects.bulk_create(CampaignTarget(campaign=campaign, account=a) for a in accounts[:400:7])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # as after a nightly run: statistics that know the data
            cursor.execute("ANALYZE accounts_account, accounts_accountteammember, analysis_accountsegment")
    return {"head": head, "kam": kams[3]}


def _segment(run: AnalysisRun, account: Account, i: int, n: int) -> AccountSegment:
    value = Decimal(10 * (n - i))
    return AccountSegment(
        run=run, account=account, rank=i + 1, abc_class="ABC"[min(i * 3 // n, 2)],
        xyz_class=("X", "Y", "Z", "new")[i % 4], value=value, share=0.0, cum_share=0.0,
        cv=(i % 30) / 20, months=12, monthly_mean=value / 12, monthly_std=Decimal(1),
        months_with_purchase=12, orders=12, purchase_dates=24, months_active=12,
        days_since_last_purchase=i % 400,
        churn_status=account.status, revenue_last_12_months=value,
    )  # fmt: skip


def _queries(client, user: User) -> dict[str, dict[str, tuple[int, int]]]:
    client.force_login(user)
    keep_visible_ids(user)  # as after a first request: a KAM's account ids are kept (accounts.visibility)
    counted = {}
    for url in QUERIES:
        twice = []
        for _ in range(2):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, url
            twice.append(len(queries))
        counted[url] = tuple(twice)
    return counted


CASES = [
    pytest.param("head", 1_000, id="head, 1k accounts"),
    pytest.param("head", 10_000, id="head, 10k accounts"),
    pytest.param("kam", 1_000, id="KAM, 1k accounts"),
    pytest.param("kam", 10_000, id="KAM, 10k accounts"),
]


@pytest.mark.parametrize(("role", "n"), CASES)
def test_the_analytics_pages_cost_the_same_queries_at_any_number_of_accounts(client, role, n):
    user = _build(n)[role]
    assert _queries(client, user) == {url: counts[role] for url, counts in QUERIES.items()}
