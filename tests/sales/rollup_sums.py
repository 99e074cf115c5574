"""The rollups as they should be, summed in Python from the sales lines, and as they are
(`sales.consistency`, which the restore drill uses too)."""

from __future__ import annotations

from sales.consistency import actual_rhythm, actual_rollups, expected_rhythm, expected_rollups

__all__ = [
    "actual_rhythm",
    "actual_rollups",
    "assert_rollups_match_lines",
    "expected_rhythm",
    "expected_rollups",
]


def assert_rollups_match_lines() -> None:
    assert actual_rollups() == expected_rollups()
    assert actual_rhythm() == expected_rhythm()
