"""Losses: each returns the mean loss over the batch and its gradient with respect to the network's output.

`cross_entropy` and `binary_cross_entropy` take logits, like PyTorch's
CrossEntropyLoss and BCEWithLogitsLoss: when the network ends in the matching
softmax or sigmoid, the trainer stops the forward pass before it (`fuses`),
so the activation is applied once, inside the loss, where log-sum-exp keeps
it stable. `mse` compares the real output with the target.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .activations import softmax_axis


def _targets_like(y: np.ndarray, output: np.ndarray) -> np.ndarray:
    """Targets shaped like the output: (N,) targets fit an (N, 1) output."""
    y = np.asarray(y, dtype=output.dtype)
    if y.shape != output.shape and y.size == output.size:
        y = y.reshape(output.shape)
    if y.shape != output.shape:
        raise ValueError(
            f"The targets have shape {y.shape[1:]} per sample but the network outputs {output.shape[1:]}; "
            f"make the last layer match the targets."
        )
    return y


def mse(output: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean squared error over every output value (PyTorch's MSELoss, reduction='mean')."""
    diff = output - _targets_like(y, output)
    return float(np.mean(diff * diff)), diff * (2.0 / diff.size)


def binary_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """-[y log s(z) + (1 - y) log(1 - s(z))], written as max(z, 0) - z y + log(1 + e^-|z|) to stay finite."""
    y = _targets_like(y, logits)
    loss = np.maximum(logits, 0) - logits * y + np.log1p(np.exp(-np.abs(logits)))
    sigmoid = np.exp(-np.logaddexp(0, -logits))
    return float(loss.mean()), (sigmoid - y) / logits.size


def cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """-sum(y log softmax(z)) averaged over samples; y is class indices (N,) or one-hot / probabilities (N, C).

    With log softmax(z) = s - log(sum(e^s)) for s = z - max(z), class indices
    need only each sample's s at its class (take_along_axis), never a one-hot
    array; the gradient softmax(z) - one_hot is the softmax with 1 taken off
    at those places.
    """
    axis = softmax_axis(logits.ndim)
    shifted = logits - logits.max(axis=axis, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=axis, keepdims=True)
    grad = exp / total  # the softmax
    samples = logits.size // logits.shape[1]
    y = np.asarray(y)
    if y.shape == logits.shape[:1] + logits.shape[2:] and y.dtype.kind in "iu":
        classes = logits.shape[1]
        if y.size and (y.min() < 0 or y.max() >= classes):
            raise ValueError(
                f"The labels run from {y.min()} to {y.max()}, but the network has {classes} outputs; "
                f"give the last layer one unit per class."
            )
        labels = np.expand_dims(y, 1)  # the class axis, 1, where take_along_axis looks
        loss = (np.log(total) - np.take_along_axis(shifted, labels, axis=1)).sum() / samples
        np.put_along_axis(grad, labels, np.take_along_axis(grad, labels, axis=1) - 1, axis=1)
    else:
        target = _targets_like(y, logits)
        loss = -(target * (shifted - np.log(total))).sum() / samples
        grad -= target
    grad /= samples
    return float(loss), grad


@dataclass(frozen=True)
class Loss:
    name: str
    compute: Callable[[np.ndarray, np.ndarray], tuple[float, np.ndarray]]
    fuses: str | None  # the final activation this loss applies itself
    classification: bool


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss("mse", mse, None, False),
        Loss("binary_cross_entropy", binary_cross_entropy, "sigmoid", True),
        Loss("cross_entropy", cross_entropy, "softmax", True),
    )
}


def get_loss(name: str) -> Loss:
    if name not in LOSSES:
        raise ValueError(f"{name!r} is not a loss NN Designer knows; choose one of {', '.join(LOSSES)}.")
    return LOSSES[name]
