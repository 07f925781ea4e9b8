"""A graph as plain JSON data, and back, checking everything on the way in.

The same data is the "graph" object of a .nnproj file and what the clipboard
carries between windows, so both come through `graph_from_data`, which trusts
nothing: every type, size and value is checked before a graph is built, and
the first fault is reported as one phrase (the caller says where it came from).
"""

from __future__ import annotations

from typing import Any

from .catalogue import layer_kind
from .network import GraphEditError, NetworkGraph, check_name
from .wording import short

MAX_NODES = 10_000
MAX_EDGES = 100_000
MAX_COORDINATE = 1e7
MAX_ID_LENGTH = 64


class GraphDataError(ValueError):
    """Graph data that cannot be turned into a graph; the message is a phrase such as "node 3 has no kind"."""


def graph_to_data(graph: NetworkGraph, node_ids: list[str] | None = None) -> dict[str, Any]:
    """The graph (or the part of it made of `node_ids`, with the wires among them) as JSON-ready data."""
    keep = graph.nodes() if node_ids is None else [n for n in graph.nodes() if n in set(node_ids)]
    kept = set(keep)
    nodes = []
    for node_id in keep:
        layer = graph.layer(node_id)
        kind = layer_kind(layer.kind)
        params = {}
        for key, value in layer.params.items():
            param = kind.param(key) if kind else None
            params[key] = param.to_json(value) if param else value
        nodes.append({"id": node_id, "kind": layer.kind, "name": layer.name, "params": params, "pos": list(layer.pos)})
    edges = [
        {"src": e.src, "dst": e.dst, "dst_port": e.dst_port}
        for e in graph.edges()
        if e.src in kept and e.dst in kept
    ]
    return {"nodes": nodes, "edges": edges}


def graph_from_data(data: Any) -> NetworkGraph:
    """Build a graph from data that may come from anywhere; raises GraphDataError on the first fault."""
    if not isinstance(data, dict):
        raise GraphDataError("the graph is not a JSON object")
    nodes, edges = data.get("nodes"), data.get("edges", [])
    if not isinstance(nodes, list):
        raise GraphDataError("the graph's nodes are not a list")
    if not isinstance(edges, list):
        raise GraphDataError("the graph's edges are not a list")
    if len(nodes) > MAX_NODES:
        raise GraphDataError(f"the graph has {len(nodes)} layers, more than the {MAX_NODES} allowed")
    if len(edges) > MAX_EDGES:
        raise GraphDataError(f"the graph has {len(edges)} wires, more than the {MAX_EDGES} allowed")
    graph = NetworkGraph()
    for number, node in enumerate(nodes, start=1):
        _add_node(graph, number, node)
    for number, edge in enumerate(edges, start=1):
        _add_edge(graph, number, edge)
    return graph


def _add_node(graph: NetworkGraph, number: int, node: Any) -> None:
    where = f"layer {number}"
    if not isinstance(node, dict):
        raise GraphDataError(f"{where} is not a JSON object")
    node_id = node.get("id")
    if not isinstance(node_id, str) or not 0 < len(node_id) <= MAX_ID_LENGTH:
        raise GraphDataError(f"{where} has no usable id (a text of 1 to {MAX_ID_LENGTH} characters)")
    if node_id in graph:
        raise GraphDataError(f"{where} repeats the id {short(node_id)}")
    name = node.get("name")
    reason = check_name(name)
    if reason:
        raise GraphDataError(f"{where} has an unusable name: {reason}")
    where = f"layer {name}"
    if graph.find(name) is not None:
        raise GraphDataError(f"two layers are named {name}")
    kind_name = node.get("kind")
    kind = layer_kind(kind_name) if isinstance(kind_name, str) else None
    if kind is None:
        raise GraphDataError(f"{where} has the kind {short(kind_name)}, which NN Designer does not know")
    raw_params = node.get("params", {})
    if not isinstance(raw_params, dict):
        raise GraphDataError(f"the parameters of {where} are not a JSON object")
    params = {}
    for key, raw in raw_params.items():
        param = kind.param(key)
        if param is None:
            raise GraphDataError(f"{where} has a parameter {short(key)} that {kind.name} does not take")
        value = param.from_json(raw)
        problem = param.problem(value)
        if problem:
            raise GraphDataError(f"{where} has {key} = {short(raw)}, but {key} {problem}")
        params[key] = value
    pos = node.get("pos", [0.0, 0.0])
    if (
        not isinstance(pos, list)
        or len(pos) != 2
        or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) <= MAX_COORDINATE for v in pos)
    ):
        raise GraphDataError(f"{where} has a position that is not two numbers within +-{MAX_COORDINATE:g}")
    graph.add_layer(kind.name, name, pos, node_id=node_id, **params)


def _add_edge(graph: NetworkGraph, number: int, edge: Any) -> None:
    where = f"wire {number}"
    if not isinstance(edge, dict):
        raise GraphDataError(f"{where} is not a JSON object")
    src, dst, port = edge.get("src"), edge.get("dst"), edge.get("dst_port", 0)
    for end in (src, dst):
        if not isinstance(end, str) or end not in graph:
            raise GraphDataError(f"{where} joins a layer that does not exist ({short(end)})")
    if not isinstance(port, int) or isinstance(port, bool):
        raise GraphDataError(f"{where} has a port that is not a whole number ({short(port)})")
    try:
        graph.connect(src, dst, port)
    except GraphEditError as error:
        raise GraphDataError(f"{where} cannot be made: {str(error).rstrip('.')}") from None

