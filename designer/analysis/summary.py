"""The summary table: what each layer outputs, owns and costs, like Keras's `model.summary()`.

Per layer: output shape, parameters (trainable and not), multiply-adds and
activation elements for one sample. Totals add memory in bytes and, for a
batch size and optimiser, an estimate of training memory. A layer whose shape
cannot be known (the graph has a problem there) shows None and is left out of
the totals, and the summary says it is incomplete.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..graph import NetworkGraph, format_shape, layer_kind
from .memory import BYTES_PER_VALUE, format_bytes, training_bytes

Shape = tuple[int, ...]


@dataclass(frozen=True)
class LayerRow:
    id: str
    name: str
    kind: str
    inputs: tuple[str, ...]  # names of the layers wired in, by port
    output_shape: Shape | None
    trainable_params: int | None
    non_trainable_params: int | None
    mult_adds: int | None
    activations: int | None  # elements of the output, per sample

    @property
    def params(self) -> int | None:
        if self.trainable_params is None or self.non_trainable_params is None:
            return None
        return self.trainable_params + self.non_trainable_params

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "inputs": list(self.inputs),
            "output_shape": list(self.output_shape) if self.output_shape is not None else None,
            "params": self.params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.non_trainable_params,
            "mult_adds": self.mult_adds,
            "activations": self.activations,
        }


@dataclass(frozen=True)
class Summary:
    title: str
    rows: list[LayerRow]
    problems: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return all(row.output_shape is not None for row in self.rows)

    # the totals are cached_property: worked out once, though a window shows some of them twice per edit
    def _total(self, attribute: str) -> int:
        return sum(getattr(row, attribute) or 0 for row in self.rows)

    @cached_property
    def total_params(self) -> int:
        return self._total("params")

    @cached_property
    def trainable_params(self) -> int:
        return self._total("trainable_params")

    @cached_property
    def non_trainable_params(self) -> int:
        return self._total("non_trainable_params")

    @cached_property
    def mult_adds(self) -> int:
        return self._total("mult_adds")

    @cached_property
    def activations(self) -> int:
        """Elements per sample: the input plus every layer's output."""
        return self._total("activations")

    @property
    def param_bytes(self) -> int:
        return self.total_params * BYTES_PER_VALUE

    @property
    def activation_bytes(self) -> int:
        return self.activations * BYTES_PER_VALUE

    def training_bytes(self, batch_size: int, optimizer: str = "sgd", momentum: float = 0.0) -> int:
        return training_bytes(
            self.total_params, self.trainable_params, self.activations, batch_size, optimizer, momentum
        )

    def to_dict(self, batch_size: int | None = None, optimizer: str = "sgd", momentum: float = 0.0) -> dict[str, Any]:
        data: dict[str, Any] = {
            "title": self.title,
            "layers": [row.to_dict() for row in self.rows],
            "total_params": self.total_params,
            "trainable_params": self.trainable_params,
            "non_trainable_params": self.non_trainable_params,
            "mult_adds": self.mult_adds,
            "activations": self.activations,
            "param_bytes": self.param_bytes,
            "activation_bytes": self.activation_bytes,
            "complete": self.complete,
            "problems": list(self.problems),
        }
        if batch_size is not None:
            data["batch_size"] = batch_size
            data["optimizer"] = optimizer
            data["training_bytes"] = self.training_bytes(batch_size, optimizer, momentum)
        return data

    def to_text(self, batch_size: int | None = None, optimizer: str = "sgd", momentum: float = 0.0) -> str:
        """A table for a terminal, in the manner of Keras, with totals and memory lines."""
        branched = any(len(row.inputs) > 1 for row in self.rows) or _has_fan_out(self.rows)
        header = ["Layer (type)", "Output Shape", "Param #", "Mult-Adds"] + (["Connected to"] if branched else [])
        table = [header]
        for row in self.rows:
            cells = [
                f"{row.name} ({row.kind})",
                format_shape(row.output_shape) if row.output_shape is not None else "?",
                _count(row.params),
                _count(row.mult_adds),
            ]
            if branched:
                cells.append(", ".join(row.inputs))
            table.append(cells)
        widths = [max(len(r[i]) for r in table) for i in range(len(header))]
        right = {2, 3}  # numbers align right

        def line(cells: list[str]) -> str:
            parts = [c.rjust(w) if i in right else c.ljust(w) for i, (c, w) in enumerate(zip(cells, widths))]
            return " " + "   ".join(parts).rstrip()

        rule_width = sum(widths) + 3 * (len(widths) - 1) + 2
        lines = [f'Model: "{self.title}"', "_" * rule_width, line(header), "=" * rule_width]
        lines += [line(cells) for cells in table[1:]]
        lines.append("=" * rule_width)
        lines += [
            f"Total params: {self.total_params:,} ({format_bytes(self.param_bytes)})",
            f"Trainable params: {self.trainable_params:,}",
            f"Non-trainable params: {self.non_trainable_params:,}",
            f"Mult-adds per sample: {self.mult_adds:,}",
            f"Activations per sample: {self.activations:,} values ({format_bytes(self.activation_bytes)} forward)",
        ]
        if batch_size is not None:
            needed = self.training_bytes(batch_size, optimizer, momentum)
            with_momentum = f", momentum {momentum:g}" if optimizer == "sgd" and momentum > 0 else ""
            lines.append(f"Training memory (batch {batch_size}, {optimizer}{with_momentum}): about {format_bytes(needed)}")
        lines.append("_" * rule_width)
        if not self.complete:
            lines.append("Incomplete: layers marked ? have no known shape and are left out of the totals.")
        if self.problems:
            lines.append("Problems:")
            lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


def _has_fan_out(rows: list[LayerRow]) -> bool:
    uses: dict[str, int] = {}
    for row in rows:
        for name in row.inputs:
            uses[name] = uses.get(name, 0) + 1
    return any(count > 1 for count in uses.values())


def _count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def layer_row(graph: NetworkGraph, node_id: str) -> LayerRow:
    """One layer's row of the summary (cheap: the graph's analysis is computed once per change)."""
    analysis = graph.analysis()
    kind = layer_kind(graph.kind(node_id))
    shape = analysis.shapes.get(node_id)
    trainable = non_trainable = mult_adds = activations = None
    if kind is not None and shape is not None:
        in_shapes = analysis.input_shapes[node_id]
        params = graph.params_view(node_id)
        arrays = kind.arrays(params, in_shapes, shape)
        trainable = sum(a.size for a in arrays.values() if a.trainable)
        non_trainable = sum(a.size for a in arrays.values() if not a.trainable)
        mult_adds = kind.mult_adds(params, in_shapes, shape)
        activations = math.prod(shape)
    return LayerRow(
        id=node_id,
        name=graph.name(node_id),
        kind=graph.kind(node_id),
        inputs=tuple(graph.name(e.src) for e in graph.inputs(node_id)),
        output_shape=shape,
        trainable_params=trainable,
        non_trainable_params=non_trainable,
        mult_adds=mult_adds,
        activations=activations,
    )


def summary(graph: NetworkGraph, title: str = "network") -> Summary:
    """Per-layer shapes, parameters and costs of a graph, in execution order.

    The rows are computed once per change of the graph, however many panels ask.
    """
    analysis = graph.analysis()
    rows = analysis.derived.get("summary_rows")
    if rows is None:
        try:
            order = graph.topological_order()
        except ValueError:  # a cycle: keep the order of adding; the problems say what is wrong
            order = graph.nodes()
        rows = analysis.derived["summary_rows"] = [layer_row(graph, node_id) for node_id in order]
    return Summary(title=title, rows=list(rows), problems=[str(p) for p in analysis.problems])
