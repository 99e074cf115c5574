"""Sources of ledger rows: CSV (any delimiter, encoding, decimal comma), XLSX, JSON objects.

Every source yields (row number, list of cell texts) one row at a time, so a file of any size is
read in constant memory. Row numbers are those a person sees in the file (the header is row 1).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import itertools
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, AnyStr

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


# Text the database cannot store (PostgreSQL refuses NUL and unpaired surrogates, even in JSON).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` with NUL shown as \\0 and unpaired surrogates as U+FFFD, so a report can be saved."""
    if text.isascii() and "\x00" not in text:
        return text
    return _UNSTORABLE.sub(lambda m: "\\0" if m.group() == "\x00" else "\ufffd", text)


class SourceError(Exception):
    """The file as a whole cannot be read: nothing in it is imported."""

    def __init__(self, reason: str, *, row: int | None = None, column: str = "", value: str = ""):
        super().__init__(reason)
        self.reason, self.row = storable(reason), row
        self.column, self.value = storable(column)[:200], storable(value)[:200]

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
    # A UTF-8 CSV file's byte stream, at the first row while `rows` is not started: PostgreSQL may
    # read such a file itself (importing.plain_csv).
    raw_stream: IO[bytes] | None = None


@dataclass(frozen=True)
class Layout:
    """The columns a kind of file has: the ledger's by default, the sales plans' for plan imports."""

    columns: tuple[str, ...] = CANONICAL_COLUMNS
    required: tuple[str, ...] = REQUIRED_COLUMNS


LEDGER = Layout()


def map_columns(header: list[str], mapping: dict[str, str], layout: Layout = LEDGER) -> dict[str, int]:
    """Canonical column → position. Unknown, missing or doubled columns are a SourceError."""
    known, required = layout.columns, layout.required
    unknown_targets = set(mapping) - set(known)
    if unknown_targets:
        raise SourceError(
            _("The mapping names unknown fields %(unknown)s; the fields are %(known)s.")
            % {"unknown": ", ".join(sorted(unknown_targets)), "known": ", ".join(known)}
        )
    by_file_name = {source: target for target, source in mapping.items()}
    columns: dict[str, int] = {}
    for position, raw in enumerate(header):
        name = raw.strip()
        target = by_file_name.get(name) or (name.lower() if name.lower() in known else None)
        if target is None:
            if not name:
                continue  # trailing empty header cells of spreadsheets
            raise SourceError(
                _(
                    "Unknown column %(name)r: map it to a field (FIELD=%(column)s) or remove it. "
                    "Known columns: %(known)s."
                )
                % {"name": name, "column": name, "known": ", ".join(known)},
                row=1,
                column=name,
            )
        if target in columns:
            raise SourceError(
                _("Column %(name)r appears twice in the header.") % {"name": target}, row=1, column=name
            )
        columns[target] = position
    missing = [c for c in required if c not in columns]
    if missing:
        raise SourceError(
            ngettext(
                "Required column missing: %(missing)s. "
                "Rename the column or map it, e.g. %(first)s=YourColumn.",
                "Required columns missing: %(missing)s. "
                "Rename the columns or map them, e.g. %(first)s=YourColumn.",
                len(missing),
            )
            % {"missing": ", ".join(missing), "first": missing[0]},
            row=1,
        )
    return columns


def _detect_delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", ",", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


MAX_LINE_BYTES = 1 << 20  # a ledger row is a few hundred bytes; a longer line is not a ledger row
_BYTE_ORDER_MARKS = {
    "utf-16": (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE),
    "utf-32": (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE),
}
# Text codecs that are not character sets: they turn a ledger into escapes, domain names or errors.
_NOT_CHARSETS = {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "undefined"}


def text_encoding(name: str) -> str:
    """The codec name of `name` when it is a character set a file can be written in.

    The one check of an encoding named by the page, the API, the command or a stored import: it
    raises ValueError with the reason for names Python does not know and for codecs that are not
    text encodings (rot13, hex, base64, zlib: transforms that would crash the reader).
    """
    name = (name or "").strip() or "utf-8"
    advice = _("Name the character set the file is written in, e.g. utf-8, cp1252, iso-8859-1 or utf-16.")
    try:
        codec = codecs.lookup(name).name
    except LookupError as error:
        raise ValueError(
            _("%(name)r is not an encoding. %(advice)s") % {"name": name, "advice": advice}
        ) from error
    if codec in _NOT_CHARSETS:
        raise ValueError(_("%(name)r is not a character set. %(advice)s") % {"name": name, "advice": advice})
    try:
        b"a".decode(codec, "replace")  # LookupError for bytes-to-bytes and text-to-text transforms
    except LookupError as error:
        raise ValueError(
            _("%(name)r is not a text encoding. %(advice)s") % {"name": name, "advice": advice}
        ) from error
    return codec


def _bounded(read_line: Callable[[int], AnyStr], what: str) -> Iterator[AnyStr]:
    """Lines of at most MAX_LINE_BYTES, read without holding a longer one in memory."""
    for number in itertools.count(1):
        line = read_line(MAX_LINE_BYTES + 1)
        if not line:
            return
        if len(line) > MAX_LINE_BYTES:
            raise SourceError(
                _(
                    "Line %(number)s is longer than %(limit)s MiB, and a ledger row is a few hundred "
                    "bytes: check that this is the ledger file, with one row per line."
                )
                % {"number": number, "limit": MAX_LINE_BYTES >> 20},
                row=number,
            )
        yield line


def _decoded_lines(stream: IO[bytes], encoding: str, options: ImportOptions) -> Iterator[str]:
    """The file's lines as text, decoded one by one so that a bad byte is blamed on its own line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    for number, raw in enumerate(_bounded(stream.readline, "bytes"), start=1):
        try:
            yield decoder.decode(raw)
        except UnicodeError as error:
            raise SourceError(_encoding_reason(options), row=number) from error


def _wide_lines(stream: IO[bytes], encoding: str, options: ImportOptions) -> Iterator[str]:
    """UTF-16/32 lines: the byte order comes from the byte-order mark, which must be there."""
    marks = _BYTE_ORDER_MARKS.get(encoding)
    if marks is not None:
        start = stream.read(4)
        stream.seek(0)
        if not start.startswith(marks):
            raise SourceError(
                _(
                    "The file has no byte-order mark, so its %(encoding)s byte order is unknown: "
                    "name it, e.g. %(little)s (Windows) or %(big)s."
                )
                % {"encoding": encoding.upper(), "little": f"{encoding}-le", "big": f"{encoding}-be"},
                row=1,
            )
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    return _bounded(text.readline, "characters")


def open_csv(stream: IO[bytes], options: ImportOptions, layout: Layout = LEDGER) -> Table:
    try:
        encoding = text_encoding(options.encoding)
    except ValueError as error:
        raise SourceError(str(error)) from error
    if encoding == "utf-8":
        encoding = "utf-8-sig"  # with or without a byte-order mark
    if encoding.startswith(("utf-16", "utf-32")):
        lines = _wide_lines(stream, encoding, options)
    else:
        lines = _decoded_lines(stream, encoding, options)
    try:
        header_line = next(lines, "").removeprefix("\ufeff")  # a byte-order mark the codec kept
        delimiter = options.delimiter or _detect_delimiter(header_line)
        header = next(csv.reader([header_line], delimiter=delimiter), [])
    except UnicodeError as error:
        raise SourceError(_encoding_reason(options), row=1) from error
    except csv.Error as error:
        raise SourceError(_("Malformed CSV: %(error)s.") % {"error": error}, row=1) from error
    if not header_line.strip():
        raise SourceError(_("The file is empty: expected a header row with the column names."), row=1)
    columns = map_columns(header, options.mapping, layout)
    reader = csv.reader(lines, delimiter=delimiter)

    def rows() -> Iterator[tuple[int, list[str]]]:
        try:
            for row_number, values in enumerate(reader, start=2):
                if any(value.strip() for value in values):  # blank lines and ",,," rows are not rows
                    yield row_number, values
        except UnicodeError as error:  # the UTF-16/32 path decodes in blocks
            raise SourceError(_encoding_reason(options), row=reader.line_num + 1) from error
        except csv.Error as error:
            raise SourceError(
                _("Malformed CSV: %(error)s.") % {"error": error}, row=reader.line_num
            ) from error

    raw_stream = stream if encoding == "utf-8-sig" else None
    return Table(header=header, columns=columns, rows=rows(), delimiter=delimiter, raw_stream=raw_stream)


def _encoding_reason(options: ImportOptions) -> str:
    return _(
        "The file is not valid %(encoding)s text. Save it as UTF-8, or name its encoding (e.g. cp1252)."
    ) % {"encoding": options.encoding or "UTF-8"}


def cell_text(value: Any) -> str:
    """A JSON or spreadsheet value as the text the row checks read."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    return str(value)


def open_objects(objects: Iterable[dict[str, Any]], options: ImportOptions) -> Table:
    """Rows given as JSON objects with the canonical field names (the bulk API)."""
    header = list(CANONICAL_COLUMNS)
    columns = {name: position for position, name in enumerate(header)}

    def rows() -> Iterator[tuple[int, list[str]]]:
        for number, item in enumerate(objects, start=1):
            if not isinstance(item, dict):
                raise SourceError(_("Each line must be a JSON object."), row=number)
            unknown = set(item) - set(CANONICAL_COLUMNS)
            if unknown:
                raise SourceError(
                    _("Unknown field %(name)r.") % {"name": sorted(unknown)[0]},
                    row=number,
                    column=sorted(unknown)[0],
                )
            yield number, [cell_text(item.get(name)) for name in header]

    return Table(header=header, columns=columns, rows=rows())


def open_file(
    path: str, file_name: str, options: ImportOptions, layout: Layout = LEDGER
) -> tuple[Table, IO[bytes] | None]:
    """Open a CSV or XLSX file by its name; returns the table and the stream to close."""
    if file_name.lower().endswith((".xlsx", ".xlsm")):
        from .workbook import open_xlsx  # openpyxl loads only when a workbook comes

        return open_xlsx(path, options, layout), None
    stream = open(path, "rb")  # noqa: SIM115 - closed by the caller when the rows are consumed
    try:
        return open_csv(stream, options, layout), stream
    except BaseException:
        stream.close()
        raise


def read_preview(
    path: str, file_name: str, options: ImportOptions, limit: int
) -> tuple[Table, list[list[str]]]:
    """The table and its first `limit` rows, as the import reads them; SourceError if it cannot."""
    table, stream = open_file(path, file_name, options)
    try:
        return table, [values for _row, values in itertools.islice(table.rows, limit)]
    finally:
        close = getattr(table.rows, "close", None)  # a generator: lets a workbook close its file
        if close is not None:
            close()
        if stream is not None:
            stream.close()
