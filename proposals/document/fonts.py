"""The fonts of the printable proposal, taken from pip packages so no system font is needed.

DejaVu Sans (Latin, Cyrillic, Greek) ships with matplotlib, IPAexGothic (Japanese) with
japanize-matplotlib. Only their directories are looked up: importing either package is slow and
configures matplotlib as a side effect.
"""

from __future__ import annotations

import functools
import importlib.util
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FontFiles:
    regular: Path
    bold: Path
    japanese: Path


def _package_dir(name: str) -> Path:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"The proposal PDF needs the fonts of the {name} package: pip install {name}.")
    return Path(spec.submodule_search_locations[0])


@functools.cache
def font_files() -> FontFiles:
    """Where the three font files are (looked up once per process)."""
    dejavu = _package_dir("matplotlib") / "mpl-data" / "fonts" / "ttf"
    return FontFiles(
        regular=dejavu / "DejaVuSans.ttf",
        bold=dejavu / "DejaVuSans-Bold.ttf",
        japanese=_package_dir("japanize_matplotlib") / "fonts" / "ipaexg.ttf",
    )
