"""Rows for PostgreSQL's binary COPY, built a column at a time in numpy.

A run stores a hundred thousand segments in one COPY. Formatted as text, a Python `str` per value
and a join per row, that held the interpreter's lock for as long as the server took to store them,
and the thread computing the run's hashes beside it waited. Here each column becomes one block of
bytes (its values in network byte order, each after its length) and the blocks are interleaved
into rows by numpy, a few array operations per column whatever the number of rows. The server
also reads binary values without parsing their text.

The wire format (PostgreSQL's documentation, "COPY", "Binary Format"): a header, then per row a
16-bit field count and per field a 32-bit length (-1: NULL) followed by that many bytes, then a
16-bit -1. Each value's bytes are those of the type's binary receive function.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connection
from django.db.models import Field, ForeignKey, Model

HEADER = b"PGCOPY\n\xff\r\n\x00" + (0).to_bytes(4, "big") + (0).to_bytes(4, "big")  # no flags, no extension
TRAILER = (-1).to_bytes(2, "big", signed=True)

POSTGRES_EPOCH = np.datetime64("2000-01-01", "D")  # dates travel as days since it
NUMERIC_BASE_DIGITS = 4  # a numeric travels in base-10000 digits
NUMERIC_NEGATIVE = 0x4000
FIXED = {"smallint": ">i2", "integer": ">i4", "bigint": ">i8", "double precision": ">f8", "boolean": "?"}
# A numeric's length word, then its digit count, weight (of the first digit, in powers of 10000),
# sign and display scale, then the digits.
NUMERIC_HEAD = [("length", ">i4"), ("ndigits", ">i2"), ("weight", ">i2"), ("sign", ">u2"), ("dscale", ">i2")]
NUMERIC = re.compile(r"numeric\((\d+),\s*(\d+)\)")


@dataclass(frozen=True)
class Column:
    """How one column travels: its PostgreSQL type as `db_type` names it."""

    db_type: str

    @classmethod
    def of(cls, model: type[Model], name: str) -> Column:
        """The column of a model's field, by name or by column attribute (a foreign key's `<name>_id`)."""
        field = model._meta.get_field(name)
        if isinstance(field, ForeignKey):
            return cls(str(field.target_field.rel_db_type(connection)))
        if not isinstance(field, Field):
            raise ValueError(f"{model.__name__}.{name} is not a column")
        return cls(str(field.db_type(connection)))


@dataclass(frozen=True)
class _Field:
    """One column of a slice of rows: per row, its length word and bytes padded to one width, and
    how many of them the row holds (4 for a NULL)."""

    block: np.ndarray  # uint8, rows x width
    used: np.ndarray  # int64, per row


def binary_tuples(frame: pd.DataFrame, columns: Sequence[Column]) -> bytes:
    """The frame's rows as binary COPY tuples (no header or trailer), its columns in order, each
    travelling as the matching `columns` entry says. A missing value (None, NaN, NaT) is NULL.

    Values by type: integers, floats and booleans as numbers; `numeric(p, s)` as integers counting
    units of 10**-s (cents for s = 2), so that no decimal is ever rounded on the way; dates as
    datetime.date or datetime64; text and json as str."""
    if len(frame.columns) != len(columns):
        raise ValueError(f"{len(frame.columns)} frame columns for {len(columns)} column types")
    fields = []
    for name, column in zip(frame.columns, columns, strict=True):
        try:
            fields.append(_field(frame[name], column.db_type))
        except (TypeError, ValueError) as error:
            raise ValueError(f"column {name!r} ({column.db_type}): {error}") from error
    return _interleaved(fields, len(frame))


def _field(values: pd.Series, db_type: str) -> _Field:
    missing = values.isna().to_numpy()
    if db_type in FIXED:
        dtype = FIXED[db_type]
        filled = _filled(values, missing, 0)
        return _fixed(_integers(filled, dtype) if dtype.startswith(">i") else filled, dtype, missing)
    if db_type == "date":
        days = pd.to_datetime(values.where(~missing, dt.date(2000, 1, 1))).to_numpy("datetime64[D]")
        return _fixed((days - POSTGRES_EPOCH).astype("int64"), ">i4", missing)
    if numeric := NUMERIC.fullmatch(db_type):
        scaled = _integers(_filled(values, missing, 0), ">i8")
        return _numeric(scaled, int(numeric[1]), int(numeric[2]), missing)
    if db_type in ("json", "text") or db_type.startswith("varchar"):
        return _text(values, missing)
    if db_type == "jsonb":  # its binary form: a version byte, then the text
        return _text("\x01" + values.astype(object).where(~missing, ""), missing)
    raise ValueError(f"no binary COPY for the type {db_type!r}")


def _filled(values: pd.Series, missing: np.ndarray, fill: int) -> np.ndarray:
    if not missing.any():
        return values.to_numpy()
    return values.astype(object).where(~missing, fill).to_numpy()


def _integers(values: np.ndarray, dtype: str) -> np.ndarray:
    """The values as int64, refused when one is not a whole number or does not fit `dtype` (numpy
    would wrap it round, or cut its fraction, without a word)."""
    if values.dtype.kind not in "iub":
        numbers = np.asarray(values, dtype="float64")
        if not np.array_equal(numbers, np.trunc(numbers)):
            raise ValueError("a value is not a whole number")
        if len(numbers) and np.abs(numbers).max() >= 2.0**63:
            raise ValueError("a value is out of range")
    whole = np.asarray(values).astype("int64")
    limits = np.iinfo(np.dtype(dtype))
    if len(whole) and (whole.min() < limits.min or whole.max() > limits.max):
        raise ValueError(f"a value is out of range ({limits.min}..{limits.max})")
    return whole


def _fixed(values: np.ndarray, dtype: str, missing: np.ndarray) -> _Field:
    """A fixed-width type: the length word and the value's bytes."""
    record = np.empty(len(values), dtype=[("length", ">i4"), ("value", dtype)])
    record["value"] = values
    return _record_field(record, missing)


def _numeric(scaled: np.ndarray, precision: int, scale: int, missing: np.ndarray) -> _Field:
    """numeric(precision, scale) from integers counting units of 10**-scale. Every value travels in
    the same number of base-10000 digits, leading and trailing zero digits included: the server
    strips them (as it does for any numeric it receives) and checks the precision."""
    if scale > NUMERIC_BASE_DIGITS:
        raise ValueError(f"numeric scale {scale} above {NUMERIC_BASE_DIGITS}")
    whole_groups = max(1, -(-(precision - scale) // NUMERIC_BASE_DIGITS))
    groups = whole_groups + (1 if scale else 0)
    if len(scaled) and (scaled.min() <= -(10**precision) or scaled.max() >= 10**precision):
        raise ValueError(f"a value has more than {precision} digits")
    units, fraction = np.divmod(np.abs(scaled), 10**scale)
    digits = np.empty((len(scaled), groups), dtype=">i2")
    base = 10**NUMERIC_BASE_DIGITS
    for group in range(whole_groups):  # the most significant first
        digits[:, group] = units // base ** (whole_groups - 1 - group) % base
    if scale:
        digits[:, whole_groups] = fraction * 10 ** (NUMERIC_BASE_DIGITS - scale)
    record = np.empty(len(scaled), dtype=[*NUMERIC_HEAD, ("digits", ">i2", (groups,))])
    record["ndigits"] = groups
    record["weight"] = whole_groups - 1
    record["sign"] = np.where(scaled < 0, NUMERIC_NEGATIVE, 0)
    record["dscale"] = scale
    record["digits"] = digits
    return _record_field(record, missing)


def _record_field(record: np.ndarray, missing: np.ndarray) -> _Field:
    """A fixed-width value per row, its record's first field the length word: set here, the value's
    width where present, -1 where missing (the row then holds the length word alone)."""
    width = record.dtype.itemsize - 4
    record["length"] = np.where(missing, -1, width)
    block = record.view(np.uint8).reshape(len(record), 4 + width)
    return _Field(block, np.where(missing, 4, 4 + width).astype("int64"))


def _text(values: pd.Series, missing: np.ndarray) -> _Field:
    """Text (and json, whose binary form is its text) as UTF-8, padded to the longest in the block."""
    texts = values.astype(object).where(~missing, "").tolist()
    # All ASCII (one byte a character): numpy encodes them at once; else each is encoded here.
    data = texts if "".join(texts).isascii() else [text.encode() for text in texts]
    encoded = np.array(data, dtype=np.bytes_)
    lengths = np.fromiter(map(len, data), dtype="int64", count=len(data))
    width = max(encoded.dtype.itemsize, 1)
    block = np.zeros((len(texts), 4 + width), dtype=np.uint8)
    block[:, :4] = np.where(missing, -1, lengths).astype(">i4").view(np.uint8).reshape(-1, 4)
    if len(texts):
        block[:, 4:] = encoded.astype(f"S{width}").view(np.uint8).reshape(len(texts), width)
    return _Field(block, np.where(missing, 4, 4 + lengths).astype("int64"))


def _interleaved(fields: list[_Field], rows: int) -> bytes:
    """The rows: the field count, then each field's used bytes, in order. The fields' blocks side by
    side make one padded row each; a mask of the used bytes then drops the padding, and the bytes
    left, read row by row, are the tuples."""
    if not rows:
        return b""
    count = np.frombuffer(len(fields).to_bytes(2, "big"), dtype=np.uint8)
    padded = np.hstack([np.broadcast_to(count, (rows, 2)), *(field.block for field in fields)])
    masks = [
        np.ones((rows, field.block.shape[1]), dtype=bool)
        if (field.used == field.block.shape[1]).all()
        else np.arange(field.block.shape[1]) < field.used[:, None]
        for field in fields
    ]
    return padded[np.hstack([np.ones((rows, 2), dtype=bool), *masks])].tobytes()
