"""What this computer has (memory, for "does this model fit?") and checksums of its files."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from tutor.text import spanish_number


def _memory(meminfo_key: str, sysconf_pages: str) -> int | None:
    """Bytes from ``/proc/meminfo`` (Linux), else from ``sysconf`` (macOS); None when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith(meminfo_key + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    try:
        return os.sysconf(sysconf_pages) * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def available_memory() -> int | None:
    """Bytes of memory a new program can use now (Linux ``MemAvailable``); None when unknown."""
    return _memory("MemAvailable", "SC_AVPHYS_PAGES")


def total_memory() -> int | None:
    """Bytes of physical memory; None when unknown."""
    return _memory("MemTotal", "SC_PHYS_PAGES")


def gib(n: float) -> str:
    """``1.5 GB`` style, with a decimal comma as Spanish readers expect."""
    return f"{spanish_number(n / 2**30)} GB"


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, read in 1 MiB blocks (course files, downloaded models)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
