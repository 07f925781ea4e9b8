"""Layers that join several inputs: Add (element-wise sum) and Concat (along features or channels)."""

from __future__ import annotations

import numpy as np

from .base import Layer, LayerSetup


class Add(Layer):
    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        self.count = len(inputs)
        out = inputs[0].copy()
        for x in inputs[1:]:
            out += x
        return out

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        return [dout] * self.count


class Concat(Layer):
    """Joins on the first per-sample axis, which is axis 1 of a batch."""

    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        self.splits = np.cumsum([shape[0] for shape in setup.in_shapes])[:-1]

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        return np.concatenate(inputs, axis=1)

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        return np.split(dout, self.splits, axis=1)
