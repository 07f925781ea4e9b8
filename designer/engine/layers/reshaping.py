"""Layers that only change the shape of each sample: Flatten and Reshape."""

from __future__ import annotations

import numpy as np

from .base import Layer, LayerSetup


class Reshape(Layer):
    """Flatten is a Reshape to (features,); the target shape comes from shape inference."""

    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        self.out_shape = setup.out_shape

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        self.in_shape = inputs[0].shape
        return inputs[0].reshape((inputs[0].shape[0],) + self.out_shape)

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        return [dout.reshape(self.in_shape)]
