"""Typed layer parameters: their defaults, ranges and the sentence for a bad value.

Every parameter of every layer kind is one of these objects. The catalogue uses
them to fill defaults, validation uses `problem()` to explain a bad value, the
project reader uses `from_json()` to turn what a file holds back into a value,
and the inspector (later) builds its widgets from their attributes.

`problem(value)` returns None for a good value, else the end of a sentence
("must be a whole number from 1 to 1000000") that callers prefix with the layer
and parameter names.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any

import numpy as np


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _finite(value: int | float) -> bool:
    """math.isfinite, but False for an int too large to be a float (10**400) rather than OverflowError."""
    try:
        return math.isfinite(value)
    except OverflowError:
        return False


@dataclass(frozen=True)
class Param:
    """What every parameter has: a name, a default and one line of help."""

    name: str
    default: Any
    help: str

    def problem(self, value: Any) -> str | None:
        raise NotImplementedError

    def to_json(self, value: Any) -> Any:
        return value

    def from_json(self, value: Any) -> Any:
        return value

    def describe(self) -> str:
        """The allowed values in a few words, for reference tables."""
        raise NotImplementedError


@dataclass(frozen=True)
class IntParam(Param):
    minimum: int = 0
    maximum: int = 1_000_000
    optional: bool = False  # None allowed (meaning given in `help`)

    def problem(self, value: Any) -> str | None:
        if value is None and self.optional:
            return None
        if not _is_int(value) or not self.minimum <= value <= self.maximum:
            return f"must be {self.describe()}"
        return None

    def describe(self) -> str:
        text = f"a whole number from {self.minimum} to {self.maximum}"
        return text + " or None" if self.optional else text


@dataclass(frozen=True)
class FloatParam(Param):
    minimum: float = 0.0
    maximum: float = 1.0
    include_maximum: bool = True

    def problem(self, value: Any) -> str | None:
        if not _is_number(value) or not _finite(value):
            return f"must be {self.describe()}"
        too_big = value > self.maximum if self.include_maximum else value >= self.maximum
        if value < self.minimum or too_big:
            return f"must be {self.describe()}"
        return None

    def describe(self) -> str:
        upper = "to" if self.include_maximum else "to just below"
        return f"a number from {self.minimum:g} {upper} {self.maximum:g}"


@dataclass(frozen=True)
class BoolParam(Param):
    def problem(self, value: Any) -> str | None:
        return None if isinstance(value, bool) else "must be true or false"

    def describe(self) -> str:
        return "true or false"


@dataclass(frozen=True)
class ChoiceParam(Param):
    choices: tuple[str, ...] = ()

    def problem(self, value: Any) -> str | None:
        return None if value in self.choices and isinstance(value, str) else f"must be {self.describe()}"

    def describe(self) -> str:
        return "one of " + ", ".join(repr(c) for c in self.choices)


@dataclass(frozen=True)
class PaddingParam(Param):
    """Zero-padding in pixels on every side, or "same" / "valid"."""

    maximum: int = 255
    choices: tuple[str, ...] = ("same", "valid")

    def problem(self, value: Any) -> str | None:
        if isinstance(value, str) and value in self.choices:
            return None
        if _is_int(value) and 0 <= value <= self.maximum:
            return None
        return f"must be {self.describe()}"

    def describe(self) -> str:
        return f"a whole number from 0 to {self.maximum}, 'same' or 'valid'"


@dataclass(frozen=True)
class ShapeParam(Param):
    """A tuple of sizes, such as an input shape (C, H, W)."""

    min_length: int = 1
    max_length: int = 3
    maximum: int = 1_000_000
    allow_infer: bool = False  # one -1 may stand for "whatever is left", as in Reshape

    def problem(self, value: Any) -> str | None:
        if not isinstance(value, tuple) or not self.min_length <= len(value) <= self.max_length:
            return f"must be {self.describe()}"
        inferred = 0
        for size in value:
            if self.allow_infer and size == -1 and _is_int(size):
                inferred += 1
            elif not _is_int(size) or not 1 <= size <= self.maximum:
                return f"must be {self.describe()}"
        if inferred > 1:
            return "may use -1 for one size only"
        return None

    def to_json(self, value: Any) -> Any:
        return list(value) if isinstance(value, tuple) else value

    def from_json(self, value: Any) -> Any:
        return tuple(value) if isinstance(value, list) else value

    def describe(self) -> str:
        if self.min_length == self.max_length:
            count = f"{self.min_length}"
        else:
            count = f"{self.min_length} to {self.max_length}"
        extra = " (one of them may be -1)" if self.allow_infer else ""
        return f"a tuple of {count} sizes from 1 to {self.maximum}{extra}"


def normalise_value(param: Param, value: Any) -> Any:
    """Turn the forms a script naturally writes into the stored form.

    A list for a shape becomes a tuple and a bare int becomes a 1-tuple, so
    `add_layer("Input", shape=784)` and `shape=[1, 28, 28]` both work; every
    other value is stored as given and judged by `problem()`.
    NumPy scalars and arrays, which scripts often compute, become Python
    numbers and lists.
    """
    if isinstance(value, np.ndarray):
        value = value.tolist()
    value = _plain_number(value)
    if isinstance(param, ShapeParam):
        if isinstance(value, (list, tuple)):
            return tuple(_plain_number(v) for v in value)
        if _is_int(value):
            return (value,)
    return value


def _plain_number(value: Any) -> Any:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return value
