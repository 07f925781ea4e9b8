"""Activation functions and their derivatives.

Each function maps pre-activations z to outputs a; each backward takes the
gradient with respect to a and returns it with respect to z, using whichever
of z and a makes the derivative cheapest (sigmoid' = a(1 - a), tanh' = 1 - a^2).
Softmax runs over the feature axis: the last one, or the channel axis (1) of
images, as PyTorch's Softmax(dim=1) on (N, C, H, W).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np


def softmax_axis(ndim: int) -> int:
    return 1 if ndim == 4 else -1


def _sigmoid(z: np.ndarray) -> np.ndarray:
    # exp of a negative number only, so no overflow for large |z|
    out = np.empty_like(z)
    positive = z >= 0
    out[positive] = 1.0 / (1.0 + np.exp(-z[positive]))
    e = np.exp(z[~positive])
    out[~positive] = e / (1.0 + e)
    return out


def _leaky_relu(z: np.ndarray, slope: float) -> np.ndarray:
    # max(z, 0) + slope * min(z, 0) rather than np.where(z > 0, z, slope * z): np.where branches
    # on every value and is several times slower when the signs are mixed, as they are here
    return np.maximum(z, 0) + np.asarray(slope, z.dtype) * np.minimum(z, 0)


def _leaky_relu_backward(da: np.ndarray, z: np.ndarray, a: np.ndarray, slope: float) -> np.ndarray:
    dz = da * (z > 0)  # the same trick: masks as 0/1 factors, exact, no np.where
    dz += (np.asarray(slope, da.dtype) * da) * (z <= 0)
    return dz


def _softmax(z: np.ndarray) -> np.ndarray:
    axis = softmax_axis(z.ndim)
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def _softmax_backward(da: np.ndarray, z: np.ndarray, a: np.ndarray, slope: float) -> np.ndarray:
    axis = softmax_axis(a.ndim)
    return a * (da - (da * a).sum(axis=axis, keepdims=True))


@dataclass(frozen=True)
class ActivationFunction:
    name: str
    forward: Callable[[np.ndarray, float], np.ndarray]
    backward: Callable[[np.ndarray, np.ndarray, np.ndarray, float], np.ndarray]  # (da, z, a, slope) -> dz


ACTIVATIONS: dict[str, ActivationFunction] = {
    f.name: f
    for f in (
        ActivationFunction("linear", lambda z, s: z, lambda da, z, a, s: da),
        ActivationFunction("relu", lambda z, s: np.maximum(z, 0), lambda da, z, a, s: da * (z > 0)),
        ActivationFunction("leaky_relu", _leaky_relu, _leaky_relu_backward),
        ActivationFunction("sigmoid", lambda z, s: _sigmoid(z), lambda da, z, a, s: da * a * (1 - a)),
        ActivationFunction("tanh", lambda z, s: np.tanh(z), lambda da, z, a, s: da * (1 - a * a)),
        ActivationFunction("softmax", lambda z, s: _softmax(z), _softmax_backward),
    )
}
