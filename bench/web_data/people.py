"""Users, the department, accounts in groups, account teams and contacts, in bulk inserts.

The rows come out as the services would leave them (`accounts/services.py`): each account carries
its materialised path, its owner sits on its team as the KAM, each account has one primary contact
and the other contacts report to it. Names and positions come from the demo's lists.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection

from accounts.bulk import id_sequence
from accounts.demo import FIRST, HOBBIES, LAST, PLACES, POSITIONS, PREFIXES, SECTORS
from accounts.models import Account, AccountTeamMember, Contact, Department, User

BATCH = 2000
GROUP_EVERY = 10  # one account in ten heads a group: two subsidiaries, one with a subsidiary of its own
KEY_CLIENT_SHARE = 0.03
FAMILIES = ("Married, two children", "Single", "Married", "Partner, one daughter", "Widowed")
VALUES = ("Reliability over price", "Long-term partnerships", "Innovation", "Punctuality")


@dataclass
class Cast:
    department: Department
    head: User
    kams: list[User]
    analyst: User
    admin: User

    @property
    def everyone(self) -> list[User]:
        return [self.head, *self.kams, self.analyst, self.admin]


def create_users(*, kams: int, password: str) -> Cast:
    """A department with its head, `kams` KAMs (kam01, kam02…), an analyst and an admin."""
    department = Department.objects.create(name="Key Accounts", code="key-accounts")
    hashed = make_password(password)  # hashed once: every user has the same password

    def user(username: str, first: str, last: str, role: str) -> User:
        admin = role == User.Role.ADMIN  # bulk_create skips User.save(), which sets these two
        return User(
            username=username,
            first_name=first,
            last_name=last,
            role=role,
            password=hashed,
            email=f"{username}@bench.kam",
            is_staff=admin,
            is_superuser=admin,
        )

    head = user("head", "Helena", "Berg", User.Role.HEAD)
    team = [
        user(f"kam{n:02d}", FIRST[n % len(FIRST)], LAST[n % len(LAST)], User.Role.KAM)
        for n in range(1, kams + 1)
    ]
    analyst = user("analyst", "Anna", "Lind", User.Role.ANALYST)
    admin = user("admin", "Ari", "Admin", User.Role.ADMIN)
    User.objects.bulk_create([head, *team, analyst, admin])
    department.members.add(head, *team)
    return Cast(department=department, head=head, kams=team, analyst=analyst, admin=admin)


def _reserve_ids(count: int) -> list[int]:
    """Account ids taken from the table's sequence up front, so that paths are known at insert."""
    with connection.cursor() as cursor:
        sequence = id_sequence(cursor)
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
        return [row[0] for row in cursor.fetchall()]


def _parent_index(index: int) -> int | None:
    position = index % GROUP_EVERY
    if position in (1, 2):
        return index - position
    if position == 3:
        return index - 2  # a subsidiary of the first subsidiary: a third level
    return None


def _account(rng: random.Random, index: int, pk: int) -> Account:
    prefix = PREFIXES[index % len(PREFIXES)]
    sector, industry = SECTORS[(index // len(PREFIXES)) % len(SECTORS)]
    country, region = PLACES[rng.randrange(len(PLACES))]
    headcount = int(rng.lognormvariate(6, 1.1)) + 20
    number = index // (len(PREFIXES) * len(SECTORS)) + 1  # "Nordic Steel 3": searches find dozens
    key = rng.random() < KEY_CLIENT_SHARE and _parent_index(index) is None
    return Account(
        pk=pk,
        name=f"{prefix} {sector} {number}",
        legal_name=f"{prefix} {sector} {number} {rng.choice(('Oy', 'S.A.', 'K.K.', 'GmbH', 'AB'))}",
        external_id=f"{index + 1:05d}",
        industry=industry,
        country=country,
        region=region,
        website=f"https://www.{prefix.lower()}{sector.lower()}{number}.example",
        headcount=headcount,
        annual_revenue=Decimal(headcount * rng.randint(80, 400)) * 1000,
        key_client_type=rng.choice(Account.KeyClientType.values) if key else "",
    )


def create_accounts(*, rng: random.Random, count: int, cast: Cast) -> list[Account]:
    """`count` accounts in groups, owned round-robin by the KAMs (a group stays with one KAM)."""
    ids = _reserve_ids(count)
    accounts: list[Account] = []
    top_level = 0
    for index, pk in enumerate(ids):
        account = _account(rng, index, pk)
        parent_index = _parent_index(index)
        if parent_index is None:
            account.owner = cast.kams[top_level % len(cast.kams)]
            account.path = f"/{pk}/"
            top_level += 1
        else:
            parent = accounts[parent_index]
            account.parent, account.owner = parent, parent.owner
            account.path = f"{parent.path}{pk}/"
        account.department = cast.department
        accounts.append(account)
    Account.objects.bulk_create(accounts, batch_size=BATCH)
    _teams(accounts, cast.kams)
    return accounts


def _teams(accounts: list[Account], kams: list[User]) -> None:
    """The owner as the account's KAM; on one account in eight a second KAM for service."""
    members = []
    for index, account in enumerate(accounts):
        owner = account.owner or kams[0]  # every generated account has an owner
        members.append(
            AccountTeamMember(account=account, user=owner, team_role=AccountTeamMember.TeamRole.KAM)
        )
        if index % 8 == 5 and len(kams) > 1:
            other = kams[(kams.index(owner) + 1) % len(kams)]
            members.append(
                AccountTeamMember(account=account, user=other, team_role=AccountTeamMember.TeamRole.SERVICE)
            )
    AccountTeamMember.objects.bulk_create(members, batch_size=BATCH)


def _contact_counts(rng: random.Random, accounts: int, contacts: int) -> list[int]:
    """At least one contact an account, `contacts` in all, unevenly spread."""
    counts = [contacts // accounts + (1 if n < contacts % accounts else 0) for n in range(accounts)]
    for n in range(accounts):
        moved = rng.randint(0, 2)
        if counts[n] - moved >= 1:
            counts[n] -= moved
            counts[rng.randrange(accounts)] += moved
    return counts


def _contact(rng: random.Random, account: Account, number: int) -> Contact:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    position, role, influence = POSITIONS[number % len(POSITIONS)]
    domain = account.website.split("www.")[-1]
    # Birthdays spread evenly over the year: about 1/26 of contacts have one in the next 14 days.
    birthday = dt.date(rng.randint(1955, 1995), 1, 1) + dt.timedelta(days=rng.randrange(365))
    return Contact(
        account=account,
        first_name=first,
        last_name=last,
        position=position,
        email=f"{first.lower()}.{last.lower()}{number}@{domain}".encode("ascii", "ignore").decode(),
        phone=f"+358 9 {rng.randint(1000000, 9999999)}",
        dmu_role=role,
        influence=influence,
        attitude=rng.choice(Contact.Attitude.values),
        is_primary=number == 0,
        birthday=birthday,
        family=rng.choice(FAMILIES),
        hobbies=rng.choice(HOBBIES),
        values=rng.choice(VALUES),
        private_phone=f"+358 40 {rng.randint(1000000, 9999999)}",
        consent_given=True,
        consent_date=dt.date(2025, rng.randint(1, 12), 1),
    )


def create_contacts(*, rng: random.Random, accounts: list[Account], count: int) -> int:
    """`count` contacts with their personal fields; the non-primary ones report to the primary one."""
    counts = _contact_counts(rng, len(accounts), count)
    rows = [_contact(rng, account, n) for account, k in zip(accounts, counts, strict=True) for n in range(k)]
    Contact.objects.bulk_create(rows, batch_size=BATCH)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_contact c SET reports_to_id = p.id FROM accounts_contact p "
            "WHERE p.account_id = c.account_id AND p.is_primary AND NOT c.is_primary"
        )
    return len(rows)
