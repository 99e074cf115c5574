"""The cast every access test uses, as plain functions: `tests/conftest.py` makes each a fixture, and
the authorization matrix makes them all once for its thousands of cases (`build_cast`)."""

from __future__ import annotations

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


# The names `build_cast` hands out, known before it runs (the matrix makes a fixture of each).
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
    ours, retail = department(), other_department()
    owner, team, outside = kam(ours), teammate(ours), outsider(ours)
    return {
        "department": ours,
        "other_department": retail,
        "kam": owner,
        "teammate": team,
        "outsider": outside,
        "head": head(ours),
        "other_head": other_head(retail),
        "analyst": analyst(),
        "admin_user": admin_user(),
        "account": account(owner, team, ours),
        "foreign_account": foreign_account(outside, ours),
    }
