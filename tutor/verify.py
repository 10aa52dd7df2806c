"""A second opinion on each answer sentence from the instruction-tuned model itself.

The lexical checker (tutor/claims.py) is exact about numbers, names and negations but cannot see that a
paraphrase or a translation says what a slide says. An instruction-tuned model can: after the answer, each
sentence is put to it as a claim about the same numbered sources («Is every fact in this claim stated in the
sources…? Answer only Yes or No»), and the probability of «Yes» against «No» is read from its next-token
logits (``LanguageModel.choose``), so the reply is always one of the two. The message starts with the same
system prompt and sources as the answer's prompt, so llama.cpp reuses them from the KV cache and each sentence
costs only its own few dozen tokens.

:func:`combine` turns the checker's verdict and the model's probability into the final label; its
thresholds were chosen on the tuning half of eval/grounding.jsonl (``python -m tutor.grounding_eval``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tutor.language_model import LanguageModel
from tutor.prompt import source_block, system_prompt
from tutor.types import Source

LABELS = ("Yes", "No")
# In English for every course language: on Spanish slides and Spanish or English claims it separated supported
# from wrong claims best of the prompts tried on the tuning half (see docs/RETRIEVAL.md, "Grounding").
VERIFY_REQUEST = (
    'Claim: "{claim}"\n\n'
    "Is every fact in this claim stated in the sources above (possibly in other words or in Spanish)? "
    "Answer only Yes or No."
)

# Thresholds on P(Yes) (chosen on the tuning half of eval/grounding.jsonl).
SUPPORT_KEEP = 0.6  # a sentence the lexical checker supports stays supported unless P(Yes) falls below this
SUPPORT_RESCUE = 0.75  # a sentence the lexical checker does not support becomes supported above this P(Yes)
CONTRADICTION_OVERRULED = 0.9  # a lexical contradiction stands unless P(Yes) reaches this


@dataclass(frozen=True)
class Opinion:
    """The model's probability that the sources state the claim (``Yes`` against ``No``)."""

    says: float


def verification_messages(claim: str, sources: list[Source], course_name: str = "") -> list[dict]:
    """The chat messages that ask whether ``sources`` say ``claim`` (same prefix as the answer's prompt)."""
    blocks = "".join(source_block(n, s) for n, s in enumerate(sources, 1))
    return [
        {"role": "system", "content": system_prompt(course_name)},
        {"role": "user", "content": f"Fuentes:\n\n{blocks}" + VERIFY_REQUEST.format(claim=claim.strip())},
    ]


def ask_model(llm: LanguageModel, claim: str, sources: list[Source], course_name: str = "") -> Opinion:
    """The model's opinion on one claim (a single forward pass over the new tokens)."""
    _, probs = llm.choose(verification_messages(claim, sources, course_name), list(LABELS))
    return Opinion(probs[0])


def combine(lexical: str, opinion: Opinion | None, absent_name: str = "") -> str:
    """The final label from the lexical checker's ``lexical`` label and the model's ``opinion`` (if any).

    A sentence unsupported because it names something no source writes (``absent_name``, the verdict's name)
    is not rescued: a paraphrase or a translation does not bring a new name, the model's own knowledge does."""
    if opinion is None:
        return lexical
    if lexical == "supported":
        return "supported" if opinion.says >= SUPPORT_KEEP else "unsupported"
    if lexical == "unsupported" and opinion.says >= SUPPORT_RESCUE and not absent_name:
        return "supported"  # a paraphrase or translation the word match missed
    if lexical == "contradicted" and opinion.says >= CONTRADICTION_OVERRULED:
        return "supported"  # the word match misread a number, a name or a negation
    return lexical


Verifier = Callable[[str], Opinion]  # one claim -> the model's opinion (sources and model bound)


def verifier_for(llm: LanguageModel, sources: list[Source], course_name: str = "") -> Verifier:
    """A :data:`Verifier` bound to a model and the sources of one answer."""
    return lambda claim: ask_model(llm, claim, sources, course_name)
