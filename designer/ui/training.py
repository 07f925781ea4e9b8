"""The training controller: starts a worker thread on a copy of the project and brings the results back.

Training works on a copy of the project taken when Start is pressed, so the
canvas stays editable and the worker never reads what the GUI thread is
changing. When the run ends, the trained weights, the fitted normaliser and
the curves are put into the real project (on the GUI thread), and the window
learns that the project has unsaved changes.

Python's cyclic garbage collector runs in whichever thread happens to
allocate. Run in a training thread, it may free Qt objects (of windows
closed earlier, of plots), and that deadlocks: the GUI thread holds the
interpreter while it waits for a lock of Qt's, which the training thread
holds while it waits for the interpreter. So while any training thread runs,
automatic collection is off and the controller collects on the GUI thread
instead, as pyqtgraph's GarbageCollector does for whole applications.
"""

from __future__ import annotations

import copy
import gc
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..engine.session import SessionError, TrainingSession
from ..graph import Project, graph_from_data, graph_to_data
from .workers import Snapshot, TrainingWorker

COLLECT_MS = 1000
_collection = {"threads": 0, "was_enabled": True}  # training threads running in this process, and gc's state


def _hold_collection() -> None:
    """Turn automatic garbage collection off while a training thread runs (see the module's notes)."""
    if _collection["threads"] == 0:
        _collection["was_enabled"] = gc.isenabled()
        gc.disable()
    _collection["threads"] += 1


def _release_collection() -> None:
    _collection["threads"] -= 1
    if _collection["threads"] == 0 and _collection["was_enabled"]:
        gc.enable()


def collect_garbage() -> None:
    """What the collector would have done by itself: the oldest generation whose count, and every younger
    one's, passed its threshold."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    due = [g for g in range(3) if all(counts[i] > thresholds[i] for i in range(g + 1))]
    if due:
        gc.collect(due[-1])


def project_copy(project: Project) -> Project:
    """A copy the worker may own: the graph rebuilt from its data, settings and weights copied."""
    return Project(
        graph=graph_from_data(graph_to_data(project.graph)),
        dataset=copy.deepcopy(project.dataset),
        training=copy.deepcopy(project.training),
        weights={k: v.copy() for k, v in (project.weights or {}).items()} or None,
        history=copy.deepcopy(project.history),
        title=project.title,
    )


class _Runner(QObject):
    """Lives in the worker thread: prepares the session there (loading data may take a while), then trains."""

    ready = Signal(object)  # TrainingSession
    snapshot = Signal(object)
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, project: Project, project_dir: Path | None, epochs: int | None, paused: bool) -> None:
        super().__init__()
        self.project, self.project_dir, self.epochs, self.paused = project, project_dir, epochs, paused
        self.worker: TrainingWorker | None = None
        self.initial_weights: dict[str, np.ndarray] = {}  # what training starts from, copied before it does
        self.cancelled = False

    @Slot()
    def run(self) -> None:
        try:
            session = TrainingSession.prepare(self.project, self.project_dir)
        except SessionError as error:
            self.failed.emit(str(error))
            return
        self.worker = TrainingWorker(session, self.epochs)
        self.worker.snapshot.connect(self.snapshot)
        self.worker.finished.connect(self.finished)
        self.worker.failed.connect(self.failed)
        self.initial_weights = session.model.get_weights()
        self.worker.window_idle.clear()  # until the window has made its panels for this run and drawn them
        if self.paused:  # before the first batch, which may come before the window hears that we are ready
            self.worker.pause()
        self.ready.emit(session)
        if self.cancelled:
            session.trainer.stop()
        self.worker.run()


class TrainingController(QObject):
    started = Signal(object)  # TrainingSession, once its data is loaded and its model compiled
    snapshot = Signal(object)  # Snapshot
    finished = Signal(object)  # History (after the project holds the results)
    failed = Signal(str)
    state_changed = Signal(str)  # "idle", "preparing", "running", "paused"

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.thread: QThread | None = None
        self.runner: _Runner | None = None
        self.session: TrainingSession | None = None
        self.project: Project | None = None
        self._dataset: dict | None = None  # the project's data set when the run started
        self.state = "idle"
        self.last_snapshot: Snapshot | None = None
        self.initial_weights: dict[str, np.ndarray] = {}  # of the last run, as it started
        self.stopped = False  # the last run was stopped before its last epoch (Stop, or the window closing)
        self._closed = False  # after stop(wait=True): signals still queued from the worker are dropped
        self._collector = QTimer(self)  # collects garbage on this thread while training runs
        self._collector.setInterval(COLLECT_MS)
        self._collector.timeout.connect(collect_garbage)

    def _set_state(self, state: str) -> None:
        self.state = state
        self.state_changed.emit(state)

    @property
    def busy(self) -> bool:
        return self.state != "idle"

    def start(self, project: Project, project_dir: Path | None, epochs: int | None = None,
              paused: bool = False) -> None:
        if self.busy:
            return
        self.project = project
        self._dataset = copy.deepcopy(project.dataset)  # as the run takes it
        self.session = None
        self.stopped = False
        self._closed = False
        self.thread = QThread()
        self.runner = _Runner(project_copy(project), project_dir, epochs, paused)
        self.runner.moveToThread(self.thread)
        self.thread.started.connect(self.runner.run)
        self.runner.ready.connect(self._ready)  # a method of ours, not a lambda, to run on this thread
        self.runner.snapshot.connect(self._snapshot)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self._set_state("preparing")
        _hold_collection()
        self._collector.start()
        self.thread.start()

    def _ready(self, session: TrainingSession) -> None:
        if self._closed:
            return
        self.session = session
        self.initial_weights = self.runner.initial_weights
        self._set_state("paused" if self.runner.paused else "running")
        self.started.emit(session)

    def _snapshot(self, snapshot: Snapshot) -> None:
        if self._closed:
            return
        self.last_snapshot = snapshot
        self.snapshot.emit(snapshot)

    def _finished(self, history) -> None:
        if self._closed:
            return
        self.session.store(history)
        self.project.weights = self.session.project.weights
        if self.project.dataset == self._dataset:  # not over another data set chosen while the run went on
            self.project.dataset = self.session.project.dataset  # with the normaliser the run fitted
        self.project.history = self.session.project.history
        self._end()
        self.finished.emit(history)

    def _failed(self, message: str) -> None:
        if self._closed:
            return
        if self.session is not None:  # keep the last good weights, as the engine left them
            self.project.weights = self.session.model.get_weights()
        self._end()
        self.failed.emit(message)

    def _end(self) -> None:
        """Wait for the thread to end and let it and its runner go, then collect garbage again, in that order:
        PySide may collect garbage inside a Qt object's destructor, and a collection there that deletes other
        Qt objects waits for locks the destructor holds: the window hung for good."""
        thread, runner = self.thread, self.runner
        self.thread = self.runner = None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()  # after the queued signals it sent (its `finished`) have been delivered
            del thread, runner  # their destructors run while automatic collection is still off
            self._collector.stop()
            _release_collection()
            collect_garbage()  # here, between events, rather than in the next destructor that allocates
        self._set_state("idle")

    @property
    def worker(self) -> TrainingWorker | None:
        """The run's worker, once its thread has made it (before the window may have heard that the run began)."""
        return self.runner.worker if self.runner is not None else None

    def release(self) -> None:
        """Let the worker go on: the window has drawn what it sent (it waits after each snapshot, and before a
        run's first batch until the window has made its panels)."""
        if self.worker is not None:
            self.worker.window_idle.set()

    def want_snapshot(self) -> None:
        """Ask the worker for a snapshot after its next batch (the window is ready to draw one)."""
        if self.worker is not None:
            self.worker.want_snapshot()

    def set_inputs(self, **inputs: np.ndarray | None) -> None:
        """Set what the worker runs through the network at snapshot time: `probe`, `grid`, `evaluation`."""
        if self.worker is not None:
            for name, value in inputs.items():
                setattr(self.worker, name, value)

    # --- control ---------------------------------------------------------------------------

    def pause(self) -> None:
        if self.session is not None and self.state == "running":
            self.worker.pause()
            self._set_state("paused")

    def resume(self) -> None:
        if self.session is not None and self.state == "paused":
            self.worker.resume()
            self._set_state("running")

    def step(self) -> None:
        """One batch, then paused."""
        if self.session is not None and self.state in ("paused", "running"):
            self.session.trainer.step()
            self._set_state("paused")

    def stop(self, wait: bool = False) -> None:
        """Stop after the current batch; with `wait`, block until the thread has ended (closing the window)."""
        if self.runner is not None:
            self.stopped = True
            self.runner.cancelled = True  # a runner still preparing stops its trainer as soon as it has one
        self.release()
        if self.worker is not None:  # not self.session: the window may not have heard yet that the run began
            self.worker.trainer.stop()
        if wait and self.thread is not None:
            self._closed = True
            self._end()

    @staticmethod
    def grid_for(points: np.ndarray, resolution: int = 60, margin: float = 0.15) -> tuple[np.ndarray, tuple]:
        """A resolution x resolution grid covering 2-D points with a margin: (grid points, (x range, y range))."""
        low, high = points.min(axis=0), points.max(axis=0)
        pad = (high - low) * margin + 1e-6
        xs = np.linspace(low[0] - pad[0], high[0] + pad[0], resolution)
        ys = np.linspace(low[1] - pad[1], high[1] + pad[1], resolution)
        gx, gy = np.meshgrid(xs, ys)
        return np.column_stack([gx.ravel(), gy.ravel()]).astype(np.float32), ((xs[0], xs[-1]), (ys[0], ys[-1]))
