"""Start the window: ``tutor`` with no arguments, or ``tutor gui``."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from tutor.config import load_settings
from tutor.paths import resolve_corpus


def main(argv: list[str] | None = None, corpus: str | None = None) -> int:
    import os
    import time

    started = time.perf_counter()
    from tutor.gui.preflight import desktop_problem

    problem = desktop_problem()
    if problem:  # Qt would abort with a cryptic message: say what is missing and how to install it
        print(problem, file=sys.stderr)
        return 2
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tutor.gui.main_window import MainWindow

    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("tutor")
    install_spanish(app)
    app.setDesktopFileName("tutor")  # matches packaging/linux/tutor.desktop (Wayland task bar icon)
    from PySide6.QtGui import QIcon

    app.setWindowIcon(QIcon(str(Path(__file__).with_name("icon.svg"))))
    settings = load_settings()
    settings = replace(settings, corpus_dir=str(resolve_corpus(corpus or settings.corpus_dir)))
    window = MainWindow(settings)
    window.show()
    if os.environ.get("TUTOR_EXIT_WHEN_SHOWN"):  # used by `tutor bench` to time start-up
        app.processEvents()
        print(f"window_shown_s={time.perf_counter() - started:.3f}", flush=True)
        QTimer.singleShot(0, app.quit)
        return app.exec()
    QTimer.singleShot(0, window.start_indexing)  # models and index load after the window is up
    return app.exec()


def install_spanish(app):
    """Qt's own texts in Spanish (the file dialogs' «Guardar», «Cancelar», «Nombre de archivo»), from the
    translations PySide6 ships, and Spanish numbers in its fields («0,20»): the installed translator, or None
    when the translations are missing (the dialogs then stay in English)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    QLocale.setDefault(QLocale(QLocale.Language.Spanish, QLocale.Country.Spain))  # «0,20» in the sliders' fields

    class MissingSpanish(QTranslator):
        """The file dialog's texts that Qt's Spanish file lacks (Qt 6 renamed them): «&Look in:»…"""

        def translate(self, context, source, disambiguation=None, n=-1):  # noqa: N802 - Qt's name
            return QT_MISSING_ES.get((context, source), "")

    app.missing_spanish = MissingSpanish(app)  # kept referenced: Qt calls back into it
    app.installTranslator(app.missing_spanish)
    translator = QTranslator(app)
    if translator.load("qtbase_es", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(translator)
        return translator
    return None


# Texts of Qt's file dialog that its Spanish translation lacks (seen in a student trial: «Look in:»).
QT_MISSING_ES = {
    ("QFileDialog", "&Look in:"): "&Buscar en:",
    ("QFileDialog", "Files of &type:"): "&Tipo de archivo:",
}
