"""Run slow core work (indexing, model loading, generation) off the GUI thread, reporting by signals."""

from __future__ import annotations

import threading
import traceback
from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

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
    for name, slot in slots.items():
        getattr(task.signals, name).connect(slot, Qt.QueuedConnection)
    return task


def start(task: Task, pool: QThreadPool | None = None) -> Task:
    """Run ``task`` in ``pool`` (the global one by default)."""
    _LIVE.difference_update({t for t in _LIVE if t.over.is_set()})
    _LIVE.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


Busy = Callable[..., None]  # busy(text | None, done=0, total=0): show or hide the window's busy indicator
Report = Callable[[str, str], None]  # report(title, message): tell the student a task failed


class TaskRunner(QObject):
    """The window's one way to start background work: a guard per kind of task, busy display, error report.

    ``launch("ask", work, busy="…", error="No se pudo responder", done=show)`` runs ``work(task)`` in the
    pool unless an "ask" task is still running; its ``message`` and ``progress`` signals update the busy
    indicator, a failure is reported under ``error``, and :attr:`changed` fires when it starts and ends.
    """

    changed = Signal()  # a task started or finished: views update their buttons

    def __init__(self, pool: QThreadPool, busy: Busy, report: Report) -> None:
        super().__init__()
        self.pool = pool
        self.busy = busy
        self.report = report
        self.tasks: set[Task] = set()  # every task still running, to cancel on close
        self._keyed: dict[str, Task] = {}

    def running(self, key: str) -> Task | None:
        """The task launched under ``key`` if it has not finished."""
        return self._keyed.get(key)

    def idle(self, *keys: str) -> bool:
        """No task runs under any of ``keys``."""
        return not any(key in self._keyed for key in keys)

    def launch(
        self,
        key: str,
        work: Callable[[Task], object],
        *,
        error: str,
        busy: str | None = None,
        done: Callable[[object], None] | None = None,
        finished: Callable[[], None] | None = None,
        **slots: Callable,
    ) -> Task | None:
        """Run ``work`` off the GUI thread, or return None while a task under ``key`` still runs.

        ``error`` titles the message if it fails; ``busy`` is shown until the task reports or ends;
        ``done`` gets the result; ``finished`` runs once it is over (also after a failure or a cancel);
        ``slots`` wires further :class:`TaskSignals` (``text``, ``cancelled``, ``failed``…).
        """
        if key in self._keyed:
            return None
        task = Task(work)
        wire(task, message=self.busy, progress=self.busy, **slots)
        wire(task, failed=lambda message: self.report(error, message))
        if done is not None:
            wire(task, done=done)
        wire(task, finished=lambda: self._over(key, task, finished))
        self._keyed[key] = task
        if busy is not None:
            self.busy(busy)
        self.changed.emit()
        return self.run(task)

    def _over(self, key: str, task: Task, finished: Callable[[], None] | None) -> None:
        if self._keyed.get(key) is task:
            del self._keyed[key]
        self.busy(None)
        if finished is not None:
            finished()
        self.changed.emit()

    def run(self, task: Task) -> Task:
        """Start an already wired task, keeping it until it finishes (the models dialog's downloads)."""
        self.tasks.add(task)
        wire(task, finished=lambda: self.tasks.discard(task))
        return start(task, self.pool)

    def cancel_all(self) -> None:
        for task in list(self.tasks):
            task.cancel()
