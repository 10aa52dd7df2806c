"""What a question asks about, without an LLM: its content words, weighted, and which of them it asks about.

Exam-style scenario questions wrap one technical ask in a long stem («A company wants to…», «Which solution
will meet these requirements with the LEAST operational overhead?»). Their boilerplate weighs less on the
lexical side (it matches every slide that mentions «empresa» or «requisitos»); the sentence that asks is told
apart from its context (for the decision to answer). An English question, when no translation was made by
the LLM, also searches the Spanish words of the glossary in :mod:`tutor.lexicon` («bias» → «sesgo»), and
its words count as present where the course has a cognate (application → aplicación).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

import Stemmer

from tutor.lexicon import EXAM_CAPITALS, EXTRA_STOPWORDS, LIGHT, META
from tutor.text import STOPWORDS, detect_language, fold, lexical_tokens, named_terms, writes_word

# Exam boilerplate phrases (English and Spanish), matched on the question as written.
_BOILERPLATE = [
    r"(?:that |which |will |would |best |most effectively )*(?:meets?|satisf(?:y|ies)|fulfil(?:l?s)?|address(?:es)?)"
    r" (?:all )?(?:of )?(?:these|this|the|those|its|their|that) (?:requirements?|needs?|goals?|criteria|objectives?)",
    r"(?:with|requires?|involves?|needs?|has|have|incurs?) the (?:least|lowest|minimum|most|fewest|smallest) "
    r"(?:amount of )?(?:operational |development |"
    r"administrative |implementation |management |setup |engineering |infrastructure )?(?:overhead|effort|cost|"
    r"changes?|steps?|code)",
    r"(?:in )?(?:the )?most (?:cost[- ]effective(?:ly)?|operationally efficient) (?:way|manner)?",
    r"\(?(?:select|choose) (?:two|three)\.?\)?",
    r"\b(?:wants?|needs?|plans?|would like|is planning|has been asked|is looking|requires?) to\b",
    r"(?:cumple|cumplen|satisface|satisfacen|cubre|cubren)(?: con)? (?:todos )?(?:estos|este|esos|ese|los|el|las|la)"
    r" (?:requisitos?|necesidades|necesidad|objetivos?)",
    r"(?:con|requieren?|implican?|tienen?|suponen?) (?:el|la) (?:menor|m[íi]nim[oa]) "
    r"(?:esfuerzo|sobrecarga|coste|costo|trabajo)(?: operativ[oa]| de desarrollo"
    r"| de gesti[óo]n| operacional| de implementaci[óo]n)?",
    r"de la (?:forma|manera) m[áa]s (?:rentable|eficiente|econ[óo]mica)",
    r"\b(?:quiere|quieren|necesita|necesitan|desea|desean|pretende|pretenden|tiene que|tienen que)\b",
    # how to explain it, not what: «como si tuviera 10 años», «en palabras sencillas», «like I'm five»
    r"como si (?:yo )?(?:tuviera|tuviese|fuera|fuese) (?:\w+ ){0,3}?(?:a[ñn]os|ni[ñn][oa]s?|principiantes?)",
    r"(?:con|en) palabras (?:sencillas|simples|f[áa]ciles)|de (?:forma|manera|modo) (?:sencilla|simple|f[áa]cil)",
    r"para (?:dummies|principiantes|ni[ñn]os)|\beli5\b|in (?:simple|plain|layman'?s?) (?:terms|words|english)",
    r"(?:like|as if|as though) (?:i'?m|i am|i were|i was) (?:\w+ ){0,2}?(?:five|5|\d+|kids?|child|beginners?)",
]
_BOILERPLATE_RE = re.compile("|".join(f"(?:{p})" for p in _BOILERPLATE), re.IGNORECASE)

# Who a stem is about, in any course: in the ask too («¿Qué debe hacer la empresa?») it names an actor, never a topic.
ACTOR_WORDS = frozenset(
    """
    company companies organization organisation organizations business enterprise firm startup team teams
    empresa empresas compania organizacion negocio equipo equipos
    """.split()
)
# Words that set the scene of a stem in any course (who asks, what they want), folded and unstemmed.
FILLER_WORDS = ACTOR_WORDS | frozenset(
    """
    customer customers client clients department group staff employee employees manager management
    wants want wanted needs need needed require requires required requirement requirements solution solutions
    meet meets least most overhead effort operational option options approach best likely ensure goal
    following scenario currently recently already plans planning looking asked uses using used use
    cliente clientes departamento area
    quiere quieren queria necesita necesitan desea busca requisito requisitos solucion
    soluciones cumple cumplir opcion opciones enfoque menor esfuerzo operativo actualmente
    """.split()
)
# Weight of a boilerplate or filler token on the lexical side (content words weigh 1).
FILLER_WEIGHT = 0.2
# Weight of a glossary translation of an English word (its own token keeps weight 1: cognates match).
GLOSSARY_WEIGHT = 0.7


# Chat words of Spanish questions («pa q sirve», «xq», «bro»), folded: no content, like stop words.
SLANG = frozenset(
    "q xq pq porq pa d dif tb tmb xfa porfa plis bro oye onda xd jaja jajaja jajajaja ok vale vs versus etc".split()
)


# Words any question may use whatever its topic (folded): a page that lacks them can still answer it.
GENERIC_WORDS = frozenset(
    """
    varios varias buen bueno buena mejor peor parte partes orden llevar lleva pasar pasa pasan mover mueve subir
    subo bajar cosa cosas tipo tipos forma formas manera maneras ejemplo ejemplos caso casos general principal
    principales tipico tipica tipicos comun comunes definir define sirve servir funcionar funciona explicar explica
    explicame explicalo explicamelo explicanos
    decir dice significa significar saber conocer necesito deberia mismo misma importante importa paso pasos
    exactamente realmente basicamente concreto concreta concretos normal normalmente ocurre ocurrir sucede
    servicio servicios herramienta herramientas tecnica tecnicas metodo metodos opcion opciones enfoque enfoques
    solucion soluciones profe profesor profesora debe deben debo debes deberian puede pueden puedo puedes podria
    podrian causa causas motivo motivos razon razones usar uso usas usa usamos usan utilizar utilizo utilizas utiliza
    utilizamos utilizan emplear empleo empleamos propio propia propios propias conviene convienen conveniente
    convendria
    service services tool tools technique techniques method methods option options approach approaches
    solution solutions teacher professor instructor cause causes reason reasons use uses using
    course define defined definition mean means meaning kind kinds type types way ways thing things part parts
    example examples main common typical work works working happen happens explain describe good better best
    many several various different order exactly really basically actually usually own between difference
    """.split()
)


@dataclass(frozen=True)
class Term:
    """One content word of a question."""

    word: str  # folded, as written
    token: str  # its lexical token
    weight: float  # 1, or FILLER_WEIGHT for boilerplate
    alternatives: tuple[str, ...] = ()  # Spanish tokens that stand for it (glossary, cognates)
    ask: bool = False  # in the sentence that asks (not in a scenario's context)
    generic: bool = False  # a word of any question (GENERIC_WORDS, light or meta words): its absence says little
    translated: bool = False  # from the LLM's Spanish translation of the question


@dataclass
class Query:
    """A question as the search sees it."""

    text: str
    language: str
    terms: list[Term] = field(default_factory=list)
    translated: bool = False  # the LLM's Spanish translation is among the terms

    @property
    def groups(self) -> list[tuple[float, tuple[str, ...]]]:
        """(weight, (token, *alternatives)) for each term: the lexical side's input."""
        return [(t.weight, (t.token, *t.alternatives)) for t in self.terms]


def analyse(text: str, translation: str = "", reduce: bool = True, expand: bool = True) -> Query:
    """The weighted terms of ``text`` (and of its Spanish ``translation`` when the LLM made one)."""
    language = detect_language(text)
    translation = translation.strip()
    terms: dict[str, Term] = {}
    for term in _terms(text, reduce, expand and language == "en" and not translation):
        _add(terms, term)
    for term in _terms(translation, reduce, False):
        _add(terms, replace(term, translated=True))
    return Query(text.strip(), language, list(terms.values()), bool(translation))


def _terms(text: str, reduce: bool, glossary: bool):
    """The content words of ``text`` as terms (stop words and chat words left out)."""
    spans = [m.span() for m in _BOILERPLATE_RE.finditer(text)] if reduce else []
    ask_from = len(text) - len(ask_part(text))
    frame = _frame_span(text, ask_from)
    for word, start, compound in _words(text):
        folded = fold(word)
        tokens = lexical_tokens(word)
        if folded in STOPWORDS or folded in EXTRA_STOPWORDS or folded in SLANG or not tokens:
            continue
        ask = start >= ask_from
        # scene-setting words weigh less in a scenario's context; boilerplate phrases, anywhere
        filler = reduce and ((folded in FILLER_WORDS and not ask) or any(a <= start < b for a, b in spans))
        generic = folded.isdigit() or (not compound and (folded in GENERIC_WORDS or folded in LIGHT or folded in META))
        generic = generic or frame[0] <= start < frame[1] or folded in ACTOR_WORDS or word in EXAM_CAPITALS
        extra = glossary_tokens(folded) if glossary else ()
        yield Term(folded, tokens[0], FILLER_WEIGHT if filler else 1.0, extra, ask, generic)


# A name after «según (el profe)», «en», «con», «desde», «according to», «in», «with», «using»… qualifies the
# question (who said it, the tool it is about) rather than being what it asks.
_QUALIFIED = re.compile(
    r"\b(?:seg[úu]n|en|con|desde|usando|mediante|de[l]? (?:profe|profesor|profesora)|according to|in|with|from|"
    r"using|via|on)\s+(?:(?:el|la|los|las|un|una|mi|the|a|an|my)\s+)?(?:(?:profe|profesor|profesora|teacher|"
    r"professor|instructor)\s+)?([A-ZÁÉÍÓÚÑ][\w\-]*)",
    re.IGNORECASE,
)


def asked_names(text: str) -> set[str]:
    """Named terms of the sentence that asks, without those that only qualify it («¿Qué es overfitting en
    TensorFlow?» asks about overfitting; «según el profe Juan» says who said it) and those that name the
    scenario's actors again (:func:`back_references`)."""
    ask = ask_part(text)
    qualified = {m.group(1) for m in _QUALIFIED.finditer(ask) if m.group(1)[0].isupper()}
    return set(named_terms(ask)) - qualified - back_references(text)


# What an exam's ask asks for is the noun phrase right after its «which» / «qué»: «Which SageMaker inference
# option…», «¿Qué opción de despliegue de SageMaker…». It ends where a verb, a preposition or a new article begins
# («…should the São Paulo bank prioritize», «…debe elegir la cadena de Lisboa», «…matches the dataset…»).
_WH = re.compile(r"(?:¿\s*)?\b(which|what|qu[ée]|cu[áa]l(?:es)?)\b", re.IGNORECASE)
_COPULA = {"is", "are", "was", "were", "es", "son", "era", "eran", "fue", "significa", "means", "mean"}
_PHRASE_ENDS = _COPULA | {
    "should", "must", "would", "could", "can", "will", "does", "do", "did", "has", "have", "to", "for", "about",
    "that", "which", "in", "with", "on", "from", "by", "debe", "deben", "debería", "deberían", "puede", "pueden",
    "está", "están", "se", "para", "que", "con", "en", "sobre", "por", "a", "al",
}  # fmt: skip
_ARTICLES = {"the", "a", "an", "its", "their", "this", "these", "el", "la", "los", "las", "un", "una", "su", "sus"}
_OF = {"de", "del", "of"}


def back_references(text: str) -> set[str]:
    """Names of the ask that only name again what the scenario already said: its actors and their things («¿Qué
    modelo debe elegir la cadena hotelera de Lisboa?», «Which metric should the São Paulo bank prioritize?»,
    «…the chatbot's answers about the Confluence policies»). A name counts when the context before the ask
    writes it and it stands past the noun phrase that follows the ask's «which» / «qué», unless a copula
    follows that word («What are the advantages of DPO?» asks about DPO)."""
    ask = ask_part(text)
    context = text[: len(text) - len(ask)]
    wh = _WH.search(ask)
    if not context.strip() or wh is None:
        return set()
    after = _WORD.findall(ask[wh.end() :])
    if after and after[0].lower() in _COPULA:
        return set()
    end = next(
        (
            i
            for i, word in enumerate(after)
            if (w := word.lower()) in _PHRASE_ENDS or (w in _ARTICLES and (i == 0 or after[i - 1].lower() not in _OF))
        ),
        len(after),
    )
    tail = " ".join(after[end:])
    return {term for term in named_terms(ask) if writes_word(context, term) and writes_word(tail, term)}


def _add(terms: dict[str, Term], term: Term) -> None:
    """Keep one term per token: the highest weight, every alternative, in the ask if any copy is."""
    old = terms.get(term.token)
    if old is None:
        terms[term.token] = replace(term, alternatives=tuple(t for t in term.alternatives if t != term.token))
        return
    alternatives = tuple(t for t in dict.fromkeys(old.alternatives + term.alternatives) if t != term.token)
    terms[term.token] = replace(
        old,
        weight=max(old.weight, term.weight),
        alternatives=alternatives,
        ask=old.ask or term.ask,
        generic=old.generic and term.generic,
        translated=old.translated or term.translated,
    )


def ask_part(text: str) -> str:
    """The sentence that asks (from the last «¿», else the last sentence ending in «?», else the last one): in a
    scenario question, what comes before it is context."""
    if "¿" in text:
        return text[text.rindex("¿") :]
    stripped = text.rstrip()
    body = stripped[:-1] if stripped.endswith("?") else stripped
    cut = max(body.rfind(". "), body.rfind("? "), body.rfind("! "), body.rfind("\n"))
    return stripped[cut + 1 :].strip() if cut >= 0 else stripped


# The end of an exam's ask after a modal: its subject and the verb that frames what is asked («Which metric should
# they prioritize?», «Which approach should the team try first?», «¿Qué opción de Bedrock debe contratar la
# empresa?»). What is asked is the noun after «which» / «qué»; a page that answers need not write «prioritize».
_FRAME = re.compile(
    r"(?:\b(?:which|what)\s+(?!should|must|would|could|can|will)\w+[^?]*?\b((?:should|must|would|could|can|will)"
    r"(?:\s+\w+){1,4}?)"
    r"(?:\s+(?:first|next|now|instead))?(?:\s+(?:when|before|after|while)(?:\s+\w+){1,4})?"
    r"|(?:¿\s*)?\b(?:qu[ée]|cu[áa]l(?:es)?)\s+(?!debe|deben|puede|pueden)\w+[^?]*?"
    r"\b((?:debe|deben|deber[íi]a|deber[íi]an|puede|pueden|conviene|tiene que|tienen que|ha de|han de|"
    r"se encuentra|se encuentran|est[áa]|est[áa]n)"
    r"(?:\s+\w+){1,5}?)(?:\s+(?:primero|ahora))?)\s*\?\s*$",
    re.IGNORECASE,
)


def _frame_span(text: str, ask_from: int) -> tuple[int, int]:
    """Where, in ``text``, the ask's modal and the words after it («should they prioritize») are; (0, 0) if none."""
    match = _FRAME.search(text, ask_from)
    if match is None:
        return 0, 0
    group = 1 if match.group(1) is not None else 2
    return match.start(group), match.end()


_WORD = re.compile(r"\w+", re.UNICODE)


def _words(text: str):
    """(word, where it starts, whether it is part of a hyphenated compound such as «k-means»)."""
    for match in _WORD.finditer(text):
        word, start, end = match.group(0), match.start(), match.end()
        compound = (start > 0 and text[start - 1] == "-") or (end < len(text) and text[end : end + 1] == "-")
        if len(word) > 1 or word.isdigit():
            yield word, start, compound


@lru_cache(maxsize=1)
def _english_stemmer() -> Stemmer.Stemmer:
    return Stemmer.Stemmer("english")


@lru_cache(maxsize=1)
def _glossary() -> dict[str, tuple[str, ...]]:
    """English stem → the lexical tokens of its Spanish translations (tutor.lexicon's glossary)."""
    from tutor.lexicon import glossary_pairs

    stem = _english_stemmer().stemWord
    table: dict[str, tuple[str, ...]] = {}
    for english, spanish in glossary_pairs():
        tokens = tuple(t for s in spanish for t in lexical_tokens(s))
        key = stem(fold(english))
        table[key] = tuple(dict.fromkeys(table.get(key, ()) + tokens))
    return table


def glossary_tokens(folded_word: str) -> tuple[str, ...]:
    """Spanish lexical tokens for an English word, from the glossary (empty when it has no entry)."""
    return _glossary().get(_english_stemmer().stemWord(folded_word), ())


def skeleton(word: str) -> str:
    """A folded word spelt so that English and Spanish cognates look alike (application, aplicación →
    aplicacion; hyperparameter → hiperparameter): compared on their first ``COGNATE_PREFIX`` letters."""
    w = fold(word)
    w = w.replace("tion", "cion").replace("ph", "f").replace("th", "t").replace("ch", "c").replace("qu", "c")
    w = w.replace("y", "i").replace("k", "c")
    w = re.sub(r"(\w)\1", r"\1", w)
    return "e" + w if re.match(r"s[^aeiou]", w) else w


COGNATE_PREFIX = 6

# Zipf frequency (log10 of uses per billion words, from the wordfreq package's small list, 0.1 s to load) from
# which an English word counts as common: «team» 5.7, «addresses» 4.1, «prioritize» 3.3, «throughput» 3.2;
# «watermark» is not on the small list (0). Chosen before measuring (10 uses per million words), not tuned.
COMMON_ZIPF = 4.0


def common_english(word: str) -> bool:
    """Whether ``word`` is a common English word (any text may use it, whatever its topic)."""
    from wordfreq import zipf_frequency  # on the first English question, not at start-up (0.15 s to import)

    return zipf_frequency(word, "en", wordlist="small") >= COMMON_ZIPF
