"""Bad input of every kind: a clear reason naming the file, the rest of the course still indexed."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from tests.conftest import FakeLLM
from tests.pdfs import encrypt_pdf, make_pdf
from tutor.config import ChunkingSettings, RetrievalSettings, Settings, load_settings
from tutor.index import IndexLocked, _lock, build_index
from tutor.llm import LocalLLM
from tutor.model_files import ModelError
from tutor.paths import index_dir_for, settings_path
from tutor.retrieve import Retriever

CHUNKING = ChunkingSettings()
EMOJI_NAME = "Sesión 1 – introducción 🎓.pdf"


def _good_pdf(path: Path, topic: str = "SageMaker") -> Path:
    return make_pdf(
        path,
        [
            f"Introducción a {topic}\nAmazon {topic} permite entrenar y desplegar modelos.",
            f"Costes de {topic}\nSe paga por instancia y por hora de uso.",
        ],
    )


@pytest.fixture
def messy_course(tmp_path) -> Path:
    """A course folder with one of each bad input a student's course can contain, plus good files."""
    course = tmp_path / "curso desordenado"
    course.mkdir()
    (course / "bueno.md").write_text("# Bedrock\nAmazon Bedrock ofrece modelos fundacionales.\n", encoding="utf-8")
    _good_pdf(course / EMOJI_NAME)
    plain = _good_pdf(tmp_path / "plano.pdf", "Comprehend")
    encrypt_pdf(plain, course / "cifrado-sin-clave.pdf", user_password="")
    encrypt_pdf(plain, course / "cifrado-con-clave.pdf", user_password="secreto")
    whole = make_pdf(tmp_path / "entero.pdf", [f"Diapositiva {i}\nTexto {i}" for i in range(12)]).read_bytes()
    (course / "truncado.pdf").write_bytes(whole[: len(whole) * 6 // 10])
    (course / "vacio.pdf").write_bytes(b"")
    (course / "falso.pdf").write_text("Esto es un documento de texto con la extensión cambiada.", encoding="utf-8")
    make_pdf(course / "escaneado.pdf", ["", "", ""])  # pages without a text layer
    (course / "latin1.txt").write_bytes("Información sobre visión artificial y reconocimiento.".encode("latin-1"))
    (course / "con-bom.md").write_bytes("\ufeff# Rekognition\nAnaliza imágenes y vídeos.\n".encode())
    (course / "binario.txt").write_bytes(b"\x00\x01\x02 datos binarios \x00")
    os.symlink("enlace-b.md", course / "enlace-a.md")
    os.symlink("enlace-a.md", course / "enlace-b.md")
    os.symlink("no-existe.md", course / "roto.md")
    os.symlink(".", course / "carpeta-en-bucle")
    return course


EXPECTED_PROBLEMS = {
    "cifrado-con-clave.pdf": "contraseña",
    "truncado.pdf": "dañado o incompleto",
    "vacio.pdf": "vacío",
    "falso.pdf": "no es un PDF",
    "escaneado.pdf": "OCR",
    "binario.txt": "binarios",
    "enlace-a.md": "bucle",
    "enlace-b.md": "bucle",
    "roto.md": "ya no existe",
}


def test_every_bad_file_gets_its_reason_and_the_rest_is_indexed(messy_course, fake_embedder):
    index, report = build_index(messy_course, fake_embedder, CHUNKING)
    problems = dict(report.problems)
    assert set(problems) == set(EXPECTED_PROBLEMS), problems
    for name, reason in EXPECTED_PROBLEMS.items():
        assert reason in problems[name], (name, problems[name])
    files = {c.file for c in index.chunks}
    assert files == {"bueno.md", EMOJI_NAME, "cifrado-sin-clave.pdf", "latin1.txt", "con-bom.md"}
    texts = {c.file: c for c in index.chunks}
    assert "Información sobre visión" in texts["latin1.txt"].text
    assert texts["con-bom.md"].title == "Rekognition"  # no BOM left in the heading
    assert "Comprehend" in texts["cifrado-sin-clave.pdf"].text
    # the folder symlinked to itself was not walked twice
    assert not any("carpeta-en-bucle" in c.file for c in index.chunks)
    hits = Retriever(index, fake_embedder, RetrievalSettings(min_fused_z=-99)).search("SageMaker instancia hora")
    assert hits.sources[0].file == EMOJI_NAME
    # the problems are kept with the index, so a reload (and the window) still lists them
    again, second = build_index(messy_course, fake_embedder, CHUNKING)
    assert second.embedded == 0
    assert {f for f, _ in again.problems} >= set(EXPECTED_PROBLEMS) - {"enlace-a.md", "enlace-b.md", "roto.md"}


def test_cli_index_lists_the_problems_and_exits_zero(messy_course, fake_embedder, monkeypatch, capsys):
    import json

    from tutor import cli

    monkeypatch.setattr("tutor.embed.load_embedder", lambda *a, **k: fake_embedder)
    code = cli.main(["index", "--corpus", str(messy_course), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {p["file"] for p in data["problems"]} == set(EXPECTED_PROBLEMS)
    assert all(p["message"] for p in data["problems"])


def test_unreadable_file_is_named_with_the_reason(sample_corpus, fake_embedder, monkeypatch):
    target = sample_corpus / "rag-y-transformers.pdf"
    if os.geteuid() != 0:
        target.chmod(0)
    else:  # root reads anything: simulate the permission error where the indexer opens the file
        import tutor.index_build as index_module

        real = index_module.file_sha256

        def guarded(path: Path) -> str:
            if path.name == target.name:
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(index_module, "file_sha256", guarded)
    index, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert dict(report.problems) == {"rag-y-transformers.pdf": "no hay permiso para leerlo"}
    assert {c.file for c in index.chunks} == {"apuntes-del-curso.md", "parametros-de-inferencia.pdf"}


def test_file_deleted_or_changed_while_indexing(sample_corpus, fake_embedder, monkeypatch):
    import tutor.index_build as index_module

    real = index_module.read_pages
    notes = sample_corpus / "apuntes-del-curso.md"

    def racing(path, rel, progress=None):
        if rel == "rag-y-transformers.pdf":
            path.unlink()  # the student deletes it while tutor is reading the course
        if rel == "apuntes-del-curso.md":
            notes.write_text("# Cambiado\nEl archivo cambió durante la indexación: zanahoria.\n", encoding="utf-8")
        return real(path, rel, progress)

    monkeypatch.setattr(index_module, "read_pages", racing)
    index, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert "ya no existe" in dict(report.problems)["rag-y-transformers.pdf"]
    assert any("zanahoria" in c.text for c in index.chunks)
    monkeypatch.setattr(index_module, "read_pages", real)
    notes.write_text("# Final\nVersión final con berenjena.\n", encoding="utf-8")
    os.utime(notes, ns=(notes.stat().st_atime_ns, notes.stat().st_mtime_ns + 10**9))
    index, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert report.updated == ["apuntes-del-curso.md"] and report.removed == ["rag-y-transformers.pdf"]
    assert any("berenjena" in c.text for c in index.chunks)
    assert not any("zanahoria" in c.text for c in index.chunks)


def test_huge_pdf_shows_moving_progress_and_indexes_every_page(tmp_path, fake_embedder):
    course = tmp_path / "curso"
    course.mkdir()
    pages = [f"Diapositiva {i}\nTema {i}: el servicio número {i} procesa datos" for i in range(1, 3001)]
    make_pdf(course / "enorme.pdf", pages)
    seen: list[tuple[str, int, int]] = []
    index, report = build_index(course, fake_embedder, CHUNKING, progress=lambda s, d, t: seen.append((s, d, t)))
    assert not report.problems and len({c.page for c in index.chunks}) == 3000
    reading = [d for s, d, t in seen if s == "Leyendo enorme.pdf (páginas)"]
    assert len(reading) >= 100 and reading == sorted(reading) and reading[-1] == 3000
    embedding = [d for s, d, t in seen if s == "Calculando embeddings"]
    assert len(embedding) >= 40 and embedding[-1] == 3000


def test_a_second_indexer_is_refused_with_a_clear_message(sample_corpus, fake_embedder):
    lock = _lock(index_dir_for(sample_corpus))  # another tutor process holds the course
    try:
        with pytest.raises(IndexLocked, match="Otro proceso de tutor está indexando"):
            build_index(sample_corpus, fake_embedder, CHUNKING)
    finally:
        lock.release()
    build_index(sample_corpus, fake_embedder, CHUNKING)  # and afterwards it works


STRANGE_QUESTIONS = [
    "什么是机器学习？",
    "ما هو التعلم الآلي؟",
    "¿Qué es\x00 la temperatura\x1b[31m en un modelo?\x07",
    "temperatura",
]


@pytest.mark.parametrize("question", STRANGE_QUESTIONS, ids=["chino", "árabe", "control", "una-palabra"])
def test_strange_questions_get_an_answer_never_a_traceback(tutor_factory, question):
    tutor = tutor_factory(FakeLLM(["La temperatura controla la aleatoriedad [1]."]))
    answer = tutor.ask(question)
    assert answer.answer.strip()
    assert "\x00" not in answer.question and "\x1b" not in answer.question
    if answer.context:
        assert answer.context["total_prompt"] + answer.context["answer"] <= answer.context["n_ctx"]


@pytest.mark.parametrize("question", ["", "   \n\t ", "?!¿¡... ---", "\x00\x01\x02"])
def test_questions_without_words_get_a_spanish_message(tutor_factory, question):
    with pytest.raises(ValueError, match="Escribe una pregunta"):
        tutor_factory(FakeLLM(["x"])).ask(question)


def test_a_question_of_10k_characters_gets_a_spanish_message_not_a_cut_answer(tutor_factory):
    with pytest.raises(ValueError, match="demasiado larga"):
        tutor_factory(FakeLLM(["x"])).ask("¿Qué es SageMaker? " * 600)  # about 11,000 characters


def test_settings_from_an_older_version_keep_valid_values_and_a_backup(tutor_home):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'version = 0\nllm_model = "viejo.gguf"\ncolor_theme = "oscuro"\n[generation]\ntemperature = 1\nmirostat = 2\n',
        encoding="utf-8",
    )
    settings = load_settings()
    assert settings.llm_model == "viejo.gguf" and settings.generation.temperature == 1.0
    assert path.with_name("settings.toml.v0.bak").read_text(encoding="utf-8").startswith("version = 0")


@pytest.mark.parametrize(
    "content",
    ["corpus_dir = 5\nversion = 1\n", '[generation]\ntop_k = "muchos"\n', "[retrieval]\nk = true\n", "\x00\xff"],
)
def test_settings_with_wrong_types_fall_back_to_defaults_with_a_backup(tutor_home, content):
    path = settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content, encoding="utf-8")
    assert load_settings() == Settings()
    assert path.with_name("settings.toml.bak").exists()


def test_model_too_large_for_memory_is_refused_before_loading(tmp_path, monkeypatch):
    model = tmp_path / "grande.gguf"
    with model.open("wb") as fh:
        fh.write(b"GGUF")
        fh.truncate(50_000_000)
    monkeypatch.setattr("tutor.model_files.available_memory", lambda: 20_000_000)
    from tutor.config import GenerationParams

    with pytest.raises(ModelError, match="necesita unos .* de memoria y ahora hay 0,0 GB libres"):
        LocalLLM().ensure(model, GenerationParams(n_gpu_layers=0))
