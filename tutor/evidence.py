"""What the sentence checker (tutor/claims.py) compares: words with their match keys, negation scopes, and the
sources cut into units.

A word's keys: ``w:`` folded spelling, ``s:`` Spanish stem, ``e:`` English stem, ``p:`` five-letter prefix
(cognates), ``g:`` synonym group, and for English words the ``s:`` keys of their glossary translations. Two words
match when they share a key. A unit is a slide sentence, bullet line or table cell, with its context (the page
title, its numbered sections, the line a bullet sits under) and the names it is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import Stemmer

from tutor import lexicon
from tutor.text import STOPWORDS, fold, in_capitals
from tutor.types import Source

WORD = re.compile(r"\d+(?:[.,]\d+)+|\w+(?:[-'’]\w+)*", re.UNICODE)
NUMBER = re.compile(r"^\d+(?:[.,]\d+)?$")
_POSSESSIVE = re.compile(r"['’]s$")
_SPLIT_UNIT = re.compile(r"(?<=[.!?…])\s+(?=[A-ZÁÉÍÓÚÑ¿¡\"«(])|\s+\|\s+")
_HEAD = re.compile(r"^([^():]{2,50}?)\s*\(([^()]{2,60})\)")
_COLON_HEAD = re.compile(r"^([^():]{2,40}?):()\s+\S+\s+\S+\s+\S+")
_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)*\.?\s+")
_SECTION = re.compile(r"^(\d+(?:\.\d+)*)\.?\s+\S")
# A short line ending in a colon labels the lines after it («Temperatura = 0:» then «Siempre selecciona el token
# más probable»; «- Jurassic-2 (AI21 Labs):» then its bullets, flattened by the PDF's text).
_LABEL = re.compile(r"^[-\s]*(?:\S+\s+){0,5}\S+:$")
STOP = STOPWORDS | lexicon.EXTRA_STOPWORDS
_SCOPE_ENDS = frozenset("y e o u pero sino que and or but that which".split())
NEGATION_SCOPE = 2  # content words after a negation that it covers


@lru_cache(maxsize=2)
def _stemmer(lang: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer("spanish" if lang == "es" else "english")


@lru_cache(maxsize=65536)
def es_stem(word: str) -> str:
    return fold(_stemmer("es").stemWord(word))


@lru_cache(maxsize=65536)
def en_stem(word: str) -> str:
    return _stemmer("en").stemWord(word)


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, str]:
    """Spanish or English stem → the key of its synonym group."""
    table: dict[str, str] = {}
    for group in lexicon.synonym_groups():
        for word in group:
            table.setdefault(f"s:{es_stem(word)}", f"g:{group[0]}")
            table.setdefault(f"e:{en_stem(word)}", f"g:{group[0]}")
    return table


@lru_cache(maxsize=1)
def _glossary() -> dict[str, frozenset[str]]:
    """English stem → keys of its Spanish translations."""
    table: dict[str, set[str]] = {}
    for english, spanish in lexicon.glossary_pairs():
        keys = table.setdefault(en_stem(fold(english)), set())
        for phrase in spanish:
            content = [w for w in WORD.findall(fold(phrase)) if w not in STOP]
            keys.update(f"s:{es_stem(w)}" for w in content[:1])
    return {k: frozenset(v) for k, v in table.items()}


@lru_cache(maxsize=1)
def _negative_words() -> frozenset[str]:
    """English words the glossary translates with a negation (unlabeled: sin etiquetar)."""
    return frozenset(
        fold(en) for en, spanish in lexicon.glossary_pairs() if any(re.match(r"(sin|no) ", es) for es in spanish)
    )


@lru_cache(maxsize=1)
def light_keys() -> frozenset[str]:
    return frozenset({f"s:{es_stem(w)}" for w in lexicon.LIGHT} | {f"e:{en_stem(w)}" for w in lexicon.LIGHT})


@dataclass(frozen=True)
class Word:
    text: str  # as written
    keys: frozenset[str]  # "w:" folded, "s:" Spanish stem, "e:" English stem, "p:" prefix, "g:" synonyms
    number: str = ""  # normalised value when the word is a number
    term: bool = False  # a name (Top-K, CloudTrail, BERT) that a claim cannot swap for another
    light: bool = False


def _number(word: str) -> str:
    return f"{float(word.replace(',', '.')):g}"


_MAKERS = ("aws", "amazon")


@lru_cache(maxsize=65536)
def _word_keys(folded: str, lang: str) -> frozenset[str]:
    plain = re.sub(r"[-'’]", "", folded)
    keys = {f"w:{plain}", f"s:{es_stem(plain)}", f"e:{en_stem(plain)}"}
    if len(plain) >= 5:
        keys.add(f"p:{plain[:5]}")
    if lang == "en":
        keys |= _glossary().get(en_stem(plain), frozenset())
    synonyms = _synonyms()
    keys |= {synonyms[k] for k in keys if k in synonyms}
    if "-" in folded:  # a compound's parts, without their synonyms («fine-tune» is no «fin», a goal)
        keys.update(f"s:{es_stem(part)}" for part in folded.split("-") if len(part) >= 4)
        head, _, rest = folded.partition("-")
        if head in _MAKERS:  # «AWS Q» is «Amazon Q»: either maker's name before a joined letter
            keys.update(f"w:{maker}{rest.replace('-', '')}" for maker in _MAKERS)
    return frozenset(keys)


# A word followed by a lone consonant letter names one thing (Top k, Min p); vowels and «y» are conjunctions.
_LONE_LETTER = re.compile(r"\b([A-Za-zÁÉÍÓÚáéíóú]{2,})[ \t]+([b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ])\b(?![-'’])")
# …and a lone capital consonant before a capitalised word too («R Squared» is «R-squared»); not «X», a placeholder.
_LETTER_FIRST = re.compile(r"(?<![\w-])([B-DF-HJ-NP-TVWZ])[ \t]+([A-ZÁÉÍÓÚ][a-záéíóúñ]{2,})\b")
# Words after which a letter is an option or a placeholder, not part of a name («opción C», "answer B").
_BEFORE_A_BARE_LETTER = frozenset({"opcion", "option", "respuesta", "answer", "letra", "letter", "alternativa"})
_PREVIOUS_WORD = re.compile(r"(\S*)\s*$")


def _parts_a_letter(word: str) -> bool:
    """Whether a letter after ``word`` stands apart: after a stop word or an option's word («An R», «la T»,
    «opción C»)."""
    folded = fold(word)
    return folded in STOP or folded in _BEFORE_A_BARE_LETTER


def _join_letter(match: re.Match) -> str:
    """«Top p» → «Top-p»; not after a stop word or an option's word (:func:`_parts_a_letter`)."""
    word, letter = match.groups()
    return match.group(0) if _parts_a_letter(word) else f"{word}-{letter}"


def _join_first_letter(match: re.Match) -> str:
    """«R Squared» → «R-Squared»; not after a sentence's end (a list's «2.» is none), a stop word or an option's
    word («Según la T Aplicada», «… top p. D Luego»)."""
    before = _PREVIOUS_WORD.search(match.string[: match.start()]).group(1)
    ended = before[-1:] in tuple(".?!:;") and not before[:-1].isdigit()
    if ended or _parts_a_letter(before.strip("¿¡(«\"'")):
        return match.group(0)
    return f"{match.group(1)}-{match.group(2)}"


def is_term(raw: str, first: bool) -> bool:
    """Whether a word is a name: an acronym, a capital inside it, or a capital not at a sentence's start
    (not the field's common names, not an exam's emphasis in capitals: «LEAST»)."""
    if lexicon.no_topic(raw):
        return False
    if len(raw) < 2:  # a bare letter («la opción C», «X e Y») names nothing
        return False
    acronym = raw.isupper()
    return acronym or any(ch.isupper() for ch in raw[1:]) or (raw[:1].isupper() and not first)


def words(text: str, lang: str = "es", names: frozenset[str] = frozenset()) -> list[Word]:
    """Content words of ``text`` with their match keys; stop words and words about the course are left out.

    ``names``: keys of the names that the sources define (``Recall (…)``, ``BERT:``), also taken as names."""
    out = []
    text = _LONE_LETTER.sub(_join_letter, text)  # «Top p», «top-p» and «Top-P» are one name
    text = _LETTER_FIRST.sub(_join_first_letter, text)
    for match in WORD.finditer(text):
        raw = _POSSESSIVE.sub("", match.group(0))  # «GPT's architecture» is about GPT
        folded = fold(raw)
        if NUMBER.match(raw) or folded in lexicon.NUMBER_WORDS:
            value = _number(raw) if NUMBER.match(raw) else lexicon.NUMBER_WORDS[folded]
            out.append(Word(raw, frozenset({f"n:{value}", f"w:{folded}"}), number=value))
            continue
        if folded in STOP or folded in lexicon.META or (len(folded) < 2 and not raw.isupper()):
            continue
        first = text[: match.start()].rstrip()[-1:] in ("", ".", ":", ";", "!", "?", "¿", "¡", "-", "(")
        keys = _word_keys(folded, lang)
        term = is_term(raw, first) or (bool(strict_keys(keys) & names) and folded not in lexicon.GENERIC_TERMS)
        out.append(Word(raw, keys, term=term, light=bool(keys & light_keys())))
    return out


def negated_keys(text: str, lang: str = "es") -> tuple[frozenset[str], frozenset[str]]:
    """Keys of the words under a negation in ``text`` (the two content words after no/sin/never…),
    and keys of the other words; the two content words after a lessening verb (reduce, evita…) are in neither."""
    lowered = text.lower()
    for phrase in lexicon.NOT_NEGATIONS:
        lowered = lowered.replace(phrase, " ")
    lowered = re.sub(lexicon.NEGATING_VERBS, " no ", lowered)
    lowered = re.sub(r"n't\b", " not", lowered)
    scoped: set[str] = set()
    plain: set[str] = set()
    for part in re.split(r"[,.;:()]", lowered):
        left = lessened = 0
        for token in WORD.findall(part):
            folded = fold(token)
            if folded in lexicon.NEGATIONS:
                left = NEGATION_SCOPE
            elif folded in _SCOPE_ENDS:
                left = lessened = 0
            elif folded not in STOP and not NUMBER.match(token):
                keys = _word_keys(folded, lang)
                if lessened <= 0 or left > 0:  # a lessened word («reduce la exposición») is in neither set
                    (scoped if left > 0 or folded in _negative_words() else plain).update(keys)
                step = 0 if keys & light_keys() else 1
                left, lessened = left - step, lessened - step
                if lexicon.LESSENING_VERBS.fullmatch(folded):
                    lessened = NEGATION_SCOPE
    return frozenset(scoped), frozenset(plain)


@dataclass
class Unit:
    source: int  # 0-based index of the source
    text: str
    context: str  # page title, numbered sections and the line above a bullet
    keys: frozenset[str] = frozenset()  # of the text and its context
    text_keys: frozenset[str] = frozenset()
    numbers: frozenset[str] = frozenset()
    scoped: frozenset[str] = frozenset()  # keys of negated words
    plain: frozenset[str] = frozenset()  # keys of the other words
    defines: frozenset[str] = frozenset()  # keys of the names it is about ("Recall (…)", "BERT: …", its heading)
    heading: bool = False  # a short title line: a window may not end on one (its content follows it)
    own_keys: frozenset[str] = frozenset()  # of the text and its context, without the page title
    heading_names: frozenset[str] = frozenset()  # of a heading that is a name alone («Amazon SageMaker Model Cards»)
    about: str = ""  # the heading that is a name alone its lines are about, when one is in force (itself included)


def _lines(text: str) -> list[str]:
    """The slide's lines, with lines wrapped by the PDF joined back."""
    lines: list[str] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if lines and not line.startswith("-") and not _SECTION.match(line):
            previous = lines[-1]
            long_line = len(line) >= 40 or re.search(r"[.!?…]$", line)
            if line[0].islower() or (len(previous) >= 75 and long_line and not re.search(r"[.!?…:;]$", previous)):
                lines[-1] = f"{previous} {line}"
                continue
        lines.append(line)
    return lines


def _starts_an_item(line: str) -> bool:
    """Whether ``line`` starts another item of a list: a ``Name (alias)`` head or a short line that is a name
    alone («Claude (Anthropic): Diseñado para…», «Amazon GuardDuty»), so a label before it no longer covers it."""
    head = _HEAD.match(line)
    if head and len(head.group(1).split()) <= 4:
        return True
    return len(line.split()) <= 6 and not re.search(r"[.!?…:]$", line) and bool(heading_names(line))


def split_units(text: str) -> list[tuple[str, tuple[str, ...], bool]]:
    """A slide's units as ``(text, context, heading)``: split at sentence ends and table cells. The context of
    a unit is its numbered sections and, for a bullet, the line it sits under; ``heading``: a short title line."""
    units: list[tuple[str, tuple[str, ...], bool]] = []
    sections: dict[int, str] = {}
    above = label = ""
    label_bullet = False
    for line in _lines(text):
        bullet = line.startswith("-")
        section = _SECTION.match(line)
        is_label = bool(_LABEL.match(line))
        if section:
            depth = section.group(1).count(".") + 1
            sections = {d: h for d, h in sections.items() if d < depth} | {depth: line}
        if section or line == "…" or is_label or _starts_an_item(line.strip(" -")):
            label = ""  # a new section, a gap, the next label or another item ends what a label was about
        elif label_bullet and not bullet:
            label = ""  # a paragraph after a bullet label's items
        context = tuple(dict.fromkeys([*sections.values(), above if bullet else "", label]))
        heading = not bullet and len(line.split()) <= 6 and not re.search(r"[.!?…]$", line)
        for piece in _SPLIT_UNIT.split(line.strip(" -")):
            if piece.strip(" |"):
                units.append((piece.strip(" |"), tuple(c for c in context if c and c != line), heading))
        if not bullet:
            above = line
        if is_label:
            label, label_bullet = line.strip(" -"), bullet
    return units


ITEM_LINE_WORDS = 8  # an item's name line: its name, its alias in brackets, perhaps «- its Spanish name»


def _with_aliases(units: list[Unit]) -> None:
    """A unit that names one side of a ``Name (alias)`` head of the sources («Fine-tuning (Afinamiento)») names
    the other too: a line under «Afinamiento» is about fine-tuning."""
    pairs = []
    for unit in units:
        head = _HEAD.match(_SECTION_NUMBER.sub("", unit.text))
        if head and len(head.group(1).split()) <= 4:
            sides = [[strict_keys(w.keys) for w in words(part) if not w.number] for part in head.groups()]
            if all(sides):
                pairs.append(sides)
    for unit in units:
        for sides in pairs:
            for one, other in (sides, sides[::-1]):
                if all(keys & unit.own_keys for keys in one):
                    unit.own_keys |= union(other)


def _labelled_parts(following: list[tuple[str, tuple[str, ...], bool]]) -> bool:
    """Whether the units after a heading start with a label in capitals over a line («PROPÓSITO», then
    «Maximizar la precisión…»): the heading names an item told in labelled parts."""
    return len(following) > 1 and following[0][2] and in_capitals(following[0][0]) and not following[1][2]


def _capitalised_only(line: str) -> bool:
    """Whether ``line`` is one or two capitalised words and nothing else: the rest of a name's title that the
    slide wrapped onto a line of its own («Advisor» under «AWS Trusted»), not a name by itself (its capital is
    the line's first letter)."""
    parts = line.split()
    return 0 < len(parts) <= 2 and all(_CAPITALISED.fullmatch(part) for part in parts)


def names_an_item(line: str) -> bool:
    """Whether ``line`` is an item's name alone, a ``Name (alias)`` head with no sentence after it («Recall
    (Sensibilidad o Cobertura)», «R Squared (R²) - Coeficiente de Determinación»): the lines after it describe
    that item, as those after a label do («Mide qué porcentaje de los casos positivos…»)."""
    head = _HEAD.match(line.strip(" -"))
    short = len(line.split()) <= ITEM_LINE_WORDS and not re.search(r"[.!?…:;]$", line)
    return bool(head) and len(head.group(1).split()) <= 4 and short


@dataclass
class Evidence:
    """The sources cut into units, with their match keys: built once per answer."""

    units: list[Unit]
    n_sources: int
    all_keys: frozenset[str] = frozenset()
    names: frozenset[str] = frozenset()  # keys of the names the units are about ("Recall (…)", "BERT: …")


def union(sets) -> frozenset[str]:
    return frozenset().union(*sets)


def _defines(text: str, context: tuple[str, ...]) -> frozenset[str]:
    """Keys of the names a unit is about: a ``Name (alias)`` or ``Name: …`` head of the unit or of its context,
    the names in its context."""
    named: list[Word] = []
    for i, line in enumerate([text, *context]):
        line = _SECTION_NUMBER.sub("", line)
        head = _HEAD.match(line) or _COLON_HEAD.match(line)
        if head and len(head.group(1).split()) <= 4:
            named += words(" ".join(head.groups()))
        # a label names something only by its head («LLAMA (Meta):») or as a name alone («Amazon Macie:»)
        if i > 0 and (not line.endswith(":") or heading_names(line.rstrip(":"))):
            named += [w for w in words(line) if w.term]
    return union(strict_keys(w.keys) for w in named if not w.number)


@lru_cache(maxsize=4096)
def head_keys(text: str) -> frozenset[str]:
    """Strict keys of the name a line defines by its own head («Interpretabilidad: Entendiendo…», «Few-shot
    prompting (Prompting con pocos ejemplos)»), without its context's names; empty when it has none."""
    line = _SECTION_NUMBER.sub("", text)
    head = _COLON_HEAD.match(line) or _HEAD.match(line)
    if not head or len(head.group(1).split()) > 4:
        return frozenset()
    return union(strict_keys(w.keys) for w in words(head.group(1)) if not w.number)


def strict_keys(keys: frozenset[str]) -> frozenset[str]:
    """Keys that identify a name: no shared prefixes, no synonyms (CloudTrail is not CloudWatch)."""
    return frozenset(k for k in keys if k[0] in "we")


@lru_cache(maxsize=1)
def generic_name_keys() -> frozenset[str]:
    """Strict keys of the field's common names (AWS, Amazon, LLM…): too common to tell one claim from another."""
    return union(strict_keys(_word_keys(w, "es")) for w in lexicon.GENERIC_TERMS)


def heading_names(text: str) -> frozenset[str]:
    """Strict keys of the names a heading line gives when it is only a name («Amazon SageMaker Model Dashboard»,
    not «Instancias de Amazon EC2», an item of a list), less the field's common names."""
    ws = words(text)
    generic = generic_name_keys()
    if not all(w.term or strict_keys(w.keys) <= generic for w in ws):
        return frozenset()
    return union(strict_keys(w.keys) for w in ws if w.term) - generic


_CAPITAL = "A-ZÁÉÍÓÚÑ"
_CAPITALISED = re.compile(rf"(?<!\w)[{_CAPITAL}][a-záéíóúñü]+(?!\w)")
_CAPITALISED_RUN = re.compile(rf"{_CAPITALISED.pattern}(?:[ \t\n-]+{_CAPITALISED.pattern})+")


def _acronyms(text: str) -> list[tuple[frozenset[str], frozenset[str]]]:
    """The acronyms that runs of whole capitalised words spell («Elastic Container Registry» → ECR, «Amazon
    Virtual» then «Private Cloud» on the next line → VPC), each as ``(its words, its spelling keys)``, so that
    a claim's acronym finds the name a slide writes in full. A run's stop words and leading common names
    (Amazon, AWS) may be left out, and a run may go on into the next line's first word, so each 3–5 letter
    start of its initials is a key; its words do not include the common names, found in every run."""
    out = []
    for run in _CAPITALISED_RUN.findall(text):
        parts = [p for p in _CAPITALISED.findall(run) if fold(p) not in STOP]
        own = [p for p in parts if fold(p) not in lexicon.GENERIC_TERMS]
        keys = set()
        # a run may say a name twice («Amazon Virtual Private Cloud», then the logo's «Amazon Virtual» «Private
        # Cloud»): its initials are read from its start and from after each common name in it too
        starts = [0] + [i + 1 for i, p in enumerate(parts) if fold(p) in lexicon.GENERIC_TERMS]
        for names in [parts[start:] for start in dict.fromkeys(starts)]:
            initials = fold("".join(p[0] for p in names))
            keys |= {f"w:{initials[:end]}" for end in range(3, min(5, len(initials)) + 1)}
        if keys and own:
            out.append((frozenset(own), frozenset(keys)))
    return out


def prepare(sources: list[Source]) -> Evidence:
    """Cut ``sources`` into units and index their words."""
    units = []
    generic = generic_name_keys()
    for n, source in enumerate(sources):
        title = heading_names(source.title)  # a slide titled with a name alone («SageMaker JumpStart»)
        title_keys = union(w.keys for w in words(source.title) if w.term) if title else frozenset()
        under_title = bool(title)
        named_above: frozenset[str] = frozenset()  # keys of the last heading that is a name alone
        item: frozenset[str] = frozenset()  # keys of the last item's name alone (:func:`names_an_item`)
        named_line = ""  # the heading's text
        # A slide that goes on with the previous one's name («Amazon SageMaker Clarify», then its features on the
        # next slide) starts under that name: ``carried`` (:func:`carried_name`) is read as its first line.
        pieces = split_units(f"{source.carried}\n{source.text}" if source.carried else source.text)
        acronyms = _acronyms(source.text)
        parted: frozenset[str] = frozenset()  # keys of the item whose parts the labels in capitals name
        for k, (text, lines, heading) in enumerate(pieces):
            if heading and units and units[-1].source == n and names_an_item(units[-1].text):
                # the line under an item's name is what it is («Fine-tuning (Afinamiento)», then «Adaptación de
                # modelos para tareas específicas»), however short, unless it names an item or a name itself
                heading = names_an_item(text) or bool(heading_names(text))
            defines = _defines(text, lines)
            context = " ".join(lines)
            spelt = set(_CAPITALISED.findall(text))
            text_words = words(text)
            text_keys = union(w.keys for w in text_words) | union(keys for parts, keys in acronyms if parts & spelt)
            context_keys = union(w.keys for w in words(f"{source.title} {context}"))
            scoped, plain = negated_keys(text)
            numbers = frozenset(w.number for w in words(f"{text} {context}") if w.number)
            unit = Unit(n, text, context, text_keys | context_keys, text_keys, numbers, scoped, plain, defines)
            unit.heading = heading
            unit.heading_names = heading_names(text) if heading else frozenset()
            unit.own_keys = text_keys | union(w.keys for w in words(context))
            # An item told in labelled parts («Afinamiento», then «PROPÓSITO: …», «NECESIDAD DE DATOS: …») is what
            # the lines under its labels are about: the labels name no item, and its name holds until a heading
            # that is not a label, or a gap.
            if heading and parted and in_capitals(text):
                unit.heading_names = frozenset()
            elif heading or text == "…":
                named = heading and not in_capitals(text) and _labelled_parts(pieces[k + 1 :])
                parted = text_keys if named else frozenset()
            if not heading:
                unit.own_keys |= parted
            # The title's name is what its lines are about until a heading names something else; a line that
            # names it again takes it back («Con SageMaker JumpStart, puedes…» after a «CloudOps Guild» banner).
            if unit.heading_names and not unit.heading_names <= title:
                under_title = False
            elif title and strict_keys(text_keys) & title:
                under_title = True
            if under_title:
                unit.own_keys |= title_keys
            # Likewise the lines under a heading that is a name alone («Amazon Macie», then «Automatiza la
            # detección de datos confidenciales…») are about that name, until the next heading.
            if text == "…" or (heading and not strict_keys(text_keys) <= generic):
                # a gap in an excerpt may have skipped the next heading; a line of common names alone («AWS», a
                # logo's text) is no heading
                if unit.heading_names:
                    named_above, named_line = union(w.keys for w in text_words if w.term), text
                elif named_above and units and units[-1].heading and _capitalised_only(text):
                    named_above |= union(w.keys for w in text_words)  # a name's title wrapped: «AWS Trusted», «Advisor»
                    named_line = f"{named_line} {text}"
                else:
                    named_above, named_line = frozenset(), ""
            else:
                unit.own_keys |= named_above
            # And the lines after an item's name alone («Recall (Sensibilidad o Cobertura)», then «Mide qué
            # porcentaje de los casos positivos…») are about that item, until the next item, label, section or gap.
            if names_an_item(text):
                item = union(w.keys for w in text_words if w.term)
            elif text == "…" or heading or _starts_an_item(text) or _LABEL.match(text) or _SECTION.match(text):
                item = frozenset()
            else:
                unit.own_keys |= item
            unit.about = named_line
            units.append(unit)
    _with_aliases(units)
    names = union(u.defines for u in units) - generic_name_keys()
    return Evidence(units, len(sources), union(u.keys for u in units), names)


_NAMED = re.compile(rf"(?<!\w)[{_CAPITAL}]\w*[a-záéíóúñü]")  # a word written with a capital, not in capitals


BANNER_PAGES = 3  # a line on this many slides of one deck is its logo or banner, no slide's subject


def banners(slides: list[str]) -> frozenset[str]:
    """The lines that stand on ``BANNER_PAGES`` or more of a deck's ``slides`` (a logo: «CloudOps Guild»)."""
    counts = Counter(line.strip() for text in slides for line in set(text.splitlines()) if line.strip())
    return frozenset(line for line, n in counts.items() if n >= BANNER_PAGES)


def _names_in(text: str) -> frozenset[str]:
    """Keys of the names ``text`` says, less the field's common ones («AWS», «Amazon»)."""
    return union(strict_keys(w.keys) for w in words(text) if w.term) - generic_name_keys()


def carried_name(before: str, before_title: str, text: str, logos: frozenset[str] = frozenset()) -> str:
    """The name a slide's ``text`` goes on about from the slide ``before`` it: the last heading of that slide
    that is a name alone («Amazon SageMaker Clarify»), unless ``text`` starts by naming something or the
    name is one of the deck's ``logos`` (:func:`banners`); "" when there is none."""
    first = split_units(text)[:1]
    if first and (heading_names(first[0][0]) or _names_in(first[0][0])):  # it starts with a name of its own
        return ""
    name = _closing_name(before, before_title)
    return "" if name in logos else name


def _closing_name(text: str, title: str = "") -> str:
    """The last heading of a slide's ``text`` that is a name alone («Amazon SageMaker Clarify»), or "" when it
    has none."""
    units = prepare([Source(file="", page=0, title=title, text=text, score=0.0)]).units
    about = next((unit.about for unit in reversed(units) if unit.about), "")  # the slide's last name
    named = _NAMED.search(about) and not about.endswith(":")  # not a banner in capitals, nor a label
    return about if named else ""
