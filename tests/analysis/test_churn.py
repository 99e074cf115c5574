"""Churn status on hand-built purchase histories (each threshold worked out in the test), the churn
risk score against recency on a generated ledger, and both through a real run."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pandas as pd
import pytest
from rest_framework.test import APIClient
from sklearn.metrics import roc_auc_score

from analysis.engine import ChurnLedger, Policy, RunInputs, analyse, churn_scores, churn_status, rfm
from analysis.engine.churn import FEATURES, MAX_LOOKBACK_DAYS, training_cutoffs
from analysis.models import AccountSegment
from analysis.services import run_create, run_execute
from sales.consumer_ledger import consumer_lines
from sales.ledger_generator import account_lifecycles, generate_lines
from sales.services import sales_lines_bulk_import

D = dt.date
AS_OF = D(2024, 12, 31)


def statuses(histories: dict[str, list[dt.date]], as_of: dt.date = AS_OF, policy: Policy | None = None):
    rows = [(account, day) for account, days in histories.items() for day in days]
    frame = rfm(pd.DataFrame(rows, columns=["account", "date"]), as_of=as_of, window_first=D(2000, 1, 1))
    return churn_status(frame, policy or Policy()).to_dict()


def ago(days: int, as_of: dt.date = AS_OF) -> dt.date:
    return as_of - dt.timedelta(days=days)


# --- status: one purchase date -----------------------------------------------------------------


def test_one_purchase_is_at_risk_after_45_days_and_lost_after_180():
    result = statuses({f"d{n}": [ago(n)] for n in (0, 44, 45, 46, 180, 181)})
    assert result == {
        "d0": "active",
        "d44": "active",
        "d45": "active",  # 45 is not > 45
        "d46": "at_risk",
        "d180": "at_risk",  # 180 is not > 180
        "d181": "lost",
    }


# --- status: two or more purchase dates --------------------------------------------------------


def test_a_monthly_buyer_who_skips_two_months_is_at_risk_not_lost():
    # Gaps 31, 29, 31, 30, 31: median 31. At risk past max(1.5 x 31, 45) = 46.5 days, lost past
    # max(3 x 31, 90) = 93. As of 2024-09-13 the last purchase (June 15) is 90 days old.
    monthly = [D(2024, month, 15) for month in range(1, 7)]
    as_of = D(2024, 9, 13)
    assert statuses({"m": monthly}, as_of) == {"m": "at_risk"}
    assert statuses({"m": monthly}, as_of + dt.timedelta(days=3)) == {"m": "at_risk"}  # 93: not > 93
    assert statuses({"m": monthly}, as_of + dt.timedelta(days=4)) == {"m": "lost"}  # 94
    assert statuses({"m": monthly}, D(2024, 7, 31)) == {"m": "active"}  # 46 days: not > 46.5


def test_a_quarterly_buyer_follows_its_own_cadence():
    # Every 91 days: at risk past 1.5 x 91 = 136.5 days, lost past 3 x 91 = 273.
    last = D(2023, 12, 1)
    quarterly = [last - dt.timedelta(days=91 * k) for k in range(5)]
    result = {
        days: statuses({"q": quarterly}, last + dt.timedelta(days=days))["q"]
        for days in (120, 136, 137, 273, 274)
    }
    assert result == {120: "active", 136: "active", 137: "at_risk", 273: "at_risk", 274: "lost"}


def test_a_buyer_whose_last_purchase_is_today_is_active():
    assert statuses({"t": [ago(60), ago(30), AS_OF]}) == {"t": "active"}


def test_the_minimum_days_apply_to_fast_buyers():
    # Weekly: 1.5 x 7 = 10.5 but at risk only past 45 days; 3 x 7 = 21 but lost only past 90.
    weekly = [ago(7 * k, ago(40)) for k in range(10)]
    assert statuses({"w": weekly}) == {"w": "active"}
    assert statuses({"w": weekly}, AS_OF + dt.timedelta(days=6)) == {"w": "at_risk"}  # 46 days
    assert statuses({"w": weekly}, AS_OF + dt.timedelta(days=51)) == {"w": "lost"}  # 91 days


def test_a_threshold_exactly_equal_is_not_past():
    # Median 30: 1.5 x 30 = 45 and 45 days is not > 45; 3 x 30 = 90 and 90 is not > 90.
    history = [ago(45 + 60), ago(45 + 30), ago(45)]
    assert statuses({"e": history}) == {"e": "active"}
    assert statuses({"e": [ago(90 + 60), ago(90 + 30), ago(90)]}) == {"e": "at_risk"}


def test_thresholds_are_compared_exactly_not_in_floating_point():
    # 2.3 x 50 is 114.99999999999999 in floating point, which 115 days would wrongly exceed.
    assert 2.3 * 50 < 115
    policy = Policy(at_risk_interval_multiplier=Decimal("2.3"), at_risk_min_days=0)
    assert statuses({"f": [ago(215), ago(165), ago(115)]}, policy=policy) == {"f": "active"}
    assert statuses({"f": [ago(216), ago(166), ago(116)]}, policy=policy) == {"f": "at_risk"}


def test_a_half_day_median_is_exact():
    # Gaps 30 and 31: median 30.5; 1.5 x 30.5 = 45.75 — 46 days is past it, 45 is not.
    assert statuses({"h": [ago(46 + 61), ago(46 + 31), ago(46)]}) == {"h": "at_risk"}
    assert statuses({"h": [ago(45 + 61), ago(45 + 31), ago(45)]}) == {"h": "active"}


# --- policy ------------------------------------------------------------------------------------


def test_the_policy_defaults_are_the_architectures():
    policy = Policy()
    assert (policy.lost_interval_multiplier, policy.lost_min_days) == (Decimal(3), 90)
    assert (policy.at_risk_interval_multiplier, policy.at_risk_min_days) == (Decimal("1.5"), 45)
    assert (policy.single_lost_days, policy.single_at_risk_days, policy.churn_horizon_months) == (180, 45, 6)


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"at_risk_interval_multiplier": Decimal(4)}, "interval multipliers"),
        ({"at_risk_interval_multiplier": Decimal(0)}, "interval multipliers"),
        ({"at_risk_min_days": 100}, "minimum days"),
        ({"single_at_risk_days": 200}, "single-purchase days"),
        ({"churn_horizon_months": 0}, "churn_horizon_months"),
    ],
)
def test_churn_thresholds_are_validated(values, message):
    with pytest.raises(ValueError, match=message):
        Policy(**values)


def test_churn_thresholds_survive_the_round_trip_through_a_dict():
    policy = Policy(lost_interval_multiplier=Decimal("2.50"), single_lost_days=200, churn_horizon_months=3)
    data = policy.as_dict()
    assert data["lost_interval_multiplier"] == "2.5"
    assert Policy.from_dict(data) == policy
    assert Policy.from_dict({}) == Policy()  # runs stored before the churn thresholds existed


# --- the risk score ----------------------------------------------------------------------------

END = D(2025, 12, 31)
SPEC = {"lines": 200_000, "accounts": 3000, "months": 36, "seed": 3, "end": END}


@pytest.fixture(scope="module")
def generated():
    lines = pd.DataFrame(
        ((r["account_external_id"], r["date"], int(r["amount"] * 100)) for r in generate_lines(**SPEC)),
        columns=["account", "date", "cents"],
    )
    lines["date"] = pd.to_datetime(lines["date"])
    return lines


def inputs_as_of(lines: pd.DataFrame, as_of: dt.date) -> RunInputs:
    known = lines.loc[lines["date"] <= pd.Timestamp(as_of)]
    month = known["date"].dt.to_period("M").dt.to_timestamp()
    monthly = known.assign(month=month).groupby(["account", "month"], as_index=False)["cents"].sum()
    monthly = monthly.rename(columns={"cents": "value_cents"})
    window = monthly.loc[monthly["month"] > pd.Timestamp(as_of) - pd.DateOffset(months=12)]
    return RunInputs(window, known[["account", "date"]].drop_duplicates(), monthly_history=monthly)


def test_the_score_ranks_churners_better_than_recency(generated):
    cutoff = D(2025, 6, 30)
    result = analyse(inputs_as_of(generated, cutoff), Policy(), cutoff)
    segments = result.segments
    assert result.churn_model["method"] == "logistic_regression"
    assert result.churn_model["fit_horizon_months"] == 6  # the run's own horizon: enough past for it
    # The latest cut-off with a known outcome, its whole past as the window (and as_of seen alike).
    assert result.churn_model["cutoffs"] == ["2024-12-31"]
    history = (D(2024, 12, 31) - generated["date"].min().date()).days + 1
    assert result.churn_model["lookback_days"] == min(history, MAX_LOOKBACK_DAYS)
    bought_after = set(generated.loc[generated["date"] > pd.Timestamp(cutoff), "account"])
    silent = ~segments.index.isin(list(bought_after))
    score = roc_auc_score(silent, segments["churn_score"])
    recency = roc_auc_score(silent, segments["days_since_last_purchase"])
    assert score > recency
    # The generator's own ground truth: the accounts it made stop before the ledger's end.
    churned = {life.external_id: life.churned for life in account_lifecycles(**SPEC)}
    truth = segments.index.map(churned).astype(bool)
    assert roc_auc_score(truth, segments["churn_score"]) > roc_auc_score(
        truth, segments["days_since_last_purchase"]
    )


def test_scores_are_probabilities_with_three_explained_drivers(generated):
    segments = analyse(inputs_as_of(generated, END), Policy(), END).segments
    assert segments["churn_score"].between(0, 1).all()
    drivers = json.loads(segments["churn_drivers"].iloc[0])
    assert len(drivers) == 3
    assert all(set(d) == {"feature", "value", "contribution"} and d["feature"] in FEATURES for d in drivers)
    sizes = [abs(d["contribution"]) for d in drivers]
    assert sizes == sorted(sizes, reverse=True)


def test_the_same_input_and_policy_give_the_same_result(generated):
    first = analyse(inputs_as_of(generated, END), Policy(), END)
    second = analyse(inputs_as_of(generated, END), Policy(), END)
    assert first.result_hash() == second.result_hash()
    assert first.churn_model == second.churn_model
    assert first.segments["churn_score"].equals(second.segments["churn_score"])


def test_training_cut_offs_are_month_ends_whose_outcome_is_known():
    cutoffs = training_cutoffs(D(2025, 12, 31), 6)
    assert cutoffs[:4] == [D(2025, 6, 30), D(2025, 5, 31), D(2025, 4, 30), D(2025, 3, 31)]
    assert len(cutoffs) == 12 and cutoffs[-1] == D(2024, 7, 31)
    # Mid-month: the month end before, so the outcome window ends on or before as_of.
    assert training_cutoffs(D(2025, 11, 17), 6)[0] == D(2025, 4, 30)


def test_too_little_history_falls_back_to_the_documented_heuristic():
    # Six months of data: the latest cut-off with a known outcome has no past to learn from.
    dates = pd.DataFrame(
        [
            ("a", D(2025, 10, 1)),
            ("a", D(2025, 11, 1)),
            ("b", D(2025, 10, 2)),
            ("c", D(2025, 7, 4)),
            ("d", D(2025, 12, 1)),
            ("d", D(2025, 12, 15)),
        ],
        columns=["account", "date"],
    )
    monthly = pd.DataFrame(columns=["account", "month", "value_cents"])
    scores = churn_scores(ChurnLedger.build(dates, monthly), Policy(), D(2025, 12, 31))
    assert scores.model["method"] == "heuristic"
    score = scores.scores["churn_score"]
    assert score["b"] == 0.5  # 90 days: lost_min_days, the middle of the scale
    assert score["c"] > score["b"] > score["a"] > score["d"]  # by days since the last purchase alone
    assert score.between(0, 1).all()


# --- the risk score on a short ledger -------------------------------------------------------------

SHORT_AS_OF = D(2025, 12, 31)  # a 9-month ledger from April 1: no 6-month outcome with 180 days of past


def every(days: int, first: dt.date, last: dt.date) -> list[dt.date]:
    return [d.date() for d in pd.date_range(first, last, freq=f"{days}D")]


def short_ledger() -> pd.DataFrame:
    """Fortnightly buyers who keep buying, fortnightly buyers who stop (half before the 3-month
    cut-off of Sept 30, half after), one-time buyers spread over the months, and two probes: a loyal
    buyer quiet for 20 days and a newcomer who bought once, 10 days ago."""
    rows = []
    for n in range(12):
        rows += [(f"reg{n}", d) for d in every(14, D(2025, 4, 1) + dt.timedelta(days=n), D(2025, 12, 31))]
        stop = D(2025, 7, 1) + dt.timedelta(days=12 * n)  # July 1 to Nov 2
        rows += [(f"stop{n}", d) for d in every(14, D(2025, 4, 2) + dt.timedelta(days=n), stop)]
    rows += [(f"once{n}", D(2025, 4, 3) + dt.timedelta(days=9 * n)) for n in range(30)]  # to Dec 3
    rows += [("loyal", d) for d in every(14, D(2025, 4, 10), D(2025, 12, 11))]
    rows += [("newcomer", D(2025, 12, 21))]
    return pd.DataFrame(rows, columns=["account", "date"])


def short_scores(dates: pd.DataFrame):
    monthly = pd.DataFrame(columns=["account", "month", "value_cents"])
    return churn_scores(ChurnLedger.build(dates, monthly), Policy(), SHORT_AS_OF)


def test_a_short_ledger_is_fit_for_the_horizon_its_past_allows():
    # 9 months of past: the 6-month outcome would need a cut-off at June 30 with 91 days of past
    # (< 180). A third of the past, 3 months, can be fit: cut-off Sept 30, 183 days of past before it.
    model = short_scores(short_ledger()).model
    assert model["method"] == "logistic_regression"
    assert (model["horizon_months"], model["fit_horizon_months"]) == (6, 3)
    assert model["cutoffs"] == ["2025-09-30"]
    assert model["lookback_days"] == (D(2025, 9, 30) - D(2025, 4, 1)).days + 1 == 183
    assert model["training_rows"] == 12 + 12 + 21 + 1  # reg, stop, once by Sept 30 (Apr 3 + 9n), loyal


def test_a_short_ledger_no_longer_ranks_as_recency():
    # Recency says the newcomer (10 days) is safer than the loyal buyer (20 days); the ledger's own
    # past says one-time buyers did not come back and fortnightly buyers did.
    scores = short_scores(short_ledger()).scores["churn_score"]
    assert scores["newcomer"] > scores["loyal"]
    recency = short_ledger().groupby("account")["date"].max().map(lambda d: (SHORT_AS_OF - d).days)
    assert scores.rank().corr(recency.reindex(scores.index).rank()) < 1


def test_the_short_fit_is_deterministic_whatever_the_row_order():
    dates = short_ledger()
    first = short_scores(dates)
    again = short_scores(dates.sample(frac=1.0, random_state=5))
    assert first.model == again.model
    assert first.scores["churn_score"].equals(again.scores["churn_score"].reindex(first.scores.index))


def test_with_no_horizon_to_fit_the_heuristic_remains():
    # Six weeks of past: no horizon leaves 28 days of past before its cut-off.
    dates = short_ledger().loc[lambda f: pd.to_datetime(f["date"]) > pd.Timestamp(2025, 11, 18)]
    assert short_scores(dates).model["method"] == "heuristic"


def test_an_account_without_a_purchase_date_scores_as_most_likely_to_churn():
    # A row without a date names an account with lines but no purchase date (returns only).
    dates = pd.concat([short_ledger(), pd.DataFrame({"account": ["returns"], "date": [None]})])
    scores = short_scores(dates)
    assert scores.scores.loc["returns", "churn_score"] == 1.0
    assert scores.scores["churn_score"].max() == 1.0  # none above it (rounded scores may tie)
    assert scores.model["undated_accounts"] == 1
    # Named by the caller instead, as an account of the run the ledger does not hold.
    monthly = pd.DataFrame(columns=["account", "month", "value_cents"])
    ledger = ChurnLedger.build(short_ledger(), monthly)
    named = churn_scores(ledger, Policy(), SHORT_AS_OF, accounts=pd.Index(["loyal", "gone"]))
    assert named.scores.loc["gone", "churn_score"] == 1.0
    assert len(named.scores) == short_ledger()["account"].nunique() + 1


@pytest.mark.parametrize("months", [12, 18, 24])
def test_a_short_ledger_still_ranks_at_least_as_well_as_recency(months):
    """Early cut-offs of a short ledger see short pasts: features over one common window keep the
    model from learning a history length it will not meet at as_of. At 12 months the fit is for 2
    months only, and ranked below recency for 6 until half its log-odds became recency's."""
    spec = {**SPEC, "lines": 200_000, "accounts": 3000, "months": months, "seed": 1}
    lines = pd.DataFrame(
        ((r["account_external_id"], r["date"], int(r["amount"] * 100)) for r in generate_lines(**spec)),
        columns=["account", "date", "cents"],
    )
    lines["date"] = pd.to_datetime(lines["date"])
    cutoff = D(2025, 6, 30)
    result = analyse(inputs_as_of(lines, cutoff), Policy(), cutoff)
    segments = result.segments
    silent = ~segments.index.isin(list(set(lines.loc[lines["date"] > pd.Timestamp(cutoff), "account"])))
    assert result.churn_model["method"] == "logistic_regression"
    assert roc_auc_score(silent, segments["churn_score"]) >= roc_auc_score(
        silent, segments["days_since_last_purchase"]
    )


def consumer_run(months: int, seed: int):
    """A consumer-like ledger (most customers buy once) run 6 months before its end: (the run's
    result, per account whether it bought nothing after)."""
    lines, _ = consumer_lines(accounts=4000, months=months, seed=seed, end=END)
    bought = lines.loc[lines["cents"] >= 0]  # a day of returns only is not a purchase date
    cutoff = D(2025, 6, 30)
    result = analyse(inputs_as_of(bought, cutoff), Policy(), cutoff)
    after = set(bought.loc[bought["date"] > pd.Timestamp(cutoff), "account"])
    return result, ~result.segments.index.isin(list(after))


def test_on_a_9_month_consumer_ledger_the_repeat_buying_model_beats_recency_by_a_hundredth():
    result, silent = consumer_run(9, seed=1)
    segments, model = result.segments, result.churn_model
    assert (result.segments["purchase_dates"] == 1).mean() > 0.5
    # Tried at the month end before (1 month of outcome): it ranked above recency and the fit.
    assert model["method"] == "repeat_buying"
    guard = model["guard"]
    assert (guard["cutoff"], guard["horizon_months"], guard["chose"]) == ("2025-05-31", 1, "repeat_buying")
    assert guard["auc"]["repeat_buying"] > max(guard["auc"]["recency"], guard["auc"]["logistic_regression"])
    assert model["fit_horizon_months"] == model["horizon_months"] == 6  # it ranks for the run's own
    score = roc_auc_score(silent, segments["churn_score"])
    assert score >= roc_auc_score(silent, segments["days_since_last_purchase"]) + 0.01
    drivers = json.loads(segments["churn_drivers"].iloc[0])
    assert {d["feature"] for d in drivers} == {"recency_days", "purchase_dates", "tenure_days"}


def test_a_one_time_buyer_scores_above_a_repeat_buyer_as_recent():
    result, _ = consumer_run(9, seed=2)
    segments = result.segments
    recent = segments.loc[segments["days_since_last_purchase"] == 10]
    once = recent.loc[recent["purchase_dates"] == 1, "churn_score"]
    again = recent.loc[recent["purchase_dates"] >= 3, "churn_score"]
    assert len(once) and len(again) and once.min() > again.max()


def test_a_long_ledger_keeps_the_regression_when_it_gained_more_over_recency(generated):
    result = analyse(inputs_as_of(generated, D(2025, 6, 30)), Policy(), D(2025, 6, 30))
    guard = result.churn_model["guard"]
    assert result.churn_model["method"] == guard["chose"] == "logistic_regression"
    gains = guard["gain_over_recency"]
    assert gains["logistic_regression"] > gains["repeat_buying"]


def test_an_account_silent_for_the_whole_window_is_scored_on_its_recency_alone():
    def monthly_buyer(name, first, months):
        return [(name, (pd.Timestamp(first) + pd.DateOffset(months=k)).date()) for k in range(months)]

    rows = []
    for n in range(40):  # regular buyers, half of which stop after a year
        rows += monthly_buyer(f"r{n}", "2023-01-10", 30 if n % 2 else 12)
    rows += [("gone", D(2023, 1, 5)), ("gone", D(2023, 2, 5))]
    dates = pd.DataFrame(rows, columns=["account", "date"])
    monthly = pd.DataFrame(columns=["account", "month", "value_cents"])
    ledger = ChurnLedger.build(dates, monthly)

    window = ledger.features(D(2025, 6, 30), 6, lookback_days=365)

    assert window.loc["gone", "silent"] == 1 and window.loc["gone", "recency_days"] == 365
    assert window.loc["gone", "recency_all_days"] == (D(2025, 6, 30) - D(2023, 2, 5)).days
    assert window.loc["r1", "silent"] == 0


# --- through the run -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_run_stores_status_score_drivers_and_the_model(admin_user):
    lines = list(generate_lines(lines=6000, accounts=60, months=30, seed=7, end=END))
    payload = [{k: "" if v is None else str(v) for k, v in line.items()} for line in lines]
    assert sales_lines_bulk_import(by=admin_user, lines=payload).status == "done"
    run = run_execute(run=run_create(by=None, as_of=END, trigger="command"))
    assert run.churn_model["method"] == "logistic_regression"
    assert run.churn_model["training_rows"] > 0
    segments = list(AccountSegment.objects.filter(run=run))
    assert len(segments) == run.account_count
    assert {s.churn_status for s in segments} <= {"active", "at_risk", "lost"}
    assert all(0 <= s.churn_score <= 1 and len(s.churn_drivers) == 3 for s in segments)
    by_rule = statuses_from_segments(segments)
    assert {s.pk: s.churn_status for s in segments} == by_rule
    again = run_execute(run=run_create(by=None, as_of=END, trigger="command"))
    assert again.result_hash == run.result_hash


def statuses_from_segments(segments: list[AccountSegment]) -> dict[int, str]:
    """The status by the rule of ARCHITECTURE.md, in exact arithmetic, from the stored figures."""
    result = {}
    for s in segments:
        days = s.days_since_last_purchase
        if s.purchase_dates >= 2:
            median = Decimal(str(s.median_interval_days))
            lost = days > max(3 * median, 90)
            at_risk = days > max(Decimal("1.5") * median, 45)
        else:
            lost, at_risk = days > 180, days > 45
        result[s.pk] = "lost" if lost else "at_risk" if at_risk else "active"
    return result


@pytest.mark.django_db
def test_the_segments_api_shows_and_filters_the_churn_fields(head, admin_user, account, foreign_account):
    # account buys monthly to June (active on June 30); foreign_account stopped in January (lost:
    # 172 days > max(3 x 1, 90)).
    monthly = [(account.external_id, f"2025-0{m}-10", "900") for m in range(1, 7)]
    stopped = [(foreign_account.external_id, f"2025-01-0{d}", "100") for d in (8, 9)]
    lines = [{"account_external_id": e, "date": d, "amount": a} for e, d, a in monthly + stopped]
    sales_lines_bulk_import(by=admin_user, lines=lines)
    run_execute(run=run_create(by=None, as_of=D(2025, 6, 30), trigger="command"))
    client = APIClient()
    client.force_authenticate(head)
    lost = client.get("/api/v1/segments/", {"churn_status": "lost"}).json()["results"]
    assert [row["account_external_id"] for row in lost] == [foreign_account.external_id]
    assert lost[0]["churn_status"] == "lost"
    assert 0 <= lost[0]["churn_score"] <= 1
    assert isinstance(lost[0]["churn_drivers"], list)
    active = client.get("/api/v1/segments/", {"churn_status": "active"}).json()["results"]
    assert [row["account_external_id"] for row in active] == [account.external_id]
    assert client.get("/api/v1/segments/", {"churn_status": "gone"}).status_code == 400
