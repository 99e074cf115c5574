"""A company at scale, by bulk inserts: the data set of tests/test_scale_queries.py and
bench/pages_bench.py.

One department led by a head; `kams` KAMs own the accounts in turn, a group of ten at a time (the
first account of each group is a parent with two subsidiaries, one of them owned by the next KAM,
and a colleague sits on the team of another). Each account has contacts (a few with a birthday in
the coming days), interactions and an open task, a complete analysis run with a segment for every
account, and monthly sales rollups. `adopt=True` takes the accounts already in the database (an
imported ledger) instead of creating them, and leaves runs and rollups to the real import and run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account, AccountTeamMember, Contact, Department, User
from analysis.models import AccountSegment, AnalysisRun
from dossiers.models import Interaction, Task
from sales.models import MonthlySales

GROUP = 10  # accounts per group: a parent, its two subsidiaries and seven on their own
BATCH = 5000
STATUSES = [s.value for s in Account.Status]
TYPES = ["", "", "", *[t.value for t in Account.KeyClientType]]
INDUSTRIES = ["Steel", "Food", "Chemicals", "Logistics", "Retail", "Energy", "Pharma"]


@dataclass
class Company:
    head: User
    kam: User  # owns 1/kams of the accounts
    account: Account  # a parent account of the KAM's, with data behind every tab
    accounts: int


def build_company(
    *,
    accounts: int,
    kams: int = 20,
    contacts_per_account: int = 5,
    interactions_per_account: int = 2,
    sales_months: int = 3,
    adopt: bool = False,
) -> Company:
    """Build (or, with `adopt`, complete) the company; returns the users and account to measure.
    The account measured always has a year of sales and at least two interactions."""
    department = Department.objects.create(name="Key Accounts", code="key-accounts")
    head = _user("head", User.Role.HEAD, department)
    team = [_user(f"kam{i:02d}", User.Role.KAM, department) for i in range(kams)]
    ids = _accounts(accounts, team, department, adopt=adopt)
    _groups(ids, team)
    _contacts(ids, contacts_per_account)
    _interactions_and_tasks(ids, team, interactions_per_account)
    if not adopt:
        _analysis_run(ids)
        _monthly_sales(ids, sales_months)
    account = Account.objects.get(pk=ids[0])
    return Company(head=head, kam=team[0], account=account, accounts=len(ids))


def _user(username: str, role: str, department: Department) -> User:
    user = User(username=username, first_name=username.title(), role=role)
    user.set_unusable_password()
    user.save()
    user.departments.set([department])
    return user


def _owner(index: int, team: list[User]) -> User:
    return team[(index // GROUP) % len(team)]


def _accounts(n: int, team: list[User], department: Department, *, adopt: bool) -> list[int]:
    if not adopt:
        Account.objects.bulk_create(
            (
                Account(
                    name=f"Account {i:05d}",
                    external_id=f"S{i:05d}",
                    industry=INDUSTRIES[i % len(INDUSTRIES)],
                    region=f"Region {i % 13}",
                    headcount=50 + i % 900,
                )
                for i in range(n)
            ),
            batch_size=BATCH,
        )
    ids = list(Account.objects.order_by("pk").values_list("pk", flat=True)[:n])
    with connection.cursor() as cursor:
        # One statement per owner: the owner, department, status and type follow the position.
        for k, user in enumerate(team):
            mine = [pk for i, pk in enumerate(ids) if (i // GROUP) % len(team) == k]
            cursor.execute(
                "UPDATE accounts_account SET owner_id = %s, department_id = %s, path = '/' || id || '/'"
                " WHERE id = ANY(%s)",
                [user.pk, department.pk, mine],
            )
        for value, chosen in ((s, ids[j :: len(STATUSES)]) for j, s in enumerate(STATUSES)):
            cursor.execute("UPDATE accounts_account SET status = %s WHERE id = ANY(%s)", [value, chosen])
        for j, value in enumerate(TYPES):
            chosen = ids[j :: len(TYPES)]
            cursor.execute(
                "UPDATE accounts_account SET key_client_type = %s WHERE id = ANY(%s)", [value, chosen]
            )
    return ids


def _groups(ids: list[int], team: list[User]) -> None:
    """Every group's first account is the parent of the next two; the second of them belongs to the
    next KAM (seen by the parent's KAM through the group), and that KAM sits on a third's team."""
    parents, seconds, members = [], [], []
    for i in range(0, len(ids) - 2, GROUP):
        parents.append((ids[i], [ids[i + 1], ids[i + 2]]))
        seconds.append((ids[i + 2], i // GROUP))
        if i + 3 < len(ids):
            members.append(
                AccountTeamMember(
                    account_id=ids[i + 3],
                    user=team[(i // GROUP + 1) % len(team)],
                    team_role=AccountTeamMember.TeamRole.SERVICE,
                )
            )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_account c SET parent_id = p.parent, path = '/' || p.parent || '/' || c.id || '/'"
            " FROM (SELECT unnest(%s::bigint[]) AS parent, unnest(%s::bigint[]) AS child) p"
            " WHERE c.id = p.child",
            [[p for p, kids in parents for _ in kids], [k for _, kids in parents for k in kids]],
        )
        for k, user in enumerate(team):
            theirs = [pk for pk, group in seconds if (group + 1) % len(team) == k]
            cursor.execute("UPDATE accounts_account SET owner_id = %s WHERE id = ANY(%s)", [user.pk, theirs])
    AccountTeamMember.objects.bulk_create(members, batch_size=BATCH)


def _contacts(ids: list[int], per_account: int) -> None:
    """`per_account` contacts each, the first primary; one in 30 has a birthday in the coming days."""
    today = timezone.localdate()
    rows = []
    for i, pk in enumerate(ids):
        for j in range(per_account):
            n = i * per_account + j
            soon = n % 30 == 0
            birthday = (
                (today + dt.timedelta(days=n % 14)) if soon else today + dt.timedelta(days=20 + n % 300)
            )
            rows.append(
                Contact(
                    account_id=pk,
                    first_name=f"Anna{n}",
                    last_name=f"Berg{n % 997}",
                    position="Buyer",
                    email=f"c{n}@example.com",
                    is_primary=j == 0,
                    influence=1 + n % 5,
                    birthday=birthday.replace(year=1970 + n % 30) if n % 5 else None,
                )
            )
        if len(rows) >= BATCH:
            Contact.objects.bulk_create(rows)
            rows = []
    Contact.objects.bulk_create(rows)


def _interactions_and_tasks(ids: list[int], team: list[User], per_account: int) -> None:
    now = timezone.now()
    Interaction.objects.bulk_create(
        (
            Interaction(
                account_id=pk,
                kind=Interaction.Kind.CALL if k else Interaction.Kind.MEETING,
                occurred_at=now - dt.timedelta(days=(i + 7 * k) % 90, hours=k),
                summary=f"Talked about the next order of account {i}",
            )
            for i, pk in enumerate(ids)
            for k in range(max(per_account, 2) if i == 0 else per_account)
        ),
        batch_size=BATCH,
    )
    today = timezone.localdate()
    Task.objects.bulk_create(
        (
            Task(
                owner=_owner(i, team),
                account_id=pk,
                title=f"Call back {i}",
                due_on=today + dt.timedelta(days=i % 9 - 2),
            )
            for i, pk in enumerate(ids)
            if i % GROUP == 0
        ),
        batch_size=BATCH,
    )


def _analysis_run(ids: list[int]) -> None:
    """A complete run with a segment per account, ranked by position (the parents first)."""
    as_of = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
    run = AnalysisRun.objects.create(
        as_of=as_of,
        window_first=as_of.replace(day=1, year=as_of.year - 1),
        status=AnalysisRun.Status.COMPLETE,
        started_at=timezone.now(),
        finished_at=timezone.now(),
        account_count=len(ids),
    )
    n = len(ids)
    AccountSegment.objects.bulk_create(
        (
            AccountSegment(
                run=run,
                account_id=pk,
                rank=i + 1,
                abc_class="A" if i < n * 0.2 else "B" if i < n * 0.5 else "C",
                xyz_class="XYZ"[i % 3],
                value=Decimal(100_000 - 9 * i),
                share=1 / n,
                cum_share=(i + 1) / n,
                cv=0.2,
                months=12,
                monthly_mean=Decimal(1000),
                monthly_std=Decimal(200),
                months_with_purchase=10,
                orders=20,
                purchase_dates=40,
                months_active=12,
                first_purchase=as_of - dt.timedelta(days=700),
                last_purchase=as_of - dt.timedelta(days=i % 200),
                days_since_last_purchase=i % 200,
                median_interval_days=14.0,
                churn_status=["active", "at_risk", "lost"][i % 3],
                churn_score=0.3,
                revenue_last_12_months=Decimal(12 * (1000 + i % 700)),  # kept by every run since it was added
            )
            for i, pk in enumerate(ids)
        ),
        batch_size=BATCH,
    )


def _monthly_sales(ids: list[int], months: int) -> None:
    """The last `months` months of every account (the tab's account: a year)."""
    first = timezone.localdate().replace(day=1)
    starts = [(first - dt.timedelta(days=31 * k)).replace(day=1) for k in range(1, 13)]
    MonthlySales.objects.bulk_create(
        (
            MonthlySales(
                account_id=pk,
                month=month,
                revenue=Decimal(1000 + i % 700),
                margin=Decimal(200),
                margin_lines=3,
                quantity=Decimal(10),
                line_count=3,
                purchase_dates=2,
            )
            for i, pk in enumerate(ids)
            for month in starts[: 12 if i == 0 else months]
        ),
        batch_size=BATCH,
    )


def _tab(name: str) -> Callable[[Company], str]:
    return lambda company: reverse(name, args=[company.account.pk])


# The pages whose cost must not grow with the number of accounts: (name, URL of the company's page).
# tests/test_scale_queries.py pins their query counts, bench/pages_bench.py times them.
PAGES: list[tuple[str, Callable[[Company], str]]] = [
    ("home", lambda company: reverse("home")),
    ("accounts list", lambda company: reverse("accounts:list")),
    ("accounts list, page 3", lambda company: reverse("accounts:list") + "?page=3"),
    ("accounts search", lambda company: reverse("accounts:list") + "?q=steel"),
    ("accounts sorted by contacts", lambda company: reverse("accounts:list") + "?ordering=-contacts"),
    ("accounts sorted by owner", lambda company: reverse("accounts:list") + "?ordering=owner"),
    ("global search", lambda company: reverse("dossiers:search") + "?q=steel"),
    ("tab overview", _tab("accounts:detail")),
    ("tab dossier", _tab("dossiers:account-tab")),
    ("tab sales", _tab("sales:account-tab")),
    ("tab analysis", _tab("analysis:account-tab")),
    ("tab retention", _tab("retention:account-tab")),
    ("tab timeline", _tab("dossiers:timeline")),
    ("API accounts, 100", lambda company: reverse("account-list") + "?page_size=100"),
]
ROLES = ("head", "kam")
