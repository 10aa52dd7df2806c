"""Citation markers: keep the valid ones ([1]..[n]), drop the rest, also while streaming."""

from __future__ import annotations

import re

MARKER = re.compile(r"\[(\s*\d+(?:\s*[,;]\s*\d+)*\s*)\]")
_PARTIAL = re.compile(r"\[[\[\]\d\s,;]*$")  # a tail that later pieces could still turn into a marker


# Words after which a marker stands where the answer's noun should be («el servicio es [1].», «la [2] de
# muestreo», «el uso de [2] temperatura»): a citation closes what a sentence says, it never follows a verb
# «to be», an article or a preposition. The checker leaves such sentences out (tutor/grounding.py), so
# generation never writes one there.
_NEEDS_NOUN = re.compile(
    r"(?:^|\W)(?:es|son|era|será|sería|el|la|los|las|un|una|del|al|de|en|con|por|para|según|como|"
    r"is|are|was|would be|the|an?|of|in|with|by|for|from|to|as|called|such as)\s*$",
    re.IGNORECASE,
)


def marker_would_stand_for_a_noun(text: str) -> bool:
    """Whether a marker written right after ``text`` would take the place of what the sentence says."""
    return bool(_NEEDS_NOUN.search(text[-40:]))


_DANGLING = re.compile(r"\[[\d,;\s]*$")  # a marker cut off by the end of the generation: «… umbral [1»


def clean_markers(text: str, n_sources: int, finished: bool = False) -> str:
    """Rewrite markers to keep only numbers 1..n_sources; a marker with none left disappears. In a
    ``finished`` text, so does a marker left unclosed at the very end (still open while streaming)."""

    def fix(match: re.Match) -> str:
        nums = [int(x) for x in re.findall(r"\d+", match.group(1))]
        valid = list(dict.fromkeys(n for n in nums if 1 <= n <= n_sources))
        return "".join(f"[{n}]" for n in valid)

    while True:  # removing "[1]" from "[[1]2]" must not leave a new marker "[2]"
        cleaned = MARKER.sub(fix, text)
        if cleaned == text:
            return _DANGLING.sub("", cleaned) if finished else cleaned
        text = cleaned


def cited_numbers(text: str, n_sources: int) -> list[int]:
    """Valid source numbers cited in ``text``, in order of first appearance."""
    nums = [int(x) for m in MARKER.finditer(text) for x in re.findall(r"\d+", m.group(1))]
    return list(dict.fromkeys(n for n in nums if 1 <= n <= n_sources))


class StreamFilter:
    """Feed token pieces, get back text that is safe to show (invalid markers never appear)."""

    def __init__(self, n_sources: int) -> None:
        self.n_sources = n_sources
        self.pending = ""

    def feed(self, piece: str) -> str:
        text = clean_markers(self.pending + piece, self.n_sources)
        partial = _PARTIAL.search(text)  # a "[" that the next pieces may turn into a marker: hold it
        if partial and len(text) - partial.start() < 64:
            self.pending = text[partial.start() :]
            return text[: partial.start()]
        self.pending = ""
        return text

    def flush(self) -> str:
        text, self.pending = self.pending, ""
        return clean_markers(text, self.n_sources, finished=True)


MAX_GRAMMAR_SENTENCES = 4  # the prompt asks for 2 to 4


def citation_grammar(n_sources: int, sentences: int = MAX_GRAMMAR_SENTENCES) -> str:
    """A llama.cpp grammar (GBNF) for an answer whose every sentence ends with one marker of a given
    source: «… texto [2].», one to ``sentences`` sentences, on one line. A full stop inside a sentence is
    only allowed between digits (0.5), so it cannot end a sentence unmarked."""
    numbers = " | ".join(f'"{n}"' for n in range(1, max(1, n_sources) + 1))
    return "\n".join(
        [
            f'root ::= sentence (" " sentence){{0,{sentences - 1}}}',
            'sentence ::= piece+ " [" number "]" [.!?]',
            r'piece ::= [^\[\]\n.!?0-9] | [0-9]+ ("." [0-9]+)?',
            f"number ::= {numbers}",
        ]
    )
