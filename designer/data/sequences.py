"""Short sequence tasks for recurrent networks: inputs (N, steps, 1), batch-first."""

from __future__ import annotations

import numpy as np

from .dataset import CLASSIFICATION, REGRESSION, Dataset


def parity(*, n_samples: int, length: int, seed: int) -> Dataset:
    """Random bit strings; the class says whether the number of ones is even or odd.

    Every bit matters to the answer, so the network must carry a memory across
    the whole sequence; longer sequences are markedly harder.
    """
    rng = np.random.default_rng(seed)
    bits = rng.integers(0, 2, (n_samples, length))
    return Dataset(
        X=bits[:, :, None].astype(np.float32), y=(bits.sum(axis=1) % 2).astype(np.int64), kind=CLASSIFICATION,
        classes=["even", "odd"], feature_names=["bit"], name="parity",
        source=f"generated: {n_samples} bit strings of length {length}, seed {seed}",
    )


def sine_next(*, n_samples: int, length: int, noise: float, seed: int) -> Dataset:
    """Windows of sine waves of random phase and frequency; the target is the next value.

    Frequencies run from 0.1 to 0.5 radians per step; noise is added to the
    inputs only, so the target is the clean next value.
    """
    rng = np.random.default_rng(seed)
    phase = rng.uniform(0, 2 * np.pi, (n_samples, 1))
    frequency = rng.uniform(0.1, 0.5, (n_samples, 1))
    waves = np.sin(frequency * np.arange(length + 1) + phase)
    inputs = waves[:, :length] + (rng.normal(0, noise, (n_samples, length)) if noise else 0)
    return Dataset(
        X=inputs[:, :, None].astype(np.float32), y=waves[:, length].astype(np.float32), kind=REGRESSION,
        feature_names=["value"], name="sine_next",
        source=f"generated: {n_samples} windows of {length} steps, noise {noise:g}, seed {seed}",
    )
