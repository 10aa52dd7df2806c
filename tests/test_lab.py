"""Parameter lab: the shown probabilities are llama.cpp's own sampler chain, computed from the logits."""

from __future__ import annotations

import ctypes
import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import ROOT
from tutor.lab import LabParams, NextToken, final_probabilities

PARAMS = [
    LabParams(0.8, 40, 0.95, 0.05),
    LabParams(1.5, 0, 0.5, 0.0),
    LabParams(0.3, 5, 1.0, 0.2),
    LabParams(1.0, 0, 1.0, 0.0),
    LabParams(2.0, 200, 0.9, 0.01),
    LabParams(0.7, 1, 0.1, 0.9),
]


def _llama_cpp_chain(logits: np.ndarray, p: LabParams) -> dict[int, float]:
    """Apply llama.cpp's top-k → top-p → min-p → temp samplers (C code) and softmax what is left."""
    llama_cpp = pytest.importorskip("llama_cpp")
    data = (llama_cpp.llama_token_data * len(logits))()
    for i, value in enumerate(logits):
        data[i].id, data[i].logit, data[i].p = i, float(value), 0.0
    array = llama_cpp.llama_token_data_array(
        data=ctypes.cast(data, llama_cpp.llama_token_data_p), size=len(logits), selected=-1, sorted=False
    )
    chain = llama_cpp.llama_sampler_chain_init(llama_cpp.llama_sampler_chain_default_params())
    for sampler in (
        llama_cpp.llama_sampler_init_top_k(p.top_k),
        llama_cpp.llama_sampler_init_top_p(p.top_p, 1),
        llama_cpp.llama_sampler_init_min_p(p.min_p, 1),
        llama_cpp.llama_sampler_init_temp(p.temperature),
    ):
        llama_cpp.llama_sampler_chain_add(chain, sampler)
    llama_cpp.llama_sampler_apply(chain, ctypes.byref(array))
    llama_cpp.llama_sampler_free(chain)
    kept = {array.data[i].id: array.data[i].logit for i in range(array.size)}
    values = np.array(list(kept.values()), dtype=np.float64)
    probs = np.exp(values - values.max())
    return dict(zip(kept, probs / probs.sum(), strict=True))


def _direct(logits: np.ndarray, p: LabParams) -> np.ndarray:
    """The textbook computation, written out independently of tutor.lab."""
    ids = sorted(range(len(logits)), key=lambda i: -logits[i])
    if p.top_k > 0:
        ids = ids[: p.top_k]
    if p.top_p < 1.0:
        probs = np.exp(logits[ids] - logits[ids].max())
        probs /= probs.sum()
        total, keep = 0.0, []
        for i, prob in zip(ids, probs, strict=True):
            keep.append(i)
            total += prob
            if total >= p.top_p:
                break
        ids = keep
    if p.min_p > 0.0:
        probs = np.exp(logits[ids] - logits[ids].max())
        probs /= probs.sum()
        ids = [i for i, prob in zip(ids, probs, strict=True) if prob >= p.min_p * probs.max()] or ids[:1]
    out = np.zeros(len(logits))
    scaled = logits[ids] / p.temperature
    weights = np.exp(scaled - scaled.max())
    out[ids] = weights / weights.sum()
    return out


@pytest.mark.parametrize("params", PARAMS, ids=str)
def test_final_probabilities_equal_llama_cpp_sampler_and_direct_math(params):
    logits = np.random.default_rng(7).normal(0, 3, size=2000).astype(np.float32)
    mine = final_probabilities(logits, params)
    theirs = _llama_cpp_chain(logits, params)
    assert set(np.flatnonzero(mine)) == set(theirs)  # the same tokens survive
    for token, prob in theirs.items():
        assert mine[token] == pytest.approx(prob, abs=1e-6)
    assert np.allclose(mine, _direct(logits.astype(np.float64), params), atol=1e-9)
    assert mine.sum() == pytest.approx(1.0)


def test_distribution_marks_what_each_step_removes():
    logits = np.log(np.array([0.4, 0.3, 0.15, 0.1, 0.05]))
    dist = NextToken(logits).distribution(LabParams(1.0, 4, 0.8, 0.4), piece=lambda t: f"t{t}")
    by_piece = {c.piece: c for c in dist.candidates}
    assert [c.piece for c in dist.candidates] == ["t0", "t1", "t2", "t3", "t4"]
    assert by_piece["t4"].removed_by == "top-k"
    assert by_piece["t3"].removed_by == "top-p"  # 0.4+0.3+0.15 (renormalised over 4) reaches 0.8 at t2
    assert by_piece["t2"].removed_by == "min-p"  # 0.15 < 0.4 × 0.4
    assert [c.kept for c in dist.candidates] == [True, True, False, False, False]
    assert by_piece["t0"].p_final == pytest.approx(0.4 / 0.7) and by_piece["t1"].p_final == pytest.approx(0.3 / 0.7)
    assert dist.kept_total == 2
    greedy = NextToken(logits).distribution(LabParams(0.0, 0, 1.0, 0.0), piece=str)
    assert [c.p_final for c in greedy.candidates] == [1.0, 0.0, 0.0, 0.0, 0.0]


def test_temperature_flattens_and_sharpens():
    logits = np.random.default_rng(1).normal(0, 2, size=500)
    cold = final_probabilities(logits, LabParams(0.3, 0, 1.0, 0.0)).max()
    warm = final_probabilities(logits, LabParams(1.8, 0, 1.0, 0.0)).max()
    assert cold > final_probabilities(logits, LabParams(1.0, 0, 1.0, 0.0)).max() > warm


@pytest.mark.integration
@pytest.mark.slow
def test_lab_cli_on_the_packaged_model(real_home):
    cmd = [sys.executable, "-m", "tutor", "lab", "--json", "--generate", "10", "--temperature", "0"]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    data = json.loads(out.stdout)
    assert data["prompt"] == "Cachorro es a perro como pollito es a"
    assert data["tokens"][1]["piece"] and all({"id", "piece"} <= set(t) for t in data["tokens"])
    assert len(data["candidates"]) == 20
    assert {"token", "logit", "p_raw", "p_final", "kept"} <= set(data["candidates"][0])
    assert data["candidates"][0]["p_final"] == 1.0 and data["kept_total"] >= 1  # temperature 0: greedy
    assert len(data["samples"]) == 10 and len(set(data["samples"])) == 1  # ten identical continuations
