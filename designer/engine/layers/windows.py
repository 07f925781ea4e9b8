"""The offsets inside a sliding window, and the memory layout, shared by convolution and pooling.

Convolution and pooling both look at every k x k window of an image. Rather
than loop over windows (pixels) or build a window view, they loop over the
k*k offsets inside a window: for offset (i, j), the strided slice
x[:, :, i::stride, j::stride] (cut to the output size) holds that element of
every window at once. Forward passes read these slices and backward passes
add into them, so the Python loop runs k*k times, not once per pixel.

How fast NumPy walks such a slice depends on how long its contiguous runs
are: an (N, C, H, W) array in the usual order has runs of one image row at
most, and of one value when the stride is 2 (a pooling slice). So these
layers keep images in memory as (C, H, W, N), batch last, and hand them on as
(N, C, H, W) views (`batch_last`): then every slice is made of runs of N
values at least, and of Wo * N values when the stride is 1 (a convolution's
columns). Element-wise functions (activations) keep the order of their input
(NumPy's default order "K"), so the batch-last order carries from one layer
to the next, and the gradients, made by zeros_like, follow it back.
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


def batch_last(x: np.ndarray, padding: int = 0, value: float = 0.0) -> np.ndarray:
    """An (N, C, H, W) batch, padded on every side, as a view of a (C, H, W, N) array (x itself if it is one)."""
    n, c, h, w = x.shape
    if padding == 0 and x.transpose(1, 2, 3, 0).flags.c_contiguous:
        return x
    padded = np.full((c, h + 2 * padding, w + 2 * padding, n), value, dtype=x.dtype)
    padded[:, padding:padding + h, padding:padding + w] = x.transpose(1, 2, 3, 0)
    return padded.transpose(3, 0, 1, 2)


def resolve_padding(padding: int | str, size: int) -> int:
    """Pixels of padding for a catalogue value: a number, "valid" (0) or "same" (odd size, stride 1)."""
    if padding == "valid":
        return 0
    if padding == "same":
        return (size - 1) // 2
    return padding
