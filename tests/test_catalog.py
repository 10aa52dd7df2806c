"""Model catalog and downloads, against a local HTTP server on loopback (no test reaches the internet)."""

from __future__ import annotations

import hashlib
import json
import os
import threading
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tutor.catalog import (
    CatalogModel,
    DownloadCancelled,
    DownloadError,
    add_model,
    catalog_rows,
    download,
    find_model,
    load_catalog,
)
from tutor.model_files import available_models


class ModelServer:
    """Serves files on 127.0.0.1 with range requests; can cut a transfer short once."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.requests: list[dict] = []
        self.cut_after: int | None = None  # close the connection after this many bytes, once
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802
                body = server.files.get(self.path.lstrip("/"))
                server.requests.append({"path": self.path, "range": self.headers.get("Range")})
                if body is None:
                    self.send_error(404)
                    return
                start = 0
                if self.headers.get("Range"):
                    start = int(self.headers["Range"].split("=")[1].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                self.send_header("Content-Length", str(len(body) - start))
                self.end_headers()
                payload = body[start:]
                if server.cut_after is not None:
                    payload, server.cut_after = payload[: server.cut_after], None
                    self.wfile.write(payload)
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(payload)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


GGUF = b"GGUF" + b"\x03\x00\x00\x00" + os.urandom(3_000_000)  # a GGUF header and 3 MB of weights


@pytest.fixture
def server():
    srv = ModelServer({"modelo.gguf": GGUF, "error.html": b"<html>" + b"Not found " * 200_000 + b"</html>"})
    yield srv
    srv.close()


def _entry(server: ModelServer, path: str = "modelo.gguf", **changes) -> CatalogModel:
    body = server.files[path]
    base = CatalogModel(
        name="prueba",
        title="Modelo de prueba",
        file="prueba-q4_k_m.gguf",
        url=f"{server.url}/{path}",
        size=len(body),
        sha256=hashlib.sha256(body).hexdigest(),
        license="Apache-2.0",
        memory=1_000_000_000,
        context=4096,
        template="chatml",
        publisher="tests",
        note="Solo para las pruebas.",
    )
    return replace(base, **changes)


def use_catalog(entries: list[CatalogModel], folder: Path, monkeypatch) -> Path:
    """Write ``entries`` as a catalog file and point ``TUTOR_CATALOG`` at it."""
    lines = []
    for entry in entries:
        lines += ["[[model]]"] + [f"{k} = {json.dumps(v)}" for k, v in entry.__dict__.items()]
    catalog = folder / "catalogo.toml"
    catalog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("TUTOR_CATALOG", str(catalog))
    return catalog


def _models_dir(tutor_home: Path) -> Path:
    return tutor_home / "models"


def test_shipped_catalog_is_complete_and_well_formed():
    catalog = load_catalog()
    assert {"qwen2.5-1.5b-instruct", "qwen2.5-3b-instruct", "llama-3.2-3b-instruct", "gemma-3-1b-it"} <= {
        m.name for m in catalog
    }
    for model in catalog:
        assert model.url.startswith("https://huggingface.co/") and model.url.endswith("/" + model.file)
        assert model.file.endswith(".gguf") and "q4_k_m" in model.file.lower()
        assert model.size > 500_000_000 and model.memory > model.size
        assert len(model.sha256) == 64 and int(model.sha256, 16) >= 0
        assert model.license and model.context >= 8192 and model.template and model.note
    assert find_model("gemma-3-1b-it").file == "gemma-3-1b-it-Q4_K_M.gguf"
    with pytest.raises(DownloadError, match="No hay ningún modelo «gpt-9»"):
        find_model("gpt-9")


def test_catalog_rows_say_whether_each_model_fits_this_machine(monkeypatch, tmp_path):
    monkeypatch.setattr("tutor.catalog.total_memory", lambda: 4 * 10**9)
    monkeypatch.setattr("tutor.catalog.models_dirs", lambda: [tmp_path])  # a machine with nothing installed yet
    rows = {r["name"]: r for r in catalog_rows()}
    assert rows["gemma-3-1b-it"]["fits"] is True  # 1.5 GB + 2 GB for the system <= 4 GB
    assert rows["gemma-3-4b-it"]["fits"] is False
    assert not any(r["installed"] for r in rows.values())


def test_download_verifies_and_only_then_makes_the_model_selectable(server, tutor_home):
    seen: list[tuple[int, int]] = []
    path = download(_entry(server), progress=lambda done, total: seen.append((done, total)))
    assert path == _models_dir(tutor_home) / "prueba-q4_k_m.gguf" and path.read_bytes() == GGUF
    assert seen[-1] == (len(GGUF), len(GGUF)) and len(seen) >= 3  # the progress bar moved
    assert path in [m.path for m in available_models()]
    assert sorted(p.name for p in path.parent.iterdir()) == ["prueba-q4_k_m.gguf"]  # no leftovers


def test_an_interrupted_download_resumes_with_a_range_request(server, tutor_home):
    model = _entry(server)
    server.cut_after = 1_000_000
    with pytest.raises(DownloadError, match="interrumpió.*seguirá donde se quedó"):
        download(model)
    folder = _models_dir(tutor_home)
    assert not (folder / model.file).exists()  # nothing that looks usable
    assert [m for m in available_models() if m.path.name == model.file] == []
    assert (folder / f".{model.file}.part").stat().st_size == 1_000_000
    path = download(model)
    assert server.requests[-1]["range"] == "bytes=1000000-"
    assert path.read_bytes() == GGUF


def test_a_wrong_checksum_leaves_nothing_behind(server, tutor_home):
    model = _entry(server, sha256="0" * 64)
    with pytest.raises(DownloadError, match="SHA-256"):
        download(model)
    assert list(_models_dir(tutor_home).iterdir()) == []


def test_a_body_that_is_not_gguf_is_refused(server, tutor_home):
    model = _entry(server, path="error.html", sha256="", size=0)  # size and checksum unknown
    with pytest.raises(DownloadError, match="no es un modelo GGUF"):
        download(model)
    assert list(_models_dir(tutor_home).iterdir()) == []


def test_a_cancelled_download_can_be_resumed(server, tutor_home):
    model = _entry(server)
    calls = {"n": 0}

    def stop() -> bool:
        calls["n"] += 1
        return calls["n"] > 2  # stop after two blocks

    with pytest.raises(DownloadCancelled):
        download(model, should_stop=stop)
    assert not (_models_dir(tutor_home) / model.file).exists()
    assert download(model).read_bytes() == GGUF


def test_no_network_gives_a_clear_message_quickly(tutor_home):
    import socket
    import time

    with socket.socket() as probe:  # a port on loopback that nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    model = CatalogModel("x", "X", "x.gguf", f"http://127.0.0.1:{port}/x.gguf", 10, "", "", 1, 1, "", "", "")
    started = time.perf_counter()
    with pytest.raises(DownloadError, match="no se pudo conectar.*sin conexión"):
        download(model, timeout=5)
    assert time.perf_counter() - started < 5


def test_add_copies_or_links_a_gguf_the_student_already_has(tmp_path, tutor_home):
    usb = tmp_path / "usb"
    usb.mkdir()
    (usb / "mi-modelo.gguf").write_bytes(GGUF)
    copied = add_model(usb / "mi-modelo.gguf")
    assert copied.parent == _models_dir(tutor_home) and not copied.is_symlink() and copied.read_bytes() == GGUF
    (usb / "otro.gguf").write_bytes(GGUF)
    linked = add_model(usb / "otro.gguf", link=True)
    assert linked.is_symlink() and linked.resolve() == (usb / "otro.gguf").resolve()
    (usb / "falso.gguf").write_bytes(b"PK\x03\x04" + b"0" * 2_000_000)
    with pytest.raises(DownloadError, match="no es un modelo GGUF"):
        add_model(usb / "falso.gguf")
    assert {m.path.name for m in available_models()} >= {"mi-modelo.gguf", "otro.gguf"}


def test_cli_download_from_a_local_catalog_then_models_lists_it(server, tutor_home, tmp_path, monkeypatch, capsys):
    from tutor import cli

    use_catalog([_entry(server)], tmp_path, monkeypatch)
    assert cli.main(["models", "download", "prueba"]) == 0
    err = capsys.readouterr().err
    assert "único de tutor que usa internet" in err and "verificado" in err
    assert cli.main(["models", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["catalog"][0]["installed"] is True
    assert any(m["name"] == "prueba-q4_k_m.gguf" for m in data["llms"])
    assert cli.main(["models", "download", "no-existe"]) == 2


@pytest.mark.integration
@pytest.mark.slow
def test_the_real_packaged_model_downloads_verifies_and_loads(real_home, tmp_path):
    """The packaged Gemma GGUF served on loopback, with its real SHA-256, then loaded by llama.cpp."""
    from tutor.config import GenerationParams
    from tutor.llm import LocalLLM
    from tutor.model_files import packaged_model_path

    real = packaged_model_path()
    srv = ModelServer({real.name: real.read_bytes()})
    try:
        srv.cut_after = 50_000_000  # and the transfer breaks once on the way
        model = _entry(srv, path=real.name, file="copia-" + real.name)
        with pytest.raises(DownloadError):
            download(model, target_dir=tmp_path)
        path = download(model, target_dir=tmp_path)
    finally:
        srv.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == model.sha256
    llm = LocalLLM()
    llm.ensure(path, GenerationParams(n_ctx=512))
    assert llm.loaded
    llm.close()
