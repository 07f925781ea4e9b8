"""MaxPool2D and AvgPool2D, by looping over the offsets inside a window (see windows.py).

Max pooling keeps, for each window, the index of the first largest value (as
PyTorch does), and its backward pass sends the gradient there only. Average
pooling counts padded zeros in the mean, like PyTorch's default
(count_include_pad=True), so every window divides by k*k.
"""

from __future__ import annotations

import numpy as np

from .base import Layer, LayerSetup
from .windows import offsets, pad, resolve_padding


class _Pool(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        p = setup.params
        self.k = p["pool_size"]
        self.stride = p["stride"] if p["stride"] is not None else self.k
        self.padding = resolve_padding(p["padding"], self.k)
        self.out_hw = setup.out_shape[1:]

    def _gradient_image(self, dout: np.ndarray) -> np.ndarray:
        n, c, h, w = self.in_shape
        return np.zeros((n, c, h + 2 * self.padding, w + 2 * self.padding), dtype=dout.dtype)

    def _unpad(self, image: np.ndarray) -> np.ndarray:
        _, _, h, w = self.in_shape
        p = self.padding
        return image[:, :, p:p + h, p:p + w]


class MaxPool2D(_Pool):
    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        self.in_shape = x.shape
        x = pad(x, self.padding, value=-np.inf)
        out = self.argmax = None
        for i, j, index in offsets(self.k, self.stride, self.out_hw):
            candidate = x[index]
            if out is None:
                out = candidate.copy()
                self.argmax = np.zeros(out.shape, dtype=np.int16)
                continue
            better = candidate > out
            np.copyto(out, candidate, where=better)
            self.argmax[better] = i * self.k + j
        return out

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        image = self._gradient_image(dout)
        for i, j, index in offsets(self.k, self.stride, self.out_hw):
            image[index] += np.where(self.argmax == i * self.k + j, dout, 0)
        return [self._unpad(image)]


class AvgPool2D(_Pool):
    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        x = inputs[0]
        self.in_shape = x.shape
        x = pad(x, self.padding)
        out = np.zeros((x.shape[0], x.shape[1]) + tuple(self.out_hw), dtype=x.dtype)
        for _, _, index in offsets(self.k, self.stride, self.out_hw):
            out += x[index]
        out *= out.dtype.type(1.0 / (self.k * self.k))
        return out

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        image = self._gradient_image(dout)
        share = dout * dout.dtype.type(1.0 / (self.k * self.k))
        for _, _, index in offsets(self.k, self.stride, self.out_hw):
            image[index] += share
        return [self._unpad(image)]
