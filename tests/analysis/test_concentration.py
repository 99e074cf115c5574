"""The key-account share: the accounts a company runs as key accounts, not class A."""

from __future__ import annotations

import datetime as dt
from dataclasses import fields

import pytest

from accounts.models import Account
from analysis.engine import Policy
from analysis.models import AnalysisPolicy
from analysis.services import run_create, run_execute
from dossiers.models import StrategicAssessment
from sales.services import sales_lines_bulk_import

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 12, 31)


@pytest.fixture
def ledger(admin_user, department):
    """Ten accounts; K1 and K2 hold 40 % of sales, the top eight (class A) 80 %."""
    amounts = {"K1": 2200, "K2": 1800, **{f"C{i}": 750 for i in range(1, 9)}}
    lines = [
        {"line_external_id": f"{account}-{month}", "account_external_id": account,
         "date": f"2025-{month:02d}-10", "amount": f"{amount / 4:.2f}"}
        for account, amount in amounts.items()
        for month in (3, 6, 9, 12)
    ]  # fmt: skip
    assert sales_lines_bulk_import(by=admin_user, lines=lines).status == "done"
    Account.objects.update(department=department)


def _run():
    return run_execute(run=run_create(by=None, as_of=AS_OF, trigger="command"))


def test_the_default_key_accounts_are_the_flagged_ones():
    assert Policy().key_accounts == "flagged"
    assert AnalysisPolicy().key_accounts == "flagged"


def test_flagged_accounts_holding_40_percent_are_typical_and_raise_no_alert(ledger, head, client):
    Account.objects.filter(external_id="K1").update(key_client_type=Account.KeyClientType.REVENUE_CONTRIBUTOR)
    k2 = Account.objects.get(external_id="K2")
    StrategicAssessment.objects.create(account=k2, volume=True, loyalty=True, profitability=True)
    run = _run()
    assert run.concentration["key_accounts"] == 2
    assert run.concentration["key_share"] == pytest.approx(0.40)
    assert (run.concentration["band"], run.concentration["mono_dependency"]) == ("typical", False)
    client.force_login(head)
    page = client.get("/analysis/").content.decode()
    assert "Mono-dependency alert" not in page
    assert "40.0 %" in page and "typical" in page


def test_class_a_as_the_rule_is_about_80_percent_by_construction(ledger):
    run = run_execute(
        run=run_create(by=None, as_of=AS_OF, overrides={"key_accounts": "abc_a"}, trigger="command")
    )
    assert run.concentration["key_share"] == pytest.approx(0.85)  # K1, K2 and the next six


def test_with_no_account_flagged_the_card_says_so_and_shows_the_top_shares(ledger, head, client):
    run = _run()
    assert run.concentration["key_share"] is None and run.concentration["band"] == "none"
    assert not run.concentration["mono_dependency"]
    client.force_login(head)
    page = client.get("/analysis/").content.decode()
    assert "No key accounts are flagged" in page and "Mono-dependency alert" not in page
    assert "22.0 %" in page  # top-1: K1
    assert "HHI" in page


def test_the_policy_model_states_the_engines_defaults():
    defaults, model = Policy(), AnalysisPolicy()
    for spec in fields(Policy):
        assert getattr(model, spec.name) == getattr(defaults, spec.name), spec.name
    stored = {f.name for f in AnalysisPolicy._meta.get_fields()}
    assert {spec.name for spec in fields(Policy)} <= stored
