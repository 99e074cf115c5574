"""The cast every access test uses, as plain functions: `tests/conftest.py` makes each a fixture, and
the authorization matrix makes them all once for its thousands of cases (`build_cast`)."""

from __future__ import annotations

import inspect

from accounts.models import Account, Department, User
from tests.factories import AccountFactory, DepartmentFactory, TeamMemberFactory, UserFactory


def department() -> Department:
    return DepartmentFactory(name="Key Accounts", code="key-accounts")


def other_department() -> Department:
    return DepartmentFactory(name="Retail", code="retail")


def kam(department: Department) -> User:
    """Owns `account`."""
    return UserFactory(username="owner", role=User.Role.KAM, departments=[department])


def teammate(department: Department) -> User:
    """Another KAM, on `account`'s team."""
    return UserFactory(username="teammate", role=User.Role.KAM, departments=[department])


def outsider(department: Department) -> User:
    """A KAM of the same department who has nothing to do with `account`."""
    return UserFactory(username="outsider", role=User.Role.KAM, departments=[department])


def head(department: Department) -> User:
    return UserFactory(username="head", role=User.Role.HEAD, departments=[department])


def other_head(other_department: Department) -> User:
    return UserFactory(username="otherhead", role=User.Role.HEAD, departments=[other_department])


def analyst() -> User:
    return UserFactory(username="analyst", role=User.Role.ANALYST)


def admin_user() -> User:
    return UserFactory(username="admin", role=User.Role.ADMIN, is_superuser=True)


def account(kam: User, teammate: User, department: Department) -> Account:
    account = AccountFactory(name="Nordic Steel", external_id="00017", owner=kam, department=department)
    TeamMemberFactory(account=account, user=teammate)
    return account


def foreign_account(outsider: User, department: Department) -> Account:
    return AccountFactory(name="Baltic Foods", owner=outsider, department=department)


# The cast in the order it is made: each one's parameters name those it needs, made before it (as
# pytest resolves the conftest's fixtures of the same names). The matrix makes a fixture of each name.
CAST = (
    "department",
    "other_department",
    "kam",
    "teammate",
    "outsider",
    "head",
    "other_head",
    "analyst",
    "admin_user",
    "account",
    "foreign_account",
)


def build_cast() -> dict[str, Department | User | Account]:
    """Every role of the cast, both departments, `account` and `foreign_account`, by fixture name."""
    made: dict[str, Department | User | Account] = {}
    for name in CAST:
        make = globals()[name]
        made[name] = make(*(made[needed] for needed in inspect.signature(make).parameters))
    return made
