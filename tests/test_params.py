"""The parameter registry: one declaration feeds validation, the flags, the lab, the sliders and the user guide."""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest

from tutor.cli import build_parser, main
from tutor.config import CHOICES, GenerationParams, InvalidParameter, Settings, load_settings, save_settings
from tutor.lab import LAB_DEFAULTS, LabParams
from tutor.params import PARAM, PARAMS, markdown_table, readme_with_table
from tutor.paths import settings_path

USER_GUIDE = Path(__file__).resolve().parent.parent / "docs" / "USER_GUIDE.md"


def test_user_guide_table_is_generated_from_the_registry():
    text = USER_GUIDE.read_text(encoding="utf-8")
    assert markdown_table() in text
    # python -m tutor.params docs/USER_GUIDE.md regenerates it
    assert readme_with_table(text) == text, (
        "docs/USER_GUIDE.md table out of date: run python -m tutor.params docs/USER_GUIDE.md"
    )


def test_generation_params_fields_are_the_registry():
    assert [(f.name, f.default) for f in fields(GenerationParams)] == [(p.name, p.default) for p in PARAMS]
    assert GenerationParams.__name__ == "GenerationParams"
    with pytest.raises(AttributeError):
        GenerationParams().temperature = 1.0  # frozen


@pytest.mark.parametrize("param", PARAMS, ids=lambda p: p.name)
def test_every_declaration_is_consistent(param):
    param.check(param.default)
    assert param.flag.startswith("--") and param.label and param.noun and param.tooltip and param.help
    if param.type is not tuple:
        assert param.min <= param.default <= param.max
        assert isinstance(param.min, param.type) and isinstance(param.max, param.type)
        if param.slider_max is not None:
            assert param.min < param.slider_max <= param.max


def test_integral_float_overrides_become_integers():
    params = GenerationParams().with_overrides(top_k=3.0, seed=7.0, stop=["FIN"])
    assert (params.top_k, params.seed, params.stop) == (3, 7, ("FIN",))
    assert isinstance(params.top_k, int)
    with pytest.raises(InvalidParameter, match="secuencias de parada"):
        GenerationParams().with_overrides(stop=[""])
    with pytest.raises(InvalidParameter, match="número"):
        GenerationParams().with_overrides(temperature="alta")


def test_cli_flags_come_from_the_registry():
    args = build_parser().parse_args(["ask", "¿qué?", "--top-k", "3", "--temperature", "0.5", "--stop", "A"])
    assert (args.top_k, args.temperature, args.stop, args.n_ctx) == (3, 0.5, ["A"], None)
    args = build_parser().parse_args(["ask", "x", "--stop", "A", "--stop", "B", "--gpu-layers", "0"])
    assert args.stop == ["A", "B"] and args.n_gpu_layers == 0
    for param in PARAMS:
        assert getattr(build_parser().parse_args(["ask", "x"]), param.name) is None
    lab = build_parser().parse_args(["lab", "--top-p", "0.5", "--n-ctx", "1024"])
    assert (lab.top_p, lab.n_ctx) == (0.5, 1024)
    with pytest.raises(SystemExit):
        build_parser().parse_args(["lab", "--max-tokens", "5"])  # the lab shows no answer length


def test_lab_params_come_from_the_registry():
    assert [f.name for f in fields(LabParams)] == list(LAB_DEFAULTS) == ["temperature", "top_k", "top_p", "min_p"]
    assert LabParams() == LabParams(0.8, 40, 0.95, 0.05)
    assert LabParams.of(GenerationParams()) == LabParams(0.2, 40, 0.9, 0.05)
    for name, value in LAB_DEFAULTS.items():
        PARAM[name].check(value)


@pytest.mark.parametrize("name", list(CHOICES))
def test_enumerated_settings_refuse_unknown_words(name):
    assert getattr(Settings(), name) == CHOICES[name][0]
    for word in CHOICES[name]:
        assert getattr(Settings.from_dict({name: word}), name) == word
    with pytest.raises(InvalidParameter) as caught:
        Settings.from_dict({name: "chta"})
    message = str(caught.value)
    assert name in message and "chta" in message
    assert all(word in message for word in CHOICES[name])


def test_settings_file_with_an_unknown_word_is_backed_up(tutor_home):
    settings_path().write_text('prompt_style = "chta"\nversion = 1\n', encoding="utf-8")
    assert load_settings() == Settings()
    assert "chta" in Path(str(settings_path()) + ".bak").read_text()


def test_cli_set_refuses_an_unknown_word(tutor_home, capsys):
    save_settings(Settings(show_extracts="never"))
    assert main(["settings", "--set", "show_extracts=siempre"]) == 2
    err = capsys.readouterr().err
    assert "show_extracts" in err and "auto, always, never" in err
    assert load_settings().show_extracts == "never"  # nothing saved
    assert main(["settings", "--set", "show_extracts=always"]) == 0
    assert load_settings().show_extracts == "always"
