"""The calibrated decision (answer, caution, refuse), its refit, the caution in answers and its eval keys."""

from __future__ import annotations

import contextlib
import io
import json
import math
from dataclasses import replace

import numpy as np
import pytest

from tests.conftest import ROOT, FakeLLM
from tutor import abstain
from tutor.abstain import CALIBRATIONS, FEATURES, Calibration, Signals, decide
from tutor.calibrate import fit_logistic, thresholds
from tutor.config import RetrievalSettings
from tutor.evaluate import evaluate

MINILM = "all-MiniLM-L6-v2"


def _signals(**values) -> Signals:
    base = dict(dense=0.6, coverage=0.7, unknown_ask=0, unknown_context=0, absent_ask=0, absent_context=0)
    base.update(fused_z=0.0, margin=0.0, pages=3)  # size-dependent: reported, never read by the model
    return Signals(**{**base, **values})


def test_calibration_covers_every_feature_and_refusing_means_abstaining():
    for model in CALIBRATIONS.values():
        assert set(model.weights) == set(FEATURES)
    s, model = RetrievalSettings(), CALIBRATIONS[MINILM]
    assert 0 < model.refuse_confidence <= model.answer_confidence < 1
    covered = decide(_signals(), s, MINILM)
    assert covered.decision == "answer" and covered.calibrated
    lost = decide(_signals(dense=0.15, coverage=0.05, absent_ask=2), s, MINILM)
    assert lost.decision == "refuse" and lost.confidence < model.refuse_confidence


def test_the_course_size_is_not_read():
    s = RetrievalSettings()
    small, large = _signals(pages=3, fused_z=1.2), _signals(pages=100_000, fused_z=6.0)
    assert decide(small, s, MINILM) == decide(large, s, MINILM)


def test_a_never_mentioned_name_lowers_confidence_without_refusing_a_well_covered_question():
    s = RetrievalSettings()
    plain = decide(_signals(), s, MINILM)
    named = decide(_signals(unknown_ask=1), s, MINILM)
    assert named.confidence < plain.confidence
    covered = decide(_signals(dense=0.7, coverage=1.0, unknown_ask=1), s, MINILM)
    assert covered.decision != "refuse"  # a name alone does not refuse what the course covers
    # a name in a scenario's context (a city, a company, a tool) is its setting, not what it asks
    context = decide(_signals(unknown_context=1), s, MINILM)
    assert named.confidence < context.confidence and context.decision == "answer"
    poorly_covered = decide(_signals(dense=0.35, coverage=0.3, unknown_ask=1, absent_ask=1), s, MINILM)
    assert poorly_covered.decision == "refuse"
    ignored = decide(_signals(unknown_ask=1), replace(s, abstain_on_unknown_terms=False), MINILM)
    assert ignored.confidence == plain.confidence


def test_borderline_confidence_is_a_caution():
    s = RetrievalSettings()
    model = CALIBRATIONS[MINILM]
    x = {name: getattr(_signals(), name) for name in FEATURES}
    logit = model.intercept + sum(w * x[n] for n, w in model.weights.items())
    mid = (model.refuse_confidence + model.answer_confidence) / 2
    shift = math.log(mid / (1 - mid)) - logit  # move the intercept so this question lands in the band
    moved = {MINILM: replace(model, intercept=model.intercept + shift)}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(abstain, "CALIBRATIONS", moved)
        verdict = decide(_signals(), s, MINILM)
    assert verdict.decision == "caution" and verdict.confidence == pytest.approx(mid)


def test_embedders_without_a_calibration_keep_the_z_score_rule():
    s = RetrievalSettings()
    assert decide(_signals(fused_z=1.0), s, "mi-modelo").decision == "refuse"
    assert decide(_signals(fused_z=3.0), s, "mi-modelo").decision == "answer"
    assert decide(_signals(fused_z=3.0, unknown_ask=1), s, "mi-modelo").decision == "refuse"
    assert decide(_signals(fused_z=-5.0), replace(s, min_fused_z=-99.0), "mi-modelo").decision == "answer"


def test_refit_recovers_a_known_model_and_picks_thresholds():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 3))
    truth = np.array([2.0, -1.0, 0.5])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(0.3 + x @ truth)))).astype(float)
    intercept, coef = fit_logistic(x * 3.0 + 1.0, y, l2=0.0)  # raw units: the fit undoes the scaling
    assert intercept == pytest.approx(0.3 - truth.sum() / 3.0, abs=0.15)
    assert coef == pytest.approx(truth / 3.0, abs=0.05)
    conf = np.array([0.1, 0.2, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.97, 0.99])
    labels = np.array([0, 0, 1, 0, 1, 1, 1, 1, 1, 1])
    refuse, answer = thresholds(conf, labels, wrong_cost=2.0, max_unsure=0.3)
    assert refuse == 0.5 and answer == 0.8  # refusing 0.5 too would cost 2 to refuse the unanswerable 0.6 (cost 1)
    refuse, _ = thresholds(conf, labels, wrong_cost=0.5, max_unsure=0.3)
    assert refuse == 0.7  # when a wrong refusal costs less, 0.6 is refused and 0.5 with it


def _calibrated(monkeypatch, confidence: float) -> None:
    """Give the hashing embedder a constant calibrated confidence."""
    logit = math.log(confidence / (1 - confidence))
    model = Calibration(logit, dict.fromkeys(FEATURES, 0.0), "test")
    monkeypatch.setitem(abstain.CALIBRATIONS, "fake-hash", model)


def test_a_borderline_question_is_answered_after_a_visible_caution(tutor_factory, monkeypatch):
    _calibrated(monkeypatch, 0.78)
    llm = FakeLLM()
    shown: list[str] = []
    answer = tutor_factory(llm).ask("¿Qué controla la temperatura?", on_text=shown.append)
    assert not answer.abstained and llm.calls
    assert answer.caution.startswith("Quizá el curso no lo trate directamente; esto es lo más cercano")
    assert answer.answer.startswith(answer.caution) and shown[0].startswith(answer.caution)
    assert answer.to_dict()["caution"] == answer.caution
    english = tutor_factory(FakeLLM()).ask("What does the temperature control?")
    assert english.caution.startswith("The course may not cover this directly")


def test_the_note_names_what_the_ask_names_not_the_scenarios_places_and_tools(tutor_factory, monkeypatch):
    """Seen in the window: a covered exam stem about an insurer «de Córdoba» was answered under «(El curso no
    menciona «Córdoba».)», as if the city were what the course lacks."""
    stem = "Una aseguradora de Córdoba usa Zendesk para sus tickets. ¿Qué controla la temperatura en LoRA?"
    for confidence, start in ((0.78, "Quizá el curso no lo trate directamente"), (0.2, "")):
        _calibrated(monkeypatch, confidence)
        answer = tutor_factory(FakeLLM()).ask(stem)
        note = answer.caution or answer.answer
        assert note.startswith(start) and "«LoRA»" in note, note
        assert "Córdoba" not in note and "Zendesk" not in note
    retrieval = tutor_factory(FakeLLM()).search(stem)
    assert set(retrieval.unknown_terms) == {"Córdoba", "Zendesk", "LoRA"}  # the decision still weighs them all


def test_a_confident_answer_has_no_caution_and_a_refusal_no_model_call(tutor_factory, monkeypatch):
    _calibrated(monkeypatch, 0.97)
    assert tutor_factory(FakeLLM()).ask("¿Qué controla la temperatura?").caution == ""
    _calibrated(monkeypatch, 0.2)
    llm = FakeLLM()
    refused = tutor_factory(llm).ask("¿Qué controla la temperatura?")
    assert refused.abstained and refused.kind == "not_in_course" and llm.calls == []


def test_eval_explains_each_decision(tutor_factory, monkeypatch):
    _calibrated(monkeypatch, 0.78)
    questions = [
        {
            "id": "a",
            "question": "¿Qué controla la temperatura?",
            "kind": "short",
            "keywords": [],
            "gold": [{"file": "parametros-de-inferencia.pdf", "page": 2}],
        },
        {"id": "b", "question": "¿Cuál es la capital de Mongolia?", "kind": "unanswerable", "keywords": [], "gold": []},
    ]
    report = evaluate(tutor_factory(FakeLLM()), questions)
    for key in ("recall_at_k", "mrr", "abstention_accuracy", "false_abstentions", "retrieval_p50_ms"):
        assert key in report
    assert report["cautions"] == 2 and report["cautions_answerable"] == report["cautions_unanswerable"] == 1
    row = report["per_question"][0]
    for key in ("first_gold_rank", "abstained", "unknown_terms", "top_z", "top"):
        assert key in row
    assert row["decision"] == "caution" and row["confidence"] == pytest.approx(0.78, abs=1e-3)
    assert set(row["signals"]) >= {"dense", "coverage", "unknown_ask", "unknown_context", "absent_ask", "pages"}
    model = abstain.CALIBRATIONS["fake-hash"]
    assert row["thresholds"] == {
        "answer_confidence": model.answer_confidence,
        "refuse_confidence": model.refuse_confidence,
        "min_fused_z": -99.0,
    }


@pytest.mark.integration
def test_the_coefficients_in_code_are_what_the_tune_half_gives(real_home, real_course):
    from tutor.calibrate import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        sets = [str(ROOT / "eval" / "questions.jsonl"), str(ROOT / "eval" / "exam_style.jsonl")]
        main([*sets, "--corpus", str(real_course), "--split", "tune"])
    fitted = json.loads(out.getvalue())
    model = CALIBRATIONS[MINILM]
    assert fitted["intercept"] == pytest.approx(model.intercept, abs=0.1)
    assert fitted["weights"] == pytest.approx(model.weights, abs=0.1)
    assert fitted["refuse_confidence"] == pytest.approx(model.refuse_confidence, abs=0.02)
    assert fitted["answer_confidence"] == pytest.approx(model.answer_confidence, abs=0.02)


def test_a_service_the_ask_wants_unnamed_and_the_course_never_names_refuses_a_covered_scenario():
    """«…convert the recorded calls into text. Which AWS service?»: the scenario's words are all on the slides,
    but what it asks for (Amazon Transcribe, tutor/implied.py) is not."""
    s = RetrievalSettings()
    assert decide(_signals(dense=0.7, coverage=1.0), s, MINILM).decision == "answer"
    assert decide(_signals(dense=0.7, coverage=1.0, implied=1), s, MINILM).decision == "refuse"
    off = replace(s, abstain_on_unknown_terms=False)
    assert decide(_signals(dense=0.7, coverage=1.0, implied=1), off, MINILM).decision == "answer"
