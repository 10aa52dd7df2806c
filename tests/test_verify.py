"""The model's second opinion on answer sentences (tutor/verify.py) and how grounding uses it."""

from __future__ import annotations

from tests.conftest import FakeLLM
from tests.test_grounding import SOURCES
from tutor.grounding import ground
from tutor.prompt import build_prompt
from tutor.types import Source
from tutor.verify import (
    CONTRADICTION_OVERRULED,
    SUPPORT_KEEP,
    SUPPORT_RESCUE,
    Opinion,
    combine,
    verification_messages,
    verifier_for,
)

CHAT = "{% for m in messages %}<{{ m.role }}>{{ m.content }}\n{% endfor %}<assistant>"


def scripted(opinions: dict[str, float]):
    """A verifier that answers P(Yes) by a word of the sentence (0.5 when none matches)."""

    def verify(sentence: str) -> Opinion:
        asked.append(sentence)
        return Opinion(next((p for word, p in opinions.items() if word in sentence), 0.5))

    asked: list[str] = []
    verify.asked = asked
    return verify


def test_combine_keeps_the_checker_unless_the_model_is_clear():
    assert combine("supported", None) == "supported"
    assert combine("supported", Opinion(SUPPORT_KEEP)) == "supported"
    assert combine("supported", Opinion(SUPPORT_KEEP - 0.01)) == "unsupported"
    assert combine("unsupported", Opinion(SUPPORT_RESCUE)) == "supported"
    assert combine("unsupported", Opinion(SUPPORT_RESCUE - 0.01)) == "unsupported"
    assert combine("contradicted", Opinion(CONTRADICTION_OVERRULED - 0.01)) == "contradicted"
    assert combine("contradicted", Opinion(CONTRADICTION_OVERRULED)) == "supported"


def test_a_name_no_source_writes_is_never_rescued_by_the_model():
    assert combine("unsupported", Opinion(0.99), absent_name="CodePipeline") == "unsupported"
    answer = "Amazon Macie se integra con AWS CodePipeline para detectar datos confidenciales [2]."
    result = ground(answer, SOURCES, scripted({"Macie": 0.95}))
    assert "CodePipeline not in the sources" in result.verdicts[0].reason and "not taken" in result.verdicts[0].reason
    assert result.verdicts[0].label == "unsupported" and "(no está en el curso)" in result.text
    # an acronym of a name the slide writes in full, even wrapped over two lines, is no absent name
    slide = Source("red.pdf", 3, "Redes", "Amazon Virtual\nPrivate Cloud\nRed virtual aislada en AWS", 0.0)
    acronym = ground("La VPC es una red virtual aislada en AWS [1].", [slide], scripted({"VPC": 0.7}))
    assert acronym.verdicts[0].label == "supported" and acronym.cited == [1]


def test_the_model_rescues_a_paraphrase_and_rejects_what_word_overlap_accepted():
    answer = (
        "Con Top-K solo compiten los K candidatos que el modelo ve como más probables [1]. "
        "La temperatura controla el grado de aleatoriedad en la selección final [1]."
    )
    without = ground(answer, SOURCES)
    verify = scripted({"compiten": 0.95, "aleatoriedad": 0.2})
    result = ground(answer, SOURCES, verify)
    assert len(verify.asked) == 2  # one question per judged sentence
    assert [v.label for v in without.verdicts] == ["unsupported", "supported"]
    assert [v.label for v in result.verdicts] == ["supported", "unsupported"]
    assert result.text.startswith("Con Top-K solo compiten los K candidatos que el modelo ve como más probables [1].")
    assert result.text.endswith("en la selección final (no está en el curso).")
    assert "model says" in result.verdicts[0].reason


def test_a_contradicted_sentence_stays_dropped_unless_the_model_is_sure():
    answer = "AWS PrivateLink envía el tráfico de la VPC a través de internet pública [2]."
    result = ground(answer, SOURCES, scripted({"PrivateLink": CONTRADICTION_OVERRULED - 0.05}))
    assert [v.label for v in result.verdicts] == ["contradicted"] and result.text == ""


def test_the_question_to_the_model_reuses_the_answer_prompts_cached_prefix():
    llm = FakeLLM(template=CHAT)
    plan = build_prompt(
        "¿Qué es Top-K?", SOURCES, "es", llm.tokenize, llm.detokenize, 2048, 128, style="chat",
        template=llm.render_chat, course_name="IA",
    )  # fmt: skip
    asked = llm.render_chat(verification_messages("Top-K limita la elección.", plan.sources, "IA"))
    answered = llm.detokenize(plan.tokens)
    shared = next(i for i, (a, b) in enumerate(zip(asked, answered, strict=False)) if a != b)
    assert answered[:shared].endswith('"""\n\n')  # system prompt and every source block are shared
    assert "Top-K" in asked[shared:] and "Yes or No" in asked[shared:]


def test_verifier_asks_the_model_with_a_yes_no_choice():
    llm = FakeLLM(template=CHAT)
    llm.preferred = "No"
    opinion = verifier_for(llm, SOURCES, "IA")("Top-K limita la elección a los K tokens más probables.")
    assert opinion.says < 0.5
    assert "Top-K limita la elección" in llm.completions[-1]
