"""The tutor window: a shell with the course and model choice, the three study tabs and a status bar."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt, QThreadPool, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QToolBar,
)

from tutor.config import Settings, save_settings
from tutor.gui.ask_view import AskView
from tutor.gui.history_panel import HistoryPanel
from tutor.gui.lab_view import LabView
from tutor.gui.models_dialog import ModelsDialog
from tutor.gui.params_panel import ParamsPanel
from tutor.gui.quiz_view import QuizView
from tutor.gui.workers import Task, TaskRunner
from tutor.history import HistoryStore
from tutor.index import course_warning
from tutor.ingest import skipped_files
from tutor.lab import LabParams
from tutor.llm import gpu_offload_supported
from tutor.model_files import ModelError, available_models
from tutor.pipeline import Answer, Tutor
from tutor.quiz import ScoreBook
from tutor.text import label_title


def _button(text: str, slot: Callable, tooltip: str = "") -> QPushButton:
    button = QPushButton(text)
    button.setToolTip(tooltip)
    button.clicked.connect(slot)
    return button


class MainWindow(QMainWindow):
    """Composes :class:`AskView`, :class:`LabView` and :class:`QuizView` over one :class:`Tutor`.

    Slow work (indexing, model loading, answers, the lab, quizzes) runs through one :class:`TaskRunner`.
    """

    def __init__(self, settings: Settings, tutor: Tutor | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__()
        self.settings = settings
        self.tutor = tutor or Tutor(settings)
        self.pool = pool or QThreadPool(self)  # its own workers: indexing, model loading, generation
        self.pool.setMaxThreadCount(max(2, self.pool.maxThreadCount()))
        self.runner = TaskRunner(self.pool, self._set_busy, self._error)
        self.last_message: tuple[str, str] | None = None
        self.models_dialog: ModelsDialog | None = None
        self._score_book: ScoreBook | None = None
        self._busy_text: str | None = None
        self.corpus_label = QLabel()
        self.choose_button = _button("Elegir carpeta del curso…", self.choose_corpus)
        self.reindex_button = _button(
            "Reindexar",
            self.start_indexing,
            "Vuelve a leer la carpeta: solo se procesan los archivos nuevos o modificados.",
        )
        self.cancel_index_button = _button("Cancelar indexación", self.cancel_indexing)
        self.model_combo = QComboBox()  # as wide as the toolbar has room for (``_fit_model_combo``)
        self.model_combo.view().setMinimumWidth(460)  # the open list shows whole labels
        self.model_combo.setToolTip("El modelo incluido y los archivos .gguf de la carpeta models/.")
        self.get_models_button = _button(
            "Conseguir modelos…",
            self.open_models_dialog,
            "Descarga un modelo mejor del catálogo (lo único que usa internet) o añade un .gguf que ya tengas.",
        )
        self.params_panel = ParamsPanel(self.settings.generation, gpu_offload_supported())
        self.history = HistoryStore()  # every conversation is saved as it happens
        self.ask_view = AskView(self.runner, self.tutor, self.params_panel.params, self.history)
        self.history_panel = HistoryPanel(self.history, self.ask_view, self.set_corpus, self.restore_params)
        self.lab_view = LabView(LabParams.of(self.settings.generation), self._piece)
        self.quiz_view = QuizView()
        self.modes = QTabWidget()
        self.model_status = QLabel()
        self.index_status = QLabel("Índice: —")
        self.speed_status = QLabel()
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(260)
        self.progress.hide()
        self._save_timer = QTimer(self)
        self._save_timer.setSingleShot(True)
        self._save_timer.setInterval(400)
        self.setWindowTitle("tutor — tu curso, sin conexión")
        self.resize(1320, 820)
        self.setMinimumSize(960, 600)  # smaller, the buttons' words and the question box are cut
        self._lay_out()
        self._connect()
        self._refresh_models()
        self._update_corpus_label()
        self._tasks_changed()

    # ----- layout -------------------------------------------------------------------------------------------
    def _lay_out(self) -> None:
        toolbar = QToolBar("Curso y modelo")
        toolbar.setMovable(False)
        self.addToolBar(toolbar)
        for widget in (self.corpus_label, self.choose_button, self.reindex_button, self.cancel_index_button):
            toolbar.addWidget(widget)
        toolbar.addSeparator()
        toolbar.addWidget(QLabel(" Modelo: "))
        toolbar.addWidget(self.model_combo)
        toolbar.addWidget(self.get_models_button)
        self.toolbar = toolbar
        self.model_combo.currentTextChanged.connect(lambda _: self._fit_model_combo())  # another model's label
        params_scroll = QScrollArea()
        params_scroll.setWidget(self.params_panel)
        params_scroll.setWidgetResizable(True)
        self.ask_view.tabs.addTab(params_scroll, "Parámetros")
        self.ask_view.insertWidget(0, self.history_panel)
        self.ask_view.setSizes([250, 600, 470])
        self.modes.addTab(self.ask_view, "Preguntar")
        self.modes.addTab(self.lab_view, "Laboratorio de parámetros")
        self.modes.addTab(self.quiz_view, "Práctica")
        self.modes.setTabToolTip(
            1, "Mira las probabilidades reales del siguiente token y cómo las cambian los parámetros."
        )
        self.modes.setTabToolTip(
            2, "Preguntas de repaso sacadas de tus diapositivas, con la diapositiva de la respuesta."
        )
        self.setCentralWidget(self.modes)
        status = self.statusBar()
        status.addWidget(self.index_status)
        status.addWidget(self.progress)
        status.addPermanentWidget(self.speed_status)
        status.addPermanentWidget(self.model_status)
        quit_action = QAction("Salir", self)
        quit_action.setShortcut(QKeySequence.Quit)
        quit_action.triggered.connect(self.close)
        self.addAction(quit_action)

    def _connect(self) -> None:
        self.model_combo.activated.connect(self._model_chosen)
        self.params_panel.changed.connect(self._save_timer.start)
        self._save_timer.timeout.connect(self.save)
        self.ask_view.status.connect(self.statusBar().showMessage)
        self.history_panel.status.connect(self.statusBar().showMessage)
        self.ask_view.answered.connect(self._answered)
        self.lab_view.compute_requested.connect(self.compute_lab)
        self.lab_view.generate_requested.connect(self.generate_lab)
        self.quiz_view.new_quiz_requested.connect(self.start_quiz)
        self.quiz_view.answered.connect(self._quiz_answered)
        self.runner.changed.connect(self._tasks_changed)

    # ----- tasks --------------------------------------------------------------------------------------------
    @property
    def ask_task(self) -> Task | None:
        return self.runner.running("ask")

    @property
    def index_task(self) -> Task | None:
        return self.runner.running("index")

    @property
    def lab_task(self) -> Task | None:
        return self.runner.running("lab")

    @property
    def quiz_task(self) -> Task | None:
        return self.runner.running("quiz")

    def _set_busy(self, text: str | None, done: int = 0, total: int = 0) -> None:
        """Show what runs (``total`` 0: a busy indicator without steps), or hide it with ``None``."""
        if text is None:
            self.progress.hide()
            if self.statusBar().currentMessage() == self._busy_text:  # keep a message shown since
                self.statusBar().clearMessage()
            self._busy_text = None
            return
        self.progress.show()
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"{text} %v/%m" if total else text)
        self.statusBar().showMessage(text)
        self._busy_text = text

    def _tasks_changed(self) -> None:
        idle = self.runner.idle
        self.reindex_button.setEnabled(idle("index", "ask"))
        self.choose_button.setEnabled(idle("index", "ask"))
        self.cancel_index_button.setEnabled(not idle("index"))
        self.model_combo.setEnabled(idle("ask", "model"))
        self.lab_view.compute_button.setEnabled(idle("lab"))
        self.lab_view.generate_button.setEnabled(idle("lab") and self.lab_view.result is not None)

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
        self.tutor = Tutor(self.settings, folder, llm=self.tutor.llm, embedder=self.tutor.loaded_embedder)
        self.ask_view.set_tutor(self.tutor)
        self._update_corpus_label()
        self.save()
        self.start_indexing()

    def start_indexing(self) -> Task | None:
        """Build or refresh the course index off the GUI thread (only changed files are processed)."""
        tutor = self.tutor
        return self.runner.launch(
            "index",
            lambda task: tutor.update_index(task.progress),
            busy="Indexando el curso…",
            error="No se pudo indexar el curso",
            done=self._indexed,
            cancelled=lambda: self.statusBar().showMessage("Indexación cancelada.", 5000),
            finished=self._index_finished,
        )

    def cancel_indexing(self) -> None:
        if self.index_task:
            self.index_task.cancel()

    def _index_finished(self) -> None:
        self._update_index_status()
        self._update_quiz_panel()
        if self.tutor.index is not None and not self.tutor.llm.loaded:
            self.preload()

    def preload(self) -> Task | None:
        """Load the embedder and the answering model and read the instructions, before the first question
        (an ask started meanwhile waits for the model instead of loading it again)."""
        tutor, params = self.tutor, self.params_panel.params()
        return self.runner.launch(
            "preload",
            lambda task: tutor.warm_up(params, task.signals.message.emit),
            busy="Preparando el modelo que responde…",
            error="No se pudo preparar el modelo",
            done=lambda _: self.statusBar().showMessage("Listo para tus preguntas.", 5000),
            finished=self._refresh_models,
        )

    def _indexed(self, report) -> None:
        if report is None:
            return
        self.statusBar().showMessage(report.summary(), 8000)
        warning = course_warning(report, skipped_files(self.tutor.corpus))
        if warning:
            self._notify(QMessageBox.Warning, "Tu curso", warning)

    def _update_index_status(self) -> None:
        index = self.tutor.index
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
        """The model list («Automático» first) and, in the status bar, which model answers and why."""
        self.model_combo.blockSignals(True)
        self.model_combo.clear()
        current = self.settings.llm_model
        self.model_combo.addItem("Automático (el mejor instalado que quepa en la memoria)", "")
        for info in available_models():
            size = f"{info.size_bytes / 1e6:.0f} MB" if info.size_bytes else "se prepara al usarlo"
            label = f"{info.name}  ({size}){'  — incluido' if info.packaged else ''}"
            self.model_combo.addItem(label, info.name if info.packaged else str(info.path))
            if current and current in (str(info.path), info.name):
                self.model_combo.setCurrentIndex(self.model_combo.count() - 1)
        self.model_combo.blockSignals(False)
        try:
            path, why = self.tutor.model_choice(prepare=False)
        except ModelError as exc:
            self.model_status.setText("Modelo: —")
            self.model_status.setToolTip(str(exc))
            return
        self.model_status.setText(f"Responde: {path.name} ({why.split(':')[0]})")
        self.model_status.setToolTip(f"Responde {path.name}: {why}.")

    def open_models_dialog(self) -> ModelsDialog:
        """The catalog: download (the only network use) or add a GGUF; new models appear in the picker."""
        dialog = ModelsDialog(self, self.runner.run)
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

    def restore_params(self, saved: dict) -> None:
        """Show a reopened conversation's parameters in the sliders (values no longer valid are skipped)."""
        try:
            params = Settings.from_dict({"generation": saved}).generation
        except (TypeError, ValueError) as exc:
            self.statusBar().showMessage(f"No se pudieron restaurar los parámetros de la conversación: {exc}", 8000)
            return
        self.params_panel.set_params(params)
        self.statusBar().showMessage("Parámetros de la conversación restaurados en el panel.", 6000)

    def load_model(self) -> Task | None:
        """Load (or switch to) the chosen model off the GUI thread; the old one is freed first."""
        tutor, params = self.tutor, self.params_panel.params()
        return self.runner.launch(
            "model",
            lambda task: tutor.load_model(params, task.signals.message.emit),
            busy="Cargando el modelo…",
            error="No se pudo cargar el modelo",
            done=lambda _: self.statusBar().showMessage("Modelo cargado.", 4000),
            finished=self._refresh_models,
        )

    def _answered(self, answer: Answer) -> None:
        speed = answer.timings.get("generation_tokens_per_s")
        if speed:
            self.speed_status.setText(f"{speed:.1f} tokens/s")
        self._refresh_models()
        self._update_index_status()  # asking builds the index when there was none

    # ----- parameter lab ----------------------------------------------------------------------------------
    def _piece(self, token: int) -> str:
        return self.tutor.llm.piece(token)

    def compute_lab(self, text: str) -> Task | None:
        """Run the model on the lab's text (off the GUI thread) and show its next-token distribution."""
        tutor, params = self.tutor, self.params_panel.params()
        return self.runner.launch(
            "lab",
            lambda task: tutor.lab(text, params, task.signals.message.emit),
            busy="Calculando las probabilidades del siguiente token…",
            error="No se pudo calcular",
            done=self.lab_view.set_result,
        )

    def generate_lab(self) -> Task | None:
        """Sample ten continuations with the lab's current sliders."""
        result, tutor, lab_params = self.lab_view.result, self.tutor, self.lab_view.params()
        if result is None:
            return None
        return self.runner.launch(
            "lab",
            lambda _task: tutor.lab_samples(result, lab_params, 10),
            busy="Generando 10 continuaciones…",
            error="No se pudo generar",
            done=self.lab_view.set_samples,
        )

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
        tutor, book = self.tutor, self.score_book
        return self.runner.launch(
            "quiz",
            lambda _task: tutor.practice(n, topic, review, book=book),
            busy="Preparando las preguntas…",
            error="No se pudo preparar la práctica",
            done=lambda questions: self.quiz_view.set_questions(questions, tutor.corpus),
        )

    def _quiz_answered(self, question, correct: bool) -> None:
        self.score_book.record(str(self.tutor.corpus), question, correct)
        self._update_quiz_panel()

    def _update_quiz_panel(self) -> None:
        if self.tutor.index is not None:  # the practice topics: the slides' titles (quiz.topic_title)
            firsts = {s.title: s.text for s in reversed(self.tutor.slides()) if s.title}  # each title's first slide
            topics = [(title, label_title(title, text)) for title, text in firsts.items()]
            self.quiz_view.set_topics(sorted(topics, key=lambda topic: topic[1]))
        self.quiz_view.set_scores(self.score_book.topic_scores(str(self.tutor.corpus)))

    # ----- settings and errors ------------------------------------------------------------------------------
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

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        super().resizeEvent(event)
        self._fit_model_combo()

    def _fit_model_combo(self) -> None:
        """The model picker as wide as its label where the toolbar has room, narrower (at least 200 px, the label
        cut, whole in its tooltip) where not: at 1000 px its label hid «Conseguir modelos…» behind the toolbar's
        «››» (a student trial)."""
        combo = self.model_combo
        combo.setToolTip(f"{combo.currentText()}\n\nEl modelo incluido y los archivos .gguf de models/.")  # whole
        whole = combo.fontMetrics().horizontalAdvance(combo.currentText()) + 48
        widgets = [self.toolbar.widgetForAction(a) for a in self.toolbar.actions()]
        others = sum(w.sizeHint().width() + 6 for w in widgets if w is not None and w is not combo)
        combo.setFixedWidth(max(200, min(whole, self.width() - others - 40)))

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self.runner.cancel_all()
        self.pool.waitForDone(5000)
        self.save()
        super().closeEvent(event)
