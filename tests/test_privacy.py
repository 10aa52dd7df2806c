"""Offline for real: no network needed, nothing written outside the tutor's data dir."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLE_CORPUS
from tutor.offline import OFFLINE_ENV

TUTOR = str(Path(sys.executable).with_name("tutor"))


def _unshare_works() -> bool:
    if not shutil.which("unshare"):
        return False
    try:
        return subprocess.run(["unshare", "-rn", "true"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def _tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_importing_tutor_sets_every_offline_and_no_telemetry_switch():
    names = sorted(OFFLINE_ENV)
    code = f"import json, os, tutor; print(json.dumps({{k: os.environ.get(k) for k in {names!r}}}))"
    env = {k: v for k, v in os.environ.items() if k not in OFFLINE_ENV}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert json.loads(out.stdout) == OFFLINE_ENV


@pytest.mark.slow
@pytest.mark.skipif(not _unshare_works(), reason="`unshare -rn` (user + network namespaces) is not available here")
def test_index_search_ask_without_a_network_write_only_to_the_data_dir(tmp_path):
    home, tmp, data, course = tmp_path / "home", tmp_path / "tmp", tmp_path / "datos", tmp_path / "curso"
    for folder in (home, tmp, data):
        folder.mkdir()
    shutil.copytree(SAMPLE_CORPUS, course)
    before = _tree(course)
    # A scrubbed environment: no proxy, no HF cache variables, nothing inherited but PATH.
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TMPDIR": str(tmp)}
    env["TUTOR_HOME"] = str(data)

    def run(*args: str) -> subprocess.CompletedProcess:
        cmd = ["unshare", "-rn", TUTOR, *args, "--corpus", str(course)]
        return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=600)

    assert run("index").returncode == 0
    found = run("search", "¿Qué hace la temperatura?", "--json")
    assert found.returncode == 0, found.stderr
    assert "emperatura" in json.loads(found.stdout)["results"][0]["title"]
    asked = run("ask", "¿Qué controla la temperatura?", "--max-tokens", "24", "--seed", "1", "--json")
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["citations"] and answer["citations"][0]["title"] == "Temperatura"
    # nothing the student asked or read was written outside the data dir; the course is untouched
    assert _tree(home) == {} and _tree(tmp) == {}
    assert _tree(course) == before
    written = {p.split("/")[0] for p in _tree(data)}
    assert written <= {
        "indexes",
        "models",
        "settings.toml",
        "cache",
        "history.sqlite",
        "history.sqlite-wal",
        "history.sqlite-shm",
    }, written
