"""«Práctica» tab: questions from the slides, graded with the cited slide shown, scores per topic."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tutor.gui.slide_view import SlideView
from tutor.notes import PracticeAnswer, practice_markdown
from tutor.quiz import Question, grade
from tutor.text import label_title

TOPICS_WIDTH = 640  # pixels the open topic list may take
SLIDE_PLACEHOLDER = "La diapositiva de la pregunta aparece aquí cuando compruebas tu respuesta."
EXPORT_SEPARATOR = "\n\n— "  # between an answer's feedback and the export's message


class QuizView(QWidget):
    """Shows one question at a time; the window builds the quiz and records the answers."""

    new_quiz_requested = Signal(str, int, bool)  # topic, n, review
    answered = Signal(object, bool)  # question, correct

    def __init__(self) -> None:
        super().__init__()
        self.questions: list[Question] = []
        self.index = 0
        self.right = 0
        self.checked = False
        self.corpus = None
        self.results: list[PracticeAnswer] = []  # this session's answers, for «Exportar resultados…»
        controls = self._build_controls()
        self._build_question()
        buttons = self._build_answer_buttons()
        self._build_scores()
        left = self._build_left(controls, buttons)
        self.slide = SlideView(SLIDE_PLACEHOLDER)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.slide)
        splitter.setSizes([700, 620])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._update_buttons()

    def _build_controls(self) -> QHBoxLayout:
        """Topic, number of questions and the two «start» buttons, in one row."""
        self.topic = QComboBox()
        self.topic.setEditable(True)
        self.topic.setMinimumWidth(220)
        self.topic.setToolTip("Un tema (título de diapositiva, archivo o palabra) o todos.")
        self.count = QSpinBox()
        self.count.setRange(1, 30)
        self.count.setValue(5)
        self.new_button = QPushButton("Nueva práctica")
        self.new_button.clicked.connect(lambda: self._request(False))
        self.review_button = QPushButton("Repasar lo que fallé")
        self.review_button.setToolTip("Primero las preguntas de los temas que fallaste (repetición espaciada).")
        self.review_button.clicked.connect(lambda: self._request(True))
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Tema:"))
        controls.addWidget(self.topic, 1)
        controls.addWidget(QLabel("Preguntas:"))
        controls.addWidget(self.count)
        controls.addWidget(self.new_button)
        controls.addWidget(self.review_button)
        return controls

    def _build_question(self) -> None:
        """The progress line, the question, its options or answer field, and the feedback."""
        self.progress = QLabel("Pulsa «Nueva práctica» para empezar.")
        self.question = QLabel()
        self.question.setWordWrap(True)
        self.question.setTextFormat(Qt.PlainText)
        font = self.question.font()
        font.setPointSizeF(font.pointSizeF() + 2)
        self.question.setFont(font)
        self.options_box = QVBoxLayout()
        self.option_group = QButtonGroup(self)
        self.option_buttons: list[QRadioButton] = []
        self.typed = QLineEdit()
        self.typed.setPlaceholderText("Escribe la palabra que falta…")
        self.typed.returnPressed.connect(self.check)
        self.typed.hide()
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setTextFormat(Qt.PlainText)

    def _build_answer_buttons(self) -> QHBoxLayout:
        """«Comprobar», «Siguiente» and «Ver la diapositiva», in one row."""
        self.check_button = QPushButton("Comprobar")
        self.check_button.clicked.connect(self.check)
        self.next_button = QPushButton("Siguiente")
        self.next_button.clicked.connect(self.next_question)
        self.show_slide_button = QPushButton("Ver la diapositiva")
        self.show_slide_button.clicked.connect(self.show_slide)
        buttons = QHBoxLayout()
        buttons.addWidget(self.check_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.show_slide_button)
        buttons.addStretch(1)
        self.export_button = QPushButton("Exportar resultados…")
        self.export_button.setToolTip(
            "Guarda las preguntas, tus respuestas y las diapositivas que las explican (PDF o Markdown)."
        )
        self.export_button.clicked.connect(self._ask_export)
        buttons.addWidget(self.export_button)
        return buttons

    def _build_scores(self) -> None:
        """The per-topic table of right and wrong answers."""
        self.scores = QTableWidget(0, 3)
        self.scores.setHorizontalHeaderLabels(["Tema", "Aciertos", "Fallos"])
        self.scores.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.scores.verticalHeader().hide()
        self.scores.setEditTriggers(QTableWidget.NoEditTriggers)
        self.scores.setMaximumHeight(200)

    def _build_left(self, controls: QHBoxLayout, buttons: QHBoxLayout) -> QWidget:
        """The left pane: controls, the question and its answer, then the scores."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(controls)
        left_layout.addWidget(self.progress)
        left_layout.addWidget(self.question)
        left_layout.addLayout(self.options_box)
        left_layout.addWidget(self.typed)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.feedback)
        left_layout.addStretch(1)
        left_layout.addWidget(QLabel("Tu progreso por tema (los más fallados primero):"))
        left_layout.addWidget(self.scores)
        return left

    # --- building ---------------------------------------------------------------------------------------
    def set_topics(self, topics: list[tuple[str, str]]) -> None:
        """The topics to choose from: each slide title with the label it is shown as (:func:`label_title`)."""
        current = self.topic.currentText()
        self.topic.clear()
        self.topic.addItem("Todos los temas")
        for title, label in topics:
            self.topic.addItem(label, title)
        view = self.topic.view()  # the list opens as wide as its labels (up to TOPICS_WIDTH), not cut in the middle
        view.setTextElideMode(Qt.ElideRight)
        view.setMinimumWidth(min(TOPICS_WIDTH, view.sizeHintForColumn(0) + 24))
        if current:
            self.topic.setCurrentText(current)

    def _request(self, review: bool) -> None:
        topic = self.topic.currentText().strip()
        at = self.topic.currentIndex()
        if at > 0 and self.topic.itemText(at) == topic:  # a listed topic: its title, not the label shown
            topic = self.topic.itemData(at)
        topic = "" if topic == "Todos los temas" else topic
        self.new_quiz_requested.emit(topic, self.count.value(), review)

    def set_questions(self, questions: list[Question], corpus) -> None:
        self.questions, self.corpus = questions, corpus
        self.index, self.right = 0, 0
        self.results = []
        if not questions:
            self.progress.setText("No hay preguntas para ese tema: prueba con otro o con «Todos los temas».")
            self.question.clear()
            self._set_options([])
            self._update_buttons()
            return
        self._show_current()

    def set_scores(self, rows: list[tuple[str, int, int]]) -> None:
        self.scores.setRowCount(len(rows))
        for r, (topic, right, wrong) in enumerate(rows):
            for c, value in enumerate((label_title(topic), str(right), str(wrong))):
                self.scores.setItem(r, c, QTableWidgetItem(value))

    # --- one question -----------------------------------------------------------------------------------
    @property
    def current(self) -> Question | None:
        return self.questions[self.index] if 0 <= self.index < len(self.questions) else None

    def _set_options(self, options: list[str]) -> None:
        for button in self.option_buttons:
            self.option_group.removeButton(button)
            button.deleteLater()
        self.option_buttons = []
        for option in options:
            button = QRadioButton(option)
            self.option_group.addButton(button)
            self.options_box.addWidget(button)
            self.option_buttons.append(button)

    def _show_current(self) -> None:
        q = self.current
        self.checked = False
        kind = "Elige la opción correcta" if q.options else "Escribe la respuesta"
        self.progress.setText(f"Pregunta {self.index + 1} de {len(self.questions)} · aciertos: {self.right} · {kind}")
        self.question.setText(q.question)
        self._set_options(q.options)
        self.typed.setVisible(not q.options)
        self.typed.clear()
        self.feedback.clear()
        self.feedback.setStyleSheet("")
        self.slide.clear()  # the last question's slide may give this one's answer away
        self._update_buttons()

    def given(self) -> str:
        q = self.current
        if q is None:
            return ""
        if q.options:
            chosen = self.option_group.checkedButton()
            return chosen.text() if chosen else ""
        return self.typed.text()

    def choose(self, text: str) -> None:
        """Select an option or type an answer (used by tests and keyboard users)."""
        for button in self.option_buttons:
            if button.text() == text:
                button.setChecked(True)
                return
        self.typed.setText(text)

    def check(self) -> None:
        q = self.current
        if q is None or self.checked or not self.given().strip():
            return
        correct = grade(q, self.given())
        self.checked = True
        self.right += correct
        self.results.append(PracticeAnswer(q, self.given(), correct))
        verdict = "¡Correcto!" if correct else f"No es correcto. La respuesta es «{q.answer}»."
        self.feedback.setText(f"{verdict}\nSegún {q.label()}: «{q.explanation}»")
        self.feedback.setStyleSheet("color: #1b6e20;" if correct else "color: #a11;")
        self.progress.setText(f"Pregunta {self.index + 1} de {len(self.questions)} · aciertos: {self.right}")
        self.answered.emit(q, correct)
        self.show_slide()
        self._update_buttons()

    def next_question(self) -> None:
        if self.index + 1 < len(self.questions):
            self.index += 1
            self._show_current()
        else:
            self.index = len(self.questions)
            self.progress.setText(
                f"Práctica terminada: {self.right} de {len(self.questions)}. "
                "«Repasar lo que fallé» vuelve a los temas fallados."
            )
            self.question.clear()
            self._set_options([])
            self.typed.hide()
            self._update_buttons()

    def show_slide(self) -> None:
        q = self.current
        if q is None or self.corpus is None:
            return
        self.slide.show_source(self.corpus, 1, q.as_source())

    def _update_buttons(self) -> None:
        has = self.current is not None
        self.check_button.setEnabled(has and not self.checked)
        self.next_button.setEnabled(has and self.checked)
        self.show_slide_button.setEnabled(has and self.checked)
        self.export_button.setEnabled(bool(self.results))

    # --- results to take away ---------------------------------------------------------------------------
    def export(self, path: Path) -> Path:
        """Write this session's results to ``path``: Markdown for ``.md``, else PDF."""
        course = Path(self.corpus).name if self.corpus else ""
        markdown = practice_markdown(course, self.results)
        path = Path(path)
        if path.suffix.lower() == ".md":
            path.write_text(markdown, encoding="utf-8")
            return path
        from tutor.gui.export_pdf import markdown_to_pdf

        return markdown_to_pdf(markdown, path, title="Práctica")

    def _ask_export(self) -> None:
        dialog = QFileDialog(self, "Exportar resultados de la práctica", str(Path.home() / "practica.pdf"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["PDF (*.pdf)", "Markdown (*.md)"])
        dialog.filterSelected.connect(lambda name: dialog.setDefaultSuffix("md" if "*.md" in name else "pdf"))
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(self._export_chosen)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _export_chosen(self, path: str) -> None:
        try:
            written = self.export(Path(path))
        except OSError as exc:
            self._say_below(f"No se pudieron guardar los resultados en {path}: {exc.strerror or exc}.")
            return
        self._say_below(f"Resultados guardados en {written}.")

    def _say_below(self, message: str) -> None:
        """``message`` under the last answer's feedback («¡Correcto!…» stays), replacing an earlier message."""
        verdict = self.feedback.text().split(EXPORT_SEPARATOR, 1)[0]
        self.feedback.setText(f"{verdict}{EXPORT_SEPARATOR}{message}" if verdict else message)
