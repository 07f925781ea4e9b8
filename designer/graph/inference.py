"""Shape inference and validation in one pass over the graph.

Both need the same walk: a layer's output shape follows from its inputs'
shapes, and a layer whose shape cannot be found is a problem to explain. Each
problem is one sentence that names the layer and says what to do. A problem
upstream is reported once; the layers after it simply have no shape, rather
than a cascade of follow-on complaints.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from .catalogue import layer_kind
from .layer_kind import LayerInput, LayerKind, Shape, ShapeProblem

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
    input_shapes: dict[str, list[Shape]] = field(default_factory=dict)  # for layers whose inputs are all known
    problems: list[Problem] = field(default_factory=list)

    def problems_of(self, node_id: str) -> list[Problem]:
        return [p for p in self.problems if node_id in p.nodes]


def param_problems(name: str, kind: LayerKind, params: dict[str, Any]) -> list[str]:
    """Sentences for unknown, missing or out-of-range parameters of one layer."""
    sentences = []
    for key in params:
        if kind.param(key) is None:
            takes = ", ".join(kind.param_names) or "no parameters"
            sentences.append(
                f"{name} has a parameter {key!r} that {kind.name} does not take; remove it "
                f"({kind.name} takes {takes})."
            )
    for param in kind.params:
        if param.name not in params:
            sentences.append(f"{name} lacks its {param.name} parameter; set it to {param.describe()}.")
            continue
        reason = param.problem(params[param.name])
        if reason:
            sentences.append(f"{name}: {param.name} {reason}, not {params[param.name]!r}.")
    return sentences


def analyse(graph: NetworkGraph) -> Analysis:
    result = Analysis()
    problems = result.problems
    g = graph.nx
    names = {n: graph.name(n) for n in g.nodes}

    if g.number_of_nodes() == 0:
        problems.append(Problem("The network is empty; add an Input layer from the palette to start."))
        return result

    usable: dict[str, LayerKind] = {}  # known kind and good parameters
    for node_id in g.nodes:
        kind_name, params = graph.kind(node_id), g.nodes[node_id]["params"]
        kind = layer_kind(kind_name)
        if kind is None:
            problems.append(Problem(
                f"{names[node_id]} is of kind {kind_name!r}, which NN Designer does not know; "
                f"replace it with a layer from the palette.", (node_id,)))
            continue
        sentences = param_problems(names[node_id], kind, params)
        problems.extend(Problem(s, (node_id,)) for s in sentences)
        if not sentences:
            usable[node_id] = kind

    wired_ok = _check_wiring(graph, names, problems)
    in_cycle = _check_cycles(g, names, problems)
    _check_whole_network(graph, names, problems)

    acyclic = g.subgraph(n for n in g.nodes if n not in in_cycle)
    rank = {node_id: i for i, node_id in enumerate(g.nodes)}
    for node_id in nx.lexicographical_topological_sort(acyclic, key=rank.__getitem__):
        result.shapes[node_id] = None
        kind = usable.get(node_id)
        if kind is None or node_id not in wired_ok:
            continue
        edges = graph.inputs(node_id)
        in_shapes = [result.shapes.get(e.src) for e in edges]
        if any(s is None for s in in_shapes):
            continue
        inputs = [LayerInput(s, names[e.src]) for s, e in zip(in_shapes, edges)]
        try:
            shape = tuple(kind.output_shape(g.nodes[node_id]["params"], inputs))
        except ShapeProblem as problem:
            problems.append(Problem(f"{names[node_id]} {problem}", (node_id,)))
            continue
        result.shapes[node_id] = shape
        result.input_shapes[node_id] = list(in_shapes)
    for node_id in in_cycle:
        result.shapes[node_id] = None
    result.shapes = {n: result.shapes[n] for n in g.nodes}
    return result


def _check_wiring(graph: NetworkGraph, names: dict[str, str], problems: list[Problem]) -> set[str]:
    """Problems with the wires into and out of each layer; returns the layers wired well."""
    wired_ok = set()
    for node_id in graph.nodes():
        kind = layer_kind(graph.kind(node_id))
        name = names[node_id]
        edges = graph.inputs(node_id)
        if kind is None:
            continue
        if not kind.has_output:
            others = [names[e.src] for e in edges] + [names[e.dst] for e in graph.outputs(node_id)]
            if others:
                problems.append(Problem(
                    f"{name} is a whole Hopfield network on its own and cannot be wired to other layers; "
                    f"remove its wires to {_join(sorted(set(others)))}.", (node_id,)))
                continue
        elif kind.inputs.maximum == 0:
            if edges:
                problems.append(Problem(
                    f"{name} is where data enters and takes no input; remove the wire from "
                    f"{_join([names[e.src] for e in edges])}.", (node_id,)))
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
        bad_sources = [e.src for e in edges if (k := layer_kind(graph.kind(e.src))) and not k.has_output]
        if bad_sources:
            continue  # reported at the Hopfield node
        wired_ok.add(node_id)
    return wired_ok


def _check_cycles(g: nx.MultiDiGraph, names: dict[str, str], problems: list[Problem]) -> set[str]:
    in_cycle: set[str] = set()
    order = {node_id: i for i, node_id in enumerate(g.nodes)}
    for component in nx.strongly_connected_components(g):
        members = sorted(component, key=order.__getitem__)
        if len(members) == 1:
            node_id = members[0]
            if g.has_edge(node_id, node_id):
                problems.append(Problem(f"{names[node_id]} is wired into itself; remove that wire.", (node_id,)))
                in_cycle.add(node_id)
            continue
        in_cycle.update(members)
        problems.append(Problem(
            f"{_join([names[n] for n in members])} form a loop; remove one of the wires between them "
            f"so that data flows one way.", tuple(members)))
    return in_cycle


def _check_whole_network(graph: NetworkGraph, names: dict[str, str], problems: list[Problem]) -> None:
    """One Input, one output, and a Hopfield network only on its own."""
    nodes = graph.nodes()
    hopfields = [n for n in nodes if graph.kind(n) == "Hopfield"]
    layers = [n for n in nodes if graph.kind(n) != "Hopfield"]
    if hopfields and (layers or len(hopfields) > 1):
        for node_id in hopfields:
            if not graph.inputs(node_id) and not graph.outputs(node_id):
                problems.append(Problem(
                    f"{names[node_id]} is a whole Hopfield network on its own; keep it in a project "
                    f"without other layers.", (node_id,)))
    if not layers:
        return
    inputs = [n for n in layers if graph.kind(n) == "Input"]
    if not inputs:
        problems.append(Problem(
            "The network has no Input layer; add one from the palette and wire it to the first layer."))
    elif len(inputs) > 1:
        problems.append(Problem(
            f"The network has {len(inputs)} Input layers ({_join([names[n] for n in inputs])}) but takes "
            f"one input; remove all but one.", tuple(inputs[1:])))
    ends = [n for n in layers if not graph.outputs(n)]
    if len(ends) > 1:
        problems.append(Problem(
            f"The network ends in {len(ends)} layers ({_join([names[n] for n in ends])}) but has one "
            f"output; wire them into one layer, such as an Add or a Concat, or remove the extras.",
            tuple(ends)))


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]

