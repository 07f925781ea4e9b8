"""The offsets inside a sliding window, shared by convolution and pooling.

Convolution and pooling both look at every k x k window of an image. Rather
than loop over windows (pixels) or build a window view, they loop over the
k*k offsets inside a window: for offset (i, j), the strided slice
x[:, :, i::stride, j::stride] (cut to the output size) holds that element of
every window at once. Forward passes read these slices and backward passes
add into them, so the Python loop runs k*k times, not once per pixel.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

Index = tuple[slice, slice, slice, slice]


def offsets(size: int, stride: int, out_hw: tuple[int, int]) -> Iterator[tuple[int, int, Index]]:
    """(i, j, index) for every offset of a size x size window; x[index] is (N, C, Ho, Wo)."""
    ho, wo = out_hw
    for i in range(size):
        for j in range(size):
            yield i, j, (slice(None), slice(None), slice(i, i + stride * ho, stride), slice(j, j + stride * wo, stride))


def pad(x: np.ndarray, padding: int, value: float = 0.0) -> np.ndarray:
    """Pad height and width of an (N, C, H, W) batch on every side."""
    if padding == 0:
        return x
    return np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)), constant_values=value)


def resolve_padding(padding: int | str, size: int) -> int:
    """Pixels of padding for a catalogue value: a number, "valid" (0) or "same" (odd size, stride 1)."""
    if padding == "valid":
        return 0
    if padding == "same":
        return (size - 1) // 2
    return padding
