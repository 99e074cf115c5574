"""The health score counts only the evidence there is."""

from decimal import Decimal

from retention.health import LOST_CEILING, HealthInputs, health_score, usual_interval_days


def test_an_account_lost_long_ago_earns_nothing_for_missing_refusals_surveys_or_complaints():
    health = health_score(HealthInputs(days_since_last_purchase=882, median_interval_days=30.0, lost=True))
    by_key = {c.key: c for c in health.components}
    assert health.score == 0 and health.band == "poor"
    assert (by_key["rhythm"].points, by_key["trend"].points) == (0.0, 0.0)
    for key in ("refusals", "satisfaction", "complaints"):
        assert not by_key[key].has_data


def test_the_score_is_over_the_components_with_evidence():
    health = health_score(HealthInputs(days_since_last_purchase=10, median_interval_days=30.0,
                                       value_last_6=Decimal(600), value_previous_6=Decimal(600)))  # fmt: skip
    assert health.score == 100  # rhythm 35/35 and trend 25/25; nothing else is known
    with_survey = health_score(HealthInputs(days_since_last_purchase=10, median_interval_days=30.0,
                                            value_last_6=Decimal(600), value_previous_6=Decimal(600),
                                            satisfaction=1.0))  # fmt: skip
    assert with_survey.score == round(100 * 60 / 75)


def test_contact_without_refusals_or_complaints_is_evidence():
    health = health_score(HealthInputs(days_since_last_purchase=10, median_interval_days=30.0,
                                       value_last_6=Decimal(600), value_previous_6=Decimal(600),
                                       interactions_180=2, interactions_90=1))  # fmt: skip
    by_key = {c.key: c for c in health.components}
    assert by_key["refusals"].points == 15 and by_key["complaints"].points == 10


def test_no_evidence_at_all_is_no_score():
    health = health_score(HealthInputs(days_since_last_purchase=None, median_interval_days=None))
    assert health.score is None and health.band == "no-data"


def test_a_lost_account_cannot_score_above_the_watch_band():
    health = health_score(HealthInputs(days_since_last_purchase=5, median_interval_days=30.0,
                                       value_last_6=Decimal(600), value_previous_6=Decimal(600),
                                       lost=True))  # fmt: skip
    assert health.score == LOST_CEILING and health.band == "watch"


def test_one_usual_interval_rounded_half_up_as_the_page_shows_it():
    assert usual_interval_days(30.5) == 31 and usual_interval_days(29.5) == 30
    health = health_score(HealthInputs(days_since_last_purchase=40, median_interval_days=30.5))
    assert "its usual 31 days" in health.components[0].why
