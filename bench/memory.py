"""The memory figures the benches print, for the process that asks.

Each bench times a step in a child process so that the step's peak is its own. `ru_maxrss` does not
give that: Linux carries a process's high-water mark across fork and exec, so a child started by a
parent of 280 MB reports at least 280 MB however little it uses itself. The kernel's per-process
high-water mark (`VmHWM` in /proc/self/status) starts afresh with each program; `ru_maxrss` is the
fallback where /proc is missing.
"""

from __future__ import annotations

import resource
from pathlib import Path

STATUS = Path("/proc/self/status")
STATM = Path("/proc/self/statm")


def peak_rss_mb() -> float:
    """The largest resident set of this program so far, in MB."""
    try:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def rss_mb() -> float:
    """This program's resident set now, in MB."""
    return int(STATM.read_text().split()[1]) * resource.getpagesize() / 2**20
