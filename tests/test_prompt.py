import pytest

from tests.conftest import FakeLLM
from tutor.prompt import INSTRUCTIONS, build_prompt, system_prompt
from tutor.types import Source


def _sources(n=5, words=200):
    return [
        Source(f"deck{i}.pdf", i, f"Título {i}", " ".join(f"w{i}_{j}" for j in range(words)), 1.0 / i)
        for i in range(1, n + 1)
    ]


def _plan(llm, question, sources, n_ctx=1024, max_tokens=128, history=None, **kwargs):
    return build_prompt(
        question, sources, "es", llm.tokenize, llm.detokenize, n_ctx, max_tokens, history=history, **kwargs
    )


def test_sources_are_trimmed_by_token_count_to_fit_the_window():
    llm = FakeLLM()
    plan = _plan(llm, "¿Qué es la temperatura?", _sources())
    assert len(plan.tokens) <= 1024 - 128
    assert 1 <= len(plan.sources) < 5
    assert [s.page for s in plan.sources] == list(range(1, len(plan.sources) + 1))  # best first
    text = llm.detokenize(plan.tokens)
    assert "[1] deck1.pdf, diapositiva 1 — Título 1" in text


def test_fixed_prefix_is_identical_across_questions():
    llm = FakeLLM()
    a = llm.detokenize(_plan(llm, "¿Qué es top-p?", _sources(2, 20)).tokens)
    b = llm.detokenize(_plan(llm, "Otra pregunta distinta", _sources(3, 30)).tokens)
    assert a.startswith(INSTRUCTIONS) and b.startswith(INSTRUCTIONS)


def test_the_prompt_names_the_course_it_is_given_and_no_course_by_default():
    assert INSTRUCTIONS.startswith("Eres un tutor de tu curso. Responde solo con la información")
    assert "AWS" not in INSTRUCTIONS
    named = system_prompt("AWS AI Practitioner")
    assert named.startswith("Eres un tutor del curso «AWS AI Practitioner». Responde solo")
    assert named == system_prompt("AWS AI Practitioner")  # one course, the same bytes
    llm = FakeLLM()
    a = llm.detokenize(_plan(llm, "¿Qué es top-p?", _sources(2, 20), course_name="AWS AI Practitioner").tokens)
    b = llm.detokenize(_plan(llm, "Otra pregunta", _sources(3, 30), course_name="AWS AI Practitioner").tokens)
    assert a.startswith(named) and b.startswith(named)
    chat = FakeLLM()
    plan = build_prompt(
        "¿Qué es RAG?",
        _sources(1, 5),
        "es",
        chat.tokenize,
        chat.detokenize,
        1024,
        128,
        style="chat",
        template=lambda messages: messages[0]["content"] + "|" + messages[-1]["content"],
        course_name="Mi curso",
    )
    assert chat.detokenize(plan.tokens).startswith(system_prompt("Mi curso") + "|")


def test_oldest_history_turns_are_dropped_first():
    llm = FakeLLM()
    history = [(f"pregunta {i} " + "x " * 60, f"respuesta {i} " + "y " * 60) for i in range(8)]
    plan = _plan(llm, "¿Y ahora?", _sources(2, 20), history=history)
    text = llm.detokenize(plan.tokens)
    assert 0 < plan.history_turns < 8
    assert "pregunta 7" in text and "pregunta 0" not in text


def test_question_too_long_for_context_is_a_clear_error():
    llm = FakeLLM()
    with pytest.raises(ValueError, match="contexto"):
        _plan(llm, "palabra " * 2000, _sources(1, 5))
