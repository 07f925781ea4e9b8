"""The built-in data sets: a registry of names, one-line descriptions, sources and typed options.

`BUILTIN[name]` describes one set; `load_builtin(name, **options)` checks the
options (a project file may hold anything), fills in the defaults and loads it.
The options' defaults live here only; the loader functions take every option
as a keyword.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import bundled, classic, letters, sequences, toys
from .dataset import CLASSIFICATION, REGRESSION, Dataset
from .errors import DataError, shown

MAX_SEED = 2**32 - 1
MAX_SAMPLES = 100_000


@dataclass(frozen=True)
class Option:
    """One option of a built-in set; its type is the type of its default."""

    name: str
    default: Any
    help: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()
    pattern: str = ""  # a regular expression a text must match in full
    rule: str = ""  # the pattern in words, for messages

    def problem(self, value: Any) -> str | None:
        """None for a good value, else the end of a sentence ("must be ...")."""
        if self.choices:
            good = isinstance(value, str) and value in self.choices
        elif isinstance(self.default, bool):
            good = isinstance(value, bool)
        elif isinstance(self.default, int):
            good = isinstance(value, int) and not isinstance(value, bool) and self.minimum <= value <= self.maximum
        elif isinstance(self.default, float):
            good = (
                isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
                and self.minimum <= value <= self.maximum
            )
        else:
            good = isinstance(value, str) and re.fullmatch(self.pattern, value) is not None
        return None if good else f"must be {self.describe()}"

    def describe(self) -> str:
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if isinstance(self.default, bool):
            return "true or false"
        if isinstance(self.default, int):
            return f"a whole number from {self.minimum} to {self.maximum}"
        if isinstance(self.default, float):
            return f"a number from {self.minimum:g} to {self.maximum:g}"
        return self.rule


@dataclass(frozen=True)
class Builtin:
    name: str
    description: str  # one line, for lists
    source: str  # where it comes from, with credit
    loader: Callable[..., Dataset]
    options: tuple[Option, ...] = ()

    def defaults(self) -> dict[str, Any]:
        return {option.name: option.default for option in self.options}

    def check_options(self, options: dict[str, Any]) -> dict[str, Any]:
        """All options with defaults filled in; DataError with one sentence for an unknown or bad one."""
        known = {option.name: option for option in self.options}
        for key, value in options.items():
            if key not in known:
                listed = ", ".join(known) if known else "none"
                raise DataError(
                    f"The built-in data set {self.name} has no option {shown(key)} (its options: {listed})."
                )
            problem = known[key].problem(value)
            if problem:
                raise DataError(f"The option {key} of the built-in data set {self.name} {problem}, not {shown(value)}.")
        return self.defaults() | options

    def load(self, **options: Any) -> Dataset:
        options = {key: value.item() if isinstance(value, np.generic) else value for key, value in options.items()}
        return self.loader(**self.check_options(options))


def _samples(default: int, minimum: int = 4) -> Option:
    return Option("n_samples", default, "how many samples to generate", minimum, MAX_SAMPLES)


def _noise(default: float, maximum: float = 2.0) -> Option:
    return Option("noise", default, "standard deviation of the Gaussian noise", 0.0, maximum)


SEED = Option("seed", 0, "the same seed gives the same data", 0, MAX_SEED)
KIND = Option(
    "kind", REGRESSION, "regression: 0/1 targets for one sigmoid output; classification: class indices",
    choices=(REGRESSION, CLASSIFICATION),
)

BUILTIN: dict[str, Builtin] = {
    b.name: b
    for b in (
        Builtin("single_neuron", "4 samples of 3 inputs; the answer is the first input, which one neuron learns.",
                "The 9-line neural network lesson (Milo Spencer-Harper, 2015).",
                classic.single_neuron, (KIND,)),
        Builtin("gender", "6 people's weight and height (shifted), female or male: a first hidden layer.",
                "In the manner of Victor Zhou, Machine Learning for Beginners: An Introduction to Neural Networks "
                "(2019); the values are the ones NN Designer's engine tests use.",
                classic.gender, (KIND,)),
        Builtin("logic_gate", "The truth table of AND, OR, XOR or NAND; XOR needs a hidden layer.",
                "Truth tables; XOR as in Minsky and Papert, Perceptrons (1969).",
                classic.logic_gate, (Option("gate", "xor", "which gate", choices=tuple(classic.GATES)), KIND)),
        Builtin("circles", "2-D: a ring around a smaller ring; needs a curved boundary.",
                "Generated by NN Designer, after scikit-learn's make_circles.",
                toys.circles, (_samples(200), _noise(0.08, 1.0),
                               Option("factor", 0.5, "inner radius as a share of the outer", 0.05, 0.95), SEED)),
        Builtin("moons", "2-D: two interleaving half circles.",
                "Generated by NN Designer, after scikit-learn's make_moons.",
                toys.moons, (_samples(200), _noise(0.1), SEED)),
        Builtin("spirals", "2-D: two spirals wound around each other; hard for small networks.",
                "Two-spiral problem (Lang and Witbrock, 1988), generated by NN Designer.",
                toys.spirals, (_samples(400), _noise(0.02, 1.0),
                               Option("turns", 1.5, "how many times each spiral winds", 0.25, 5.0), SEED)),
        Builtin("blobs", "2-D: Gaussian blobs, one per class, around a circle.",
                "Generated by NN Designer, after scikit-learn's make_blobs.",
                toys.blobs, (_samples(300), Option("classes", 3, "how many blobs", 2, 10), _noise(1.0, 5.0), SEED)),
        Builtin("gaussian_xor", "2-D: four Gaussian clusters labelled like XOR.",
                "Generated by NN Designer.",
                toys.gaussian_xor, (_samples(200), _noise(0.35), SEED)),
        Builtin("sine", "Regression: fit y = sin(x) from noisy samples.",
                "Generated by NN Designer.",
                toys.sine, (_samples(200, 2), _noise(0.1), SEED)),
        Builtin("parity", "Sequences (N, steps, 1): whether a bit string has an even or odd number of ones.",
                "Generated by NN Designer.",
                sequences.parity, (_samples(1000), Option("length", 6, "bits per string", 1, 64), SEED)),
        Builtin("sine_next", "Sequences (N, steps, 1): predict the next value of a sine wave.",
                "Generated by NN Designer.",
                sequences.sine_next,
                (_samples(1000), Option("length", 20, "steps per window", 1, 200), _noise(0.0), SEED)),
        Builtin("digits", "1,797 handwritten digits, 8x8 pixels, 10 classes (as images, or flat).",
                bundled.DIGITS_SOURCE, bundled.digits,
                (Option("flat", False, "vectors of 64 instead of 1x8x8 images"),)),
        Builtin("iris", "150 iris flowers: 4 measurements, 3 species.",
                bundled.IRIS_SOURCE, bundled.iris),
        Builtin("letters", "Capital letters as 10x10 patterns of +1 and -1, for Hopfield networks.",
                "Drawn for NN Designer.",
                letters.letters, (Option("letters", letters.DEFAULT_LETTERS, "which letters, such as 'AJLTX'",
                                         pattern=f"[{''.join(letters.DRAWINGS)}]{{1,{len(letters.DRAWINGS)}}}",
                                         rule=f"different letters from {''.join(letters.DRAWINGS)}"),
                                  Option("flat", False, "vectors of 100 instead of 10x10 grids"))),
    )
}


def load_builtin(name: str, **options: Any) -> Dataset:
    """Load a built-in data set by name; options not given take their defaults."""
    if name not in BUILTIN:
        listed = ", ".join(BUILTIN)
        raise DataError(f"There is no built-in data set called {shown(name)}; the built-in sets are {listed}.")
    return BUILTIN[name].load(**options)


def list_builtins() -> list[tuple[str, str]]:
    """(name, one-line description) of every built-in set, in the order a list should show them."""
    return [(b.name, b.description) for b in BUILTIN.values()]
