"""Long exam stems and English questions become a short Spanish search query."""

from __future__ import annotations

from tests.conftest import FakeLLM
from tutor.rewrite import REWRITE_SYSTEM, needs_rewrite, rewrite_query

STEM = (
    "A company is building a chatbot for its support team and wants answers to use only the company's own "
    "documents, which change every week, with the least operational overhead. Which approach meets these "
    "requirements?"
)


def test_short_spanish_questions_are_searched_as_they_are():
    assert not needs_rewrite("¿Qué es top-p?")
    assert needs_rewrite("What is top-p?")
    assert needs_rewrite("Una empresa quiere " + "usar sus documentos internos " * 6 + "¿qué enfoque le sirve?")


def test_an_instruction_tuned_model_is_asked_for_a_query_in_chat(fake_llm):
    llm = FakeLLM(template="{{ messages }}")
    llm.translation = "Consulta: RAG documentos propios base de conocimiento"
    assert rewrite_query(llm, STEM) == "RAG documentos propios base de conocimiento"
    assert llm.completions == [" ".join(STEM.split())]  # the stem is the last user message


def test_a_base_model_only_translates_with_a_completion(fake_llm):
    fake_llm.translation = " ¿Qué es top-p? "
    assert rewrite_query(fake_llm, "What is top-p?") == "¿Qué es top-p?"
    assert fake_llm.completions[0].endswith("English: What is top-p?\nEspañol:")
    assert REWRITE_SYSTEM not in fake_llm.completions[0]


def test_the_instruction_tuned_rewrite_is_off_unless_asked(tutor_factory):
    from dataclasses import replace

    from tutor.config import Settings

    llm = FakeLLM(template="{{ messages }}")
    llm.translation = "RAG documentos propios"
    tutor = tutor_factory(llm)
    assert tutor._translate(STEM) == "" and llm.completions == []  # measured worse: off by default
    on = replace(Settings().retrieval, min_fused_z=-99.0, rewrite_with_instruct_model=True)
    assert tutor_factory(llm, retrieval=on)._translate(STEM) == "RAG documentos propios"


def test_a_base_model_translates_short_english_questions_but_not_long_stems(tutor_factory):
    llm = FakeLLM()  # a base model (no chat template)
    llm.translation = "¿Qué es top-p?"
    tutor = tutor_factory(llm)
    assert tutor._translate("What is top-p?") == "¿Qué es top-p?"
    assert tutor._translate(STEM) == ""  # its few-shot translation of a stem copies its examples: searched as asked
    assert len(llm.completions) == 1
