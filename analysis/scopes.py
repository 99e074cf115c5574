"""The figures of a run over the accounts a user sees, worked out once per run and visibility scope
and then read from the cache (Redis in production).

A run is an append-only snapshot, so its figures over a given set of accounts never change; the set
is named by `accounts.visibility`: the scope (everyone, a head's departments, one KAM) and the
generation token that changes when ownership, departments, the hierarchy or account teams do. The key
holds the run's id and creation moment (an id reused by a rebuilt database names another run), the
scope and the generation, so figures never cross from one set of accounts to another.

Two entries per run and scope: the dashboard's figures (matrix, Pareto, CV histogram, concentration,
and the count of every class x churn-status cell, which the segment list pages with), and the visible
ranks with their running value, which turn a page of segments' company figures into the user's.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from decimal import Decimal
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet

from accounts.models import User, of_visible_accounts
from accounts.visibility import visibility_generation, visibility_scope

from . import selectors
from .models import AccountSegment, AnalysisRun

TIMEOUT = 14 * 24 * 3600  # older runs are rarely opened: let their figures go
# What `_work_out` keeps, numbered: raised whenever a figure is worked out differently, so that a
# release never reads what an earlier one kept. 2: the CV histogram leaves out the accounts too new
# to judge.
FIGURES = 2


def _keys(*, user: User, run: AnalysisRun) -> tuple[str, str]:
    # The generation is read before any row: figures of a visibility that changes meanwhile are kept
    # under a token that is already stale.
    generation = visibility_generation()
    base = f"analysis:scope:{FIGURES}:{run.cache_key}:{visibility_scope(user)}:{generation}"
    return f"{base}:figures", f"{base}:ranks"


def _work_out(*, user: User, run: AnalysisRun) -> tuple[dict[str, Any], dict[str, Any]]:
    """Both entries from one read of the visible segments."""
    full = list(
        selectors.segment_queryset(user=user, run=run)
        .order_by("rank")
        .values_list(
            "account_id", "abc_class", "xyz_class", "value", "cv", "key_account", "rank", "churn_status"
        )
    )
    rows: selectors.Rows = [row[:6] for row in full]
    matrix = selectors.matrix(user=user, run=run, rows=rows)
    del matrix["run"]  # the caller's run object goes back in on reading
    cells: dict[tuple[str, str, str], int] = {}
    for _id, abc, xyz, _value, _cv, _key, _rank, status in full:
        cells[(abc, xyz, status)] = cells.get((abc, xyz, status), 0) + 1
    figures = {
        "matrix": matrix,
        "pareto": selectors.pareto(user=user, run=run, rows=rows),
        "histogram": selectors.cv_histogram(user=user, run=run, rows=rows),
        "concentration": selectors.concentration(user=user, run=run, rows=rows),
        "cells": cells,
    }
    return figures, _ranks((row[6], row[3]) for row in full)


def _ranks(rows: Iterable[tuple[int, Decimal]]) -> dict[str, Any]:
    """The kept ranks from (company rank, value) of the visible segments in rank order."""
    running, ranks, cumulative = 0, [], []
    for rank, value in rows:
        running += max(int(value * 100), 0)
        ranks.append(rank)
        cumulative.append(running)
    return {"ranks": ranks, "cumulative_cents": cumulative, "total_cents": running}


def _read(*, user: User, run: AnalysisRun, which: int) -> dict[str, Any]:
    keys = _keys(user=user, run=run)
    found = cache.get(keys[which])
    if found is None:
        figures, ranks = _work_out(user=user, run=run)
        cache.set_many({keys[0]: figures, keys[1]: ranks}, TIMEOUT)
        found = (figures, ranks)[which]
    return found


def figures(*, user: User, run: AnalysisRun) -> dict[str, Any]:
    """matrix (with `run`), pareto, histogram, concentration and `cells` (count per ABC, XYZ and
    churn status) over the visible accounts of the run."""
    found = _read(user=user, run=run, which=0)
    found["matrix"]["run"] = run
    return found


def segment_count(*, user: User, run: AnalysisRun, chosen: dict[str, Any]) -> int | None:
    """How many visible segments of the run the segment list's filters keep, from the figures; None
    when a filter the figures don't count (one account) is set."""
    if chosen.get("account"):
        return None
    wanted = {"abc_class": 0, "xyz_class": 1, "churn_status": 2}
    cells = figures(user=user, run=run)["cells"]
    return sum(
        n
        for cell, n in cells.items()
        if all(not chosen.get(f) or cell[i] == chosen[f] for f, i in wanted.items())
    )


def with_visible_figures(
    *, user: User, run: AnalysisRun, segments: list[AccountSegment]
) -> list[AccountSegment]:
    """`segments` (visible ones of `run`) with rank, share and cum_share over the accounts the user
    sees (ARCHITECTURE.md, "Shares seen by a user"), read from the kept ranks.

    The stored figures are the company's: value ÷ share would give the company total, and a gap in
    the ranks with the cumulative shares around it a hidden account's value. For a user who does not
    see every account they are replaced: the rank among the visible accounts of the run, the share of
    their positive value, the running share in rank order. The class letters stay the company's."""
    if not segments or user.sees_every_account:
        return segments
    _apply(_read(user=user, run=run, which=1), segments)
    return segments


def with_visible_figures_of_runs(*, user: User, segments: list[AccountSegment]) -> list[AccountSegment]:
    """`with_visible_figures` for segments of several runs (an account's history): every run's kept
    ranks in one read of the cache, those not kept worked out in one query and kept."""
    if not segments or user.sees_every_account:
        return segments
    runs = {segment.run_id: segment.run for segment in segments}
    keys = {pk: _keys(user=user, run=run)[1] for pk, run in runs.items()}
    found = cache.get_many(list(keys.values()))
    kept = {pk: found[key] for pk, key in keys.items() if key in found}
    if missing := [pk for pk in runs if pk not in kept]:
        rows = (
            AccountSegment.objects.filter(of_visible_accounts(user), run_id__in=missing)
            .order_by("run_id", "rank")
            .values_list("run_id", "rank", "value")
        )
        worked = {pk: _ranks(()) for pk in missing}
        for pk, of_run in groupby(rows, itemgetter(0)):
            worked[pk] = _ranks((rank, value) for _run, rank, value in of_run)
        cache.set_many({keys[pk]: entry for pk, entry in worked.items()}, TIMEOUT)
        kept.update(worked)
    for pk, in_run in groupby(sorted(segments, key=attrgetter("run_id")), attrgetter("run_id")):
        _apply(kept[pk], list(in_run))
    return segments


def _apply(kept: dict[str, Any], segments: list[AccountSegment]) -> None:
    """Each segment's rank, share and cum_share among the kept ranks of its run."""
    ranks, cumulative, total = kept["ranks"], kept["cumulative_cents"], kept["total_cents"]
    for segment in segments:
        index = bisect_left(ranks, segment.rank)
        if index == len(ranks) or ranks[index] != segment.rank:
            raise LookupError(f"Segment {segment.pk} is not among the accounts the user sees.")
        segment.rank = index + 1
        segment.share = float(segment.value * 100 / total) if total else 0.0
        segment.cum_share = float(Decimal(cumulative[index]) / total) if total else 0.0


def iter_with_visible_figures(
    *, user: User, run: AnalysisRun, segments: QuerySet[AccountSegment], chunk: int = 2000
) -> Iterator[AccountSegment]:
    """The segments of a (long) queryset of the run with the user's figures, a chunk at a time (exports)."""
    batch: list[AccountSegment] = []
    for segment in segments.iterator(chunk_size=chunk):
        batch.append(segment)
        if len(batch) == chunk:
            yield from with_visible_figures(user=user, run=run, segments=batch)
            batch = []
    yield from with_visible_figures(user=user, run=run, segments=batch)
