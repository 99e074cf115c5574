"""The authorization matrix's sample: every URL with every role, method and answer in each run."""

from __future__ import annotations

from collections import defaultdict

from tests.matrix_sample import Sampling, sample
from tests.test_authorization_matrix import cases

ALL = list(cases())


def shown(chosen: list) -> dict[str, set]:
    """Per URL name: every role, method, answer and variant its chosen cases visit."""
    seen: dict[str, set] = defaultdict(set)
    for case in chosen:
        name, method, role, variant, expected = case.values
        seen[name] |= {("role", role), ("method", method), ("expected", expected), ("variant", variant)}
    return seen


def test_every_url_is_visited_with_every_role_method_and_answer_whatever_the_seed():
    for seed in (1, 20261203, 987654321):
        chosen = sample(ALL, Sampling(seed, 0.0, full=False))
        assert shown(chosen) == shown(ALL)
        assert len(chosen) < len(ALL) / 2


def test_a_seed_replays_the_same_cases_and_another_seed_draws_others():
    first = [case.id for case in sample(ALL, Sampling(7, 0.1, full=False))]
    assert first == [case.id for case in sample(ALL, Sampling(7, 0.1, full=False))]
    assert first != [case.id for case in sample(ALL, Sampling(8, 0.1, full=False))]


def test_the_share_draws_more_cases_and_full_runs_them_all():
    cover = sample(ALL, Sampling(7, 0.0, full=False))
    some = sample(ALL, Sampling(7, 0.3, full=False))
    assert len(cover) < len(some) < len(ALL)
    assert {case.id for case in cover} <= {case.id for case in some}  # the share adds to the cover
    assert sample(ALL, Sampling(7, 0.0, full=True)) == ALL
    assert sample(ALL, Sampling(7, 1.0, full=False)) == ALL
