"""The demo data set: deterministic (fixed seed) and safe to load twice."""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import services
from .consent import consent_record
from .models import Account, AccountTeamMember, Contact, ContactConsent, Department, User

DEMO_PASSWORD = "kam-demo-2026"  # noqa: S105 - published demo credentials
SEED = 20261123

DEMO_USERS = (
    # username, first, last, role
    ("head", "Helena", "Berg", User.Role.HEAD),
    ("kam1", "Kari", "Mäkinen", User.Role.KAM),
    ("kam2", "Diego", "Santos", User.Role.KAM),
    ("kam3", "Yuki", "Tanaka", User.Role.KAM),
    ("analyst", "Anna", "Lind", User.Role.ANALYST),
    ("admin", "Ari", "Admin", User.Role.ADMIN),
)

PREFIXES = (
    "Nordic",
    "Baltic",
    "Alpine",
    "Pacific",
    "Atlas",
    "Vega",
    "Orion",
    "Polar",
    "Iberia",
    "Sakura",
    "Volga",
    "Aurora",
    "Delta",
    "Summit",
    "Harbor",
    "Granite",
    "Cedar",
    "Lumen",
    "Meridian",
    "Zenith",
)
SECTORS = (
    ("Steel", "Metals"),
    ("Foods", "Food & beverage"),
    ("Logistics", "Logistics"),
    ("Pharma", "Pharmaceuticals"),
    ("Retail", "Retail"),
    ("Energy", "Energy"),
    ("Motors", "Automotive"),
    ("Paper", "Pulp & paper"),
    ("Chemicals", "Chemicals"),
    ("Build", "Construction"),
)
PLACES = (
    ("Finland", "Uusimaa"),
    ("Spain", "Catalonia"),
    ("Japan", "Kanto"),
    ("Germany", "Bavaria"),
    ("Sweden", "Västra Götaland"),
    ("Poland", "Masovia"),
    ("Estonia", "Harju"),
)
FIRST = (
    "Mikko",
    "Laura",
    "Javier",
    "Carmen",
    "Hiroshi",
    "Aiko",
    "Olga",
    "Ivan",
    "Sofia",
    "Lukas",
    "Emma",
    "Pablo",
    "Kenji",
    "Elena",
    "Jonas",
    "Marta",
    "Timo",
    "Nina",
    "Raul",
    "Satu",
)
LAST = (
    "Virtanen",
    "García",
    "Sato",
    "Ivanova",
    "Müller",
    "Nowak",
    "Korhonen",
    "López",
    "Suzuki",
    "Petrov",
    "Lindqvist",
    "Fernández",
    "Kato",
    "Nieminen",
    "Schmidt",
    "Tamm",
)
POSITIONS = (
    ("CEO", Contact.DmuRole.DECISION_MAKER, 5),
    ("CFO", Contact.DmuRole.FINANCIAL_APPROVER, 4),
    ("Head of Procurement", Contact.DmuRole.BUYER, 4),
    ("Chief Engineer", Contact.DmuRole.TECHNICAL_EXPERT, 3),
    ("Production Manager", Contact.DmuRole.USER_INITIATOR, 3),
    ("Executive Assistant", Contact.DmuRole.GATEKEEPER, 2),
    ("Quality Director", Contact.DmuRole.INFLUENCER, 3),
    ("Buyer", Contact.DmuRole.BUYER, 2),
)
# Who reports to whom in a demo buying centre: each position's superiors, nearest first. A contact
# reports to the nearest one the account has (a buyer to the head of procurement, or else the CFO,
# or else the CEO); the CEO reports to nobody.
SUPERIORS = {
    "CEO": (),
    "CFO": ("CEO",),
    "Chief Engineer": ("CEO",),
    "Quality Director": ("CEO",),
    "Executive Assistant": ("CEO",),
    "Head of Procurement": ("CFO", "CEO"),
    "Production Manager": ("Chief Engineer", "CEO"),
    "Buyer": ("Head of Procurement", "CFO", "CEO"),
}


def position_level(position: str) -> int:
    """How far below the top a position sits (the CEO is 0): a contact's superior is always higher."""
    superiors = SUPERIORS.get(position, ())
    return 1 + max((position_level(s) for s in superiors), default=-1)


def ascii_name(name: str) -> str:
    """A name as an e-mail address spells it: accents taken off the letters, none dropped (López → lopez)."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower().replace(" ", "")


HOBBIES = ("sailing", "golf", "chess", "marathon running", "jazz", "fishing", "photography", "skiing")


@dataclass
class SeedReport:
    users: int
    accounts_created: int
    contacts_created: int


def _users(department: Department) -> dict[str, User]:
    users = {}
    for username, first, last, role in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "role": role, "email": f"{username}@demo.kam"},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_superuser = role == User.Role.ADMIN
            user.save()
        if role != User.Role.ADMIN:
            user.departments.add(department)
        users[username] = user
    return users


def _account_data(rng: random.Random, index: int) -> dict:
    prefix = PREFIXES[index % len(PREFIXES)]
    # 20 prefixes x 10 sectors: each index below 200 gets its own pair.
    sector, industry = SECTORS[(index * 3 + index // len(PREFIXES)) % len(SECTORS)]
    country, region = PLACES[rng.randrange(len(PLACES))]
    headcount = int(rng.lognormvariate(6, 1.1)) + 20
    data = {
        "name": f"{prefix} {sector}",
        "legal_name": f"{prefix} {sector} {rng.choice(('Oy', 'S.A.', 'K.K.', 'GmbH', 'AB', 'Sp. z o.o.'))}",
        "external_id": f"{index + 1:05d}",
        "industry": industry,
        "country": country,
        "region": region,
        "website": f"https://www.{prefix.lower()}{sector.lower()}.example",
        "headcount": headcount,
        "annual_revenue": Decimal(headcount * rng.randint(80, 400)) * 1000,
        # About one in six is a prospect (no sales yet); the others are customers whose ledger the
        # sales demo imports, and the nightly run gives them their buying status.
        "customer": rng.choices([True, False, True], weights=(8, 2, 1))[0],
    }
    rng.choice(range(5))  # the draw that once picked a random key-client type: the rest stays the same
    return {**data, "key_client_type": KEY_CLIENTS.get(index, "")}


# The accounts the demo company runs as key accounts (by index): its flagship Nordic Steel (an
# image-maker; sales.demo gives it a steadily growing ledger), its biggest revenue contributor, a
# prospect, an image-maker and two experts (Orion Chemicals and Delta Motors, both buying: a key
# account the ledger shows as lost would contradict its plan). Diego Santos (kam2) also carries eight
# small ones he was asked to grow, which puts him at ten key accounts, over the target load of nine,
# and Vega Paper among them has gone without a visit for two months (management.demo). Together with
# the strategic accounts they hold about 54 % of sales, the typical 30-55 %.
KEY_CLIENTS = {
    0: Account.KeyClientType.IMAGE_MAKER,
    1: Account.KeyClientType.REVENUE_CONTRIBUTOR,
    2: Account.KeyClientType.PROSPECT,
    6: Account.KeyClientType.EXPERT,
    18: Account.KeyClientType.IMAGE_MAKER,
    12: Account.KeyClientType.EXPERT,
    **dict.fromkeys((9, 17, 19, 22, 24, 32, 50), Account.KeyClientType.PROSPECT),
    45: Account.KeyClientType.EXPERT,
}

SOON_BIRTHDAYS = 0.06  # the share of contacts whose birthday falls in the coming two weeks (home page)


def _birthday(rng: random.Random) -> date:
    year = rng.randint(1960, 1992)
    if rng.random() < SOON_BIRTHDAYS:
        soon = timezone.localdate() + timedelta(days=rng.randint(1, 13))
        return date(year, soon.month, min(soon.day, 28))
    return date(year, rng.randint(1, 12), rng.randint(1, 28))


def _contacts(rng: random.Random, account: Account) -> int:
    created = 0
    by_position: dict[str, Contact] = {}
    domain = account.website.split("www.")[-1]
    positions = rng.sample(POSITIONS, rng.randint(2, 5))
    # The top of the buying centre first, so that everyone's superior is there before them.
    for position, role, influence in sorted(positions, key=lambda p: position_level(p[0])):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        if Contact.objects.filter(account=account, first_name=first, last_name=last).exists():
            continue
        boss = next((by_position[s] for s in SUPERIORS[position] if s in by_position), None)
        contact = services.contact_create(
            account=account,
            personal=True,
            first_name=first,
            last_name=last,
            position=position,
            email=f"{ascii_name(first)}.{ascii_name(last)}@{domain}",
            phone=f"+358 9 {rng.randint(1000000, 9999999)}",
            dmu_role=role,
            influence=influence,
            attitude=rng.choice(Contact.Attitude.values),
            reports_to=boss,
            is_primary=not by_position,  # the most senior person of the account
            birthday=_birthday(rng),
            hobbies=rng.choice(HOBBIES),
            family=rng.choice(("Married, two children", "Single", "Married", "Partner, one daughter")),
            values=rng.choice(
                ("Reliability over price", "Long-term partnerships", "Innovation", "Punctuality")
            ),
        )
        given_on = date(2025, rng.randint(1, 12), 1)
        consent_record(contact=contact, given_on=given_on, channel=ContactConsent.Channel.WRITTEN, by=None)
        by_position[position] = contact
        created += 1
    return created


def _parent_index(index: int) -> int | None:
    """Every 6th account heads a group of three levels: two subsidiaries, one of them with its own."""
    position = index % 6
    if position in (1, 2):
        return index - position
    if position == 3 and index % 12 == 3:
        return index - 2
    return None


@transaction.atomic
def seed_demo(*, accounts: int = 60) -> SeedReport:
    rng = random.Random(SEED)
    department, _ = Department.objects.get_or_create(code="key-accounts", defaults={"name": "Key Accounts"})
    users = _users(department)
    kams = [users["kam1"], users["kam2"], users["kam3"]]
    created_accounts = created_contacts = 0
    by_index: dict[int, Account] = {}
    for index in range(accounts):
        data = _account_data(rng, index)
        owner = kams[(index + index // 6) % 3]
        existing = Account.objects.filter(external_id=data["external_id"]).first()
        parent_index = _parent_index(index)
        parent = by_index.get(parent_index) if parent_index is not None else None
        customer = data.pop("customer")
        if existing is None:
            data.update(owner=owner, department=department, parent=parent)
            account = services.account_create(by=users["admin"], **data)
            if customer:  # a customer already: its sales come with the demo ledger
                services.account_statuses_set(
                    accounts=Account.objects.filter(pk=account.pk), status=Account.Status.ACTIVE
                )
            created_accounts += 1
            if index % 5 == 0:
                services.team_member_add(
                    account=account,
                    user=users["head"],
                    team_role=AccountTeamMember.TeamRole.EXECUTIVE_SPONSOR,
                )
            if index % 4 == 0:
                services.team_member_add(
                    account=account,
                    user=kams[(kams.index(owner) + 1) % 3],
                    team_role=AccountTeamMember.TeamRole.SERVICE,
                )
            created_contacts += _contacts(rng, account)
        else:
            account = existing
        by_index[index] = account
    return SeedReport(users=len(users), accounts_created=created_accounts, contacts_created=created_contacts)
