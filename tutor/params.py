"""The one registry of generation parameters: each is declared once, here.

Validation (:mod:`tutor.config`), the command-line flags (:mod:`tutor.cli`), the sliders
(:mod:`tutor.gui.params_panel`), the lab (:mod:`tutor.lab`) and the user guide's parameter table
(``docs/USER_GUIDE.md``) are all generated from :data:`PARAMS`. Adding a parameter means one
:class:`Param` below plus passing it to llama.cpp in :mod:`tutor.llm`. No Qt here: this is core code.

Regenerate that table with ``python -m tutor.params docs/USER_GUIDE.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field, make_dataclass
from pathlib import Path
from typing import Any

README_HEADING = "### Inference parameters"  # the heading of the table's section in docs/USER_GUIDE.md


class InvalidParameter(ValueError):
    """A parameter outside its allowed range (message in Spanish, for the student)."""


@dataclass(frozen=True)
class Param:
    """One generation parameter: its type, default and range, and every text that describes it."""

    name: str  # field of GenerationParams and key under [generation] in settings.toml
    type: type  # int, float, or tuple (a tuple of non-empty texts)
    default: Any
    min: float | None  # None for texts
    max: float | None
    label: str  # Spanish, short: the slider's label
    noun: str  # Spanish, how error messages name it ("El parámetro {noun} …")
    tooltip: str  # Spanish, the slider's tooltip
    help: str  # Spanish, the command line's --help
    flag: str  # command-line flag; a tuple parameter's flag is repeatable
    meaning: str  # English, the user guide table's last column
    decimals: int = 2  # digits after the point on the slider (integers: always 0)
    slider_max: float | None = None  # slider range when narrower than the validation range
    slider: bool = True  # False: the panel gives it its own widget (texts never get a slider)
    range_text: str = ""  # the table's range when "min–max" reads badly

    def __post_init__(self) -> None:
        if self.type is int:
            object.__setattr__(self, "decimals", 0)

    @property
    def annotation(self) -> Any:
        """The dataclass field type."""
        return tuple[str, ...] if self.type is tuple else self.type

    @property
    def on_slider(self) -> bool:
        """Whether the parameters panel shows it as a slider with a numeric field."""
        return self.slider and self.type is not tuple

    def check(self, value: Any) -> None:
        """Raise :class:`InvalidParameter` (in Spanish) unless ``value`` is allowed."""
        if self.type is tuple:
            if any(not isinstance(s, str) or not s for s in value):
                raise InvalidParameter(f"Las {self.noun} deben ser textos no vacíos.")
            return
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidParameter(f"El parámetro {self.noun} debe ser un número (recibido: {value!r}).")
        if self.type is int and not float(value).is_integer():
            raise InvalidParameter(f"El parámetro {self.noun} debe ser un entero (recibido: {value}).")
        if not self.min <= value <= self.max:
            raise InvalidParameter(
                f"El parámetro {self.noun} debe estar entre {self.min} y {self.max} (recibido: {value})."
            )


PARAMS: tuple[Param, ...] = (
    Param(
        name="temperature",
        type=float,
        default=0.2,
        min=0.0,
        max=2.0,
        label="Temperatura",
        noun="temperatura",
        tooltip="Controla la aleatoriedad: divide los logits antes del softmax. Baja (0–0,3): respuestas "
        "deterministas y conservadoras. Alta (0,8–2): más creativas y variadas, con más riesgo de errores. "
        "Con 0 el modelo elige siempre el token más probable.",
        help="aleatoriedad del muestreo (0–2; 0 = siempre el token más probable)",
        flag="--temperature",
        meaning="randomness; 0 always picks the most likely token",
    ),
    Param(
        name="top_p",
        type=float,
        default=0.9,
        min=0.0,
        max=1.0,
        label="Top-p",
        noun="top-p",
        tooltip="Muestreo de núcleo: conserva el grupo más pequeño de tokens cuya probabilidad acumulada "
        "llega a p. Con 0,5 en «pollito es a…» quedan gallina (0,30) y gato (0,25). Bajo = más predecible.",
        help="muestreo de núcleo: masa de probabilidad acumulada que se conserva (0–1)",
        flag="--top-p",
        meaning="nucleus sampling: keep the smallest set of tokens whose probability adds up to p",
    ),
    Param(
        name="top_k",
        type=int,
        default=40,
        min=0,
        max=200,
        label="Top-k",
        noun="top-k",
        tooltip="Conserva solo los k tokens más probables. Top-k = 1 elige siempre el más probable; "
        "0 desactiva el filtro.",
        help="solo los k tokens más probables (0–200; 0 = sin límite)",
        flag="--top-k",
        meaning="keep only the k most likely tokens (0 = off)",
    ),
    Param(
        name="min_p",
        type=float,
        default=0.05,
        min=0.0,
        max=1.0,
        label="Min-p",
        noun="min-p",
        tooltip="Descarta los tokens cuya probabilidad es menor que min-p por la del token más probable. "
        "Es un filtro relativo a la seguridad del modelo.",
        help="descarta tokens con probabilidad menor que min-p × la del más probable (0–1)",
        flag="--min-p",
        meaning="drop tokens below min-p × the probability of the best one",
    ),
    Param(
        name="max_tokens",
        type=int,
        default=256,
        min=1,
        max=4096,
        label="Máx. tokens",
        noun="máximo de tokens",
        tooltip="Longitud máxima de la respuesta en tokens. Cada token generado cuesta tiempo (y dinero en la nube).",
        help="longitud máxima de la respuesta en tokens",
        flag="--max-tokens",
        meaning="longest answer, in tokens",
        slider_max=2048,
    ),
    Param(
        name="repeat_penalty",
        type=float,
        default=1.15,
        min=1.0,
        max=2.0,
        label="Penalización repetición",
        noun="penalización por repetición",
        tooltip="Reduce la probabilidad de los tokens usados recientemente; evita bucles. 1 = sin penalización.",
        help="penaliza repetir tokens recientes (1 = sin penalización)",
        flag="--repeat-penalty",
        meaning="penalise recently used tokens",
    ),
    Param(
        name="frequency_penalty",
        type=float,
        default=0.0,
        min=-2.0,
        max=2.0,
        label="Penalización frecuencia",
        noun="penalización por frecuencia",
        tooltip="Penaliza un token en proporción a cuántas veces ha salido ya.",
        help="penaliza tokens según cuántas veces han salido (-2–2)",
        flag="--frequency-penalty",
        meaning="penalise tokens by how often they appeared",
    ),
    Param(
        name="presence_penalty",
        type=float,
        default=0.0,
        min=-2.0,
        max=2.0,
        label="Penalización presencia",
        noun="penalización por presencia",
        tooltip="Penaliza un token en cuanto ha salido una vez, para animar a hablar de otras cosas.",
        help="penaliza tokens que ya han salido (-2–2)",
        flag="--presence-penalty",
        meaning="penalise tokens that appeared at all",
    ),
    Param(
        name="stop",
        type=tuple,
        default=(),
        min=None,
        max=None,
        label="Secuencias de parada",
        noun="secuencias de parada",
        tooltip="Secuencias de parada, separadas por «|»: la generación se corta cuando aparece una de ellas.",
        help="secuencia de parada (se puede repetir)",
        flag="--stop",
        meaning="stop when this text appears",
    ),
    Param(
        name="seed",
        type=int,
        default=-1,
        min=-1,
        max=2**31 - 1,
        label="Semilla",
        noun="semilla",
        tooltip="Semilla del muestreo. Aleatoria: cada respuesta puede variar. Fija: con los mismos parámetros "
        "la respuesta se repite exactamente.",
        help="semilla (-1 = aleatoria; fija = respuesta reproducible)",
        flag="--seed",
        meaning="−1 random; a fixed seed makes answers reproducible",
        slider=False,
        range_text="−1 or ≥0",
    ),
    Param(
        name="n_ctx",
        type=int,
        default=4096,
        min=512,
        max=131072,
        label="Contexto (tokens)",
        noun="tamaño de contexto",
        tooltip="Ventana de contexto: cuántos tokens ve el modelo a la vez (instrucciones, fuentes, historial y "
        "respuesta). Más contexto usa más memoria. Cambiarlo recarga el modelo.",
        help="tamaño de la ventana de contexto en tokens",
        flag="--n-ctx",
        meaning="context window in tokens (always explicit, never llama.cpp's 512 default)",
        slider_max=32768,
    ),
    Param(
        name="n_threads",
        type=int,
        default=0,
        min=0,
        max=256,
        label="Hilos de CPU",
        noun="hilos de CPU",
        tooltip="Núcleos de CPU que usa el modelo al generar cada token (0 = automático: un hilo por núcleo físico). "
        "Cambiarlo recarga el modelo.",
        help="hilos de CPU al generar (0 = automático: núcleos físicos)",
        flag="--threads",
        meaning="CPU threads while generating (0 = automatic: one per physical core, at most 8)",
        slider_max=64,
    ),
    Param(
        name="n_threads_batch",
        type=int,
        default=0,
        min=0,
        max=256,
        label="Hilos (prompt)",
        noun="hilos para procesar el prompt",
        tooltip="Núcleos de CPU que usa el modelo al leer el prompt: instrucciones, fuentes y pregunta "
        "(0 = automático: todos los núcleos). Cambiarlo recarga el modelo.",
        help="hilos de CPU al procesar el prompt (0 = automático: todos)",
        flag="--threads-batch",
        meaning="CPU threads while reading the prompt (0 = automatic: every core, at most 16)",
        slider_max=64,
    ),
    Param(
        name="n_gpu_layers",
        type=int,
        default=-1,
        min=-1,
        max=1000,
        label="Capas en GPU",
        noun="capas en GPU",
        tooltip="Capas del modelo que se ejecutan en la GPU (-1 = todas). Cambiarlo recarga el modelo.",
        help="capas del modelo en la GPU (-1 = todas, 0 = solo CPU; sin efecto sin GPU)",
        flag="--gpu-layers",
        meaning="layers offloaded to the GPU (−1 = all, 0 = CPU only); ignored by a CPU-only build",
        slider_max=200,
    ),
)

PARAM: dict[str, Param] = {p.name: p for p in PARAMS}


def params_class(cls_name: str, base: type, module: str, doc: str, defaults: Mapping[str, Any] | None = None) -> type:
    """A frozen dataclass with one field per parameter (all of them, or those in ``defaults``, in its order).

    ``base`` supplies the methods; types come from the registry, defaults from it unless given.
    """
    chosen = defaults if defaults is not None else {p.name: p.default for p in PARAMS}
    specs = [(name, PARAM[name].annotation, field(default=value)) for name, value in chosen.items()]
    namespace = {"__module__": module, "__qualname__": cls_name, "__doc__": doc}
    return make_dataclass(cls_name, specs, bases=(base,), frozen=True, namespace=namespace)


def _number(value: float) -> str:
    """``0.0`` → ``0``, ``-2.0`` → ``−2`` (typographic minus), as the user guide writes numbers."""
    return f"{value:g}".replace("-", "−")


def _row(p: Param) -> str:
    flag = f"`{p.flag}` (repeatable)" if p.type is tuple else f"`{p.flag}`"
    if p.type is tuple:
        default = ", ".join(p.default) or "none"
        span = p.range_text or "text"
    else:
        default = _number(p.default)
        span = p.range_text or f"{_number(p.min)}–{_number(p.max)}"
    return f"| {flag} | `{p.name}` [{default}] | {span} | {p.meaning} |"


def markdown_table() -> str:
    """The user guide's "Inference parameters" table (ends with a newline)."""
    lines = ["| flag | setting | range | meaning |", "| --- | --- | --- | --- |", *map(_row, PARAMS)]
    return "\n".join(lines) + "\n"


def readme_with_table(text: str) -> str:
    """``text`` (a Markdown document) with the first table after :data:`README_HEADING` replaced by
    :func:`markdown_table`."""
    head, heading, rest = text.partition(README_HEADING)
    if not heading:
        raise ValueError(f"El documento no tiene la sección «{README_HEADING}»")
    lines = rest.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("|"))
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("|")), len(lines))
    return head + heading + "".join(lines[:start]) + markdown_table() + "".join(lines[end:])


if __name__ == "__main__":  # python -m tutor.params docs/USER_GUIDE.md
    if len(sys.argv) > 1:
        doc = Path(sys.argv[1])
        doc.write_text(readme_with_table(doc.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        print(markdown_table(), end="")
