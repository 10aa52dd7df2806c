"""What this computer has: memory (for "does this model fit?") without extra dependencies."""

from __future__ import annotations

import os
from pathlib import Path


def _meminfo(key: str) -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def available_memory() -> int | None:
    """Bytes of memory a new program can use now (Linux ``MemAvailable``); None when unknown."""
    value = _meminfo("MemAvailable")
    if value is not None:
        return value
    try:
        return os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def total_memory() -> int | None:
    """Bytes of physical memory; None when unknown."""
    value = _meminfo("MemTotal")
    if value is not None:
        return value
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def gib(n: float) -> str:
    """``1.5 GB`` style, with a decimal comma as Spanish readers expect."""
    return f"{n / 2**30:.1f} GB".replace(".", ",")
