"""Reads of runs and segments; only complete runs, and only what the user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pandas as pd
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import Account, User, of_visible_accounts
from common.numbers import whole_number

from .engine.concentration import concentration as engine_concentration
from .engine.xyz import NEW
from .filters import ABC, XYZ
from .models import AccountSegment, AnalysisRun


def _number(value: float | None, places: int = 6) -> str:
    return "" if value is None else f"{value:.{places}f}"


def export_rows(*, run: AnalysisRun, segments=None) -> Iterator[dict[str, Any]]:
    """The export columns of a run's segments (all of them unless `segments` narrows them)."""
    rows = (segments if segments is not None else AccountSegment.objects.filter(run=run)).select_related(
        "account"
    )
    for s in rows.order_by("rank").iterator(chunk_size=5000):
        yield {
            "account_external_id": s.account.external_id,
            "account_name": s.account.name,
            "abc_class": s.abc_class,
            "xyz_class": s.xyz_class,
            "value": f"{s.value:.2f}",
            "share": _number(s.share),
            "cum_share": _number(s.cum_share),
            "cv": _number(s.cv),
            "months": s.months,
            "orders": s.orders,
            "last_purchase": s.last_purchase.isoformat() if s.last_purchase else "",
            "days_since_last_purchase": ""
            if s.days_since_last_purchase is None
            else s.days_since_last_purchase,
            "churn_status": s.churn_status,
            "churn_score": _number(s.churn_score),
        }


# --- dashboards and API: always over the segments of accounts the user may see ---------------


def run_queryset() -> QuerySet[AnalysisRun]:
    return AnalysisRun.objects.select_related("policy", "created_by")


def complete_runs() -> QuerySet[AnalysisRun]:
    return run_queryset().filter(status=AnalysisRun.Status.COMPLETE).order_by("-as_of", "-finished_at", "-pk")


def run_before(run: AnalysisRun) -> AnalysisRun | None:
    """The newest complete run with an earlier as-of date than `run`'s, if any."""
    return complete_runs().filter(as_of__lt=run.as_of).first()


def run_get(*, ref: str | int | None) -> AnalysisRun:
    """A complete run by id, or the latest one for 'latest' / None; 404 when there is none."""
    runs = complete_runs()
    if ref in (None, "", "latest"):
        run = runs.first()
    elif (number := whole_number(str(ref))) is not None:
        run = runs.filter(pk=number).first()
    else:
        run = None
    if run is None:
        raise Http404(_("No complete analysis run %(ref)s: give a run id or 'latest'.") % {"ref": repr(ref)})
    return run


def segment_queryset(*, user: User, run: AnalysisRun) -> QuerySet[AccountSegment]:
    return AccountSegment.objects.filter(of_visible_accounts(user), run=run).select_related("account")


Rows = list[tuple[int, str, str, Decimal, float | None, bool]]


def segment_rows(*, user: User, run: AnalysisRun) -> Rows:
    """(account id, ABC, XYZ, value, CV, key account) of the visible accounts in rank order: what
    every chart reads.

    A page showing several charts reads them once and hands them to each.
    """
    return _rows(user=user, run=run)


def _rows(*, user: User, run: AnalysisRun) -> Rows:
    return list(
        segment_queryset(user=user, run=run)
        .order_by("rank")
        .values_list("account_id", "abc_class", "xyz_class", "value", "cv", "key_account")
    )


def matrix(*, user: User, run: AnalysisRun, rows: Rows | None = None) -> dict[str, Any]:
    """The ABC x XYZ matrix over the visible accounts: count, value and share of value per cell."""
    rows = _rows(user=user, run=run) if rows is None else rows
    total = sum((max(v, Decimal(0)) for _id, _a, _x, v, _cv, _key in rows), Decimal(0))
    counts: dict[tuple[str, str], int] = {(a, x): 0 for a in ABC for x in XYZ}
    values: dict[tuple[str, str], Decimal] = {(a, x): Decimal(0) for a in ABC for x in XYZ}
    for _id, abc, xyz, value, _cv, _key in rows:
        counts[(abc, xyz)] += 1
        values[(abc, xyz)] += value
    table = [
        {
            "abc_class": a,
            "cells": [
                {
                    "xyz_class": x,
                    "count": counts[(a, x)],
                    "value": values[(a, x)],
                    "share": float(values[(a, x)] / total) if total else 0.0,
                }
                for x in XYZ
            ],
            "count": sum(counts[(a, x)] for x in XYZ),
            "value": sum((values[(a, x)] for x in XYZ), Decimal(0)),
        }
        for a in ABC
    ]
    return {"run": run, "rows": table, "accounts": len(rows), "total": total}


def pareto(
    *, user: User, run: AnalysisRun, rows: Rows | None = None, points: int = 101
) -> list[tuple[float, float]]:
    """(share of accounts, cumulative share of value) over the visible accounts, ranked by value."""
    rows = _rows(user=user, run=run) if rows is None else rows
    values = [max(v, Decimal(0)) for _id, _a, _x, v, _cv, _key in rows]
    total = sum(values, Decimal(0))
    if not values or not total:
        return [(0.0, 0.0)]
    step = max(len(values) // (points - 1), 1)
    result, running = [(0.0, 0.0)], Decimal(0)
    for index, value in enumerate(values, start=1):
        running += value
        if index % step == 0 or index == len(values):
            result.append((index / len(values), float(running / total)))
    return result


def cv_histogram(
    *, user: User, run: AnalysisRun, rows: Rows | None = None, bin_width: float = 0.05, top: float = 1.5
) -> dict[str, Any]:
    """How many visible accounts fall in each CV bin (the last bin takes everything above `top`).

    An account too new to judge has a CV over its first month or two, but no XYZ class from it: it
    is left out with those whose CV is undefined (no positive mean), or its bar would count it
    beside the X, Y and Z accounts the thresholds sort."""
    rows = _rows(user=user, run=run) if rows is None else rows
    cvs = [cv for _id, _a, xyz, _v, cv, _key in rows if cv is not None and xyz != NEW]
    bins = round(top / bin_width)
    counts = [0] * (bins + 1)
    for cv in cvs:
        counts[min(int(cv / bin_width), bins)] += 1
    labels = [f"{i * bin_width:.2f}" for i in range(bins)] + [f"≥{top:.2f}"]
    values = run.policy_values
    return {
        "labels": labels,
        "counts": counts,
        "x": values.get("xyz_x"),
        "y": values.get("xyz_y"),
        "method": values.get("xyz_method"),
        "undefined": len(rows) - len(cvs),
    }


def concentration(*, user: User, run: AnalysisRun, rows: Rows | None = None) -> dict[str, Any]:
    """Key-account share, top-1 / top-5 shares and HHI over the visible accounts, by the engine's own
    definition (`engine.concentration`).

    Key accounts are those the run counted as key (its policy's rule, stored per segment); with none
    among the visible accounts the key share is None and the band "none".
    """
    rows = _rows(user=user, run=run) if rows is None else rows
    segments = pd.DataFrame(
        {"value_cents": [int(v * 100) for _id, _a, _x, v, _cv, _key in rows]}, dtype="int64"
    )
    keys = pd.Series([key for *_rest, key in rows], index=segments.index, dtype=bool)
    figures = engine_concentration(segments, keys)
    del figures["total_cents"]  # the visible total is the matrix's to show, not the card's
    return {**figures, "accounts": len(rows)}


def migration(*, user: User, before: AnalysisRun, after: AnalysisRun) -> dict[str, Any]:
    """How the visible accounts moved between the ABC classes of two runs, who fell a class and who
    rose one (each list most value now first)."""
    old = dict(segment_queryset(user=user, run=before).values_list("account_id", "abc_class"))
    new = segment_queryset(user=user, run=after).values_list(
        "account_id", "account__name", "abc_class", "value"
    )
    classes = (*ABC, "—")  # "—": not in that run
    counts = {(a, b): 0 for a in classes for b in classes}
    fell: list[dict[str, Any]] = []
    rose: list[dict[str, Any]] = []
    seen = set()
    for account_id, name, abc, value in new:
        was = old.get(account_id, "—")
        counts[(was, abc)] += 1
        seen.add(account_id)
        if was != "—" and abc != was:
            moved = {"account_id": account_id, "name": name, "from": was, "to": abc, "value": value}
            (fell if abc > was else rose).append(moved)
    for account_id, was in old.items():
        if account_id not in seen:
            counts[(was, "—")] += 1
    return {
        "before": before,
        "after": after,
        "classes": classes,
        "rows": [{"from": a, "cells": [counts[(a, b)] for b in classes]} for a in classes],
        "fell": sorted(fell, key=lambda f: -f["value"]),
        "rose": sorted(rose, key=lambda r: -r["value"]),
    }


# How many as-of dates the account's class history shows.
HISTORY_AS_OF_DATES = 24


def history_runs() -> list[int]:
    """The run that stands for each as-of date (the latest complete one, as the dashboard shows it),
    for the last HISTORY_AS_OF_DATES dates. Runs pile up (one for each night the ledger changed):
    every run in the history made the account's tab slower each night and its table longer."""
    chosen: dict[dt.date, int] = {}
    for run_id, as_of in complete_runs().values_list("pk", "as_of"):
        chosen.setdefault(as_of, run_id)
        if len(chosen) == HISTORY_AS_OF_DATES:
            break
    return list(chosen.values())


def account_history(*, account: Account) -> list[AccountSegment]:
    """The account's class at each of the last as-of dates (`history_runs`), oldest first, with the
    company's figures (`scopes.with_visible_figures_of_runs` turns them into the user's)."""
    return list(
        AccountSegment.objects.filter(account=account, run_id__in=history_runs())
        .select_related("run")
        .order_by("run__as_of", "run__pk")
    )
