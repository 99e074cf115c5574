"""Retention's texts read as sentences: counts agree with their number, status changes are worded."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template.loader import render_to_string

from analysis.models import AccountSegment
from retention.health import HealthInputs, health_score
from retention.models import StatusTransition
from retention.timeline import _days_since, _status_change

Status = AccountSegment.ChurnStatus


def _why(health, key):
    return next(c.why for c in health.components if c.key == key)


@pytest.mark.parametrize(
    ("refusals", "expected"),
    [(1, "1 refusal in the last 180 days."), (2, "2 refusals in the last 180 days.")],
)
def test_the_refusal_component_says_refusal_or_refusals(refusals, expected):
    health = health_score(HealthInputs(30, 30.0, refusals_180=refusals, interactions_180=3))
    assert _why(health, "refusals") == expected


@pytest.mark.parametrize(
    ("complaints", "expected"),
    [
        (1, "1 open complaint case (open or in progress)."),
        (2, "2 open complaint cases (open or in progress)."),
    ],
)
def test_the_complaint_component_says_case_or_cases(complaints, expected):
    health = health_score(HealthInputs(30, 30.0, open_complaints=complaints, interactions_90=3))
    assert _why(health, "complaints") == expected


@pytest.mark.parametrize(
    ("links", "expected"),
    [(1, "1 link sent and not answered yet."), (2, "2 links sent and not answered yet.")],
)
def test_unanswered_links_are_counted_in_words(links, expected):
    surveys = {"average_12_months": None, "answered": [], "open": list(range(links))}
    html = render_to_string("retention/_account_surveys.html", {"surveys": surveys, "can_edit": False})
    assert expected in html
    assert "(s)" not in html


def test_a_first_status_reads_became_and_a_change_reads_from_to():
    day = dt.date(2026, 3, 1)
    first = StatusTransition(old_status="", new_status=Status.LOST, on=day)
    change = StatusTransition(old_status=Status.ACTIVE, new_status=Status.AT_RISK, on=day)

    assert _status_change(first) == "Buying status: became Lost"
    assert _status_change(change) == "Buying status went from Active to At risk"
    assert "—" not in _status_change(first) and "→" not in _status_change(change)


@pytest.mark.parametrize(("days", "expected"), [(1, "1 day since"), (2, "2 days since")])
def test_days_since_the_last_purchase_agree_with_their_number(days, expected):
    assert _days_since(days).startswith(expected)
