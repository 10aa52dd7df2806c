"""Parameter lab: the model's real next-token distribution and what each sampling parameter does to it.

The transformations follow llama.cpp's sampler chain as llama-cpp-python builds it for a completion:
top-k, then top-p, then min-p (each on the softmax of the raw logits still kept), then temperature,
then sampling from what is left. Penalties are not part of the lab (they depend on earlier output).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np

from tutor.params import params_class

DEFAULT_PROMPT = "Cachorro es a perro como pollito es a"


# The lab's own defaults (livelier than the answers'); types and ranges come from the registry.
LAB_DEFAULTS: dict[str, float] = {"temperature": 0.8, "top_k": 40, "top_p": 0.95, "min_p": 0.05}


class _LabMethods:
    """Methods of :class:`LabParams`."""

    @classmethod
    def of(cls, params) -> LabParams:
        """The lab's four values taken from a :class:`~tutor.config.GenerationParams`."""
        return cls(**{name: getattr(params, name) for name in LAB_DEFAULTS})


LabParams = params_class(
    "LabParams",
    _LabMethods,
    __name__,
    "The four sampling parameters the lab shows (same meaning and ranges as the answer parameters).",
    LAB_DEFAULTS,
)


@dataclass
class Candidate:
    token: int
    piece: str
    logit: float
    p_raw: float  # softmax of the raw logits over the whole vocabulary
    p_final: float  # after top-k, top-p, min-p and temperature (0 when removed)
    kept: bool
    removed_by: str = ""  # "top-k" | "top-p" | "min-p" | ""
    cumulative: float = 0.0  # cumulative probability among the top-k survivors, in rank order (what top-p cuts)


@dataclass
class Distribution:
    """Top candidates of one next-token distribution, after the sampler's transformations."""

    params: LabParams
    candidates: list[Candidate]
    kept_total: int  # tokens left in the whole vocabulary after the truncations
    shown_final_mass: float  # share of the final probability carried by the shown candidates

    def to_dict(self) -> dict:
        return {
            "params": asdict(self.params),
            "kept_total": self.kept_total,
            "candidates": [
                {
                    "token": c.piece,
                    "id": c.token,
                    "logit": round(c.logit, 4),
                    "p_raw": round(c.p_raw, 6),
                    "p_final": round(c.p_final, 6),
                    "kept": c.kept,
                    "removed_by": c.removed_by,
                }
                for c in self.candidates
            ],
        }


def _softmax(values: np.ndarray) -> np.ndarray:
    shifted = np.exp(values - values.max())
    return shifted / shifted.sum()


class NextToken:
    """One next-token distribution: the logits sorted once, so every slider move is a cheap prefix cut.

    top-k, top-p and min-p each keep a prefix of the tokens sorted by logit, so what survives the chain
    is the ``kept`` best tokens; temperature then reshapes the softmax over them.
    """

    def __init__(self, logits: np.ndarray) -> None:
        logits = np.asarray(logits, dtype=np.float64)
        self.order = np.argsort(-logits, kind="stable")
        self.sorted = logits[self.order]
        self.p_raw = _softmax(self.sorted)
        self._pieces: dict[int, str] = {}  # the top tokens do not depend on the sliders: read their text once

    def cuts(self, params: LabParams) -> tuple[int, int, int, np.ndarray]:
        """How many tokens survive top-k, then top-p, then min-p (llama.cpp's rules, min_keep = 1).

        Also returns the probabilities among the top-k survivors, which top-p cuts.
        """
        n = len(self.sorted)
        after_k = min(params.top_k, n) if params.top_k > 0 else n
        cumulative = np.cumsum(_softmax(self.sorted[:after_k]))
        after_p = after_k
        if params.top_p < 1.0:
            # up to and including the token whose cumulative probability reaches top_p
            after_p = max(1, min(after_k, int(np.searchsorted(cumulative, params.top_p, side="left")) + 1))
        after_min = after_p
        if params.min_p > 0.0 and after_p > 1:
            threshold = self.sorted[0] + np.log(params.min_p)  # p_i >= min_p * p_max
            after_min = max(1, int(np.count_nonzero(self.sorted[:after_p] >= threshold)))
        return after_k, after_p, after_min, cumulative

    def final(self, params: LabParams, kept: int) -> np.ndarray:
        """Final probabilities of the ``kept`` best tokens after temperature (0 = greedy)."""
        if params.temperature <= 0.0:
            out = np.zeros(kept)
            out[0] = 1.0
            return out
        return _softmax(self.sorted[:kept] / params.temperature)

    def distribution(self, params: LabParams, piece, top_n: int = 20) -> Distribution:
        """The ``top_n`` most likely next tokens with raw and final probabilities."""
        after_k, after_p, kept, cumulative = self.cuts(params)
        p_final = self.final(params, kept)
        candidates = []
        for rank in range(min(top_n, len(self.sorted))):
            removed = "" if rank < kept else "top-k" if rank >= after_k else "top-p" if rank >= after_p else "min-p"
            token = int(self.order[rank])
            if token not in self._pieces:
                self._pieces[token] = piece(token)
            candidates.append(
                Candidate(
                    token=token,
                    piece=self._pieces[token],
                    logit=float(self.sorted[rank]),
                    p_raw=float(self.p_raw[rank]),
                    p_final=float(p_final[rank]) if rank < kept else 0.0,
                    kept=rank < kept,
                    removed_by=removed,
                    cumulative=float(cumulative[rank]) if rank < after_k else 1.0,
                )
            )
        return Distribution(params, candidates, kept, float(p_final[:top_n].sum()))


def final_probabilities(logits: np.ndarray, params: LabParams) -> np.ndarray:
    """Final probability of every vocabulary entry (0 for removed tokens), in token-id order."""
    next_token = NextToken(logits)
    kept = next_token.cuts(params)[2]
    out = np.zeros(len(next_token.sorted))
    out[next_token.order[:kept]] = next_token.final(params, kept)
    return out


@dataclass
class LabResult:
    """The prompt's tokens and the model's logits for the next token."""

    prompt: str
    tokens: list[tuple[int, str]]
    logits: np.ndarray = field(repr=False)
    n_ctx: int = 0

    def __post_init__(self) -> None:
        self.next_token = NextToken(self.logits)

    def to_dict(self, params: LabParams, piece, top_n: int = 20) -> dict:
        dist = self.next_token.distribution(params, piece, top_n)
        return {
            "prompt": self.prompt,
            "tokens": [{"id": t, "piece": p} for t, p in self.tokens],
            "n_prompt_tokens": len(self.tokens),
            "n_ctx": self.n_ctx,
            **dist.to_dict(),
        }
