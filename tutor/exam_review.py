"""Practice exam questions in the student's review: the same per-topic scores as the practice quiz.

A pasted question comes without its key, so nothing is recorded until the student says two things: which
option they answered in their practice test (``mine``) and which one the test's key gives as right (``key``;
picking the tutor's own choice is how the student confirms it). The result, right or wrong, goes into
:class:`tutor.quiz.ScoreBook` under the topic of the deciding slide, the slide that backs the right option
(else the best retrieved slide), so «Repasar lo que fallé» / ``tutor quiz --review`` covers both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.quiz.questions import Question
from tutor.quiz.scores import ScoreBook
from tutor.types import Source

KIND = "exam"  # Question.kind of a recorded practice exam question


@dataclass
class ExamRecord:
    correct: bool
    topic: str
    source: Source | None  # the deciding slide


def parse_letters(text: str, practice: dict) -> list[int]:
    """0-based options named by ``text`` («B», «a,c», «2», «AC»), by the practice question's labels.

    Raises ValueError (Spanish) for a label that is not an option."""
    labels = [str(label).upper() for label in practice.get("labels") or []]
    tokens = re.findall(r"\d+|[A-Za-z]", text or "")
    picked = []
    for token in tokens:
        if token.upper() not in labels:
            shown = ", ".join(labels)
            raise ValueError(f"«{token}» no es una de las opciones de la pregunta ({shown}).")
        picked.append(labels.index(token.upper()))
    if not picked:
        raise ValueError("Indica una opción por su letra, por ejemplo B.")
    return sorted(set(picked))


def deciding_source(practice: dict, sources: list[Source], key: list[int]) -> Source | None:
    """The slide that backs the right option(s), else the best retrieved slide."""
    for i in key:
        for cite in practice["per_option"][i]["citations"] if i < len(practice["per_option"]) else []:
            if 1 <= cite["n"] <= len(sources):
                return sources[cite["n"] - 1]
    return sources[0] if sources else None


def record_practice(
    book: ScoreBook, course: str, practice: dict, sources: list[Source], mine: list[int], key: list[int]
) -> ExamRecord:
    """Record the student's answer ``mine`` to a practice question whose right option(s) are ``key``."""
    n = len(practice["options"])
    if not key or not mine or any(not 0 <= i < n for i in [*key, *mine]):
        raise ValueError("Indica tu respuesta y la correcta entre las opciones de la pregunta.")
    source = deciding_source(practice, sources, key)
    right = "; ".join(practice["options"][i] for i in sorted(key))
    question = Question(
        kind=KIND,
        question=practice["stem"],
        options=list(practice["options"]),
        answer=right,
        file=source.file if source else "",
        page=source.page if source else 0,
        title=source.title if source else "",
        explanation=source.text[:400] if source else "",
        source="exam",
    )
    correct = sorted(set(mine)) == sorted(set(key))
    book.record(course, question, correct)
    return ExamRecord(correct, question.topic, source)


def record_message(record: ExamRecord) -> str:
    """What the student reads once a result is recorded (Spanish)."""
    outcome = "acertada" if record.correct else "fallada"
    where = f" ({record.source.label()})" if record.source else ""
    return f"Anotada como {outcome} en tu repaso, en el tema «{record.topic}»{where}."


def mark(practice: dict, who: str, option: int) -> tuple[list[int], list[int]] | None:
    """Toggle ``option`` in the student's answer (``who`` = ``"mine"``) or in the key (``"key"``) of a practice
    question shown in the window (kept in ``practice["review"]``). Returns ``(mine, key)`` once both hold as many
    options as the question asks for and nothing was recorded yet; else None."""
    review = practice.setdefault("review", {"mine": [], "key": []})
    if review.get("recorded") or who not in ("mine", "key") or not 0 <= option < len(practice.get("options", [])):
        return None
    picked = review.setdefault(who, [])
    if option in picked:
        picked.remove(option)
    else:
        picked.append(option)
        del picked[: -practice.get("choose", 1)]
    n = practice.get("choose", 1)
    if len(review.get("mine", [])) == n and len(review.get("key", [])) == n:
        return sorted(review["mine"]), sorted(review["key"])
    return None
