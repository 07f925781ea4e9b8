"""Finite-difference gradient checks for compiled models, in float64."""

from __future__ import annotations

import numpy as np

from designer import NetworkGraph
from designer.engine import compile_graph


def chain(input_shape, layers) -> NetworkGraph:
    """Input -> layers, wired one after another; `layers` is [(kind, params), ...]."""
    g = NetworkGraph()
    previous = g.add_layer("Input", shape=input_shape)
    for kind, params in layers:
        node = g.add_layer(kind, **params)
        g.connect(previous, node)
        previous = node
    return g


def numeric_gradient(f, array: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central differences of the scalar f() with respect to every element of `array` (changed in place)."""
    grad = np.zeros_like(array)
    for index in np.ndindex(array.shape):
        old = array[index]
        array[index] = old + eps
        plus = f()
        array[index] = old - eps
        minus = f()
        array[index] = old
        grad[index] = (plus - minus) / (2 * eps)
    return grad


def relative_error(numeric: np.ndarray, analytic: np.ndarray) -> float:
    scale = max(np.abs(numeric).max(), np.abs(analytic).max(), 1e-8)
    return float(np.abs(numeric - analytic).max() / scale)


def check_model_gradients(graph: NetworkGraph, X: np.ndarray, training: bool = False, seed: int = 0,
                          tolerance: float = 1e-6) -> dict[str, float]:
    """Compare backward() with finite differences of sum(forward(X) * R) for every parameter and the input.

    Returns the relative errors by parameter name ("input" for the input) and asserts each is small.
    """
    model = compile_graph(graph, seed=seed, dtype=np.float64)
    X = np.array(X, dtype=np.float64)
    R = np.random.default_rng(seed + 1).standard_normal((len(X),) + model.output_shape)

    def objective() -> float:
        return float((model.forward(X, training=training) * R).sum())

    model.forward(X, training=training)
    input_grad = model.backward(R, input_gradient=True)
    analytic = {k: g.copy() for k, g in model.grads.items()}
    errors = {k: relative_error(numeric_gradient(objective, p), analytic[k]) for k, p in model.params.items()}
    errors["input"] = relative_error(numeric_gradient(objective, X), input_grad)
    bad = {k: e for k, e in errors.items() if not e < tolerance}
    assert not bad, f"gradients differ from finite differences: {bad}"
    return errors
