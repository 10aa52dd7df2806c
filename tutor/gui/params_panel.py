"""Sliders (with numeric fields) for every inference parameter, with Spanish tooltips."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
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

from tutor.config import PARAM_RANGES, GenerationParams


@dataclass(frozen=True)
class ParamSpec:
    name: str
    label: str
    decimals: int
    tooltip: str
    maximum: float | None = None  # slider range when narrower than the validation range


SPECS = [
    ParamSpec(
        "temperature",
        "Temperatura",
        2,
        "Controla la aleatoriedad: divide los logits antes del softmax. Baja (0–0,3): respuestas "
        "deterministas y conservadoras. Alta (0,8–2): más creativas y variadas, con más riesgo de errores. "
        "Con 0 el modelo elige siempre el token más probable.",
    ),
    ParamSpec(
        "top_p",
        "Top-p",
        2,
        "Muestreo de núcleo: conserva el grupo más pequeño de tokens cuya probabilidad acumulada llega a p. "
        "Con 0,5 en «pollito es a…» quedan gallina (0,30) y gato (0,25). Bajo = más predecible.",
    ),
    ParamSpec(
        "top_k",
        "Top-k",
        0,
        "Conserva solo los k tokens más probables. Top-k = 1 elige siempre el más probable; 0 desactiva el filtro.",
    ),
    ParamSpec(
        "min_p",
        "Min-p",
        2,
        "Descarta los tokens cuya probabilidad es menor que min-p por la del token más probable. "
        "Es un filtro relativo a la seguridad del modelo.",
    ),
    ParamSpec(
        "max_tokens",
        "Máx. tokens",
        0,
        "Longitud máxima de la respuesta en tokens. Cada token generado cuesta tiempo (y dinero en la nube).",
        maximum=2048,
    ),
    ParamSpec(
        "repeat_penalty",
        "Penalización repetición",
        2,
        "Reduce la probabilidad de los tokens usados recientemente; evita bucles. 1 = sin penalización.",
    ),
    ParamSpec(
        "frequency_penalty",
        "Penalización frecuencia",
        2,
        "Penaliza un token en proporción a cuántas veces ha salido ya.",
    ),
    ParamSpec(
        "presence_penalty",
        "Penalización presencia",
        2,
        "Penaliza un token en cuanto ha salido una vez, para animar a hablar de otras cosas.",
    ),
    ParamSpec(
        "n_ctx",
        "Contexto (tokens)",
        0,
        "Ventana de contexto: cuántos tokens ve el modelo a la vez (instrucciones, fuentes, historial y "
        "respuesta). Más contexto usa más memoria. Cambiarlo recarga el modelo.",
        maximum=32768,
    ),
    ParamSpec(
        "n_threads",
        "Hilos de CPU",
        0,
        "Núcleos de CPU que usa el modelo al generar cada token (0 = automático: un hilo por núcleo físico). "
        "Cambiarlo recarga el modelo.",
        maximum=64,
    ),
    ParamSpec(
        "n_threads_batch",
        "Hilos (prompt)",
        0,
        "Núcleos de CPU que usa el modelo al leer el prompt: instrucciones, fuentes y pregunta "
        "(0 = automático: todos los núcleos). Cambiarlo recarga el modelo.",
        maximum=64,
    ),
    ParamSpec(
        "n_gpu_layers",
        "Capas en GPU",
        0,
        "Capas del modelo que se ejecutan en la GPU (-1 = todas). Cambiarlo recarga el modelo.",
        maximum=200,
    ),
]


class _Row(QWidget):
    changed = Signal()

    def __init__(self, spec: ParamSpec) -> None:
        super().__init__()
        lo, hi, _ = PARAM_RANGES[spec.name]
        hi = spec.maximum if spec.maximum is not None else hi
        self.spec = spec
        self.scale = 10**spec.decimals
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setRange(int(round(lo * self.scale)), int(round(hi * self.scale)))
        if spec.decimals:
            self.field = QDoubleSpinBox()
            self.field.setDecimals(spec.decimals)
            self.field.setSingleStep(1 / self.scale * 5)
        else:
            self.field = QSpinBox()
        self.field.setRange(lo, hi)
        self.field.setMinimumWidth(80)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.field)
        self.setToolTip(spec.tooltip)
        self.slider.setToolTip(spec.tooltip)
        self.field.setToolTip(spec.tooltip)
        self.slider.valueChanged.connect(self._from_slider)
        self.field.valueChanged.connect(self._from_field)

    def value(self):
        value = self.field.value()
        return round(float(value), self.spec.decimals) if self.spec.decimals else int(value)

    def set_value(self, value) -> None:
        self.field.setValue(value)

    def _from_slider(self, raw: int) -> None:
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
        self.stop_field = QLineEdit()
        self.stop_field.setPlaceholderText("p. ej.  FIN | ###")
        self.stop_field.setToolTip(
            "Secuencias de parada, separadas por «|»: la generación se corta cuando aparece una de ellas."
        )
        self.stop_field.textChanged.connect(self.changed)
        form.addRow(QLabel("Secuencias de parada"), self.stop_field)
        self.random_seed = QCheckBox("Aleatoria")
        self.seed = QSpinBox()
        self.seed.setRange(0, 2**31 - 1)
        seed_tip = (
            "Semilla del muestreo. Aleatoria: cada respuesta puede variar. Fija: con los mismos parámetros "
            "la respuesta se repite exactamente."
        )
        self.random_seed.setToolTip(seed_tip)
        self.seed.setToolTip(seed_tip)
        self.random_seed.toggled.connect(lambda on: self.seed.setEnabled(not on))
        self.random_seed.toggled.connect(self.changed)
        self.seed.valueChanged.connect(self.changed)
        seed_row = QHBoxLayout()
        seed_row.addWidget(self.random_seed)
        seed_row.addWidget(self.seed, 1)
        form.addRow(QLabel("Semilla"), seed_row)
        self.reset_button = QPushButton("Restaurar valores")
        self.reset_button.setToolTip("Vuelve a los valores por defecto de todos los parámetros.")
        self.reset_button.clicked.connect(lambda: self.set_params(GenerationParams()))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reset_button)
        layout.addStretch(1)
        self.set_params(params)

    def set_params(self, params: GenerationParams) -> None:
        for name, row in self.rows.items():
            row.set_value(getattr(params, name))
        self.stop_field.setText(" | ".join(params.stop))
        self.random_seed.setChecked(params.seed < 0)
        self.seed.setValue(max(params.seed, 0))
        self.seed.setEnabled(params.seed >= 0)
        self.changed.emit()

    def params(self) -> GenerationParams:
        values = {name: row.value() for name, row in self.rows.items()}
        stops = tuple(s.strip() for s in self.stop_field.text().split("|") if s.strip())
        seed = -1 if self.random_seed.isChecked() else int(self.seed.value())
        known = {f.name for f in fields(GenerationParams)}
        return replace(GenerationParams(), **{k: v for k, v in values.items() if k in known}, stop=stops, seed=seed)
