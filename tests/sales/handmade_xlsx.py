"""Workbooks written by hand, part by part, for the files no spreadsheet program would write.

A workbook is a zip of XML parts; here each part is deflated directly, so a part can be made
to expand to a gibibyte from a compressed megabyte (one deflated mebibyte, repeated) in about a
second, and a sheet's XML can be broken on purpose.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
PACKAGE = "application/vnd.openxmlformats-package"
HUGE = "\x01huge\x01"  # a cell with this text becomes the huge one
MIB = 1 << 20


class Part:
    """One zip member: raw deflated bytes, CRC-32 and size of what they expand to."""

    def __init__(self, data: bytes = b"", *, huge_at: bytes = b"", huge_mib: int = 0) -> None:
        head, _, tail = data.partition(huge_at) if huge_at else (data, b"", b"")
        chunk = b"A" * MIB
        self.deflated = _flushed(head) + _flushed(chunk) * huge_mib + _finished(tail)
        crc = zlib.crc32(head)
        for _ in range(huge_mib):
            crc = zlib.crc32(chunk, crc)
        self.crc = zlib.crc32(tail, crc)
        self.size = len(head) + len(chunk) * huge_mib + len(tail)


def _flushed(data: bytes) -> bytes:
    """Deflated and fully flushed: such pieces concatenate into one valid stream."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)


def _finished(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def write_zip(path: Path, parts: dict[str, Part]) -> Path:
    """A plain zip (no zip64: every part under 4 GiB) of the deflated parts."""
    day = 0x21  # 1980-01-01 in DOS date format
    central = []
    with path.open("wb") as out:
        for name, part in parts.items():
            offset, encoded = out.tell(), name.encode()
            sizes = (part.crc, len(part.deflated), part.size, len(encoded))
            out.write(struct.pack("<4s2B4HL2L2H", b"PK\x03\x04", 20, 0, 0, 8, 0, day, *sizes, 0))
            out.write(encoded + part.deflated)
            entry = struct.pack("<4s4B4HL2L5H2L", b"PK\x01\x02", 20, 0, 20, 0, 0, 8, 0, day, *sizes,
                                0, 0, 0, 0, 0, offset)  # fmt: skip
            central.append(entry + encoded)
        start = out.tell()
        out.write(b"".join(central))
        count, length = len(central), out.tell() - start
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, length, start, 0))
    return path


def _cell(reference: str, value: object, strings: list[str]) -> str:
    if isinstance(value, int | float):
        return f'<c r="{reference}"><v>{value}</v></c>'
    strings.append(str(value))
    return f'<c r="{reference}" t="s"><v>{len(strings) - 1}</v></c>'


def sheet_xml(rows: list[list[object]], strings: list[str], dimension: str = "") -> bytes:
    """A worksheet whose text cells point into `strings` (the shared strings)."""
    body = "".join(
        f'<row r="{r}">'
        + "".join(_cell(f"{chr(65 + c)}{r}", v, strings) for c, v in enumerate(row) if v is not None)
        + "</row>"
        for r, row in enumerate(rows, start=1)
    )
    size = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'<worksheet xmlns="{MAIN}">{size}<sheetData>{body}</sheetData></worksheet>'.encode()


def write_workbook(
    path: Path,
    rows: list[list[object]],
    *,
    huge_mib: int = 0,
    sheet: bytes | None = None,
    dimension: str = "",
) -> Path:
    """One sheet of `rows` with its text in a shared-strings part; the cell HUGE there gets
    `huge_mib` MiB of text; `sheet` replaces the worksheet's XML as it is (broken, say)."""
    strings: list[str] = []
    worksheet = sheet_xml(rows, strings, dimension)
    table = "".join(
        "<si><t>HUGE</t></si>" if text == HUGE else f"<si><t>{escape(text)}</t></si>" for text in strings
    )
    shared = f'<sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{table}</sst>'
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            f'<Default Extension="rels" ContentType="{PACKAGE}.relationships+xml"/>'
            f'<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{TYPES}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{TYPES}.sharedStrings+xml"/>'
            f"</Types>"
        ).encode(),
        "_rels/.rels": (
            f'<Relationships xmlns="{RELS}"><Relationship Id="rId1" '
            f'Type="{DOC}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ).encode(),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{DOC}"><sheets>'
            f'<sheet name="Ledger" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ).encode(),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{RELS}">'
            f'<Relationship Id="rId1" Type="{DOC}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC}/sharedStrings" Target="sharedStrings.xml"/>'
            f"</Relationships>"
        ).encode(),
        "xl/worksheets/sheet1.xml": worksheet if sheet is None else sheet,
    }
    members = {name: Part(data) for name, data in parts.items()}
    members["xl/sharedStrings.xml"] = Part(shared.encode(), huge_at=b"HUGE", huge_mib=huge_mib)
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_zip(path, members)
