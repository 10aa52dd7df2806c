"""A fresh desktop without Qt's system libraries: a Spanish message with the one install command, not an abort."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT
from tutor.gui.preflight import desktop_problem, library_table, missing_libraries

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the check is for Linux desktops")

LDD_MISSING = """\
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x0001)
\tlibxcb-cursor.so.0 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x0002)
"""


def test_missing_libraries_are_read_from_ldd():
    assert missing_libraries(LDD_MISSING) == ["libxcb-cursor.so.0", "libxcb-icccm.so.4", "libxcb-keysyms.so.1"]
    # ldd lists a library once for each library that needs it (a student trial: each named twice)
    twice = LDD_MISSING + "\tlibxcb-icccm.so.4 => not found\n"
    assert missing_libraries(twice) == missing_libraries(LDD_MISSING)


def test_the_message_names_the_debian_and_fedora_packages(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    message = desktop_problem(missing_libraries(LDD_MISSING))
    assert "sudo apt install libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1" in message
    assert "sudo dnf install xcb-util-cursor xcb-util-keysyms xcb-util-wm" in message
    assert message.startswith("No se puede abrir la ventana")


def test_offscreen_and_complete_systems_need_nothing(monkeypatch):
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert desktop_problem(["libxcb-cursor.so.0"]) is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    assert desktop_problem([]) is None


def test_tutor_gui_stops_with_the_message_instead_of_qt_aborting(monkeypatch, capsys):
    from tutor.gui import app

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr("tutor.gui.preflight.missing_libraries", lambda ldd_output=None: ["libxcb-cursor.so.0"])
    assert app.main([]) == 2
    assert "sudo apt install libxcb-cursor0" in capsys.readouterr().err


def _fake_ldconfig(tmp_path, drop: set[str]):
    """An ``ldconfig -p`` that lists every library of the table except ``drop``."""
    lines = [f"\t{soname} (libc6,x86-64) => /lib/{soname}" for soname, _, _ in library_table() if soname not in drop]
    fake = tmp_path / "bin" / "ldconfig"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\ncat <<'EOF'\n" + "\n".join(lines) + "\nEOF\n")
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"}
    return {**env, "PATH": f"{fake.parent}:{os.environ['PATH']}", "QT_QPA_PLATFORM": ""}


def test_make_run_check_prints_the_one_line_fix_before_building(tmp_path):
    env = _fake_ldconfig(tmp_path, {"libxcb-cursor.so.0", "libxcb-keysyms.so.1"})
    out = subprocess.run(
        ["bash", str(ROOT / "packaging" / "check_desktop.sh")], env=env, capture_output=True, text=True
    )
    assert out.returncode == 1
    assert "sudo apt install libxcb-cursor0 libxcb-keysyms1" in out.stderr
    (tmp_path / "ok").mkdir()
    complete = _fake_ldconfig(tmp_path / "ok", set())
    ok = subprocess.run(["bash", str(ROOT / "packaging" / "check_desktop.sh")], env=complete, capture_output=True)
    assert ok.returncode == 0


def test_an_x11_session_does_not_ask_for_wayland_libraries(tmp_path):
    env = _fake_ldconfig(tmp_path, {"libwayland-cursor.so.0", "libwayland-egl.so.1"})
    ok = subprocess.run(["bash", str(ROOT / "packaging" / "check_desktop.sh")], env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    wayland = subprocess.run(
        ["bash", str(ROOT / "packaging" / "check_desktop.sh")],
        env={**env, "WAYLAND_DISPLAY": "wayland-0"},
        capture_output=True,
        text=True,
    )
    assert wayland.returncode == 1 and "libwayland-cursor0" in wayland.stderr
