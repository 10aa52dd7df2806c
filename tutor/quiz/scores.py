"""Quiz scores and scheduling: per-topic scores and a Leitner box per question in ``quiz.sqlite``.

Reviewing puts the questions of missed topics first (a miss sends a question back to box 1); otherwise
unseen and due questions come before those answered right recently.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tutor.paths import data_dir
from tutor.quiz.questions import Question

# Days before a question in each Leitner box comes back (box 1 = missed: at once).
BOX_DAYS = {1: 0.0, 2: 1.0, 3: 3.0, 4: 7.0, 5: 21.0}


@dataclass
class ScoreBook:
    """Per-question Leitner boxes and per-topic scores in ``quiz.sqlite`` (data dir)."""

    path: Path = field(default_factory=lambda: data_dir() / "quiz.sqlite")

    def __post_init__(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._db() as con:
            con.executescript(
                """
                CREATE TABLE IF NOT EXISTS answers (
                    ts REAL, course TEXT, qid TEXT, topic TEXT, file TEXT, page INTEGER, correct INTEGER);
                CREATE TABLE IF NOT EXISTS boxes (
                    course TEXT, qid TEXT, topic TEXT, box INTEGER, last REAL, PRIMARY KEY (course, qid));
                """
            )

    @contextmanager
    def _db(self) -> Iterator[sqlite3.Connection]:
        """A connection that commits on success and is always closed."""
        with closing(sqlite3.connect(str(self.path), timeout=5)) as con, con:
            yield con

    def record(self, course: str, question: Question, correct: bool) -> None:
        """Store an answer; a right one moves the question up a box, a miss sends it back to box 1."""
        now = time.time()
        with self._db() as con:
            con.execute(
                "INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                (now, course, question.qid, question.topic, question.file, question.page, int(correct)),
            )
            row = con.execute("SELECT box FROM boxes WHERE course=? AND qid=?", (course, question.qid)).fetchone()
            box = min(5, (row[0] if row else 1) + 1) if correct else 1
            con.execute(
                "INSERT OR REPLACE INTO boxes VALUES (?, ?, ?, ?, ?)", (course, question.qid, question.topic, box, now)
            )

    def topic_scores(self, course: str) -> list[tuple[str, int, int]]:
        """``(topic, right, wrong)`` per topic, the most missed first."""
        with self._db() as con:
            rows = con.execute(
                "SELECT topic, SUM(correct), SUM(1 - correct) FROM answers WHERE course=? GROUP BY topic",
                (course,),
            ).fetchall()
        return sorted(((t, int(r), int(w)) for t, r, w in rows), key=lambda x: (-x[2], x[0]))

    def boxes(self, course: str) -> dict[str, tuple[int, float, str]]:
        """``qid -> (box, last answered, topic)`` for a course."""
        with self._db() as con:
            rows = con.execute("SELECT qid, box, last, topic FROM boxes WHERE course=?", (course,)).fetchall()
        return {qid: (box, last, topic) for qid, box, last, topic in rows}


def order_for_practice(
    questions: list[Question], boxes: dict[str, tuple[int, float, str]], review: bool, rng: random.Random
) -> list[Question]:
    """Missed topics first when reviewing; otherwise unseen and due questions before recent ones."""
    now = time.time()
    missed_topics = {topic for box, _, topic in boxes.values() if box == 1}

    def rank(question: Question) -> tuple:
        box, last, _ = boxes.get(question.qid, (0, 0.0, ""))
        due = box == 0 or now - last >= BOX_DAYS.get(box, 0.0) * 86400
        missed = question.topic in missed_topics
        if review:
            return (not missed, box != 1, not due, rng.random())
        return (not due, box, rng.random())

    ordered = sorted(questions, key=rank)
    if review:
        ordered = [q for q in ordered if q.topic in missed_topics] or ordered
    return ordered
