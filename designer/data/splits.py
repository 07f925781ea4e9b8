"""Train, validation and test splits, reproducible by seed and stratified for classification."""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from .dataset import CLASSIFICATION, Dataset
from .errors import DataError


class Splits(NamedTuple):
    train: Dataset
    validation: Dataset
    test: Dataset


def split(
    dataset: Dataset,
    train: float = 0.7,
    validation: float = 0.15,
    test: float = 0.15,
    seed: int = 0,
    stratify: bool | None = None,
) -> Splits:
    """Shuffle (by `seed`) and cut into train, validation and test parts of the given fractions.

    Split sizes are the fractions of the sample count rounded (the training
    part takes what rounding leaves). Stratified splits (the default for
    classification) keep each class's share in every part, to within a sample
    or two, and put at least one sample of every class in the training part
    whenever that part is big enough to hold them all. A fraction may be 0,
    giving an empty part.
    """
    check_fractions(train, validation, test)
    if not isinstance(seed, int) or isinstance(seed, bool) or seed < 0:
        raise DataError(f"The split seed must be a whole number of 0 or more, not {seed!r}.")
    classification = dataset.kind == CLASSIFICATION
    if stratify is None:
        stratify = classification
    elif stratify and not classification:
        raise DataError(f"{dataset.name} is a regression data set, so it has no classes to stratify by.")
    n = len(dataset)
    n_validation, n_test = round(n * validation), round(n * test)
    n_train = n - n_validation - n_test
    if n_train < 1 and n:  # rounding must not leave training empty
        if n_validation >= n_test:
            n_validation -= 1
        else:
            n_test -= 1
        n_train = 1
    rng = np.random.default_rng(seed)
    order = _stratified_order(dataset.y, rng) if stratify else rng.permutation(n)
    if stratify:
        _every_class_in_train(order, dataset.y, n_train)
    cuts = np.split(order, [n_train, n_train + n_validation])
    return Splits(*(dataset.subset(part, f"{dataset.name} ({label})")
                    for part, label in zip(cuts, ("train", "validation", "test"))))


def check_fractions(train: float, validation: float, test: float) -> None:
    """DataError with one sentence unless the three are numbers from 0 to 1 adding up to 1, train above 0."""
    for label, value in (("train", train), ("validation", validation), ("test", test)):
        number = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
        if not number or not 0 <= value <= 1:
            raise DataError(f"The {label} fraction must be a number from 0 to 1, not {value!r}.")
    if train <= 0:
        raise DataError("The train fraction must be more than 0.")
    if abs(train + validation + test - 1) > 1e-6:
        raise DataError(
            f"The split fractions {train:g}, {validation:g} and {test:g} add up to {train + validation + test:g}; "
            "they must add up to 1."
        )


def _stratified_order(y: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """All samples in an order where every class is spread evenly, so that any prefix keeps the class shares.

    Within a class, samples are shuffled and the k-th of n gets a key in
    [k/n, (k+1)/n); sorting by key interleaves the classes in proportion.
    """
    keys = np.empty(len(y))
    for label in np.unique(y):
        members = rng.permutation(np.flatnonzero(y == label))
        keys[members] = (np.arange(len(members)) + rng.random(len(members))) / len(members)
    return np.argsort(keys, kind="stable")


def _every_class_in_train(order: np.ndarray, y: np.ndarray, n_train: int) -> None:
    """Swap, in place, one sample of each class missing from the training prefix in from later parts.

    Each swaps out a training sample of the class that has most training
    samples (and more than one), so no class is pushed out in turn.
    """
    for label in np.unique(y):
        counts = np.bincount(y[order[:n_train]], minlength=int(y.max()) + 1)
        if counts[label]:
            continue
        donor = int(np.argmax(counts))
        if counts[donor] < 2:
            return
        outside = n_train + int(np.flatnonzero(y[order[n_train:]] == label)[0])
        inside = int(np.flatnonzero(y[order[:n_train]] == donor)[-1])
        order[inside], order[outside] = order[outside], order[inside]
