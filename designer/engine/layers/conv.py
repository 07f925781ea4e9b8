"""Conv2D as im2col and one matrix multiply, channels-first like PyTorch.

Every k x k window of every input channel becomes a column of `cols`
(C*k*k rows, N*Ho*Wo columns); the output is W (F, C*k*k) @ cols. The columns
are laid out channel-and-offset first and samples-and-pixels last, so the
copy that builds them reads whole image rows at a time. The backward pass
multiplies by the transposes and folds the columns back (col2im) with a loop
over the k*k offsets only.
"""

from __future__ import annotations

import numpy as np

from ..initialisers import init_bias, init_weights
from .base import Layer, LayerSetup
from .windows import offsets, pad, resolve_padding


class Conv2D(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        p = setup.params
        channels = setup.in_shapes[0][0]
        self.filters, self.k, self.stride = p["filters"], p["kernel_size"], p["stride"]
        self.padding = resolve_padding(p["padding"], self.k)
        self.out_hw = setup.out_shape[1:]
        fan_in, fan_out = channels * self.k * self.k, self.filters * self.k * self.k
        shape = (self.filters, channels, self.k, self.k)
        self.W = self.add_weight("W", init_weights(p["init"], shape, fan_in, fan_out, setup.rng), setup.dtype)
        self.b = None
        if p["use_bias"]:
            self.b = self.add_weight("b", init_bias(p["init"], (self.filters,), fan_in, setup.rng), setup.dtype)

    def _columns(self, x: np.ndarray) -> np.ndarray:
        n, c, h, w = x.shape
        k = self.k
        ho, wo = self.out_hw
        x = pad(x, self.padding)
        cols = np.empty((c, k, k, n, ho, wo), dtype=x.dtype)
        for i, j, index in offsets(k, self.stride, self.out_hw):
            cols[:, i, j] = x[index].transpose(1, 0, 2, 3)  # (N, C, Ho, Wo) -> (C, N, Ho, Wo)
        return cols.reshape(c * k * k, n * ho * wo)

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        self.in_shape = x.shape
        self.cols = self._columns(x)
        out = self.W.reshape(self.filters, -1) @ self.cols  # (F, N*Ho*Wo)
        if self.b is not None:
            out += self.b[:, None]
        ho, wo = self.out_hw
        return out.reshape(self.filters, x.shape[0], ho, wo).transpose(1, 0, 2, 3)

    def backward(self, dout: np.ndarray) -> list[np.ndarray | None]:
        n, c, h, w = self.in_shape
        k, p = self.k, self.padding
        ho, wo = self.out_hw
        d2 = dout.transpose(1, 0, 2, 3).reshape(self.filters, -1)  # (F, N*Ho*Wo)
        np.matmul(d2, self.cols.T, out=self.grads["W"].reshape(self.filters, -1))
        if self.b is not None:
            d2.sum(axis=1, out=self.grads["b"])
        if not self.input_grad:
            return [None]
        dcols = (self.W.reshape(self.filters, -1).T @ d2).reshape(c, k, k, n, ho, wo)
        dx = np.zeros((c, n, h + 2 * p, w + 2 * p), dtype=dout.dtype)
        for i, j, index in offsets(k, self.stride, self.out_hw):
            dx[index] += dcols[:, i, j]
        return [dx[:, :, p:p + h, p:p + w].transpose(1, 0, 2, 3)]
