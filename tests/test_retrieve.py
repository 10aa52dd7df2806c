import shutil
from dataclasses import replace

import numpy as np

from tutor.config import ChunkingSettings, RetrievalSettings
from tutor.embed import SentenceTransformerEmbedder, default_embedder_path, resolve_embedder
from tutor.index import build_index
from tutor.retrieve import Retriever
from tutor.text import named_terms


def _retriever(sample_corpus, embedder, translator=None, **overrides):
    index, _ = build_index(sample_corpus, embedder, ChunkingSettings())
    settings = replace(RetrievalSettings(), min_fused_z=-99.0, **overrides)
    return Retriever(index, embedder, settings, translator)


def test_named_terms_skip_sentence_starts():
    assert named_terms("¿Qué es LoRA y por qué abarata el fine-tuning?") == ["LoRA"]
    assert named_terms("¿Qué se hace en esa etapa? Explícame cada paso.") == []
    assert named_terms("CloudTrail vs CloudWatch: which one") == ["CloudTrail", "CloudWatch"]


def test_question_about_something_the_course_never_mentions_abstains(sample_corpus, fake_embedder):
    retriever = _retriever(sample_corpus, fake_embedder)
    result = retriever.search("¿Qué es LoRA y para qué sirve en el ajuste fino?")
    assert result.abstained and result.unknown_terms == ["LoRA"]
    known = retriever.search("¿Qué hace BM25 en la búsqueda híbrida?")
    assert not known.abstained and known.unknown_terms == []
    off = _retriever(sample_corpus, fake_embedder, abstain_on_unknown_terms=False)
    assert not off.search("¿Qué es LoRA?").abstained


def test_english_questions_are_translated_for_retrieval_spanish_ones_are_not(sample_corpus, fake_embedder):
    calls = []

    def translator(text):
        calls.append(text)
        return "¿Qué es la fragmentación (chunking) de documentos y el solapamiento?"

    retriever = _retriever(sample_corpus, fake_embedder, translator)
    retriever.search("¿Qué es la temperatura?")
    assert calls == []
    result = retriever.search("Why do we split documents with some overlap?")
    assert calls == ["Why do we split documents with some overlap?"]
    assert result.translation.startswith("¿Qué es la fragmentación")
    assert ("rag-y-transformers.pdf", 4) in [(s.file, s.page) for s in result.sources[:2]]
    assert (
        not _retriever(sample_corpus, fake_embedder, translator, translate_english=False)
        .search("Why split documents?")
        .translation
    )


def test_embedder_folder_with_prefixes_is_used_correctly(tmp_path, monkeypatch):
    folder = tmp_path / "models" / "embeddings" / "mini-con-prefijos"
    shutil.copytree(default_embedder_path(), folder)
    (folder / "tutor.toml").write_text('query_prefix = "query: "\npassage_prefix = "passage: "\n', "utf-8")
    monkeypatch.chdir(tmp_path)
    spec = resolve_embedder("mini-con-prefijos")
    assert (spec.query_prefix, spec.passage_prefix) == ("query: ", "passage: ")
    prefixed = SentenceTransformerEmbedder(spec)
    plain = SentenceTransformerEmbedder(resolve_embedder(""))
    assert prefixed.dim == plain.dim == 384
    assert np.allclose(prefixed.embed_query("hola"), plain.embed_query("query: hola"), atol=1e-5)
    assert np.allclose(prefixed.embed_passages(["hola"]), plain.embed_passages(["passage: hola"]), atol=1e-5)
