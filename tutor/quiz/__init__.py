"""Practice quizzes built from the course's slides, each question cited to its slide.

* :mod:`.questions`: questions from the slide text or from a model, the quality bar, grading;
* :mod:`.terms`: which terms are worth asking about (course-specific words come from :mod:`tutor.course`);
* :mod:`.scores`: per-topic scores and Leitner boxes in ``quiz.sqlite``, the practice order;
* :mod:`.practice`: :func:`build_quiz`, which puts them together.
"""

from tutor.quiz.practice import MODEL_MIN_BYTES, build_quiz
from tutor.quiz.questions import (
    BLANK,
    MODEL_PROMPT,
    Fact,
    Question,
    Slide,
    extract_facts,
    grade,
    is_valid,
    logical_lines,
    question_from_model,
    questions_from_slides,
    slides_from_chunks,
)
from tutor.quiz.scores import BOX_DAYS, ScoreBook, order_for_practice
from tutor.quiz.terms import GENERIC, is_good_term

__all__ = [
    "BLANK",
    "BOX_DAYS",
    "GENERIC",
    "MODEL_MIN_BYTES",
    "MODEL_PROMPT",
    "Fact",
    "Question",
    "ScoreBook",
    "Slide",
    "build_quiz",
    "extract_facts",
    "grade",
    "is_good_term",
    "is_valid",
    "logical_lines",
    "order_for_practice",
    "question_from_model",
    "questions_from_slides",
    "slides_from_chunks",
]
