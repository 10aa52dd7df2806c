"""What `tutor bench` keeps for this CPU (tutor/machine_tuning.py) and how it decides (tutor/bench_model.py)."""

from __future__ import annotations

import json

from tutor.bench_model import bandwidth_figures, memory_bandwidth_gbs, tune_machine
from tutor.machine_tuning import DEFAULT_BATCH, MachineTuning, cpu_name, load_tuning, save_tuning, tuning_path

TABLE = [
    {"n_batch": 256, "n_ubatch": 256, "threads_batch": 2, "prompt_tps": 60.0},
    {"n_batch": 512, "n_ubatch": 512, "threads_batch": 2, "prompt_tps": 55.0},
    {"n_batch": 64, "n_ubatch": 64, "threads_batch": 1, "prompt_tps": 30.0},
]


def test_defaults_until_the_bench_has_run(tutor_home):
    tuning = load_tuning()
    assert not tuning.measured and tuning.n_batch == DEFAULT_BATCH and not tuning.prompt_lookup


def test_kept_for_this_cpu_only(tutor_home):
    save_tuning(MachineTuning(cpu=cpu_name(), n_batch=256, n_ubatch=256, threads_batch=2, measured=True))
    assert load_tuning().n_batch == 256
    data = json.loads(tuning_path().read_text())
    tuning_path().write_text(json.dumps({**data, "cpu": "Another CPU x64"}))
    assert load_tuning().n_batch == DEFAULT_BATCH  # a data dir copied to another computer
    tuning_path().write_text("{ roto")
    assert load_tuning() == MachineTuning(cpu=cpu_name())


def test_the_fastest_batch_is_kept_and_lookup_only_where_it_gained():
    tuning = tune_machine(TABLE, {"gen_tps_lookup_ratio": 1.25, "lookup_same_text": True})
    assert (tuning.n_batch, tuning.n_ubatch, tuning.threads_batch) == (256, 256, 2)
    assert tuning.prompt_lookup and tuning.measured
    assert not tune_machine(TABLE, {"gen_tps_lookup_ratio": 1.05, "lookup_same_text": True}).prompt_lookup
    assert not tune_machine(TABLE, {"gen_tps_lookup_ratio": 1.5, "lookup_same_text": False}).prompt_lookup
    slower = [dict(TABLE[1], prompt_tps=70.0), TABLE[0]]
    assert tune_machine(slower, {}).n_batch == 512  # the default stays when nothing beats it


def test_generation_is_reported_against_the_bandwidth_limit(tmp_path):
    model = tmp_path / "m.gguf"
    model.write_bytes(b"\0" * 1_000_000)
    figures = bandwidth_figures(gen_tps=5000.0, model_path=model, bandwidth_gbs=10.0)
    assert figures["gen_tps_bandwidth_limit"] == 10_000.0  # 10 GB/s over 1 MB of weights
    assert figures["gen_share_of_bandwidth_limit"] == 0.5
    assert memory_bandwidth_gbs(megabytes=16, repeats=2) > 0.1
