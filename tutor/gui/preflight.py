"""Before Qt starts: can this desktop open a window? Qt aborts with a cryptic English message when a system
library of its X11 (xcb) plugin is missing; tutor says which, in Spanish, with the command that installs it.

No Qt import here: this runs before PySide6 loads its platform plugin.
"""

from __future__ import annotations

import os
import platform
import re
import subprocess
from importlib import resources
from importlib.util import find_spec
from pathlib import Path


def library_table() -> list[tuple[str, str, str]]:
    """(soname, Debian/Ubuntu package, Fedora package) for each library the xcb plugin needs."""
    text = (resources.files("tutor.gui") / "qt_libs.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return [(r[0], r[1], r[2]) for r in rows if len(r) >= 3]


def platform_plugin() -> str:
    """The Qt platform plugin this session will use: Wayland where it is the session, else X11 (xcb)."""
    chosen = os.environ.get("QT_QPA_PLATFORM", "").split(":")[0]
    if chosen:
        return chosen
    return "wayland" if os.environ.get("WAYLAND_DISPLAY") else "xcb"


def _plugin_file(name: str) -> Path | None:
    spec = find_spec("PySide6")
    if spec is None or not spec.origin:
        return None
    plugin = Path(spec.origin).parent / "Qt" / "plugins" / "platforms" / f"libq{name}.so"
    return plugin if plugin.exists() else None


def missing_libraries(ldd_output: str | None = None) -> list[str]:
    """Sonames the platform plugin needs and the system lacks (``ldd`` on the plugin; empty when unknown)."""
    if ldd_output is None:
        plugin = _plugin_file(platform_plugin())
        if plugin is None:
            return []
        try:
            ldd_output = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, timeout=20).stdout
        except (OSError, subprocess.SubprocessError):
            return []
    return list(dict.fromkeys(re.findall(r"^\s*(\S+)\s*=>\s*not found", ldd_output, re.M)))  # ldd repeats them


def desktop_problem(missing: list[str] | None = None) -> str | None:
    """A Spanish message with the fix when the window cannot open on this Linux desktop, else None."""
    if platform.system() != "Linux" or platform_plugin() not in ("xcb", "wayland"):
        return None
    missing = missing_libraries() if missing is None else missing
    if not missing:
        return None
    table = {soname: (debian, fedora) for soname, debian, fedora in library_table()}
    debian = [table.get(s, (s, s))[0] for s in missing]
    fedora = sorted({table.get(s, (s, s))[1] for s in missing})
    return (
        "No se puede abrir la ventana: faltan bibliotecas del sistema que necesita Qt "
        f"({', '.join(missing)}).\nInstálalas con:  sudo apt install {' '.join(dict.fromkeys(debian))}\n"
        f"(Fedora: sudo dnf install {' '.join(fedora)})"
    )
