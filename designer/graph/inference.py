"""Shape inference and validation in one pass over the graph.

Both need the same walk: a layer's output shape follows from its inputs'
shapes, and a layer whose shape cannot be found is a problem to explain. Each
problem is one sentence that names the layer and says what to do. A problem
upstream is reported once; the layers after it simply have no shape, rather
than a cascade of follow-on complaints.

The graph keeps one `Analyser`, which works out again after an edit only what
the edit can change (see there).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import networkx as nx

from .catalogue import layer_kind
from .events import Edge, EventType, GraphEvent
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


@dataclass(eq=False)
class _Layer:
    """What the analysis knows of one layer: what it read from the graph, its checks, and its shape."""

    id: str
    name: str = ""
    kind_name: str = ""
    kind: LayerKind | None = None
    params: dict[str, Any] = field(default_factory=dict)  # the graph's own dict, read in place
    inputs: list[Edge] = field(default_factory=list)  # by port
    outputs: list[Edge] = field(default_factory=list)
    own_problems: list[Problem] = field(default_factory=list)  # of its kind and parameters
    wiring_problems: list[Problem] = field(default_factory=list)
    wired_ok: bool = False
    shape: Shape | None = None
    input_shapes: list[Shape] | None = None  # set when the shape is known
    shape_problems: list[Problem] = field(default_factory=list)
    standalone: bool = False  # a whole network on its own (Hopfield)

    def forget_shape(self) -> None:
        self.shape, self.input_shapes, self.shape_problems = None, None, []


class Analyser:
    """The analysis of one graph, brought up to date after each edit by redoing only what the edit can change.

    Analysing a network of a few hundred layers from scratch takes milliseconds,
    too long to repeat on every edit, and an edit changes little of it. A layer's
    own checks read only its kind, name and parameters; its wiring checks read
    also the names and kinds of the layers wired to it; its shape reads also the
    names and shapes of its inputs. So the layers an edit touched, and their
    neighbours, are checked again, and shapes are worked out again from those
    layers on, in execution order, only as far as a shape changes. What concerns
    the whole network (the execution order, one Input and one output) is cheap
    and worked out again every time; so are all shapes while there is a loop,
    as a loop is rare and changes which layers have an order at all.

    The graph calls `note` with each of its events; a new Analyser analyses the
    whole graph, which is what the tests compare the kept one against.
    """

    def __init__(self, graph: NetworkGraph) -> None:
        self._graph = graph
        self._layers: dict[str, _Layer] = {}
        self._touched: set[str] = set(graph.nodes())
        self._loop = False  # whether the last analysis found one
        self._analysis: Analysis | None = None

    def note(self, event: GraphEvent) -> None:
        """Remember the layers a change touched (it has been made); the next `analysis()` looks at them again."""
        if event.type == EventType.NODE_MOVED:
            return
        self._analysis = None
        if event.edge is not None:
            self._touched.update((event.edge.src, event.edge.dst))
        else:
            self._touched.add(event.node)

    def analysis(self) -> Analysis:
        """Shapes and problems of the graph as it is now (a new Analysis after each change, the same one until then)."""
        if self._analysis is None:
            self._analysis = self._update()
        return self._analysis

    def _update(self) -> Analysis:
        nodes, layers = self._graph.nodes(), self._layers
        touched, self._touched = self._touched, set()
        if not nodes:
            layers.clear()
            self._loop = False
            return Analysis(problems=[Problem("The network is empty; add an Input layer from the palette to start.")])
        for node_id in touched:
            if node_id in self._graph:
                self._read(node_id)
            else:
                layers.pop(node_id, None)
        recheck = {n for n in touched if n in layers}
        for node_id in list(recheck):  # their names and kinds are in their neighbours' wiring checks
            recheck.update(e.src for e in layers[node_id].inputs)
            recheck.update(e.dst for e in layers[node_id].outputs)
        for node_id in recheck:
            layer = layers[node_id]
            layer.wiring_problems, layer.wired_ok = _check_wiring(layer, layers)

        order = execution_order(nodes, layers)
        loop = len(order) < len(nodes)
        if loop or self._loop:
            for layer in layers.values():
                layer.forget_shape()
            recheck = set(order)
        self._loop = loop
        self._infer_shapes(order, recheck)

        problems = [p for n in nodes for p in layers[n].own_problems]
        problems += [p for n in nodes for p in layers[n].wiring_problems]
        if loop:
            _check_cycles(self._graph, {n: layers[n].name for n in nodes}, problems)
        _check_whole_network(nodes, layers, problems)
        problems += [p for n in order for p in layers[n].shape_problems]
        return Analysis(
            shapes={n: layers[n].shape for n in nodes},
            order=order,
            input_shapes={n: layers[n].input_shapes for n in order if layers[n].input_shapes is not None},
            problems=problems,
        )

    def _read(self, node_id: str) -> None:
        """Read one layer from the graph (in place: the public views copy) and check its kind and parameters."""
        g = self._graph._graph
        data = g.nodes[node_id]
        layer = self._layers.setdefault(node_id, _Layer(node_id))
        layer.name, layer.kind_name, layer.params = data["name"], data["kind"], data["params"]
        layer.kind = layer_kind(layer.kind_name)
        layer.standalone = layer.kind is not None and layer.kind.standalone
        layer.inputs = sorted((Edge(*e) for e in g.in_edges(node_id, keys=True)), key=lambda e: e.dst_port)
        layer.outputs = [Edge(*e) for e in g.out_edges(node_id, keys=True)]
        if layer.kind is None:
            layer.own_problems = [Problem(
                f"{layer.name} is of kind {short(layer.kind_name)}, which NN Designer does not know; "
                f"replace it with a layer from the palette.", (node_id,))]
        else:
            layer.own_problems = [Problem(s, (node_id,)) for s in param_problems(layer.name, layer.kind, layer.params)]

    def _infer_shapes(self, order: list[str], todo: set[str]) -> None:
        """Work out the shapes of the layers in `todo` and, in execution order, of those after a shape that changed."""
        layers = self._layers
        for node_id in order:
            if node_id not in todo:
                continue
            layer = layers[node_id]
            before = layer.shape
            self._infer_shape(layer)
            if layer.shape != before:
                todo.update(e.dst for e in layer.outputs)

    def _infer_shape(self, layer: _Layer) -> None:
        """A layer's shape from its inputs' shapes; none (and no complaint) while a layer before it has none."""
        layer.forget_shape()
        if layer.kind is None or layer.own_problems or not layer.wired_ok:
            return
        sources = [self._layers[e.src] for e in layer.inputs]
        if any(source.shape is None for source in sources):
            return
        try:
            shape = layer.kind.output_shape(layer.params, [LayerInput(s.shape, s.name) for s in sources])
        except ShapeProblem as problem:
            layer.shape_problems = [Problem(f"{layer.name} {problem}", (layer.id,))]
            return
        layer.shape, layer.input_shapes = tuple(shape), [s.shape for s in sources]


def execution_order(nodes: list[str], layers: dict[str, _Layer]) -> list[str]:
    """Kahn's topological order, ties broken by the order of adding; nodes on or after a loop are left out."""
    rank = {n: i for i, n in enumerate(nodes)}
    waiting = {n: len(layers[n].inputs) for n in nodes}
    ready = [rank[n] for n in nodes if waiting[n] == 0]
    heapq.heapify(ready)
    order = []
    while ready:
        node_id = nodes[heapq.heappop(ready)]
        order.append(node_id)
        for edge in layers[node_id].outputs:
            waiting[edge.dst] -= 1
            if waiting[edge.dst] == 0:
                heapq.heappush(ready, rank[edge.dst])
    return order


def _check_wiring(layer: _Layer, layers: dict[str, _Layer]) -> tuple[list[Problem], bool]:
    """Problems with the wires into and out of one layer, and whether it is wired well."""
    kind, name, edges = layer.kind, layer.name, layer.inputs
    if kind is None:
        return [], False
    if kind.standalone:
        others = [layers[e.src].name for e in edges] + [layers[e.dst].name for e in layer.outputs]
        if others:
            return [Problem(
                f"{name} is a whole {kind.name} network on its own and cannot be wired to other layers; "
                f"remove its wires to {join_names(sorted(set(others)))}.", (layer.id,))], False
    elif kind.inputs.maximum == 0:
        if edges:
            return [Problem(
                f"{name} is where data enters and takes no input; remove the wire from "
                f"{join_names([layers[e.src].name for e in edges])}.", (layer.id,))], False
    else:
        extra = [e for e in edges if not kind.inputs.accepts(e.dst_port)]
        if extra:
            return [Problem(
                f"{name} takes one input but has a wire into port {extra[0].dst_port} from "
                f"{layers[extra[0].src].name}; remove it.", (layer.id,))], False
        if not edges:
            return [Problem(
                f"{name} has nothing wired into its input; connect a layer's output to it.", (layer.id,))], False
        if len(edges) < kind.inputs.minimum:
            return [Problem(
                f"{name} needs at least {kind.inputs.minimum} inputs but has {len(edges)}; "
                f"wire another layer into it.", (layer.id,))], False
    if any(layers[e.src].standalone for e in edges):
        return [], False  # reported at the standalone node
    return [], True


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


def _check_whole_network(nodes: list[str], layers: dict[str, _Layer], problems: list[Problem]) -> None:
    """One Input, one output, and a standalone network (Hopfield) only on its own."""
    standalone = [n for n in nodes if layers[n].standalone]
    others = [n for n in nodes if not layers[n].standalone]
    if standalone and (others or len(standalone) > 1):
        for node_id in standalone:
            layer = layers[node_id]
            if not layer.inputs and not layer.outputs:
                problems.append(Problem(
                    f"{layer.name} is a whole {layer.kind_name} network on its own; keep it in a "
                    f"project without other layers.", (node_id,)))
    if not others:
        return
    inputs = [n for n in others if layers[n].kind_name == "Input"]
    if not inputs:
        problems.append(Problem(
            "The network has no Input layer; add one from the palette and wire it to the first layer."))
    elif len(inputs) > 1:
        problems.append(Problem(
            f"The network has {len(inputs)} Input layers ({join_names([layers[n].name for n in inputs])}) but "
            f"takes one input; remove all but one.", tuple(inputs[1:])))
    ends = [n for n in others if not layers[n].outputs]
    if len(ends) > 1:
        problems.append(Problem(
            f"The network ends in {len(ends)} layers ({join_names([layers[n].name for n in ends])}) but has one "
            f"output; wire them into one layer, such as an Add or a Concat, or remove the extras.",
            tuple(ends)))
