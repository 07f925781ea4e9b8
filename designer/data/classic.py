"""The tiny data sets of classic first lessons, exactly as the lessons have them.

They end, in their sources, in one sigmoid neuron trained with mean squared
error on targets 0 and 1. So by default their kind is "regression" with
float32 targets of shape (N,), which such a network fits directly; with
kind="classification" they become class indices with class names instead,
for a softmax output and cross-entropy.
"""

from __future__ import annotations

import numpy as np

from .dataset import CLASSIFICATION, Dataset
from .errors import DataError

GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
}


def single_neuron(*, kind: str) -> Dataset:
    """Four samples of three inputs; the target is the first input.

    From the "neural network in 9 lines of Python" lesson (Milo Spencer-Harper,
    2015). The third input is always 1 and acts as the bias; the lesson then
    asks about the new input [1, 0, 0], whose answer is 1.
    """
    X = [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
    return _tiny(X, [0, 1, 1, 0], kind, ["0", "1"], name="single_neuron",
                 feature_names=["input 1", "input 2", "input 3"],
                 source="the 9-line neural network lesson (Milo Spencer-Harper, 2015)")


def gender(*, kind: str) -> Dataset:
    """Six people, weight and height (both shifted toward zero), and whether each is female (1) or male (0).

    In the manner of Victor Zhou's "Machine Learning for Beginners: An
    Introduction to Neural Networks" (2019); the numbers are the ones NN
    Designer's engine tests use. The engine tests then ask about two more
    people, Emily [47, 11] (answer near 1) and Frank [-23, -5] (answer near
    0), so the six here are named by the other letters: Adam, Beth, Clara,
    David, Grace and Henry.
    """
    X = [[0, 0], [27, 17], [19, 12], [-13, -13], [27, 10], [-13, 0]]
    names = ["Adam", "Beth", "Clara", "David", "Grace", "Henry"]
    return _tiny(X, [0, 1, 1, 0, 1, 0], kind, ["male", "female"], name="gender", feature_names=["weight", "height"],
                 source="six people in the manner of Victor Zhou's introduction to neural networks (2019)",
                 sample_names=names,
                 notes=["Target 1 is female, 0 male; the engine's tests also ask about "
                        "Emily [47, 11] (1) and Frank [-23, -5] (0)."])


def logic_gate(*, gate: str, kind: str) -> Dataset:
    """The truth table of a two-input gate: AND, OR, XOR or NAND.

    XOR is the classic problem one neuron cannot solve (Minsky and Papert,
    Perceptrons, 1969): it needs a hidden layer.
    """
    if gate not in GATES:
        raise DataError(f"gate must be one of {', '.join(GATES)}, not {gate!r}.")
    X = [[0, 0], [0, 1], [1, 0], [1, 1]]
    return _tiny(X, GATES[gate], kind, ["0", "1"], name=gate.upper(), feature_names=["a", "b"],
                 source=f"the truth table of {gate.upper()}")


def _tiny(X: list, y: list, kind: str, classes: list[str], **fields) -> Dataset:
    X = np.array(X, dtype=np.float32)
    if kind == CLASSIFICATION:
        return Dataset(X=X, y=np.array(y, dtype=np.int64), kind=kind, classes=classes, **fields)
    return Dataset(X=X, y=np.array(y, dtype=np.float32), kind=kind, **fields)
