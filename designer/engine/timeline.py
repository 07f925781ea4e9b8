"""The training timeline: the weights at the end of epochs, kept within a memory budget.

Epochs are counted over every run of a project: epoch 0 holds the weights
training first started from, epoch n those after the n-th epoch of the
project's history. Every `every`-th epoch is kept, and always the latest one.
When the kept weights outgrow the budget, `every` doubles and the epochs that
are no longer multiples of it go, so a long run thins out evenly instead of
losing its beginning. Lookups answer with the nearest kept epoch at or
before the one asked for.

`kept` (epoch -> weights) is the very dict a project saves as its timeline,
so that keeping an epoch costs the same however long the run has been.
"""

from __future__ import annotations

import bisect
import math
from typing import Mapping

import numpy as np

from ..graph.container import MAX_ARRAYS

DEFAULT_BUDGET = 64 * 1024**2  # bytes; saving deflates about 30 MB a second
MAX_BUDGET = 4 * 1024**3  # what a project file may hold


def _check_budget(budget: int) -> int:
    if not 0 <= budget <= MAX_BUDGET:
        raise ValueError(f"The timeline's budget must be from 0 to {MAX_BUDGET:,} bytes, not {budget:,}.")
    return budget


class Timeline:
    def __init__(self, budget: int = DEFAULT_BUDGET,
                 kept: Mapping[int, Mapping[str, np.ndarray]] | None = None) -> None:
        self.budget = _check_budget(budget)
        self.kept: dict[int, dict[str, np.ndarray]] = {}
        self.nbytes = 0
        self._arrays = 0
        for epoch, weights in sorted((kept or {}).items()):
            self._store(epoch, weights)
        self.every = self._spacing()
        self._fit()

    def _spacing(self) -> int:
        """The spacing of the kept epochs, found from them (the latest may be off the grid)."""
        on_grid = self.epochs[:-1]
        return math.gcd(*(b - a for a, b in zip(on_grid, on_grid[1:]))) or 1

    def _store(self, epoch: int, weights: Mapping[str, np.ndarray]) -> None:
        if epoch in self.kept:
            self._drop(epoch)
        self.kept[epoch] = dict(weights)
        self.nbytes += sum(array.nbytes for array in weights.values())
        self._arrays += len(weights)

    def _drop(self, epoch: int) -> None:
        weights = self.kept.pop(epoch)
        self.nbytes -= sum(array.nbytes for array in weights.values())
        self._arrays -= len(weights)

    # --- what is kept -------------------------------------------------------------------

    @property
    def epochs(self) -> list[int]:
        """The kept epochs, in order."""
        return list(self.kept)

    @property
    def last(self) -> int | None:
        return next(reversed(self.kept)) if self.kept else None

    def __len__(self) -> int:
        return len(self.kept)

    def weights(self, epoch: int) -> dict[str, np.ndarray]:
        """The weights kept for exactly `epoch` (KeyError if it was not kept)."""
        return self.kept[epoch]

    def nearest(self, epoch: int) -> int | None:
        """The latest kept epoch at or before `epoch` (the first one if `epoch` comes before them all)."""
        epochs = self.epochs
        if not epochs:
            return None
        return epochs[max(bisect.bisect_right(epochs, epoch) - 1, 0)]

    # --- changes ----------------------------------------------------------------------------

    def add(self, epoch: int, weights: Mapping[str, np.ndarray]) -> None:
        """Keep the weights at the end of `epoch`; epochs come in increasing order (a repeat replaces)."""
        previous = self.last
        if previous is not None and epoch < previous:
            raise ValueError(f"Epoch {epoch} comes before the timeline's last epoch, {previous}.")
        if previous is not None and previous != epoch and previous % self.every:
            self._drop(previous)  # it was kept only for being the latest
        self._store(epoch, weights)
        self._fit()

    def truncate(self, epoch: int) -> None:
        """Forget every epoch after `epoch` (training goes on from there)."""
        for later in [e for e in self.kept if e > epoch]:
            self._drop(later)

    def set_budget(self, budget: int) -> None:
        self.budget = _check_budget(budget)
        self._fit()

    def _fits(self) -> bool:
        return self.nbytes <= self.budget and self._arrays <= MAX_ARRAYS

    def _fit(self) -> None:
        """Thin out (doubling `every`) until the kept weights fit the budget; keep none if one epoch cannot."""
        while not self._fits() and len(self.kept) > 1:
            latest = self.last
            if self.every > latest:  # only the first epoch and the latest are left: keep the latest
                self._drop(self.epochs[0])
                continue
            self.every *= 2
            for epoch in [e for e in self.kept if e % self.every and e != latest]:
                self._drop(epoch)
        if not self._fits():
            for epoch in self.epochs:
                self._drop(epoch)
