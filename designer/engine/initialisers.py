"""How weights start: PyTorch's defaults, Glorot (Xavier), He (Kaiming) and zeros.

`fan_in` and `fan_out` count the connections into and out of one unit:
Dense (in, out) has fan_in = in; Conv2D (out, in, kh, kw) has fan_in = in*kh*kw
and fan_out = out*kh*kw. PyTorch's default for Linear and Conv2d draws weights
and biases from U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
"""

from __future__ import annotations

import math

import numpy as np


def _uniform(rng: np.random.Generator, bound: float, shape: tuple[int, ...]) -> np.ndarray:
    return rng.uniform(-bound, bound, size=shape)


def init_weights(
    name: str, shape: tuple[int, ...], fan_in: int, fan_out: int, rng: np.random.Generator
) -> np.ndarray:
    """Weights of `shape` drawn by the initialiser called `name` (float64; the model casts them)."""
    if name == "default":
        return _uniform(rng, 1.0 / math.sqrt(fan_in), shape)
    if name == "glorot_uniform":
        return _uniform(rng, math.sqrt(6.0 / (fan_in + fan_out)), shape)
    if name == "glorot_normal":
        return rng.normal(0.0, math.sqrt(2.0 / (fan_in + fan_out)), size=shape)
    if name == "he_uniform":
        return _uniform(rng, math.sqrt(6.0 / fan_in), shape)
    if name == "he_normal":
        return rng.normal(0.0, math.sqrt(2.0 / fan_in), size=shape)
    if name == "zeros":
        return np.zeros(shape)
    raise ValueError(f"{name!r} is not an initialiser NN Designer knows.")


def init_bias(name: str, shape: tuple[int, ...], fan_in: int, rng: np.random.Generator) -> np.ndarray:
    """Biases: PyTorch's default draws them like the weights; every other initialiser starts them at 0."""
    if name == "default":
        return _uniform(rng, 1.0 / math.sqrt(fan_in), shape)
    return np.zeros(shape)
