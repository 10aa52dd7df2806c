"""The window, driven with pytest-qt on the offscreen platform (fakes where speed matters)."""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl  # noqa: E402
from PySide6.QtGui import QFont, QGuiApplication, QTextCursor  # noqa: E402

from tests.conftest import ROOT, FakeLLM  # noqa: E402
from tutor.config import Settings, load_settings  # noqa: E402
from tutor.gui.main_window import MainWindow  # noqa: E402
from tutor.pipeline import Tutor  # noqa: E402


class SlowLLM(FakeLLM):
    """Streams many tokens slowly, so a test can act during generation."""

    def __init__(self, n: int = 200, delay: float = 0.02) -> None:
        words = [f"{a}{b}{c}" for a in "bcdfg" for b in "aeiou" for c in "lmnrs"]  # all distinct: no loop
        super().__init__([f"{words[i % len(words)]} " for i in range(n)])
        self.delay = delay

    def stream(self, prompt_tokens, params, on_prompt=None, grammar=None):
        self.calls.append((prompt_tokens, params))
        for piece in self.pieces:
            time.sleep(self.delay)
            yield piece


@pytest.fixture
def make_window(qtbot, sample_corpus, fake_embedder, tmp_path):
    model = tmp_path / "falso.gguf"
    model.write_bytes(b"GGUF")

    def make(llm=None, settings: Settings | None = None) -> MainWindow:
        base = settings or Settings(llm_model=str(model), retrieval=replace(Settings().retrieval, min_fused_z=-99.0))
        base = replace(base, corpus_dir=str(sample_corpus))
        tutor = Tutor(base, sample_corpus, llm=llm or FakeLLM(), embedder=fake_embedder)
        window = MainWindow(base, tutor)
        qtbot.addWidget(window)
        window.show()
        window.start_indexing()
        qtbot.waitUntil(lambda: window.index_task is None, timeout=30000)
        return window

    return make


def _weight(browser, word: str) -> int:
    """The font weight the browser really renders ``word`` in (its last character's format)."""
    cursor = browser.document().find(word)
    assert not cursor.isNull(), word
    return cursor.charFormat().fontWeight()


def _ask(qtbot, window: MainWindow, question: str, timeout: int = 30000) -> None:
    ask = window.ask_view
    ask.input.setText(question)
    qtbot.keyClick(ask.input, Qt.Key_Return)
    qtbot.waitUntil(lambda: bool(window.ask_task is None and ask.turns and ask.turns[-1].result), timeout=timeout)


def test_ask_streams_answer_with_clickable_citation(make_window, qtbot, tmp_path):
    llm = FakeLLM(["La temperatura ", "controla ", "la **aleatoriedad** ", "[1", "] y ", "[7]", "."])
    window = make_window(llm)
    ask = window.ask_view
    assert window.index_status.text().startswith("Índice: 3 archivos")
    _ask(qtbot, window, "¿Qué controla la temperatura?")
    text = ask.conversation.toPlainText()
    assert "La temperatura controla la aleatoriedad [1]" in text
    assert "[7]" not in text  # not a source: never shown
    assert _weight(ask.conversation, "aleatoriedad") == QFont.Weight.Bold.value  # from **aleatoriedad**
    assert _weight(ask.conversation, "controla") == QFont.Weight.Normal.value
    assert ask.sources_list.count() == len(ask.turns[0].result.sources) > 0
    assert ask.slide.current[1] == ask.turns[0].result.sources[0]  # the cited slide, shown without a click
    ask.copy_answer()  # with the sources its markers cite (a student trial: a pasted «[1]» meant nothing)
    copied = QGuiApplication.clipboard().text()
    source = ask.turns[0].result.sources[0]
    assert "La temperatura controla" in copied and f"\n\nFuentes citadas:\n[1] {source.label()}" in copied
    assert "tokens" in ask.context_bar.format()
    window.resize(640, 480)  # seen in a student trial: at 640×480 the buttons read «va conversa», «piar respues»
    assert window.width() >= 960 and window.height() >= 600
    assert ask.new_button.width() >= ask.new_button.sizeHint().width()
    window.grab().save(str(tmp_path / "window-after-answer.png"))
    assert (tmp_path / "window-after-answer.png").stat().st_size > 10_000

    source = ask.turns[0].result.sources[0]
    ask.conversation.anchorClicked.emit(QUrl("cite:0:1"))
    path, shown = ask.slide.current
    assert shown == source and path == Path(window.tutor.corpus) / source.file
    if source.kind == "pdf":
        assert not ask.slide.image.pixmap().isNull()
        assert ask.slide.highlighted > 0
    assert str(source.page) in ask.slide.header.text()
    # a student trial: a slide's text was 4 px high, Ctrl+wheel did nothing, and the cited lines were below the fold
    sources = ask.turns[0].result.sources
    n = next(n for n, s in enumerate(sources, start=1) if s.kind == "pdf")
    ask.conversation.anchorClicked.emit(QUrl(f"cite:0:{n}"))
    assert ask.slide.highlighted > 0, "the sample slide's passage is highlighted"
    width = ask.slide.image.pixmap().width()
    ask.slide.zoom_in.click()
    ask.slide.zoom_in.click()
    assert abs(ask.slide.image.pixmap().width() - 2 * width) <= 2 and ask.slide.zoom_label.text() == "200 %"
    scroll = ask.slide.scroll
    qtbot.wait(50)
    scroll.verticalScrollBar().setValue(scroll.verticalScrollBar().maximum())  # scrolled away, then shown again
    scroll.horizontalScrollBar().setValue(scroll.horizontalScrollBar().maximum())
    ask.conversation.anchorClicked.emit(QUrl(f"cite:0:{n}"))
    qtbot.wait(50)
    view = scroll.viewport().rect().translated(scroll.horizontalScrollBar().value(), scroll.verticalScrollBar().value())
    assert view.contains(ask.slide.highlight.topLeft().toPoint() + QPoint(5, 5)), (view, ask.slide.highlight)
    ask.slide.zoom_out.click()
    ask.slide.zoom_out.click()
    assert ask.slide.image.pixmap().width() == width and not ask.slide.zoom_out.isEnabled()


def test_the_slide_shown_always_belongs_to_the_listed_sources(make_window, qtbot, monkeypatch):
    """Seen in a student trial: after a refusal, and in a new conversation, the viewer kept an earlier answer's
    slide under a list of other sources; the PDF button failed silently on a machine without a PDF viewer; the
    cited sources were listed in the order the answer first cited them («[3] · [2] · [1]»)."""
    window = make_window(FakeLLM(["La temperatura controla la aleatoriedad [1]."]))
    ask = window.ask_view
    _ask(qtbot, window, "¿Qué controla la temperatura?")
    result = ask.turns[-1].result
    assert ask.slide.current is not None and ask.slide.current[1] in result.sources
    assert len(result.sources) >= 2
    result.cited = [2, 1]  # cited [2] first
    ask._render()
    cited_line = ask.conversation.toPlainText().split("Fuentes citadas: ")[1]
    assert cited_line.index("[1]") < cited_line.index("[2]")
    pdf = next(n for n, source in enumerate(result.sources, start=1) if source.kind == "pdf")
    ask.show_citation(len(ask.turns) - 1, pdf)
    assert ask.slide.open_button.isEnabled()  # no PDF viewer here, and the window says so
    monkeypatch.setattr("tutor.gui.slide_view.shutil.which", lambda name: None)
    monkeypatch.setattr("tutor.gui.slide_view.QDesktopServices.openUrl", lambda url: False)
    ask.slide.open_button.click()
    assert ask.slide.header.text().startswith("No he podido abrir el PDF")
    assert f"diapositiva {result.sources[pdf - 1].page}" in ask.slide.header.text()
    assert "Generada con temperatura" not in ask.conversation.toPlainText()  # 0,2: nothing to say
    result.params["temperature"] = 1.5  # a student who raised it sees what it did, where the answer is
    ask._render()
    assert "Generada con temperatura 1,5 (alta)" in ask.conversation.toPlainText()
    _ask(qtbot, window, "¿Cuál es la capital de Australia?")
    assert ask.turns[-1].result.abstained
    assert ask.slide.current is None and ask.slide.header.text().startswith("Haz clic en una cita")
    _ask(qtbot, window, "¿Qué controla la temperatura?")
    assert ask.slide.current is not None
    ask.new_conversation()
    assert ask.slide.current is None and not ask.slide.open_button.isEnabled()


def test_shift_return_starts_a_new_line_and_return_sends_the_whole_question(make_window, qtbot):
    """Seen in a student trial: typing an exam question's options line by line, Mayús+Intro sent the stem alone."""
    window = make_window(FakeLLM(["Top-p limita la elección a una probabilidad acumulada [1]."]))
    ask = window.ask_view
    ask.input.setText("¿Qué parámetro limita los tokens a una probabilidad acumulada?")
    ask.input.moveCursor(QTextCursor.End)
    for option in ("A. Temperatura", "B. Top-p"):
        qtbot.keyClick(ask.input, Qt.Key_Return, Qt.ShiftModifier)
        qtbot.keyClicks(ask.input, option)
    assert not ask.turns and ask.input.text().count("\n") == 2  # nothing sent yet
    qtbot.keyClick(ask.input, Qt.Key_Return)
    qtbot.waitUntil(lambda: bool(window.ask_task is None and ask.turns and ask.turns[-1].result), timeout=30000)
    assert ask.turns[-1].question.endswith("A. Temperatura\nB. Top-p")
    assert ask.turns[-1].result.kind == "practice" and ask.input.text() == ""


def test_a_question_without_words_or_too_long_is_said_at_once_and_kept_in_the_box(make_window, qtbot):
    """Seen in a student trial: an emoji-only question saved a junk conversation (and printed a traceback); a
    2983-character paste was cut at 2000 without a word, and the box was cleared; an empty one did nothing."""
    window = make_window(FakeLLM(["La temperatura controla la aleatoriedad [1]."]))
    ask = window.ask_view
    messages: list[str] = []
    ask.status.connect(lambda text, ms: messages.append(text))
    for text, said in (
        ("🙂🙂🙂", "Escribe una pregunta"),
        ("   ", "Escribe una pregunta"),
        ("¿Qué es top-p? " * 200, "demasiado larga"),
    ):
        ask.input.setText(text)
        assert ask.send() is None
        assert said in messages[-1] and ask.input.text() == text  # nothing lost, nothing sent
    assert not ask.turns and not ask.store.conversations()
    _ask(qtbot, window, "¿Qué controla la temperatura?")  # and the window still answers
    assert ask.turns[-1].result.answer.strip() and window.isVisible()


def test_sliders_reach_the_model_and_persist(make_window, qtbot):
    llm = FakeLLM()
    window = make_window(llm)
    panel = window.params_panel
    panel.rows["temperature"].slider.setValue(150)  # 1.50
    panel.rows["top_k"].field.setValue(7)
    panel.rows["max_tokens"].slider.setValue(99)
    panel.random_seed.setChecked(False)
    panel.seed.setValue(1234)
    panel.stop_field.setText("FIN | ###")
    _ask(qtbot, window, "¿Qué es top-k?")
    sent = llm.calls[-1][1]
    assert (sent.temperature, sent.top_k, sent.max_tokens, sent.seed) == (1.5, 7, 99, 1234)
    assert sent.stop[:2] == ("FIN", "###")
    window.save()
    saved = load_settings().generation
    assert (saved.temperature, saved.top_k, saved.seed, saved.stop) == (1.5, 7, 1234, ("FIN", "###"))
    panel.reset_button.click()
    assert panel.params() == Settings().generation


def test_stop_cancels_generation_and_event_loop_keeps_running(make_window, qtbot):
    llm = SlowLLM()
    window = make_window(llm)
    ask = window.ask_view
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    ask.input.setText("¿Qué es RAG?")
    ask.send()
    qtbot.waitUntil(lambda: len(ask.turns[-1].answer) > 200, timeout=10000)
    assert ask.stop_button.isEnabled() and not ask.send_button.isEnabled()
    ask.stop_button.click()
    qtbot.waitUntil(lambda: window.ask_task is None, timeout=10000)
    timer.stop()
    result = ask.turns[-1].result
    assert result.stopped_reason == "cancelled"
    assert result.usage["completion_tokens"] < 200
    assert len(ticks) > 10  # the GUI thread kept processing events during generation
    assert "Generación detenida" in ask.conversation.toPlainText()
    # Escape stops too, from the question box (seen in a student trial: no keyboard way to stop)
    ask.input.setText("¿Qué es top-p?")
    ask.send()
    qtbot.waitUntil(lambda: len(ask.turns[-1].answer) > 200, timeout=10000)
    qtbot.keyClick(ask.input, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.ask_task is None, timeout=10000)
    assert ask.turns[-1].result.stopped_reason == "cancelled"


def test_follow_up_question_carries_the_conversation(make_window, qtbot):
    llm = FakeLLM(["La temperatura ", "controla ", "la aleatoriedad ", "[1]."])
    window = make_window(llm)
    ask = window.ask_view
    _ask(qtbot, window, "¿Qué es top-p?")
    _ask(qtbot, window, "¿Y top-k?")
    prompt = llm.detokenize(llm.calls[-1][0])
    assert "Estudiante: ¿Qué es top-p?" in prompt and "controla la aleatoriedad" in prompt
    ask.new_button.click()
    assert ask.turns == [] and ask.conversation.toPlainText().strip() == ""


def test_indexing_reports_progress_and_unreadable_files(make_window, qtbot, sample_corpus):
    window = make_window()
    (sample_corpus / "dañado.pdf").write_bytes(b"%PDF-1.4 roto")
    (sample_corpus / "nuevo.md").write_text("# Nuevo\nTexto nuevo.\n", "utf-8")
    stages = []
    task = window.start_indexing()
    task.signals.progress.connect(lambda stage, done, total: stages.append((stage, done, total)), Qt.QueuedConnection)
    qtbot.waitUntil(lambda: window.index_task is None, timeout=30000)
    assert any(stage == "Calculando embeddings" for stage, _, _ in stages)
    assert window.last_message and "dañado.pdf" in window.last_message[1]
    assert window.last_message[1].startswith("El resto del curso se ha indexado.")
    assert "4 archivos" in window.index_status.text()


def test_a_folder_with_nothing_to_read_or_files_it_skips_is_said(tmp_path):
    """Seen in a student trial: an empty folder only changed the status bar; a folder whose one PDF was broken said
    «El resto del curso se ha indexado»; a .docx and a .png were skipped without a word."""
    from tutor.index import IndexReport, course_warning
    from tutor.ingest import skipped_files

    assert course_warning(IndexReport(), []).startswith("Esta carpeta no tiene diapositivas (PDF) ni apuntes")
    broken = IndexReport(problems=[("roto.pdf", "el PDF está dañado o incompleto")])
    assert course_warning(broken, []).startswith("No se ha podido leer ningún archivo del curso.\n\n• roto.pdf")
    (tmp_path / "apuntes.md").write_text("# Clarify\nDetecta sesgos.", "utf-8")
    (tmp_path / "trabajo.docx").write_bytes(b"PK")
    (tmp_path / "fotos").mkdir()
    (tmp_path / "fotos" / "captura.png").write_bytes(b"\x89PNG")
    (tmp_path / ".oculto.txt").write_text("x", "utf-8")
    skipped = skipped_files(tmp_path)
    assert skipped == ["fotos/captura.png", "trabajo.docx"]
    read = IndexReport(added=["apuntes.md"])
    assert (
        course_warning(read, skipped)
        == "No se leen (tutor lee PDF, Markdown y texto): fotos/captura.png, trabajo.docx."
    )
    assert course_warning(read, []) == ""


def test_abstention_is_said_plainly(make_window, qtbot, tmp_path):
    model = tmp_path / "falso.gguf"
    settings = Settings(llm_model=str(model), retrieval=replace(Settings().retrieval, min_fused_z=99.0))
    llm = FakeLLM()
    window = make_window(llm, settings)
    ask = window.ask_view
    _ask(qtbot, window, "¿Cuál es la capital de Mongolia?")
    assert "No está en el curso" in ask.conversation.toPlainText()
    assert llm.calls == []


def test_broken_model_shows_a_message_and_the_window_stays_usable(qtbot, sample_corpus, fake_embedder, tmp_path):
    bad = tmp_path / "roto.gguf"
    bad.write_bytes(b"esto no es un modelo" * 10)
    settings = Settings(
        llm_model=str(bad), corpus_dir=str(sample_corpus), retrieval=replace(Settings().retrieval, min_fused_z=-99)
    )
    window = MainWindow(settings, Tutor(settings, sample_corpus, embedder=fake_embedder))
    ask = window.ask_view
    qtbot.addWidget(window)
    window.show()
    window.start_indexing()
    qtbot.waitUntil(lambda: window.index_task is None, timeout=30000)
    ask.input.setText("¿Qué es RAG?")
    ask.send()
    qtbot.waitUntil(lambda: window.ask_task is None, timeout=30000)
    assert window.last_message and "GGUF" in window.last_message[1]
    assert ask.send_button.isEnabled()


@pytest.mark.integration
@pytest.mark.slow
def test_real_models_in_the_window_answer_and_show_the_cited_slide(qtbot, real_home, real_course, tmp_path):
    settings = Settings(corpus_dir=str(real_course))
    window = MainWindow(settings, Tutor(settings, real_course))
    ask = window.ask_view
    qtbot.addWidget(window)
    window.show()
    window.start_indexing()
    qtbot.waitUntil(lambda: window.index_task is None, timeout=120000)
    _ask(qtbot, window, "¿Para qué sirve AWS KMS?", timeout=180000)
    result = ask.turns[-1].result
    assert result.answer.strip() and not result.abstained
    n = next(i for i, (num, s) in enumerate(result.citations, 1) if s.kind == "pdf")
    number, source = result.citations[n - 1]
    ask.conversation.anchorClicked.emit(QUrl(f"cite:0:{number}"))
    assert ask.slide.current[1] == source
    assert not ask.slide.image.pixmap().isNull()
    assert f"diapositiva {source.page}" in ask.slide.header.text()
    window.grab().save(str(tmp_path / "window-real-course.png"))


def test_model_output_is_shown_as_text_never_as_html(make_window, qtbot):
    evil = '<img src="http://example.com/x.png"> <a href="http://example.com">pulsa</a> <script>alert(1)</script> [1]'
    grounded = (
        " La temperatura controla la aleatoriedad. Con valores bajos el modelo es conservador y repetible; "
        "con valores altos es más creativo pero se equivoca más [1]. Para estudiar conviene una temperatura baja."
    )
    window = make_window(FakeLLM([evil, ".", grounded, grounded, grounded]))
    ask = window.ask_view
    _ask(qtbot, window, "¿Qué controla la temperatura?")
    html_out = ask.conversation.toHtml()
    assert '<img src="http://example.com' not in html_out and 'href="http://example.com' not in html_out
    assert '<img src="http://example.com/x.png">' in ask.conversation.toPlainText()


def _slowed(embed_passages):
    """``embed_passages`` slowed down per batch, so indexing can be cancelled midway."""

    def slow(texts, batch_size=32):
        time.sleep(0.3)
        return embed_passages(texts)

    return slow


def test_indexing_can_be_cancelled_and_the_previous_index_stays(
    make_window, qtbot, sample_corpus, fake_embedder, monkeypatch
):
    window = make_window()
    before = len(window.tutor.index.chunks)
    for i in range(200):
        (sample_corpus / f"extra{i:03d}.md").write_text(f"# Tema {i}\nTexto del tema número {i}.\n", "utf-8")
    monkeypatch.setattr(fake_embedder, "embed_passages", _slowed(fake_embedder.embed_passages))
    stages = []
    task = window.start_indexing()
    task.signals.progress.connect(lambda *a: stages.append(a), Qt.QueuedConnection)
    qtbot.waitUntil(lambda: any(s[0] == "Calculando embeddings" for s in stages), timeout=20000)
    window.cancel_index_button.click()
    qtbot.waitUntil(lambda: window.index_task is None, timeout=20000)
    from tutor.index import CourseIndex

    still = CourseIndex.load(sample_corpus, fake_embedder.name, window.settings.chunking)
    assert len(still.chunks) == before
    assert window.reindex_button.isEnabled()


def test_tutor_without_arguments_opens_the_window(tmp_path):
    import subprocess
    import sys

    env = {**os.environ, "TUTOR_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen", "TUTOR_EXIT_WHEN_SHOWN": "1"}
    out = subprocess.run(
        [sys.executable, "-m", "tutor"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert out.returncode == 0, out.stderr[-1500:]
    assert "window_shown_s=" in out.stdout


def test_discarded_generation_is_shown_apart_and_labelled(make_window, qtbot):
    window = make_window(FakeLLM(["Los ", "**pingüinos** ", "vuelan ", "a ", "Marte ", "por ", "\\$29."]))
    ask = window.ask_view
    _ask(qtbot, window, "¿Qué controla la temperatura?")
    text = ask.conversation.toPlainText()
    assert "no una respuesta generada" in text
    # as plain words: no «**», no «\$» (a student trial)
    assert "descartado porque no se apoya en las diapositivas: Según las diapositivas, Los pingüinos vuelan" in text
    assert "por $29" in text


def test_lab_bars_are_drawn_to_scale_on_the_same_axis_as_top_p(qtbot):
    """Seen in a student trial: the bars were scaled to the largest one, so a 40 % token filled the chart while
    the top-p mark and the cumulative line used the whole width for 100 %."""
    from tutor.gui.lab_view import FINAL, DistributionChart
    from tutor.lab import Candidate, Distribution, LabParams

    cands = [Candidate(i, f"t{i}", 0.0, p, p, True) for i, p in enumerate((0.4, 0.3, 0.2, 0.1))]
    chart = DistributionChart()
    qtbot.addWidget(chart)
    chart.resize(816, 460)
    chart.set_distribution(Distribution(replace(LabParams(), top_p=0.9), cands, 4, 1.0))
    image = chart.grab().toImage()
    label_w, bar_w = 150, 816 - 150 - 150 - 16
    row_h = (460 - 26 - 20) / 4
    y = int(26 + row_h * 0.8 * 0.7)  # inside the first row's final-probability bar
    final = [x for x in range(image.width()) if image.pixelColor(x, y).name() == FINAL.name()]
    assert final and abs(max(final) - (label_w + 0.4 * bar_w)) <= 2


def test_lab_tab_shows_the_distribution_and_redraws_live_with_the_sliders(make_window, qtbot, tmp_path):
    llm = FakeLLM()
    window = make_window(llm)
    window.modes.setCurrentWidget(window.lab_view)
    lab = window.lab_view
    lab.rows["temperature"].set_value(1.0)
    lab.rows["top_k"].set_value(0)
    lab.rows["top_p"].set_value(1.0)
    lab.rows["min_p"].set_value(0.0)
    window.compute_lab(lab.prompt.text())
    qtbot.waitUntil(lambda: window.lab_task is None and lab.result is not None, timeout=10000)
    assert len(lab.dist.candidates) == 20 and lab.dist.kept_total == 50
    assert "Tokens del texto (" in lab.tokens_label.text() and "de 4096 tokens" in lab.context_label.text()
    raw = [c.p_final for c in lab.dist.candidates]
    lab.rows["top_k"].set_value(3)  # a slider move redraws at once, without the model
    assert lab.dist.kept_total == 3 and [c.kept for c in lab.dist.candidates[:4]] == [True, True, True, False]
    assert lab.dist.candidates[3].removed_by == "top-k"
    assert lab.dist.candidates[0].p_final > raw[0]
    lab.rows["top_k"].set_value(0)
    lab.rows["temperature"].set_value(0.0)
    assert lab.dist.candidates[0].p_final == 1.0
    window.generate_lab()
    qtbot.waitUntil(lambda: window.lab_task is None and lab.samples.count() == 11, timeout=10000)
    assert "1 de 10 continuaciones distintas" in lab.samples.item(10).text()
    lab.grab().save(str(tmp_path / "lab.png"))
    assert (tmp_path / "lab.png").stat().st_size > 5_000


def test_practice_tab_grades_shows_the_slide_and_keeps_scores(make_window, qtbot, tmp_path):
    window = make_window(FakeLLM())
    quiz = window.quiz_view
    assert quiz.topic.count() > 1  # topics filled from the index
    # each listed by a label that reads whole, and asked for by its title (seen in a student trial: «Amazon
    # SageMaker Clarify ayuda a mejorar la calidad de los»)
    quiz.set_topics([("Clarify ayuda a mejorar la calidad de los", "Clarify ayuda a mejorar la calidad de los…")])
    quiz.topic.setCurrentIndex(1)
    asked: list[str] = []
    quiz.new_quiz_requested.connect(lambda topic, n, review: asked.append(topic))
    quiz._request(False)
    assert quiz.topic.currentText().endswith("…") and asked == ["Clarify ayuda a mejorar la calidad de los"]
    qtbot.waitUntil(lambda: window.quiz_task is None, timeout=10000)
    window._update_quiz_panel()
    window.start_quiz("", 3, False)
    qtbot.waitUntil(lambda: window.quiz_task is None and quiz.current is not None, timeout=10000)
    first = quiz.current
    assert not quiz.show_slide_button.isEnabled()  # the slide would give the answer away
    wrong = next(o for o in first.options if o != first.answer) if first.options else "no sé"
    quiz.choose(wrong)
    quiz.check()
    assert "No es correcto" in quiz.feedback.text() and first.answer in quiz.feedback.text()
    assert window.quiz_view.slide.current[1].page == first.page  # the cited slide is shown
    assert quiz.scores.rowCount() == 1 and quiz.scores.item(0, 2).text() == "1"
    quiz.next_question()
    second = quiz.current
    # seen in a student trial: the last question's slide stayed on screen and could give this one's answer away
    assert quiz.slide.current is None and quiz.slide.header.text().startswith("La diapositiva de la pregunta")
    quiz.choose(second.answer)
    quiz.check()
    assert quiz.feedback.text().startswith("¡Correcto!")
    assert quiz.export_button.isEnabled()  # the results so far, to take away
    notes = quiz.export(tmp_path / "practica.md").read_text(encoding="utf-8")
    assert notes.startswith("# Práctica: 1 de 2 aciertos")
    assert f"**Tu respuesta:** {wrong} (✘ incorrecta)" in notes and f"**Respuesta:** {first.answer}" in notes
    assert f"«{first.file}, diapositiva {first.page}»" in notes or f"«{first.file}, sección {first.page}»" in notes
    from pypdf import PdfReader

    pdf_text = " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(quiz.export(tmp_path / "practica.pdf")).pages
    )
    assert "1 de 2 aciertos" in pdf_text and first.file in pdf_text
    quiz._export_chosen(str(tmp_path / "otra.md"))  # seen in a student trial: the message replaced «¡Correcto!»
    quiz._export_chosen(str(tmp_path / "otra-vez.md"))
    said = quiz.feedback.text()
    assert said.startswith("¡Correcto!") and said.count("Resultados guardados") == 1 and "otra-vez.md" in said
    window.start_quiz("", 3, True)  # «Repasar lo que fallé»
    qtbot.waitUntil(lambda: window.quiz_task is None and quiz.index == 0, timeout=10000)
    assert quiz.current.topic == first.topic


def test_models_dialog_downloads_from_the_catalog_and_the_picker_offers_it(make_window, qtbot, tmp_path, monkeypatch):
    from tests.test_catalog import GGUF, ModelServer, _entry, use_catalog

    server = ModelServer({"modelo.gguf": GGUF})
    try:
        use_catalog([_entry(server)], tmp_path, monkeypatch)
        window = make_window()
        dialog = window.open_models_dialog()
        assert dialog.table.rowCount() == 1 and dialog.table.item(0, 5).text() == "—"
        assert "único de tutor que usa internet" in dialog.findChildren(type(dialog.note))[0].text()
        dialog.start_download()
        qtbot.waitUntil(lambda: dialog.task is None, timeout=20000)
        assert "Listo y verificado" in dialog.status.text(), dialog.status.text()
        assert dialog.table.item(0, 5).text() == "Instalado" and not dialog.download_button.isEnabled()
        labels = [window.model_combo.itemText(i) for i in range(window.model_combo.count())]
        assert any("prueba-q4_k_m.gguf" in label for label in labels)
        bad = tmp_path / "roto.gguf"
        bad.write_bytes(b"<html>no</html>")
        dialog.add_file(bad)
        qtbot.waitUntil(lambda: dialog.task is None, timeout=10000)
        assert "No se pudo" in dialog.status.text() and window.isVisible()
        dialog.close()
    finally:
        server.close()


def test_params_panel_is_generated_from_the_registry(qtbot):
    from tutor.config import GenerationParams
    from tutor.gui.params_panel import ParamsPanel
    from tutor.params import PARAM, PARAMS

    panel = ParamsPanel(GenerationParams(), gpu_available=True)
    qtbot.addWidget(panel)
    sliders = [p for p in PARAMS if p.on_slider]
    assert list(panel.rows) == [p.name for p in sliders]
    for p in sliders:
        row = panel.rows[p.name]
        assert row.toolTip() == p.tooltip
        assert (row.field.minimum(), row.field.maximum()) == (p.min, p.max if p.slider_max is None else p.slider_max)
    assert panel.seed.toolTip() == PARAM["seed"].tooltip and panel.stop_field.toolTip() == PARAM["stop"].tooltip
    assert panel.params() == GenerationParams()


def test_window_preloads_the_model_after_indexing_so_the_first_question_waits_for_nothing(make_window, qtbot):
    llm = FakeLLM()
    llm.loaded = False  # nothing loaded when the window opens
    window = make_window(llm)
    qtbot.waitUntil(lambda: bool(llm.ensured) and window.runner.idle("preload"), timeout=30000)
    assert llm.ensured, "the model is loaded in the background before any question"


def test_qt_dialogs_and_numbers_speak_spanish(qapp, qtbot):
    """Seen in a student trial: the export dialogs said «Look in», «File name», «Save», «Cancel»; the lab wrote
    «0.20» and «100.0%» where the conversation wrote «0,2»."""
    from PySide6.QtCore import QCoreApplication, QLocale

    from tutor.gui.app import install_spanish

    assert QCoreApplication.translate("QFileDialog", "File &name:") == "File &name:"  # before: Qt's English
    before = QLocale()
    translator = install_spanish(qapp)
    try:
        assert QCoreApplication.translate("QFileDialog", "File &name:") != "File &name:"
        assert QCoreApplication.translate("QPlatformTheme", "Cancel") == "Cancelar"
        # texts Qt's Spanish file lacks, seen in a later trial («Look in:», «Files of type:» in the export dialog)
        from PySide6.QtWidgets import QFileDialog, QLabel

        dialog = QFileDialog(None, "Exportar")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        assert "&Buscar en:" in labels and "&Tipo de archivo:" in labels, labels
        assert QLocale().toString(0.2, "f", 2) == "0,20"  # the sliders' fields, as the rest of the window writes
        from tutor.gui.params_panel import DecimalSpinBox

        for typed in ("0.5", "0,5"):  # a student types either: «0.5» was refused once the fields wrote «0,50»
            field = DecimalSpinBox()
            qtbot.addWidget(field)
            field.setRange(0.0, 2.0)
            field.lineEdit().selectAll()
            qtbot.keyClicks(field.lineEdit(), typed)
            field.interpretText()
            assert field.value() == 0.5, typed
    finally:
        qapp.removeTranslator(translator)
        qapp.removeTranslator(qapp.missing_spanish)
        QLocale.setDefault(before)
    from tutor.gui.lab_view import percent

    assert percent(0.506) == "50,6 %" and percent(1.0, 0) == "100 %"


def test_a_narrow_window_keeps_the_toolbar_and_the_parameter_values_in_view(make_window, qtbot):
    """Seen in a student trial at 1000×650: «Conseguir modelos…» hid behind the toolbar's «››», the model picker
    read «…que quepa en la memor» and the Parámetros fields showed one digit behind a side scroll bar."""
    window = make_window()
    window.show()
    for width, height in ((960, 600), (1000, 650), (1400, 900)):
        window.resize(width, height)
        qtbot.wait(50)
        assert window.get_models_button.isVisible() and window.get_models_button.geometry().right() <= width
    label = window.model_combo.currentText()
    assert window.model_combo.width() >= window.model_combo.fontMetrics().horizontalAdvance(label)  # whole at 1400
    assert label in window.model_combo.toolTip()
    panel = window.params_panel
    from PySide6.QtWidgets import QFormLayout

    form = panel.findChild(QFormLayout)
    assert form.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapLongRows  # narrow: each field under its label


def test_a_number_typed_past_a_parameters_range_is_corrected_and_said(qtbot):
    """Seen in a student trial: «5» typed into the temperature field did nothing at all (Qt drops the keystroke)."""
    from PySide6.QtCore import Qt

    from tutor.config import GenerationParams
    from tutor.gui.params_panel import ParamsPanel

    panel = ParamsPanel(GenerationParams(), gpu_available=True)
    qtbot.addWidget(panel)
    panel.show()
    row = panel.rows["temperature"]
    row.field.lineEdit().selectAll()
    qtbot.keyClicks(row.field.lineEdit(), "5")
    assert row.field.lineEdit().text() == "5"  # kept on screen while typing
    qtbot.keyClick(row.field.lineEdit(), Qt.Key.Key_Return)
    assert row.value() == row.field.maximum() == panel.params().temperature
    assert row.note.isVisible() and "5" in row.note.text() and "Temperatura" in row.note.text()
    top_k = panel.rows["top_k"]
    top_k.field.lineEdit().selectAll()
    qtbot.keyClicks(top_k.field.lineEdit(), "12")
    qtbot.keyClick(top_k.field.lineEdit(), Qt.Key.Key_Return)
    assert top_k.value() == 12 and not top_k.note.isVisible()  # a number in range says nothing
    top_k.field.lineEdit().selectAll()
    qtbot.keyClicks(top_k.field.lineEdit(), "-5")  # the sign was dropped: «-5» became 5 without a word
    qtbot.keyClick(top_k.field.lineEdit(), Qt.Key.Key_Return)
    assert top_k.value() == top_k.field.minimum() and "-5" in top_k.note.text() and top_k.note.isVisible()
    panel.reset_button.click()  # restored values: no note about what was typed before
    assert not top_k.note.isVisible() and not row.note.isVisible()
