"""«Laboratorio» tab: the live model's next-token candidates, reshaped as the student moves the sliders."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from tutor.gui.params_panel import SPECS, _Row
from tutor.lab import DEFAULT_PROMPT, Distribution, LabParams, LabResult
from tutor.text import spanish_number

# The lab's parameters: the fields of LabParams (declared in the registry), shown with the panel's sliders.
LAB_PARAMS: tuple[str, ...] = tuple(f.name for f in fields(LabParams))
RAW = QColor("#9db8dd")
FINAL = QColor("#1f5fae")
REMOVED = QColor("#c8c8c8")
CUMULATIVE = QColor("#d9822b")
GRID = (0.25, 0.5, 0.75, 1.0)  # probabilities marked on the chart's axis
AXIS_H = 20  # room under the bars for the axis labels


def percent(share: float, decimals: int = 1) -> str:
    """A share written the Spanish way: «50,6 %»."""
    return f"{spanish_number(100 * share, f'.{decimals}f')} %"


class DistributionChart(QWidget):
    """Horizontal bars: raw probability (light) and final probability (dark) of each candidate token.

    Tokens removed by top-k / top-p / min-p are greyed out with the reason; the orange line is the
    cumulative raw probability that top-p cuts. Bars, line and the top-p mark share one axis from 0 to 1
    (``GRID`` marks it), so a bar's length is its probability, never a share of the largest one.
    """

    def __init__(self) -> None:
        super().__init__()
        self.dist: Distribution | None = None
        self.setMinimumHeight(420)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def set_distribution(self, dist: Distribution | None) -> None:
        self.dist = dist
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        if not self.dist or not self.dist.candidates:
            painter.setPen(QColor("#777"))
            painter.drawText(self.rect(), Qt.AlignCenter, "Escribe un texto y pulsa «Calcular».")
            return
        cands = self.dist.candidates
        top, label_w, value_w = 26, 150, 150
        row_h = max(14, (self.height() - top - AXIS_H) / len(cands))
        bar_w = max(50, self.width() - label_w - value_w - 16)
        self._draw_grid(painter, label_w, bar_w, top)
        painter.setPen(QColor("#333"))
        painter.drawText(QRectF(8, 4, self.width() - 16, 18), Qt.AlignLeft, "token")
        x = label_w
        for color, text in (
            (FINAL, "probabilidad final"),
            (RAW, "bruta (softmax de los logits)"),
            (CUMULATIVE, "acumulada tras top-k (la que corta top-p)"),
        ):
            painter.fillRect(QRectF(x, 8, 12, 10), color)
            painter.setPen(QColor("#333"))
            width = painter.fontMetrics().horizontalAdvance(text)
            painter.drawText(QRectF(x + 16, 4, width + 4, 18), Qt.AlignLeft, text)
            x += width + 36
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, self.font().pointSizeF() - 1))
        points = []
        for i, c in enumerate(cands):
            y = top + i * row_h
            h = row_h * 0.8
            painter.setPen(QColor("#222") if c.kept else QColor("#999"))
            painter.drawText(QRectF(8, y, label_w - 12, h), Qt.AlignRight | Qt.AlignVCenter, repr(c.piece))
            painter.fillRect(QRectF(label_w, y, bar_w * c.p_raw, h * 0.45), RAW if c.kept else REMOVED)
            if c.kept:
                painter.fillRect(QRectF(label_w, y + h * 0.45, bar_w * c.p_final, h * 0.55), FINAL)
            painter.setFont(small)
            text = f"{percent(c.p_final)}  (bruta {percent(c.p_raw)})" if c.kept else f"quitado por {c.removed_by}"
            painter.drawText(QRectF(label_w + bar_w + 6, y, value_w, h), Qt.AlignLeft | Qt.AlignVCenter, text)
            painter.setFont(self.font())
            points.append((label_w + bar_w * min(1.0, c.cumulative), y + h / 2))
        painter.setPen(QPen(CUMULATIVE, 2))
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            painter.drawLine(int(x1), int(y1), int(x2), int(y2))
        top_p = self.dist.params.top_p
        if top_p < 1.0:
            x = label_w + bar_w * top_p
            painter.setPen(QPen(CUMULATIVE, 1, Qt.DashLine))
            painter.drawLine(int(x), top, int(x), self.height() - 4)
            mark = f"top-p = {spanish_number(top_p, '.2f')}"
            width = painter.fontMetrics().horizontalAdvance(mark)
            left = x + 3 if x + 3 + width <= label_w + bar_w else x - 3 - width  # never over the values' column
            painter.drawText(int(left), top + 10, mark)
        painter.end()

    def _draw_grid(self, painter: QPainter, left: float, width: float, top: int) -> None:
        """Faint lines at each ``GRID`` probability, labelled under the bars."""
        bottom = self.height() - AXIS_H
        for p in GRID:
            x = int(left + width * p)
            painter.setPen(QPen(QColor("#e4e4e4"), 1))
            painter.drawLine(x, top, x, int(bottom))
            painter.setPen(QColor("#777"))
            painter.drawText(QRectF(x - 30, bottom + 2, 60, AXIS_H - 4), Qt.AlignCenter, percent(p, 0))


class LabView(QWidget):
    """The lab tab. ``compute`` and ``generate`` run the model off the GUI thread (given by the window)."""

    compute_requested = Signal(str)
    generate_requested = Signal()

    def __init__(self, params: LabParams, piece: Callable[[int], str]) -> None:
        super().__init__()
        self.piece = piece
        self.result: LabResult | None = None
        self.dist: Distribution | None = None
        self.prompt = QLineEdit(DEFAULT_PROMPT)
        self.prompt.setToolTip("El texto que el modelo va a continuar. El ejemplo es la analogía del curso.")
        self.prompt.returnPressed.connect(self._compute)
        self.compute_button = QPushButton("Calcular")
        self.compute_button.clicked.connect(self._compute)
        self.generate_button = QPushButton("Generar 10 veces")
        self.generate_button.setToolTip("Diez continuaciones con los valores actuales: ¿cuánto varían?")
        self.generate_button.setEnabled(False)
        self.generate_button.clicked.connect(self.generate_requested.emit)
        self.rows: dict[str, _Row] = {}
        form = QFormLayout()
        for spec in SPECS:
            if spec.name in LAB_PARAMS:
                row = _Row(spec)
                row.set_value(getattr(params, spec.name))
                row.changed.connect(self.redraw)
                self.rows[spec.name] = row
                form.addRow(spec.label, row)
        self.tokens_label = QLabel("Tokens del texto: —")
        self.tokens_label.setWordWrap(True)
        self.tokens_label.setTextFormat(Qt.RichText)
        self.context_label = QLabel()
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.chart = DistributionChart()
        self.samples = QListWidget()
        self.samples.setMaximumHeight(190)
        self.samples.setWordWrap(True)
        top_row = QHBoxLayout()
        top_row.addWidget(QLabel("Texto:"))
        top_row.addWidget(self.prompt, 1)
        top_row.addWidget(self.compute_button)
        left = QVBoxLayout()
        left.addLayout(form)
        left.addWidget(self.tokens_label)
        left.addWidget(self.context_label)
        left.addWidget(self.summary)
        left.addWidget(self.generate_button)
        left.addWidget(self.samples, 1)
        left_box = QWidget()
        left_box.setLayout(left)
        left_box.setMaximumWidth(430)
        body = QHBoxLayout()
        body.addWidget(left_box)
        body.addWidget(self.chart, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top_row)
        layout.addLayout(body, 1)

    def params(self) -> LabParams:
        return LabParams(**{name: row.value() for name, row in self.rows.items()})

    def _compute(self) -> None:
        self.compute_requested.emit(self.prompt.text())

    def set_result(self, result: LabResult) -> None:
        """New logits from the model: show the prompt's tokens and redraw."""
        self.result = result
        chips = " ".join(
            f"<span style='background:#e8eef8'>{_escape(piece)}</span><sub style='color:#888'>{tid}</sub>"
            for tid, piece in result.tokens
        )
        self.tokens_label.setText(f"Tokens del texto ({len(result.tokens)}):<br>{chips}")
        share = len(result.tokens) / result.n_ctx if result.n_ctx else 0
        self.context_label.setText(
            f"Ocupan {len(result.tokens)} de {result.n_ctx} tokens de la ventana de contexto ({percent(share)})."
        )
        self.generate_button.setEnabled(True)
        self.redraw()

    def redraw(self) -> None:
        """Recompute the distribution with the current sliders (no model call: milliseconds)."""
        if self.result is None:
            return
        self.dist = self.result.next_token.distribution(self.params(), self.piece)
        kept = self.dist.kept_total
        self.summary.setText(
            f"Quedan {kept} token{'s' if kept != 1 else ''} candidatos tras top-k, top-p y min-p; "
            f"los 20 mostrados suman el {percent(self.dist.shown_final_mass)} de la probabilidad final."
            + (" Con temperatura 0 el modelo elige siempre el más probable." if self.params().temperature == 0 else "")
        )
        self.chart.set_distribution(self.dist)

    def set_samples(self, samples: list[str]) -> None:
        self.samples.clear()
        prompt = self.result.prompt if self.result else ""
        for i, text in enumerate(samples, start=1):
            self.samples.addItem(f"{i}. …{prompt[-25:]}{text}")
        distinct = len(set(samples))
        self.samples.addItem(f"→ {distinct} de {len(samples)} continuaciones distintas")


def _escape(text: str) -> str:
    import html

    return html.escape(text).replace(" ", "&nbsp;") or "&nbsp;"
