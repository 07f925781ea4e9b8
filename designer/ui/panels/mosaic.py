"""Laying many small images (filters, feature maps) out as one image, in a grid with thin gaps; their colour levels;
and ranges and axes that stay still while the values they show move a little.

A plot's axis is drawn again whenever its range changes, and that is most of
what a frame of live training costs; so the panels that follow training show
their values over a steady range, which changes only when the values leave it
or shrink to less than half of it, and their axes (see `steady_axes`) keep
their drawing while their range stays, and their width while their labels
narrow.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtWidgets import QGraphicsItem


def columns_for(count: int) -> int:
    """Columns for a near-square grid of `count` tiles."""
    return max(1, math.ceil(math.sqrt(count)))


def tile(images: np.ndarray, columns: int, gap: int = 1, fill: float = np.nan) -> np.ndarray:
    """Images (n, h, w) as one (rows * (h + gap) - gap, columns * (w + gap) - gap) image, row by row."""
    count, height, width = images.shape
    rows = max(1, math.ceil(count / columns))
    out = np.full((rows * (height + gap) - gap, columns * (width + gap) - gap), fill, dtype=np.float32)
    for index, image in enumerate(images):
        row, column = divmod(index, columns)
        top, left = row * (height + gap), column * (width + gap)
        out[top:top + height, left:left + width] = image
    return out


def value_range(image: np.ndarray, symmetric: bool = False) -> tuple[float, float]:
    """Colour levels spanning the finite values (around zero when `symmetric`), never an empty range."""
    finite = image[np.isfinite(image)]
    if not finite.size:
        return (-1.0, 1.0) if symmetric else (0.0, 1.0)
    if symmetric:
        limit = float(np.abs(finite).max()) or 1.0
        return -limit, limit
    low, high = float(finite.min()), float(finite.max())
    return low, high if high > low else low + 1.0


def steady_range(shown: tuple[float, float] | None, low: float, high: float) -> tuple[float, float]:
    """The range over which to show values from `low` to `high`: `shown` while it holds them and they fill at least
    half of it, else one with a tenth of room to spare on either side."""
    if shown is not None and shown[0] <= low and high <= shown[1] and high - low >= 0.5 * (shown[1] - shown[0]):
        return shown
    room = 0.1 * (high - low) or 0.5 * max(abs(low), 1.0)
    return low - room, high + room


def steady_axes(plot: pg.PlotItem | pg.PlotWidget) -> None:
    """Keep a plot's axes from being drawn again at every frame of live training.

    pyqtgraph draws an axis whenever the view under it changes (a curve's new
    point repaints the axis's ticks, which reach into the view) and fits its
    width to its tick labels, so that a label growing or shrinking by a digit
    lays the whole plot out anew. Each axis here keeps its drawing in a pixmap
    until its range changes, and its width only grows."""
    for name in ("left", "bottom", "right", "top"):
        axis = plot.getAxis(name)
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setStyle(autoReduceTextSpace=False)
