"""The training timeline: the weights at the end of epochs, kept within a memory budget.

Epochs are counted over every run of a project (epoch 0 holds the weights a
run started from, epoch n those after the n-th epoch of the project's
history). Every `every`-th epoch is kept, plus always the latest one. When
the kept weights outgrow the budget, `every` doubles and the epochs that are
no longer multiples of it go, so a long run thins out evenly rather than
losing its beginning. Lookups answer with the nearest kept epoch at or
before the one asked for.
"""

from __future__ import annotations

import bisect
from typing import Mapping

import numpy as np

from ..graph.container import MAX_ARRAYS

DEFAULT_BUDGET = 64 * 1024**2  # bytes; saving deflates about 30 MB a second
MAX_BUDGET = 4 * 1024**3  # what a project file may hold


def _nbytes(weights: Mapping[str, np.ndarray]) -> int:
    return sum(array.nbytes for array in weights.values())


class Timeline:
    def __init__(self, budget: int = DEFAULT_BUDGET,
                 kept: Mapping[int, Mapping[str, np.ndarray]] | None = None) -> None:
        if not 0 <= budget <= MAX_BUDGET:
            raise ValueError(f"The timeline's budget must be from 0 to {MAX_BUDGET:,} bytes, not {budget:,}.")
        self.budget = budget
        self._kept: dict[int, dict[str, np.ndarray]] = {e: dict(w) for e, w in sorted((kept or {}).items())}
        self.every = self._spacing()
        self._fit()

    def _spacing(self) -> int:
        """The spacing of kept epochs, from the epochs alone (the latest may be off the grid)."""
        on_grid = self.epochs[:-1]
        gaps = np.diff(on_grid) if len(on_grid) > 1 else []
        return int(np.gcd.reduce(gaps)) if len(gaps) else 1

    # --- what is kept -------------------------------------------------------------------

    @property
    def epochs(self) -> list[int]:
        """The kept epochs, in order."""
        return list(self._kept)

    @property
    def last(self) -> int | None:
        return self.epochs[-1] if self._kept else None

    @property
    def nbytes(self) -> int:
        return sum(_nbytes(weights) for weights in self._kept.values())

    def __len__(self) -> int:
        return len(self._kept)

    def weights(self, epoch: int) -> dict[str, np.ndarray]:
        """The weights kept for exactly `epoch` (KeyError if it was not kept)."""
        return self._kept[epoch]

    def nearest(self, epoch: int) -> int | None:
        """The latest kept epoch at or before `epoch` (the first one if `epoch` comes before all)."""
        epochs = self.epochs
        if not epochs:
            return None
        index = bisect.bisect_right(epochs, epoch) - 1
        return epochs[max(index, 0)]

    def as_dict(self) -> dict[int, dict[str, np.ndarray]]:
        """Epoch -> weights, as a project keeps them (the arrays are shared, not copied)."""
        return {epoch: dict(weights) for epoch, weights in self._kept.items()}

    # --- changes ----------------------------------------------------------------------------

    def add(self, epoch: int, weights: Mapping[str, np.ndarray]) -> None:
        """Keep the weights at the end of `epoch` (epochs come in increasing order; a repeat replaces)."""
        if self._kept and epoch < self.last:
            raise ValueError(f"Epoch {epoch} comes before the timeline's last epoch {self.last}.")
        previous = self.last
        if previous is not None and previous != epoch and previous % self.every:
            del self._kept[previous]  # it was kept only for being the latest
        self._kept[epoch] = dict(weights)
        self._fit()

    def truncate(self, epoch: int) -> None:
        """Forget every epoch after `epoch` (training restarts from there)."""
        for later in [e for e in self._kept if e > epoch]:
            del self._kept[later]

    def clear(self) -> None:
        self._kept.clear()
        self.every = 1

    def set_budget(self, budget: int) -> None:
        if not 0 <= budget <= MAX_BUDGET:
            raise ValueError(f"The timeline's budget must be from 0 to {MAX_BUDGET:,} bytes, not {budget:,}.")
        self.budget = budget
        self._fit()

    def _fits(self) -> bool:
        arrays = sum(len(weights) for weights in self._kept.values())
        return self.nbytes <= self.budget and arrays <= MAX_ARRAYS

    def _fit(self) -> None:
        """Thin out (doubling `every`) until the kept weights fit the budget; keep none if one epoch cannot."""
        while not self._fits() and len(self._kept) > 1:
            latest = self.last
            if self.every > latest:  # only the first epoch and the latest are left: keep the latest
                del self._kept[self.epochs[0]]
                continue
            self.every *= 2
            for epoch in [e for e in self._kept if e % self.every and e != latest]:
                del self._kept[epoch]
        if not self._fits():
            self._kept.clear()
