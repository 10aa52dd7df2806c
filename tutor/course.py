"""What tutor knows about one course: its readable name and the words its quizzes treat specially.

Everything is optional. A course folder may hold a ``course.toml``::

    name = "AWS Certified AI Practitioner"        # shown to the model in the system prompt
    product_pattern = '\\b(?:Amazon|AWS)(?: [A-Z][\\w-]+){1,3}'  # product names to blank out in quizzes
    exclude = ["Certified", "Practitioner"]       # a name with one of these words is never a quiz answer

Without it the name comes from the folder (``aws-ai-practitioner`` → ``AWS AI Practitioner``; a generic
folder such as ``corpus`` gives no name), product names are found by the quiz's generic rules, and the
course name's own words are never quiz answers. An unreadable file or key is ignored with a warning.
"""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.text import STOPWORDS, fold

log = logging.getLogger(__name__)

COURSE_FILE = "course.toml"
# Folder names that say nothing about the course: the prompt then speaks of «tu curso».
GENERIC_FOLDERS = frozenset({"corpus", "curso", "cursos", "course", "courses", "material", "diapositivas", "slides"})
_SEPARATORS = re.compile(r"[\s_\-.]+")


def name_from_folder(folder: str) -> str:
    """A readable name from a folder name: ``aws-ai-practitioner`` → ``AWS AI Practitioner``.

    Separators become spaces; a name typed with capitals keeps them; otherwise short words that are not
    function words read as acronyms and the others are capitalised (function words stay lower case).
    """
    words = [w for w in _SEPARATORS.split(folder.strip()) if w]
    if not words or fold(" ".join(words)) in GENERIC_FOLDERS:
        return ""
    if any(ch.isupper() for ch in folder):
        return " ".join(words)
    shaped = []
    for i, word in enumerate(words):
        if fold(word) in STOPWORDS and i > 0:
            shaped.append(word)
        elif len(word) <= 3 and word.isalpha() and fold(word) not in STOPWORDS:
            shaped.append(word.upper())
        else:
            shaped.append(word[:1].upper() + word[1:])
    return " ".join(shaped)


@dataclass(frozen=True)
class CourseInfo:
    """A course's readable name, an optional product-name regex and words never used as quiz answers."""

    name: str = ""
    product_pattern: re.Pattern[str] | None = None
    exclude: tuple[str, ...] = ()

    @classmethod
    def load(cls, folder: str | Path) -> CourseInfo:
        """Read ``course.toml`` in ``folder`` if there is one; the name falls back to the folder's."""
        folder = Path(folder)
        fallback = name_from_folder(folder.name)
        path = folder / COURSE_FILE
        if not path.is_file():
            return cls(name=fallback)
        try:
            with path.open("rb") as fh:
                data = tomllib.load(fh)
        except (OSError, tomllib.TOMLDecodeError) as exc:
            log.warning("No se puede leer %s (%s): se ignora y el curso se llama «%s».", path, exc, fallback)
            return cls(name=fallback)
        return cls._from_table(data, path, fallback)

    @classmethod
    def _from_table(cls, data: dict[str, Any], path: Path, fallback: str) -> CourseInfo:
        """Each valid key is used; a key of the wrong type or a broken regex is ignored with a warning."""
        for key in sorted(set(data) - {"name", "product_pattern", "exclude"}):
            log.warning("Clave desconocida «%s» en %s: se ignora.", key, path)
        name = data.get("name", fallback)
        if not isinstance(name, str) or not name.strip():
            log.warning("«name» en %s debe ser un texto: se usa «%s».", path, fallback)
            name = fallback
        pattern = None
        if "product_pattern" in data:
            try:
                pattern = re.compile(data["product_pattern"])
            except (re.error, TypeError) as exc:
                log.warning("«product_pattern» en %s no es una expresión regular válida (%s): se ignora.", path, exc)
        exclude = data.get("exclude", [])
        if not isinstance(exclude, list) or not all(isinstance(w, str) for w in exclude):
            log.warning("«exclude» en %s debe ser una lista de textos: se ignora.", path)
            exclude = []
        return cls(name=name.strip(), product_pattern=pattern, exclude=tuple(w.strip() for w in exclude if w.strip()))

    @property
    def name_words(self) -> frozenset[str]:
        """The course name's words (folded, function words left out): too broad to be quiz answers."""
        return frozenset(w for w in folded_words(self.name) if w not in STOPWORDS)

    def excludes(self, term: str) -> bool:
        """True for a term that must not be a quiz answer.

        That is one of the course name's words (``AWS``), a name with all of them (the course or its exam:
        ``AWS Certified AI Practitioner``), or a name with a word or phrase listed in ``exclude``.
        """
        words = folded_words(term)
        if fold(term) in self.name_words or (len(self.name_words) > 1 and self.name_words <= set(words)):
            return True
        padded = f" {' '.join(words)} "
        return any(f" {' '.join(folded_words(x))} " in padded for x in self.exclude if folded_words(x))


def folded_words(text: str) -> list[str]:
    """A text's words, lower case and without accents."""
    return re.findall(r"\w+", fold(text))
