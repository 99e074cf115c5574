"""A draft proposal on the shared `account`, and helpers to give it lines."""

from __future__ import annotations

from decimal import Decimal

import pytest

from proposals import services


@pytest.fixture
def draft(account, kam):
    return services.proposal_create(account=account, by=kam, title="Cold-rolled coil, 2027")


def add_line(proposal, *, quantity="10", unit_price="1000.00", discount="0", **extra):
    return services.line_create(
        proposal=proposal,
        description=extra.pop("description", "Coil DC01 1.0 mm"),
        quantity=Decimal(quantity),
        unit_price=Decimal(unit_price),
        discount_percent=Decimal(discount),
        **extra,
    )
