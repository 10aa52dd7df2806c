"""Shows a cited slide: the PDF page rendered with QtPdf, the passage highlighted, or a text section."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage, QKeySequence, QPainter, QPixmap, QPolygonF, QShortcut
from PySide6.QtPdf import QPdfDocument
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tutor.types import Source

RENDER_WIDTH = 760
ZOOMS = (1.0, 1.5, 2.0, 3.0, 4.0)  # the slide's width over the viewer's («Ampliar» / «Reducir», Ctrl+rueda)
PLACEHOLDER = "Haz clic en una cita [n] o en una fuente para ver la diapositiva."


def passage_span(page_text: str, passage: str) -> tuple[int, int] | None:
    """Where ``passage`` (cleaned text) lies in the raw page text, tolerant to whitespace differences."""
    words = re.findall(r"\w+", passage)
    if len(words) < 2:
        return None

    def pattern(ws: list[str]) -> re.Pattern:
        return re.compile(r"\W+".join(re.escape(w) for w in ws), re.IGNORECASE)

    start = pattern(words[:6]).search(page_text)
    if not start:
        return None
    end = pattern(words[-5:]).search(page_text, start.start())
    stop = end.end() if end else min(len(page_text), start.start() + len(passage))
    return start.start(), stop


def open_pdf_at_page(path: Path, page: int) -> bool:
    """Open the PDF in the system viewer, at ``page`` where the viewer allows it; False when none opens it."""
    viewers = [
        ("evince", ["-i", str(page)]),
        ("okular", ["-p", str(page)]),
        ("zathura", ["-P", str(page)]),
        ("qpdfview", []),
        ("xreader", ["-i", str(page)]),
    ]
    if sys.platform.startswith("linux"):
        for name, args in viewers:
            exe = shutil.which(name)
            if exe:
                target = f"{path}#{page}" if name == "qpdfview" else str(path)
                try:
                    subprocess.Popen([exe, *args, target], start_new_session=True)  # noqa: S603
                except OSError:
                    continue
                return True
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


class SlideView(QWidget):
    """The right-hand viewer of one source."""

    def __init__(self, placeholder: str = PLACEHOLDER) -> None:
        super().__init__()
        self.placeholder = placeholder
        self.header = QLabel(placeholder)
        self.header.setWordWrap(True)
        self.header.setTextFormat(Qt.PlainText)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image)
        self.scroll.setWidgetResizable(True)
        self.section = QPlainTextEdit()
        self.section.setReadOnly(True)
        self.section.hide()
        self.passage = QPlainTextEdit()
        self.passage.setReadOnly(True)
        self.passage.setMaximumHeight(110)
        self.passage.setPlaceholderText("Fragmento recuperado")
        self.open_button = QPushButton("Abrir el PDF en esta página")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(self._open)
        self.zoom = 0  # index in ZOOMS
        self.zoom_out = QPushButton("−")
        self.zoom_out.setToolTip("Reducir la diapositiva (Ctrl + rueda del ratón, Ctrl+−)")
        self.zoom_in = QPushButton("+")
        self.zoom_in.setToolTip("Ampliar la diapositiva para leerla (Ctrl + rueda del ratón, Ctrl++)")
        self.zoom_label = QLabel()
        for button, step in ((self.zoom_out, -1), (self.zoom_in, 1)):
            button.setFixedWidth(32)
            button.clicked.connect(lambda _=False, step=step: self.change_zoom(step))
        for keys, step in ((QKeySequence.StandardKey.ZoomIn, 1), (QKeySequence.StandardKey.ZoomOut, -1)):
            shortcut = QShortcut(keys, self, context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda step=step: self.change_zoom(step))
        self.scroll.viewport().installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.section, 1)
        layout.addWidget(QLabel("Fragmento recuperado:"))
        layout.addWidget(self.passage)
        row = QHBoxLayout()
        row.addWidget(self.zoom_out)
        row.addWidget(self.zoom_label)
        row.addWidget(self.zoom_in)
        row.addStretch(1)
        row.addWidget(self.open_button)
        layout.addLayout(row)
        self._docs: dict[Path, QPdfDocument] = {}
        self.current: tuple[Path, Source] | None = None
        self.highlighted = 0  # number of highlight boxes drawn on the current page
        self.highlight = QRectF()  # where they are on the rendered page, in pixels (empty: none)
        self._show_zoom()

    def change_zoom(self, step: int) -> None:
        """Ampliar (``step`` 1) or reducir (-1) the slide; the page is rendered again at that size."""
        self.zoom = max(0, min(len(ZOOMS) - 1, self.zoom + step))
        self._show_zoom()
        if self.current is not None and self.current[1].kind == "pdf":
            self._render_pdf(*self.current)

    def _show_zoom(self) -> None:
        self.zoom_label.setText(f"{round(ZOOMS[self.zoom] * 100)} %")
        self.zoom_out.setEnabled(self.zoom > 0)
        self.zoom_in.setEnabled(self.zoom < len(ZOOMS) - 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt naming)
        """Ctrl + the mouse wheel over the slide zooms it."""
        if event.type() == QEvent.Type.Wheel and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.change_zoom(1 if event.angleDelta().y() > 0 else -1)
            return True
        return super().eventFilter(watched, event)

    def clear(self) -> None:
        """Show no slide (the listed sources changed: the one shown may not be among them)."""
        self.current = None
        self.highlighted = 0
        self.header.setText(self.placeholder)
        self.image.clear()
        self.passage.clear()
        self.section.hide()
        self.scroll.show()
        self.open_button.setEnabled(False)

    def show_source(self, corpus: Path, n: int, source: Source) -> None:
        path = corpus / source.file
        self.current = (path, source)
        self.header.setText(f"[{n}] {source.label()} — {source.shown_title()}")
        self.passage.setPlainText(source.text)
        if source.kind == "pdf":
            self.section.hide()
            self.scroll.show()
            self.open_button.setEnabled(path.exists())
            self._render_pdf(path, source)
        else:
            self.scroll.hide()
            self.section.show()
            self.open_button.setEnabled(False)
            self.section.setPlainText(f"{source.section}\n\n{source.text}")

    def _document(self, path: Path) -> QPdfDocument | None:
        if path not in self._docs:
            doc = QPdfDocument(self)
            doc.load(str(path))
            if doc.status() != QPdfDocument.Status.Ready:
                self.image.setText("No se puede mostrar esta diapositiva (el PDF no se pudo abrir).")
                return None
            self._docs[path] = doc
        return self._docs[path]

    def _render_pdf(self, path: Path, source: Source) -> None:
        self.highlighted = 0
        self.highlight = QRectF()
        doc = self._document(path)
        if doc is None:
            return
        index = source.page - 1
        points = doc.pagePointSize(index)
        if points.width() <= 0:
            self.image.setText("Página fuera del documento.")
            return
        width = int(max(360, min(RENDER_WIDTH, self.scroll.viewport().width() - 8)) * ZOOMS[self.zoom])
        scale = width / points.width()
        size = QSize(width, int(points.height() * scale))
        image = doc.render(index, size).convertToFormat(QImage.Format_ARGB32)
        span = passage_span(doc.getAllText(index).text(), source.text)
        if span:
            selection = doc.getSelectionAtIndex(index, span[0], span[1] - span[0])
            painter = QPainter(image)
            painter.setPen(Qt.NoPen)
            painter.setBrush(QColor(255, 215, 0, 90))
            for polygon in selection.bounds():
                shape = QPolygonF([QPointF(p.x() * scale, p.y() * scale) for p in polygon])
                painter.drawPolygon(shape)
                self.highlight = self.highlight.united(shape.boundingRect())
                self.highlighted += 1
            painter.end()
        self.image.setPixmap(QPixmap.fromImage(image))
        if self.highlighted:  # the cited lines in view, wherever they are on the page (a student trial)
            QTimer.singleShot(0, self._show_highlight)

    def _show_highlight(self) -> None:
        """Scroll so that the start of the highlighted passage is in view."""
        offset_x = max(0, (self.image.width() - self.image.pixmap().width()) // 2)
        offset_y = max(0, (self.image.height() - self.image.pixmap().height()) // 2)
        top = self.highlight.topLeft()
        self.scroll.ensureVisible(int(top.x()) + offset_x, int(top.y()) + offset_y, 40, 60)

    def _open(self) -> None:
        if self.current and not open_pdf_at_page(self.current[0], self.current[1].page):
            path, source = self.current
            self.header.setText(
                f"No he podido abrir el PDF: este equipo no tiene un visor de PDF configurado. "
                f"Ábrelo a mano en la diapositiva {source.page}: {path}"
            )
