"""Which sources an instruction-tuned model reads, and how much of them (tutor/excerpts.py)."""

from tutor.excerpts import excerpt_sources
from tutor.types import Source


def _page(page: int, score: float, text: str = "texto") -> Source:
    return Source("deck.pdf", page, f"Título {page}", text, score)


def test_excerpts_keep_the_sentences_that_share_the_questions_words_best_source_first():
    slide = "La temperatura controla la aleatoriedad. Top-p limita los tokens candidatos. El examen dura 90 minutos."
    other = "Top-k fija cuántos tokens se consideran. Nada más."
    count = lambda text: len(text.split())  # noqa: E731
    (first,) = excerpt_sources("¿Qué es top-p?", [_page(1, 3.0, slide), _page(2, 2.5, other)], count, 12)
    assert first.page == 1 and "Top-p limita los tokens candidatos." in first.text
    assert "90 minutos" not in first.text  # over the budget and unrelated; page 2 shares no word, so it is out
