"""Run slow core work (indexing, model loading, generation) off the GUI thread, reporting by signals."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from tutor.types import Cancelled


class TaskSignals(QObject):
    progress = Signal(str, int, int)  # stage, done, total
    message = Signal(str)
    text = Signal(str)  # streamed answer text
    done = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    finished = Signal()


class Task(QRunnable):
    """Runs ``fn(task)`` in the thread pool; ``fn`` reports through ``task.signals`` and checks ``task.stop``."""

    def __init__(self, fn: Callable[[Task], object]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = TaskSignals()
        self.stop = threading.Event()
        self.over = threading.Event()
        self.setAutoDelete(False)

    def cancel(self) -> None:
        self.stop.set()

    def progress(self, stage: str, done: int, total: int) -> None:
        """A core progress callback that also honours cancellation."""
        if self.stop.is_set():
            raise Cancelled
        self.signals.progress.emit(stage, done, total)

    def run(self) -> None:
        try:
            result = self.fn(self)
        except Cancelled:
            self.signals.cancelled.emit()
        except Exception as exc:  # every failure becomes a message; the app stays up
            traceback.print_exc()
            self.signals.failed.emit(_spanish(exc))
        else:
            if self.stop.is_set():
                self.signals.cancelled.emit()
            self.signals.done.emit(result)
        finally:
            self.signals.finished.emit()
            self.over.set()


def _spanish(exc: Exception) -> str:
    if isinstance(exc, MemoryError):
        return "No hay memoria suficiente para esta operación (¿modelo demasiado grande?)."
    text = str(exc) or type(exc).__name__
    return text


# Tasks stay referenced here until they have finished, even if the window that started them is gone:
# a QRunnable must not be destroyed while a pool thread runs it.
_LIVE: set[Task] = set()


def wire(task: Task, **slots: Callable) -> Task:
    """Connect ``task.signals.<name>`` to each slot, queued, so slots always run on the GUI thread.

    ``wire(task, done=show, failed=report, finished=cleanup)``; lambdas are fine.
    """
    from PySide6.QtCore import Qt

    for name, slot in slots.items():
        getattr(task.signals, name).connect(slot, Qt.QueuedConnection)
    return task


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    """Run ``task`` in ``pool`` (the global one by default)."""
    _LIVE.difference_update({t for t in _LIVE if t.over.is_set()})
    _LIVE.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task
