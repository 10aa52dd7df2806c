"""A practice exam question in the window: choice and verdicts shown, the review recorded from its links."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")

from PySide6.QtCore import QUrl  # noqa: E402

from tests.conftest import FakeLLM  # noqa: E402
from tests.test_gui import _ask, make_window  # noqa: E402, F401 - the window fixture
from tests.test_practice_exam import TOP_P  # noqa: E402
from tutor.quiz import ScoreBook  # noqa: E402


def test_window_shows_the_estimate_and_records_the_review(make_window, qtbot):  # noqa: F811
    window = make_window(FakeLLM())
    ask = window.ask_view
    _ask(qtbot, window, TOP_P)
    text = ask.conversation.toPlainText()
    assert "Estimación a partir de las diapositivas" in text
    assert "Respuesta (estimación a partir de las diapositivas" in text and "B. Top-p" in text
    assert "Para tu repaso" in text and "(el tutor dice B)" in text
    assert ask.sources_list.count() == len(ask.turns[0].result.sources) > 0
    ask.conversation.anchorClicked.emit(QUrl("exam:0:mine:0"))
    assert "Anotada" not in ask.conversation.toPlainText()  # the key is still missing, and it says so
    assert "Marca también la correcta según tu clave para anotarla." in ask.conversation.toPlainText()
    ask.conversation.anchorClicked.emit(QUrl("exam:0:key:1"))
    assert "Anotada como fallada en tu repaso" in ask.conversation.toPlainText()
    scores = ScoreBook().topic_scores(str(window.tutor.corpus))
    assert [wrong for _, _, wrong in scores] == [1]
    ask.conversation.anchorClicked.emit(QUrl("exam:0:key:0"))  # recorded once only
    assert sum(w for _, _, w in ScoreBook().topic_scores(str(window.tutor.corpus))) == 1


def test_the_slide_shown_is_the_one_the_chosen_option_is_quoted_from():
    """Seen in the window: a practice answer showed its first source (Feature Store's slide, which decided nothing
    for the chosen Clarify) instead of the slide the chosen option's verdict quotes."""
    from tutor.answer import Answer
    from tutor.gui.ask_view import best_cited
    from tutor.types import Source

    sources = [Source("s.pdf", page, "", "texto", score) for page, score in ((11, 0.9), (10, 0.8), (12, 0.5))]
    answer = Answer("¿P?\nA. X\nB. Y", "…", False, sources, [1, 2, 3], {}, "es", kind="practice")
    answer.practice = {
        "per_option": [
            {"verdict": "correct", "citations": [{"n": 2, "file": "s.pdf", "page": 10}]},
            {"verdict": "incorrect", "citations": [{"n": 1, "file": "s.pdf", "page": 11}]},
        ]
    }
    assert best_cited(answer) == 2
    answer.practice = None  # an ordinary answer: the best-ranked source it cites
    assert best_cited(answer) == 1
