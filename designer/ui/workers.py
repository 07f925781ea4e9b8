"""Training off the GUI thread.

A TrainingWorker lives in a QThread and drives a TrainingSession. The
trainer calls back after every batch; the worker turns at most about 30 of
those a second (and every epoch's end) into a Snapshot, a bundle of copies
that the panels may keep, and sends it by a queued signal. The worker never
touches a widget; the window talks to it only through the trainer's
thread-safe stop, pause, resume and step, and through the `probe` and `grid`
inputs it reads at snapshot time.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot

from ..engine import TrainingDiverged
from ..engine.session import TrainingSession

SNAPSHOTS_PER_SECOND = 30
WEIGHT_COPY_LIMIT = 4_000_000  # values; bigger models send no weight copies with each snapshot


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
    weights: dict[str, np.ndarray] = field(default_factory=dict)
    grad_norms: dict[str, float] = field(default_factory=dict)  # per layer name
    activations: dict[str, np.ndarray] = field(default_factory=dict)  # per layer name, for the probe sample
    grid_outputs: np.ndarray | None = None  # the network's outputs over the 2-D grid, when asked


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
        self._last_sent = 0.0
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
        if event.kind != "epoch" and now - self._last_sent < 1.0 / SNAPSHOTS_PER_SECOND and not self.trainer.paused:
            return
        self._last_sent = now
        self.snapshot.emit(self._snapshot(event))

    def _snapshot(self, event) -> Snapshot:
        model = self.session.model
        done = (event.batch + 1) / event.batches
        rate = event.samples_seen / event.elapsed if event.elapsed > 0 else 0.0
        per_epoch = event.elapsed / max(event.epoch + done, 1e-9)
        weights = {}
        if sum(p.size for p in model.params.values()) <= WEIGHT_COPY_LIMIT:
            weights = {k: v.copy() for k, v in model.params.items()}
        activations, grid_outputs = {}, None
        if self.probe is not None:
            model.capture = True
            try:
                model.forward(self.probe)
                activations = {name: out[0].copy() for name, out in model.outputs.items()}
            finally:
                model.capture = False
        if self.grid is not None:
            grid_outputs = model.forward(self.grid).copy()
        return Snapshot(
            epoch=event.epoch, epochs=event.epochs, batch=event.batch, batches=event.batches,
            loss=event.loss, accuracy=event.accuracy, samples_per_second=rate,
            seconds_left=(event.epochs - event.epoch - done) * per_epoch, epoch_end=event.kind == "epoch",
            history={k: list(v) for k, v in self._history.items()}, weights=weights,
            grad_norms=layer_grad_norms(self.session), activations=activations, grid_outputs=grid_outputs,
        )
