"""NetworkGraph: the network a person designs, the one source of truth.

Layers are nodes of a networkx MultiDiGraph (several wires may join the same
two layers, into different ports of an Add, say); a wire is an edge keyed by
its destination port. Every edit goes through a method here, which sends one
event per change to the observers, so the canvas, undo commands, file loading
and scripts all take the same path.

The model stores what it is given as long as the structure stays sound (nodes
exist, one wire per input port, names unique and usable as weight keys).
Whether the network makes sense (kinds, parameter values, shapes, cycles) is
judged by `validate()`, which explains every problem in one sentence, so a
half-built design can still be held, saved and shown.
"""

from __future__ import annotations

import copy
import math
import re
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Iterable, Mapping

import networkx as nx

from .catalogue import layer_kind
from .events import Edge, EventType, GraphEvent, Observable
from .inference import Analyser, Analysis, Problem
from .layer_kind import Shape
from .params import normalise_value
from .wording import short

NAME_PATTERN = re.compile(r"[A-Za-z_][A-Za-z0-9_]{0,63}")
NODE_SPACING = 220.0
MAX_PORTS = 1024  # input ports of one layer; more wires than this into one Add is no design  # canvas units between layers placed without a position


class GraphEditError(ValueError):
    """An edit that would break the graph's structure; the message says why in one sentence."""


class CycleError(ValueError):
    """The graph has a cycle, so it has no topological order."""


def check_name(name: Any) -> str | None:
    """Why `name` cannot name a layer, or None if it can."""
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        return (
            f"{short(name)} cannot name a layer; use up to 64 letters, digits and underscores, "
            f"starting with a letter or underscore"
        )
    return None


def _port_problem(port: Any) -> str | None:
    if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port < MAX_PORTS:
        return f"{short(port)} is not an input port; ports are numbered 0, 1, 2, ... up to {MAX_PORTS - 1}."
    return None


@dataclass(frozen=True)
class Layer:
    """A copy of one node's data, enough to re-create it exactly (undo uses it)."""

    id: str
    kind: str
    name: str
    params: dict[str, Any] = field(default_factory=dict)
    pos: tuple[float, float] = (0.0, 0.0)


class NetworkGraph(Observable):
    def __init__(self) -> None:
        super().__init__()
        self._graph = nx.MultiDiGraph()
        self._ids_by_name: dict[str, str] = {}
        self._order: list[str] = []  # node ids; networkx keeps insertion order, which undo cannot restore
        self._ids_made = 0  # node ids "n1", "n2", ... are never reused, so undo can rely on them
        self._analyser = Analyser(self)

    # --- reading -------------------------------------------------------------

    @property
    def nx(self) -> nx.MultiDiGraph:
        """A frozen networkx copy: nodes carry kind, name, params, pos; edges are keyed by dst_port.

        A copy, so that nothing can change the model behind its observers' backs.
        """
        return nx.freeze(copy.deepcopy(self._graph))

    def __len__(self) -> int:
        return self._graph.number_of_nodes()

    def __contains__(self, node_id: object) -> bool:
        return node_id in self._graph

    def nodes(self) -> list[str]:
        """Node ids in order: the order of adding, unless a layer was put back at its old place."""
        return list(self._order)

    def edges(self) -> list[Edge]:
        """Every wire, ordered by destination layer and port, so the order never depends on edit history."""
        rank = {node_id: i for i, node_id in enumerate(self._order)}
        edges = [Edge(src, dst, port) for src, dst, port in self._graph.edges(keys=True)]
        return sorted(edges, key=lambda e: (rank[e.dst], e.dst_port))

    def layer(self, node_id: str) -> Layer:
        data = self._node_data(node_id)
        return Layer(node_id, data["kind"], data["name"], copy.deepcopy(data["params"]), data["pos"])

    def layers(self) -> list[Layer]:
        return [self.layer(n) for n in self._order]

    def kind(self, node_id: str) -> str:
        return self._node_data(node_id)["kind"]

    def name(self, node_id: str) -> str:
        return self._node_data(node_id)["name"]

    def params(self, node_id: str) -> dict[str, Any]:
        return copy.deepcopy(self._node_data(node_id)["params"])

    def params_view(self, node_id: str) -> Mapping[str, Any]:
        """The parameters, read-only and not copied: for code that reads them on every edit."""
        return MappingProxyType(self._node_data(node_id)["params"])

    def pos(self, node_id: str) -> tuple[float, float]:
        return self._node_data(node_id)["pos"]

    def find(self, name: str) -> str | None:
        """The id of the layer called `name`, or None."""
        return self._ids_by_name.get(name) if isinstance(name, str) else None

    def inputs(self, node_id: str) -> list[Edge]:
        """The wires into a layer, by port."""
        self._node_data(node_id)
        return sorted((Edge(s, d, p) for s, d, p in self._graph.in_edges(node_id, keys=True)), key=lambda e: e.dst_port)

    def outputs(self, node_id: str) -> list[Edge]:
        """The wires out of a layer."""
        self._node_data(node_id)
        return [Edge(s, d, p) for s, d, p in self._graph.out_edges(node_id, keys=True)]

    def topological_order(self) -> list[str]:
        """Node ids so that every layer comes after the layers wired into it (ties: order of adding)."""
        order = self.analysis().order
        if len(order) < len(self._graph):
            cycle = nx.find_cycle(self._graph.subgraph(n for n in self._graph if n not in set(order)))
            names = [self.name(src) for src, *_ in cycle]
            raise CycleError(f"The network has a loop through {', '.join(names)}, so it has no order.")
        return list(order)

    def analysis(self) -> Analysis:
        """Shapes and problems of the current graph (brought up to date once per change, see Analyser)."""
        return self._analyser.analysis()

    def infer_shapes(self) -> dict[str, Shape | None]:
        """{node_id: output shape without the batch axis}, None where it cannot be known."""
        return dict(self.analysis().shapes)

    def validate(self) -> list[Problem]:
        """The problems that stop this network from being compiled; [] when there are none."""
        return list(self.analysis().problems)

    def can_connect(self, src: str, dst: str, dst_port: int = 0, replacing: bool = False) -> str | None:
        """Why a wire from `src` into port `dst_port` of `dst` cannot work, or None if it can.

        The canvas asks this before it wires, to refuse a wire with the reason.
        With `replacing`, a wire already in that port does not count: the new
        one is to take its place.
        """
        for node_id in (src, dst):
            if not isinstance(node_id, str) or node_id not in self._graph:
                return f"There is no layer with id {short(node_id)}."
        reason = _port_problem(dst_port)
        if reason:
            return reason
        src_kind, dst_kind = layer_kind(self.kind(src)), layer_kind(self.kind(dst))
        src_name, dst_name = self.name(src), self.name(dst)
        for kind, name in ((src_kind, src_name), (dst_kind, dst_name)):
            if kind and kind.standalone:
                return f"{name} is a whole {kind.name} network on its own; it cannot be wired to other layers."
        if dst_kind and dst_kind.inputs.maximum == 0:
            return f"{dst_name} is where data enters; nothing can be wired into it."
        if dst_kind and not dst_kind.inputs.accepts(dst_port):
            return f"{dst_name} takes one input; it has no port {dst_port}."
        occupant = self._port_source(dst, dst_port)
        if occupant is not None and not replacing:
            return f"Input {dst_port} of {dst_name} already has a wire from {self.name(occupant)}."
        if src == dst or nx.has_path(self._graph, dst, src):
            return f"Wiring {src_name} into {dst_name} would make a loop; data must flow one way."
        return None

    def free_port(self, node_id: str) -> int:
        """The lowest input port of a layer with no wire in it."""
        used = {e.dst_port for e in self.inputs(node_id)}
        port = 0
        while port in used:
            port += 1
        return port

    # --- editing ---------------------------------------------------------------

    def add_layer(
        self,
        kind: str,
        name: str | None = None,
        pos: Iterable[float] | None = None,
        *,
        node_id: str | None = None,
        index: int | None = None,
        **params: Any,
    ) -> str:
        """Add a layer and return its node id.

        Parameters not given take the catalogue's defaults. `name` defaults to
        `<kind lower-case>_<n>`; `node_id` and `index` (its place in `nodes()`)
        let undo and file loading restore a layer exactly as it was.
        """
        if not isinstance(kind, str) or not kind:
            raise GraphEditError(f"{short(kind)} is not a layer kind; use a kind name such as 'Dense'.")
        if node_id is None:
            node_id = self._new_id()
        elif not isinstance(node_id, str) or not node_id or node_id in self._graph:
            raise GraphEditError(f"The node id {short(node_id)} is already used or not a string.")
        if name is None:
            name = self.unique_name(kind)
        else:
            self._check_new_name(name)
        spec = layer_kind(kind)
        values = spec.defaults() if spec else {}
        for key, value in params.items():
            param = spec.param(key) if spec else None
            values[key] = normalise_value(param, value) if param else value
        self._graph.add_node(node_id, kind=kind, name=name, params=values, pos=self._position(pos))
        self._order.insert(len(self._order) if index is None else index, node_id)
        self._ids_by_name[name] = node_id
        self._changed(GraphEvent(EventType.NODE_ADDED, node=node_id))
        return node_id

    def remove_layer(self, node_id: str) -> None:
        """Remove a layer and every wire into and out of it (an event for each wire first)."""
        self._node_data(node_id)
        for edge in self.inputs(node_id) + self.outputs(node_id):
            if self._graph.has_edge(edge.src, edge.dst, edge.dst_port):
                self.disconnect(*edge)
        del self._ids_by_name[self.name(node_id)]
        self._graph.remove_node(node_id)
        self._order.remove(node_id)
        self._changed(GraphEvent(EventType.NODE_REMOVED, node=node_id))

    def connect(self, src: str, dst: str, dst_port: int = 0) -> Edge:
        """Wire the output of `src` into input port `dst_port` of `dst`.

        Refused only when the structure would break (a missing layer, a port
        that already has a wire); a wire that makes no sense for the network
        is kept and explained by `validate()`. Ask `can_connect()` first to
        refuse those too.
        """
        for node_id in (src, dst):
            self._node_data(node_id)
        reason = _port_problem(dst_port)
        if reason:
            raise GraphEditError(reason)
        occupant = self._port_source(dst, dst_port)
        if occupant is not None:
            raise GraphEditError(
                f"Input {dst_port} of {self.name(dst)} already has a wire from {self.name(occupant)}; "
                f"disconnect it first."
            )
        self._graph.add_edge(src, dst, key=dst_port)
        edge = Edge(src, dst, dst_port)
        self._changed(GraphEvent(EventType.EDGE_ADDED, edge=edge))
        return edge

    def disconnect(self, src: str, dst: str, dst_port: int = 0) -> None:
        if not self._graph.has_edge(src, dst, dst_port):
            raise GraphEditError(f"There is no wire from {short(src)} into input {dst_port} of {short(dst)}.")
        self._graph.remove_edge(src, dst, dst_port)
        self._changed(GraphEvent(EventType.EDGE_REMOVED, edge=Edge(src, dst, dst_port)))

    def rename(self, node_id: str, name: str) -> None:
        data = self._node_data(node_id)
        if data["name"] == name:
            return
        self._check_new_name(name)
        del self._ids_by_name[data["name"]]
        self._ids_by_name[name] = node_id
        data["name"] = name
        self._changed(GraphEvent(EventType.NODE_CHANGED, node=node_id, changed=("name",)))

    def set_params(self, node_id: str, **params: Any) -> None:
        """Change some parameters of a layer; the others keep their values."""
        data = self._node_data(node_id)
        spec = layer_kind(data["kind"])
        changed = []
        for key, value in params.items():
            param = spec.param(key) if spec else None
            value = normalise_value(param, value) if param else value
            if key not in data["params"] or data["params"][key] != value or type(data["params"][key]) is not type(value):
                data["params"][key] = value
                changed.append(key)
        if changed:
            self._changed(GraphEvent(EventType.NODE_CHANGED, node=node_id, changed=tuple(changed)))

    def move(self, node_id: str, pos: Iterable[float]) -> None:
        """Set a layer's position on the canvas (no effect on the network itself)."""
        data = self._node_data(node_id)
        new_pos = self._position(pos)
        if data["pos"] != new_pos:
            data["pos"] = new_pos
            self._emit(GraphEvent(EventType.NODE_MOVED, node=node_id))

    def unique_name(self, kind: str) -> str:
        """The first free name `<kind lower-case>_<n>`, n = 1, 2, ..."""
        prefix = re.sub(r"[^A-Za-z0-9_]", "_", kind.lower()) or "layer"
        if not prefix[0].isalpha():
            prefix = "layer_" + prefix
        n = 1
        while f"{prefix}_{n}" in self._ids_by_name:
            n += 1
        return f"{prefix}_{n}"

    # --- internals -------------------------------------------------------------

    def _node_data(self, node_id: str) -> dict[str, Any]:
        try:
            return self._graph.nodes[node_id]
        except (KeyError, TypeError):
            raise GraphEditError(f"There is no layer with id {short(node_id)}.") from None

    def _port_source(self, dst: str, port: int) -> str | None:
        for src, _, key in self._graph.in_edges(dst, keys=True):
            if key == port:
                return src
        return None

    def _check_new_name(self, name: Any) -> None:
        problem = check_name(name)
        if problem:
            raise GraphEditError(problem + ".")
        if self.find(name) is not None:
            raise GraphEditError(f"A layer is already called {name}; choose another name.")

    def _new_id(self) -> str:
        self._ids_made += 1
        while f"n{self._ids_made}" in self._graph:
            self._ids_made += 1
        return f"n{self._ids_made}"

    def _position(self, pos: Iterable[float] | None) -> tuple[float, float]:
        if pos is None:
            xs = [p[0] for _, p in self._graph.nodes(data="pos")]
            return (max(xs) + NODE_SPACING if xs else 0.0, 0.0)
        try:
            x, y = (float(v) for v in pos)
        except (TypeError, ValueError, OverflowError):
            raise GraphEditError(f"{short(pos)} is not a position; give two numbers (x, y).") from None
        if not (math.isfinite(x) and math.isfinite(y)):
            raise GraphEditError(f"{short(pos)} is not a position; both numbers must be finite.")
        return (x, y)

    def _changed(self, event: GraphEvent) -> None:
        self._analyser.note(event)
        self._emit(event)

