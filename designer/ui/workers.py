"""Training off the GUI thread.

A TrainingWorker lives in a QThread and drives a TrainingSession. The
trainer calls back after every batch; the worker turns at most about 30 of
those a second (and every epoch's end) into a Snapshot, a bundle of copies
that the panels may keep, and sends it by a queued signal. The worker never
touches a widget; the window talks to it only through the trainer's
thread-safe stop, pause, resume and step, and through the `probe`, `grid`
and `evaluation` inputs it reads at snapshot time. What the panels see of
those inputs (`look`) is worked out at most about 30 times a second too, so
an epoch that lasts a millisecond costs only its weights' copy.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..engine import Model, TrainingDiverged
from ..engine.session import TrainingSession

SNAPSHOTS_PER_SECOND = 30
WEIGHT_COPY_LIMIT = 4_000_000  # values; bigger models send no weight copies with each snapshot
MAX_EVALUATION = 1000  # samples whose outputs are sent at an epoch's end (for the confusion matrix)
MAX_NEURON_MAPS = 64  # hidden units whose outputs over the grid are sent: small dense networks only
LOOK_BATCH = 256


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
            if sum(out.shape[1] for out in hidden.values()) <= MAX_NEURON_MAPS:
                views["grid_activations"] = {name: out.copy() for name, out in hidden.items()}
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


def layer_grad_norms(session: TrainingSession) -> dict[str, float]:
    """The L2 norm of each layer's gradients after the last batch."""
    norms: dict[str, float] = {}
    for key, grad in session.model.grads.items():
        layer = key.rsplit(".", 1)[0]
        norms[layer] = norms.get(layer, 0.0) + float(np.vdot(grad, grad))
    return {layer: math.sqrt(total) for layer, total in norms.items()}


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
        self._last_sent = 0.0
        self._last_epoch_looked_at = 0.0
        self._history = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}

    @property
    def trainer(self):
        return self.session.trainer

    @Slot()
    def run(self) -> None:
        try:
            history = self.session.run(self.epochs, callbacks=[self._on_event])
        except TrainingDiverged as error:
            self.failed.emit(str(error))
            return
        except (ValueError, ArithmeticError) as error:  # a data or shape fault the checks did not foresee
            self.failed.emit(f"Training stopped: {error}")
            return
        self.finished.emit(history)

    def _on_event(self, event) -> None:
        if event.kind == "epoch":
            for key in self._history:
                self._history[key].append(event.metrics.get(key))
        now = time.monotonic()
        period = 1.0 / SNAPSHOTS_PER_SECOND
        due = now - self._last_sent >= period or self.trainer.paused
        if event.kind == "epoch":  # always sent (for the curves and the timeline); looked at on a clock of its own
            due = now - self._last_epoch_looked_at >= period or self.trainer.paused
            if due:
                self._last_epoch_looked_at = now
        elif not due:
            return
        else:
            self._last_sent = now
        self.snapshot.emit(self._snapshot(event, due))

    def _snapshot(self, event, with_views: bool) -> Snapshot:
        """The snapshot of this moment; `with_views` adds what the panels see of the probe, grid and evaluation."""
        model = self.session.model
        done = (event.batch + 1) / event.batches
        rate = event.samples_seen / event.elapsed if event.elapsed > 0 else 0.0
        per_epoch = event.elapsed / max(event.epoch + done, 1e-9)
        weights = {}
        if event.kind == "epoch":
            weights = model.get_weights()
        elif sum(p.size for p in model.params.values()) <= WEIGHT_COPY_LIMIT:
            weights = {k: v.copy() for k, v in model.params.items()}
        views = {}
        if with_views:
            views = look(model, self.probe, self.grid, self.evaluation if event.kind == "epoch" else None)
        return Snapshot(
            epoch=event.epoch, epochs=event.epochs, batch=event.batch, batches=event.batches,
            loss=event.loss, accuracy=event.accuracy, samples_per_second=rate,
            seconds_left=(event.epochs - event.epoch - done) * per_epoch, epoch_end=event.kind == "epoch",
            history={k: list(v) for k, v in self._history.items()}, weights=weights,
            grad_norms=layer_grad_norms(self.session), **views,
        )
