"""The pure engine, on small hand-made frames whose classes are worked out in each test."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pandas as pd
import pytest

from analysis.engine import Policy, RunInputs, analyse, classify_abc, window_start
from common.calendar import add_months, months_back

D = dt.date
AS_OF = D(1998, 6, 30)


def values(**cents: int) -> pd.Series:
    return pd.Series(cents, dtype="int64")


def abc_classes(series: pd.Series, a: str = "0.80", b: str = "0.95") -> dict[str, str]:
    return classify_abc(series, Decimal(a), Decimal(b))["abc_class"].to_dict()


# --- window --------------------------------------------------------------------------------------


def test_the_window_of_twelve_months_to_june_1998_starts_in_july_1997():
    assert window_start(AS_OF, 12) == D(1997, 7, 1)


def test_calendar_months_are_clamped_to_the_shorter_month():
    assert months_back(D(1998, 3, 31), 1) == D(1998, 2, 28)
    assert months_back(D(2024, 2, 29), 12) == D(2023, 2, 28)
    assert window_start(D(1998, 9, 30), 1) == D(1998, 8, 31)  # as_of - 1 month = Aug 30


# --- ABC ----------------------------------------------------------------------------------------


def test_ten_equal_accounts_give_eight_a_and_two_b():
    classes = abc_classes(values(**{f"{n:02d}": 100 for n in range(10)}))
    assert sorted(classes.values()) == ["A"] * 8 + ["B"] * 2
    assert [classes["08"], classes["09"]] == ["B", "B"]  # ties by external id ascending


def test_the_account_that_crosses_80_percent_is_still_a():
    # P = 100: before "b" 70 < 80 → A (it crosses to 90); before "c" 90 → B; before "d" 96 → C.
    assert abc_classes(values(a=70, b=20, c=6, d=4)) == {"a": "A", "b": "A", "c": "B", "d": "C"}


def test_exactly_80_percent_before_is_b_not_a():
    # Before "b": 80 of 100 — not < 80 %, so B; before "c": 95 — not < 95 %, so C.
    assert abc_classes(values(a=80, b=15, c=5)) == {"a": "A", "b": "B", "c": "C"}


def test_ties_are_ranked_by_external_id_as_text():
    ranked = classify_abc(values(**{"10": 5, "9": 5, "010": 5}), Decimal("0.8"), Decimal("0.95"))
    assert list(ranked.index) == ["010", "10", "9"]


def test_zero_and_negative_values_are_c_and_do_not_count_in_p():
    result = classify_abc(values(a=60, b=40, z=0, n=-50), Decimal("0.80"), Decimal("0.95"))
    assert result["abc_class"].to_dict() == {"a": "A", "b": "A", "z": "C", "n": "C"}
    assert result.loc["a", "share"] == pytest.approx(0.6)
    assert result.loc["n", "share"] == pytest.approx(-0.5)
    assert result.loc["n", "cum_share"] == pytest.approx(1.0)


def test_values_past_float_precision_are_classed_and_shared_exactly():
    # P = 2**60 + 4: the first account's value is exactly 80 % of P less one cent, so the second
    # starts just under 0.8·P and is still A, which a float comparison would get wrong.
    total = 2**60 + 4
    first = total * 4 // 5 - 1
    ranked = classify_abc(values(a=first, b=total - first - 2, c=2), Decimal("0.80"), Decimal("0.95"))
    assert ranked["abc_class"].to_dict() == {"a": "A", "b": "A", "c": "C"}
    assert ranked.loc["a", "share"] == first / total  # Python's correctly rounded quotient


def test_an_all_zero_window_makes_everyone_c():
    assert set(abc_classes(values(a=0, b=0, c=-1)).values()) == {"C"}


def test_thresholds_are_compared_exactly():
    # Ten equal accounts, A below 70 %: before the 8th is exactly 7 of 10 — not below, so B.
    # In floating point 0.7 * 10 is 7.000000000000001 and the 8th would wrongly be A.
    classes = abc_classes(values(**{f"{n:02d}": 1 for n in range(10)}), a="0.7", b="0.9")
    assert sorted(classes.values()) == ["A"] * 7 + ["B"] * 2 + ["C"]


# --- the whole run: XYZ and RFM ------------------------------------------------------------------


def run(monthly_rows, dates, policy: Policy | None = None, as_of: dt.date = AS_OF):
    monthly = pd.DataFrame(monthly_rows, columns=["account", "month", "value_cents"])
    purchase_dates = pd.DataFrame(dates, columns=["account", "date"])
    return analyse(RunInputs(monthly, purchase_dates), policy or Policy(), as_of).segments


WINDOW_FIRST = D(1997, 7, 1)


def monthly_series(account: str, amounts: list[int | None], first_month: dt.date = WINDOW_FIRST):
    rows, dates = [], []
    month = first_month
    for amount in amounts:
        if amount is not None:
            rows.append((account, month, amount))
            dates.append((account, month.replace(day=15)))
        month = add_months(month, 1)
    return rows, dates


def test_cv_exactly_at_the_x_boundary_is_x():
    rows, dates = monthly_series("x", [9000, 11000] * 6)  # mean 10000, sigma 1000: CV = 0.10
    segment = run(rows, dates).loc["x"]
    assert (segment["xyz_class"], segment["months"]) == ("X", 12)
    assert segment["cv"] == pytest.approx(0.10)


def test_cv_exactly_at_the_y_boundary_is_y_and_above_is_z():
    rows, dates = monthly_series("y", [7500, 12500] * 6)  # CV = 0.25
    rows_z, dates_z = monthly_series("z", [7000, 13000] * 6)  # CV = 0.30
    segments = run(rows + rows_z, dates + dates_z)
    assert segments.loc[["y", "z"], "xyz_class"].tolist() == ["Y", "Z"]


def test_months_without_purchases_count_as_zero():
    rows, dates = monthly_series("gap", [100, None, 100, None] * 3)  # mean 50, sigma 50: CV 1
    segment = run(rows, dates).loc["gap"]
    assert (segment["months"], segment["xyz_class"], segment["cv"]) == (12, "Z", pytest.approx(1.0))


def test_fewer_than_three_months_since_the_first_purchase_is_new():
    rows, dates = monthly_series("late", [100, 100], first_month=D(1998, 5, 1))
    one, one_dates = monthly_series("once", [500], first_month=D(1998, 6, 1))
    segments = run(rows + one, dates + one_dates)
    assert segments.loc[["late", "once"], "xyz_class"].tolist() == ["new", "new"]
    assert segments.loc[["late", "once"], "months"].tolist() == [2, 1]


def test_new_comes_before_a_non_positive_mean():
    segments = run([("neg", D(1998, 6, 1), -100)], [("neg", D(1998, 6, 3))])
    assert (segments.loc["neg", "xyz_class"], segments.loc["neg", "abc_class"]) == ("new", "C")


def test_history_without_window_sales_is_value_zero_c_and_z():
    segments = run(
        [("old", D(1997, 7, 1), 0), ("live", D(1998, 6, 1), 100)],
        [("old", D(1990, 1, 5)), ("live", D(1998, 6, 2))],
    )
    old = segments.loc["old"]
    assert (old["value_cents"], old["abc_class"], old["xyz_class"], old["months"]) == (0, "C", "Z", 12)
    assert old["cv"] is None
    assert old["orders"] == 0


def test_lines_after_as_of_are_ignored():
    segments = run(
        [("a", D(1998, 6, 1), 100), ("a", D(1998, 7, 1), 999)],
        [("a", D(1998, 6, 2)), ("a", D(1998, 7, 2)), ("later", D(1998, 7, 3))],
    )
    assert list(segments.index) == ["a"]
    assert segments.loc["a", "value_cents"] == 100
    assert segments.loc["a", "last_purchase"] == D(1998, 6, 2)


def test_an_empty_ledger_gives_an_empty_run():
    assert run([], []).empty
    assert run([("later", D(1998, 7, 1), 5)], [("later", D(1998, 7, 3))]).empty  # nothing up to as_of


def test_rfm_figures():
    dates = [("a", D(1998, 1, 1)), ("a", D(1998, 1, 11)), ("a", D(1998, 2, 10)), ("a", D(1997, 1, 1))]
    segment = run([("a", D(1998, 1, 1), 10), ("a", D(1998, 2, 1), 10)], dates).loc["a"]
    assert segment["orders"] == 3  # distinct dates inside the window
    assert segment["purchase_dates"] == 4  # all history
    assert segment["days_since_last_purchase"] == (AS_OF - D(1998, 2, 10)).days
    assert segment["median_interval_days"] == 30.0  # gaps 365, 10, 30
    assert segment["months_active"] == 2


def test_frequency_method_uses_the_share_of_months_with_a_purchase():
    rows_x, dates_x = monthly_series("x", [1] * 9 + [None] * 3)  # 9/12 = 0.75 → X
    rows_y, dates_y = monthly_series("y", [1] * 4 + [None] * 8)  # 4/12 = 0.333… → Y
    rows_z, dates_z = monthly_series("z", [1] * 3 + [None] * 9)  # 3/12 = 0.25 → Z
    segments = run(rows_x + rows_y + rows_z, dates_x + dates_y + dates_z, Policy.for_method("frequency"))
    assert segments.loc[["x", "y", "z"], "xyz_class"].tolist() == ["X", "Y", "Z"]


def test_margin_basis_is_the_value_handed_in():
    # The loader hands margins as the value when the policy's basis is margin.
    june = D(1998, 6, 1)
    segments = run([("a", june, 30), ("b", june, 70)], [("a", june), ("b", june)], Policy(basis="margin"))
    # P = 100: "b" ranks first (before 0); before "a" 70 < 80 → A as well.
    assert segments["abc_class"].to_dict() == {"b": "A", "a": "A"}
    assert segments["rank"].to_dict() == {"b": 1, "a": 2}


def test_the_same_inputs_give_the_same_result_hash():
    rows, dates = monthly_series("a", [5, 6, 7])
    monthly = pd.DataFrame(rows, columns=["account", "month", "value_cents"])
    purchase = pd.DataFrame(dates, columns=["account", "date"])
    first = analyse(RunInputs(monthly, purchase), Policy(), AS_OF).result_hash()
    assert analyse(RunInputs(monthly.copy(), purchase.copy()), Policy(), AS_OF).result_hash() == first


def test_meanwhile_gets_the_accounts_of_the_segments_once_in_the_runs_thread():
    rows, dates = monthly_series("a", [5, 6, 7])
    monthly = pd.DataFrame([*rows, ("b", D(1998, 3, 1), 40)], columns=["account", "month", "value_cents"])
    purchase = pd.DataFrame([*dates, ("b", D(1998, 3, 10))], columns=["account", "date"])
    calls = []

    def meanwhile(accounts: pd.Index) -> None:
        calls.append((sorted(accounts), threading.current_thread()))

    result = analyse(RunInputs(monthly, purchase), Policy(), AS_OF, meanwhile=meanwhile)

    assert calls == [(["a", "b"], threading.current_thread())]
    assert sorted(result.segments.index) == ["a", "b"]
    assert result.result_hash() == analyse(RunInputs(monthly, purchase), Policy(), AS_OF).result_hash()


def test_policy_validation():
    with pytest.raises(ValueError, match="ABC thresholds"):
        Policy(abc_a=Decimal("0.96"), abc_b=Decimal("0.95"))


def test_policy_values_are_the_same_however_the_decimals_are_written():
    stored = Policy(abc_a=Decimal("0.8000"), abc_b=Decimal("0.9500"), xyz_x=Decimal("0.1000"))
    assert stored.as_dict() == Policy().as_dict()
    assert stored.as_dict()["abc_a"] == "0.8"
