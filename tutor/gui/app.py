"""Start the window: ``tutor`` with no arguments, or ``tutor gui``."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from tutor.config import load_settings


def default_corpus(configured: str) -> Path:
    """The configured course folder, or the sample course shipped beside the package."""
    path = Path(configured).expanduser()
    if path.is_dir():
        return path.resolve()
    sample = Path(__file__).resolve().parents[2] / "corpus"
    return sample if sample.is_dir() else path


def main(argv: list[str] | None = None, corpus: str | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    from tutor.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("tutor")
    settings = load_settings()
    settings = replace(settings, corpus_dir=str(default_corpus(corpus or settings.corpus_dir)))
    window = MainWindow(settings)
    window.show()
    window.start_indexing()
    return app.exec()
