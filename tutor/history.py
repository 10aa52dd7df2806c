"""Saved conversations: every turn written to ``history.sqlite`` in the data dir as it happens.

The question is committed when its turn opens and the answer when it finishes (one transaction each, WAL
journal), so a process killed mid-answer loses that answer only. A stored answer is ``Answer.to_dict()``,
enough to show its text, sources, citations and passages again (:func:`answer_from_dict`).
"""

from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from tutor.answer import Answer
from tutor.conversation import Conversation, Turn
from tutor.paths import data_dir
from tutor.text import fold
from tutor.types import Source

log = logging.getLogger(__name__)

TITLE_CHARS = 80
INTERRUPTED = "Sin respuesta: el tutor se cerró o falló antes de terminarla."

SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    course TEXT NOT NULL DEFAULT '',
    model TEXT NOT NULL DEFAULT '',
    params_json TEXT NOT NULL DEFAULT '{}',
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS turns (
    conversation_id INTEGER NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    question TEXT NOT NULL,
    answer_json TEXT,
    created REAL NOT NULL,
    PRIMARY KEY (conversation_id, position)
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations(updated);
"""


class ConversationNotFound(ValueError):
    """No saved conversation has that number (Spanish message, for the student)."""


@dataclass(frozen=True)
class ConversationInfo:
    """One saved conversation as listed: what it is about, where, with what, and how long."""

    id: int
    title: str
    course: str  # the course folder it was asked in
    model: str  # the GGUF file of its last generated answer
    params: dict
    created: float  # seconds since the epoch
    updated: float
    turns: int

    @property
    def course_name(self) -> str:
        return Path(self.course).name if self.course else ""

    def to_dict(self) -> dict:
        """The ``tutor history --json`` row."""
        return {
            "id": self.id,
            "title": self.title,
            "course": self.course,
            "model": self.model,
            "created": local_time(self.created).isoformat(timespec="seconds"),
            "turns": self.turns,
        }


@dataclass
class SavedConversation:
    """A conversation read back: its listing row and its turns, finished or not, in order."""

    info: ConversationInfo
    turns: list[Turn] = field(default_factory=list)


def local_time(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds).astimezone()


def short_date(seconds: float) -> str:
    """``14/03/2025 10:02`` in local time, as the list shows it."""
    return local_time(seconds).strftime("%d/%m/%Y %H:%M")


def make_title(question: str) -> str:
    """A conversation's title: its first question on one line, cut at a word near 80 characters."""
    text = " ".join(question.split())
    if len(text) <= TITLE_CHARS:
        return text
    return text[:TITLE_CHARS].rsplit(" ", 1)[0].rstrip(" ,.;:") + "…"


def answer_from_dict(data: dict) -> Answer:
    """An :class:`Answer` rebuilt from its ``to_dict()`` (sources, citations and texts as they were)."""
    fields = Source.__dataclass_fields__
    sources = [Source(**{k: v for k, v in s.items() if k in fields}) for s in data.get("sources", [])]
    answer = Answer(
        data.get("question", ""),
        data.get("answer", ""),
        bool(data.get("abstained", False)),
        sources,
        [c["n"] for c in data.get("citations", []) if 1 <= c.get("n", 0) <= len(sources)],
        data.get("params", {}),
        data.get("language", "es"),
    )
    for name in ("timings", "usage", "stopped_reason", "context", "kind", "generated_text", "extract", "model"):
        if name in data:
            setattr(answer, name, data[name])
    answer.grounded_share = float(data.get("grounded_share", 0.0))
    return answer


class HistoryStore:
    """The saved conversations of every course, in ``<data dir>/history.sqlite`` (thread-safe)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path else data_dir() / "history.sqlite"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=10)
        self._db.create_function("fold", 1, lambda s: fold(s) if s else "", deterministic=True)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")  # WAL: a killed process never loses a commit
        self._db.execute("PRAGMA foreign_keys=ON")
        with self._write() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One transaction: committed on success, rolled back on an error."""
        with self._lock, self._db:
            yield self._db

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # ----- writing (called by Conversation as turns open and close) ----------------------------------
    def create(self, title: str, course: str = "") -> int:
        """A new, empty conversation; returns its number."""
        now = time.time()
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO conversations (title, course, created, updated) VALUES (?, ?, ?, ?)",
                (make_title(title) or "Conversación", course, now, now),
            )
            return int(cur.lastrowid)

    def add_question(self, conversation_id: int, question: str) -> int:
        """Save a turn's question as it opens (its answer still unknown) after the conversation's last turn,
        even one another process added meanwhile; returns the turn's position."""
        now = time.time()
        with self._write() as db:
            cur = db.execute(
                "INSERT INTO turns (conversation_id, position, question, answer_json, created) VALUES (?, "
                "(SELECT COALESCE(max(position) + 1, 0) FROM turns WHERE conversation_id = ?), ?, NULL, ?)",
                (conversation_id, conversation_id, question, now),
            )
            (position,) = db.execute("SELECT position FROM turns WHERE rowid = ?", (cur.lastrowid,)).fetchone()
            db.execute("UPDATE conversations SET updated = ? WHERE id = ?", (now, conversation_id))
        return int(position)

    def save_answer(self, conversation_id: int, position: int, answer: Answer) -> None:
        """Save a finished turn's answer; the conversation takes the answer's model and parameters."""
        now = time.time()
        with self._write() as db:
            db.execute(
                "UPDATE turns SET answer_json = ? WHERE conversation_id = ? AND position = ?",
                (json.dumps(answer.to_dict(), ensure_ascii=False), conversation_id, position),
            )
            db.execute(
                "UPDATE conversations SET updated = ?, params_json = ?, model = CASE WHEN ? = '' THEN model "
                "ELSE ? END WHERE id = ?",
                (now, json.dumps(answer.params, ensure_ascii=False), answer.model, answer.model, conversation_id),
            )

    def rename(self, conversation_id: int, title: str) -> None:
        title = " ".join(title.split())
        if not title:
            raise ValueError("El título de la conversación no puede estar vacío.")
        with self._write() as db:
            cur = db.execute("UPDATE conversations SET title = ? WHERE id = ?", (title, conversation_id))
        if cur.rowcount == 0:
            raise self._missing(conversation_id)

    def delete(self, conversation_id: int) -> None:
        with self._write() as db:
            db.execute("DELETE FROM turns WHERE conversation_id = ?", (conversation_id,))
            cur = db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))
        if cur.rowcount == 0:
            raise self._missing(conversation_id)

    # ----- reading ------------------------------------------------------------------------------------
    def conversations(self, search: str = "", course: str | None = None) -> list[ConversationInfo]:
        """Conversations, most recently used first; ``search`` (accents and case ignored) matches their
        titles, questions and answers; ``course`` keeps one course's only."""
        where, args = [], []
        if course is not None:
            where.append("c.course = ?")
            args.append(course)
        needle = fold(search.strip())
        if needle:
            where.append(
                "(instr(fold(c.title), ?) OR EXISTS (SELECT 1 FROM turns s WHERE s.conversation_id = c.id AND "
                "(instr(fold(s.question), ?) OR instr(fold(json_extract(s.answer_json, '$.answer')), ?))))"
            )
            args += [needle] * 3
        sql = (
            "SELECT c.id, c.title, c.course, c.model, c.params_json, c.created, c.updated, "
            "(SELECT count(*) FROM turns t WHERE t.conversation_id = c.id) FROM conversations c"
            + (" WHERE " + " AND ".join(where) if where else "")
            + " ORDER BY c.updated DESC, c.id DESC"
        )
        with self._lock:
            rows = self._db.execute(sql, args).fetchall()
        return [_info(row) for row in rows]

    def info(self, conversation_id: int) -> ConversationInfo:
        with self._lock:
            row = self._db.execute(
                "SELECT c.id, c.title, c.course, c.model, c.params_json, c.created, c.updated, "
                "(SELECT count(*) FROM turns t WHERE t.conversation_id = c.id) FROM conversations c WHERE c.id = ?",
                (conversation_id,),
            ).fetchone()
        if row is None:
            raise self._missing(conversation_id)
        return _info(row)

    def get(self, conversation_id: int) -> SavedConversation:
        """A conversation and its turns; an answer lost to a crash leaves its turn open, with a note."""
        info = self.info(conversation_id)
        with self._lock:
            rows = self._db.execute(
                "SELECT position, question, answer_json FROM turns WHERE conversation_id = ? ORDER BY position",
                (conversation_id,),
            ).fetchall()
        turns = []
        for position, question, answer_json in rows:
            if answer_json is None:
                turns.append(Turn(question, notes=[INTERRUPTED], saved=position))
                continue
            result = answer_from_dict(json.loads(answer_json))
            turns.append(Turn(question, result=result, sources=list(result.sources), saved=position))
        return SavedConversation(info, turns)

    def open(self, conversation_id: int) -> Conversation:
        """The conversation to continue: its turns, saved here as new ones are asked."""
        saved = self.get(conversation_id)
        chat = Conversation(store=self, conversation_id=conversation_id, course=saved.info.course)
        chat.turns.extend(saved.turns)
        for turn in reversed(saved.turns):  # the last prompt's sources come first in the next one
            if turn.result is not None and not turn.result.abstained and turn.result.sources:
                chat.prompt_sources = [(s.file, s.page) for s in turn.result.sources]
                break
        return chat

    @staticmethod
    def _missing(conversation_id: int) -> ConversationNotFound:
        return ConversationNotFound(
            f"No hay ninguna conversación guardada con el número {conversation_id} (míralas con «tutor history»)."
        )


def _info(row: tuple) -> ConversationInfo:
    cid, title, course, model, params_json, created, updated, turns = row
    return ConversationInfo(cid, title, course, model, json.loads(params_json or "{}"), created, updated, turns)
