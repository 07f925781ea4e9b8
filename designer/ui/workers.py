"""Training off the GUI thread.

A TrainingWorker lives in a QThread and drives a TrainingSession. The
trainer calls back after every batch and every epoch; the worker turns one
of those into a Snapshot, a bundle of copies that the panels may keep, only
when the window asks for one (`want_snapshot`: it is ready to draw a frame,
at most 15 times a second) or when training pauses, and sends it by a
queued signal, so that a network whose epochs last a millisecond does not
flood the window and nothing is worked out that is not drawn. The weights at
the end of every epoch are copied all the same (for the timeline) and travel
with the next snapshot; when the run ends, a last snapshot takes along those
not sent yet.

The worker never touches a widget; the window talks to it only through the
trainer's thread-safe stop and step, its own pause and resume (which pause
the trainer from the worker's thread, right after a batch, so that the
snapshot of that batch is sent and a paused window shows where training
stands), `want_snapshot`, and through the `probe`, `grid` and `evaluation`
inputs it reads at snapshot time (see `look`): the evaluation samples at the
first snapshot after an epoch's end. Looking at those takes at most a tenth
of the worker's time: beyond that, snapshots go without.

A small network trains in Python more than in NumPy, so the worker holds the
interpreter nearly all the time, while the GUI thread needs it for every
widget it paints (PySide looks for Python overrides each time, and keeps the
interpreter through every call into Qt it makes) and for every signal it
takes in: a window could take seconds to paint, and each time the GUI thread
waits for the interpreter costs the worker too (see `_make_way`). So after
sending a snapshot the worker waits, after its next batch, until the window
has drawn it (`window_idle`, which the window sets), and it waits the same
way before its first batch until the window has made its panels for the run
(which, like loading the data, comes before the run's clock starts); between
frames it lets the GUI thread have the interpreter for a moment every 20 ms,
and for longer while the window is busy. The window does not tell the
worker by a timer that it is alive: 50 heartbeats a second slowed training
by a tenth.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..engine import Model, TrainingDiverged
from ..engine.session import TrainingSession

WEIGHT_COPY_LIMIT = 4_000_000  # values; bigger models send no weight copies with each snapshot
MAX_EVALUATION = 1000  # samples whose outputs are sent at an epoch's end (for the confusion matrix)
MAX_NEURON_MAPS = 64  # hidden units whose outputs over the grid are sent: small dense networks only
LOOK_BATCH = 256
LOOK_SHARE = 0.1  # of the worker's time, at most, goes into looking at the probe, grid and evaluation
YIELD_EVERY = 0.020  # seconds of training, after which the worker lets the GUI thread have the interpreter
GLIMPSE = 0.0002  # seconds it lets it go for, long enough for a GUI thread waiting for it to take it
WINDOW_BUSY = 0.001  # seconds since the last look in which the worker did not run: the window is busy
YIELD_FOR = 0.001  # seconds it lets the interpreter go for while the window is busy
LONGEST_WAIT = 1.0  # seconds the worker waits for the window to draw, at most


@dataclass(frozen=True)
class Snapshot:
    """What the panels show of one moment of training; every array is a copy."""

    epoch: int  # from 0
    epochs: int
    batch: int  # from 0
    batches: int
    loss: float
    accuracy: float | None
    samples_per_second: float
    seconds_left: float
    epoch_end: bool
    history: dict[str, list] = field(default_factory=dict)
    weights: dict[str, np.ndarray] = field(default_factory=dict)  # at an epoch's end: all of them, state too
    epoch_weights: dict[int, dict[str, np.ndarray]] = field(default_factory=dict)  # by epoch, since the last one
    grad_norms: dict[str, float] = field(default_factory=dict)  # per layer name
    activations: dict[str, np.ndarray] = field(default_factory=dict)  # per layer name, for the probe sample
    grid_outputs: np.ndarray | None = None  # the network's outputs over the 2-D grid, when asked
    grid_activations: dict[str, np.ndarray] = field(default_factory=dict)  # hidden layers' outputs over the grid
    evaluation_outputs: np.ndarray | None = None  # the network's outputs for the evaluation samples


def look(model: Model, probe: np.ndarray | None = None, grid: np.ndarray | None = None,
         evaluation: np.ndarray | None = None) -> dict[str, Any]:
    """What the panels see of `model`: the Snapshot fields activations, grid_outputs, grid_activations and
    evaluation_outputs, for the inputs given (copies; a field whose input is None is left out)."""
    views: dict[str, Any] = {}
    with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
        if probe is not None:
            views["activations"] = {name: out[0].copy() for name, out in _captured(model, probe).items()}
        if grid is not None:
            outputs = _captured(model, grid)
            views["grid_outputs"] = outputs.pop(model.output_node.name).copy()
            outputs.pop(model.input_node.name)
            hidden = {name: out for name, out in outputs.items() if out.ndim == 2}
            small = sum(out.shape[1] for out in hidden.values()) <= MAX_NEURON_MAPS
            views["grid_activations"] = {name: out.copy() for name, out in hidden.items()} if small else {}
        if evaluation is not None:
            parts = [model.forward(evaluation[i:i + LOOK_BATCH]) for i in range(0, len(evaluation), LOOK_BATCH)]
            views["evaluation_outputs"] = np.concatenate(parts) if parts else None
    return views


def _captured(model: Model, X: np.ndarray) -> dict[str, np.ndarray]:
    """Every layer's output for the batch X, by layer name."""
    model.capture = True
    try:
        model.forward(X)
        return dict(model.outputs)
    finally:
        model.capture = False


class TrainingWorker(QObject):
    snapshot = Signal(object)  # Snapshot
    finished = Signal(object)  # History
    failed = Signal(str)  # one sentence

    def __init__(self, session: TrainingSession, epochs: int | None = None) -> None:
        super().__init__()
        self.session = session
        self.epochs = epochs
        self.probe: np.ndarray | None = None  # one sample (with its batch axis) whose activations to show
        self.grid: np.ndarray | None = None  # (points, 2) inputs over which to show the outputs
        self.evaluation: np.ndarray | None = None  # up to MAX_EVALUATION samples whose outputs to show
        self._wanted = False  # the window is ready to draw a snapshot
        self._next_check = 0.0  # before this time a batch's end needs nothing unless asked for (see _on_event)
        self._epoch_ended = False  # since the last snapshot that looked at the evaluation samples
        self._epoch_weights: dict[int, dict[str, np.ndarray]] = {}  # not sent yet
        self._last_epoch = None  # the last epoch event
        self._started = time.perf_counter()
        self._looking = 0.0  # seconds spent in look
        self._clock = (0.0, 0.0)  # wall and this thread's processor time at the last look at the window
        self._pause_wanted = False
        self._pausing = threading.Lock()
        self.window_idle = threading.Event()  # cleared while the window draws: the worker waits after a batch
        self.window_idle.set()
        earlier = session.project.history or {}  # the curves of the runs before, which this one goes on
        self._history = {key: list(values) for key, values in earlier.items()}  # per epoch, and this run's since
        self._epochs = len(earlier.get("loss") or [])  # epochs the history holds

    @property
    def trainer(self):
        return self.session.trainer

    @Slot()
    def run(self) -> None:
        self.window_idle.wait(LONGEST_WAIT)  # the window may be making its panels for this run (see _Runner.run)
        self._started = time.perf_counter()
        self._clock = (self._started, time.thread_time())
        try:
            history = self.session.run(self.epochs, callbacks=[self._on_event])
        except TrainingDiverged as error:
            self._send_the_rest()
            self.failed.emit(str(error))
            return
        except (ValueError, ArithmeticError) as error:  # a data or shape fault the checks did not foresee
            self.failed.emit(f"Training stopped: {error}")
            return
        self._send_the_rest()
        self.finished.emit(history)

    def want_snapshot(self) -> None:
        """Send a snapshot after the batch under way (from any thread): the window is ready to draw it."""
        self._wanted = True

    def pause(self) -> None:
        """Pause after the batch under way (from any thread)."""
        self._pause_wanted = True

    def resume(self) -> None:
        with self._pausing:
            self._pause_wanted = False
            self.trainer.resume()

    def _on_event(self, event) -> None:
        """After every batch and epoch. Most batches only pass by: a small network runs tens of thousands a
        second, so until a snapshot is asked for or a look at the window is due the test is one clock reading."""
        now = time.perf_counter()
        if now >= self._next_check:
            self._make_way(now)
        if (event.kind == "batch" and not (self._wanted or self._pause_wanted or self.trainer.paused)
                and self.window_idle.is_set()):
            return
        if not self.window_idle.is_set():
            self.window_idle.wait(LONGEST_WAIT)
            self._clock = (time.perf_counter(), time.thread_time())
        with self._pausing:
            if self._pause_wanted:
                self._pause_wanted = False
                self.trainer.pause()
        if event.kind == "epoch":
            for key, value in event.metrics.items():
                if key not in self._history:  # a curve that begins late: no value for the epochs before
                    self._history[key] = [None] * self._epochs
                self._history[key].append(value)
            self._epochs += 1
            for values in self._history.values():
                if len(values) < self._epochs:  # a curve of the runs before that this one has not
                    values.append(None)
            self._epoch_weights[event.epoch] = self.session.model.get_weights()
            self._last_epoch = event
            self._epoch_ended = True
        if not (self._wanted or self.trainer.paused):
            return
        self._wanted = False
        self.window_idle.clear()  # the window draws it: wait after the next batch until it has
        self.snapshot.emit(self._snapshot(event))

    def _make_way(self, now: float) -> None:
        """Every YIELD_EVERY, let the GUI thread have the interpreter: for a glimpse, or, if it took it since the
        last time (time went by in which this thread did not run), for longer, for it is busy (with a paint, a
        click, a dialog) and needs it again and again.

        The interpreter's own switching does not see to this: NumPy lets go of the interpreter and takes it back
        so often that a thread waiting for it wakes up, finds it taken again, and waits on, for as long as
        the worker trains."""
        busy = (now - self._clock[0]) - (time.thread_time() - self._clock[1]) > WINDOW_BUSY
        pause = YIELD_FOR if busy else GLIMPSE
        time.sleep(pause)
        self._clock = (now + pause, time.thread_time())  # a sleep that lasted longer: the window took the interpreter
        self._next_check = now + pause + YIELD_EVERY

    def _send_the_rest(self) -> None:
        """After the run: send the epochs' weights that have not gone with a snapshot yet."""
        if self._epoch_weights:
            self.snapshot.emit(self._snapshot(self._last_epoch))

    def _snapshot(self, event) -> Snapshot:
        """This moment, with what the panels see of the probe and the grid (and after an epoch's end, of the
        evaluation samples), and the weights of the epochs that ended since the last snapshot."""
        model = self.session.model
        done = (event.batch + 1) / event.batches
        rate = event.samples_seen / event.elapsed if event.elapsed > 0 else 0.0
        per_epoch = event.elapsed / max(event.epoch + done, 1e-9)
        epoch_weights, self._epoch_weights = self._epoch_weights, {}
        if event.kind == "epoch":
            weights = epoch_weights[event.epoch]
        elif sum(p.size for p in model.params.values()) <= WEIGHT_COPY_LIMIT:
            weights = {k: v.copy() for k, v in model.params.items()}
        else:
            weights = {}
        views = {}
        start = time.perf_counter()
        if self._looking <= LOOK_SHARE * (start - self._started):
            views = look(model, self.probe, self.grid, self.evaluation if self._epoch_ended else None)
            self._epoch_ended = False
            self._looking += time.perf_counter() - start
        return Snapshot(
            epoch=event.epoch, epochs=event.epochs, batch=event.batch, batches=event.batches,
            loss=event.loss, accuracy=event.accuracy, samples_per_second=rate,
            seconds_left=(event.epochs - event.epoch - done) * per_epoch, epoch_end=event.kind == "epoch",
            history={key: values.copy() for key, values in self._history.items()}, weights=weights,
            epoch_weights=epoch_weights, grad_norms=model.grad_norms(), **views,
        )
