"""Quiz questions written from the course's slides, each cited to its slide.

Two ways to write questions:

* from the slide text itself (works with any model, even none): definitions ("Término: …",
  "X es un …") become multiple-choice questions whose distractors are terms defined on other slides,
  and key sentences become fill-in-the-blank questions about the term they name (see :mod:`.terms`);
* with a capable instruction-tuned model, the model writes a question and distractors from a
  retrieved slide; a model question is kept only if its answer is on the slide, else the slide-text
  question is used.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from functools import cached_property

from tutor.course import CourseInfo
from tutor.quiz.terms import (
    clean_term,
    is_good_term,
    key_terms,
    product_pattern,
    prose,
    with_exam_words,
    with_example_companies,
)
from tutor.text import STOPWORDS, detect_language, fold, join_overlapping, sentence_case
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


# A line that opens an example of a prompt's input or output, in the slide's words (after an icon's letter: «P Datos
# de entrada:»).
_EXAMPLE = re.compile(
    r"^\W*(?:[a-z]\s+)?(?:salida esperada|ejemplo de (?:salida|respuesta|prompt|entrada)|prompt de ejemplo|"
    r"datos de entrada|expected output|example (?:output|prompt|input)|sample output)\b"
)


@dataclass
class Slide:
    file: str
    page: int
    title: str
    text: str
    kind: str = "pdf"

    @cached_property
    def lines(self) -> list[str]:
        """The slide's logical lines (read once: definitions, terms and sentences all use them), up to an example
        of a prompt's input or output («Salida esperada del modelo:», then a product description): what follows
        is the example's content, not the course's («Puerto USB integrado: Carga tus dispositivos…»)."""
        lines = logical_lines(self.text)
        start = next((i for i, line in enumerate(lines) if _EXAMPLE.match(fold(line))), len(lines))
        return lines[:start]


@dataclass
class Fact:
    """A term and what the slide says about it."""

    term: str
    definition: str
    slide: Slide


def slides_from_chunks(chunks: Iterable[Chunk]) -> list[Slide]:
    """One slide per (file, page), its chunks joined back (overlaps dropped), titled by :func:`topic_title`."""
    pages: dict[tuple[str, int], list[Chunk]] = {}
    for chunk in chunks:
        pages.setdefault((chunk.file, chunk.page), []).append(chunk)
    slides = []
    for (file, page), parts in pages.items():
        text = join_overlapping([c.text for c in parts])
        slides.append(Slide(file, page, topic_title(parts[0].title, text), text, parts[0].kind))
    return slides


_SECTION_HEADING = re.compile(r"^\d+(?:\.\d+)+\.?\s+(\S.*)$")  # «1.3.2. Mecanismo de Atención»


def topic_title(title: str, text: str) -> str:
    """A practice topic's name: the slide's title, unless that is a sentence the page starts in the middle of
    («Durante la decodificación, se pueden considerar los estados…», «para diferentes casos de uso…», seen as
    topics in a student trial) and the page has a numbered section heading: then that heading («Mecanismo de
    Atención»)."""
    sentence = title[:1].islower() or "," in title or len(title.split()) > 8
    if not sentence:
        return title
    heading = next((m.group(1) for line in text.splitlines() if (m := _SECTION_HEADING.match(line.strip()))), "")
    return heading if heading and len(heading.split()) <= 8 else title


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


def extract_facts(slide: Slide) -> list[Fact]:
    """Definitions on a slide: ``Término: definición`` lines and ``X es un/una …`` sentences."""
    facts = []
    for line in slide.lines:
        for pattern in _DEFINITION:
            match = pattern.match(line)
            if not match:
                continue
            term, definition = clean_term(match.group("term")), match.group("definition").strip()
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
        f"¿Qué término corresponde a esta descripción? «{sentence_case(fact.definition)}»",
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


def questions_from_slides(slides: list[Slide], seed: int = 0, course: CourseInfo | None = None) -> list[Question]:
    """Every question the slide text supports (deterministic for a seed).

    ``course`` gives the product-name rule and the words never asked about (see :mod:`tutor.course`).
    """
    course = course or CourseInfo()
    rng = random.Random(seed)
    texts = [prose(slide.lines) for slide in slides]
    products = product_pattern(texts, course)
    course = with_example_companies(with_exam_words(course, texts, products), texts)
    facts = [fact for slide in slides for fact in extract_facts(slide) if not course.excludes(fact.term)]
    terms = {(slide.file, slide.page): key_terms(slide.lines, course, products) for slide in slides}
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


def _normalised(text: str) -> str:
    return re.sub(r"\W+", " ", fold(text)).strip()


def grade(question: Question, given: str) -> bool:
    """Right when the student's answer matches (accents, case and spacing ignored)."""
    return bool(given.strip()) and _normalised(given) == _normalised(question.answer)
