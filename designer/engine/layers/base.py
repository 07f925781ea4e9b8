"""What every compiled layer is: arrays it owns, a forward pass and a backward pass.

`forward(inputs, training)` takes the list of input batches (one per port) and
returns the output batch, keeping whatever the backward pass needs.
`backward(dout)` takes the gradient with respect to the output, writes the
gradients of the layer's own weights into `grads` (in place, so the arrays
the model hands out stay valid) and returns the gradients with respect to
each input. Activation functions are applied by the model, not the layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

Shape = tuple[int, ...]


@dataclass(frozen=True)
class LayerSetup:
    """What a layer needs to build itself."""

    name: str
    params: dict[str, Any]
    in_shapes: list[Shape]  # per sample, by port
    out_shape: Shape
    dtype: np.dtype
    rng: np.random.Generator


class Layer:
    # Set by the model before each backward pass: False when nobody needs the
    # gradient with respect to this layer's inputs (a first convolution), so
    # a layer may skip computing it and return None.
    input_grad = True

    def __init__(self, setup: LayerSetup) -> None:
        self.name = setup.name
        self.weights: dict[str, np.ndarray] = {}  # trainable, by local name ("W", "b")
        self.grads: dict[str, np.ndarray] = {}
        self.state: dict[str, np.ndarray] = {}  # buffers that are not trained (running statistics)

    def add_weight(self, name: str, value: np.ndarray, dtype: np.dtype) -> np.ndarray:
        self.weights[name] = np.ascontiguousarray(value, dtype=dtype)
        self.grads[name] = np.zeros_like(self.weights[name])
        return self.weights[name]

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        raise NotImplementedError

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        raise NotImplementedError


class Identity(Layer):
    """Passes its input through (the Input layer, and the Activation layer, whose function the model applies)."""

    def forward(self, inputs: list[np.ndarray], training: bool) -> np.ndarray:
        return inputs[0]

    def backward(self, dout: np.ndarray) -> list[np.ndarray]:
        return [dout]
