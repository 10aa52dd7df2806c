import json

import numpy as np
import pytest

from tutor.config import ChunkingSettings, RetrievalSettings
from tutor.index import CourseIndex, IndexMismatch, build_index, check_manifest, embedding_text
from tutor.paths import index_dir_for
from tutor.retrieve import Retriever

CHUNKING = ChunkingSettings()


def _search(index, embedder, query):
    return [(s.file, s.page) for s in Retriever(index, embedder, RetrievalSettings()).search(query, 5).sources]


def test_build_then_noop_reindex_embeds_nothing(sample_corpus, fake_embedder):
    index, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert sorted(report.added) == [
        "apuntes-del-curso.md",
        "parametros-de-inferencia.pdf",
        "rag-y-transformers.pdf",
    ]
    assert report.embedded == len(index.chunks) > 10
    calls = fake_embedder.calls
    again, report2 = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert not report2.changed and report2.embedded == 0
    assert fake_embedder.calls == calls
    assert len(again.chunks) == len(index.chunks)


def test_incremental_reindex_only_embeds_changed_files(sample_corpus, fake_embedder):
    build_index(sample_corpus, fake_embedder, CHUNKING)
    notes = sample_corpus / "apuntes-del-curso.md"
    notes.write_text(notes.read_text(encoding="utf-8") + "\n## Nueva sección\nEl zapato azul de prueba.\n", "utf-8")
    (sample_corpus / "rag-y-transformers.pdf").unlink()
    index, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert report.updated == ["apuntes-del-curso.md"]
    assert report.removed == ["rag-y-transformers.pdf"]
    assert report.unchanged == ["parametros-de-inferencia.pdf"]
    assert report.embedded == sum(1 for c in index.chunks if c.file == "apuntes-del-curso.md")
    assert {c.file for c in index.chunks} == {"apuntes-del-curso.md", "parametros-de-inferencia.pdf"}
    assert _search(index, fake_embedder, "zapato azul")[0][0] == "apuntes-del-curso.md"


def test_touching_a_file_without_changing_it_does_not_reembed(sample_corpus, fake_embedder):
    build_index(sample_corpus, fake_embedder, CHUNKING)
    (sample_corpus / "apuntes-del-curso.md").touch()
    _, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert report.embedded == 0 and not report.changed


def test_manifest_records_build_metadata_and_refuses_other_embedder(sample_corpus, fake_embedder):
    index, _ = build_index(sample_corpus, fake_embedder, CHUNKING)
    manifest = json.loads((index.generation / "manifest.json").read_text())
    assert manifest["embedder"] == {"name": "fake-hash", "dim": 64, "precision": "float32"}
    assert manifest["chunking"] == {"chunk_chars": 1000, "overlap_chars": 200}
    assert {"faiss", "pypdf", "sentence_transformers", "tutor"} <= set(manifest["versions"])
    with pytest.raises(IndexMismatch, match="otro-modelo"):
        CourseIndex.load(sample_corpus, "otro-modelo", CHUNKING)
    with pytest.raises(IndexMismatch, match="fragmentación"):
        check_manifest(manifest, "fake-hash", 64, ChunkingSettings(chunk_chars=500))


def test_changing_embedder_rebuilds_with_a_reason(sample_corpus, fake_embedder):
    from tests.conftest import HashEmbedder

    build_index(sample_corpus, fake_embedder, CHUNKING)
    other = HashEmbedder(name="otro", dim=32)
    index, report = build_index(sample_corpus, other, CHUNKING)
    assert "otro" in report.rebuilt_reason
    assert report.embedded == len(index.chunks)
    assert index.faiss.d == 32


def test_interrupted_build_leaves_previous_index_usable(sample_corpus, fake_embedder):
    index, _ = build_index(sample_corpus, fake_embedder, CHUNKING)
    before = _search(index, fake_embedder, "temperatura aleatoriedad")
    (sample_corpus / "nuevo.md").write_text("# Nuevo\nContenido nuevo sobre temperatura.\n", "utf-8")

    def explode(stage, done, total):
        if stage == "Calculando embeddings":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index(sample_corpus, fake_embedder, CHUNKING, progress=explode)
    still = CourseIndex.load(sample_corpus, fake_embedder.name, CHUNKING)
    assert _search(still, fake_embedder, "temperatura aleatoriedad") == before
    resumed, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert report.added == ["nuevo.md"]
    assert not [p for p in index_dir_for(sample_corpus).iterdir() if p.name.startswith(".tmp-")]


def test_bad_file_is_reported_and_the_rest_still_indexes(sample_corpus, fake_embedder):
    (sample_corpus / "roto.pdf").write_bytes(b"%PDF-1.4 truncated")
    (sample_corpus / "vacío 📚.md").write_bytes(b"")
    index, report = build_index(sample_corpus, fake_embedder, CHUNKING)
    problems = dict(report.problems)
    assert "roto.pdf" in problems and "vacío 📚.md" in problems
    assert {c.file for c in index.chunks} == {
        "apuntes-del-curso.md",
        "parametros-de-inferencia.pdf",
        "rag-y-transformers.pdf",
    }
    _, again = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert "roto.pdf" in dict(again.problems)  # still reported on a no-op re-index


def test_search_returns_one_entry_per_page(sample_corpus, fake_embedder):
    from tutor.ingest import split_page
    from tutor.types import Page

    long_page = "\n".join(["La temperatura controla la aleatoriedad del modelo."] * 80)
    (sample_corpus / "largo.md").write_text("# Largo\n" + long_page, "utf-8")
    index, _ = build_index(sample_corpus, fake_embedder, CHUNKING)
    assert len(list(split_page(Page("largo.md", 1, "Largo", long_page), 1000, 200))) > 1
    hits = _search(index, fake_embedder, "temperatura aleatoriedad")
    assert len(hits) == len(set(hits))


def test_identical_texts_are_embedded_once_and_keep_their_vectors(tmp_path, fake_embedder):
    course = tmp_path / "curso"
    course.mkdir()
    body = "# Agenda\nRepaso de SageMaker, Bedrock y Comprehend.\n\n# Cierre\nPreguntas frecuentes del examen.\n"
    (course / "sesion1.md").write_text(body, encoding="utf-8")
    (course / "sesion2.md").write_text(body, encoding="utf-8")
    (course / "sesion3.md").write_text("# Otra\nTexto distinto sobre Rekognition.\n", encoding="utf-8")
    index, report = build_index(course, fake_embedder, CHUNKING)
    assert report.embedded == len(index.chunks) == 5
    assert fake_embedder.calls == 3  # the two repeated sections once each, plus the distinct one
    by_file = {(c.file, c.title): i for i, c in enumerate(index.chunks)}
    first, second = by_file[("sesion1.md", "Agenda")], by_file[("sesion2.md", "Agenda")]
    vector = index.faiss.reconstruct(first)
    assert np.array_equal(vector, index.faiss.reconstruct(second))
    assert np.allclose(vector, fake_embedder._vector(embedding_text(index.chunks[first])))
    other = by_file[("sesion3.md", "Otra")]
    assert np.allclose(index.faiss.reconstruct(other), fake_embedder._vector(embedding_text(index.chunks[other])))
