"""A practice quiz: questions from the slides, ordered by the score book, optionally rewritten by a model."""

from __future__ import annotations

import random
from pathlib import Path

from tutor.course import CourseInfo
from tutor.quiz.questions import Question, Slide, question_from_model, questions_from_slides
from tutor.quiz.scores import ScoreBook, order_for_practice
from tutor.text import fold

MODEL_MIN_BYTES = 900_000_000  # below this (like the packaged 270M base model) questions come from the slides


def _course_info(course: str) -> CourseInfo:
    """The course folder's :class:`CourseInfo` when ``course`` names a folder, else none."""
    return CourseInfo.load(course) if course and Path(course).is_dir() else CourseInfo()


def build_quiz(
    slides: list[Slide],
    n: int = 5,
    topic: str = "",
    review: bool = False,
    seed: int | None = None,
    course: str = "",
    book: ScoreBook | None = None,
    llm=None,
    course_info: CourseInfo | None = None,
) -> list[Question]:
    """``n`` questions for practice, one per slide at most, optionally on one topic (title or file).

    ``course`` keys the scores (the course folder); ``course_info`` defaults to that folder's
    ``course.toml`` (or its name alone).
    """
    rng = random.Random(seed)
    chosen = slides
    if topic:
        wanted = fold(topic)
        chosen = [s for s in slides if wanted in fold(s.title) or wanted in fold(s.file) or wanted in fold(s.text)]
    pool = questions_from_slides(slides, seed=seed or 0, course=course_info or _course_info(course))
    by_key = {(s.file, s.page): s for s in chosen}
    candidates = [q for q in pool if (q.file, q.page) in by_key]
    boxes = book.boxes(course) if book else {}
    ordered = order_for_practice(candidates, boxes, review, rng)
    quiz: list[Question] = []
    used: set[tuple[str, int]] = set()
    answers: set[str] = set()
    for distinct_answers in (True, False):  # first one question per answer, then repeats if still short
        for question in ordered:
            if len(quiz) == n:
                break
            if (question.file, question.page) in used or (distinct_answers and fold(question.answer) in answers):
                continue
            if llm is not None:
                question = question_from_model(llm, by_key[(question.file, question.page)]) or question
            used.add((question.file, question.page))
            answers.add(fold(question.answer))
            quiz.append(question)
    return quiz
