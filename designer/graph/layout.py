"""Auto layout: layers in columns (or rows) by how far they are from the input.

A layer's column is the length of the longest path of wires that reaches it,
so every wire points forward. Within a column, layers are ordered by the
mean position of the layers that feed them (the barycentre heuristic), which
removes most crossings in the networks people draw; ties keep the order of
adding. Layers on a loop, which have no such column, go into a column of
their own after the rest.
"""

from __future__ import annotations

from .network import NetworkGraph

LAYER_GAP = 260.0  # between columns (or rows)
NODE_GAP = 110.0  # between layers of one column


def layered_layout(graph: NetworkGraph, direction: str = "right",
                   layer_gap: float = LAYER_GAP, node_gap: float = NODE_GAP) -> dict[str, tuple[float, float]]:
    """New positions {node_id: (x, y)}; `direction` is "right" (left to right) or "down" (top to bottom)."""
    if direction not in ("right", "down"):
        raise ValueError(f"{direction!r} is not a layout direction; use 'right' or 'down'.")
    order = graph.analysis().order
    column: dict[str, int] = {}
    for node_id in order:
        sources = [e.src for e in graph.inputs(node_id)]
        column[node_id] = max((column[s] + 1 for s in sources if s in column), default=0)
    last = max(column.values(), default=-1)
    for node_id in graph.nodes():
        column.setdefault(node_id, last + 1)

    rank = {node_id: i for i, node_id in enumerate(graph.nodes())}
    columns: dict[int, list[str]] = {}
    for node_id in graph.nodes():
        columns.setdefault(column[node_id], []).append(node_id)
    place: dict[str, float] = {}  # position within the column, used for the barycentres of the next
    positions = {}
    for index in sorted(columns):
        members = columns[index]

        def barycentre(node_id: str) -> tuple[float, int]:
            fed_by = [place[e.src] for e in graph.inputs(node_id) if e.src in place]
            return (sum(fed_by) / len(fed_by) if fed_by else float("inf"), rank[node_id])

        members.sort(key=barycentre)
        offset = (len(members) - 1) / 2
        for slot, node_id in enumerate(members):
            place[node_id] = slot - offset
            along, across = index * layer_gap, (slot - offset) * node_gap
            positions[node_id] = (along, across) if direction == "right" else (across, along)
    return positions
