"""«Preguntar» tab: the conversation, the question box, and the sources of the last answer with their slides."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tutor.config import GenerationParams
from tutor.conversation import Conversation, Turn, TurnStore
from tutor.gui.render import conversation_html
from tutor.gui.slide_view import SlideView
from tutor.gui.workers import Task, TaskRunner
from tutor.notes import answer_with_sources
from tutor.pipeline import Answer, Tutor, normalize_question

SHOWN_TURNS = 40  # a long (saved) conversation shows its last turns; a link shows the rest
STOPPED_NOTES = {
    "cancelled": "Generación detenida.",
    "repetition": "Respuesta cortada: el modelo empezó a repetirse.",
    "empty": "El modelo no generó texto; revisa las fuentes.",
}


class QuestionInput(QPlainTextEdit):
    """The question box: Intro sends, Mayús+Intro starts a new line (an exam question's options, one per line);
    a pasted question keeps its lines."""

    returnPressed = Signal()
    escapePressed = Signal()  # stop the answer (seen in a student trial: no keyboard way to stop)

    def __init__(self) -> None:
        super().__init__()
        self.setPlaceholderText("Escribe tu pregunta y pulsa Intro (Mayús+Intro: nueva línea)…")
        self.setTabChangesFocus(True)
        lines = self.fontMetrics().lineSpacing()
        self.setFixedHeight(3 * lines + 2 * round(self.document().documentMargin()) + 6)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and not event.modifiers() & Qt.ShiftModifier:
            self.returnPressed.emit()
            return
        if event.key() == Qt.Key_Escape:
            self.escapePressed.emit()
            return
        super().keyPressEvent(event)

    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:  # noqa: N802 - QLineEdit's name, kept for callers
        self.setPlainText(text)


class AskView(QSplitter):
    """Asks the tutor off the GUI thread (through the window's :class:`TaskRunner`) and shows the answers.

    The conversation state lives here; :attr:`tabs` holds «Fuentes» and whatever the window adds beside it.
    """

    status = Signal(str, int)  # a passing status-bar message and its milliseconds
    answered = Signal(object)  # the finished Answer
    conversation_opened = Signal()  # a new or a saved conversation is now the one shown

    def __init__(
        self,
        runner: TaskRunner,
        tutor: Tutor,
        params: Callable[[], GenerationParams],
        store: TurnStore | None = None,
    ) -> None:
        super().__init__()
        self.runner = runner
        self.tutor = tutor
        self.params = params
        self.store = store  # where conversations are saved as they happen (none: not saved)
        self.chat = Conversation(store, course=str(tutor.corpus))
        self.sources_turn: int | None = None  # the turn whose sources the list shows
        self.show_all = False  # every turn of a long conversation, not only the last SHOWN_TURNS
        self.conversation = QTextBrowser()
        self.conversation.setOpenLinks(False)
        self.conversation.setOpenExternalLinks(False)
        self.conversation.setPlaceholderText("Pregunta lo que quieras sobre tu curso.")
        self.input = QuestionInput()
        self.send_button = QPushButton("Enviar")
        self.stop_button = QPushButton("Detener")
        self.stop_button.setEnabled(False)
        self.new_button = QPushButton("Nueva conversación")
        self.copy_button = QPushButton("Copiar respuesta")
        self.context_bar = QProgressBar()
        self.context_bar.setTextVisible(True)
        # a light fill and dark text: the count stays readable over the filled part
        self.context_bar.setStyleSheet(
            "QProgressBar { border: 1px solid #bbb; border-radius: 3px; text-align: center; color: #222; }"
            "QProgressBar::chunk { background-color: #b9d3ef; }"
        )
        self.context_bar.setMinimumWidth(260)
        self.context_bar.setToolTip("Cuánto de la ventana de contexto ocupan las fuentes, el historial y la respuesta.")
        self.sources_list = QListWidget()
        self.sources_list.setMaximumHeight(150)
        self.sources_list.setWordWrap(True)  # a long label wraps instead of hiding behind a scroll bar
        self.sources_list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.slide = SlideView()
        self.tabs = QTabWidget()
        self.render_timer = QTimer(self)  # redraws the streaming answer at most every 50 ms
        self.render_timer.setInterval(50)
        self.dirty = False
        self._lay_out()
        self._connect()
        self._reset_context_bar()

    def _lay_out(self) -> None:
        row = QHBoxLayout()
        row.addWidget(self.input, 1)
        row.addWidget(self.send_button)
        row.addWidget(self.stop_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addWidget(self.copy_button)
        buttons.addStretch(1)
        buttons.addWidget(self.context_bar, 1)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addWidget(self.conversation, 1)
        left_layout.addLayout(row)
        left_layout.addLayout(buttons)
        sources_tab = QWidget()
        sources_layout = QVBoxLayout(sources_tab)
        sources_layout.addWidget(QLabel("Fuentes de la última respuesta:"))
        sources_layout.addWidget(self.sources_list)
        sources_layout.addWidget(self.slide, 1)
        self.tabs.addTab(sources_tab, "Fuentes")
        self.addWidget(left)
        self.addWidget(self.tabs)
        self.setSizes([700, 620])

    def _connect(self) -> None:
        self.conversation.anchorClicked.connect(self._anchor_clicked)
        self.input.returnPressed.connect(self.send)
        self.send_button.clicked.connect(self.send)
        self.stop_button.clicked.connect(self.stop)
        self.input.escapePressed.connect(self.stop)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.stop)  # Escape anywhere in the tab stops too
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.new_button.clicked.connect(self.new_conversation)
        self.copy_button.clicked.connect(self.copy_answer)
        self.sources_list.currentRowChanged.connect(self._source_selected)
        self.render_timer.timeout.connect(self._render_if_dirty)
        self.runner.changed.connect(self._update_buttons)

    @property
    def turns(self) -> list[Turn]:
        return self.chat.turns

    @property
    def ask_task(self) -> Task | None:
        """The answer being generated, if any."""
        return self.runner.running("ask")

    def set_tutor(self, tutor: Tutor) -> None:
        """Ask another course's tutor from now on, in a new conversation."""
        self.tutor = tutor
        self.new_conversation()

    # ----- asking ---------------------------------------------------------------------------------------
    def send(self) -> Task | None:
        """Ask the question in the input box; the answer streams into the conversation."""
        if not self.runner.idle("ask", "index", "model"):
            return None
        try:
            question = normalize_question(self.input.text())  # the turn the core opens is then this very one
        except ValueError as exc:  # no words, or too long: said at once, the text stays in the box
            self.status.emit(str(exc), 10000)
            self.input.setFocus()
            return None
        self.input.clear()
        chat, tutor, params = self.chat, self.tutor, self.params()
        turn = chat.begin(question)
        turn.notes.clear()  # asking again a saved question that lost its answer

        def work(task: Task) -> Answer:
            def on_prompt(done: int, total: int) -> None:
                task.signals.message.emit(f"Leyendo las fuentes… {100 * done // max(total, 1)} %")

            return tutor.ask(
                question,
                params=params,
                conversation=chat,
                on_text=task.signals.text.emit,
                should_stop=task.stop.is_set,
                progress=task.signals.message.emit,
                on_prompt=on_prompt,
            )

        task = self.runner.launch(
            "ask",
            work,
            error="No se pudo responder",
            text=lambda piece: self._on_text(turn, piece),
            done=lambda answer: self._answered(turn, answer),
            failed=lambda message: turn.notes.append(f"Error: {message}"),
            finished=self._ask_finished,
        )
        self.render_timer.start()
        self._render()
        return task

    def stop(self) -> None:
        if self.ask_task:
            self.ask_task.cancel()

    def _on_text(self, turn: Turn, text: str) -> None:
        turn.streamed += text
        self.runner.busy(None)
        self.dirty = True

    def _answered(self, turn: Turn, answer: Answer) -> None:
        if answer.stopped_reason in STOPPED_NOTES:
            turn.notes.append(STOPPED_NOTES[answer.stopped_reason])
        if self.turns and self.turns[-1] is turn:  # not an answer to a conversation already left
            self._show_sources(len(self.turns) - 1)
            self._show_context(answer.context)
            best = best_cited(answer)
            if best:  # the slide that backs the answer best, without a click
                self.show_citation(len(self.turns) - 1, best)
        self.answered.emit(answer)

    def _show_context(self, ctx: dict) -> None:
        if not ctx:
            return
        used = ctx.get("total_prompt", 0) + ctx.get("answer", 0)
        self.context_bar.setRange(0, ctx.get("n_ctx", 1))
        self.context_bar.setValue(min(used, ctx.get("n_ctx", 1)))
        self.context_bar.setFormat(f"Contexto: {used} / {ctx.get('n_ctx')} tokens")
        self.context_bar.setToolTip(
            f"Fuentes: {ctx.get('sources', 0)} tokens · historial: {ctx.get('history', 0)} tokens "
            f"({ctx.get('history_turns', 0)} turnos) · instrucciones y pregunta: "
            f"{ctx.get('instructions_and_question', 0)} · reservado para la respuesta: {ctx.get('answer', 0)}"
        )

    def _reset_context_bar(self) -> None:
        self.context_bar.setRange(0, 1)
        self.context_bar.setValue(0)
        self.context_bar.setFormat("Contexto: sin usar")

    def _ask_finished(self) -> None:
        self.render_timer.stop()
        self._render()

    def _update_buttons(self) -> None:
        self.send_button.setEnabled(self.runner.idle("ask", "index", "model"))
        self.stop_button.setEnabled(not self.runner.idle("ask"))

    def new_conversation(self) -> None:
        self.open_conversation(Conversation(self.store, course=str(self.tutor.corpus)))

    def open_conversation(self, chat: Conversation) -> None:
        """Show ``chat`` (a new or a saved one) and go on asking in it; a running answer is stopped."""
        if self.ask_task:
            self.ask_task.cancel()
        self.chat = chat  # a cancelled answer still finishing closes a turn of the old one
        self.sources_turn = None
        self.show_all = False
        self.sources_list.clear()
        self.slide.clear()
        self._reset_context_bar()
        for turn in self.turns:  # a saved answer's note («Generación detenida.»), lost with the window before
            note = STOPPED_NOTES.get(turn.result.stopped_reason) if turn.result is not None else None
            if note and note not in turn.notes:
                turn.notes.append(note)
        finished = [i for i, t in enumerate(self.turns) if t.result is not None]
        if finished:
            self._show_sources(finished[-1])
            self._show_context(self.turns[finished[-1]].result.context)
        self._render()
        self.conversation.verticalScrollBar().setValue(self.conversation.verticalScrollBar().maximum())
        self.conversation_opened.emit()

    def copy_answer(self) -> None:
        if self.turns:
            last = self.turns[-1]
            QGuiApplication.clipboard().setText(answer_with_sources(last.result) if last.result else last.answer)
            self.status.emit("Respuesta copiada, con sus fuentes.", 3000)

    def _render_if_dirty(self) -> None:
        last = len(self.turns) - 1
        if last >= 0 and self.turns[last].open and self.turns[last].sources and self.sources_turn != last:
            self._show_sources(last)  # the sources are listed as soon as the prompt is planned, before any token
        if self.dirty:
            self._render()

    def _render(self) -> None:
        self.dirty = False
        bar = self.conversation.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        first = 0 if self.show_all else max(0, len(self.turns) - SHOWN_TURNS)
        started = time.perf_counter()
        self.conversation.setHtml(conversation_html(self.turns, first))
        if at_bottom:
            bar.setValue(bar.maximum())
        # a very long conversation redraws less often while streaming, so the window stays responsive
        self.render_timer.setInterval(max(50, round((time.perf_counter() - started) * 4000)))

    # ----- sources ----------------------------------------------------------------------------------------
    def _show_sources(self, turn_index: int) -> None:
        turn = self.turns[turn_index]
        if self.sources_turn != turn_index or self.sources_list.count() == 0:
            self.slide.clear()  # the slide shown belongs to other sources
        self.sources_turn = turn_index
        self.sources_list.blockSignals(True)
        self.sources_list.clear()
        for n, source in enumerate(turn.result.sources if turn.result is not None else turn.sources, start=1):
            item = QListWidgetItem(f"[{n}] {source.label()} — {source.shown_title()}")
            item.setToolTip(f"{item.text()}\n\n{source.text[:400]}")
            self.sources_list.addItem(item)
        self.sources_list.blockSignals(False)

    def _source_selected(self, row: int) -> None:
        if self.sources_turn is not None and row >= 0:
            self.show_citation(self.sources_turn, row + 1)

    def _anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text == "more:":
            self.show_all, first = True, len(self.turns) - SHOWN_TURNS
            self._render()
            self.conversation.scrollToAnchor(f"turn-{max(first - 1, 0)}")
        elif text.startswith("cite:"):
            _, turn, n = text.split(":")
            self.show_citation(int(turn), int(n))
        elif text.startswith("exam:"):
            _, turn, who, option = text.split(":")
            self.mark_exam(int(turn), who, int(option))

    def mark_exam(self, turn_index: int, who: str, option: int) -> None:
        """The student's answer (``who`` = ``mine``) or the key's (``key``) to a practice exam question; once
        both are given the result goes to the review scores under the deciding slide's topic."""
        from tutor.exam_review import mark, record_message, record_practice
        from tutor.quiz import ScoreBook

        result = self.turns[turn_index].result if 0 <= turn_index < len(self.turns) else None
        if result is None or not result.practice:
            return
        ready = mark(result.practice, who, option)
        if ready is not None:
            course = str(self.tutor.corpus)
            record = record_practice(ScoreBook(), course, result.practice, result.sources, *ready)
            result.practice["review"]["recorded"] = record_message(record)
            self.status.emit(record_message(record), 5000)
        self._render()

    def show_citation(self, turn_index: int, n: int) -> None:
        """Show source ``n`` of a turn: its slide image with the passage highlighted."""
        if not 0 <= turn_index < len(self.turns):
            return
        result = self.turns[turn_index].result
        if result is None or not 1 <= n <= len(result.sources):
            return
        if self.sources_turn != turn_index:
            self._show_sources(turn_index)
        self.sources_list.blockSignals(True)
        self.sources_list.setCurrentRow(n - 1)
        self.sources_list.blockSignals(False)
        self.tabs.setCurrentIndex(0)
        self.slide.show_source(self.tutor.corpus, n, result.sources[n - 1])


def best_cited(answer: Answer) -> int | None:
    """The number of the cited source that retrieval ranked best (none for a refusal or an uncited answer); for a
    practice exam question, the slide its chosen option's verdict quotes."""
    cited = [n for n in answer.cited if 1 <= n <= len(answer.sources)]
    if answer.abstained or not cited:
        return None
    chosen = [
        c["n"]
        for v in (answer.practice or {}).get("per_option", [])
        if v["verdict"] == "correct"
        for c in v["citations"]
    ]
    if chosen and chosen[0] in cited:
        return chosen[0]
    return max(cited, key=lambda n: (answer.sources[n - 1].score, -n))
