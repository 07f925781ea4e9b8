"""The Dataset: samples, targets and what they mean, checked on construction.

Layouts are batch-first and follow PyTorch: vectors (N, features), sequences
(N, steps, features), images (N, channels, height, width). `X` is always
float32. For classification `y` holds int64 class indices into `classes`; for
regression `y` is float32, (N,) for one output or (N, k) for k outputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import DataError

CLASSIFICATION = "classification"
REGRESSION = "regression"
KINDS = (CLASSIFICATION, REGRESSION)


@dataclass(eq=False)
class Dataset:
    """A data set in memory.

    `classes` may be left empty for classification: it then becomes the class
    indices as text ("0", "1", ...). `notes` records what loading did to the
    data (rows dropped, scaling); `sample_names` optionally names each sample
    (people, image files).
    """

    X: np.ndarray
    y: np.ndarray
    kind: str
    classes: list[str] = field(default_factory=list)
    feature_names: list[str] = field(default_factory=list)
    name: str = "data"
    source: str = ""
    notes: list[str] = field(default_factory=list)
    sample_names: list[str] | None = None

    def __post_init__(self) -> None:
        self.classes = _texts(self.classes, "classes")
        self.feature_names = _texts(self.feature_names, "feature_names")
        self.notes = _texts(self.notes, "notes")
        if self.sample_names is not None:
            self.sample_names = _texts(self.sample_names, "sample_names")
        _check(self)

    def __len__(self) -> int:
        return len(self.X)

    def __repr__(self) -> str:
        return f"Dataset({self.name!r}, {len(self)} samples of shape {self.sample_shape}, {self.kind})"

    @property
    def sample_shape(self) -> tuple[int, ...]:
        """The shape of one sample, without the batch axis (what an Input layer's `shape` should be)."""
        return tuple(int(n) for n in self.X.shape[1:])

    @property
    def n_outputs(self) -> int:
        """How many numbers a network must output: one per class, or one per regression target."""
        if self.kind == CLASSIFICATION:
            return len(self.classes)
        return 1 if self.y.ndim == 1 else int(self.y.shape[1])

    def class_counts(self) -> np.ndarray:
        """How many samples each class has (classification only)."""
        if self.kind != CLASSIFICATION:
            raise DataError(f"{self.name} is a regression data set, so it has no classes to count.")
        return np.bincount(self.y, minlength=len(self.classes))

    def subset(self, indices: Sequence[int] | np.ndarray, name: str | None = None) -> Dataset:
        """The samples at `indices`, in that order, with everything else kept."""
        indices = np.asarray(indices, dtype=np.intp)
        return Dataset(
            X=self.X[indices],
            y=self.y[indices],
            kind=self.kind,
            classes=list(self.classes),
            feature_names=list(self.feature_names),
            name=self.name if name is None else name,
            source=self.source,
            notes=list(self.notes),
            sample_names=None if self.sample_names is None else [self.sample_names[i] for i in indices],
        )


def _texts(values: Sequence[str], what: str) -> list[str]:
    if isinstance(values, str) or not isinstance(values, Sequence) or not all(isinstance(v, str) for v in values):
        raise DataError(f"{what} must be a list of texts.")
    return list(values)


def _check(data: Dataset) -> None:
    """Raise DataError with one sentence for the first thing wrong with a Dataset."""
    X, y = data.X, data.y
    if data.kind not in KINDS:
        raise DataError(f"kind must be 'classification' or 'regression', not {data.kind!r}.")
    if not isinstance(data.name, str) or not isinstance(data.source, str):
        raise DataError("name and source must be texts.")
    if not isinstance(X, np.ndarray) or not isinstance(y, np.ndarray):
        raise DataError(f"X and y must be NumPy arrays, not {type(X).__name__} and {type(y).__name__}.")
    if X.dtype != np.float32:
        raise DataError(f"X must hold float32 numbers, not {X.dtype}; convert it with X.astype(np.float32).")
    if not 2 <= X.ndim <= 4:
        raise DataError(
            f"X must have 2 to 4 axes, batch first ((N, features), (N, steps, features) or "
            f"(N, channels, height, width)), but it has {X.ndim}."
        )
    if len(y) != len(X):
        raise DataError(f"y has {len(y)} samples but X has {len(X)}.")
    if not np.isfinite(X).all():
        raise DataError("X holds NaN or infinite values; remove or replace them first.")
    if data.feature_names and len(data.feature_names) != X.shape[-1]:
        raise DataError(f"There are {len(data.feature_names)} feature names for {X.shape[-1]} features.")
    if data.sample_names is not None and len(data.sample_names) != len(X):
        raise DataError(f"There are {len(data.sample_names)} sample names for {len(X)} samples.")
    if data.kind == CLASSIFICATION:
        _check_classes(data)
    else:
        if y.dtype != np.float32 or y.ndim not in (1, 2):
            raise DataError(f"y must be float32 of shape (N,) or (N, outputs) for regression, not {y.dtype} {y.shape}.")
        if not np.isfinite(y).all():
            raise DataError("y holds NaN or infinite values; remove or replace them first.")
        if data.classes:
            raise DataError("A regression data set has no classes; leave classes empty.")


def _check_classes(data: Dataset) -> None:
    y = data.y
    if y.dtype != np.int64 or y.ndim != 1:
        raise DataError(f"y must hold int64 class indices of shape (N,) for classification, not {y.dtype} {y.shape}.")
    if not data.classes and len(y):
        data.classes = [str(i) for i in range(max(int(y.max()) + 1, 1))]
    if len(set(data.classes)) != len(data.classes):
        raise DataError("The class names must all be different.")
    if len(y) and (y.min() < 0 or y.max() >= len(data.classes)):
        bad = int(y.min()) if y.min() < 0 else int(y.max())
        raise DataError(f"y holds the class index {bad}, but the classes are numbered 0 to {len(data.classes) - 1}.")
