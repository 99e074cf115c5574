"""The segments' COPY text: each value as PostgreSQL reads it back, whatever it holds."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pandas as pd

from analysis.services import _copy_text


def test_copy_text_escapes_what_copy_would_misread_and_marks_missing_values():
    frame = pd.DataFrame(
        {
            "text": ["a\tb\\c", "line\nbreak\r", None],
            "score": [0.1 + 0.2, 1e-05, float("nan")],
            "day": [dt.date(2025, 1, 2), None, dt.date(2025, 12, 31)],
            "money": [Decimal("12.30"), Decimal("-0.05"), Decimal(0)],
            "flag": [True, False, True],
            "count": [1, 22, 333],
        }
    )
    assert _copy_text(frame).split("\n") == [
        "a\\tb\\\\c\t0.30000000000000004\t2025-01-02\t12.30\tTrue\t1",
        "line\\nbreak\\r\t1e-05\t\\N\t-0.05\tFalse\t22",
        "\\N\t\\N\t2025-12-31\t0\tTrue\t333",
        "",
    ]
