"""Screenshots of the window for the docs, taken as a student would use it (real models, real course).

    QT_QPA_PLATFORM=offscreen .venv/bin/python docs/screenshots/take.py --corpus ../shared/corpus/aws-ai-practitioner

Writes into this folder: ``preload.png`` (the status bar while the answering model loads in the background),
``answer.png`` (an answer with its cited slide), ``practice.png`` (a pasted practice exam question),
``history.png`` (the saved conversations) and ``export.png`` (the first page of a conversation's PDF).
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

HERE = Path(__file__).resolve().parent
QUESTION = "¿Qué diferencia hay entre top-p y top-k?"
PRACTICE = (
    "A company wants to reduce the randomness of the answers of its text generation model so that the same "
    "prompt always produces the same output. Which inference parameter should it change?\n"
    "A. Increase the temperature\nB. Set the temperature to 0\nC. Increase top-k\nD. Increase the maximum tokens"
)


def wait(app, condition, seconds: float) -> bool:
    """Process events until ``condition()`` or the time is up."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.05)
    return False


def ask(app, window, text: str) -> None:
    window.ask_view.input.setText(text)
    window.ask_view.send()
    wait(app, lambda: window.ask_task is None and window.ask_view.turns[-1].result is not None, 900)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", required=True)
    args = parser.parse_args()
    from PySide6.QtWidgets import QApplication

    from tutor.config import load_settings
    from tutor.gui.main_window import MainWindow

    app = QApplication(sys.argv)
    settings = replace(load_settings(), corpus_dir=str(Path(args.corpus).resolve()))
    window = MainWindow(settings)
    window.resize(1500, 950)
    window.show()
    window.start_indexing()
    status = window.statusBar()
    if wait(app, lambda: "Cargando el modelo" in status.currentMessage(), 600):
        window.grab().save(str(HERE / "preload.png"))
    wait(app, lambda: window.runner.idle("index", "preload"), 600)
    ask(app, window, QUESTION)
    window.grab().save(str(HERE / "answer.png"))
    ask(app, window, PRACTICE)
    window.grab().save(str(HERE / "practice.png"))
    window.history_panel.refresh()
    window.grab().save(str(HERE / "history.png"))
    pdf = window.history_panel.export(window.ask_view.chat.id, HERE / "conversacion.pdf")
    render_first_page(pdf, HERE / "export.png")
    pdf.unlink()
    return 0


def render_first_page(pdf: Path, png: Path) -> None:
    """The first page of ``pdf`` as an image (Qt's own PDF renderer)."""
    from PySide6.QtCore import QSize
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    document.load(str(pdf))
    document.render(0, QSize(900, 1270)).save(str(png))


if __name__ == "__main__":
    raise SystemExit(main())
