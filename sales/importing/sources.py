"""Sources of ledger rows: CSV (any delimiter, encoding, decimal comma), XLSX, JSON objects.

Every source yields (row number, list of cell texts) one row at a time, so a file of any size is
read in constant memory. Row numbers are those a person sees in the file (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

CANONICAL_COLUMNS = (
    "account_external_id",
    "date",
    "amount",
    "account_name",
    "quantity",
    "margin",
    "product_line",
    "line_external_id",
    "sku",
)
REQUIRED_COLUMNS = ("account_external_id", "date", "amount")


class SourceError(Exception):
    """The file as a whole cannot be read: nothing in it is imported."""

    def __init__(self, reason: str, *, row: int | None = None, column: str = "", value: str = ""):
        super().__init__(reason)
        self.reason, self.row, self.column, self.value = reason, row, column, value

    def as_error(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


@dataclass
class ImportOptions:
    """How to read a file. `mapping` maps canonical column → the file's column name."""

    mapping: dict[str, str] = field(default_factory=dict)
    date_format: str = ""  # empty: ISO dates (YYYY-MM-DD)
    encoding: str = "utf-8"
    delimiter: str = ""  # empty: detected from the header
    skip_invalid: bool = False
    create_accounts: bool = True
    force: bool = False
    dry_run: bool = False

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportOptions:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


@dataclass
class Table:
    """A source opened for reading: its header, the column of each canonical field, its rows."""

    header: list[str]
    columns: dict[str, int]  # canonical name → position in the row
    rows: Iterator[tuple[int, list[str]]]
    delimiter: str = ","


def map_columns(header: list[str], mapping: dict[str, str]) -> dict[str, int]:
    """Canonical column → position. Unknown, missing or doubled columns are a SourceError."""
    unknown_targets = set(mapping) - set(CANONICAL_COLUMNS)
    if unknown_targets:
        raise SourceError(
            f"--map names unknown fields {', '.join(sorted(unknown_targets))}; "
            f"the fields are {', '.join(CANONICAL_COLUMNS)}."
        )
    by_file_name = {source: target for target, source in mapping.items()}
    columns: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip()
        target = by_file_name.get(name) or (name.lower() if name.lower() in CANONICAL_COLUMNS else None)
        if target is None:
            if not name:
                continue  # trailing empty header cells of spreadsheets
            raise SourceError(
                f"Unknown column {name!r}: map it to a field (FIELD={name}) or remove it. "
                f"Known columns: {', '.join(CANONICAL_COLUMNS)}.",
                row=1,
                column=name,
            )
        if target in columns:
            raise SourceError(f"Column {target!r} appears twice in the header.", row=1, column=name)
        columns[target] = position
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise SourceError(
            f"Required column{'s' if len(missing) > 1 else ''} missing: {', '.join(missing)}. "
            f"Rename the column or map it, e.g. --map {missing[0]}=YourColumn.",
            row=1,
        )
    return columns


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _decoded_lines(stream: IO[bytes], encoding: str, options: ImportOptions) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that a bad byte is blamed on its own line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    for number, raw in enumerate(stream, start=1):
        try:
            yield decoder.decode(raw)
        except UnicodeDecodeError as error:
            raise SourceError(_encoding_reason(options), row=number) from error


def open_csv(stream: IO[bytes], options: ImportOptions) -> Table:
    encoding = codecs.lookup(options.encoding or "utf-8").name
    if encoding == "utf-8":
        encoding = "utf-8-sig"  # with or without a byte-order mark
    if encoding.startswith(("utf-16", "utf-32")):
        lines: Iterator[str] = iter(io.TextIOWrapper(stream, encoding=encoding, newline=""))
    else:
        lines = _decoded_lines(stream, encoding, options)
    try:
        header_line = next(lines, "")
    except UnicodeDecodeError as error:
        raise SourceError(_encoding_reason(options), row=1) from error
    if not header_line.strip():
        raise SourceError("The file is empty: expected a header row with the column names.", row=1)
    delimiter = options.delimiter or _detect_delimiter(header_line)
    header = next(csv.reader([header_line], delimiter=delimiter))
    columns = map_columns(header, options.mapping)
    reader = csv.reader(lines, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for row_number, values in enumerate(reader, start=2):
                if any(value.strip() for value in values):  # blank lines and ",,," rows are not rows
                    yield row_number, values
        except UnicodeDecodeError as error:  # the UTF-16/32 path decodes in blocks
            raise SourceError(_encoding_reason(options), row=reader.line_num + 1) from error
        except csv.Error as error:
            raise SourceError(f"Malformed CSV: {error}.", row=reader.line_num) from error

    return Table(header=header, columns=columns, rows=rows(), delimiter=delimiter)


def _encoding_reason(options: ImportOptions) -> str:
    return (
        f"The file is not valid {options.encoding or 'UTF-8'} text. "
        "Save it as UTF-8, or name its encoding (e.g. --encoding cp1252)."
    )


_MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b")


def _has_merged_cells(path: str) -> bool:
    """Read-only workbooks do not expose merged cells: look for them in the sheet XML, in chunks."""
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as sheet:
                    tail = b""
                    while chunk := sheet.read(1 << 20):
                        if _MERGE_CELL.search(tail + chunk):
                            return True
                        tail = chunk[-32:]
    return False


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def open_xlsx(path: str, options: ImportOptions) -> Table:
    import openpyxl

    try:
        if _has_merged_cells(path):
            raise SourceError(
                "The sheet has merged cells: unmerge them so that every row has its own values."
            )
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, OSError) as error:
        raise SourceError("This is not a readable XLSX workbook.") from error
    sheet = workbook.worksheets[0]
    cells = sheet.iter_rows(values_only=True)
    header_cells = next(cells, None)
    if not header_cells or not any(header_cells):
        raise SourceError("The sheet is empty: expected a header row with the column names.", row=1)
    header = [_cell_text(c) for c in header_cells]
    columns = map_columns(header, options.mapping)
    # ISO text for dates typed as dates; a stated date format still applies to text cells.

    def rows() -> Iterator[tuple[int, list[str]]]:
        for row_number, values in enumerate(cells, start=2):
            if not any(v not in (None, "") for v in values):
                continue
            for position, value in enumerate(values):
                if isinstance(value, str) and value.startswith("="):
                    raise SourceError(
                        "A formula: export the sheet with values only (paste as values).",
                        row=row_number,
                        column=header[position] if position < len(header) else "",
                        value=value,
                    )
            yield row_number, [_cell_text(v) for v in values]
        workbook.close()

    return Table(header=header, columns=columns, rows=rows())


def open_objects(objects: Iterable[dict[str, Any]], options: ImportOptions) -> Table:
    """Rows given as JSON objects with the canonical field names (the bulk API)."""
    header = list(CANONICAL_COLUMNS)
    columns = {name: position for position, name in enumerate(header)}

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, item in enumerate(objects, start=1):
            if not isinstance(item, dict):
                raise SourceError("Each line must be a JSON object.", row=number)
            unknown = set(item) - set(CANONICAL_COLUMNS)
            if unknown:
                raise SourceError(
                    f"Unknown field {sorted(unknown)[0]!r}.", row=number, column=sorted(unknown)[0]
                )
            yield number, [_cell_text(item.get(name)) for name in header]

    return Table(header=header, columns=columns, rows=rows())


def open_file(path: str, file_name: str, options: ImportOptions) -> tuple[Table, IO[bytes] | None]:
    """Open a CSV or XLSX file by its name; returns the table and the stream to close."""
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        return open_xlsx(path, options), None
    stream = open(path, "rb")  # noqa: SIM115 - closed by the caller when the rows are consumed
    try:
        return open_csv(stream, options), stream
    except BaseException:
        stream.close()
        raise
