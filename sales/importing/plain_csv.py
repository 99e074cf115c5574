"""The fast road for a plain CSV file on PostgreSQL: the server parses it, SQL checks it.

A file is plain when PostgreSQL's CSV reader and Python's read it alike: UTF-8, no quote character,
no NUL, no blank line, every line ending the same way, no line near the length limit, no `\\.`
line, and every row with as many cells as the header. Such a file goes to the server as it is,
one COPY into a text table, and the rows come out of it checked in SQL by rules that accept only
what `RowValidator` accepts and normalise it the same way. The distinct date texts (a ledger has
few) are read by `RowValidator` itself. Every row the SQL rules do not accept is read back and
checked by `RowValidator`, so the row report is the same as on the row-by-row road; a file that
is not plain, or that PostgreSQL refuses, goes that road from its first row.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Iterator
from typing import IO, Any

import psycopg
from django.db import DatabaseError, connection, transaction

from common.sql_settings import local_setting

from .rows import MAX_ID, MAX_NAME, RowValidator, Staged
from .sources import MAX_LINE_BYTES, Table
from .stage import COLUMNS, STAGE, Stage

# Unlogged tables of the import's transaction, like the stage (see `stage.STAGE`): staging the rows
# from them (two regular expressions per row) is an import's longest statement, and runs in parallel.
# Dropped at the end of `load`.
RAW = "sales_import_raw"
DATES = "sales_import_dates"
CHUNK = 256 << 10  # below the line limit: only a line across chunks can reach it
DELIMITERS = (",", ";", "\t", "|")
# What str.strip() strips. A text the SQL rules take has none of it at either end, so that it is
# what RowValidator would stage (\x01 joins the cells in the check).
WHITESPACE = "".join(chr(c) for c in range(0x110000) if chr(c).isspace())
_EDGES = f"(?:^|\x01)[{WHITESPACE}]|[{WHITESPACE}](?:\x01|$)"
FETCH = 10_000
SEQUENCE_CACHE = 10_000  # row numbers handed to the COPY at a time

Reject = Callable[[list[dict[str, Any]], list[str]], None]


class NotPlain(Exception):
    """The file needs Python's reader."""


def _chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The data rows' bytes, checked to be plain as they go (NotPlain when they are not)."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    tail, run = b"\n", 0  # the previous bytes (the header ended a line); the open line's length
    while chunk := stream.read(CHUNK):
        if chunk.endswith(b"\r"):
            chunk += stream.read(1)  # keep "\r\n" in one chunk
        if b'"' in chunk or b"\x00" in chunk or chunk.count(b"\r") != chunk.count(b"\r\n"):
            raise NotPlain
        joined = tail + chunk
        if b"\n\n" in joined or b"\n\r\n" in joined or b"\n\\.\n" in joined or b"\n\\.\r\n" in joined:
            raise NotPlain
        first, last = chunk.find(b"\n"), chunk.rfind(b"\n")
        run = run + len(chunk) if first < 0 else len(chunk) - last - 1
        if (first >= 0 and run + first >= MAX_LINE_BYTES - 2) or run >= MAX_LINE_BYTES - 2:
            raise NotPlain
        try:
            decoder.decode(chunk)
        except UnicodeError as error:
            raise NotPlain from error
        tail = joined[-3:]
        yield chunk
    if tail.endswith((b"\n\\.", b"\n\\.\r")):
        raise NotPlain
    try:
        decoder.decode(b"", final=True)
    except UnicodeError as error:
        raise NotPlain from error


class PlainCsv:
    """Loads a plain CSV table into the import's stage; see the module's docstring."""

    def __init__(self, table: Table, validator: RowValidator, reject: Reject, stage: Stage):
        self.table, self.validator, self.reject, self.stage = table, validator, reject, stage
        self.width = len(table.header)
        self.copied = 0
        self.cells = [f"c{i}" for i in range(self.width)]

    @staticmethod
    def applies(table: Table) -> bool:
        return table.raw_stream is not None and table.delimiter in DELIMITERS

    def load(self) -> int | None:
        """Stage the file's rows; returns the number of rows, or None when the file is not plain
        (nothing is left behind, and the stream is back at the first row)."""
        stream = self.table.raw_stream
        assert stream is not None  # noqa: S101 - checked by applies()
        start = stream.tell()
        try:
            with transaction.atomic():
                self._copy(stream)
        except (NotPlain, DatabaseError, psycopg.Error):  # COPY raises the driver's own errors
            stream.seek(start)
            return None
        staged = self._stage_accepted(*self._accepted())
        rows = staged + (self._check_the_rest() if staged < self.copied else 0)
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE {RAW}")
            cursor.execute(f"DROP TABLE {DATES}")
        return rows

    def _copy(self, stream: IO[bytes]) -> None:
        cells = ", ".join(self.cells)
        delimiter = self.table.delimiter.replace("\t", "\\t")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {RAW}, {DATES}")
            # The row numbers from a sequence that hands this session its numbers a block at a time
            # (in order: no other session draws from it): one sequence access per row made the COPY
            # of 1M rows 1.05 to 1.21 s against 0.88 to 0.97 s.
            cursor.execute(
                f"CREATE UNLOGGED TABLE {RAW} (row_no integer GENERATED ALWAYS AS IDENTITY "
                f"(START 2 CACHE {SEQUENCE_CACHE}), " + ", ".join(f"{c} text" for c in self.cells) + ")"
            )
            with cursor.cursor.copy(
                f"COPY {RAW} ({cells}) FROM STDIN WITH (FORMAT csv, DELIMITER E'{delimiter}', "
                f"FORCE_NOT_NULL ({cells}))"
            ) as copy:
                for chunk in _chunks(stream):
                    copy.write(chunk)
            self.copied = cursor.cursor.rowcount

    def _cell(self, name: str) -> str | None:
        position = self.table.columns.get(name)
        return None if position is None else f"r.c{position}"

    def _dates(self, cursor) -> None:
        """Each distinct date text of the file, read by RowValidator (None when it is not a date)."""
        date = self._cell("date")
        cursor.execute(f"CREATE UNLOGGED TABLE {DATES} (raw text, day date)")
        cursor.execute(f"SELECT DISTINCT {date} FROM {RAW} r")  # nosec B608 # constant table names, cells c0..cN by position; values are parameters
        texts = [text for (text,) in cursor.fetchall()]
        with cursor.cursor.copy(f"COPY {DATES} (raw, day) FROM STDIN") as copy:
            for text in texts:
                copy.write_row((text, self.validator.iso_date(text)))
        cursor.execute(f"ANALYZE {DATES}")

    def _accepted(self) -> tuple[str, list[str], list[str]]:
        """(SQL condition, staged values, parameters): the rows RowValidator takes as they are.

        A regular expression costs more to call than to match: the cells to check are joined by
        \\x01 and checked by two, one for the edges of the texts and one for the numbers. A cell
        holding a \\x01 can only fail them, and then RowValidator reads its row.
        """
        cell, texts, numbers, patterns = self._cell, [], [], []
        conditions = ["d.day IS NOT NULL"]
        point = "[.,]" if self.validator.decimal_comma else "\\."

        def text(name: str, limit: int, stripped: bool = True) -> str:
            if (column := cell(name)) is None:
                return "''"
            conditions.append(f"char_length({column}) <= {limit}")
            if stripped:
                texts.append(column)
            return column

        def decimal(name: str, digits: int, places: int, required: bool) -> str:
            if (column := cell(name)) is None:
                return "NULL"
            numbers.append(column)
            patterns.append(f"-?[0-9]+(?:{point}[0-9]{'[0-9]?' * (places - 1)})?" + ("" if required else "|"))
            if self.validator.decimal_comma:
                column = f"translate({column}, ',', '.')"
            # The digits are counted apart: a bounded repeat is slow in PostgreSQL's regex engine.
            whole = f"char_length(ltrim(split_part({column}, '.', 1), '-'))"
            conditions.append(f"(char_length({column}) <= {digits} OR {whole} <= {digits})")
            return f"NULLIF({column}, '')::numeric"

        account = text("account_external_id", MAX_ID)  # kept unstripped: this only asks for no edges
        conditions.append(f"{account} <> ''")
        values = [
            "r.row_no", account, text("account_name", MAX_NAME), "d.day",
            decimal("amount", 12, 2, required=True),
            decimal("quantity", 11, 3, required=False),
            decimal("margin", 12, 2, required=False),
            f"NULLIF({text('product_line', MAX_ID)}, '')",
            f"NULLIF({text('line_external_id', MAX_ID, stripped=False)}, '')",
            text("sku", MAX_ID),
        ]  # fmt: skip
        conditions.append(f"concat_ws(E'\\x01', {', '.join(texts)}) !~ %s")
        conditions.append(f"concat_ws(E'\\x01', {', '.join(numbers)}) ~ %s")
        number_pattern = "^" + "\x01".join(f"(?:{p})" for p in patterns) + "$"
        return " AND ".join(conditions), values, [_EDGES, number_pattern]

    def _stage_accepted(self, condition: str, values: list[str], params: list[str]) -> int:
        with connection.cursor() as cursor:
            self._dates(cursor)
            named = ", ".join(f"{value} AS {name}" for value, name in zip(values, COLUMNS, strict=True))
            # The planner expects next to no row to pass the checks and would then scan the dates
            # once per row: a hash join it must be.
            with local_setting("enable_nestloop", "off"):
                staged = self.stage.refill(
                    f"""SELECT {named}
                        FROM {RAW} r JOIN {DATES} d ON d.raw = r.{self.cells[self.table.columns["date"]]}
                        WHERE {condition}""",  # nosec B608 # constant table names, cells c0..cN by position; values are parameters
                    params,
                )
            cursor.execute(f"SELECT COUNT(*) FILTER (WHERE line_external_id IS NULL) FROM {STAGE}")  # nosec B608 # constant table names, cells c0..cN by position; values are parameters
            without = cursor.fetchone()[0]
        self.validator.rows_without_line_id += without
        self.validator.saw_line_id = self.validator.saw_line_id or without < staged
        return staged

    def _check_the_rest(self) -> int:
        """RowValidator on each row the SQL rules did not take, in file order; returns the rows read."""
        query = (
            f"SELECT r.row_no, {', '.join('r.' + c for c in self.cells)} FROM {RAW} r "  # nosec B608 # constant table names, cells c0..cN by position; values are parameters
            f"WHERE NOT EXISTS (SELECT 1 FROM {STAGE} s WHERE s.row_no = r.row_no) ORDER BY r.row_no"
        )
        rows, staged = 0, []
        with connection.chunked_cursor() as cursor:
            cursor.execute(query)
            while batch := cursor.fetchmany(FETCH):
                for row_no, *values in batch:
                    if not any(value.strip() for value in values):
                        continue  # blank rows are not rows, as on the row-by-row road
                    rows += 1
                    checked, errors = self.validator.validate(row_no, values)
                    if checked is None:
                        self.reject(errors, values)
                    else:
                        staged.append(checked)
                if len(staged) >= FETCH:
                    self._write(staged)
        self._write(staged)
        return rows

    def _write(self, rows: list[Staged]) -> None:
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        rows.clear()
