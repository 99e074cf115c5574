"""The two files of a report and the names the client sees (the account's name and the half-year,
never an internal id)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.utils.text import slugify

from sales.periods import Period

from .pdf import consumption_pdf
from .selectors import ConsumptionReport
from .xlsx import consumption_xlsx


@dataclass(frozen=True)
class ReportFiles:
    stem: str  # the file name without extension
    xlsx: bytes
    pdf: bytes


def file_stem(account_name: str, half: Period, taken: set[str] | None = None) -> str:
    """ "nordic-steel-oy-consumption-2026h1"; "-2", "-3"… when another account of the batch has it."""
    base = f"{slugify(account_name, allow_unicode=True) or 'account'}-consumption-{half.label.lower()}"
    stem, number = base, 1
    while taken is not None and stem in taken:
        number += 1
        stem = f"{base}-{number}"
    return stem


def report_files(report: ConsumptionReport, taken: set[str] | None = None) -> ReportFiles:
    stem = file_stem(report.account_name, report.figures.half, taken)
    return ReportFiles(stem, consumption_xlsx(report), consumption_pdf(report))


def write_to(directory: Path, files: ReportFiles) -> list[Path]:
    """The two files written into `directory` (created if missing); their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = [directory / f"{files.stem}.xlsx", directory / f"{files.stem}.pdf"]
    paths[0].write_bytes(files.xlsx)
    paths[1].write_bytes(files.pdf)
    return paths
