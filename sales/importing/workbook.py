"""XLSX ledgers: the first sheet's rows, read in constant memory, within limits checked up front.

An XLSX file is a zip of XML parts, and a small file can expand a thousandfold. So before openpyxl
parses anything, the archive's own directory is checked (the uncompressed size of every part), and
the sheets and shared strings are streamed once to find merged cells and over-long cells. Only then
are the rows read, and only plain values (text, numbers, dates) are accepted.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import IO, Any

import openpyxl
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from .sources import LEDGER, ImportOptions, Layout, SourceError, Table, cell_text, map_columns

MAX_SHEET_BYTES = 512 << 20  # uncompressed XML of one worksheet (~1M ledger rows)
MAX_PART_BYTES = 128 << 20  # any other part: shared strings, styles, …
MAX_WORKBOOK_BYTES = 1 << 30  # all parts together, uncompressed
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell
MAX_COLUMNS = 100  # a ledger has nine columns; the header is read this far
MAX_ROWS = 1_048_576  # Excel's own limit for one sheet

_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b")
# A cell's text is XML character data, which holds no "<": a longer run than the longest cell text
# could take (every character written as an entity such as &#1114111;) is an over-long cell.
_MAX_TEXT_RUN = MAX_CELL_CHARS * 10
_LONG_TEXT = re.compile(rb"<[^<]{%d}" % _MAX_TEXT_RUN)
_UNREADABLE = gettext_lazy("This is not a readable XLSX workbook: %(error)s.")


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _check_part_sizes(archive: zipfile.ZipFile) -> None:
    """Refuse by the sizes the archive declares, before expanding anything (reads stop at them)."""
    total = 0
    for part in archive.infolist():
        limit = MAX_SHEET_BYTES if _is_sheet(part.filename) else MAX_PART_BYTES
        total += part.file_size
        if part.file_size > limit or total > MAX_WORKBOOK_BYTES:
            size = part.file_size if part.file_size > limit else total
            what = (
                _("its part %(name)s") % {"name": part.filename}
                if part.file_size > limit
                else _("its parts together")
            )
            cap = limit if part.file_size > limit else MAX_WORKBOOK_BYTES
            raise SourceError(
                _(
                    "The workbook is too large once unpacked: %(what)s would take %(size)s bytes, "
                    "more than the %(cap)s MiB allowed. Export the ledger as CSV, or in several files."
                )
                % {
                    "what": what,
                    "size": number_format(size, force_grouping=True),
                    "cap": number_format(cap >> 20, force_grouping=True),
                }
            )


def _scan(part: IO[bytes], merges: bool) -> str:
    """Stream one XML part: "merged" or "long" if it has merged cells or over-long text, else ""."""
    carry = b"<"  # the text run still open at the end of the previous chunk, from its "<"
    while chunk := part.read(1 << 20):
        data = carry + chunk
        if _LONG_TEXT.search(data):
            return "long"
        if merges and _MERGE_CELL.search(data):
            return "merged"
        carry = data[data.rfind(b"<") :]  # carry starts with "<", so data holds one
    return ""


def _check_parts(path: str) -> None:
    """Part sizes, merged cells (read-only workbooks do not expose them) and over-long cells."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_part_sizes(archive)
            for name in archive.namelist():
                if not (_is_sheet(name) or name.lower().endswith("sharedstrings.xml")):
                    continue
                with archive.open(name) as part:
                    found = _scan(part, merges=_is_sheet(name))
                if found == "merged":
                    raise SourceError(
                        _("The sheet has merged cells: unmerge them so that every row has its own values.")
                    )
                if found == "long":
                    raise SourceError(
                        _(
                            "A cell in %(part)s holds more than %(limit)s characters, "
                            "Excel's own limit: this is not a ledger sheet."
                        )
                        % {"part": name, "limit": number_format(MAX_CELL_CHARS, force_grouping=True)}
                    )
    # NotImplementedError: a compression zipfile lacks; RuntimeError: an encrypted part.
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as error:
        raise SourceError(_UNREADABLE % {"error": error}) from error


_FORMULA = gettext_lazy("A formula: export the sheet with values only (paste as values).")
_PLAIN = (int, float, Decimal, dt.date)  # with str and None: what a values-only sheet holds


def _text(value: Any, row: int, column: str) -> str:
    """A plain cell's text (see cell_text); a formula, over-long text or any other value is refused."""
    if isinstance(value, str):
        if value.startswith("="):
            raise SourceError(str(_FORMULA), row=row, column=column, value=value)
        if len(value) > MAX_CELL_CHARS:
            raise SourceError(
                _("Longer than %(limit)s characters.")
                % {"limit": number_format(MAX_CELL_CHARS, force_grouping=True)},
                row=row,
                column=column,
            )
        return value
    if value is None or isinstance(value, _PLAIN):
        return cell_text(value)
    if isinstance(value, ArrayFormula | DataTableFormula):  # array and data-table formulas
        text = value.text if isinstance(value, ArrayFormula) else ""
        raise SourceError(str(_FORMULA), row=row, column=column, value=str(text or ""))
    raise SourceError(
        _("Not a plain value (a %(kind)s): export the sheet with values only (paste as values).")
        % {"kind": type(value).__name__},
        row=row,
        column=column,
    )


def _header(header_cells: tuple[Any, ...] | None) -> list[str]:
    """Row 1 up to its last named column; refused when empty or wider than MAX_COLUMNS."""
    header = [_text(c, 1, "") for c in header_cells or ()]
    while header and not header[-1].strip():
        header.pop()
    if not header:
        raise SourceError(_("The sheet is empty: expected a header row with the column names."), row=1)
    if len(header) > MAX_COLUMNS:
        raise SourceError(
            _(
                "The header has more than %(limit)s columns; a ledger has nine. "
                "Delete the columns the import does not read."
            )
            % {"limit": MAX_COLUMNS},
            row=1,
        )
    return header


def _rows(
    cells: Iterator[tuple[Any, ...]], header: list[str], close: Callable[[], None]
) -> Iterator[tuple[int, list[str]]]:
    """Data rows cut to the header's width (cells without a column name are not read)."""
    width = len(header)
    row_number = 1
    try:
        for row_number, values in enumerate(cells, start=2):
            if row_number > MAX_ROWS:
                raise SourceError(
                    _("The sheet has more than %(limit)s rows, Excel's own limit.")
                    % {"limit": number_format(MAX_ROWS, force_grouping=True)}
                )
            values = values[:width]
            if not any(v not in (None, "") for v in values):
                continue
            yield row_number, [_text(v, row_number, header[i]) for i, v in enumerate(values)]
    except SourceError:
        raise
    except Exception as error:  # openpyxl's parse errors, whatever their class: the file is bad
        raise SourceError(_UNREADABLE % {"error": error}, row=row_number + 1) from error
    finally:
        close()


def open_xlsx(path: str, options: ImportOptions, layout: Layout = LEDGER) -> Table:
    """The first sheet as a table; the header is row 1."""
    _check_parts(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
        # The real extent, not the one the sheet declares: a declared size may be too small (rows
        # would go unread) or huge (every row padded to it). One column and row past the limits
        # show that they are passed.
        cells = workbook.worksheets[0].iter_rows(
            max_col=MAX_COLUMNS + 1, max_row=MAX_ROWS + 1, values_only=True
        )
        header_cells = next(cells, None)
    except SourceError:
        raise
    except Exception as error:  # a damaged archive or XML fails in many ways: all mean the same
        raise SourceError(_UNREADABLE % {"error": error}) from error
    try:
        header = _header(header_cells)
        columns_of = map_columns(header, options.mapping, layout)
    except SourceError:
        workbook.close()
        raise
    # ISO text for dates typed as dates; a stated date format still applies to text cells.
    return Table(header=header, columns=columns_of, rows=_rows(cells, header, workbook.close))
