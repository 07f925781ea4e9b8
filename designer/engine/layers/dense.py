"""Dense: y = x W + b, with W of shape (in, out) as in DESIGN.md (PyTorch's Linear stores W transposed)."""

from __future__ import annotations

import numpy as np

from ..initialisers import init_bias, init_weights
from .base import Layer, LayerSetup


class Dense(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        (n_in,), units = setup.in_shapes[0], setup.params["units"]
        init = setup.params["init"]
        self.W = self.add_weight("W", init_weights(init, (n_in, units), n_in, units, setup.rng), setup.dtype)
        self.b = None
        if setup.params["use_bias"]:
            self.b = self.add_weight("b", init_bias(init, (units,), n_in, setup.rng), setup.dtype)

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        self.x = inputs[0]
        out = self.x @ self.W
        if self.b is not None:
            out += self.b
        return out

    def backward(self, dout: np.ndarray) -> list[np.ndarray | None]:
        np.matmul(self.x.T, dout, out=self.grads["W"])
        if self.b is not None:
            dout.sum(axis=0, out=self.grads["b"])
        if not self.input_grad:  # a first layer: skip the gradient for the data, a third of the work
            return [None]
        return [dout @ self.W.T]
