"""Course facts come from the course folder (its name or ``course.toml``), and one rule picks the folder."""

from __future__ import annotations

import logging

import pytest

from tutor.course import CourseInfo, name_from_folder
from tutor.paths import resolve_corpus, sample_corpus_dir


@pytest.mark.parametrize(
    ("folder", "name"),
    [
        ("aws-ai-practitioner", "AWS AI Practitioner"),
        ("fundamentos_de_ia generativa", "Fundamentos de IA Generativa"),
        ("Curso IA-2024", "Curso IA 2024"),  # typed with capitals: kept as typed
        ("corpus", ""),  # a generic folder says nothing: the prompt speaks of «tu curso»
        ("curso", ""),
    ],
)
def test_the_name_comes_from_the_folder(folder, name):
    assert name_from_folder(folder) == name


def test_without_course_toml_only_the_folder_name_is_known(tmp_path):
    info = CourseInfo.load(tmp_path / "aws-ai-practitioner")
    assert info == CourseInfo(name="AWS AI Practitioner")
    assert info.excludes("AWS") and info.excludes("aws certified ai practitioner")  # the course itself
    assert not info.excludes("Amazon Augmented AI") and not info.excludes("RAG")


def test_course_toml_gives_name_product_pattern_and_excluded_words(tmp_path, caplog):
    (tmp_path / "course.toml").write_text(
        'name = "Preparación AWS Certified AI Practitioner"\n'
        "product_pattern = '\\b(?:Amazon|AWS) [A-Z]\\w+'\n"
        'exclude = ["Certified", "Machine Learning"]\n',
        "utf-8",
    )
    with caplog.at_level(logging.WARNING):
        info = CourseInfo.load(tmp_path)
    assert not caplog.records
    assert info.name == "Preparación AWS Certified AI Practitioner"
    assert info.product_pattern.findall("usa Amazon Bedrock y AWS Lambda") == ["Amazon Bedrock", "AWS Lambda"]
    assert info.excludes("AWS Certified Developer") and info.excludes("Amazon Machine Learning Service")
    assert not info.excludes("Machine") and not info.excludes("Amazon Bedrock")


def test_an_unreadable_course_toml_is_ignored_with_a_spanish_warning(tmp_path, caplog):
    course = tmp_path / "ia-responsable"
    course.mkdir()
    (course / "course.toml").write_text('name = "sin cerrar\n', "utf-8")
    with caplog.at_level(logging.WARNING):
        info = CourseInfo.load(course)
    assert info == CourseInfo(name="IA Responsable")
    assert "No se puede leer" in caplog.text and "course.toml" in caplog.text


def test_a_bad_key_is_ignored_with_a_warning_and_the_others_kept(tmp_path, caplog):
    (tmp_path / "course.toml").write_text(
        'name = "Mi curso"\nproduct_pattern = "(sin cerrar"\nexclude = "Certified"\ncolor = "azul"\n', "utf-8"
    )
    with caplog.at_level(logging.WARNING):
        info = CourseInfo.load(tmp_path)
    assert info == CourseInfo(name="Mi curso")
    assert "no es una expresión regular válida" in caplog.text
    assert "«exclude»" in caplog.text and "Clave desconocida «color»" in caplog.text


# One rule for the course folder: the CLI, the pipeline and the window all use paths.resolve_corpus.


def test_the_window_uses_the_same_corpus_rule():
    from tutor.gui import app

    assert app.resolve_corpus is resolve_corpus


def test_a_configured_folder_that_exists_wins(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    course = tmp_path / "mi-curso"
    course.mkdir()
    assert resolve_corpus(str(course)) == course
    assert resolve_corpus("mi-curso") == course  # relative to where tutor runs
    (tmp_path / "corpus").mkdir()
    assert resolve_corpus("corpus") == tmp_path / "corpus"  # a ./corpus folder is the student's own


@pytest.mark.parametrize("configured", [None, "", "corpus"])
def test_with_no_folder_chosen_the_sample_course_opens(tmp_path, monkeypatch, configured):
    monkeypatch.chdir(tmp_path)  # no ./corpus here
    assert resolve_corpus(configured) == sample_corpus_dir()


def test_a_chosen_folder_that_is_missing_is_not_replaced_by_the_sample(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    missing = tmp_path / "curso-borrado"
    assert resolve_corpus(str(missing)) == missing  # indexing then says «La carpeta del curso no existe»
