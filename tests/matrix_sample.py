"""Which cases of the authorization matrix a run visits: every URL each run, the rest by a seed.

Every run visits, for every URL name, each role, each method, each expected answer and the foreign
variant at least once: a URL that lets a role through, or answers wrong to one method, fails in
every run. Of the remaining cases a share (`KAM_MATRIX_SHARE`, default 0.1) is drawn with the seed
`KAM_MATRIX_SEED` (default: today's date, so that each day visits other cases and a week covers most
of the product). The seed is printed in the run's header: `KAM_MATRIX_SEED=<seed>` replays a run, and
`KAM_MATRIX_FULL=1` visits all of them.
"""

from __future__ import annotations

import datetime as dt
import os
import random
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

SEED_VARIABLE, FULL_VARIABLE, SHARE_VARIABLE = "KAM_MATRIX_SEED", "KAM_MATRIX_FULL", "KAM_MATRIX_SHARE"
DEFAULT_SHARE = 0.1


class Sampling(NamedTuple):
    seed: int
    share: float
    full: bool

    def describe(self) -> str:
        if self.full:
            return f"authorization matrix: every case ({FULL_VARIABLE}=1)"
        return (
            f"authorization matrix: every URL with every role, method and answer, and {self.share:.0%} of "
            f"the other cases drawn with {SEED_VARIABLE}={self.seed} (set it to replay; {FULL_VARIABLE}=1 "
            "runs them all)"
        )


def sampling_from_environment() -> Sampling:
    seed = os.environ.get(SEED_VARIABLE) or dt.date.today().strftime("%Y%m%d")
    share = float(os.environ.get(SHARE_VARIABLE) or DEFAULT_SHARE)
    return Sampling(int(seed), share, os.environ.get(FULL_VARIABLE, "") not in ("", "0"))


def _features(values: Sequence[Any]) -> set[tuple[str, Any]]:
    """What one case shows of its URL: the role, the method, the answer, own or foreign object."""
    _name, method, role, variant, expected = values
    return {("role", role), ("method", method), ("variant", variant), ("expected", expected)}


def _cover(cases: list[Any], rng: random.Random) -> list[Any]:
    """Few cases of one URL that together show every feature of its cases (greedy set cover, ties
    broken by the seed so that each seed visits other ones)."""
    order = cases[:]
    rng.shuffle(order)
    uncovered = set().union(*(_features(case.values) for case in order))
    chosen = []
    while uncovered:
        best = max(order, key=lambda case: len(_features(case.values) & uncovered))
        chosen.append(best)
        uncovered -= _features(best.values)
    return chosen


def sample(cases: list[Any], sampling: Sampling) -> list[Any]:
    """The cases (pytest params: name, method, role, variant, expected) this run visits, in their
    original order: the same list in every parallel worker, since it depends on the seed alone."""
    if sampling.full:
        return cases
    by_url: dict[str, list[Any]] = defaultdict(list)
    for case in cases:
        by_url[case.values[0]].append(case)
    chosen: set[str] = set()
    for name, of_url in by_url.items():
        rng = random.Random(f"{sampling.seed}:{name}")
        covered = _cover(of_url, rng)
        chosen.update(case.id for case in covered)
        chosen.update(case.id for case in of_url if case not in covered and rng.random() < sampling.share)
    return [case for case in cases if case.id in chosen]
