"""Pages of practice questions ask; they do not assert.

A course's «verificación de conocimientos» page lists exam questions with their options (A. … D.) and, at
best, a key the PDF scrambles. It shares many words with a student's question, so retrieval ranks it high,
but it cannot back an answer: its options are as often wrong as right. Such a page is left out of an
answer's prompt (:func:`explaining`), so the model reads, cites and quotes the pages that explain, and put
last among a pasted practice question's sources (:func:`asserting_first`); it stays in the search results.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from tutor.types import Source

_OPTION = re.compile(r"^[\s\-•*]*\(?([A-Ea-e])[.)]\s+\S")
_ASKS = re.compile(r"\?\s*$|¿")
MIN_LETTERS = 3  # options A, B, C at least: a question's choices, not a two-item list
MIN_OPTION_SHARE = 0.25  # of the page's lines: a page that mostly lists choices


def is_exercise(text: str) -> bool:
    """Whether ``text`` is mostly multiple-choice questions: lettered options (A–E, three letters or more)
    on at least a quarter of its lines, and a question."""
    lines = [line for line in text.splitlines() if line.strip()]
    options = [m.group(1).upper() for line in lines if (m := _OPTION.match(line))]
    return (
        len(set(options)) >= MIN_LETTERS
        and len(options) >= MIN_OPTION_SHARE * len(lines)
        and any(_ASKS.search(line) for line in lines)
    )


def explaining(sources: list[Source], exercises: Collection[tuple[str, int]]) -> list[Source]:
    """``sources`` without the pages in ``exercises`` (``(file, page)`` keys), unless that leaves none."""
    return _not_in(sources, exercises) or list(sources)


def asserting_first(sources: list[Source], exercises: Collection[tuple[str, int]]) -> list[Source]:
    """``sources`` in the same order, except that the pages in ``exercises`` (``(file, page)`` keys of
    practice-question pages, judged on the whole page) go after all the others."""
    kept = _not_in(sources, exercises)
    return kept + [s for s in sources if s not in kept]


def _not_in(sources: list[Source], exercises: Collection[tuple[str, int]]) -> list[Source]:
    return [s for s in sources if (s.file, s.page) not in exercises]
