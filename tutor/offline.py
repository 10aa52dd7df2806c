"""Offline switches for every library that could reach the network.

They must be set before sentence-transformers / transformers / huggingface_hub are imported,
so importing :mod:`tutor` applies them.
"""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "HF_HUB_DISABLE_IMPLICIT_TOKEN": "1",
    "DO_NOT_TRACK": "1",
    "TOKENIZERS_PARALLELISM": "false",
}


def enforce_offline() -> None:
    """Set the offline and no-telemetry switches in this process's environment.

    torch's compiler caches (created on import inside the desktop bundle) go to the data dir, so
    nothing is written outside it.
    """
    from tutor.paths import data_dir

    os.environ.update(OFFLINE_ENV)
    cache = data_dir(create=False) / "cache"
    os.environ.setdefault("TORCHINDUCTOR_CACHE_DIR", str(cache / "torchinductor"))
    os.environ.setdefault("TRITON_CACHE_DIR", str(cache / "triton"))
