"""Which sources an instruction-tuned model reads, and how much of them (tutor/excerpts.py)."""

from tests.conftest import FakeLLM
from tutor.excerpts import excerpt_sources, near_the_best
from tutor.types import Source

CHAT_TEMPLATE = "{% for m in messages %}<|{{ m.role }}|>{{ m.content }}{% endfor %}<|assistant|>"


def _page(page: int, score: float, text: str = "texto") -> Source:
    return Source("deck.pdf", page, f"Título {page}", text, score)


def test_a_source_far_weaker_than_the_best_one_is_not_read():
    sources = [_page(1, 4.0), _page(2, 3.2), _page(3, 2.0), _page(4, 1.0)]
    assert [s.page for s in near_the_best(sources, 0.6)] == [1, 2]  # 2.0 is under 60 % of 4.0
    assert [s.page for s in near_the_best(sources, 0.4)] == [1, 2, 3]


def test_without_a_positive_best_score_every_source_is_kept():
    sources = [_page(1, 0.0), _page(2, -0.5)]
    assert near_the_best(sources) == sources
    assert near_the_best([]) == []


def test_excerpts_keep_the_sentences_that_share_the_questions_words_best_source_first():
    slide = "La temperatura controla la aleatoriedad. Top-p limita los tokens candidatos. El examen dura 90 minutos."
    other = "Top-k fija cuántos tokens se consideran. Nada más."
    count = lambda text: len(text.split())  # noqa: E731
    (first,) = excerpt_sources("¿Qué es top-p?", [_page(1, 3.0, slide), _page(2, 2.5, other)], count, 12)
    assert first.page == 1 and "Top-p limita los tokens candidatos." in first.text
    assert "90 minutos" not in first.text  # over the budget and unrelated; page 2 shares no word, so it is out


def test_the_chat_prompt_leaves_out_a_page_far_weaker_than_the_best(tutor_factory):
    chat = FakeLLM(["La temperatura controla la aleatoriedad [1]."], template=CHAT_TEMPLATE)
    tutor = tutor_factory(chat)
    ranked = tutor.search("¿Qué controla la temperatura?").sources
    weak = [s for s in ranked[:3] if s.score < 0.6 * ranked[0].score]
    assert ranked[0].score > 0 and weak  # the sample course has such a page for this question
    answer = tutor.ask("¿Qué controla la temperatura?")
    read = {(s.file, s.page) for s in answer.sources}
    assert (ranked[0].file, ranked[0].page) in read
    assert not read & {(s.file, s.page) for s in weak}
