"""One curve of a training history as an array that grows by the epochs each frame adds.

A history keeps its curves as lists, one value per epoch (None for an epoch
without one). Turning a whole list into an array at every frame costs more
as a run goes on (15 ms a curve at a hundred thousand epochs), so an
EpochValues turns only the epochs past those it holds.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np


class EpochValues:
    def __init__(self) -> None:
        self._values = np.empty(0)
        self.count = 0  # epochs held

    def take(self, values: Sequence[float | None]) -> None:
        """Hold `values`, one per epoch from epoch 1: the epochs past those held are added, for the same curve
        grown; a shorter one is taken afresh (`clear` first for another curve of any length)."""
        if len(values) < self.count:
            self.clear()
        if len(values) > len(self._values):
            grown = np.empty(max(len(values), 2 * len(self._values), 64))
            grown[:self.count] = self._values[:self.count]
            self._values = grown
        self._values[self.count:len(values)] = np.array(values[self.count:], dtype=np.float64)  # None is NaN
        self.count = len(values)

    def clear(self) -> None:
        self.count = 0

    def points(self, positive: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """The epochs (from 1) that have a value (above zero, with `positive`), and their values."""
        values = self._values[:self.count]
        known = values > 0 if positive else ~np.isnan(values)
        return np.flatnonzero(known) + 1, values[known]
