"""Feature scaling fitted on the training data and stored with the project, so predict scales the same way.

Statistics are kept per feature: per column of (N, features), per feature of
sequences (N, steps, features), per channel of images (N, channels, H, W);
a target vector (N,) counts as one feature. A feature with no spread is only
shifted, never divided by zero.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .errors import DataError, shown

METHODS = ("none", "standardise", "min-max")
MAX_FEATURES = 1_000_000


class Normaliser:
    """`none`, `standardise` (to mean 0 and standard deviation 1) or `min-max` (to 0..1).

    x' = (x - offset) / scale; `fit` finds offset and scale from training
    data only, `transform` applies them, `inverse_transform` undoes them
    (for predictions of a regression target scaled the same way).
    """

    def __init__(self, method: str = "standardise"):
        if method not in METHODS:
            raise DataError(f"The normaliser method must be one of {', '.join(METHODS)}, not {shown(method)}.")
        self.method = method
        self.offset: np.ndarray | None = None
        self.scale: np.ndarray | None = None

    def __repr__(self) -> str:
        state = "fitted" if self.fitted else "not fitted"
        return f"Normaliser({self.method!r}, {state})"

    @property
    def fitted(self) -> bool:
        return self.method == "none" or self.offset is not None

    def fit(self, X: np.ndarray) -> Normaliser:
        """Learn offset and scale from `X` (the training split's samples); returns self."""
        if self.method == "none":
            return self
        values = _by_feature(np.asarray(X, dtype=np.float64))
        if not len(values):
            raise DataError("A normaliser cannot be fitted on no samples.")
        if self.method == "standardise":
            offset, scale = values.mean(axis=0), values.std(axis=0)
        else:
            offset = values.min(axis=0)
            scale = values.max(axis=0) - offset
        self.offset, self.scale = offset, np.where(scale > 0, scale, 1.0)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        offset, scale = self._statistics(X)
        return ((np.asarray(X, dtype=np.float64) - offset) / scale).astype(np.float32)

    def inverse_transform(self, X: np.ndarray) -> np.ndarray:
        offset, scale = self._statistics(X)
        return (np.asarray(X, dtype=np.float64) * scale + offset).astype(np.float32)

    def _statistics(self, X: np.ndarray) -> tuple[Any, Any]:
        """Offset and scale shaped to broadcast over X."""
        if self.method == "none":
            return 0.0, 1.0
        if self.offset is None:
            raise DataError(f"The {self.method} normaliser has not been fitted; fit it on the training data first.")
        X = np.asarray(X)
        axis = _feature_axis(X.ndim)
        features = 1 if axis is None else X.shape[axis]
        if features != len(self.offset):
            raise DataError(f"The normaliser was fitted on {len(self.offset)} features but the data has {features}.")
        shape = [1] * X.ndim
        if axis is not None:
            shape[axis] = features
        return self.offset.reshape(shape), self.scale.reshape(shape)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the method, and the statistics once fitted."""
        data: dict[str, Any] = {"method": self.method}
        if self.offset is not None:
            data["offset"] = self.offset.tolist()
            data["scale"] = self.scale.tolist()
        return data

    @classmethod
    def from_dict(cls, data: Any) -> Normaliser:
        """The normaliser a dict (from a project file: trust nothing) describes; DataError with one sentence if bad."""
        if not isinstance(data, dict):
            raise DataError("The normaliser settings are not a JSON object.")
        unknown = sorted(set(data) - {"method", "offset", "scale"}, key=str)
        if unknown:
            raise DataError(f"The normaliser settings have an unknown key {shown(unknown[0])}.")
        method = data.get("method")
        if method not in METHODS or not isinstance(method, str):
            raise DataError(f"The normaliser method must be one of {', '.join(METHODS)}, not {shown(method)}.")
        normaliser = cls(method)
        if "offset" not in data and "scale" not in data:
            return normaliser
        if method == "none":
            raise DataError("The normaliser 'none' has no offset or scale.")
        offset, scale = (_numbers(data.get(key), key) for key in ("offset", "scale"))
        if len(offset) != len(scale):
            raise DataError(f"The normaliser has {len(offset)} offsets but {len(scale)} scales.")
        if not all(s > 0 for s in scale):
            raise DataError("The normaliser's scales must all be more than 0.")
        normaliser.offset, normaliser.scale = np.array(offset, dtype=np.float64), np.array(scale, dtype=np.float64)
        return normaliser


def _numbers(value: Any, key: str) -> list[float]:
    if not isinstance(value, list) or not 1 <= len(value) <= MAX_FEATURES:
        raise DataError(f"The normaliser's {key} must be a list of 1 to {MAX_FEATURES:,} numbers.")
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in value):
        raise DataError(f"The normaliser's {key} holds something that is not a finite number.")
    return value


def _feature_axis(ndim: int) -> int | None:
    """Which axis holds the features: None for a vector of values, else columns, sequence features or channels."""
    if ndim == 1:
        return None
    if not 2 <= ndim <= 4:
        raise DataError(f"A normaliser works on arrays of 1 to 4 axes, not {ndim}.")
    return 2 if ndim == 3 else 1


def _by_feature(X: np.ndarray) -> np.ndarray:
    """X as (values, features), one column per feature."""
    axis = _feature_axis(X.ndim)
    if axis is None:
        return X[:, None]
    return np.moveaxis(X, axis, -1).reshape(-1, X.shape[axis])
