"""The tutor window: conversation, sources with slide images, parameters, model and course choice."""

from __future__ import annotations

import html
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer, QUrl
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tutor.config import Settings, save_settings
from tutor.conversation import Conversation, Turn
from tutor.gui.lab_view import LabView
from tutor.gui.models_dialog import ModelsDialog
from tutor.gui.params_panel import ParamsPanel
from tutor.gui.quiz_view import QuizView
from tutor.gui.render import answer_html
from tutor.gui.slide_view import SlideView
from tutor.gui.workers import Task, start, wire
from tutor.lab import LabParams
from tutor.llm import available_models, gpu_offload_supported
from tutor.pipeline import Answer, Tutor
from tutor.quiz import ScoreBook


class MainWindow(QMainWindow):
    """A thin view over :class:`tutor.pipeline.Tutor`; slow work runs in :mod:`tutor.gui.workers`."""

    def __init__(self, settings: Settings, tutor: Tutor | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.tutor = tutor or Tutor(settings)
        self.pool = pool or QThreadPool(self)  # its own workers: indexing, model loading, generation
        self.pool.setMaxThreadCount(max(2, self.pool.maxThreadCount()))
        self.chat = Conversation()
        self.tasks: set[Task] = set()
        self.ask_task: Task | None = None
        self.index_task: Task | None = None
        self.busy_loading = False
        self.last_message: tuple[str, str] | None = None
        self._score_book: ScoreBook | None = None
        self.setWindowTitle("tutor — tu curso, sin conexión")
        self.resize(1320, 820)
        self._build()
        self._render_timer = QTimer(self)
        self._render_timer.setInterval(50)
        self._render_timer.timeout.connect(self._render_if_dirty)
        self._dirty = False
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self._save_timer.timeout.connect(self.save)
        self._refresh_models()
        self._update_corpus_label()

    @property
    def turns(self) -> list[Turn]:
        return self.chat.turns

    # ----- layout -------------------------------------------------------------------------------------------
    def _build(self) -> None:
        toolbar = QToolBar("Curso y modelo")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        self.corpus_label = QLabel()
        toolbar.addWidget(self.corpus_label)
        self.choose_button = QPushButton("Elegir carpeta del curso…")
        self.choose_button.clicked.connect(self.choose_corpus)
        toolbar.addWidget(self.choose_button)
        self.reindex_button = QPushButton("Reindexar")
        self.reindex_button.setToolTip("Vuelve a leer la carpeta: solo se procesan los archivos nuevos o modificados.")
        self.reindex_button.clicked.connect(self.start_indexing)
        toolbar.addWidget(self.reindex_button)
        self.cancel_index_button = QPushButton("Cancelar indexación")
        self.cancel_index_button.setEnabled(False)
        self.cancel_index_button.clicked.connect(self.cancel_indexing)
        toolbar.addWidget(self.cancel_index_button)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Modelo: "))
        self.model_combo = QComboBox()
        self.model_combo.setMinimumWidth(320)
        self.model_combo.setToolTip("El modelo incluido y los archivos .gguf de la carpeta models/.")
        self.model_combo.activated.connect(self._model_chosen)
        toolbar.addWidget(self.model_combo)
        self.get_models_button = QPushButton("Conseguir modelos…")
        self.get_models_button.setToolTip(
            "Descarga un modelo mejor del catálogo (lo único que usa internet) o añade un .gguf que ya tengas."
        )
        self.get_models_button.clicked.connect(self.open_models_dialog)
        toolbar.addWidget(self.get_models_button)

        self.conversation = QTextBrowser()
        self.conversation.setOpenLinks(False)
        self.conversation.setOpenExternalLinks(False)
        self.conversation.anchorClicked.connect(self._anchor_clicked)
        self.conversation.setPlaceholderText("Pregunta lo que quieras sobre tu curso.")
        self.input = QLineEdit()
        self.input.setPlaceholderText("Escribe tu pregunta y pulsa Intro…")
        self.input.returnPressed.connect(self.send)
        self.send_button = QPushButton("Enviar")
        self.send_button.clicked.connect(self.send)
        self.stop_button = QPushButton("Detener")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop)
        self.new_button = QPushButton("Nueva conversación")
        self.new_button.clicked.connect(self.new_conversation)
        self.copy_button = QPushButton("Copiar respuesta")
        self.copy_button.clicked.connect(self.copy_answer)
        self.context_bar = QProgressBar()
        self.context_bar.setRange(0, 1)
        self.context_bar.setValue(0)
        self.context_bar.setTextVisible(True)
        self.context_bar.setFormat("Contexto: sin usar")
        self.context_bar.setMinimumWidth(260)
        self.context_bar.setToolTip("Cuánto de la ventana de contexto ocupan las fuentes, el historial y la respuesta.")
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

        self.sources_list = QListWidget()
        self.sources_list.setMaximumHeight(150)
        self.sources_list.currentRowChanged.connect(self._source_selected)
        self.slide = SlideView()
        sources_tab = QWidget()
        sources_layout = QVBoxLayout(sources_tab)
        sources_layout.addWidget(QLabel("Fuentes de la última respuesta:"))
        sources_layout.addWidget(self.sources_list)
        sources_layout.addWidget(self.slide, 1)
        self.params_panel = ParamsPanel(self.settings.generation, gpu_offload_supported())
        self.params_panel.changed.connect(self._params_changed)
        params_scroll = QScrollArea()
        params_scroll.setWidget(self.params_panel)
        params_scroll.setWidgetResizable(True)
        self.tabs = QTabWidget()
        self.tabs.addTab(sources_tab, "Fuentes")
        self.tabs.addTab(params_scroll, "Parámetros")

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.tabs)
        splitter.setSizes([700, 620])
        self.lab_view = LabView(LabParams.of(self.settings.generation), self._piece)
        self.lab_view.compute_requested.connect(self.compute_lab)
        self.lab_view.generate_requested.connect(self.generate_lab)
        self.lab_task: Task | None = None
        self.quiz_view = QuizView()
        self.quiz_view.new_quiz_requested.connect(self.start_quiz)
        self.quiz_view.answered.connect(self._quiz_answered)
        self.quiz_task: Task | None = None
        self.modes = QTabWidget()
        self.modes.addTab(splitter, "Preguntar")
        self.modes.addTab(self.lab_view, "Laboratorio de parámetros")
        self.modes.addTab(self.quiz_view, "Práctica")
        self.modes.setTabToolTip(
            1, "Mira las probabilidades reales del siguiente token y cómo las cambian los parámetros."
        )
        self.modes.setTabToolTip(
            2, "Preguntas de repaso sacadas de tus diapositivas, con la diapositiva de la respuesta."
        )
        self.setCentralWidget(self.modes)

        self.model_status = QLabel()
        self.index_status = QLabel("Índice: —")
        self.speed_status = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        status = self.statusBar()
        status.addWidget(self.index_status)
        status.addWidget(self.progress)
        status.addPermanentWidget(self.speed_status)
        status.addPermanentWidget(self.model_status)
        quit_action = QAction("Salir", self)
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    # ----- tasks --------------------------------------------------------------------------------------------
    def _run(self, task: Task) -> Task:
        self.tasks.add(task)
        wire(task, finished=lambda: self.tasks.discard(task))
        return start(task, self.pool)

    def _set_busy(self, text: str | None, done: int = 0, total: int = 0) -> None:
        if text is None:
            self.progress.hide()
            self.statusBar().clearMessage()
            return
        self.progress.show()
        self.progress.setRange(0, total)  # total 0 = busy indicator
        self.progress.setValue(done)
        self.progress.setFormat(f"{text} %v/%m" if total else text)
        self.statusBar().showMessage(text)

    def _update_buttons(self) -> None:
        generating = self.ask_task is not None
        indexing = self.index_task is not None
        self.send_button.setEnabled(not generating and not indexing and not self.busy_loading)
        self.stop_button.setEnabled(generating)
        self.reindex_button.setEnabled(not indexing and not generating)
        self.choose_button.setEnabled(not indexing and not generating)
        self.cancel_index_button.setEnabled(indexing)
        self.model_combo.setEnabled(not generating and not self.busy_loading)

    # ----- course and index -------------------------------------------------------------------------------
    def _update_corpus_label(self) -> None:
        self.corpus_label.setText(f" Curso: {self.tutor.corpus.name}  ")
        self.corpus_label.setToolTip(str(self.tutor.corpus))

    def choose_corpus(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Carpeta del curso", str(self.tutor.corpus))
        if folder:
            self.set_corpus(Path(folder))

    def set_corpus(self, folder: Path) -> None:
        """Switch to another course folder (the model and embedder are kept) and index it."""
        self.settings = replace(self.settings, corpus_dir=str(folder))
        self.tutor = Tutor(self.settings, folder, llm=self.tutor.llm, embedder=self.tutor._embedder)
        self._update_corpus_label()
        self.new_conversation()
        self.save()
        self.start_indexing()

    def start_indexing(self) -> Task | None:
        if self.index_task is not None:
            return None
        tutor = self.tutor
        task = Task(lambda t: tutor.update_index(t.progress))
        wire(
            task,
            progress=lambda stage, done, total: self._set_busy(stage, done, total),
            done=self._indexed,
            failed=lambda msg: self._error("No se pudo indexar el curso", msg),
            cancelled=lambda: self.statusBar().showMessage("Indexación cancelada.", 5000),
            finished=self._indexing_finished,
        )
        self.index_task = task
        self._set_busy("Indexando el curso…")
        self._update_buttons()
        return self._run(task)

    def cancel_indexing(self) -> None:
        if self.index_task:
            self.index_task.cancel()

    def _indexing_finished(self) -> None:
        self.index_task = None
        self._set_busy(None)
        self._update_buttons()
        self._update_index_status()
        self._update_quiz_panel()

    def _indexed(self, report) -> None:
        if report is None:
            return
        self.statusBar().showMessage(report.summary(), 8000)
        if report.problems:
            lines = "\n".join(f"• {name}: {reason}" for name, reason in report.problems)
            self._notify(
                QMessageBox.Warning,
                "Archivos que no se pudieron leer",
                f"El resto del curso se ha indexado.\n\n{lines}",
            )

    def _update_index_status(self) -> None:
        index = self.tutor._index
        if index is None:
            self.index_status.setText("Índice: no disponible")
            return
        files = {c.file for c in index.chunks}
        pages = {(c.file, c.page) for c in index.chunks}
        self.index_status.setText(
            f"Índice: {len(files)} archivos, {len(pages)} diapositivas/secciones, {len(index.chunks)} fragmentos"
        )

    # ----- models -----------------------------------------------------------------------------------------
    def _refresh_models(self) -> None:
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        current = self.settings.llm_model
        for info in available_models():
            size = f"{info.size_bytes / 1e6:.0f} MB" if info.size_bytes else "se prepara al usarlo"
            label = f"{info.name}  ({size}){'  — incluido' if info.packaged else ''}"
            self.model_combo.addItem(label, "" if info.packaged else str(info.path))
            if (info.packaged and not current) or current in (str(info.path), info.name):
                self.model_combo.setCurrentIndex(self.model_combo.count() - 1)
        self.model_combo.blockSignals(False)
        self.model_status.setText(f"Modelo: {self.model_combo.currentText().split('  (')[0]}")

    def open_models_dialog(self) -> ModelsDialog:
        """The catalog: download (the only network use) or add a GGUF; new models appear in the picker."""
        dialog = ModelsDialog(self, self._run)
        dialog.model_added.connect(lambda _path: self._refresh_models())
        dialog.show()
        self.models_dialog = dialog
        return dialog

    def _model_chosen(self, row: int) -> None:
        choice = self.model_combo.itemData(row) or ""
        if choice == self.settings.llm_model and self.tutor.llm.loaded:
            return
        self.settings = replace(self.settings, llm_model=choice)
        self.tutor.settings = self.settings
        self.save()
        self.load_model()

    def load_model(self) -> Task:
        """Load (or switch to) the chosen model off the GUI thread; the old one is freed first."""
        tutor, params = self.tutor, self.params_panel.params()
        task = Task(lambda t: tutor.load_model(params, t.signals.message.emit))
        wire(
            task,
            message=lambda text: self._set_busy(text),
            done=lambda _: self.statusBar().showMessage("Modelo cargado.", 4000),
            failed=lambda msg: self._error("No se pudo cargar el modelo", msg),
            finished=self._model_loaded,
        )
        self.busy_loading = True
        self._set_busy("Cargando el modelo…")
        self._update_buttons()
        return self._run(task)

    def _model_loaded(self) -> None:
        self.busy_loading = False
        self._set_busy(None)
        self._refresh_models()
        self._update_buttons()

    # ----- parameter lab ----------------------------------------------------------------------------------
    def _piece(self, token: int) -> str:
        return self.tutor.llm.piece(token)

    def compute_lab(self, text: str) -> Task | None:
        """Run the model on the lab's text (off the GUI thread) and show its next-token distribution."""
        if self.lab_task is not None:
            return None
        tutor, params = self.tutor, self.params_panel.params()
        task = Task(lambda t: tutor.lab(text, params, t.signals.message.emit))
        wire(
            task,
            message=lambda msg: self._set_busy(msg),
            done=self.lab_view.set_result,
            failed=lambda msg: self._error("No se pudo calcular", msg),
            finished=self._lab_finished,
        )
        self.lab_task = task
        self._set_busy("Calculando las probabilidades del siguiente token…")
        self.lab_view.compute_button.setEnabled(False)
        return self._run(task)

    def generate_lab(self) -> Task | None:
        """Sample ten continuations with the lab's current sliders."""
        result = self.lab_view.result
        if self.lab_task is not None or result is None:
            return None
        tutor, lab_params = self.tutor, self.lab_view.params()
        task = Task(lambda t: tutor.lab_samples(result, lab_params, 10))
        wire(
            task,
            done=self.lab_view.set_samples,
            failed=lambda msg: self._error("No se pudo generar", msg),
            finished=self._lab_finished,
        )
        self.lab_task = task
        self._set_busy("Generando 10 continuaciones…")
        self.lab_view.generate_button.setEnabled(False)
        return self._run(task)

    def _lab_finished(self) -> None:
        self.lab_task = None
        self._set_busy(None)
        self.lab_view.compute_button.setEnabled(True)
        self.lab_view.generate_button.setEnabled(self.lab_view.result is not None)

    # ----- practice quiz ----------------------------------------------------------------------------------
    @property
    def score_book(self) -> ScoreBook:
        """The practice scores (``quiz.sqlite``), opened on first use rather than at start-up."""
        if self._score_book is None:
            self._score_book = ScoreBook()
        return self._score_book

    def start_quiz(self, topic: str = "", n: int = 5, review: bool = False) -> Task | None:
        """Build practice questions from the course's slides (off the GUI thread)."""
        if self.index_task is not None:
            self.statusBar().showMessage("Espera a que termine la indexación del curso para practicar.", 5000)
            return None
        if self.quiz_task is not None:
            return None
        tutor, book = self.tutor, self.score_book
        task = Task(lambda t: tutor.practice(n, topic, review, book=book))
        wire(
            task,
            done=lambda questions: self.quiz_view.set_questions(questions, tutor.corpus),
            failed=lambda msg: self._error("No se pudo preparar la práctica", msg),
            finished=self._quiz_built,
        )
        self.quiz_task = task
        self._set_busy("Preparando las preguntas…")
        return self._run(task)

    def _quiz_built(self) -> None:
        self.quiz_task = None
        self._set_busy(None)

    def _quiz_answered(self, question, correct: bool) -> None:
        self.score_book.record(str(self.tutor.corpus), question, correct)
        self._update_quiz_panel()

    def _update_quiz_panel(self) -> None:
        index = self.tutor._index
        if index is not None:
            self.quiz_view.set_topics(sorted({c.title for c in index.chunks if c.title}))
        self.quiz_view.set_scores(self.score_book.topic_scores(str(self.tutor.corpus)))

    # ----- conversation -----------------------------------------------------------------------------------
    def send(self) -> Task | None:
        question = self.input.text().strip()
        if not question or self.ask_task is not None or self.index_task is not None or self.busy_loading:
            return None
        self.input.clear()
        chat = self.chat
        chat.begin(question)
        tutor, params = self.tutor, self.params_panel.params()

        def work(task: Task) -> Answer:
            return tutor.ask(
                question,
                params=params,
                conversation=chat,
                on_text=task.signals.text.emit,
                should_stop=task.stop.is_set,
                progress=task.signals.message.emit,
            )

        task = Task(work)
        wire(
            task,
            text=self._on_text,
            message=lambda text: self._set_busy(text),
            done=self._answered,
            failed=self._ask_failed,
            finished=self._ask_finished,
        )
        self.ask_task = task
        self._update_buttons()
        self._render_timer.start()
        self._render()
        return self._run(task)

    def stop(self) -> None:
        if self.ask_task:
            self.ask_task.cancel()

    def _on_text(self, text: str) -> None:
        if self.turns:
            self.turns[-1].streamed += text
            self._set_busy(None)
            self._dirty = True

    def _answered(self, answer: Answer) -> None:
        turn = self.turns[-1]
        turn.result = answer
        if answer.stopped_reason == "cancelled":
            turn.notes.append("Generación detenida.")
        elif answer.stopped_reason == "repetition":
            turn.notes.append("Respuesta cortada: el modelo empezó a repetirse.")
        elif answer.stopped_reason == "empty":
            turn.notes.append("El modelo no generó texto; revisa las fuentes.")
        self._show_sources(len(self.turns) - 1)
        ctx = answer.context
        if ctx:
            used = ctx.get("total_prompt", 0) + ctx.get("answer", 0)
            self.context_bar.setRange(0, ctx.get("n_ctx", 1))
            self.context_bar.setValue(min(used, ctx.get("n_ctx", 1)))
            self.context_bar.setFormat(f"Contexto: {used} / {ctx.get('n_ctx')} tokens")
            self.context_bar.setToolTip(
                f"Fuentes: {ctx.get('sources', 0)} tokens · historial: {ctx.get('history', 0)} tokens "
                f"({ctx.get('history_turns', 0)} turnos) · instrucciones y pregunta: "
                f"{ctx.get('instructions_and_question', 0)} · reservado para la respuesta: {ctx.get('answer', 0)}"
            )
        speed = answer.timings.get("generation_tokens_per_s")
        if speed:
            self.speed_status.setText(f"{speed:.1f} tokens/s")
        self._refresh_models()

    def _ask_failed(self, message: str) -> None:
        if self.turns:
            self.turns[-1].notes.append(f"Error: {message}")
        self._error("No se pudo responder", message)

    def _ask_finished(self) -> None:
        self.ask_task = None
        self._render_timer.stop()
        self._set_busy(None)
        self._render()
        self._update_buttons()
        self._update_index_status()

    def new_conversation(self) -> None:
        if self.ask_task:
            self.ask_task.cancel()
        self.chat = Conversation()  # a cancelled answer still finishing closes a turn of the old one
        self.sources_list.clear()
        self.context_bar.setValue(0)
        self.context_bar.setFormat("Contexto: sin usar")
        self._render()

    def copy_answer(self) -> None:
        if self.turns:
            QGuiApplication.clipboard().setText(self.turns[-1].answer)
            self.statusBar().showMessage("Respuesta copiada.", 3000)

    def _render_if_dirty(self) -> None:
        if self._dirty:
            self._render()

    def _render(self) -> None:
        self._dirty = False
        parts = []
        for i, turn in enumerate(self.turns):
            parts.append(f'<p style="color:#1f4e79"><b>Tú:</b> {html.escape(turn.question)}</p>')
            result = turn.result
            if result is not None and result.abstained:
                body = f'<p style="color:#8a4b00"><b>No está en el curso.</b> {html.escape(result.answer)}</p>'
            elif result is not None and result.kind == "passages":
                body = '<div style="background:#fff7e0">' + answer_html(turn.answer, i, len(result.sources)) + "</div>"
                if result.generated_text.strip():
                    body += (
                        '<p style="color:#777;font-size:small"><i>Texto que generó el modelo, descartado porque no '
                        f"se apoya en las diapositivas:</i> {html.escape(result.generated_text)}</p>"
                    )
            else:
                n_sources = len(result.sources) if result else 99
                body = answer_html(turn.answer, i, n_sources) or "<p><i>Pensando…</i></p>"
            parts.append(f"<div><b>Tutor:</b>{body}</div>")
            if result is not None and not result.abstained and result.sources:
                shown = result.citations or list(enumerate(result.sources, start=1))
                cites = " · ".join(f'<a href="cite:{i}:{n}">[{n}] {html.escape(s.label())}</a>' for n, s in shown)
                prefix = "Fuentes citadas" if result.cited else "Fuentes consultadas (la respuesta no cita ninguna)"
                parts.append(f'<p style="font-size:small">{prefix}: {cites}</p>')
            for note in turn.notes:
                parts.append(f'<p style="color:#a00000;font-size:small">{html.escape(note)}</p>')
            parts.append("<hr/>")
        bar = self.conversation.verticalScrollBar()
        at_bottom = bar.value() >= bar.maximum() - 4
        self.conversation.setHtml("".join(parts))
        if at_bottom:
            bar.setValue(bar.maximum())

    # ----- sources ----------------------------------------------------------------------------------------
    def _show_sources(self, turn_index: int) -> None:
        result = self.turns[turn_index].result
        self._sources_turn = turn_index
        self.sources_list.blockSignals(True)
        self.sources_list.clear()
        if result is not None:
            for n, source in enumerate(result.sources, start=1):
                item = QListWidgetItem(f"[{n}] {source.label()} — {source.title}")
                item.setToolTip(source.text[:400])
                self.sources_list.addItem(item)
        self.sources_list.blockSignals(False)

    def _source_selected(self, row: int) -> None:
        turn = getattr(self, "_sources_turn", None)
        if turn is not None and row >= 0:
            self.show_citation(turn, row + 1)

    def _anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text.startswith("cite:"):
            _, turn, n = text.split(":")
            self.show_citation(int(turn), int(n))

    def show_citation(self, turn_index: int, n: int) -> None:
        """Show source ``n`` of a turn: its slide image with the passage highlighted."""
        result = self.turns[turn_index].result
        if result is None or not 1 <= n <= len(result.sources):
            return
        if getattr(self, "_sources_turn", None) != turn_index:
            self._show_sources(turn_index)
        self.sources_list.blockSignals(True)
        self.sources_list.setCurrentRow(n - 1)
        self.sources_list.blockSignals(False)
        self.tabs.setCurrentIndex(0)
        self.slide.show_source(self.tutor.corpus, n, result.sources[n - 1])

    # ----- settings and errors ------------------------------------------------------------------------------
    def _params_changed(self) -> None:
        self._save_timer.start()

    def save(self) -> None:
        try:
            self.settings = replace(self.settings, generation=self.params_panel.params().validated())
        except ValueError as exc:
            self.statusBar().showMessage(str(exc), 5000)
            return
        self.tutor.settings = self.settings
        save_settings(self.settings)

    def _error(self, title: str, message: str) -> None:
        self.statusBar().showMessage(f"{title}: {message}", 10000)
        self._notify(QMessageBox.Critical, title, message)

    def _notify(self, icon, title: str, message: str) -> None:
        """A non-blocking message box (the window keeps working behind it)."""
        box = QMessageBox(icon, title, message, QMessageBox.Ok, self)
        box.setTextFormat(Qt.PlainText)
        box.open()
        self.last_message = (title, message)

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        for task in list(self.tasks):
            task.cancel()
        self.pool.waitForDone(5000)
        self.save()
        super().closeEvent(event)
