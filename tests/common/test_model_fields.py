"""JSONTextField: json, not jsonb, on PostgreSQL, and the same values back as a JSONField gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection

from analysis.models import AccountSegment, AnalysisRun
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

DRIVERS = [
    {"feature": "recency_days", "value": 41.0, "contribution": 1.2034},
    {"feature": "recency_ratio", "value": None, "contribution": -0.5},
]


def segment(run, account, **drivers) -> AccountSegment:
    return AccountSegment.objects.create(
        run=run, account=account, rank=1, abc_class="A", xyz_class="X", value=1, share=1, cum_share=1,
        months=12, monthly_mean=1, monthly_std=0, months_with_purchase=1, orders=1, purchase_dates=1,
        months_active=1, **drivers,
    )  # fmt: skip


def test_the_churn_drivers_are_stored_as_json_text_and_read_back_as_written(account):
    run = AnalysisRun.objects.create(as_of=dt.date(2025, 12, 31), status=AnalysisRun.Status.COMPLETE)
    explained = segment(run, account, churn_drivers=DRIVERS)
    unexplained = segment(run, AccountFactory(owner=account.owner))
    text = segment(
        run, AccountFactory(owner=account.owner), churn_drivers="[1]"
    )  # a string that looks like JSON

    assert AccountSegment.objects.get(pk=explained.pk).churn_drivers == DRIVERS
    assert AccountSegment.objects.get(pk=unexplained.pk).churn_drivers == []  # the default
    read = AccountSegment.objects.filter(run=run).order_by("pk").values_list("churn_drivers", flat=True)
    assert list(read) == [DRIVERS, [], "[1]"]
    assert AccountSegment.objects.get(pk=text.pk).churn_drivers == "[1]"  # decoded once, not twice
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = 'analysis_accountsegment'::regclass AND attname = 'churn_drivers'"
            )
            assert cursor.fetchone() == ("json",)
