"""MaxPool2D and AvgPool2D, by looping over the offsets inside a window (see windows.py).

Both work on batch-last arrays (see windows.py), the incoming gradient
included, and use whole-array ufuncs only (np.maximum, ==, *, +=): masked
writes (np.copyto with where=, np.where, boolean indexing) branch on every
value and are many times slower when the mask is irregular. When windows do
not overlap (stride >= pool size), the backward pass writes each offset's
share straight into the gradient image instead of adding it.

Max pooling sends each window's gradient to its first largest value in
row-major order, as PyTorch does. The forward pass only takes the maximum
(and keeps its input and output); the backward pass finds the winners again
by walking the offsets in order and marking the windows whose value equals
the maximum and that no earlier offset has claimed. Average pooling counts
padded zeros in the mean, like PyTorch's default (count_include_pad=True),
so every window divides by k*k.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from .base import Layer, LayerSetup
from .windows import Index, batch_last, offsets, resolve_padding


class _Pool(Layer):
    def __init__(self, setup: LayerSetup) -> None:
        super().__init__(setup)
        p = setup.params
        self.k = p["pool_size"]
        self.stride = p["stride"] if p["stride"] is not None else self.k
        self.padding = resolve_padding(p["padding"], self.k)
        self.out_hw = setup.out_shape[1:]

    def _windows(self) -> Iterator[tuple[int, int, Index]]:
        return offsets(self.k, self.stride, self.out_hw)

    def _send(self, image: np.ndarray, index: Index, share: np.ndarray) -> None:
        """Pass one offset's share of the gradient back into the image (of the padded input)."""
        if self.stride >= self.k:  # no overlap: no pixel hears from two windows
            image[index] = share
        else:
            image[index] += share

    def _unpad(self, image: np.ndarray) -> np.ndarray:
        p = self.padding
        return image[:, :, p:image.shape[2] - p, p:image.shape[3] - p]


class MaxPool2D(_Pool):
    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        self.x = x = batch_last(inputs[0], self.padding, value=-np.inf)
        out = None
        for _, _, index in self._windows():
            out = x[index].copy(order="K") if out is None else np.maximum(out, x[index], out=out)
        self.out = out
        return out

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        dout = batch_last(dout)
        image = np.zeros_like(self.x)
        unclaimed = None  # windows whose maximum no earlier offset has taken
        for _, _, index in self._windows():
            winner = self.x[index] == self.out
            if unclaimed is None:
                unclaimed = ~winner
            else:
                winner &= unclaimed
                unclaimed &= ~winner
            self._send(image, index, dout * winner)
        return [self._unpad(image)]


class AvgPool2D(_Pool):
    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        self.x = x = batch_last(inputs[0], self.padding)
        out = None
        for _, _, index in self._windows():
            out = x[index].copy(order="K") if out is None else np.add(out, x[index], out=out)
        out *= out.dtype.type(1.0 / (self.k * self.k))
        return out

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        image = np.zeros_like(self.x)
        share = batch_last(dout) * dout.dtype.type(1.0 / (self.k * self.k))
        for _, _, index in self._windows():
            self._send(image, index, share)
        return [self._unpad(image)]
