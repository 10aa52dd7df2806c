"""Check an answer against its sources: attribute each sentence, fix its citations, spot unusable output.

A sentence is *supported* by a source when most of its content words (stemmed, accent-folded) occur in
that source. Markers are kept only where the cited source supports the sentence; a supported sentence
without a marker gets one for its best source; an unsupported sentence keeps none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutor.citations import MARKER
from tutor.text import lexical_tokens
from tutor.types import Source

MIN_SUPPORT = 0.7  # share of a sentence's content words found in a source (tuned on dev: precision)
MIN_GROUNDED = 0.7  # share of the answer's content words in supported sentences
_SENTENCE = re.compile(r"(?<=[.!?…])\s+|\n+")


@dataclass
class Grounding:
    text: str  # the answer with corrected citation markers
    cited: list[int]
    grounded_share: float
    content_words: int

    @property
    def usable(self) -> bool:
        return self.content_words >= 4 and self.grounded_share >= MIN_GROUNDED


def ground(answer: str, sources: list[Source]) -> Grounding:
    """Re-attribute the citations of ``answer`` to the sources that support each sentence."""
    source_tokens = [set(lexical_tokens(f"{s.title} {s.text}")) for s in sources]
    pieces = _SENTENCE.split(answer.strip())
    separators = _SENTENCE.findall(answer.strip())
    out: list[str] = []
    cited: list[int] = []
    total = supported = 0
    for i, sentence in enumerate(pieces):
        plain = MARKER.sub("", sentence)
        tokens = lexical_tokens(plain)
        marked = [int(n) for m in MARKER.finditer(sentence) for n in re.findall(r"\d+", m.group(1))]
        if len(tokens) < 3 or not sources:
            fixed = sentence if len(tokens) >= 1 or not marked else plain.rstrip()
            keep = [n for n in marked if 1 <= n <= len(sources)]
        else:
            scores = [len(set(tokens) & st) / len(set(tokens)) for st in source_tokens]
            keep = [n for n in dict.fromkeys(marked) if 1 <= n <= len(sources) and scores[n - 1] >= MIN_SUPPORT]
            best = max(range(len(sources)), key=lambda j: scores[j])
            if not keep and scores[best] >= MIN_SUPPORT:
                keep = [best + 1]
            total += len(tokens)
            if keep:
                supported += len(tokens)
            fixed = _with_markers(sentence, keep, added=not set(keep) & set(marked))
        cited.extend(keep)
        out.append(fixed)
        if i < len(separators):
            out.append(separators[i])
    return Grounding(
        text="".join(out).strip(),
        cited=list(dict.fromkeys(cited)),
        grounded_share=supported / total if total else 0.0,
        content_words=total,
    )


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
