"""«Conversaciones»: the saved conversations beside the chat, to search, reopen, rename, delete and export."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QGridLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tutor.gui.ask_view import AskView
from tutor.history import ConversationInfo, ConversationNotFound, HistoryStore, short_date
from tutor.notes import conversation_markdown, params_line
from tutor.text import file_stem

ID_ROLE = Qt.ItemDataRole.UserRole
MAIN_PARAMS = ("temperature", "top_p", "top_k", "max_tokens", "seed")  # the rest in the tooltip


class HistoryPanel(QWidget):
    """Lists the store's conversations (most recent first) and opens one in the :class:`AskView`.

    ``switch_course`` is called first when the conversation was held in another course folder.
    """

    status = Signal(str, int)  # a passing status-bar message and its milliseconds

    def __init__(
        self,
        store: HistoryStore,
        ask_view: AskView,
        switch_course: Callable[[Path], None],
        restore_params: Callable[[dict], None] = lambda params: None,
    ) -> None:
        super().__init__()
        self.restore_params = restore_params  # the conversation's parameters back in the sliders
        self.store = store
        self.ask_view = ask_view
        self.switch_course = switch_course
        self.dialog: QWidget | None = None  # the rename, delete or export dialog now open
        self.search = QLineEdit()
        self.search.setPlaceholderText("Buscar en tus conversaciones…")
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.setSpacing(2)
        self.list.setToolTip("Pulsa una conversación para volver a abrirla y seguir preguntando.")
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setStyleSheet("color: #555555")
        self.rename_button = QPushButton("Renombrar")
        self.delete_button = QPushButton("Eliminar")
        self.export_button = QPushButton("Exportar…")
        self.export_button.setToolTip("Guarda la conversación como apuntes (Markdown o PDF) con sus citas.")
        self._lay_out()
        self.search.textChanged.connect(self.refresh)
        self.list.itemClicked.connect(lambda item: self.open(item.data(ID_ROLE)))
        self.list.itemActivated.connect(lambda item: self.open(item.data(ID_ROLE)))
        self.list.currentItemChanged.connect(self._show_details)
        self.rename_button.clicked.connect(self._ask_rename)
        self.delete_button.clicked.connect(self._ask_delete)
        self.export_button.clicked.connect(self._ask_export)
        ask_view.answered.connect(lambda _answer: self.refresh())
        ask_view.conversation_opened.connect(self.refresh)
        ask_view.runner.changed.connect(self.refresh)  # a question asked: its conversation is listed
        self.refresh()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("<b>Conversaciones</b>")
        layout.addWidget(title)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.details)
        buttons = QGridLayout()
        buttons.addWidget(self.rename_button, 0, 0)
        buttons.addWidget(self.delete_button, 0, 1)
        buttons.addWidget(self.export_button, 1, 0, 1, 2)
        layout.addLayout(buttons)

    # ----- the list -----------------------------------------------------------------------------------
    @property
    def selected(self) -> int | None:
        item = self.list.currentItem()
        return item.data(ID_ROLE) if item is not None else None

    def refresh(self) -> None:
        """List the conversations matching the search; the open one is bold and selected, and nothing is
        selected while a new conversation is not saved yet (the buttons and the details act on the open one)."""
        keep = self.ask_view.chat.id
        self.list.blockSignals(True)
        self.list.clear()
        for info in self.store.conversations(self.search.text()):
            item = QListWidgetItem(f"{info.title}\n{_subtitle(info)}")
            item.setData(ID_ROLE, info.id)
            item.setToolTip(_describe(info, full=True))
            if info.id == self.ask_view.chat.id:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.list.addItem(item)
            if info.id == keep:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self._show_details()
        has = self.selected is not None
        for button in (self.rename_button, self.delete_button, self.export_button):
            button.setEnabled(has)

    def _show_details(self, *_args) -> None:
        cid = self.selected
        try:
            self.details.setText(_describe(self.store.info(cid)) if cid is not None else "")
        except ConversationNotFound:
            self.details.setText("")

    # ----- actions ------------------------------------------------------------------------------------
    def open(self, conversation_id: int) -> bool:
        """Show a saved conversation (its course first, when another) to read it and go on asking."""
        if conversation_id == self.ask_view.chat.id:
            return True
        try:
            chat = self.store.open(conversation_id)
        except ConversationNotFound as exc:
            self.status.emit(str(exc), 6000)
            self.refresh()
            return False
        course = Path(chat.course) if chat.course else None
        if course is not None and course != self.ask_view.tutor.corpus:
            if not course.is_dir():
                self.status.emit(f"La carpeta del curso ya no existe ({course}): no se verán sus diapositivas.", 8000)
            elif not self.ask_view.runner.idle("ask", "index"):
                self.status.emit("Espera a que termine la respuesta o la indexación para cambiar de curso.", 6000)
                return False
            else:
                self.switch_course(course)
        self.ask_view.open_conversation(chat)
        params = self.store.info(conversation_id).params
        if params:
            self.restore_params(params)
        self.refresh()
        return True

    def rename(self, conversation_id: int, title: str) -> None:
        try:
            self.store.rename(conversation_id, title)
        except ValueError as exc:
            self.status.emit(str(exc), 6000)
        self.refresh()

    def delete(self, conversation_id: int) -> None:
        """Delete a conversation; the one open in the chat makes way for a new one."""
        if conversation_id == self.ask_view.chat.id:
            self.ask_view.new_conversation()
        with suppress(ConversationNotFound):  # already gone: the list is refreshed anyway
            self.store.delete(conversation_id)
        self.status.emit("Conversación eliminada.", 4000)
        self.refresh()

    def export(self, conversation_id: int, path: Path) -> Path:
        """Save a conversation as notes: PDF when ``path`` ends in .pdf, else Markdown."""
        saved = self.store.get(conversation_id)
        markdown = conversation_markdown(saved.info, saved.turns)
        path = Path(path)
        if path.suffix.lower() == ".pdf":
            from tutor.gui.export_pdf import markdown_to_pdf

            markdown_to_pdf(markdown, path, saved.info.title)
        else:
            path.write_text(markdown, encoding="utf-8")
        self.status.emit(f"Apuntes guardados en {path}.", 6000)
        return path

    # ----- dialogs (non-blocking: the window keeps working behind them) -------------------------------
    def _ask_rename(self) -> None:
        cid, item = self.selected, self.list.currentItem()
        if cid is None:
            return
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Renombrar conversación")
        dialog.setLabelText("Nuevo título:")
        dialog.setTextValue(item.text().split("\n", 1)[0])
        dialog.textValueSelected.connect(lambda text: self.rename(cid, text))
        self._show(dialog)

    def _ask_delete(self) -> None:
        cid = self.selected
        if cid is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Eliminar conversación",
            "¿Eliminar esta conversación y sus respuestas? No se puede deshacer.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.accepted.connect(lambda: self.delete(cid))
        self._show(box)

    def _ask_export(self) -> None:
        cid = self.selected
        if cid is None:
            return
        name = file_stem(self.store.info(cid).title) or f"conversacion-{cid}"  # named as in the list
        dialog = QFileDialog(self, "Exportar como apuntes", str(Path.home() / f"{name}.pdf"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(["PDF (*.pdf)", "Markdown (*.md)"])
        dialog.filterSelected.connect(lambda name: dialog.setDefaultSuffix("md" if "*.md" in name else "pdf"))
        dialog.setDefaultSuffix("pdf")
        dialog.fileSelected.connect(lambda path: self._export_chosen(cid, Path(path)))
        self._show(dialog)

    def _export_chosen(self, conversation_id: int, path: Path) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # about 1.5 s for 500 questions
        try:
            self.export(conversation_id, path)
        except (OSError, ValueError) as exc:
            self.status.emit(f"No se pudo exportar: {exc}", 10000)
        finally:
            QApplication.restoreOverrideCursor()

    def _show(self, dialog: QWidget) -> None:
        self.dialog = dialog
        dialog.open()


def _subtitle(info: ConversationInfo) -> str:
    turns = f"{info.turns} pregunta{'s' if info.turns != 1 else ''}"
    return " · ".join(part for part in (short_date(info.updated), info.course_name, turns) if part)


def _describe(info: ConversationInfo, full: bool = False) -> str:
    """Course, model and parameters of a conversation (its last answer's; the main ones unless ``full``)."""
    lines = [f"Curso: {info.course_name or '—'} · creada el {short_date(info.created)}"]
    if info.model:
        lines.append(f"Modelo: {info.model}")
    if info.params:
        lines.append(f"Parámetros: {params_line(info.params, None if full else MAIN_PARAMS)}")
    return "\n".join(lines)
