"""A network compiled from a graph: forward and backward passes over its layers.

`compile_graph(graph)` checks the graph, then builds one engine layer per
node in execution order. The model owns every weight array: `model.params`,
`model.grads` and `model.state` map "<layer name>.<param>" to the very arrays
the layers compute with, so writing `model.params[k][...] = w` changes the
model, and optimisers update them in place.

Activation functions (a Dense's `activation`, an Activation layer) are
applied here, after the layer. `forward(X, logits=True)` stops before a final
softmax or sigmoid, so that a loss can fuse it with its logarithm (the
stable way); the following `backward` then starts from the logits.
"""

from __future__ import annotations

import math
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..graph import NetworkGraph, format_shape
from .activations import ACTIVATIONS, ActivationFunction
from .layers import LAYER_CLASSES, Layer, LayerSetup

FUSABLE = ("softmax", "sigmoid")  # final activations a loss can take over


class CompileError(ValueError):
    """The graph cannot become a model; the message says why in a sentence or two."""


@dataclass
class CompiledNode:
    id: str
    name: str
    kind: str
    layer: Layer
    sources: list[str]  # node ids wired in, by port
    from_input_only: bool = False  # every source is the Input, whose gradient is rarely wanted
    activation: ActivationFunction | None = None
    slope: float = 0.01  # of leaky_relu
    applied: bool = field(default=False, repr=False)  # the activation ran in the last forward pass
    z: np.ndarray | None = field(default=None, repr=False)  # pre-activation output
    a: np.ndarray | None = field(default=None, repr=False)  # output


def _activation_of(kind: str, params: dict[str, Any]) -> tuple[ActivationFunction | None, float]:
    if kind == "Activation":
        name, slope = params["function"], params["negative_slope"]
    elif "activation" in params:
        name, slope = params["activation"], 0.01
    else:
        return None, 0.01
    return (None if name == "linear" else ACTIVATIONS[name]), slope


class Model:
    def __init__(self, graph: NetworkGraph, seed: int = 0, dtype: Any = np.float32) -> None:
        problems = graph.validate()
        if problems:
            first = str(problems[0]).rstrip(".")
            more = len(problems) - 1
            also = f" ({more} more problem{'s' if more > 1 else ''} after this one)" if more else ""
            raise CompileError(f"The network cannot be compiled: {first}{also}.")
        kinds = {graph.kind(n) for n in graph.nodes()}
        unsupported = sorted(k for k in kinds if k not in LAYER_CLASSES)
        if unsupported:
            raise CompileError(
                f"The network cannot be compiled: {unsupported[0]} is not trained by gradient descent; "
                f"it has a workspace of its own."
            )
        self.dtype = np.dtype(dtype)
        if self.dtype not in (np.float32, np.float64):
            raise CompileError(f"Models compute in float32 or float64, not {self.dtype}.")
        self.capture = False
        self.outputs: dict[str, np.ndarray] = {}  # "<layer name>" -> output of the last forward, when capturing
        analysis = graph.analysis()
        self.nodes: list[CompiledNode] = []
        for node_id in graph.topological_order():
            kind, name, params = graph.kind(node_id), graph.name(node_id), graph.params(node_id)
            setup = LayerSetup(
                name=name,
                params=params,
                in_shapes=[tuple(s) for s in analysis.input_shapes[node_id]],
                out_shape=tuple(analysis.shapes[node_id]),
                dtype=self.dtype,
                rng=np.random.default_rng([seed, zlib.crc32(name.encode())]),  # a layer's start depends on its name
            )
            activation, slope = _activation_of(kind, params)
            sources = [e.src for e in graph.inputs(node_id)]
            from_input_only = bool(sources) and all(graph.kind(s) == "Input" for s in sources)
            self.nodes.append(CompiledNode(
                node_id, name, kind, LAYER_CLASSES[kind](setup), sources, from_input_only, activation, slope
            ))
        self.input_node = next(n for n in self.nodes if n.kind == "Input")
        self.output_node = self.nodes[-1]
        self.input_shape = tuple(analysis.shapes[self.input_node.id])
        self.output_shape = tuple(analysis.shapes[self.output_node.id])
        self.params: dict[str, np.ndarray] = {}
        self.grads: dict[str, np.ndarray] = {}
        self.state: dict[str, np.ndarray] = {}
        for node in self.nodes:
            for key, array in node.layer.weights.items():
                self.params[f"{node.name}.{key}"] = array
                self.grads[f"{node.name}.{key}"] = node.layer.grads[key]
            for key, array in node.layer.state.items():
                self.state[f"{node.name}.{key}"] = array

    @property
    def layers(self) -> list[Layer]:
        """The engine layers in execution order."""
        return [node.layer for node in self.nodes]

    @property
    def output_activation(self) -> str | None:
        """The name of the activation applied last, if any ('softmax', 'sigmoid', 'relu', ...)."""
        activation = self.output_node.activation
        return activation.name if activation else None

    # --- passes ----------------------------------------------------------------

    def _check_input(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X)
        if X.shape[1:] != self.input_shape:
            raise ValueError(
                f"The data has samples of shape {format_shape(X.shape[1:])}, but the network's Input expects "
                f"{format_shape(self.input_shape)}; change the Input shape or the data."
            )
        return X.astype(self.dtype, copy=False)

    def forward(self, X: np.ndarray, training: bool = False, logits: bool = False) -> np.ndarray:
        """Run a batch through the network. With logits=True, stop before a final softmax or sigmoid."""
        values: dict[str, np.ndarray] = {}
        outputs: dict[str, np.ndarray] = {}
        for node in self.nodes:
            inputs = [values[s] for s in node.sources] if node.sources else [self._check_input(X)]
            out = node.layer.forward(inputs, training)
            node.applied = node.activation is not None and not (
                logits and node is self.output_node and node.activation.name in FUSABLE
            )
            if node.applied:
                node.z = out
                out = node.activation.forward(out, node.slope)
                node.a = out
            values[node.id] = out
            if self.capture:
                outputs[node.name] = out
        if self.capture:
            self.outputs = outputs
        return values[self.output_node.id]

    def backward(self, dout: np.ndarray, input_gradient: bool = False) -> np.ndarray | None:
        """Backpropagate the gradient of the loss with respect to the last forward's output.

        Fills `grads` (overwriting them) and, when asked, returns the gradient
        with respect to the input batch.
        """
        pending: dict[str, np.ndarray] = {self.output_node.id: np.asarray(dout, dtype=self.dtype)}
        for node in reversed(self.nodes):
            d = pending.pop(node.id, None)
            if d is None:  # the Input, when no gradient was asked for it
                continue
            if node.applied:
                d = node.activation.backward(d, node.z, node.a, node.slope)
            if not node.sources:  # the Input
                return d
            node.layer.input_grad = input_gradient or not node.from_input_only
            for src, d_src in zip(node.sources, node.layer.backward(d)):
                if d_src is not None:
                    pending[src] = d_src if src not in pending else pending[src] + d_src
        return None

    def grad_norms(self) -> dict[str, float]:
        """The L2 norm of each trainable layer's gradients (all its parameters together), by layer name."""
        squares: dict[str, float] = {}
        for key, grad in self.grads.items():
            layer = key.rsplit(".", 1)[0]
            squares[layer] = squares.get(layer, 0.0) + float(np.vdot(grad, grad))
        return {layer: math.sqrt(total) for layer, total in squares.items()}

    # --- weights -------------------------------------------------------------------

    def get_weights(self) -> dict[str, np.ndarray]:
        """Copies of every parameter and state array, keyed "<layer name>.<param>" (what a project saves)."""
        return {k: v.copy() for k, v in {**self.params, **self.state}.items()}

    def set_weights(self, weights: dict[str, np.ndarray]) -> list[str]:
        """Copy in the arrays whose key and shape fit; return the keys of this model left as they were."""
        kept = []
        for key, target in {**self.params, **self.state}.items():
            source = weights.get(key)
            if source is None or np.shape(source) != target.shape:
                kept.append(key)
                continue
            target[...] = source
        return kept


def compile_graph(graph: NetworkGraph, seed: int = 0, dtype: Any = np.float32) -> Model:
    """Compile a graph that validates into a Model; raises CompileError with the reason otherwise."""
    return Model(graph, seed=seed, dtype=dtype)
