"""«Conseguir modelos»: the curated catalog with a download button, and adding a GGUF from disk."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from tutor.catalog import CatalogModel, add_model, download, load_catalog, memory_summary
from tutor.gui.workers import Task, wire

COLUMNS = ["Modelo", "Descarga", "Memoria", "¿Cabe?", "Licencia", "Estado"]


class ModelsDialog(QDialog):
    """Lists the catalog beside this machine; downloads run as tasks given by the window."""

    model_added = Signal(str)  # path of a new, verified model

    def __init__(self, parent, run: Callable[[Task], Task]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Conseguir un modelo mejor")
        self.resize(980, 460)
        self.run = run
        self.task: Task | None = None
        self.models: list[CatalogModel] = load_catalog()
        self.last_error = ""
        intro = QLabel(
            "Modelos recomendados para un portátil y para español. <b>Descargar es lo único de tutor que usa "
            "internet</b>, y solo cuando lo pides; después todo funciona sin conexión. La descarga se puede "
            f"cancelar y reanudar, y se verifica antes de usarla. {memory_summary()}."
        )
        intro.setWordWrap(True)
        self.table = QTableWidget(len(self.models), len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.download_button = QPushButton("Descargar")
        self.download_button.clicked.connect(self.start_download)
        self.cancel_button = QPushButton("Cancelar descarga")
        self.cancel_button.clicked.connect(self.cancel)
        self.add_button = QPushButton("Añadir un .gguf que ya tengo…")
        self.add_button.setToolTip("Copia un modelo de un USB o de otra carpeta (sin internet).")
        self.add_button.clicked.connect(self.choose_file)
        close = QPushButton("Cerrar")
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.cancel_button)
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.refresh()
        self.table.selectRow(0)

    def refresh(self) -> None:
        for row, model in enumerate(self.models):
            fits = model.fits()
            installed = model.installed_path()
            values = [
                model.title,
                f"{model.size / 1e9:.1f} GB",
                f"{model.memory / 1e9:.1f} GB",
                {True: "Sí", False: "No: poca memoria", None: "?"}[fits],
                model.license,
                "Instalado" if installed else "—",
            ]
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(model.note)
                if col == 3 and fits is False:
                    item.setForeground(Qt.red)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.Stretch)
        self._update_buttons()

    def selected_model(self) -> CatalogModel | None:
        rows = self.table.selectionModel().selectedRows()
        return self.models[rows[0].row()] if rows else None

    def _selected(self) -> None:
        model = self.selected_model()
        if model:
            self.note.setText(f"<b>{model.title}</b>: {model.note} Publicado por {model.publisher}.")
        self._update_buttons()

    def _update_buttons(self) -> None:
        model = self.selected_model()
        busy = self.task is not None
        self.download_button.setEnabled(bool(model) and not busy and not (model and model.installed_path()))
        self.cancel_button.setEnabled(busy)
        self.add_button.setEnabled(not busy)

    # --- download ---------------------------------------------------------------------------------------
    def start_download(self, model: CatalogModel | None = None) -> Task | None:
        model = model or self.selected_model()
        if model is None or self.task is not None:
            return None
        task = Task(
            lambda t: download(
                model,
                progress=lambda done, total: t.signals.progress.emit(model.title, done // 2**20, total // 2**20),
                should_stop=t.stop.is_set,
            )
        )
        wire(task, progress=self._progress)
        return self._start(task, f"Conectando para descargar {model.title} desde {model.url} …")

    def _start(self, task: Task, status: str) -> Task:
        wire(task, done=lambda path: self._finished(str(path)), failed=self._failed, finished=self._task_over)
        self.task = task
        self.progress.setRange(0, 0)
        self.progress.show()
        self.status.setText(status)
        self._update_buttons()
        return self.run(task)

    def _progress(self, title: str, done_mb: int, total_mb: int) -> None:
        self.progress.setRange(0, max(total_mb, 1))
        self.progress.setValue(done_mb)
        self.progress.setFormat(f"{title}: %v / %m MB")
        self.status.setText("Descargando… puedes seguir usando tutor mientras tanto.")

    def _finished(self, path: str) -> None:
        self.status.setText(f"Listo y verificado: {Path(path).name}. Ya puedes elegirlo en «Modelo».")
        self.model_added.emit(path)

    def _failed(self, message: str) -> None:
        self.last_error = message
        self.status.setText(f"No se pudo descargar: {message}")

    def cancel(self) -> None:
        if self.task:
            self.task.cancel()
            self.status.setText("Cancelando… lo descargado se guarda para reanudar más tarde.")

    def _task_over(self) -> None:
        self.task = None
        self.progress.hide()
        self.refresh()

    # --- add a file -------------------------------------------------------------------------------------
    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Elige un modelo .gguf", str(Path.home()), "Modelos GGUF (*.gguf)")
        if path:
            self.add_file(Path(path))

    def add_file(self, path: Path) -> Task | None:
        if self.task is not None:
            return None
        return self._start(Task(lambda t: add_model(path)), f"Copiando {path.name}…")
