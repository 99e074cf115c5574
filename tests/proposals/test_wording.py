"""Proposal figures follow the reader's language: separators on the pages and in the printed proposal."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from proposals.document.formats import amount as printed_amount
from proposals.document.formats import plain
from proposals.templatetags.proposal_ui import amount, percent


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "12,345.60 EUR"), ("fi", "12\xa0345,60 EUR"), ("es", "12\xa0345,60 EUR")],
)
def test_an_amount_uses_the_language_s_separators(language, expected):
    with translation.override(language):
        assert amount(Decimal("12345.6"), "EUR") == expected


def test_a_percentage_and_a_missing_amount():
    with translation.override("fi"):
        assert percent(Decimal("7.5")) == "7,50 %"
    assert amount(None, "EUR") == "—"


def test_the_printed_proposal_uses_the_same_separators():
    with translation.override("en"):
        assert printed_amount(Decimal("1250.5")) == "1,250.50"
        assert plain(Decimal("1250.000")) == "1,250"
    with translation.override("fi"):
        assert printed_amount(Decimal("1250.5")) == "1\xa0250,50"
        assert plain(Decimal("12.50")) == "12,5"
