"""Sliders (with numeric fields) for every inference parameter, generated from :mod:`tutor.params`."""

from __future__ import annotations

import re
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QValidator
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSlider,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from tutor.config import GenerationParams
from tutor.params import PARAM, PARAMS, Param

# The parameters shown as a slider with a numeric field, in the registry's order.
SPECS: list[Param] = [p for p in PARAMS if p.on_slider]


def _out_of_range_allowed(state, text: str, pos: int):
    """A number typed past the range stays on screen (Qt drops the keystroke, silently): on Enter or on leaving
    the field it becomes the nearest limit, and the row says so (:class:`_Row`)."""
    if state[0] == QValidator.State.Invalid and _TYPING.fullmatch(text.strip()):
        return QValidator.State.Intermediate, text, pos
    return state


_NUMBER = re.compile(r"-?\d+(?:[.,]\d*)?")
_TYPING = re.compile(rf"-|{_NUMBER.pattern}")  # a number, or its sign alone while typing «-5»


def _nearest_in_range(field: QAbstractSpinBox, text: str) -> str | None:
    """The text of the limit nearest to the number ``text`` when it lies past ``field``'s range, else None."""
    if not _NUMBER.fullmatch(text.strip()):
        return None
    number = float(text.strip().replace(",", "."))
    lo, hi = field.minimum(), field.maximum()
    return field.textFromValue(min(max(number, lo), hi)) if not lo <= number <= hi else None


class IntSpinBox(QSpinBox):
    """A whole-number field that lets a number past its range be typed, then corrects it to the nearest limit."""

    def validate(self, text: str, pos: int):
        return _out_of_range_allowed(super().validate(text, pos), text, pos)

    def fixup(self, text: str) -> str:
        return _nearest_in_range(self, text) or super().fixup(text)


class DecimalSpinBox(QDoubleSpinBox):
    """A decimal field that takes «0,5» and «0.5» alike, whatever the locale writes (Spanish: «0,50»), and lets a
    number past its range be typed, then corrects it to the nearest limit."""

    def _as_locale(self, text: str) -> str:
        point = self.locale().decimalPoint()
        return text.replace(".", point).replace(",", point)

    def validate(self, text: str, pos: int):
        return _out_of_range_allowed(super().validate(self._as_locale(text), pos), text, pos)

    def valueFromText(self, text: str) -> float:  # noqa: N802 (Qt naming)
        return super().valueFromText(self._as_locale(text))

    def fixup(self, text: str) -> str:
        return _nearest_in_range(self, text) or super().fixup(self._as_locale(text))


class _Row(QWidget):
    changed = Signal()

    def __init__(self, spec: Param) -> None:
        super().__init__()
        lo, hi = spec.min, spec.max if spec.slider_max is None else spec.slider_max
        self.spec = spec
        self.scale = 10**spec.decimals
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(int(round(lo * self.scale)), int(round(hi * self.scale)))
        if spec.decimals:
            self.field = DecimalSpinBox()
            self.field.setDecimals(spec.decimals)
            self.field.setSingleStep(1 / self.scale * 5)
        else:
            self.field = IntSpinBox()
        self.field.setRange(lo, hi)
        self.field.setMinimumWidth(80)
        self.slider.setMinimumWidth(48)  # a narrow window shrinks the slider, not the value (a student trial)
        self.note = QLabel()  # what became of a number typed past the range
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #a15c00;")
        self.note.hide()
        line = QHBoxLayout()
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.slider, 1)
        line.addWidget(self.field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(line)
        layout.addWidget(self.note)
        self._typed = ""
        self.field.lineEdit().textEdited.connect(self._remember_typed)
        self.field.editingFinished.connect(self._say_if_corrected)
        self.setToolTip(spec.tooltip)
        self.slider.setToolTip(spec.tooltip)
        self.field.setToolTip(spec.tooltip)
        self.slider.valueChanged.connect(self._from_slider)
        self.field.valueChanged.connect(self._from_field)

    def _remember_typed(self, text: str) -> None:
        self._typed = text
        self.note.hide()

    def _say_if_corrected(self) -> None:
        """A number typed past the range became the nearest limit: say so under the field (Qt says nothing)."""
        typed, self._typed = self._typed.strip(), ""
        kept = _nearest_in_range(self.field, typed)
        if kept is None:  # not a number, or one in range
            return
        lo, hi = (self.field.textFromValue(v) for v in (self.field.minimum(), self.field.maximum()))
        self.note.setText(f"{self.spec.label} va de {lo} a {hi}: {typed} no cabe, se queda en {kept}.")
        self.note.show()

    def value(self):
        value = self.field.value()
        return round(float(value), self.spec.decimals) if self.spec.decimals else int(value)

    def set_value(self, value) -> None:
        self.note.hide()  # «Restaurar valores», a reopened conversation's parameters: nothing typed to correct
        self.field.setValue(value)

    def _from_slider(self, raw: int) -> None:
        self.note.hide()
        value = raw / self.scale if self.spec.decimals else raw
        if self.value() != value:
            self.field.setValue(value)

    def _from_field(self, value) -> None:
        raw = int(round(float(value) * self.scale))
        if self.slider.value() != raw:
            self.slider.blockSignals(True)
            self.slider.setValue(raw)
            self.slider.blockSignals(False)
        self.changed.emit()


class ParamsPanel(QWidget):
    """Edits a :class:`GenerationParams`; ``params()`` is exactly what will reach the model."""

    changed = Signal()

    def __init__(self, params: GenerationParams, gpu_available: bool) -> None:
        super().__init__()
        self.rows: dict[str, _Row] = {}
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)  # too narrow: the field under its label
        for spec in SPECS:
            row = _Row(spec)
            row.changed.connect(self.changed)
            label = QLabel(spec.label)
            label.setToolTip(spec.tooltip)
            form.addRow(label, row)
            self.rows[spec.name] = row
        if not gpu_available:
            gpu = self.rows["n_gpu_layers"]
            gpu.setEnabled(False)
            gpu.setToolTip(
                "Esta instalación de llama.cpp solo usa la CPU. Para usar la GPU, instala la versión con "
                "CUDA o Metal (ver README, «GPU build»)."
            )
        self._add_stop_field(form)
        self._add_seed_row(form)
        self.reset_button = QPushButton("Restaurar valores")
        self.reset_button.setToolTip("Vuelve a los valores por defecto de todos los parámetros.")
        self.reset_button.clicked.connect(lambda: self.set_params(GenerationParams()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reset_button)
        layout.addStretch(1)
        self.set_params(params)

    def _add_stop_field(self, form: QFormLayout) -> None:
        """Stop sequences as one text, separated by «|»."""
        spec = PARAM["stop"]
        self.stop_field = QLineEdit()
        self.stop_field.setPlaceholderText("p. ej.  FIN | ###")
        self.stop_field.setToolTip(spec.tooltip)
        self.stop_field.textChanged.connect(self.changed)
        form.addRow(QLabel(spec.label), self.stop_field)

    def _add_seed_row(self, form: QFormLayout) -> None:
        """The seed: a «random» check box (-1) or a fixed value."""
        spec = PARAM["seed"]
        self.random_seed = QCheckBox("Aleatoria")
        self.seed = QSpinBox()
        self.seed.setRange(0, spec.max)
        self.random_seed.setToolTip(spec.tooltip)
        self.seed.setToolTip(spec.tooltip)
        self.random_seed.toggled.connect(lambda on: self.seed.setEnabled(not on))
        self.random_seed.toggled.connect(self.changed)
        self.seed.valueChanged.connect(self.changed)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.random_seed)
        seed_row.addWidget(self.seed, 1)
        form.addRow(QLabel(spec.label), seed_row)

    def set_params(self, params: GenerationParams) -> None:
        """Show ``params`` in every widget."""
        for name, row in self.rows.items():
            row.set_value(getattr(params, name))
        self.stop_field.setText(" | ".join(params.stop))
        self.random_seed.setChecked(params.seed < 0)
        self.seed.setValue(max(params.seed, 0))
        self.seed.setEnabled(params.seed >= 0)
        self.changed.emit()

    def params(self) -> GenerationParams:
        """The values shown (not validated: the widgets keep them in range)."""
        values = {name: row.value() for name, row in self.rows.items()}
        stops = tuple(s.strip() for s in self.stop_field.text().split("|") if s.strip())
        seed = -1 if self.random_seed.isChecked() else int(self.seed.value())
        return replace(GenerationParams(), **values, stop=stops, seed=seed)
