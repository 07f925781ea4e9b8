"""SimpleRNN, the Elman layer: h_t = tanh(x_t W + h_(t-1) U + b), h_0 = 0.

Inputs are (N, T, F) batches. The output is the last hidden state (N, units),
or every hidden state (N, T, units) with return_sequences. Backpropagation
through time walks the steps backwards, carrying the gradient of the hidden
state from each step to the one before. PyTorch's nn.RNN keeps two biases
(b_ih + b_hh); their sum is our b. Weights start as PyTorch's do:
U(-1/sqrt(units), 1/sqrt(units)).
"""

from __future__ import annotations

import math

import numpy as np

from .base import Layer, LayerSetup


class SimpleRNN(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        features = setup.in_shapes[0][1]
        units = setup.params["units"]
        self.return_sequences = setup.params["return_sequences"]
        bound = 1.0 / math.sqrt(units)
        rng = setup.rng
        self.W = self.add_weight("W", rng.uniform(-bound, bound, (features, units)), setup.dtype)
        self.U = self.add_weight("U", rng.uniform(-bound, bound, (units, units)), setup.dtype)
        self.b = self.add_weight("b", rng.uniform(-bound, bound, (units,)), setup.dtype)

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        self.x = x
        n, steps, _ = x.shape
        projected = x @ self.W + self.b  # (N, T, units): the input part of every step at once
        self.h = np.zeros((n, steps + 1, self.U.shape[0]), dtype=x.dtype)  # h[:, 0] is h_0
        for t in range(steps):
            self.h[:, t + 1] = np.tanh(projected[:, t] + self.h[:, t] @ self.U)
        return self.h[:, 1:].copy() if self.return_sequences else self.h[:, -1].copy()

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        n, steps, _ = self.x.shape
        dz = np.zeros_like(self.h[:, 1:])  # gradient before tanh, per step
        dh = np.zeros_like(self.h[:, 0])
        for t in reversed(range(steps)):
            if self.return_sequences:
                dh = dh + dout[:, t]
            elif t == steps - 1:
                dh = dh + dout
            h_t = self.h[:, t + 1]
            dz[:, t] = dh * (1 - h_t * h_t)
            dh = dz[:, t] @ self.U.T
        units = self.U.shape[0]
        flat_dz = dz.reshape(-1, units)
        np.matmul(self.x.reshape(-1, self.x.shape[2]).T, flat_dz, out=self.grads["W"])
        np.matmul(self.h[:, :-1].reshape(-1, units).T, flat_dz, out=self.grads["U"])
        flat_dz.sum(axis=0, out=self.grads["b"])
        return [dz @ self.W.T]
