"""Text helpers: cleaning extracted text, accent folding, Spanish tokens for BM25, language guess."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import Stemmer

_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\u00ad": ""}
_HYPHEN_BREAK = re.compile(r"(?<=\w)-\n(?=\w)")
_BULLETS = re.compile(r"^[\s\-•▪●◦·*\x7f]*[•▪●◦·\x7f]\s*", re.MULTILINE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MARKUP = re.compile(r"\*\*|__|^#{1,6}\s*", re.MULTILINE)
_SPACES = re.compile(r"[ \t\u00a0]+")
_WORD = re.compile(r"\w+", re.UNICODE)
# What starts an item of a list a model writes: a bullet («-», «*», «•») or a number («3.», «2)»).
LIST_MARK = r"(?:[-*•]|\d+[.)])"

# Spanish and English function words (folded), dropped from the lexical index.
STOPWORDS = frozenset(
    """
    a al algo algun alguna algunas alguno algunos ante antes asi aun bajo bien cada casi como con contra cual
    cuales cualquier cuando cuanto de del desde donde dos el ella ellas ello ellos en entre era eran es esa esas
    ese eso esos esta estan estar estas este esto estos fue fueron ha han hasta hay he la las le les lo los mas me
    mi mis mucho muy nada ni no nos nosotros o otra otras otro otros para pero poco por porque puede pueden que
    quien quienes se sea sean segun ser si sido sin sobre solo son su sus tambien tan tanto te tener tiene tienen
    toda todas todo todos tu tus un una unas uno unos usted y ya yo mi cual que como eso hace hacer tengo quiero
    puedo debo qu explicame dime sirve sirven sirvio cosa cosas
    the of and or to in on for with is are was were be been by an as at it its this that these those what which
    who how why when where does do did can could should would i my me you your we our from into about than then
    there their they them not no yes
    """.split()
)


def clean_text(text: str) -> str:
    """Repair extraction artefacts (ligatures, end-of-line hyphenation, bullets, stray spaces), keep accents.

    Applied until nothing changes, so cleaning clean text is a no-op (removing ``**`` from ``*__*``
    must not leave a new ``**``).
    """
    text = unicodedata.normalize("NFC", text)
    for src, dst in _LIGATURES.items():
        text = text.replace(src, dst)
    text = _CONTROL.sub(" ", text)
    for _ in range(8):
        cleaned = _clean_once(text)
        if cleaned == text:
            break
        text = cleaned
    return text


def _clean_once(text: str) -> str:
    text = _BULLETS.sub("- ", text)
    text = _MARKUP.sub("", text)
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.splitlines()]
    text = _HYPHEN_BREAK.sub("", "\n".join(lines))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def fold(text: str) -> str:
    """Lowercase and strip accents (``Información`` -> ``informacion``); ñ becomes n."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# «sin necesidad de reentrenar», «without having to retrain»: the need is the verb's, the words between add none.
_SIN_NEED = re.compile(
    r"\b(?:sin (?:la )?necesidad de|sin tener que|sin que (?:sea necesario|haga falta)|no hay necesidad de)\b"
)
_WITHOUT_NEED = re.compile(r"\b(?:without (?:having|needing|the need|any need) to|(?:there is )?no need to)\b")


def cue_form(text: str) -> str:
    """``text`` folded for cue phrases, with «sin necesidad de» and «sin tener que» read «sin», «without having
    to» and «no need to» read «without»: one cue («sin reentrenar», «without retrain») covers every wording."""
    return _WITHOUT_NEED.sub("without", _SIN_NEED.sub("sin", fold(text)))


@lru_cache(maxsize=1)
def _stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("spanish")


def lexical_tokens(text: str) -> list[str]:
    """Tokens for BM25: lowercase words minus stop words, Spanish-stemmed, then accent-folded."""
    words = [w for w in _WORD.findall(text.lower()) if len(w) > 1 or w.isdigit()]
    words = [w for w in words if fold(w) not in STOPWORDS]
    return [fold(s) for s in _stemmer().stemWords(words)]


_ES_HINTS = frozenset(
    "el la los las de del que qué es en por para cómo como cuál cuáles una un y con se su qué".split()
)
_EN_HINTS = frozenset("the what which how why is are does do of and to in for with between can i my".split())


def detect_language(text: str) -> str:
    """Guess ``"es"`` or ``"en"`` for a question; Spanish wins ties (the course language)."""
    if re.search(r"[¿¡ñáéíóú]", text.lower()):
        return "es"
    words = _WORD.findall(text.lower())
    es = sum(w in _ES_HINTS for w in words)
    en = sum(w in _EN_HINTS for w in words)
    return "en" if en > es else "es"


_NAME = re.compile(r"[\w][\w\-]*", re.UNICODE)


def writes_word(text: str, word: str) -> bool:
    """Whether ``text`` writes ``word`` as it is written (case included), whole: not inside «top-k» or «SageMakers»."""
    return re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text) is not None


# A hyphenated compound («top-p», «Few-shot», «chain-of-thought»): one name, told from one with another part.
COMPOUND = re.compile(r"\w+(?:-\w+)+")


def named_terms(text: str) -> list[str]:
    """Proper nouns and acronyms of a question: capitalised words not starting a sentence, or mixed case."""
    terms = []
    for match in _NAME.finditer(text):
        word = match.group(0)
        before = text[: match.start()].rstrip()
        sentence_start = not before or before[-1] in '.?!¿¡:;\n"«(“'
        mixed = any(ch.isupper() for ch in word[1:])
        if ((word[0].isupper() and not sentence_start) or mixed) and len(word) > 1:  # not «I», nor «la opción C»
            terms.append(word)
    return terms


_WEB_ADDRESS = re.compile(r"(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|aws|org|io|net)/\S*")
LINK_LIST_SHARE = 0.5  # a page with at least this share of its characters in web addresses is a list of links


def is_link_list(text: str) -> bool:
    """Whether a page is mostly web addresses (a «Recursos» slide): it points to answers, it holds none."""
    chars = len(re.sub(r"\s+", "", text))
    linked = sum(len(m.group()) for m in _WEB_ADDRESS.finditer(text))
    return chars > 0 and linked / chars >= LINK_LIST_SHARE


def in_capitals(line: str) -> bool:
    """A line written in capitals, with at least three letters: a logo or a heading in capitals («AWS COMMUNITY
    CARTAGENA», «NECESIDAD DE DATOS»), never a sentence."""
    return line.upper() == line and sum(ch.isalpha() for ch in line) >= 3


def sentence_case(text: str) -> str:
    """``text`` with its first letter in capitals («un tipo de red…» → «Un tipo de red…»)."""
    return text[:1].upper() + text[1:]


def file_stem(title: str, limit: int = 50) -> str:
    """A file name from ``title``: its words folded, joined by «-», cut at a word near ``limit`` characters
    («¿Qué controla top-p?» → «que-controla-top-p»); "" when it has no word."""
    words = re.findall(r"[a-z0-9]+", fold(title))
    stem = ""
    for word in words:
        if stem and len(stem) + 1 + len(word) > limit:
            break
        stem = f"{stem}-{word}" if stem else word[:limit]
    return stem


def join_overlapping(parts: list[str]) -> str:
    """Consecutive chunks of one page as one text: each part's start that repeats the previous one's end (the
    chunker's overlap) is said once."""
    text = parts[0] if parts else ""
    for part in parts[1:]:
        at = text.rfind(part[:40])
        text = text[:at] + part if at >= 0 and part.startswith(text[at:]) else f"{text}\n{part}"
    return text


def spanish_number(value: float, spec: str = ".1f") -> str:
    """``value`` formatted by ``spec`` with a decimal comma, as Spanish readers expect («0,2», «61,0»)."""
    return format(value, spec).replace(".", ",")


TITLE_CHARS = 80  # a label completed from its slide's text stops at this many characters


def label_title(title: str, text: str = "") -> str:
    """``title`` (a slide's first line) as a label that reads whole: a line cut mid-sentence («Amazon SageMaker
    Clarify ayuda a mejorar la calidad de los») goes on with ``text``'s next lines while they go on with it (they
    start in lower case, or the line before ends in a function word), up to the sentence's end or
    ``TITLE_CHARS``, with «…» where it stops short; one that opens mid-sentence (a page that goes on from the one
    before: «para diferentes casos de uso…») starts with «…»; a table row's bars become «·»."""
    shown = " · ".join(cell.strip() for cell in title.strip().strip("|").split("|")) if "|" in title else title
    shown = shown.strip()
    if not shown:
        return ""
    at = text.find(title) if title else -1
    after = text[at + len(title) :] if at >= 0 else ""
    lines = after.split("\n")
    lines[0] = shown if not after[:1].isalnum() else shown + lines[0]  # a line longer than the title goes on
    shown, cut = lines[0].strip(), False
    for line in lines[1:]:
        line = line.strip()
        if _ended(shown) or not line or not (line[:1].islower() or fold(shown.split()[-1]) in STOPWORDS):
            break
        for word in line.split():
            if len(shown) + len(word) + 1 > TITLE_CHARS:
                cut = True
                break
            shown += " " + word
        if cut:
            break
    if cut or (not _ended(shown) and fold(shown.split()[-1]).strip(",;") in STOPWORDS):
        shown = shown.rstrip(",;") + "…"
    return "…" + shown if shown[:1].islower() else shown


def _ended(line: str) -> bool:
    return bool(re.search(r"[.!?…:)]$", line))
