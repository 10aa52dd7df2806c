"""A conversation's notes (the Markdown of :mod:`tutor.notes`) laid out as an A4 PDF with Qt.

Used by the window's «Exportar…» and, imported lazily, by ``tutor export --format pdf``; it needs no
display (without one, Qt's offscreen platform is used).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF
from PySide6.QtGui import QFont, QGuiApplication, QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QApplication

FONT_POINTS = 10.5
MARGIN_MM = 18


def _application() -> QGuiApplication:
    """The running Qt application, or an offscreen one for the command line."""
    app = QGuiApplication.instance()
    if app is None:
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")) and sys.platform.startswith("linux"):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication(["tutor"])  # a widgets application, so the window can still open in this process
    return app


def markdown_to_pdf(markdown: str, path: Path, title: str = "tutor") -> Path:
    """Write ``markdown`` to ``path`` as a PDF (A4, selectable text); returns the path."""
    _application()
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer = QPdfWriter(str(path))
    writer.setTitle(title)
    writer.setCreator("tutor")
    writer.setResolution(300)
    writer.setPageLayout(
        QPageLayout(
            QPageSize(QPageSize.PageSizeId.A4),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
    )
    document = QTextDocument()
    font = QFont()
    font.setPointSizeF(FONT_POINTS)
    document.setDefaultFont(font)
    features = QTextDocument.MarkdownFeature.MarkdownDialectGitHub | QTextDocument.MarkdownFeature.MarkdownNoHTML
    document.setMarkdown(markdown, features)
    document.print_(writer)
    if not path.is_file() or path.stat().st_size == 0:
        raise OSError(f"No se pudo escribir el PDF en {path}.")
    return path
