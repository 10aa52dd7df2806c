"""Where tutor keeps its data: settings, indexes and models."""

from __future__ import annotations

import hashlib
import os
import re
import sys
from pathlib import Path

from platformdirs import user_cache_dir, user_data_dir


def data_dir(create: bool = True) -> Path:
    """The tutor's data dir (``TUTOR_HOME`` overrides the per-user platform dir)."""
    home = os.environ.get("TUTOR_HOME")
    path = Path(home).expanduser() if home else Path(user_data_dir("tutor", appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Downloads kept to be reused (model parts): ``TUTOR_CACHE`` or the per-user cache dir."""
    override = os.environ.get("TUTOR_CACHE")
    return Path(override).expanduser() if override else Path(user_cache_dir("tutor", appauthor=False))


def is_bundle() -> bool:
    """True inside the desktop bundle built by PyInstaller (``packaging/``)."""
    return bool(getattr(sys, "frozen", False) and hasattr(sys, "_MEIPASS"))


def app_root() -> Path:
    """Read-only files shipped with tutor: the bundle's folder, or the source checkout."""
    if is_bundle():
        return Path(sys._MEIPASS)  # type: ignore[attr-defined]
    return Path(__file__).resolve().parents[1]


def sample_corpus_dir() -> Path:
    """The sample course shipped with tutor (``corpus/`` in a checkout or inside the bundle)."""
    return app_root() / "corpus"


DEFAULT_CORPUS = "corpus"  # the course folder when none is chosen (``Settings.corpus_dir``)


def resolve_corpus(configured: str | os.PathLike | None) -> Path:
    """The course folder to open, one rule for the CLI, the pipeline and the window.

    The configured folder when it exists. When none was chosen (empty, or the default ``corpus``) and
    there is no ``./corpus``, the sample course shipped with tutor. A chosen folder that is missing is
    returned as is, so the student is told it is missing rather than shown another course.
    """
    text = str(configured or "").strip() or DEFAULT_CORPUS
    path = Path(text).expanduser()
    if not path.is_dir() and text == DEFAULT_CORPUS and sample_corpus_dir().is_dir():
        return sample_corpus_dir()
    return path.resolve()


def settings_path() -> Path:
    return data_dir() / "settings.toml"


def models_dirs() -> list[Path]:
    """Folders searched for GGUF models: ``models/`` of the checkout (or ``./models``) and the data dir's."""
    dirs = [app_root() / "models", Path.cwd() / "models", data_dir() / "models"]
    seen: list[Path] = []
    for d in dirs:
        r = d.resolve()
        if r not in seen:
            seen.append(r)
    return seen


def index_dir_for(corpus: Path) -> Path:
    """One index per corpus folder: ``<data>/indexes/<name>-<hash of its absolute path>``."""
    resolved = Path(corpus).expanduser().resolve()
    digest = hashlib.sha1(str(resolved).encode()).hexdigest()[:10]
    slug = re.sub(r"[^A-Za-z0-9_-]+", "-", resolved.name).strip("-")[:40] or "corpus"
    return data_dir() / "indexes" / f"{slug}-{digest}"
