"""RBF layer: Gaussian units, phi_j(x) = exp(-||x - c_j||^2 / (2 s_j^2)).

Each unit has a centre c_j (a row of `centers`, shape (units, in)) and a
width s_j (`widths`, shape (units,)); both are trained. Centres start spread
uniformly over [-1, 1] (data scaled to about that range suits them) and
widths at 1.
"""

from __future__ import annotations

import numpy as np

from .base import Layer, LayerSetup


class RBF(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        (features,), units = setup.in_shapes[0], setup.params["units"]
        self.centers = self.add_weight("centers", setup.rng.uniform(-1, 1, (units, features)), setup.dtype)
        self.widths = self.add_weight("widths", np.ones(units), setup.dtype)

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        self.x = x
        # ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2, as one matrix multiply
        self.sq_dist = np.maximum(
            (x * x).sum(axis=1, keepdims=True) - 2 * x @ self.centers.T + (self.centers ** 2).sum(axis=1), 0
        )
        self.phi = np.exp(-self.sq_dist / (2 * self.widths ** 2))
        return self.phi

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        g = dout * self.phi  # (N, units)
        inv_var = 1.0 / self.widths ** 2
        # d phi / d c_j = phi (x - c_j) / s^2 ;  d phi / d s_j = phi ||x - c_j||^2 / s^3
        gw = g * inv_var  # (N, units)
        self.grads["centers"][...] = gw.T @ self.x - gw.sum(axis=0)[:, None] * self.centers
        self.grads["widths"][...] = (g * self.sq_dist).sum(axis=0) * inv_var / self.widths
        # d phi / d x = -phi (x - c_j) / s^2
        return [gw @ self.centers - gw.sum(axis=1, keepdims=True) * self.x]
