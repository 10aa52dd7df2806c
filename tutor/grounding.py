"""Check an answer against its sources, sentence by sentence, fix its citations, spot unusable output.

Each sentence is judged by tutor/claims.py against the sources (claims, not word overlap: paraphrases and
English sentences about Spanish slides count; swapped numbers, names and negations do not):

- *supported*: kept; the model's markers are kept where that source supports it, else the best source is cited;
- *unsupported*: kept without markers and visibly marked as not from the course («(no está en el curso)»,
  "(not in the course)", by the sentence's language), so a student never takes it for course content;
- *contradicted*: dropped (listed in ``Grounding.dropped``).

With an instruction-tuned model the checker's verdict is combined with the model's own opinion of each sentence
(``verify``, tutor/verify.py): it keeps paraphrases and translations the word match misses, and drops claims
the word match takes for supported.

Sentences with fewer than three content words (connectives, a primer) pass through unjudged. The caller falls
back to literal passages when the answer is empty, looping or mostly unsupported (``usable`` is false).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache

from tutor.citations import MARKER
from tutor.claims import MAX_WINDOW, MIN_COVERAGE, MIN_WORDS, SentenceVerdict, judge, prepare, sentence_language, words
from tutor.evidence import Evidence, Unit, Word, heading_names, names_an_item, union
from tutor.lexicon import GENERIC_TERMS, META
from tutor.needs import need_groups
from tutor.query import FILLER_WORDS, GENERIC_WORDS, analyse
from tutor.text import LIST_MARK, STOPWORDS, fold, in_capitals, lexical_tokens
from tutor.types import Source
from tutor.verify import Verifier, combine

MIN_GROUNDED = 0.5  # below this share of content words in supported sentences, an answer is "mostly unsupported"
# A mostly unsupported answer still shows its supported sentences (and only those) when they hold at least this
# share of its content words and this many words; below, the literal passages replace it.
MIN_PARTIAL_SHARE = 0.25
MIN_PARTIAL_WORDS = 5
CITE_MARGIN = 0.1  # a model's marker is kept when its source covers the sentence within this of the best source
# Sentences end at a full stop, also one inside closing quotes («…creativity." Therefore…»), and at line breaks.
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|(?<=[.!?…][\"»”'])\s+|\n+")
# A source's label as the prompt shows it, copied by the model as a line of its own («[1] sesion2.pdf, diapositiva
# 12 — Temperatura», «apuntes.md, sección 3»): a reference, not a claim, so neither shown nor judged.
_SOURCE_LABEL = re.compile(
    r"^\W*[\w.-]+\.(?:pdf|md|markdown|txt),\s*(?:diapositiva|slide|secci[oó]n|section|p[aá]gina|page)\s*\d+"
    r"(?:\s*«[^»]{0,80}»|\s*[—–-]\s*[^.!?]{0,80})?\W*$",
    re.IGNORECASE,
)
_FILE_NAME = re.compile(r"\b[\w-]+\.(?:pdf|md|markdown|txt)\b", re.IGNORECASE)  # a source's file, named
# What a sentence about a source's file says of it, besides the file: no claim («This option supports slide [2]
# from the "x.pdf" course»).
_FILE_TALK = META | frozenset(
    "option opcion options opciones supports supported support apoya respalda respaldada source sources fuente "
    "fuentes page pagina".split()
)


def _about_a_file(sentence: str) -> bool:
    """Whether ``sentence`` only talks about a source's file (a claim that names one is judged as any other)."""
    if not _FILE_NAME.search(sentence):
        return False
    rest = _FILE_NAME.sub(" ", fold(sentence))
    content = [w for w in re.findall(r"[a-z]+", rest) if w not in STOPWORDS and len(w) > 1]
    return all(w in _FILE_TALK for w in content)


# A sentence that says the course states something («The slides state that…», «Según las diapositivas, …»): when
# the sources do not support it, an instruction-tuned model misquotes them, so it is dropped, not marked «(not in
# the course)».
_ATTRIBUTES = re.compile(
    r"\b(?:the|these|this|our) (?:slides?|course|sources?|notes|material)\b[^.]{0,20}?\b(?:states?|says?|shows?|"
    r"explains?|mentions?|notes?|indicates?|supports?|defines?)\b"
    r"|\bsegun (?:las? |el )?(?:diapositivas?|curso|fuentes?|apuntes|material)\b"
    r"|\b(?:las? |el )?(?:diapositivas?|curso|fuentes?|apuntes) (?:\w+ )?(?:dicen|dice|indican?|explican?|muestran?|"
    r"afirman?|senalan?|mencionan?|definen?)\b"  # read on folded text: lower case, no accents
    r"|\b(?:supported|stated|shown|explained|mentioned|backed|confirmed) (?:by|in|on) (?:the )?(?:slides?|course|"
    r"sources?|notes)\b"  # «This is supported by slide [2] in the session…»
    r"|\b(?:respaldad|apoyad|mencionad|indicad|explicad|confirmad)[oa]s? (?:por|en) (?:las? |el )?(?:diapositivas?|"
    r"curso|fuentes?|apuntes)\b"
    r"|\bse (?:menciona|indica|explica|describe|muestra|recoge)n? (?:\w+ ){0,2}en (?:las? |el )?(?:diapositivas?|"
    r"curso|fuentes?|apuntes)\b"  # «Esta opción se menciona directamente en la diapositiva 17 del curso»
    r"|\b(?:slide|page|source|diapositiva|pagina|fuente) \[?\d+\]? (?:\w+ ){0,2}(?:states?|says?|shows?|explains?|"
    r"mentions?|notes?|indicates?|supports?|defines?|describes?|dice|indica|explica|muestra|menciona|define|"
    r"describe|respalda|apoya)\b"  # «Slide 21 supports this by explaining that…», «La diapositiva 3 dice…»
    r"|\b(?:in|on|according to) (?:slide|page|source) \[?\d+"  # «As described on slide 21, …»
    r"|\b(?:en|segun|dice|indica|explica|muestra|menciona|senala) la (?:diapositiva|pagina|fuente) \[?\d+"
)
# A sentence that goes on about the one before by a pronoun («It can help auditors…», «Este servicio…»).
_GOES_ON = re.compile(r"^(?:It|Its|This|These|That|They|Esto|Este|Esta|Estos|Estas|Ese|Esa|Eso|Ello)\b")
# A list item's number or bullet alone: the sentence split cuts «3. Recuperación…» after «3.».
_ITEM_NUMBER = re.compile(rf"^{LIST_MARK}$")
# A last piece too short to judge that is neither a list item nor a finished sentence: a heading the model
# started («Overfitting (sobreajuste)»), a cut-off fragment, or an introduction nothing follows («Recursos: [3]»).
# It is left out.
_UNFINISHED_TAIL = re.compile(rf"^(?!{LIST_MARK})[^.!?…:;]*:?$")
NOT_IN_COURSE = {"es": "(no está en el curso)", "en": "(not in the course)"}
# A sentence that ends with a marker where its answer should be: «El servicio adecuado es [1].», «… son [1] y [2].»
# It says nothing the student can read, so it is left out (a small model's way of dodging the question).
_MARKS = rf"(?:{MARKER.pattern}\s*(?:,|y|e|o|and|or)?\s*)+"
_PLACEHOLDER = re.compile(
    r"\b(?:es|son|era|sería|será|serían|llama|llaman|denomina|el|la|los|las|un|una|de|del|como|usar|utilizar|"
    r"servicio|técnica|mediante|is|are|was|would be|called|the|a|an|of|as|use|service|technique)\s*"
    + _MARKS
    + r"[.!?…]?\s*$",
    re.IGNORECASE,
)
# A marker inside the sentence where a noun should be, right after an article: «es el [1] de muestreo», «la [2]
# permite…». Not a marker after a name («CloudWatch [1] es…»), nor before one («del [1] Bedrock»: misplaced, the
# sentence reads without it), nor after a preposition («a partir de [1], Top-K…», «como [1] explica»).
_GAP = re.compile(
    r"\b(?:el|la|los|las|un|una|del|al)\s*" + _MARKS + r"(?=,?\s*(?-i:[a-záéíóúñü]))",
    re.IGNORECASE,
)


@dataclass
class Grounding:
    text: str  # the answer with corrected citation markers, contradicted sentences dropped
    cited: list[int]
    grounded_share: float  # share of the judged content words that are in supported sentences
    content_words: int
    verdicts: list[SentenceVerdict] = field(default_factory=list)  # one per judged sentence
    dropped: list[str] = field(default_factory=list)  # contradicted or unreadable sentences, as written
    supported_text: str = ""  # the answer with only its supported sentences
    supported_cited: list[int] = field(default_factory=list)  # the sources ``supported_text`` cites
    omitted: int = 0  # judged sentences left out of ``supported_text`` (unsupported or contradicted)

    @property
    def usable(self) -> bool:
        return self.content_words >= 4 and self.grounded_share >= MIN_GROUNDED

    @property
    def partly_usable(self) -> bool:
        """Not usable as a whole, but its supported sentences are a real part of it: show those alone."""
        supported_words = self.grounded_share * self.content_words
        return not self.usable and self.grounded_share >= MIN_PARTIAL_SHARE and supported_words >= MIN_PARTIAL_WORDS


def ground(
    answer: str,
    sources: list[Source],
    verify: Verifier | None = None,
    language: str = "",
    question: str = "",
    said: str = "",
    ranked: list[int] | None = None,
) -> Grounding:
    """Judge each sentence of ``answer`` against ``sources`` (and ask ``verify``, the model, when given);
    cite, mark or drop it accordingly. ``language`` (the question's) is that of a sentence without function
    words. A sentence that only repeats the ``question`` («Antes usaba GitHub Copilot.») is left out unless the
    sources support it: it is the student's premise, not a claim to mark. With ``verify`` (an instruction-tuned
    model answers), a sentence that restates the question around what it adds (unsupported, or contradicted
    only on a name the question itself says) is supported when one passage says that about the question's
    topic (:func:`answers_in_one_passage`); a base model's copied fragments are not answers, so the rule is not
    applied to them. ``said``: what the student is already told besides the question (a practice question's
    chosen option), left out when said back like the question, but no premise for the rule. ``ranked``: the
    source numbers by retrieval rank (default: as numbered); a sentence the model's markers do not fit cites the
    best-ranked source that supports it about as well as the best one does."""
    evidence = prepare(sources)
    asked = _asked(question)
    told = _asked(f"{question}\n{said}") if said else asked
    pieces, separators = split_sentences(answer)
    out: list[tuple[int, str, bool]] = []  # (piece index, shown sentence, supported)
    short: set[int] = set()  # pieces too short to judge
    result = Grounding(text="", cited=[], grounded_share=0.0, content_words=0)
    total = supported = 0
    seen: set[str] = set()
    after_dropped = False  # the last judged sentence was dropped
    for i, sentence in enumerate(pieces):
        plain = MARKER.sub("", sentence)
        said = re.sub(r"\W+", " ", plain.lower()).strip()
        if not said or said in seen or _SOURCE_LABEL.match(plain) or in_capitals(plain) or _about_a_file(plain):
            continue  # punctuation alone («...»), a sentence written again, a source's label or a logo («AWS
            # COMMUNITY») copied, or talk about a source's file («This option supports slide [2] from the "x.pdf"…»)
        seen.add(said)
        marked = [int(n) for m in MARKER.finditer(sentence) for n in re.findall(r"\d+", m.group(1))]
        n_words = len(lexical_tokens(plain))
        if _PLACEHOLDER.search(sentence) or _GAP.search(sentence):  # a marker stands for its answer: unreadable
            total += n_words
            result.dropped.append(sentence)
            result.omitted += 1
            after_dropped = True
            continue
        if len(words(plain)) < MIN_WORDS or not sources:
            # Too short to judge: its markers cannot be verified, so none is kept.
            fixed = _with_markers(sentence, [], added=False) if lexical_tokens(plain) else plain.rstrip()
            keep = []
            ok = False  # kept in the whole answer, not in ``supported_text`` (a fragment out of its context)
            short.add(i)
        else:
            verdict = _second_opinion(judge(plain, evidence, default_lang=language), verify, plain)
            if question and verify is not None and _premise_only(verdict, asked):  # an instruction-tuned model's
                verdict = _answering(verdict, plain, question, evidence, language)
            if verdict.label != "supported" and _echoes(plain, told):
                continue  # the question said back: neither shown nor counted
            result.verdicts.append(verdict)
            total += n_words
            # (a base model's answer starts with our own «Según las diapositivas, »: no misquote of its own)
            misquotes = verify is not None and verdict.label == "unsupported" and bool(_ATTRIBUTES.search(fold(plain)))
            if verdict.label == "contradicted" or misquotes or (after_dropped and _GOES_ON.match(plain.strip())):
                result.dropped.append(sentence)  # a wrong claim or quote, or one about what a dropped one named
                result.omitted += 1
                after_dropped = True
                continue
            keep = _supporting(verdict, marked, ranked)
            supported += n_words if keep else 0
            fixed = _with_markers(sentence, keep, added=not set(keep) & set(marked))
            ok = verdict.label == "supported"
            if not ok:
                fixed = _mark_unsupported(fixed, language)
                result.omitted += 1
            else:
                result.supported_cited.extend(keep)
        result.cited.extend(keep)
        out.append((i, fixed, ok))
        after_dropped = False
    out = _without_loose_ends(out, short) if sources else out
    result.text = _join(out, separators)
    result.supported_text = _join([piece for piece in out if piece[2]], separators)
    result.cited = list(dict.fromkeys(result.cited))
    result.supported_cited = list(dict.fromkeys(result.supported_cited))
    result.grounded_share = supported / total if total else 0.0
    result.content_words = total
    return result


ECHO_SHARE = 0.8  # a sentence with at least this share of its content words from the question repeats it


def _exact(keys: frozenset[str]) -> frozenset[str]:
    """A word's spelling and stem keys (no shared prefixes, synonyms or translations)."""
    return frozenset(k for k in keys if k[0] in "wse")


@lru_cache(maxsize=16)
def _asked(question: str) -> frozenset[str]:
    """Spelling and stem keys of the question's content words (in both languages)."""
    return frozenset().union(*(_exact(w.keys) for lang in ("es", "en") for w in words(question, lang)))


def _premise_only(verdict: SentenceVerdict, asked: frozenset[str]) -> bool:
    """Whether the sentence fails only as a claim of its own: unsupported, or contradicted because the course
    says one of the question's own words of something else («… for both training and inference» restated from
    the question, where the slide that names the answer does not write «inference»)."""
    if verdict.label == "unsupported":
        return True
    swapped = words(verdict.name) if verdict.label == "contradicted" and verdict.name else []
    return bool(swapped) and all(_exact(w.keys) & asked for w in swapped)


_NOT_TOPIC = FILLER_WORDS | GENERIC_WORDS | GENERIC_TERMS  # the scene's and the field's words
PREMISE_TOPIC_WORDS = 1  # topic words of the question that the passage naming the answer must share


def _answering(
    verdict: SentenceVerdict, sentence: str, question: str, evidence: Evidence, language: str
) -> SentenceVerdict:
    """``verdict`` made supported (citing that source alone) when the sentence answers the question from one
    passage (:func:`answers_in_one_passage`)."""
    source = answers_in_one_passage(sentence, question, evidence, language)
    if source is None:
        return verdict
    support = [1.0 if n == source else 0.0 for n in range(evidence.n_sources)]
    reason = f"{verdict.reason}; what it adds to the question is on one passage of source {source + 1}"
    return replace(verdict, label="supported", cited=[source + 1], support=support, reason=reason)


def answers_in_one_passage(sentence: str, question: str, evidence: Evidence, language: str = "") -> int | None:
    """The source (0-based) one passage of which says what ``sentence`` adds to ``question`` together with what
    the question is about, or None.

    An answer to a scenario restates the question around the one thing it adds: «El servicio que debe usar es
    AWS Trusted Advisor», «Amazon Inspector should be used to continuously scan these resources». The
    question's words are the student's premise, not claims the slides must make; what the sentence adds (the
    service, the technique) must be on one passage (a slide sentence or bullet, with its context) that also
    shares at least ``PREMISE_TOPIC_WORDS`` of the question's topic words, so that a name from another line of
    the slide (another service in the same list) does not pass. When what it adds includes a name, the passage
    may run over up to ``MAX_WINDOW`` consecutive lines that are all about that name (they write it, or sit
    under a heading or label that does: «Jurassic-2 (AI21 Labs):», then «Enfocado en generación de texto»,
    «Destaca por capacidades multilingües»). A topic word that the added name is made of counts only outside
    that name (:func:`_shares_topic`), and the words that frame an answer (``FRAME_WORDS``: «should choose»)
    are not what it adds.
    """
    asked = _asked(question)
    lang = sentence_language(sentence, language)
    sentence = _without_glosses(sentence, evidence, lang)
    read = words(sentence, lang, evidence.names)
    said = [w for w in read if not w.light and not w.number and not _exact(w.keys) & _frame_keys()]
    added = [w for w in said if not _exact(w.keys) & asked]
    if not added or len(added) == len(said) or any(len(w.text) < 2 for w in added):
        return None  # nothing added, nothing of the question restated (an ordinary claim), or a bare letter («X e Y»)
    names = [w for w in added if w.term]
    topic = _topic(question)
    runs = _name_runs(read, names)
    name_keys = union(_exact(w.keys) for run in runs for w in run)
    in_name = tuple(bool(keys & name_keys) for keys in topic)
    reach = MAX_WINDOW if names else 1  # lines one passage may span
    units = evidence.units
    for start, unit in enumerate(units):
        if not all(_named_in(w, unit.own_keys) for w in names):
            continue
        window = [unit]
        for later in units[start + 1 : start + reach]:
            if later.source != unit.source or not all(_named_in(w, later.own_keys) for w in names):
                break
            window.append(later)
        keys = [u.own_keys for u in window]
        caption = _caption(units, start)
        seen = [caption, *window] if caption else window
        if not any(_shares_topic(u, topic, in_name, name_keys, evidence.names) for u in seen):
            continue
        if all(any(_named_in(w, k) for k in keys) for w in added) and _about_enough(window, names, topic, caption):
            return unit.source
    return None


def _caption(units: list[Unit], start: int) -> Unit | None:
    """The short line right above an item's name that captions it («No hay entrenamiento», then «Retrieval
    Augmented Generation (RAG)»): a heading of the same slide that names nothing itself."""
    if start == 0 or not names_an_item(units[start].text):
        return None
    above = units[start - 1]
    if above.source != units[start].source or not above.heading or above.heading_names or names_an_item(above.text):
        return None
    return above


# An acronym's spelled-out form in brackets right after it: «RAG (Generación Aumentada por Recuperación)».
_GLOSS = re.compile(r"\b([A-Z][A-Z0-9]+)\s*\(([^()]{2,80})\)")


def _without_glosses(sentence: str, evidence: Evidence, lang: str) -> str:
    """``sentence`` without the brackets after an acronym that spell it out in two words or more, all capitalised
    and all written by the sources («RAG (Generación Aumentada por Recuperación)»): another form of the name, not
    something more it adds, which a passage that writes the acronym («Retrieval-Augmented Generation (RAG) es…»)
    need not repeat. An acronym in brackets after a name («Key Management Service (KMS)») stays part of it."""

    def gloss(match: re.Match) -> str:
        inner = [w for w in words(match.group(2), lang) if not w.light]
        spelled = len(inner) >= 2 and all(w.text[:1].isupper() and w.keys & evidence.all_keys for w in inner)
        return match.group(1) if spelled else match.group(0)

    return _GLOSS.sub(gloss, sentence)


# The words that frame an answer or its reason («should choose X», «debe elegir X», «se centra en…», «la técnica
# adecuada es X», «sin que requiera volver a entrenar»), like «use»: not what it adds.
FRAME_WORDS = (
    "deber elegir escoger seleccionar optar centrar enfocar choose chose chosen select pick opt focus "
    "adecuado apropiado idóneo correcto recomendable appropriate suitable right recommended "
    "requerir requiere requiera necesitar necesite necesidad require need"
)


@lru_cache(maxsize=1)
def _frame_keys() -> frozenset[str]:
    return union(_exact(w.keys) for lang in ("es", "en") for w in words(FRAME_WORDS, lang))


def _term_runs(read: list[Word], makers: bool = False) -> list[list[Word]]:
    """The runs of consecutive names in ``read``; with ``makers``, a maker's name inside one does not end it
    («Key Management Service (AWS KMS)»)."""
    runs: list[list[Word]] = []
    run: list[Word] = []
    for word in read:
        if word.term or (makers and run and fold(word.text) in GENERIC_TERMS):
            run.append(word)
        elif run:
            runs.append(run)
            run = []
    return [*runs, run] if run else runs


def _name_runs(read: list[Word], names: list[Word]) -> list[list[Word]]:
    """Each name the sentence adds, taken whole (light words too): «SageMaker Feature Store» when it adds
    «SageMaker», «Key Management Service (AWS KMS)» when it adds «KMS»."""
    return [run for run in _term_runs(read, makers=True) if any(w in names for w in run)]


def _shares_topic(
    unit: Unit,
    topic: tuple[frozenset[str], ...],
    in_name: tuple[bool, ...],
    name_keys: frozenset[str],
    names: frozenset[str],
) -> bool:
    """Whether ``unit`` shares ``PREMISE_TOPIC_WORDS`` of the question's topic words. A word that the added
    name is made of («stored» and «SageMaker Feature Store», «key phrases» and «Key Management Service») counts
    only where the passage writes it outside that name (or a piece of it: «AWS Key» on a title's first line): a
    passage about the name shares it by naming it. «Tokens máximos» still answers with «limita los tokens»."""
    shared = sum(bool(t & unit.own_keys) for t, named in zip(topic, in_name, strict=True) if not named)
    if shared < PREMISE_TOPIC_WORDS and any(in_name):
        text = f"{unit.text}\n{unit.context}"
        outside = union(_outside_name(text, lang, name_keys, names) for lang in ("es", "en"))
        shared += sum(bool(t & outside) for t, named in zip(topic, in_name, strict=True) if named)
    return shared >= PREMISE_TOPIC_WORDS


@lru_cache(maxsize=1024)
def _outside_name(text: str, lang: str, name_keys: frozenset[str], names: frozenset[str]) -> frozenset[str]:
    """Exact keys of the words of ``text`` less the names made only of words of the name ``name_keys`` (once per
    line and name: the windows of one sentence overlap)."""
    read = words(text, lang, names)
    inside = {id(w) for run in _term_runs(read) if all(_exact(w.keys) & name_keys for w in run) for w in run}
    return union(_exact(w.keys) for w in read if id(w) not in inside)


def _about_enough(
    window: list[Unit], names: list[Word], topic: tuple[frozenset[str], ...], caption: Unit | None = None
) -> bool:
    """Whether the lines are about the question enough: one that writes the added names shares a topic word (the
    first with its ``caption``), or, when they hold the names only by a heading or label («Amazon Macie:», then
    «Detecta datos confidenciales en S3»), they share one topic word more: one word alone, often the question's
    verb («detecta»), would let any line under a name answer any question."""
    for i, unit in enumerate(window):  # a line that writes the name and shares a topic word is enough
        written = union(w.keys for w in words(unit.text))
        own = unit.own_keys | (caption.own_keys if caption and i == 0 else frozenset())
        if all(_named_in(w, written) for w in names) and any(keys & own for keys in topic):
            return True
    return sum(any(keys & u.own_keys for u in window) for keys in topic) >= PREMISE_TOPIC_WORDS + 1


def _named_in(word: Word, keys: frozenset[str]) -> bool:
    """Whether ``keys`` (a passage's) hold ``word``: a name or a compound by its spelling («One-shot» is not
    «Zero-shot»), any other word by any of its keys."""
    if word.term or "-" in word.text:
        return bool({k for k in word.keys if k.startswith("w:")} & keys)
    return bool(word.keys & keys)


@lru_cache(maxsize=16)
def _topic(question: str) -> tuple[frozenset[str], ...]:
    """Exact keys of each of the question's topic words: its content words less the scene and the field's
    generic ones (once per question, not once per sentence)."""
    topic: dict[str, frozenset[str]] = {}
    for lang in ("es", "en"):
        for w in words(question, lang):
            folded = fold(w.text)
            if w.light or w.number or folded in _NOT_TOPIC:
                continue
            topic[folded] = topic.get(folded, frozenset()) | _exact(w.keys)
    return tuple(topic.values())


def _echoes(sentence: str, asked: frozenset[str]) -> bool:
    """Whether ``sentence`` only says back the question whose word keys are ``asked``."""
    said = [(w.term, bool(_exact(w.keys) & asked)) for w in words(sentence)]
    if not said or any(term and not known for term, known in said):  # it names something the question did not
        return False
    return sum(known for _, known in said) >= ECHO_SHARE * len(said)


def _without_loose_ends(out: list[tuple[int, str, bool]], short: set[int]) -> list[tuple[int, str, bool]]:
    """``out`` (piece index, shown sentence, supported) without an unfinished last piece too short to judge (it
    carries no marker) and without a list item's number whose item was left out («3.» before a dropped
    sentence), until neither is left."""
    while True:
        while out and out[-1][0] in short and _UNFINISHED_TAIL.match(out[-1][1].strip()):
            out = out[:-1]
        kept = [
            piece
            for k, piece in enumerate(out)
            if not (_ITEM_NUMBER.match(piece[1].strip()) and (k + 1 == len(out) or out[k + 1][0] != piece[0] + 1))
        ]
        if len(kept) == len(out):
            return _renumbered(out)
        out = kept


def _renumbered(out: list[tuple[int, str, bool]]) -> list[tuple[int, str, bool]]:
    """``out`` with each numbered list counting 1, 2, 3… again after items were left out («2.», «3.» → «1.», «2.»);
    a number not above the one before starts a new list."""
    fixed: list[tuple[int, str, bool]] = []
    last = shown = 0
    for i, sentence, ok in out:
        mark = sentence.strip()
        if _ITEM_NUMBER.match(mark) and mark[:-1].isdigit():
            written = int(mark[:-1])
            shown = shown + 1 if written > last else written
            last = written
            sentence = sentence.replace(mark[:-1], str(shown), 1)
        fixed.append((i, sentence, ok))
    return fixed


def split_sentences(text: str) -> tuple[list[str], list[str]]:
    """``text``'s sentences and list items as the checker reads them, and the separator after each but the last
    (a space or line breaks), so that what is kept can be joined back as written."""
    return _SENTENCE.split(text.strip()), _SENTENCE.findall(text.strip())


def join_kept(pieces: list[str], separators: list[str], kept: list[int]) -> str:
    """The pieces of :func:`split_sentences` numbered in ``kept``, joined back as written."""
    return _join([(k, pieces[k], True) for k in kept], separators)


def _join(pieces: list[tuple[int, str, bool]], separators: list[str]) -> str:
    """The shown sentences joined back with the separator (space or line break) that preceded each."""
    out: list[str] = []
    for i, sentence, _ in pieces:
        if out and i > 0:
            out.append(separators[i - 1])
        out.append(sentence)
    return "".join(out).strip()


def _second_opinion(verdict: SentenceVerdict, verify: Verifier | None, sentence: str) -> SentenceVerdict:
    """``verdict`` with the model's opinion combined in: its label changed, its citation set when rescued."""
    if verify is None:
        return verdict
    opinion = verify(sentence)
    label = combine(verdict.label, opinion, verdict.name)
    if label == verdict.label:
        if label != combine(label, opinion):  # the model would rescue it, but a name is in no source
            return replace(
                verdict, reason=f"{verdict.reason}; model's {opinion.says:.2f} not taken: a name no source writes"
            )
        return replace(verdict, reason=f"{verdict.reason}; model agrees ({opinion.says:.2f})")
    best = max(range(len(verdict.support)), key=lambda n: verdict.support[n], default=0)
    cited = [best + 1] if label == "supported" else []
    reason = f"{verdict.reason}; model says {label} ({opinion.says:.2f})"
    return replace(verdict, label=label, cited=cited, reason=reason)


def _supporting(verdict: SentenceVerdict, marked: list[int], ranked: list[int] | None = None) -> list[int]:
    """Source numbers to cite for a sentence: the model's own where they support it, else the best-ranked
    (``ranked``: source numbers by retrieval rank) of those that support it within ``CITE_MARGIN`` of the best."""
    if verdict.label != "supported":
        return []
    best = max(verdict.support, default=0.0)
    bar = max(min(MIN_COVERAGE, best), best - CITE_MARGIN)  # a rescued paraphrase keeps its best source
    fits = [n for n in range(1, len(verdict.support) + 1) if verdict.support[n - 1] >= bar]
    own = [n for n in dict.fromkeys(marked) if n in fits]
    near = [n for n in ranked or fits if n in fits]
    return own or near[:1] or verdict.cited[:1]


def _mark_unsupported(sentence: str, language: str = "") -> str:
    """``sentence`` with a visible note, in its language, that it is not from the course."""
    note = NOT_IN_COURSE[sentence_language(sentence, language)]
    match = re.search(r"[.!?…:;]+$", sentence)
    if match:
        return f"{sentence[: match.start()].rstrip()} {note}{match.group(0)}"
    return f"{sentence} {note}"


# A marker between two words of one phrase: «los [1] modelos».
_MID_PHRASE = re.compile(r"(\w+)[ \t]*((?:\[\d+\])+)[ \t]+(?=\w)")


def _with_markers(sentence: str, numbers: list[int], added: bool) -> str:
    """Keep only the markers in ``numbers`` where the model put them; append them when newly attributed."""

    def keep_only(match: re.Match) -> str:
        return "".join(f"[{n}]" for n in re.findall(r"\d+", match.group(1)) if int(n) in numbers)

    sentence = MARKER.sub(keep_only, sentence)
    sentence = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", sentence.rstrip()))
    inside = [m for m in _MID_PHRASE.finditer(sentence) if fold(m.group(1)) in STOPWORDS]
    if inside:  # a marker after an article or a preposition («por qué los [1] modelos»): to the sentence's end
        moved = "".join(m.group(2) for m in inside)
        for m in reversed(inside):
            sentence = sentence[: m.start(2)].rstrip(" \t") + " " + sentence[m.end(2) :].lstrip(" \t")
        return _append_markers(sentence, moved)
    if not numbers or not added:
        return sentence
    return _append_markers(sentence, "".join(f"[{n}]" for n in numbers))


def _append_markers(sentence: str, marks: str) -> str:
    """``sentence`` with ``marks`` before its final punctuation."""
    match = re.search(r"[.!?…:;]+$", sentence)
    if match:
        return f"{sentence[: match.start()].rstrip()} {marks}{match.group(0)}"
    return f"{sentence} {marks}"


def _units(text: str, title: frozenset[str] = frozenset()) -> list[str]:
    """Sentences of a slide: wrapped lines are joined back, then split at sentence ends. A short label line
    («Diferencia con Top-P:») starts a unit and takes the line after it, instead of ending the line before; so
    does a name alone over its lines («AWS Artifact», then what it provides)."""
    lines: list[str] = []
    given = [ln.strip() for ln in text.splitlines() if ln.strip()]
    named = [bool(heading_names(line)) for line in given]
    for i, line in enumerate(given):
        heads = named[i] and i + 1 < len(given) and not named[i + 1]
        # so does a name written twice, the next section's heading: «…en respuesta a métricas» then «AWS CloudTrail»,
        # «AWS CloudTrail» (seen in the window); a name alone on the slide's last line may be the last item of a list
        # («…compatible con PostgreSQL», then «Amazon Kendra»), so it stays
        heads = heads or (named[i] and i + 1 < len(given) and given[i + 1] == line)
        if lines and not heads and _continues(lines[-1], line):  # a name alone over its lines starts a unit
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    units = [u.strip(" -") for line in lines for u in re.split(r"(?<=[.!?…])\s+", line)]
    # a line repeated on a slide: once; a section number («3.3.1.») is not a line to quote
    # nor a heading or a logo in capitals with nothing joined to it («AWS COMMUNITY CARTAGENA»)
    units = [u for u in dict.fromkeys(units) if _quotable(lexical_tokens(u), title) and not _not_a_line(u)]
    return [u for u in units if not any(u != other and u in other for other in units)]  # or inside a longer one


def _quotable(tokens: list[str], title: frozenset[str] = frozenset()) -> bool:
    """Three different words at least: not a section number, nor a logo's name said twice («Amazon Macie Amazon
    Macie»); nor the slide's title again (``title``: its word keys), a number perhaps («Optimización de modelos
    fundacionales 2.»): the source list already shows it."""
    words = {t for t in tokens if not t.isdigit()}
    return len(set(tokens)) >= 3 and bool(words) and not (title and words <= title)


# An agenda item: a few words and the number of its part («Ingeniería de prompts 1.», «… generativa 3.»), the
# number after a content word, not after a stop word such as «y», «a» or «de» («Valor entre 0 y 1.»).
_AGENDA_ITEM = re.compile(r"^(?:[^\W\d]+[\s,-]+){1,8}\d{1,2}\.$")


def _not_a_line(unit: str) -> bool:
    """A heading or logo in capitals, or an agenda item: not a line to quote."""
    return in_capitals(unit) or bool(_AGENDA_ITEM.match(unit) and fold(unit.split()[-2]) not in STOPWORDS)


LABEL_WORDS = 6  # a line ending in «:» with at most this many words labels the line after it


def _is_label(line: str) -> bool:
    """«Ventaja principal:», not the wrapped end of a sentence («el entrenamiento:», «LLM:»)."""
    parts = line.split()
    first = parts[0].strip(":")
    return line.endswith(":") and len(parts) <= LABEL_WORDS and first[:1].isupper() and not first.isupper()


def _continues(previous: str, line: str) -> bool:
    """Whether ``line`` goes on from ``previous``: the content of a label, or a wrapped line (lower case, or after
    a line with no final punctuation, unless it is a list item, a label or an excerpt's «…»)."""
    if line == "…" or _is_label(line):
        return False
    if _is_label(previous):
        return line[0] not in "-•"  # a label over a list stays a heading of its own
    return line[0].islower() or not re.search(r"[.!?…:;]$", previous) and line[0] != "-"


def key_passages(
    question: str,
    sources: list[Source],
    limit: int = 3,
    best: list[int] | None = None,
    pages: Mapping[tuple[str, int], str] | None = None,
) -> list[tuple[int, str]]:
    """Up to ``limit`` literal sentences of the best-ranked source (``best``: source numbers by retrieval
    rank; default the given order), closest to the question, in slide order. The question's words count with
    their Spanish (the glossary's, for an English question) and the course's words for a need it describes in
    other words («different wordings each time»: «temperatura»). A sentence that announces what follows
    («…incluidos los siguientes:») goes on with the lines after it on its whole slide (``pages``: the whole text
    of an excerpted source, by file and page), as far as :data:`ANNOUNCED_CHARS`."""
    q = set(lexical_tokens(question))
    q |= {token for term in analyse(question).terms for token in term.alternatives}
    q |= {token for _, tokens in need_groups(question) for token in tokens}
    for n in (best or list(range(1, len(sources) + 1)))[:2]:
        source = sources[n - 1]
        title = frozenset(lexical_tokens(source.title))
        units = _units(source.text, title)
        if not units:
            continue
        ranked = sorted(range(len(units)), key=lambda i: (-len(q & set(lexical_tokens(units[i]))), i))[:limit]
        whole = (pages or {}).get((source.file, source.page), source.text)
        return [(n, _marked_cuts(unit)) for unit in _with_announced([units[i] for i in sorted(ranked)], whole)]
    return []


def _with_announced(picked: list[str], page: str) -> list[str]:
    """``picked`` quotes, each one that ends in «:» followed by what it announces on the whole slide (``page``), or
    by the next quote when that is what it announces; a quote already said inside an earlier one is left out."""
    shown: list[str] = []
    for i, unit in enumerate(picked):
        if any(_within(unit, earlier) for earlier in shown):
            continue
        bare = unit.removesuffix("…").rstrip()  # an excerpt's gap after the colon («…(ejemplo: 1.0): …»)
        announced = _announced(bare, page) if bare.endswith(":") else []
        if announced and i + 1 < len(picked) and announced[0][:40] in picked[i + 1]:
            announced = [picked[i + 1]]  # the next quote: one quote with it
        shown.append(" ".join([bare, *announced]) if announced else _finished(unit, page))
    return shown


def _finished(unit: str, page: str) -> str:
    """A sentence the excerpt cut («Se trata de un método rentable para mejorar los»), finished from the whole
    slide (``page``) up to its full stop when that is within :data:`ANNOUNCED_CHARS`; else ``unit`` as it is. Cut
    means stopped on a function word (:func:`_cut_short`): a list item without a full stop is whole."""
    if not _cut_short(unit):
        return unit
    flat = _page_lines(page)[1]
    at = _end_in(unit, flat)
    stop = re.search(r"[.!?](?=\s|$)", flat[at:]) if at >= 0 else None
    if stop is None or len(unit) + stop.end() > ANNOUNCED_CHARS:
        return unit
    return unit + flat[at : at + stop.end()]


def _cut_short(unit: str) -> bool:
    """Whether an excerpt stopped ``unit`` mid-sentence: no final punctuation, and a function word last («… para
    mejorar los»)."""
    return not re.search(r"[.!?…:;»\")]$", unit) and not lexical_tokens(unit.split()[-1])


def _within(unit: str, quoted: str) -> bool:
    """Whether nearly all the words of ``unit`` are already in ``quoted``."""
    tokens, said = lexical_tokens(unit), set(lexical_tokens(quoted))
    return bool(tokens) and sum(t in said for t in tokens) >= 0.8 * len(tokens)


ANNOUNCED_CHARS = 300  # a quote that ends in «:» goes on with what it announces, up to about this many characters


def _page_lines(page: str) -> tuple[list[str], str]:
    """The whole slide's lines (without list marks) and the same joined by spaces."""
    lines = [line.strip(" -•\t") for line in page.splitlines() if line.strip(" -•\t")]
    return lines, " ".join(lines)


def _end_in(unit: str, flat: str) -> int:
    """Where ``unit`` (a quote) ends in ``flat`` (the whole slide, :func:`_page_lines`), found by its last 40
    characters; -1 when the slide does not write them."""
    tail = " ".join(unit.lstrip("…").split())[-40:]
    at = flat.find(tail)
    return at + len(tail) if at >= 0 else -1


def _announced(unit: str, page: str) -> list[str]:
    """The lines of the whole slide (``page``) that follow ``unit`` (a sentence ending in «:»), what it
    announces: at least one, then more while the quote stays within :data:`ANNOUNCED_CHARS`."""
    lines, flat = _page_lines(page)
    end = _end_in(unit, flat)
    if end < 0:
        return []
    out, length = [], len(unit)
    starts = [len(" ".join(lines[:i])) + (1 if i else 0) for i in range(len(lines))]
    if end + 1 not in starts:
        return _rest_of_line(flat, end, lines, starts)
    for i, line in enumerate(lines):  # the lines that start after the tail ends
        if starts[i] < end:
            continue
        if _SECTION.match(line):
            break  # a numbered heading («6.2.1. Top-K») starts another part
        if _not_a_line(line):
            continue  # a logo («AWS COMMUNITY CARTAGENA»)
        wrapped = out and line[0].islower() and not re.search(r"[.!?…:;]$", out[-1])
        if out and length + len(line) > ANNOUNCED_CHARS and not wrapped:
            break  # (a line wrapped mid-sentence is finished)
        out.append(line)
        length += len(line) + 1
    return out


def _rest_of_line(flat: str, end: int, lines: list[str], starts: list[int]) -> list[str]:
    """What a label inside its line says («Mayor temperatura (ejemplo: 1.0): Salidas más diversas…», the excerpt
    having stopped at the colon): the rest of the line and the lines wrapped from it; nothing when the rest holds
    another label, a table's cells in a row («Alcance 4: Modelos afinados Alcance 5: …»)."""
    following = [i for i, start in enumerate(starts) if start > end]
    rest = flat[end : starts[following[0]] - 1 if following else len(flat)].strip()
    if not rest or ":" in rest:
        return []
    out = [rest]
    for i in following:
        if not lines[i][0].islower() or re.search(r"[.!?…:;]$", out[-1]):
            break
        out.append(lines[i])
    return out


_SECTION = re.compile(r"^\d+(?:\.\d+)+\.?(?:\s|$)")  # a section number («6.2.1.») before a heading


def _marked_cuts(unit: str) -> str:
    """``unit`` with «…» where an excerpt cut its sentence: before one that starts in lower case («…utilizando
    algoritmos integrados»), after one that stops on a function word («… para mejorar los…»)."""
    if unit[0].islower():
        unit = f"…{unit}"
    if _cut_short(unit):
        unit = f"{unit}…"
    return unit


# The fallback's first sentence, left out under a caution, which already says the course does not treat it directly
# (seen in a student trial: «El curso no lo trata directamente…» then «No he podido generar…» read as two verdicts).
FALLBACK_OPENING = {
    "es": "No he podido generar una respuesta fiable con este modelo. ",
    "en": "I could not generate a reliable answer with this model. ",
}
_PASSAGES_SAY = {
    "es": "Esto es lo que dice {where} (fragmentos literales del curso, no una respuesta generada):",
    "en": "This is what {where} says (literal passages from the course, not a generated answer):",
}
LABELS = {
    "fallback": {lang: FALLBACK_OPENING[lang] + says for lang, says in _PASSAGES_SAY.items()},
    "cautioned": _PASSAGES_SAY,
    "extract": {
        "es": "Del curso, literalmente:",
        "en": "From the course, verbatim:",
    },
}


# Where the fallback's passages come from: a slide, or a section of the student's notes (seen in a student trial:
# «la diapositiva más relevante» said of a Markdown note).
WHERE = {
    "es": {"pdf": "la diapositiva más relevante", "text": "la sección más relevante de tus apuntes"},
    "en": {"pdf": "the most relevant slide", "text": "the most relevant section of your notes"},
}


def passages_block(
    label: str,
    question: str,
    sources: list[Source],
    lang: str,
    best: list[int] | None = None,
    pages: Mapping[tuple[str, int], str] | None = None,
) -> tuple[str, list[int]]:
    """A labelled list of literal passages, each cited (``pages``: see :func:`key_passages`)."""
    picked = key_passages(question, sources, best=best, pages=pages)
    if not picked:
        return "", []
    kind = sources[picked[0][0] - 1].kind
    where = WHERE.get(lang, WHERE["es"])["pdf" if kind == "pdf" else "text"]
    intro = LABELS[label].get(lang, LABELS[label]["es"]).format(where=where)
    lines = [intro] + [f"- «{text}» [{n}]" for n, text in picked]
    return "\n".join(lines), list(dict.fromkeys(n for n, _ in picked))


def passages_answer(
    question: str,
    sources: list[Source],
    lang: str,
    best: list[int] | None = None,
    pages: Mapping[tuple[str, int], str] | None = None,
    cautioned: bool = False,
) -> tuple[str, list[int]]:
    """The fallback answer: literal passages of the most relevant slide, clearly labelled as such (``cautioned``:
    under a caution, without «No he podido generar…»)."""
    return passages_block("cautioned" if cautioned else "fallback", question, sources, lang, best, pages)


def is_label(line: str) -> bool:
    """Whether ``line`` is one of the labels over quoted passages (:data:`LABELS`), not text of an answer."""
    return line.startswith(tuple(text.split("{")[0] for group in LABELS.values() for text in group.values()))
