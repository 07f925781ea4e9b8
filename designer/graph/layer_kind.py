"""What a layer kind is: the record that one catalogue entry fills in.

A kind says which parameters it takes, how many inputs it accepts, how its
output shape follows from its inputs, which weight arrays it owns (their
shapes give the parameter count) and how many multiply-adds one sample costs.
Everything that draws, checks, costs or compiles a layer reads it from here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .params import Param

Shape = tuple[int, ...]


class ShapeProblem(Exception):
    """Raised by a shape rule; the message continues a sentence that starts with the layer's name."""


@dataclass(frozen=True)
class LayerInput:
    """One wired input as a shape rule sees it."""

    shape: Shape
    source: str  # the name of the layer it comes from, for messages


@dataclass(frozen=True)
class ArraySpec:
    """A weight array a layer owns, keyed `<layer name>.<name>` in a model."""

    shape: Shape
    trainable: bool = True

    @property
    def size(self) -> int:
        return math.prod(self.shape)


@dataclass(frozen=True)
class Ports:
    """How many inputs a kind takes. `maximum=None` means any number (ports 0, 1, ...)."""

    minimum: int = 1
    maximum: int | None = 1

    def accepts(self, port: int) -> bool:
        return port >= 0 and (self.maximum is None or port < self.maximum)


Params = Mapping[str, Any]
ShapeRule = Callable[[Params, Sequence[LayerInput]], Shape]
ArrayRule = Callable[[Params, Sequence[Shape], Shape], dict[str, ArraySpec]]
CostRule = Callable[[Params, Sequence[Shape], Shape], int]


def no_arrays(params: Params, inputs: Sequence[Shape], output: Shape) -> dict[str, ArraySpec]:
    return {}


def no_cost(params: Params, inputs: Sequence[Shape], output: Shape) -> int:
    return 0


@dataclass(frozen=True)
class LayerKind:
    name: str
    category: str
    description: str
    params: tuple[Param, ...]
    output_shape: ShapeRule
    inputs: Ports = field(default_factory=Ports)
    has_output: bool = True
    arrays: ArrayRule = no_arrays
    mult_adds: CostRule = no_cost

    def param(self, name: str) -> Param | None:
        for param in self.params:
            if param.name == name:
                return param
        return None

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    def defaults(self) -> dict[str, Any]:
        return {p.name: p.default for p in self.params}

    @property
    def standalone(self) -> bool:
        """A whole network in one node (Hopfield): nothing wires into or out of it."""
        return self.inputs.maximum == 0 and not self.has_output
