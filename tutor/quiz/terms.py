"""Which words of a course are worth asking about: defined terms, acronyms, mixed-case and product names.

Product names (``Amazon SageMaker Clarify``) come from the course's ``product_pattern`` (``course.toml``)
or, without one, from its brands: a capitalised word that, in running text across the course, starts at
least :data:`BRAND_MIN_NAMES` different capitalised names (``Amazon Bedrock``, ``Amazon Kendra``, …).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import replace

from tutor.course import CourseInfo, folded_words
from tutor.text import STOPWORDS, fold, named_terms

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
    importancia efecto efectos escala rango metodo metodos cantidad calidad consistencia riesgo riesgos prueba
    pruebas iteracion implementacion proposito utilidad finalidad impacto significado alcance valor valores
    """.split()
) | {"ejemplo conocido", "consideracion practica", "diferencia clave", "este producto", "casos de uso", "uso tipico"}
# A label's first word that makes it a property of the slide's subject, not a term: «Función en self-attention»,
# «Diferencia con Top-P», «Limitación práctica», «Caso de uso», «Recomendación clave».
GENERIC_HEADS = frozenset(
    "funcion diferencia diferencias limitacion recomendacion efecto uso caso ventaja desventaja riesgo".split()
)
# "IA" / "AI" is what every course on the subject is about: never an answer.
TOO_BROAD = frozenset({"ia", "ai"})
_NUMBERED_LABEL = re.compile(r"^(semana|sesion|dominio|modulo|tema|parte|paso|leccion|capitulo)\s*\d", re.I)
_ARTICLE = re.compile(r"^(?:un|una|el|la|los|las|lo)\s+", re.I)
_DEMONSTRATIVE = re.compile(r"^(?:este|esta|estos|estas|ese|esa|esos|esas|aquel|aquella|dicho|dicha)\b", re.I)
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]{1,4}(?:-[A-Z0-9]{1,6})?\b")

# A word of a product name after the brand: a capitalised word or a short code (``S3``, ``EC2``, ``Q``).
_NAME_WORD = r"(?:[A-Z][a-z][\w-]+\b|[A-Z0-9]{1,3}\b)"
# A brand and the next word of a name it starts, which must have a letter (not ``Alcance 1``).
_BRAND_PAIR = re.compile(r"\b([A-Z][\w-]+) ((?:[A-Z][a-z][\w-]+|[A-Z][A-Z0-9]{0,2})\b)")
_SENTENCE_START = '.?!¿¡:;\n"«(“'
BRAND_MIN_NAMES = 5  # a word starting this many different names in running text is a brand


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
    if len(words) > 1 and fold(words[0]) in GENERIC_HEADS:
        return False
    if _NUMBERED_LABEL.match(fold(term)) or _DEMONSTRATIVE.match(term) or "<" in term or ">" in term:
        return False
    if fold(words[0]) in STOPWORDS and not words[0].isupper():  # "Es un filtro…", "Se usa…"
        return False
    if term.count("(") != term.count(")") or term.count("«") != term.count("»"):
        return False  # the end of a wrapped line: "Feedback, RLHF)"
    return defined or term[0].isupper() or term[0].isdigit() or any(ch.isupper() for ch in term[1:])


def clean_term(term: str) -> str:
    """A term without markup, list numbering, quotes or a leading article."""
    term = re.sub(r"<[^>]*>|\\|\*", "", term)
    term = re.sub(r"^[-•*\d.)\s]+", "", term).strip(" *_\"'«»")
    return _ARTICLE.sub("", term)


def mostly_lower(line: str) -> bool:
    """Running text rather than an all-caps title."""
    letters = [ch for ch in line if ch.isalpha()]
    return bool(letters) and sum(ch.isupper() for ch in letters) / len(letters) < 0.4


def prose(lines: Iterable[str]) -> str:
    """A slide's running text (all-caps titles left out)."""
    return "\n".join(line for line in lines if mostly_lower(line))


def find_brands(texts: Iterable[str], min_names: int = BRAND_MIN_NAMES) -> list[str]:
    """Capitalised words that start ``min_names`` different names mid-sentence (``Amazon``, ``AWS``)."""
    names: dict[str, set[str]] = defaultdict(set)
    for text in texts:
        for match in _BRAND_PAIR.finditer(text):
            before = text[: match.start()].rstrip()
            word = match.group(1)
            if before and before[-1] not in _SENTENCE_START and fold(word) not in STOPWORDS:
                names[word].add(match.group(2))
    return sorted((w for w, following in names.items() if len(following) >= min_names), key=lambda w: (-len(w), w))


def product_pattern(texts: Iterable[str], course: CourseInfo) -> re.Pattern[str] | None:
    """The course's ``product_pattern``, or names that start with one of its brands (None without any)."""
    if course.product_pattern is not None:
        return course.product_pattern
    brands = find_brands(texts)
    if not brands:
        return None
    alternatives = "|".join(re.escape(b) for b in brands)
    # Not the start of an English title: "Amazon S3 Using Amazon …".
    return re.compile(rf"\b(?:{alternatives})(?: {_NAME_WORD}){{1,3}}(?! (?:and|for|of|on|in|to)\b)")


def with_exam_words(course: CourseInfo, texts: Iterable[str], products: re.Pattern[str] | None) -> CourseInfo:
    """``course`` also excluding the other words of its title as the slides write it.

    ``AWS Certified AI Practitioner`` has every word of the course name ``AWS AI Practitioner``, so
    ``Certified`` marks exam names: ``AWS Certified Machine Learning`` is not a term to ask about either.
    """
    if products is None or len(course.name_words) < 2:
        return course
    extra: set[str] = set()
    for text in texts:
        for match in products.finditer(text):
            words = set(folded_words(match.group(0)))
            if course.name_words <= words:
                extra |= words - course.name_words
    return replace(course, exclude=(*course.exclude, *sorted(extra))) if extra else course


# A company of a worked example: named right after «la empresa», «company»… or before «S.A.», «Inc.» («Centro de
# soporte de la empresa UnaEmpresa S.A.»). Seen in a student trial as a practice question's option.
_COMPANY = re.compile(
    r"\b(?:empresa|compañía|company|firm)\s+([A-ZÁÉÍÓÚÑ][\w-]+)|\b([A-ZÁÉÍÓÚÑ][\w-]+)\s+(?:S\.\s?A\.|S\.\s?L\.|Inc\.|Ltd\b)"
)


def with_example_companies(course: CourseInfo, texts: Iterable[str]) -> CourseInfo:
    """``course`` also excluding the companies of its worked examples (:data:`_COMPANY`): not terms to ask about."""
    found = {name for text in texts for m in _COMPANY.finditer(text) for name in m.groups() if name}
    return replace(course, exclude=(*course.exclude, *sorted(found))) if found else course


def key_terms(lines: list[str], course: CourseInfo, products: re.Pattern[str] | None) -> list[str]:
    """Terms worth a fill-in-the-blank on a slide: product names, acronyms and mixed-case names."""
    text = prose(lines)
    terms = [m.group(0) for m in products.finditer(text)] if products else []
    terms += [m.group(0) for m in _ACRONYM.finditer(text) if not m.group(0).isdigit()]
    terms += [t for t in named_terms(text) if any(ch.isupper() for ch in t[1:]) and not t.isupper()]
    return [t for t in dict.fromkeys(terms) if is_good_term(t) and fold(t) not in TOO_BROAD and not course.excludes(t)]
