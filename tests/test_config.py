from pathlib import Path

import pytest

from tutor.config import GenerationParams, InvalidParameter, Settings, load_settings, save_settings
from tutor.paths import data_dir, index_dir_for, settings_path


def test_tutor_home_overrides_data_dir(tutor_home):
    assert data_dir() == tutor_home
    assert settings_path().parent == tutor_home


def test_defaults_are_valid_and_explicit_context():
    params = GenerationParams().validated()
    assert params.n_ctx >= 2048  # never llama.cpp's 512 default


@pytest.mark.parametrize(
    ("name", "value", "label"),
    [
        ("temperature", 2.5, "temperatura"),
        ("top_p", 1.2, "top-p"),
        ("top_k", 500, "top-k"),
        ("max_tokens", 0, "tokens"),
    ],
)
def test_out_of_range_parameter_names_it_in_spanish(name, value, label):
    with pytest.raises(InvalidParameter, match=label):
        GenerationParams().with_overrides(**{name: value})


def test_integer_parameter_rejects_fraction():
    with pytest.raises(InvalidParameter, match="entero"):
        GenerationParams().with_overrides(top_k=2.5)


def test_settings_roundtrip(tutor_home):
    settings = Settings(corpus_dir="/tmp/curso", generation=GenerationParams(temperature=0.7, stop=("FIN",)))
    save_settings(settings)
    assert load_settings() == settings
    assert "temperature = 0.7" in settings_path().read_text()


def test_corrupt_settings_fall_back_to_defaults_and_keep_backup(tutor_home):
    settings_path().write_text("this is [not toml", encoding="utf-8")
    assert load_settings() == Settings()
    assert Path(str(settings_path()) + ".bak").read_text() == "this is [not toml"


def test_out_of_range_settings_file_falls_back(tutor_home):
    settings_path().write_text("[generation]\ntemperature = 9.0\n", encoding="utf-8")
    assert load_settings().generation.temperature == GenerationParams().temperature


def test_one_index_per_corpus_folder(tmp_path):
    a, b = tmp_path / "curso-a", tmp_path / "curso-b"
    assert index_dir_for(a) != index_dir_for(b)
    assert index_dir_for(a) == index_dir_for(tmp_path / "curso-a" / ".." / "curso-a")


def test_cli_settings_set_parses_types(tutor_home, capsys):
    from tutor.cli import main

    assert (
        main(
            [
                "settings",
                "--set",
                "retrieval.translate_english=false",
                "--set",
                "generation.temperature=0.7",
                "--set",
                "corpus_dir=/tmp/mi curso",
                "--set",
                "generation.stop=FIN|###",
            ]
        )
        == 0
    )
    settings = load_settings()
    assert settings.retrieval.translate_english is False
    assert settings.generation.temperature == 0.7
    assert settings.corpus_dir == "/tmp/mi curso"
    assert settings.generation.stop == ("FIN", "###")
    assert main(["settings", "--set", "generation.temperature=9"]) == 2
    assert "temperatura" in capsys.readouterr().err
    assert main(["settings", "--set", "prompt_sources=0"]) == 2
    assert "prompt_sources debe estar entre 1 y 5" in capsys.readouterr().err
    assert load_settings().prompt_sources == 3  # the refused value changed nothing


def test_thread_defaults_split_generation_and_prompt(monkeypatch):
    import tutor.config as config

    monkeypatch.setattr(config, "usable_cores", lambda: 16)
    params = GenerationParams()
    assert params.threads() == 8  # physical cores for memory-bound generation
    assert params.threads_batch() == 16  # every core for the prompt
    monkeypatch.setattr(config, "usable_cores", lambda: 2)
    assert (params.threads(), params.threads_batch()) == (2, 2)
    custom = params.with_overrides(n_threads=1, n_threads_batch=3)
    assert (custom.threads(), custom.threads_batch()) == (1, 3)
    with pytest.raises(InvalidParameter, match="prompt"):
        params.with_overrides(n_threads_batch=-1)


def test_inside_the_bundle_the_sample_course_and_model_come_from_the_bundle(tmp_path, monkeypatch):
    import sys

    from tutor.model_files import PACKAGED_MODEL, available_models, packaged_model_path
    from tutor.paths import data_dir, resolve_corpus

    bundle = tmp_path / "bundle"
    (bundle / "corpus").mkdir(parents=True)
    (bundle / "models").mkdir()
    (bundle / "models" / PACKAGED_MODEL).write_bytes(b"GGUF" + b"\0" * 100)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.chdir(tmp_path)  # no ./corpus here
    assert resolve_corpus("corpus") == bundle / "corpus"
    assert resolve_corpus(str(tmp_path)) == tmp_path  # a chosen folder wins
    assert packaged_model_path() == bundle / "models" / PACKAGED_MODEL
    assert not (data_dir() / "models" / PACKAGED_MODEL).exists()  # nothing copied into the user's data
    (default,) = [m for m in available_models() if m.packaged]
    assert default.path == bundle / "models" / PACKAGED_MODEL
