"""Saved conversations: the store, crash safety (SIGKILL mid-answer), notes in Markdown and PDF, the CLI and
the window's «Conversaciones» panel."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from tests.bench_history import fill_history
from tests.conftest import ROOT, FakeLLM
from tutor.cli import main
from tutor.conversation import Conversation
from tutor.history import INTERRUPTED, ConversationNotFound, HistoryStore, answer_from_dict, make_title
from tutor.notes import conversation_markdown

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

QUESTIONS = ["¿Qué controla la temperatura?", "¿Y qué hace top-p?", "¿Qué es un transformer?"]

# Asks two questions in another process, then a third with a model that streams forever: killed mid-answer.
CHILD = """
import json, sys, time
sys.path.insert(0, {root!r})
from dataclasses import replace
from tests.conftest import FakeLLM, HashEmbedder
from tutor.config import Settings
from tutor.conversation import Conversation
from tutor.history import HistoryStore
from tutor.pipeline import Tutor

class Endless(FakeLLM):
    def stream(self, prompt_tokens, params, on_prompt=None, grammar=None):
        for i in range(100000):
            time.sleep(0.01)
            yield f"palabra{{i}} "

settings = Settings(llm_model={model!r}, retrieval=replace(Settings().retrieval, min_fused_z=-99.0))
tutor = Tutor(settings, {course!r}, llm=FakeLLM(), embedder=HashEmbedder())
chat = Conversation(HistoryStore(), course=str(tutor.corpus))
for question in {questions!r}[:2]:
    answer = tutor.ask(question, conversation=chat)
    print(json.dumps({{"id": chat.id, "answer": answer.to_dict()}}), flush=True)
tutor.llm = Endless()
shown = []
def on_text(piece):
    if not shown:
        print("streaming", flush=True)
    shown.append(piece)
tutor.ask({questions!r}[2], conversation=chat, on_text=on_text)
print("finished", flush=True)
"""


class NamedLLM(FakeLLM):
    """A fake model with a file name, as the answer records it."""

    path = Path("falso.gguf")


def _ask(tutor, chat: Conversation, question: str):
    return tutor.ask(question, conversation=chat)


def test_turns_are_saved_as_they_happen_and_come_back_with_their_sources(tutor_factory):
    tutor = tutor_factory(NamedLLM())
    store = HistoryStore()
    chat = Conversation(store, course=str(tutor.corpus))
    assert chat.id is None and store.conversations() == []  # nothing saved before the first question
    first = _ask(tutor, chat, QUESTIONS[0])
    second = _ask(tutor, chat, QUESTIONS[1])
    [info] = store.conversations()
    assert (info.id, info.title, info.course, info.turns) == (chat.id, QUESTIONS[0], str(tutor.corpus), 2)
    assert info.model == "falso.gguf" and info.params["temperature"] == first.params["temperature"]
    again = HistoryStore().open(chat.id)  # another connection, as after a restart
    assert [t.question for t in again.turns] == QUESTIONS[:2]
    assert [t.result.to_dict() for t in again.turns] == [first.to_dict(), second.to_dict()]
    shown = lambda sources: [(s.label(), s.title, s.text, s.section, s.line) for s in sources]  # noqa: E731
    assert shown(again.turns[0].sources) == shown(first.sources) and again.turns[0].result.cited == first.cited
    assert again.prompt_sources == chat.prompt_sources and again.course == str(tutor.corpus)
    third = _ask(tutor, again, QUESTIONS[2])  # continued: the saved turns are its history
    assert third.context["history_turns"] == 2
    assert store.info(chat.id).turns == 3


def test_list_search_rename_and_delete(tutor_factory):
    tutor = tutor_factory(FakeLLM(["El núcleo ", "de probabilidad ", "[1", "]."]))
    store = HistoryStore()
    one, two = Conversation(store, course="/cursos/ia"), Conversation(store, course="/cursos/redes")
    _ask(tutor, one, "¿Qué es la temperatura?")
    _ask(tutor, two, "¿Qué hace top-p?")
    assert [c.id for c in store.conversations()] == [two.id, one.id]  # most recent first
    assert [c.id for c in store.conversations("TEMPERATURA")] == [one.id]  # title, case ignored
    assert [c.id for c in store.conversations("limita la ELECCION")] == [two.id]  # answers too, accents ignored
    assert store.conversations("«ningún texto»") == []
    assert [c.id for c in store.conversations(course="/cursos/redes")] == [two.id]
    elsewhere = HistoryStore().open(one.id)  # the same conversation continued meanwhile in another process
    _ask(tutor, elsewhere, "¿Desde la terminal?")
    _ask(tutor, one, "¿Y desde la ventana?")  # goes after it: nothing is overwritten
    turns = store.get(one.id).turns
    assert [t.question for t in turns] == ["¿Qué es la temperatura?", "¿Desde la terminal?", "¿Y desde la ventana?"]
    assert all(t.result is not None and t.result.question == t.question for t in turns)
    store.rename(one.id, "  Repaso   de temperatura ")
    assert store.info(one.id).title == "Repaso de temperatura"
    with pytest.raises(ValueError, match="vacío"):
        store.rename(one.id, "  ")
    store.delete(two.id)
    assert [c.id for c in store.conversations()] == [one.id]
    with pytest.raises(ConversationNotFound, match="número"):
        store.get(two.id)
    _ask(tutor, two, "¿Sigue guardándose?")  # a deleted conversation: the answer still comes, unsaved
    assert store.conversations() == store.conversations("")
    assert make_title("palabra " * 30).endswith("…") and len(make_title("palabra " * 30)) <= 81


def test_sigkill_mid_answer_loses_only_that_answer(tutor_factory, sample_corpus, tmp_path):
    model = tmp_path / "falso.gguf"
    model.write_bytes(b"GGUF")
    script = CHILD.format(root=str(ROOT), model=str(model), course=str(sample_corpus), questions=QUESTIONS)
    child = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy()
    )
    try:
        finished = [json.loads(child.stdout.readline()) for _ in QUESTIONS[:2]]
        assert child.stdout.readline().strip() == b"streaming"  # the third answer is on its way
        child.send_signal(signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    assert child.returncode == -signal.SIGKILL
    cid = finished[0]["id"]
    store = HistoryStore()
    assert store._db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    chat = store.open(cid)
    assert [t.question for t in chat.turns] == QUESTIONS  # the interrupted question is kept
    assert [t.result.to_dict() for t in chat.turns[:2]] == [f["answer"] for f in finished]
    assert chat.turns[2].result is None and chat.turns[2].notes == [INTERRUPTED]
    assert all(t.result.sources for t in chat.turns[:2])
    tutor = tutor_factory(FakeLLM())
    answer = _ask(tutor, chat, QUESTIONS[2])  # asked again: the same turn gets its answer
    assert answer.context["history_turns"] == 2
    assert [t.result is not None for t in store.open(cid).turns] == [True, True, True]


def test_a_500_turn_conversation_opens_whole():
    store = HistoryStore()
    cid = fill_history(store, 500, "/cursos/ia")
    chat = store.open(cid)
    assert len(chat.turns) == 500 and all(len(t.result.sources) == 5 for t in chat.turns)
    assert chat.turns[-1].question.startswith("Pregunta 499")
    assert store.info(cid).turns == 500


def _saved_conversation(tutor_factory) -> tuple[HistoryStore, int]:
    tutor = tutor_factory(NamedLLM(["La temperatura ", "controla ", "la aleatoriedad ", "[1", "]."]))
    store = HistoryStore()
    chat = Conversation(store, course=str(tutor.corpus))
    _ask(tutor, chat, "¿Qué controla la temperatura?")
    chat.begin("¿Una pregunta que se quedó sin respuesta?")
    return store, chat.id


def test_markdown_notes_cite_each_slide_with_its_passage(tutor_factory):
    store, cid = _saved_conversation(tutor_factory)
    saved = store.get(cid)
    result = saved.turns[0].result
    markdown = conversation_markdown(saved.info, saved.turns)
    assert markdown.startswith("# ¿Qué controla la temperatura?\n")
    assert "**Curso:** curso" in markdown and "**Modelo:** falso.gguf" in markdown
    assert "Temperatura 0,2" in markdown
    assert (
        "## 1. ¿Qué controla la temperatura?\n\nSegún las diapositivas, La temperatura controla la aleatoriedad [1]."
        in markdown
    )
    n, source = result.citations[0]
    unit = "diapositiva" if source.kind == "pdf" else "sección"
    assert f"- [{n}] «{source.file}, {unit} {source.page}»" in markdown
    quote = markdown.split(f"- [{n}] «", 1)[1].split("\n\n", 2)[1]
    assert quote.startswith("  > «") and quote.endswith("»")
    assert " ".join(quote[5:-1].split()[:4]) in " ".join(source.text.split())  # a literal passage of the slide
    assert "## 2. ¿Una pregunta que se quedó sin respuesta?\n\n*Sin respuesta" in markdown


def test_pdf_notes_have_the_citations_as_text(tutor_factory, tmp_path):
    pytest.importorskip("PySide6")
    from pypdf import PdfReader

    store, cid = _saved_conversation(tutor_factory)
    pdf = tmp_path / "apuntes.pdf"
    assert main(["export", str(cid), "-o", str(pdf)]) == 0  # the format from the extension
    assert pdf.read_bytes().startswith(b"%PDF")
    reader = PdfReader(pdf)
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    n, source = store.get(cid).turns[0].result.citations[0]
    unit = "diapositiva" if source.kind == "pdf" else "sección"
    assert "¿Qué controla la temperatura?" in text
    assert "La temperatura controla la aleatoriedad [1]." in text
    assert f"[{n}] «{source.file}, {unit} {source.page}»" in text
    assert reader.metadata.title == "¿Qué controla la temperatura?"
    slides = fill_history(store, 30, str(ROOT / "corpus"))  # slides of PDF decks, over several pages
    assert main(["export", str(slides), "--format", "pdf", "-o", str(tmp_path / "largo.pdf")]) == 0
    reader = PdfReader(tmp_path / "largo.pdf")
    assert len(reader.pages) > 1
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    last = store.get(slides).turns[-1].result
    for n, source in last.citations:
        assert f"[{n}] «{source.file}, diapositiva {source.page}» — {source.title}" in text
    assert "«La temperatura controla la aleatoriedad del muestreo: divide los logits" in text  # the quoted passage
    assert text.count("Fuentes citadas") == 30
    if shutil.which("pdftoppm"):  # the page really renders
        subprocess.run(
            ["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "p")], check=True
        )
        assert next(tmp_path.glob("p*.png")).stat().st_size > 2000


def test_cli_ask_saves_continues_lists_and_exports(tutor_factory, monkeypatch, capsys, tmp_path):
    tutor = tutor_factory(NamedLLM())
    monkeypatch.setattr("tutor.cli.answers.make_tutor", lambda args, settings: tutor)
    assert main(["ask", QUESTIONS[0], "--json"]) == 0
    first = json.loads(capsys.readouterr().out)
    cid = first["conversation"]
    assert isinstance(cid, int)
    assert main(["ask", QUESTIONS[1], "--conversation", str(cid), "--json"]) == 0
    second = json.loads(capsys.readouterr().out)
    assert second["conversation"] == cid and second["context"]["history_turns"] == 1
    assert main(["ask", QUESTIONS[2]]) == 0  # without --conversation: a new one, its number said
    out = capsys.readouterr()
    assert f"Conversación {cid + 1}" in out.err
    assert main(["history", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["conversations"]
    assert [(r["id"], r["turns"]) for r in rows] == [(cid + 1, 1), (cid, 2)]
    assert set(rows[0]) == {"id", "title", "course", "model", "created", "turns"}
    assert rows[1]["title"] == QUESTIONS[0] and rows[1]["model"] == "falso.gguf"
    assert main(["history", "--search", "top-p"]) == 0
    assert QUESTIONS[0] in capsys.readouterr().out  # listed by its title, found by its second question
    notes = tmp_path / "notas.md"
    assert main(["export", str(cid), "--format", "md", "-o", str(notes)]) == 0
    assert notes.read_text(encoding="utf-8").count("\n## ") == 2
    assert main(["export", str(cid)]) == 0 and capsys.readouterr().out.startswith("# ¿Qué controla")
    assert main(["export", "999"]) == 2 and "999" in capsys.readouterr().err
    assert main(["ask", "otra", "--conversation", "999"]) == 2


# ----- the window ------------------------------------------------------------------------------------------
@pytest.fixture
def window(qtbot, sample_corpus, fake_embedder, tmp_path):
    pytest.importorskip("PySide6")
    from tutor.config import Settings
    from tutor.gui.main_window import MainWindow
    from tutor.pipeline import Tutor

    model = tmp_path / "falso.gguf"
    model.write_bytes(b"GGUF")
    settings = Settings(llm_model=str(model), retrieval=replace(Settings().retrieval, min_fused_z=-99.0))
    settings = replace(settings, corpus_dir=str(sample_corpus))
    win = MainWindow(settings, Tutor(settings, sample_corpus, llm=FakeLLM(), embedder=fake_embedder))
    qtbot.addWidget(win)
    win.show()
    win.start_indexing()
    qtbot.waitUntil(lambda: win.index_task is None, timeout=30000)
    return win


def _ask_in_window(qtbot, win, question: str) -> None:
    from PySide6.QtCore import Qt

    win.ask_view.input.setText(question)
    qtbot.keyClick(win.ask_view.input, Qt.Key_Return)
    qtbot.waitUntil(lambda: win.ask_task is None and win.ask_view.turns[-1].result is not None, timeout=30000)


def test_window_lists_reopens_renames_exports_and_deletes(window, qtbot, tmp_path):
    from PySide6.QtCore import QUrl

    from tutor.gui.history_panel import ID_ROLE

    panel, ask = window.history_panel, window.ask_view
    assert panel.list.count() == 0
    asked_with = replace(window.params_panel.params(), temperature=0.25, top_k=12)
    window.params_panel.set_params(asked_with)
    _ask_in_window(qtbot, window, QUESTIONS[0])
    _ask_in_window(qtbot, window, QUESTIONS[1])
    first = ask.chat.id
    window.params_panel.set_params(replace(asked_with, temperature=1.4, top_k=80))
    assert panel.list.count() == 1 and panel.list.item(0).text().startswith(QUESTIONS[0])
    assert "2 preguntas" in panel.list.item(0).text() and panel.list.item(0).font().bold()
    ask.new_button.click()  # seen in a student trial: the old one stayed selected, its details and Exportar on
    assert panel.selected is None and not panel.export_button.isEnabled() and not panel.details.text()
    _ask_in_window(qtbot, window, QUESTIONS[2])
    assert panel.list.count() == 2 and ask.chat.id != first
    assert panel.selected == ask.chat.id  # the buttons act on the conversation just answered, not the old one
    bold = [panel.list.item(i) for i in range(panel.list.count()) if panel.list.item(i).font().bold()]
    assert [item.data(ID_ROLE) for item in bold] == [ask.chat.id] and panel.list.currentItem() is bold[0]
    window.grab().save(str(tmp_path / "conversaciones.png"))

    assert panel.open(first)  # reopened: its turns, sources and slide previews, and its parameters
    assert panel.selected == first  # and it is the one selected
    assert (window.params_panel.params().temperature, window.params_panel.params().top_k) == (0.25, 12)
    assert [t.question for t in ask.turns] == QUESTIONS[:2]
    assert QUESTIONS[1] in ask.conversation.toPlainText()
    assert ask.sources_list.count() == len(ask.turns[1].result.sources) > 0
    ask.conversation.anchorClicked.emit(QUrl("cite:0:1"))
    assert ask.slide.current[1] == ask.turns[0].result.sources[0]
    _ask_in_window(qtbot, window, "¿Y la semilla?")  # goes on in the reopened conversation
    assert window.history.info(first).turns == 3

    panel.search.setText("TRANSFORMER")
    assert panel.list.count() == 1 and panel.list.item(0).data(ID_ROLE) != first
    panel.search.clear()
    panel.rename(first, "Repaso de muestreo")
    assert any(panel.list.item(i).text().startswith("Repaso de muestreo") for i in range(panel.list.count()))
    assert panel.export(first, tmp_path / "repaso.md").read_text(encoding="utf-8").startswith("# Repaso de muestreo")
    assert panel.export(first, tmp_path / "repaso.pdf").read_bytes().startswith(b"%PDF")
    panel._ask_export()  # the dialog offers the conversation's name (a student trial saw «conversacion-1.pdf»)
    assert Path(panel.dialog.selectedFiles()[0]).name == "repaso-de-muestreo.pdf"
    panel.dialog.reject()
    panel.delete(first)  # the open one: the chat starts a new conversation
    assert panel.list.count() == 1 and ask.turns == [] and ask.chat.id is None


def test_window_shows_a_lost_answer_and_the_last_turns_of_a_long_conversation(window, qtbot):
    store = window.history
    cid = fill_history(store, 60, str(window.tutor.corpus))
    assert store.add_question(cid, "¿Esta se quedó a medias?") == 60
    window.history_panel.refresh()
    assert window.history_panel.open(cid)
    ask = window.ask_view
    text = ask.conversation.toPlainText()
    assert "Ver las 21 preguntas anteriores" in text and "Pregunta 20:" not in text and "Pregunta 59:" in text
    assert INTERRUPTED in text and "Pensando" not in text
    stopped = store.get(cid).turns[59].result  # an answer the student stopped keeps saying so when reopened
    stopped.stopped_reason = "cancelled"
    store.save_answer(cid, 59, stopped)
    ask.open_conversation(store.open(cid))  # as after a restart
    assert "Generación detenida." in ask.conversation.toPlainText()
    from PySide6.QtCore import QUrl

    ask.conversation.anchorClicked.emit(QUrl("more:"))
    assert "Pregunta 0:" in ask.conversation.toPlainText()
    _ask_in_window(qtbot, window, "¿Esta se quedó a medias?")  # asked again: that turn gets its answer
    assert INTERRUPTED not in ask.conversation.toPlainText()
    assert store.info(cid).turns == 61 and store.get(cid).turns[-1].result is not None


def test_answer_from_dict_tolerates_older_rows():
    answer = answer_from_dict({"question": "¿Qué?", "answer": "Algo.", "sources": [], "citations": [{"n": 3}]})
    assert (answer.cited, answer.kind, answer.language) == ([], "generated", "es")


def test_notes_list_the_cited_sources_in_number_order():
    """Seen in a student trial: an exported answer listed its sources «[3]» before «[1]»."""
    from tutor.answer import Answer
    from tutor.conversation import Turn
    from tutor.notes import turn_markdown
    from tutor.types import Source

    sources = [Source("a.pdf", page, f"Título {page}", f"Texto de la página {page}.", 0.0) for page in (1, 2, 3)]
    answer = Answer("¿P?", "Uno [3]. Dos [1].", False, sources, [3, 1], {}, "es")
    notes = turn_markdown(1, Turn("¿P?", result=answer))
    assert notes.index("- [1] «a.pdf") < notes.index("- [3] «a.pdf")
