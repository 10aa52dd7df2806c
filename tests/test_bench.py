"""Smoke test of `tutor bench --quick --json`: every figure is reported (no time is asserted)."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import SAMPLE_CORPUS

KEYS = [
    "index_chunks_per_s",
    "index_vs_encode_ratio",
    "reindex_noop_s",
    "retrieval_p50_ms",
    "retrieval_p95_ms",
    "retrieval_100k_p50_ms",
    "prompt_tps",
    "prompt_tps_ratio",
    "gen_tps",
    "gen_tps_ratio",
    "ttft_cold_ms",
    "ttft_warm_ms",
    "peak_rss_mb",
    "window_shown_s",
    "load_s",
    "ttft_first_question_cold_ms",
    "ttft_first_question_preloaded_ms",
    "ttft_later_question_ms",
    "prompt_tokens_p50",
    "gen_tps_lookup_ratio",
    "bandwidth_gbs",
    "gen_share_of_bandwidth_limit",
]


@pytest.mark.slow
def test_bench_quick_json_reports_every_figure(real_home, tmp_path):
    env = {**os.environ, "TUTOR_HOME": str(real_home), "QT_QPA_PLATFORM": "offscreen"}
    cmd = [
        sys.executable,
        "-m",
        "tutor",
        "bench",
        "--quick",
        "--json",
        "--corpus",
        str(SAMPLE_CORPUS),
        "--dev",
        str(tmp_path / "sin-preguntas.jsonl"),
    ]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=tmp_path, timeout=900)
    assert out.returncode == 0, out.stderr[-2000:]
    figures = json.loads(out.stdout)
    missing = [k for k in KEYS if figures.get(k) is None]
    assert missing == [], (missing, figures)
    assert all(isinstance(figures[k], (int, float)) and figures[k] >= 0 for k in KEYS)
    assert figures["retrieval_100k_chunks"] == 10_000
    # the fastest prompt settings found here are kept for this CPU, and used when a model is loaded
    assert figures["batch_table"] and figures["batch_table"][0]["prompt_tps"] > 0
    kept = json.loads((real_home / "machine.json").read_text())
    (real_home / "machine.json").unlink()  # the other tests share this data dir: they keep the defaults
    assert kept["measured"] is True
    assert kept["prompt_lookup"] == (figures["gen_tps_lookup_ratio"] >= 1.1 and figures["lookup_same_text"])
