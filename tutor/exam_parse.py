"""Recognise a pasted practice-exam question: a stem, then its options, as practice tests print them.

Options come one per line («A. …», «a) …», «(B) …», «1) …», «- …», «• …») or, when a one-line box flattened
the paste, inline after the stem («… ¿Qué servicio? A. X B. Y C. Z»). «Choose two» / «Elige dos» (or a «qué
DOS …» in capitals) asks for several options. Anything else, including a list inside an ordinary question
(«Explica: - temperatura - top-p»), is not a practice question: :func:`parse_practice` returns None and the
tutor answers it as usual. The parser never raises on any text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tutor.text import detect_language

MIN_OPTIONS = 2
MAX_OPTIONS = 12
MAX_OPTION_CHARS = 400
LETTERS = "ABCDEFGHIJKL"

_LETTER_LINE = re.compile(r"^\s*(?:\(([A-La-l])\)|([A-La-l])\s*[.):]|([A-La-l])\s+[-–—])\s*(\S.*)$")
_NUMBER_LINE = re.compile(r"^\s*(?:\((\d{1,2})\)|(\d{1,2})\s*[.)]|(\d{1,2})\s+[-–—])\s*(\S.*)$")
_BULLET_LINE = re.compile(r"^\s*[-–—•*▪●◦·]\s*(\S.*)$")
_INLINE = re.compile(r"(?:(?<=\s)|^)(?:\(([A-La-l])\)|([A-La-l])[.)])\s+(?=\S)")
_COUNT = r"(two|three|2|3|dos|tres)"
_CHOOSE = re.compile(
    rf"\b(?:choose|select|pick|mark|elige|elija|escoge|escoja|selecciona|seleccione|marca|marque)\s+{_COUNT}\b",
    re.IGNORECASE,
)
_CAPS_COUNT = re.compile(r"\b(TWO|THREE|DOS|TRES)\b")
_COUNTS = {"two": 2, "2": 2, "dos": 2, "three": 3, "3": 3, "tres": 3}
_ASKING = re.compile(
    r"\?|\b(?:which|what|who|how|select|choose|identify|pick|qu[eé]|cu[aá]l(?:es)?|c[oó]mo|qui[eé]n|"
    r"elige|elija|selecciona|seleccione|indica|indique|identifica|identifique|escoge|escoja)\b",
    re.IGNORECASE,
)


@dataclass
class PracticeQuestion:
    """A multiple-choice question: its stem, its options (labels as pasted) and how many to choose."""

    stem: str
    options: list[str]
    labels: list[str]  # what the student sees before each option: A, B… (dash bullets get letters too)
    choose: int = 1
    language: str = "es"
    raw: str = field(default="", repr=False)

    def label(self, index: int) -> str:
        return self.labels[index] if 0 <= index < len(self.labels) else "?"

    def as_text(self) -> str:
        """The question as one text: the stem and its labelled options, one per line."""
        lines = [self.stem, *(f"{lab}. {opt}" for lab, opt in zip(self.labels, self.options, strict=True))]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"stem": self.stem, "options": list(self.options), "labels": list(self.labels), "choose": self.choose}


def parse_practice(text: str) -> PracticeQuestion | None:
    """The practice question in ``text``, or None when it is not one (never raises)."""
    if not isinstance(text, str) or len(text) > 20_000:
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    found = _by_lines(text) or _inline(text)
    if found is None:
        return None
    stem, options, labels = found
    stem = " ".join(stem.split())
    options = [" ".join(o.split())[:MAX_OPTION_CHARS] for o in options]
    asking = _ASKING.search(stem) or stem.endswith(":") or _scenario(stem, labels)
    if not re.search(r"\w", stem) or not asking or any(not re.search(r"\w", o) for o in options):
        return None
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        return None
    return PracticeQuestion(stem, options, labels, _choose_count(stem, len(options)), detect_language(stem), text)


SCENARIO_WORDS = 12  # a stem of at least this many words over options A, B, C… is an exam question without a «?»


def _scenario(stem: str, labels: list[str]) -> bool:
    """A scenario stated without asking («Una cadena de clínicas quiere detectar… y recibir una alerta cuando
    pase.», seen in the window) over at least three lettered options: a pasted exam question all the same."""
    lettered = len(labels) >= 3 and "".join(labels).upper() == LETTERS[: len(labels)]
    return lettered and len(stem.split()) >= SCENARIO_WORDS


def _choose_count(stem: str, n_options: int) -> int:
    match = _CHOOSE.search(stem) or _CAPS_COUNT.search(stem)
    count = _COUNTS.get(match.group(1).lower(), 1) if match else 1
    return count if count < n_options else 1


def _option_line(line: str) -> tuple[str, str, str] | None:
    """(style, label, text) of an option line: style ``letter``, ``number`` or ``bullet``."""
    match = _LETTER_LINE.match(line)
    if match:
        return "letter", next(g for g in match.groups()[:3] if g), match.group(4)
    match = _NUMBER_LINE.match(line)
    if match:
        return "number", next(g for g in match.groups()[:3] if g), match.group(4)
    match = _BULLET_LINE.match(line)
    if match:
        return "bullet", "", match.group(1)
    return None


def _expected(style: str, label: str, position: int) -> bool:
    """Whether ``label`` is the ``position``-th label of its style (A, B, C… or 1, 2, 3…)."""
    if style == "letter":
        return label.upper() == LETTERS[position] if position < len(LETTERS) else False
    if style == "number":
        return label.isdigit() and int(label) == position + 1
    return True


def _by_lines(text: str) -> tuple[str, list[str], list[str]] | None:
    """Stem lines, then a run of option lines of one style, labelled in order (wrapped lines joined)."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    for start, line in enumerate(lines):
        first = _option_line(line)
        if first is None or not _expected(first[0], first[1], 0) or start == 0:
            continue
        if first[0] == "bullet" and not lines[start - 1].rstrip().endswith(("?", ":")):
            continue  # a list inside an ordinary question, not options
        options, labels = _run(lines[start:], first[0])
        if len(options) >= (3 if first[0] == "bullet" else MIN_OPTIONS):
            style_labels = labels if first[0] != "bullet" else list(LETTERS[: len(options)])
            return " ".join(lines[:start]), options, style_labels
    return None


def _run(lines: list[str], style: str) -> tuple[list[str], list[str]]:
    """The options of ``style`` from the first line on; other lines continue the option above them."""
    options: list[str] = []
    labels: list[str] = []
    for line in lines:
        parsed = _option_line(line)
        if parsed and parsed[0] == style and _expected(style, parsed[1], len(options)):
            options.append(parsed[2])
            labels.append(parsed[1].upper() if parsed[1] else "")
        elif options and len(options[-1]) < MAX_OPTION_CHARS:
            options[-1] = f"{options[-1]} {line.strip()}"
        else:
            break
    return options, labels


def _inline(text: str) -> tuple[str, list[str], list[str]] | None:
    """Options flattened into one line: the longest run of markers A, B, C… (same case) after a stem."""
    flat = " ".join(text.split())
    marks = [(m.start(), m.end(), (m.group(1) or m.group(2))) for m in _INLINE.finditer(flat)]
    best: list[tuple[int, int, str]] = []
    for i, (_, _, label) in enumerate(marks):
        if label.upper() != "A":
            continue
        run = [marks[i]]
        for mark in marks[i + 1 :]:
            if len(run) >= len(LETTERS):
                break
            wanted = LETTERS[len(run)]
            if mark[2] == (wanted.lower() if label.islower() else wanted):
                run.append(mark)
        if len(run) > len(best) and run[0][0] > 0:
            best = run
    if len(best) < MIN_OPTIONS:
        return None
    ends = [m[0] for m in best[1:]] + [len(flat)]
    options = [flat[m[1] : end].strip() for m, end in zip(best, ends, strict=True)]
    return flat[: best[0][0]].strip(), options, [m[2].upper() for m in best]
