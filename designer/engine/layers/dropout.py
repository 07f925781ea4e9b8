"""Inverted dropout: in training, zero a fraction `rate` of values and scale the rest by 1/(1 - rate).

Evaluation then needs no rescaling, so it is the identity.
"""

from __future__ import annotations

import numpy as np

from .base import Layer, LayerSetup


class Dropout(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        self.rate = setup.params["rate"]
        self.rng = setup.rng
        self.mask: np.ndarray | None = None

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        if not training or self.rate == 0:
            self.mask = None
            return x
        keep = 1.0 - self.rate
        self.mask = (self.rng.random(x.shape, dtype=np.float32) < keep).astype(x.dtype) / x.dtype.type(keep)
        return x * self.mask

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        return [dout if self.mask is None else dout * self.mask]
