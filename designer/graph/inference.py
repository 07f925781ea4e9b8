"""Shape inference and validation in one pass over the graph.

Both need the same walk: a layer's output shape follows from its inputs'
shapes, and a layer whose shape cannot be found is a problem to explain. Each
problem is one sentence that names the layer and says what to do. A problem
upstream is reported once; the layers after it simply have no shape, rather
than a cascade of follow-on complaints.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from .catalogue import layer_kind
from .events import Edge
from .layer_kind import LayerInput, LayerKind, Shape, ShapeProblem
from .wording import join_names, short

if TYPE_CHECKING:
    from .network import NetworkGraph


@dataclass(frozen=True)
class Problem:
    """One thing that stops the network from compiling, said in one sentence."""

    message: str
    nodes: tuple[str, ...] = ()  # the layers it concerns, first the one to badge

    @property
    def node(self) -> str | None:
        return self.nodes[0] if self.nodes else None

    def __str__(self) -> str:
        return self.message


@dataclass
class Analysis:
    shapes: dict[str, Shape | None] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # execution order; layers on or after a loop are missing
    input_shapes: dict[str, list[Shape]] = field(default_factory=dict)  # for layers whose inputs are all known
    problems: list[Problem] = field(default_factory=list)
    # results derived from this analysis by other modules (the summary rows), kept until the next change
    derived: dict[str, Any] = field(default_factory=dict)

    def problems_of(self, node_id: str) -> list[Problem]:
        return [p for p in self.problems if node_id in p.nodes]


def param_problems(name: str, kind: LayerKind, params: dict[str, Any]) -> list[str]:
    """Sentences for unknown, missing or out-of-range parameters of one layer."""
    sentences = []
    for key in params:
        if kind.param(key) is None:
            takes = ", ".join(kind.param_names) or "no parameters"
            sentences.append(
                f"{name} has a parameter {short(key)} that {kind.name} does not take; remove it "
                f"({kind.name} takes {takes})."
            )
    for param in kind.params:
        if param.name not in params:
            sentences.append(f"{name} lacks its {param.name} parameter; set it to {param.describe()}.")
            continue
        reason = param.problem(params[param.name])
        if reason:
            sentences.append(f"{name}: {param.name} {reason}, not {short(params[param.name])}.")
    return sentences


@dataclass
class _Snapshot:
    """The graph read once into plain dicts, so that one analysis walks no networkx views."""

    nodes: list[str]
    names: dict[str, str]
    kinds: dict[str, str]
    params: dict[str, dict[str, Any]]
    inputs: dict[str, list[Edge]]  # by port
    outputs: dict[str, list[Edge]]

    @classmethod
    def of(cls, graph: NetworkGraph) -> _Snapshot:
        nodes = graph.nodes()
        data = graph._graph.nodes  # read in place: the public view is a copy, too slow for every edit
        snapshot = cls(
            nodes=nodes,
            names={n: data[n]["name"] for n in nodes},
            kinds={n: data[n]["kind"] for n in nodes},
            params={n: data[n]["params"] for n in nodes},
            inputs={n: [] for n in nodes},
            outputs={n: [] for n in nodes},
        )
        for edge in graph.edges():
            snapshot.inputs[edge.dst].append(edge)
            snapshot.outputs[edge.src].append(edge)
        for edges in snapshot.inputs.values():
            edges.sort(key=lambda e: e.dst_port)
        return snapshot

    def kind(self, node_id: str) -> LayerKind | None:
        return layer_kind(self.kinds[node_id])


def execution_order(snapshot: _Snapshot) -> list[str]:
    """Kahn's topological order, ties broken by the order of adding; nodes on or after a loop are left out."""
    rank = {n: i for i, n in enumerate(snapshot.nodes)}
    waiting = {n: len(snapshot.inputs[n]) for n in snapshot.nodes}
    ready = [rank[n] for n in snapshot.nodes if waiting[n] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        node_id = snapshot.nodes[heapq.heappop(ready)]
        order.append(node_id)
        for edge in snapshot.outputs[node_id]:
            waiting[edge.dst] -= 1
            if waiting[edge.dst] == 0:
                heapq.heappush(ready, rank[edge.dst])
    return order


def analyse(graph: NetworkGraph) -> Analysis:
    result = Analysis()
    problems = result.problems
    snap = _Snapshot.of(graph)
    names = snap.names
    if not snap.nodes:
        problems.append(Problem("The network is empty; add an Input layer from the palette to start."))
        return result

    usable: dict[str, LayerKind] = {}  # known kind and good parameters
    for node_id in snap.nodes:
        kind = snap.kind(node_id)
        if kind is None:
            problems.append(Problem(
                f"{names[node_id]} is of kind {short(snap.kinds[node_id])}, which NN Designer does not know; "
                f"replace it with a layer from the palette.", (node_id,)))
            continue
        sentences = param_problems(names[node_id], kind, snap.params[node_id])
        problems.extend(Problem(s, (node_id,)) for s in sentences)
        if not sentences:
            usable[node_id] = kind

    wired_ok = _check_wiring(snap, problems)
    result.order = execution_order(snap)
    if len(result.order) < len(snap.nodes):
        _check_cycles(graph, names, problems)
    _check_whole_network(snap, problems)

    shapes: dict[str, Shape | None] = dict.fromkeys(snap.nodes)
    for node_id in result.order:
        kind = usable.get(node_id)
        if kind is None or node_id not in wired_ok:
            continue
        edges = snap.inputs[node_id]
        in_shapes = [shapes[e.src] for e in edges]
        if any(s is None for s in in_shapes):
            continue
        inputs = [LayerInput(s, names[e.src]) for s, e in zip(in_shapes, edges)]
        try:
            shapes[node_id] = tuple(kind.output_shape(snap.params[node_id], inputs))
        except ShapeProblem as problem:
            problems.append(Problem(f"{names[node_id]} {problem}", (node_id,)))
            continue
        result.input_shapes[node_id] = list(in_shapes)
    result.shapes = shapes
    return result


def _check_wiring(snap: _Snapshot, problems: list[Problem]) -> set[str]:
    """Problems with the wires into and out of each layer; returns the layers wired well."""
    names = snap.names
    wired_ok = set()
    for node_id in snap.nodes:
        kind = snap.kind(node_id)
        name = names[node_id]
        edges = snap.inputs[node_id]
        if kind is None:
            continue
        if kind.standalone:
            others = [names[e.src] for e in edges] + [names[e.dst] for e in snap.outputs[node_id]]
            if others:
                problems.append(Problem(
                    f"{name} is a whole {kind.name} network on its own and cannot be wired to other layers; "
                    f"remove its wires to {join_names(sorted(set(others)))}.", (node_id,)))
                continue
        elif kind.inputs.maximum == 0:
            if edges:
                problems.append(Problem(
                    f"{name} is where data enters and takes no input; remove the wire from "
                    f"{join_names([names[e.src] for e in edges])}.", (node_id,)))
                continue
        else:
            extra = [e for e in edges if not kind.inputs.accepts(e.dst_port)]
            if extra:
                problems.append(Problem(
                    f"{name} takes one input but has a wire into port {extra[0].dst_port} from "
                    f"{names[extra[0].src]}; remove it.", (node_id,)))
                continue
            if not edges:
                problems.append(Problem(
                    f"{name} has nothing wired into its input; connect a layer's output to it.", (node_id,)))
                continue
            if len(edges) < kind.inputs.minimum:
                problems.append(Problem(
                    f"{name} needs at least {kind.inputs.minimum} inputs but has {len(edges)}; "
                    f"wire another layer into it.", (node_id,)))
                continue
        if any((k := snap.kind(e.src)) and k.standalone for e in edges):
            continue  # reported at the standalone node
        wired_ok.add(node_id)
    return wired_ok


def _check_cycles(graph: NetworkGraph, names: dict[str, str], problems: list[Problem]) -> None:
    g = graph._graph  # read only
    order = {node_id: i for i, node_id in enumerate(graph.nodes())}
    for component in nx.strongly_connected_components(g):
        members = sorted(component, key=order.__getitem__)
        if len(members) == 1:
            node_id = members[0]
            if g.has_edge(node_id, node_id):
                problems.append(Problem(f"{names[node_id]} is wired into itself; remove that wire.", (node_id,)))
            continue
        problems.append(Problem(
            f"{join_names([names[n] for n in members])} form a loop; remove one of the wires between them "
            f"so that data flows one way.", tuple(members)))


def _check_whole_network(snap: _Snapshot, problems: list[Problem]) -> None:
    """One Input, one output, and a standalone network (Hopfield) only on its own."""
    names = snap.names
    standalone = [n for n in snap.nodes if (k := snap.kind(n)) and k.standalone]
    layers = [n for n in snap.nodes if not ((k := snap.kind(n)) and k.standalone)]
    if standalone and (layers or len(standalone) > 1):
        for node_id in standalone:
            if not snap.inputs[node_id] and not snap.outputs[node_id]:
                problems.append(Problem(
                    f"{names[node_id]} is a whole {snap.kinds[node_id]} network on its own; keep it in a "
                    f"project without other layers.", (node_id,)))
    if not layers:
        return
    inputs = [n for n in layers if snap.kinds[n] == "Input"]
    if not inputs:
        problems.append(Problem(
            "The network has no Input layer; add one from the palette and wire it to the first layer."))
    elif len(inputs) > 1:
        problems.append(Problem(
            f"The network has {len(inputs)} Input layers ({join_names([names[n] for n in inputs])}) but takes "
            f"one input; remove all but one.", tuple(inputs[1:])))
    ends = [n for n in layers if not snap.outputs[n]]
    if len(ends) > 1:
        problems.append(Problem(
            f"The network ends in {len(ends)} layers ({join_names([names[n] for n in ends])}) but has one "
            f"output; wire them into one layer, such as an Add or a Concat, or remove the extras.",
            tuple(ends)))
