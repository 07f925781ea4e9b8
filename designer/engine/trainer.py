"""The Trainer: mini-batch training of a compiled model, with the events a window needs to animate it.

`fit` shuffles with its own seeded generator, steps the optimiser once per
batch, evaluates on validation data after each epoch and records a History.
Callbacks are plain callables that receive a TrainingEvent after every batch
and every epoch; `stop()`, `pause()` and `resume()` may be called from any
thread (the window's), and take effect between batches.

A loss that becomes NaN or infinite stops training with TrainingDiverged,
whose message says when and what to try; the weights are put back to those
of the last epoch that finished with a finite loss.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

import numpy as np

from .losses import Loss, get_loss
from .model import Model
from .optimizers import make_optimizer
from .schedules import Schedule

EVALUATION_BATCH = 1024
PAUSED_POLL = 0.1  # seconds between looks at `stop` while paused
GRAD_NORM_PREFIX = "grad_norm:"  # history keys of the per-layer gradient norms


class TrainingDiverged(RuntimeError):
    """The loss stopped being a finite number; the message says when and what to try."""


class NonFinite(ArithmeticError):
    """Raised by train_batch ("The loss became NaN"); fit adds when, and turns it into TrainingDiverged."""


@dataclass(frozen=True)
class EarlyStopping:
    """Stop when `monitor` has not improved by `min_delta` for `patience` epochs."""

    monitor: str = "val_loss"  # loss, accuracy, val_loss or val_accuracy
    patience: int = 5
    min_delta: float = 0.0
    restore_best: bool = True

    def better(self, value: float, best: float) -> bool:
        if self.monitor.endswith("accuracy"):
            return value > best + self.min_delta
        return value < best - self.min_delta


@dataclass
class History:
    """Per-epoch records. Accuracies are None for regression; validation values None without validation."""

    loss: list[float] = field(default_factory=list)
    accuracy: list[float | None] = field(default_factory=list)
    val_loss: list[float | None] = field(default_factory=list)
    val_accuracy: list[float | None] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    grad_norms: dict[str, list[float]] = field(default_factory=dict)  # per layer: after each epoch's last batch
    stopped_early: bool = False
    best_epoch: int | None = None  # with early stopping: the epoch whose weights were kept (from 0)

    @property
    def epochs(self) -> int:
        return len(self.loss)

    def last(self) -> dict[str, float | None]:
        """The last epoch's values, keyed as in `to_dict` (after every epoch: it copies no curve)."""
        return {key: values[-1] if values else None for key, values in self._curves().items()}

    def to_dict(self) -> dict[str, list[float | None]]:
        """The curves as a project's history.json keeps them; gradient norms under "grad_norm:<layer name>"."""
        return {key: list(values) for key, values in self._curves().items()}

    def _curves(self) -> dict[str, list[float | None]]:
        curves = {k: getattr(self, k) for k in ("loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds")}
        return curves | {GRAD_NORM_PREFIX + layer: values for layer, values in self.grad_norms.items()}


@dataclass(frozen=True)
class TrainingEvent:
    """What a callback hears: after each batch (kind "batch") and each epoch (kind "epoch")."""

    kind: str
    trainer: Trainer
    epoch: int  # from 0
    epochs: int
    batch: int  # from 0, within the epoch
    batches: int
    loss: float  # of this batch, or of the epoch
    accuracy: float | None
    samples_seen: int
    elapsed: float  # seconds since fit began
    metrics: dict[str, Any] = field(default_factory=dict)  # epoch events: the History's last values

    def weights(self) -> dict[str, np.ndarray]:
        """A copy of the model's weights now (copied only when asked, to keep events cheap)."""
        return self.trainer.model.get_weights()


Callback = Callable[[TrainingEvent], None]


class Trainer:
    def __init__(
        self,
        model: Model,
        loss: str = "mse",
        optimizer: str = "sgd",
        lr: float = 0.01,
        batch_size: int = 32,
        seed: int = 0,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        nesterov: bool = False,
        clip_norm: float | None = None,
        early_stopping: EarlyStopping | None = None,
        schedule: Schedule | None = None,
    ) -> None:
        if batch_size < 1:
            raise ValueError(f"The batch size must be at least 1, not {batch_size}.")
        self.model = model
        self.loss: Loss = get_loss(loss)
        self.optimizer = make_optimizer(optimizer, model.params, model.grads, lr, momentum, nesterov,
                                        weight_decay, clip_norm)
        self.base_lr = lr
        self.batch_size = batch_size
        self.rng = np.random.default_rng(seed)
        self.early_stopping = early_stopping
        self.schedule = schedule or Schedule()
        self._stop = threading.Event()
        self._running = threading.Event()
        self._running.set()
        self._single_step = False  # pause again after the next batch

    # --- control from any thread ------------------------------------------------

    def stop(self) -> None:
        """Finish after the current batch; fit returns the history so far."""
        self._stop.set()
        self._running.set()

    def pause(self) -> None:
        self._running.clear()

    def resume(self) -> None:
        self._single_step = False
        self._running.set()

    def step(self) -> None:
        """While paused: train exactly one more batch, then pause again."""
        self._single_step = True
        self._running.set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    # --- one batch ---------------------------------------------------------------------

    @property
    def fused(self) -> bool:
        """True when the network's final softmax or sigmoid is left to the loss."""
        return self.loss.fuses is not None and self.model.output_activation == self.loss.fuses

    def train_batch(self, X: np.ndarray, y: np.ndarray) -> tuple[float, float | None]:
        """One forward pass, backward pass and optimiser step; returns the batch's loss and accuracy.

        Overflows are expected when training diverges, so NumPy is kept quiet
        about them; a loss or a weight that stops being finite raises NonFinite.
        """
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            output = self.model.forward(X, training=True, logits=self.fused)
            value, grad = self.loss.compute(output, y)
            if not math.isfinite(value):
                raise NonFinite(f"The loss became {'NaN' if math.isnan(value) else 'infinite'}")
            self.model.backward(grad)
            self.optimizer.step()
            if not all(np.isfinite(p).all() for p in self.model.params.values()):
                raise NonFinite("The weights stopped being finite numbers")
            return value, self._accuracy(output, y, logits=self.fused)

    def _accuracy(self, output: np.ndarray, y: np.ndarray, logits: bool) -> float | None:
        """The share of right answers: of argmax over classes for cross-entropy (per pixel for image
        outputs), of each output against 0.5 for binary cross-entropy; None for regression."""
        if not self.loss.classification:
            return None
        y = np.asarray(y)
        if self.loss.fuses == "softmax":
            predicted = output.argmax(axis=1)
            truth = y if y.shape == predicted.shape else y.argmax(axis=1)
        else:
            predicted = output > (0.0 if logits else 0.5)
            truth = y.reshape(output.shape) > 0.5
        return float(np.mean(predicted == truth))

    # --- whole runs -----------------------------------------------------------------------

    def fit(
        self,
        X: np.ndarray,
        y: np.ndarray,
        epochs: int,
        validation: tuple[np.ndarray, np.ndarray] | None = None,
        validation_split: float = 0.0,
        callbacks: Iterable[Callback] = (),
    ) -> History:
        X, y = np.asarray(X), np.asarray(y)
        if len(X) != len(y):
            raise ValueError(f"There are {len(X)} samples but {len(y)} targets; give one target per sample.")
        if len(X) == 0:
            raise ValueError("There is no data to train on.")
        if validation is None and validation_split > 0:
            order = self.rng.permutation(len(X))
            held_out = max(1, int(round(len(X) * validation_split)))
            validation = (X[order[:held_out]], y[order[:held_out]])
            X, y = X[order[held_out:]], y[order[held_out:]]
        try:  # a stop asked for before the run began (by another thread) ends it at once
            return self._run_epochs(X, y, epochs, validation, list(callbacks))
        finally:
            self._stop.clear()  # for the next run

    def _run_epochs(self, X: np.ndarray, y: np.ndarray, epochs: int,
                    validation: tuple[np.ndarray, np.ndarray] | None, callbacks: list[Callback]) -> History:
        history = History()
        batches = math.ceil(len(X) / self.batch_size)
        start = time.perf_counter()
        seen = 0
        best: float | None = None
        best_weights: dict[str, np.ndarray] | None = None
        waited = 0
        for epoch in range(epochs):
            lr = self.schedule.rate(self.base_lr, epoch)
            self.optimizer.lr = lr
            epoch_start = time.perf_counter()
            last_good = self.model.get_weights()
            order = self.rng.permutation(len(X))
            total_loss, total_correct, counted = 0.0, 0.0, 0
            for batch in range(batches):
                while not self._running.wait(PAUSED_POLL) and not self._stop.is_set():
                    pass  # paused; a stop ends the pause whatever came first (a pause asked for after it)
                if self._stop.is_set():
                    return history
                index = order[batch * self.batch_size:(batch + 1) * self.batch_size]
                try:
                    value, accuracy = self.train_batch(X[index], y[index])
                except NonFinite as error:
                    self.model.set_weights(last_good)
                    raise TrainingDiverged(
                        f"{error} at epoch {epoch + 1}, batch {batch + 1}; try a smaller learning rate than {lr:g}."
                    ) from None
                total_loss += value * len(index)
                total_correct += (accuracy or 0.0) * len(index)
                counted += len(index)
                seen += len(index)
                if self._single_step:
                    self._single_step = False
                    self._running.clear()
                self._tell(callbacks, TrainingEvent(
                    "batch", self, epoch, epochs, batch, batches, value, accuracy, seen, time.perf_counter() - start))
            history.loss.append(total_loss / counted)
            history.accuracy.append(total_correct / counted if self.loss.classification else None)
            if validation is not None:
                scores = self.evaluate(*validation)
                history.val_loss.append(scores["loss"])
                history.val_accuracy.append(scores.get("accuracy"))
            else:
                history.val_loss.append(None)
                history.val_accuracy.append(None)
            history.lr.append(lr)
            history.seconds.append(time.perf_counter() - epoch_start)
            for layer, norm in self.model.grad_norms().items():
                history.grad_norms.setdefault(layer, []).append(norm)
            self._tell(callbacks, TrainingEvent(
                "epoch", self, epoch, epochs, batches - 1, batches, history.loss[-1], history.accuracy[-1], seen,
                time.perf_counter() - start, history.last()))
            if self.early_stopping is not None:
                value = self._monitored(history)
                if best is None or self.early_stopping.better(value, best):
                    best, waited, history.best_epoch = value, 0, epoch
                    best_weights = self.model.get_weights() if self.early_stopping.restore_best else None
                else:
                    waited += 1
                    if waited >= self.early_stopping.patience:
                        history.stopped_early = True
                        break
            if self._stop.is_set():
                break
        if best_weights is not None:
            self.model.set_weights(best_weights)
        return history

    def _monitored(self, history: History) -> float:
        name = self.early_stopping.monitor
        values = getattr(history, name, None)
        if values is None or values[-1] is None:
            raise ValueError(f"Early stopping watches {name!r}, which this run does not measure.")
        return values[-1]

    @staticmethod
    def _tell(callbacks: list[Callback], event: TrainingEvent) -> None:
        for callback in callbacks:
            callback(event)

    # --- using a trained model -------------------------------------------------------------

    def predict(self, X: np.ndarray) -> np.ndarray:
        """The network's real outputs (a final softmax or sigmoid applied), in batches."""
        X = np.asarray(X)
        parts = [self.model.forward(X[i:i + EVALUATION_BATCH]) for i in range(0, len(X), EVALUATION_BATCH)]
        return np.concatenate(parts) if parts else np.zeros((0,) + self.model.output_shape, self.model.dtype)

    def evaluate(self, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
        """Loss (and accuracy, for classification) over a data set, without training."""
        with np.errstate(over="ignore", invalid="ignore", divide="ignore", under="ignore"):
            return self._evaluate(np.asarray(X), np.asarray(y))

    def _evaluate(self, X: np.ndarray, y: np.ndarray) -> dict[str, float]:
        total, correct = 0.0, 0.0
        for i in range(0, len(X), EVALUATION_BATCH):
            xb, yb = X[i:i + EVALUATION_BATCH], y[i:i + EVALUATION_BATCH]
            output = self.model.forward(xb, logits=self.fused)
            value, _ = self.loss.compute(output, yb)
            total += value * len(xb)
            accuracy = self._accuracy(output, yb, logits=self.fused)
            correct += (accuracy or 0.0) * len(xb)
        scores = {"loss": total / len(X)}
        if self.loss.classification:
            scores["accuracy"] = correct / len(X)
        return scores
