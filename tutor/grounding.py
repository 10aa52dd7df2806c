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
from dataclasses import dataclass, field, replace

from tutor.citations import MARKER
from tutor.claims import MIN_COVERAGE, MIN_WORDS, SentenceVerdict, judge, prepare, sentence_language, words
from tutor.text import lexical_tokens
from tutor.types import Source
from tutor.verify import Verifier, combine

MIN_GROUNDED = 0.5  # below this share of content words in supported sentences, an answer is "mostly unsupported"
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")
NOT_IN_COURSE = {"es": "(no está en el curso)", "en": "(not in the course)"}


@dataclass
class Grounding:
    text: str  # the answer with corrected citation markers, contradicted sentences dropped
    cited: list[int]
    grounded_share: float  # share of the judged content words that are in supported sentences
    content_words: int
    verdicts: list[SentenceVerdict] = field(default_factory=list)  # one per judged sentence
    dropped: list[str] = field(default_factory=list)  # contradicted sentences, as the model wrote them

    @property
    def usable(self) -> bool:
        return self.content_words >= 4 and self.grounded_share >= MIN_GROUNDED


def ground(answer: str, sources: list[Source], verify: Verifier | None = None) -> Grounding:
    """Judge each sentence of ``answer`` against ``sources`` (and ask ``verify``, the model, when given);
    cite, mark or drop it accordingly."""
    evidence = prepare(sources)
    pieces = _SENTENCE.split(answer.strip())
    separators = _SENTENCE.findall(answer.strip())
    out: list[str] = []
    result = Grounding(text="", cited=[], grounded_share=0.0, content_words=0)
    total = supported = 0
    for i, sentence in enumerate(pieces):
        plain = MARKER.sub("", sentence)
        marked = [int(n) for m in MARKER.finditer(sentence) for n in re.findall(r"\d+", m.group(1))]
        n_words = len(lexical_tokens(plain))
        if len(words(plain)) < MIN_WORDS or not sources:
            fixed = sentence if lexical_tokens(plain) or not marked else plain.rstrip()
            keep = [n for n in marked if 1 <= n <= len(sources)]
        else:
            verdict = _second_opinion(judge(plain, evidence), verify, plain)
            result.verdicts.append(verdict)
            total += n_words
            if verdict.label == "contradicted":
                result.dropped.append(sentence)
                continue
            keep = _supporting(verdict, marked)
            supported += n_words if keep else 0
            fixed = _with_markers(sentence, keep, added=not set(keep) & set(marked))
            if verdict.label == "unsupported":
                fixed = _mark_unsupported(fixed)
        result.cited.extend(keep)
        if out and i > 0:
            out.append(separators[i - 1])
        out.append(fixed)
    result.text = "".join(out).strip()
    result.cited = list(dict.fromkeys(result.cited))
    result.grounded_share = supported / total if total else 0.0
    result.content_words = total
    return result


def _second_opinion(verdict: SentenceVerdict, verify: Verifier | None, sentence: str) -> SentenceVerdict:
    """``verdict`` with the model's opinion combined in: its label changed, its citation set when rescued."""
    if verify is None:
        return verdict
    opinion = verify(sentence)
    label = combine(verdict.label, opinion)
    if label == verdict.label:
        return replace(verdict, reason=f"{verdict.reason}; model agrees ({opinion.says:.2f})")
    best = max(range(len(verdict.support)), key=lambda n: verdict.support[n], default=0)
    cited = [best + 1] if label == "supported" else []
    reason = f"{verdict.reason}; model says {label} ({opinion.says:.2f})"
    return replace(verdict, label=label, cited=cited, reason=reason)


def _supporting(verdict: SentenceVerdict, marked: list[int]) -> list[int]:
    """Source numbers to cite for a sentence: the model's own where they support it, else the checker's."""
    if verdict.label != "supported":
        return []
    bar = min(MIN_COVERAGE, max(verdict.support, default=0.0))  # a rescued paraphrase keeps its best source
    own = [n for n in dict.fromkeys(marked) if 1 <= n <= len(verdict.support) and verdict.support[n - 1] >= bar]
    return own or verdict.cited[:1]


def _mark_unsupported(sentence: str) -> str:
    """``sentence`` with a visible note, in its language, that it is not from the course."""
    note = NOT_IN_COURSE[sentence_language(sentence)]
    match = re.search(r"[.!?…:;]+$", sentence)
    if match:
        return f"{sentence[: match.start()].rstrip()} {note}{match.group(0)}"
    return f"{sentence} {note}"


def _with_markers(sentence: str, numbers: list[int], added: bool) -> str:
    """Keep only the markers in ``numbers`` where the model put them; append them when newly attributed."""

    def keep_only(match: re.Match) -> str:
        return "".join(f"[{n}]" for n in re.findall(r"\d+", match.group(1)) if int(n) in numbers)

    sentence = MARKER.sub(keep_only, sentence)
    sentence = re.sub(r"[ \t]+([.,;:])", r"\1", re.sub(r"[ \t]{2,}", " ", sentence.rstrip()))
    if not numbers or not added:
        return sentence
    marks = "".join(f"[{n}]" for n in numbers)
    match = re.search(r"[.!?…:;]+$", sentence)
    if match:
        return f"{sentence[: match.start()].rstrip()} {marks}{match.group(0)}"
    return f"{sentence} {marks}"


def _units(text: str) -> list[str]:
    """Sentences of a slide: wrapped lines are joined back, then split at sentence ends."""
    lines: list[str] = []
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if lines and (line[0].islower() or not re.search(r"[.!?…:;]$", lines[-1]) and not line.startswith("-")):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
    units = [u.strip(" -") for line in lines for u in re.split(r"(?<=[.!?…])\s+", line)]
    return [u for u in units if len(lexical_tokens(u)) >= 3]


def key_passages(
    question: str, sources: list[Source], limit: int = 3, best: list[int] | None = None
) -> list[tuple[int, str]]:
    """Up to ``limit`` literal sentences of the best-ranked source (``best``: source numbers by retrieval
    rank; default the given order), closest to the question, in slide order."""
    q = set(lexical_tokens(question))
    for n in (best or list(range(1, len(sources) + 1)))[:2]:
        units = _units(sources[n - 1].text)
        if not units:
            continue
        ranked = sorted(range(len(units)), key=lambda i: (-len(q & set(lexical_tokens(units[i]))), i))[:limit]
        return [(n, units[i]) for i in sorted(ranked)]
    return []


LABELS = {
    "fallback": {
        "es": "No he podido generar una respuesta fiable con este modelo. Esto es lo que dice la diapositiva "
        "más relevante (fragmentos literales del curso, no una respuesta generada):",
        "en": "I could not generate a reliable answer with this model. This is what the most relevant slide says "
        "(literal passages from the course, not a generated answer):",
    },
    "extract": {
        "es": "Del curso, literalmente:",
        "en": "From the course, verbatim:",
    },
}


def passages_block(
    label: str, question: str, sources: list[Source], lang: str, best: list[int] | None = None
) -> tuple[str, list[int]]:
    """A labelled list of literal passages, each cited."""
    picked = key_passages(question, sources, best=best)
    if not picked:
        return "", []
    intro = LABELS[label].get(lang, LABELS[label]["es"])
    lines = [intro] + [f"- «{text}» [{n}]" for n, text in picked]
    return "\n".join(lines), list(dict.fromkeys(n for n, _ in picked))


def passages_answer(
    question: str, sources: list[Source], lang: str, best: list[int] | None = None
) -> tuple[str, list[int]]:
    """The fallback answer: literal passages of the most relevant slide, clearly labelled as such."""
    return passages_block("fallback", question, sources, lang, best)
