"""The import contract (as napari enforces with import-linter): the core never imports Qt or the window,
and only ``tutor/llm.py`` talks to llama_cpp. Parsed from the source, so it runs without PySide6 installed."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "tutor"
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6")


def imported_modules(path: Path) -> set[str]:
    """Every module ``path`` imports, at any depth (function-level imports count too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _core_files() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "gui" not in p.relative_to(PACKAGE).parts]


def _violations(files: list[Path], forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path.name} imports {name}"
        for path in files
        for name in sorted(imported_modules(path))
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


# The command line is the one entry point that may open the window (``tutor gui``); it still never imports Qt.
ENTRY_POINTS = ("cli", "__main__")


def test_core_never_imports_qt_or_the_window():
    assert _violations(_core_files(), QT) == []
    core = [p for p in _core_files() if p.relative_to(PACKAGE).parts[0].removesuffix(".py") not in ENTRY_POINTS]
    assert _violations(core, ("tutor.gui",)) == []


def test_only_llm_module_imports_llama_cpp():
    others = [p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "llm.py"]
    assert _violations(others, ("llama_cpp",)) == []


def test_the_contract_catches_function_level_imports(tmp_path):
    offender = tmp_path / "offender.py"
    offender.write_text("def f():\n    from PySide6.QtWidgets import QWidget\n    import llama_cpp.llama_chat_format\n")
    assert _violations([offender], QT) == ["offender.py imports PySide6.QtWidgets"]
    assert _violations([offender], ("llama_cpp",)) == ["offender.py imports llama_cpp.llama_chat_format"]
