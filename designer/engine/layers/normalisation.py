"""BatchNorm with PyTorch's conventions.

In training, each feature (or channel, over batch, height and width) is
normalised with the batch mean and the biased variance, then scaled by gamma
and shifted by beta; the running estimates move by `momentum` towards the
batch mean and the unbiased variance (n / (n - 1) times the biased one). In
evaluation the running estimates are used instead.
"""

from __future__ import annotations

import numpy as np

from .base import Layer, LayerSetup


class BatchNorm(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        channels = setup.in_shapes[0][0]
        self.momentum, self.eps = setup.params["momentum"], setup.params["eps"]
        self.gamma = self.add_weight("gamma", np.ones(channels), setup.dtype)
        self.beta = self.add_weight("beta", np.zeros(channels), setup.dtype)
        self.state["running_mean"] = np.zeros(channels, dtype=setup.dtype)
        self.state["running_var"] = np.ones(channels, dtype=setup.dtype)

    @staticmethod
    def _axes(x: np.ndarray) -> tuple[int, ...]:
        return (0,) if x.ndim == 2 else (0, 2, 3)

    @staticmethod
    def _per_channel(v: np.ndarray, ndim: int) -> np.ndarray:
        return v if ndim == 2 else v[None, :, None, None]

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        axes = self._axes(x)
        self.training = training
        if training:
            mean = x.mean(axis=axes)
            var = x.var(axis=axes)
            n = x.size // x.shape[1]
            m = self.momentum
            running_mean, running_var = self.state["running_mean"], self.state["running_var"]
            running_mean *= 1 - m
            running_mean += m * mean
            running_var *= 1 - m
            running_var += m * var * (n / max(n - 1, 1))
        else:
            mean, var = self.state["running_mean"], self.state["running_var"]
        self.inv_std = 1.0 / np.sqrt(var + self.eps)
        self.x_hat = (x - self._per_channel(mean, x.ndim)) * self._per_channel(self.inv_std, x.ndim)
        return self.x_hat * self._per_channel(self.gamma, x.ndim) + self._per_channel(self.beta, x.ndim)

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        axes = self._axes(dout)
        ndim = dout.ndim
        dout.sum(axis=axes, out=self.grads["beta"])
        (dout * self.x_hat).sum(axis=axes, out=self.grads["gamma"])
        dx_hat = dout * self._per_channel(self.gamma * self.inv_std, ndim)
        if not self.training:  # the statistics are constants
            return [dx_hat]
        # through the batch mean and variance too: dx = g - mean(g) - x_hat * mean(g * x_hat)
        mean_dx_hat = dx_hat.mean(axis=axes, keepdims=True)
        mean_dx_hat_x_hat = (dx_hat * self.x_hat).mean(axis=axes, keepdims=True)
        return [dx_hat - mean_dx_hat - self.x_hat * mean_dx_hat_x_hat]
