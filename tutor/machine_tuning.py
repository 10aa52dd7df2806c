"""What ``tutor bench`` found fastest on this machine, kept in the data dir and used when a model is loaded.

``machine.json`` holds, for one CPU (its model name and core count), the ``n_batch``/``n_ubatch``/prompt
threads that read a prompt fastest and whether prompt-lookup decoding paid off. A different CPU (the data
dir copied to another laptop) ignores it and keeps the defaults until its own bench runs.
"""

from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path

from tutor.paths import data_dir

DEFAULT_BATCH = 512


@dataclass(frozen=True)
class MachineTuning:
    """Speed settings measured by ``tutor bench`` on this CPU (defaults until it has run)."""

    cpu: str = ""
    n_batch: int = DEFAULT_BATCH
    n_ubatch: int = DEFAULT_BATCH
    threads_batch: int = 0  # 0 = GenerationParams.threads_batch()
    prompt_lookup: bool = False  # on only where the bench measured >= LOOKUP_GAIN with identical greedy text
    lookup_ratio: float = 0.0
    measured: bool = False


LOOKUP_GAIN = 1.1  # prompt lookup is switched on only at this speed-up or more


def cpu_name() -> str:
    """This CPU's model name and core count (what the tuning belongs to)."""
    name = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                name = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{name} x{os.cpu_count()}"


def tuning_path() -> Path:
    return data_dir() / "machine.json"


def load_tuning() -> MachineTuning:
    """The tuning measured on this CPU, or the defaults (unreadable files and other CPUs are ignored)."""
    try:
        data = json.loads(tuning_path().read_text(encoding="utf-8"))
        tuning = MachineTuning(**{k: v for k, v in data.items() if k in MachineTuning.__dataclass_fields__})
    except (OSError, ValueError, TypeError):
        return MachineTuning(cpu=cpu_name())
    return tuning if tuning.cpu == cpu_name() else MachineTuning(cpu=cpu_name())


def save_tuning(tuning: MachineTuning) -> Path:
    """Write ``tuning`` atomically to the data dir."""
    path = tuning_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(tuning), indent=2), encoding="utf-8")
    os.replace(tmp, path)
    return path
