"""Validation of one ledger row: every problem is reported with row, column, value and reason.

Values that pass are handed on as normalised text (ISO dates, dot decimals), ready for the
database to load without parsing them again in Python.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .sources import ImportOptions, storable

MAX_ID = 64
MAX_NAME = 200
# ASCII digits only: `\d` would also take Arabic-Indic or fullwidth digits, which COPY then refuses.
_AMOUNT = re.compile(r"-?\d{1,12}(?:\.\d{1,2})?", re.ASCII)
_QUANTITY = re.compile(r"-?\d{1,11}(?:\.\d{1,3})?", re.ASCII)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
# "2025-03-01 14:05", "2025-03-01T14:05:00": exports often carry the time; the day is what counts.
_ISO_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?", re.ASCII)
_SURROGATE = re.compile("[\ud800-\udfff]")
EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2200, 12, 31)

# One staged line: row, account id, account name, date, amount, quantity, margin, product line,
# line id, sku. Optional fields are None when absent.
Staged = tuple[int, str, str, str, str, str | None, str | None, str | None, str | None, str]
Error = dict[str, Any]
_NOT_AMOUNT = gettext_lazy("Not an amount (digits, optional sign, at most 2 decimals).")
_NOT_QUANTITY = gettext_lazy("Not a quantity (digits, optional sign, at most 3 decimals).")


def _number_reason(text: str, reason: Any) -> str:
    """Why `text` is not a number: other digits than 0-9 are named, as they look like numbers."""
    other = next((c for c in text if not c.isascii() and (c.isdigit() or c.isnumeric())), None)
    if other is None:
        return str(reason)
    return _("%(reason)s %(character)r is not one of the digits 0-9; write the number with those.") % {
        "reason": reason,
        "character": other,
    }


class RowValidator:
    """Checks rows against the column layout and options of one import."""

    def __init__(self, columns: dict[str, int], options: ImportOptions, decimal_comma: bool):
        self.columns = columns
        self.date_format = options.date_format
        self.decimal_comma = decimal_comma
        self._dates: dict[str, str | None] = {}  # a ledger repeats few dates many times
        self.saw_line_id = False  # any row, valid or not, carried a line id
        self.rows_without_line_id = 0  # rows, valid or not, that no line id tells apart
        self._get = {name: self._getter(name) for name in (
            "account_external_id", "account_name", "date", "amount", "quantity", "margin",
            "product_line", "line_external_id", "sku",
        )}  # fmt: skip

    def _getter(self, name: str) -> Callable[[list[str]], str]:
        position = self.columns.get(name)
        if position is None:
            return lambda values: ""
        return lambda values: values[position] if position < len(values) else ""

    def validate(self, row: int, values: list[str]) -> tuple[Staged | None, list[Error]]:
        get = self._get
        errors: list[Error] = []
        text = "".join(values)
        if "\x00" in text or (not text.isascii() and _SURROGATE.search(text)):
            return None, self._unstorable_errors(row, values)

        def bad(column: str, value: str, reason: str) -> None:
            errors.append({"row": row, "column": column, "value": value[:200], "reason": reason})

        account = get["account_external_id"](values)
        if not account.strip():
            bad("account_external_id", account, _("Required: the account's external id."))
        elif len(account) > MAX_ID:
            bad("account_external_id", account, _("Longer than %(limit)s characters.") % {"limit": MAX_ID})
        name = get["account_name"](values).strip()
        if len(name) > MAX_NAME:
            bad("account_name", name, _("Longer than %(limit)s characters.") % {"limit": MAX_NAME})
        date_text = get["date"](values).strip()
        date = self._date(date_text)
        if date is None:
            expected = self.date_format or "YYYY-MM-DD"
            bad(
                "date",
                date_text,
                _("Not a date in the format %(format)s.") % {"format": expected}
                if date_text
                else _("Required: the date."),
            )
        amount = self._number(get["amount"](values), _AMOUNT)
        if amount is None:
            raw = get["amount"](values)
            bad(
                "amount", raw, _number_reason(raw, _NOT_AMOUNT) if raw.strip() else _("Required: the amount.")
            )
        quantity = margin = None
        if raw := get["quantity"](values).strip():
            quantity = self._number(raw, _QUANTITY)
            if quantity is None:
                bad("quantity", raw, _number_reason(raw, _NOT_QUANTITY))
        if raw := get["margin"](values).strip():
            margin = self._number(raw, _AMOUNT)
            if margin is None:
                bad("margin", raw, _number_reason(raw, _NOT_AMOUNT))
        product_line = get["product_line"](values).strip() or None
        line_id = get["line_external_id"](values) or None
        if line_id is None:
            self.rows_without_line_id += 1
        else:
            self.saw_line_id = True
        sku = get["sku"](values).strip()
        for column, value in (("product_line", product_line), ("line_external_id", line_id), ("sku", sku)):
            if value and len(value) > MAX_ID:
                bad(column, value, _("Longer than %(limit)s characters.") % {"limit": MAX_ID})
        if errors:
            return None, errors
        assert date is not None and amount is not None  # noqa: S101 - narrowed by the checks above
        return (row, account, name, date, amount, quantity, margin, product_line, line_id, sku), []

    def _unstorable_errors(self, row: int, values: list[str]) -> list[Error]:
        """NUL and unpaired surrogates (from UTF-7 or JSON escapes): no database stores them."""
        name_at = {position: name for name, position in self.columns.items()}
        errors = []
        for position, cell in enumerate(values):
            if "\x00" in cell:
                reason = _("Contains a NUL character: the file is damaged or not text.")
            elif _SURROGATE.search(cell):
                reason = _("Contains half of a UTF-16 character pair: the text is damaged.")
            else:
                continue
            column = name_at.get(position, _("column %(number)s") % {"number": position + 1})
            errors.append({"row": row, "column": column, "value": storable(cell)[:200], "reason": reason})
        return errors

    def iso_date(self, text: str) -> str | None:
        """The ISO date a date cell stands for, as `validate` reads it; None when it is no date."""
        return self._date(text.strip())

    def _date(self, text: str) -> str | None:
        if text in self._dates:
            return self._dates[text]
        parsed: dt.date | None
        if (stamp := _ISO_DATETIME.fullmatch(text)) is not None and not self.date_format:
            text = stamp.group(1)
        try:
            if self.date_format and not _ISO_DATE.fullmatch(text):
                parsed = dt.datetime.strptime(text, self.date_format).date()
            elif _ISO_DATE.fullmatch(text):  # ISO is unambiguous; spreadsheet date cells arrive so
                parsed = dt.date.fromisoformat(text)
            else:
                parsed = None
        except ValueError:
            parsed = None
        result = parsed.isoformat() if parsed and EARLIEST <= parsed <= LATEST else None
        if len(self._dates) < 100_000:
            self._dates[text] = result
        return result

    def _number(self, text: str, pattern: re.Pattern[str]) -> str | None:
        text = text.strip().replace(" ", "").replace("\u00a0", "")
        if self.decimal_comma and "," in text:
            if "." in text:
                return None  # "1.234,56": thousands separators are ambiguous, refuse them
            text = text.replace(",", ".")
        if text.startswith("+"):
            text = text[1:]
        return text if pattern.fullmatch(text) else None
