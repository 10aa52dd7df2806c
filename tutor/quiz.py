"""Practice quizzes built from the course's slides, each question cited to its slide.

Two ways to write questions:

* from the slide text itself (works with any model, even none): definitions ("Término: …",
  "X es un …") become multiple-choice questions whose distractors are terms defined on other slides,
  and key sentences become fill-in-the-blank questions about the term they name;
* with a capable instruction-tuned model, the model writes a question and distractors from a
  retrieved slide; a model question is kept only if its answer is on the slide, else the slide-text
  question is used.

Scores are kept per topic (the slide title) in ``quiz.sqlite`` in the data dir; reviewing puts the
questions of missed topics first (a Leitner box per question: a miss sends it back to box 1).
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
import time
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path

from tutor.paths import data_dir
from tutor.text import STOPWORDS, detect_language, fold, named_terms
from tutor.types import Chunk, Source

BLANK = "_____"
_DEFINITION = [
    re.compile(r"^(?P<term>[^:.;?¿!¡]{2,60}?)\s*[:—–]\s+(?P<definition>[^\n]{20,300})$"),
    re.compile(
        r"^(?P<term>[A-ZÁÉÍÓÚÑ][\w\-/()]*(?:\s+[\w\-/()]+){0,5}?)\s+(?:es|son)\s+"
        r"(?P<definition>(?:un|una|el|la|los|las|lo)\s[^\n]{15,300})$"
    ),
]
_SENTENCE = re.compile(r"[^.!?]+[.!?]?")
# Slide labels that are not terms worth a question.
GENERIC = frozenset(
    """
    ventajas desventajas problemas problema proceso concepto clave conceptos ejemplo ejemplos nota notas resumen
    objetivo objetivos importante definicion definiciones caracteristicas caracteristica beneficios beneficio
    limitaciones limitacion retos reto tipos tipo pasos paso casos uso usos fuente fuentes pregunta preguntas
    respuesta respuestas consejo consejos idea ideas tema temas punto puntos recuerda atencion aplicacion
    aplicaciones funcion funciones estas estos esta este un una el la los las dominio tarea examen curso
    sesion semana modulo leccion parte introduccion conclusion
    funcionamiento escenario escenarios recursos recurso metricas metrica producto servicio servicios descripcion
    """.split()
) | {"ejemplo conocido", "consideracion practica", "diferencia clave", "este producto", "casos de uso"}
_NUMBERED_LABEL = re.compile(r"^(semana|sesion|dominio|modulo|tema|parte|paso|leccion|capitulo)\s*\d", re.I)
_ARTICLE = re.compile(r"^(?:un|una|el|la|los|las|lo)\s+", re.I)
_DEMONSTRATIVE = re.compile(r"^(?:este|esta|estos|estas|ese|esa|esos|esas|aquel|aquella|dicho|dicha)\b", re.I)


@dataclass
class Question:
    """One practice question, with the slide it comes from."""

    kind: str  # multiple_choice | fill_blank
    question: str
    options: list[str]
    answer: str
    file: str
    page: int
    title: str
    explanation: str = ""  # the slide passage that answers it
    source: str = "slides"  # slides | model

    @property
    def qid(self) -> str:
        key = f"{self.kind}|{self.file}|{self.page}|{fold(self.answer)}|{fold(self.question)[:80]}"
        return hashlib.sha1(key.encode()).hexdigest()[:16]

    def as_source(self) -> Source:
        """The slide that answers it, as a retrieved source (to cite it and to show it)."""
        kind = "pdf" if self.file.lower().endswith(".pdf") else "text"
        return Source(self.file, self.page, self.title, self.explanation, 1.0, kind, section=self.title)

    def label(self) -> str:
        """Where the answer is, as the student sees citations: ``archivo.pdf, diapositiva 12``."""
        return self.as_source().label()

    @property
    def topic(self) -> str:
        return self.title or f"{self.file} p. {self.page}"

    def to_dict(self) -> dict:
        data = asdict(self)
        data["id"] = self.qid
        data["topic"] = self.topic
        return data


@dataclass
class Slide:
    file: str
    page: int
    title: str
    text: str
    kind: str = "pdf"

    @cached_property
    def lines(self) -> list[str]:
        """The slide's logical lines (read once: definitions, terms and sentences all use them)."""
        return logical_lines(self.text)


@dataclass
class Fact:
    """A term and what the slide says about it."""

    term: str
    definition: str
    slide: Slide


def slides_from_chunks(chunks: Iterable[Chunk]) -> list[Slide]:
    """One slide per (file, page), its chunks joined back (overlaps dropped)."""
    slides: dict[tuple[str, int], Slide] = {}
    for chunk in chunks:
        key = (chunk.file, chunk.page)
        if key not in slides:
            slides[key] = Slide(chunk.file, chunk.page, chunk.title, chunk.text, chunk.kind)
        elif chunk.text not in slides[key].text:
            slides[key].text += "\n" + chunk.text
    return list(slides.values())


def logical_lines(text: str) -> list[str]:
    """Lines of a slide with PDF line wraps undone (a line continued in lower case joins the previous one)."""
    lines: list[str] = []
    for raw in text.splitlines():
        line = re.sub(r"^[-•*]\s*", "", raw.strip())
        if not line:
            continue
        if lines and line[0].islower() and not lines[-1].endswith((".", ":", "?", "!")):
            lines[-1] += " " + line
        else:
            lines.append(line)
    return lines


def is_good_term(term: str, defined: bool = False) -> bool:
    """A term worth asking about: not a slide label or a function word, some letters, not too long.

    A term a slide defines (``X: …``) may be lower case; a term picked from running text must look like
    a name (capital letter, acronym, mixed case).
    """
    words = term.split()
    if not 1 <= len(words) <= 5 or sum(ch.isalpha() for ch in term) < 2 or len(term) > 45:
        return False
    if fold(term) in GENERIC or all(fold(w) in GENERIC or fold(w) in STOPWORDS for w in words):
        return False
    if _NUMBERED_LABEL.match(fold(term)) or _DEMONSTRATIVE.match(term) or "<" in term or ">" in term:
        return False
    if fold(words[0]) in STOPWORDS and not words[0].isupper():  # "Es un filtro…", "Se usa…"
        return False
    if term.count("(") != term.count(")") or term.count("«") != term.count("»"):
        return False  # the end of a wrapped line: "Feedback, RLHF)"
    return defined or term[0].isupper() or term[0].isdigit() or any(ch.isupper() for ch in term[1:])


def _clean_term(term: str) -> str:
    term = re.sub(r"<[^>]*>|\\|\*", "", term)
    term = re.sub(r"^[-•*\d.)\s]+", "", term).strip(" *_\"'«»")
    return _ARTICLE.sub("", term)


def extract_facts(slide: Slide) -> list[Fact]:
    """Definitions on a slide: ``Término: definición`` lines and ``X es un/una …`` sentences."""
    facts = []
    for line in slide.lines:
        for pattern in _DEFINITION:
            match = pattern.match(line)
            if not match:
                continue
            term, definition = _clean_term(match.group("term")), match.group("definition").strip()
            definition = re.split(r"(?<=[.!?])\s+(?=[A-ZÁÉÍÓÚÑ¿¡])", definition)[0]  # its first sentence
            if not is_good_term(term, defined=True) or fold(term) in fold(definition):
                continue
            last_word = fold(definition.rstrip(" .").split()[-1])
            if definition.endswith((":", ",", ";")) or ": " in definition or not definition[0].isalnum():
                continue  # an unfinished sentence or a list of other definitions
            if last_word in STOPWORDS:
                continue  # cut by a line break: "… colabora con"
            if detect_language(definition) == "en":
                continue  # an English title, not a Spanish definition
            if len(definition.split()) < 3 or re.search(r"@|https?://|www\.", definition):
                continue  # contact details and links are not definitions
            facts.append(Fact(term, definition.rstrip(" ."), slide))
            break
    return facts


_PRODUCT = re.compile(r"\b(?:Amazon|AWS)(?: (?:[A-Z][a-z][\w-]+\b|[A-Z0-9]{1,3}\b)){1,3}(?! (?:and|for|of|on|in|to)\b)")
_CERTIFICATION = re.compile(r"Certified|Practitioner|Associate|Professional|Specialty")  # exam names, not services
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,4}(?:-[A-Z0-9]{1,6})?\b")


def _mostly_lower(line: str) -> bool:
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) < 0.4


def _key_terms(slide: Slide) -> list[str]:
    """Terms worth a fill-in-the-blank on a slide: product names, acronyms and mixed-case names."""
    prose = "\n".join(line for line in slide.lines if _mostly_lower(line))  # no all-caps titles
    terms = [m.group(0) for m in _PRODUCT.finditer(prose) if not _CERTIFICATION.search(m.group(0))]
    terms += [m.group(0) for m in _ACRONYM.finditer(prose) if not m.group(0).isdigit()]
    terms += [t for t in named_terms(prose) if any(ch.isupper() for ch in t[1:]) and not t.isupper()]
    return [t for t in dict.fromkeys(terms) if is_good_term(t) and fold(t) not in {"ia", "ai", "aws"}]


def _same_shape(a: str, b: str) -> bool:
    """Distractors look like the answer: both acronyms, or both words."""
    return a.isupper() == b.isupper()


def _distractors(answer: str, pool: list[str], avoid_text: str, rng: random.Random, n: int = 3) -> list[str]:
    """``n`` other course terms that do not appear in the question (so none is also right)."""
    seen = {fold(answer)}
    candidates = [t for t in pool if fold(t) not in seen and fold(t) not in fold(avoid_text)]
    rng.shuffle(candidates)
    candidates.sort(key=lambda t: (not _same_shape(t, answer), abs(len(t) - len(answer)) > 12))
    chosen = []
    for term in candidates:
        if fold(term) in seen:
            continue
        seen.add(fold(term))
        chosen.append(term)
        if len(chosen) == n:
            break
    return chosen


def _definition_question(fact: Fact, pool: list[str], rng: random.Random) -> Question | None:
    wrong = _distractors(fact.term, pool, fact.definition, rng)
    if len(wrong) < 3:
        return None
    options = [fact.term, *wrong]
    rng.shuffle(options)
    return Question(
        "multiple_choice",
        f"¿Qué término corresponde a esta descripción? «{fact.definition}»",
        options,
        fact.term,
        fact.slide.file,
        fact.slide.page,
        fact.slide.title,
        explanation=f"{fact.term}: {fact.definition}",
    )


def _blank_question(slide: Slide, term: str, pool: list[str], rng: random.Random) -> Question | None:
    for line in slide.lines:
        for sentence in _SENTENCE.findall(line):
            sentence = sentence.strip()
            words = sentence.split()
            found = list(re.finditer(rf"(?<!\w){re.escape(term)}(?!\w)", sentence))
            if len(found) != 1 or not 8 <= len(words) <= 40:
                continue
            if not (sentence[0].isupper() or sentence[0].isdigit()) or sentence.rstrip(".").endswith(term):
                continue  # a whole sentence, and not one that just ends on the blank
            if detect_language(sentence) == "en" or " - " in sentence:
                continue  # English captions and "Título - subtítulo" headings make poor questions
            blanked = sentence[: found[0].start()] + BLANK + sentence[found[0].end() :]
            wrong = _distractors(term, pool, sentence, rng)
            options = [term, *wrong] if len(wrong) == 3 else []
            rng.shuffle(options)
            return Question(
                "fill_blank",
                f"Completa la frase: «{blanked}»",
                options,
                term,
                slide.file,
                slide.page,
                slide.title,
                explanation=sentence,
            )
    return None


def questions_from_slides(slides: list[Slide], seed: int = 0) -> list[Question]:
    """Every question the slide text supports (deterministic for a seed)."""
    rng = random.Random(seed)
    facts = [fact for slide in slides for fact in extract_facts(slide)]
    terms = {(slide.file, slide.page): _key_terms(slide) for slide in slides}
    defined = list(dict.fromkeys(f.term for f in facts))
    named = list(dict.fromkeys(t for slide_terms in terms.values() for t in slide_terms))
    questions: list[Question] = []
    for fact in facts:
        question = _definition_question(fact, defined if len(defined) > 8 else defined + named, rng)
        if question:
            questions.append(question)
    for slide in slides:
        for term in terms[(slide.file, slide.page)][:3]:
            question = _blank_question(slide, term, named, rng)
            if question:
                questions.append(question)
                break
    unique: dict[str, Question] = {}
    for question in questions:
        unique.setdefault(question.qid, question)
    return list(unique.values())


def is_valid(question: Question, slide_text: str) -> bool:
    """The quality bar: the answer is on its slide, it is among the options, and no two options repeat."""
    folded = [fold(o.strip()) for o in question.options]
    if question.options and (len(set(folded)) != len(folded) or fold(question.answer) not in folded):
        return False
    if question.kind == "multiple_choice" and len(question.options) < 2:
        return False
    return bool(question.answer.strip()) and fold(question.answer) in fold(slide_text)


MODEL_PROMPT = (
    "Escribe una pregunta de examen tipo test, en español, sobre la diapositiva. Responde solo con JSON: "
    '{{"pregunta": "...", "opciones": ["...", "...", "...", "..."], "correcta": "..."}}. La respuesta correcta '
    "debe aparecer literalmente en la diapositiva y ser una de las opciones; las otras tres, plausibles pero "
    "falsas.\n\nDiapositiva «{title}»:\n{text}"
)


def question_from_model(llm, slide: Slide) -> Question | None:
    """Ask a chat model for a question on ``slide``; None unless it passes :func:`is_valid`."""
    messages = [{"role": "user", "content": MODEL_PROMPT.format(title=slide.title, text=slide.text[:1500])}]
    try:
        raw = llm.chat_json(messages, max_tokens=300)
        data = json.loads(raw[raw.index("{") : raw.rindex("}") + 1])
        options = [str(o).strip() for o in data["opciones"]][:4]
        question = Question(
            "multiple_choice",
            str(data["pregunta"]).strip(),
            options,
            str(data["correcta"]).strip(),
            slide.file,
            slide.page,
            slide.title,
            explanation=slide.text[:300],
            source="model",
        )
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return question if is_valid(question, slide.text) and len(options) == 4 else None


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
        with self._db() as con:
            rows = con.execute("SELECT qid, box, last, topic FROM boxes WHERE course=?", (course,)).fetchall()
        return {qid: (box, last, topic) for qid, box, last, topic in rows}


# Days before a question in each Leitner box comes back (box 1 = missed: at once).
BOX_DAYS = {1: 0.0, 2: 1.0, 3: 3.0, 4: 7.0, 5: 21.0}


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


def build_quiz(
    slides: list[Slide],
    n: int = 5,
    topic: str = "",
    review: bool = False,
    seed: int | None = None,
    course: str = "",
    book: ScoreBook | None = None,
    llm=None,
) -> list[Question]:
    """``n`` questions for practice, one per slide at most, optionally on one topic (title or file)."""
    rng = random.Random(seed)
    chosen = slides
    if topic:
        wanted = fold(topic)
        chosen = [s for s in slides if wanted in fold(s.title) or wanted in fold(s.file) or wanted in fold(s.text)]
    pool = questions_from_slides(slides, seed=seed or 0)
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


MODEL_MIN_BYTES = 900_000_000  # below this (like the packaged 270M base model) questions come from the slides


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", fold(text)).strip()


def grade(question: Question, given: str) -> bool:
    """Right when the student's answer matches (accents, case and spacing ignored)."""
    return bool(given.strip()) and _normalised(given) == _normalised(question.answer)
