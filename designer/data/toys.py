"""Generated data sets for first experiments: 2-D classification toys and a sine to fit.

Each takes the number of samples, the noise (the standard deviation of
Gaussian noise added to every coordinate, or to the target) and a seed; the
same seed always gives the same data. Samples are shuffled. The shapes are in
the manner of scikit-learn's make_circles, make_moons and make_blobs, but
generated here.
"""

from __future__ import annotations

import numpy as np

from .dataset import CLASSIFICATION, REGRESSION, Dataset


def circles(*, n_samples: int, noise: float, factor: float, seed: int) -> Dataset:
    """A ring (class "outer", radius 1) around a smaller ring (class "inner", radius `factor`)."""
    rng = np.random.default_rng(seed)
    rings = []
    for radius, count in zip((1.0, factor), _class_sizes(n_samples, 2)):
        angle = rng.uniform(0, 2 * np.pi, count)
        rings.append(radius * np.column_stack([np.cos(angle), np.sin(angle)]))
    return _toy("circles", rings, ["outer", "inner"], noise, rng, seed, f"factor {factor:g}, ")


def moons(*, n_samples: int, noise: float, seed: int) -> Dataset:
    """Two interleaving half circles."""
    rng = np.random.default_rng(seed)
    upper_count, lower_count = _class_sizes(n_samples, 2)
    t = rng.uniform(0, np.pi, upper_count)
    upper = np.column_stack([np.cos(t), np.sin(t)])
    t = rng.uniform(0, np.pi, lower_count)
    lower = np.column_stack([1 - np.cos(t), 0.5 - np.sin(t)])
    return _toy("moons", [upper, lower], ["upper", "lower"], noise, rng, seed)


def spirals(*, n_samples: int, noise: float, turns: float, seed: int) -> Dataset:
    """Two spirals wound around each other (Lang & Witbrock, 1988), radius 0 to 1."""
    rng = np.random.default_rng(seed)
    arms = []
    for offset, count in zip((0.0, np.pi), _class_sizes(n_samples, 2)):
        t = np.sqrt(rng.uniform(0, 1, count))  # even density along the arm
        angle = 2 * np.pi * turns * t + offset
        arms.append(t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
    return _toy("spirals", arms, ["spiral A", "spiral B"], noise, rng, seed, f"{turns:g} turns, ")


def blobs(*, n_samples: int, classes: int, noise: float, seed: int) -> Dataset:
    """Gaussian blobs (standard deviation `noise`) centred evenly on a circle of radius 5."""
    rng = np.random.default_rng(seed)
    angles = 2 * np.pi * np.arange(classes) / classes
    centres = 5 * np.column_stack([np.cos(angles), np.sin(angles)])
    sizes = _class_sizes(n_samples, classes)
    groups = [np.repeat(centre[None], count, axis=0) for centre, count in zip(centres, sizes)]
    return _toy("blobs", groups, [f"blob {i + 1}" for i in range(classes)], noise, rng, seed)


def gaussian_xor(*, n_samples: int, noise: float, seed: int) -> Dataset:
    """Four Gaussian clusters at (±1, ±1); class "1" where exactly one coordinate of the centre is positive."""
    rng = np.random.default_rng(seed)
    corners = np.array([[1, 1], [-1, -1], [1, -1], [-1, 1]], dtype=np.float64)
    sizes = _class_sizes(n_samples, 4)
    same = [np.repeat(corners[i][None], sizes[i], axis=0) for i in (0, 1)]
    opposite = [np.repeat(corners[i][None], sizes[i], axis=0) for i in (2, 3)]
    return _toy("gaussian_xor", [np.concatenate(same), np.concatenate(opposite)], ["0", "1"], noise, rng, seed)


def sine(*, n_samples: int, noise: float, seed: int) -> Dataset:
    """Regression: y = sin(x) plus noise, x uniform from -pi to pi."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(-np.pi, np.pi, n_samples)
    y = np.sin(x) + rng.normal(0, noise, n_samples) if noise else np.sin(x)
    return Dataset(
        X=x[:, None].astype(np.float32), y=y.astype(np.float32), kind=REGRESSION, feature_names=["x"],
        name="sine", source=f"generated: {n_samples} samples, noise {noise:g}, seed {seed}",
    )


def _class_sizes(n_samples: int, classes: int) -> list[int]:
    """`n_samples` shared as evenly as possible, the first classes taking the remainder."""
    return [n_samples // classes + (i < n_samples % classes) for i in range(classes)]


def _toy(
    name: str, groups: list[np.ndarray], classes: list[str], noise: float, rng: np.random.Generator, seed: int,
    extra: str = "",
) -> Dataset:
    X = np.concatenate(groups)
    if noise:
        X = X + rng.normal(0, noise, X.shape)
    y = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    order = rng.permutation(len(X))
    return Dataset(
        X=X[order].astype(np.float32), y=y[order].astype(np.int64), kind=CLASSIFICATION, classes=classes,
        feature_names=["x1", "x2"], name=name,
        source=f"generated: {len(X)} samples, {extra}noise {noise:g}, seed {seed}",
    )
