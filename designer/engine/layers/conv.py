"""Conv2D as im2col and one matrix multiply, with PyTorch's weight layout (F, C, k, k).

Every k x k window of every input channel becomes a column of `cols`
(C*k*k rows, Ho*Wo*N columns); the output is W (F, C*k*k) @ cols. The images
are batch-last in memory (see windows.py), and so are the columns: for one
offset, the block of columns to fill is the strided slice of the padded
input, whose contiguous runs are whole rows of windows times the batch
(Wo*N values at stride 1). The product (F, Ho*Wo*N) is then already the
batch-last output. The backward pass multiplies by the transposes and folds
the columns back (col2im) with a loop over the k*k offsets only.
"""

from __future__ import annotations

import numpy as np

from ..initialisers import init_bias, init_weights
from .base import Layer, LayerSetup
from .windows import batch_last, offsets, resolve_padding


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
        """(C*k*k, Ho*Wo*N) columns of a padded batch-last x."""
        n, c = x.shape[:2]
        k = self.k
        ho, wo = self.out_hw
        cols = np.empty((c, k, k, ho, wo, n), dtype=x.dtype)
        for i, j, index in offsets(k, self.stride, self.out_hw):
            cols[:, i, j] = x[index].transpose(1, 2, 3, 0)  # (N, C, Ho, Wo) -> (C, Ho, Wo, N), its memory order
        return cols.reshape(c * k * k, ho * wo * n)

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        self.in_shape = x.shape
        self.cols = self._columns(batch_last(x, self.padding))
        out = self.W.reshape(self.filters, -1) @ self.cols  # (F, Ho*Wo*N)
        if self.b is not None:
            out += self.b[:, None]
        ho, wo = self.out_hw
        return out.reshape(self.filters, ho, wo, x.shape[0]).transpose(3, 0, 1, 2)

    def backward(self, dout: np.ndarray) -> list[np.ndarray | None]:
        n, c, h, w = self.in_shape
        k, p = self.k, self.padding
        ho, wo = self.out_hw
        d2 = dout.transpose(1, 2, 3, 0).reshape(self.filters, -1)  # (F, Ho*Wo*N): no copy when dout is batch-last
        np.matmul(d2, self.cols.T, out=self.grads["W"].reshape(self.filters, -1))
        if self.b is not None:
            d2.sum(axis=1, out=self.grads["b"])
        if not self.input_grad:
            return [None]
        dcols = (self.W.reshape(self.filters, -1).T @ d2).reshape(c, k, k, ho, wo, n)
        dx = np.zeros((c, h + 2 * p, w + 2 * p, n), dtype=dout.dtype).transpose(3, 0, 1, 2)
        for i, j, index in offsets(k, self.stride, self.out_hw):
            dx[index] += dcols[:, i, j].transpose(3, 0, 1, 2)
        return [dx[:, :, p:p + h, p:p + w]]
