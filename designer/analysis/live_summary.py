"""The summary kept up to date edit by edit, for a window that shows it while a person edits.

Working out every row again after each edit costs milliseconds on a network of
a few hundred layers, and an edit changes few rows. A layer's row depends only
on its own name, kind, parameters and output shape, and on the names and shapes
of the layers wired into it. So the graph's events say which layers were
edited, renamed or rewired, the analysis says whose shapes (or input shapes)
changed, and only those rows are worked out again. `update` also says which
rows were added, removed or changed, so that a table can redraw only those.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..graph import EventType, GraphEvent, NetworkGraph, Problem
from .summary import LayerRow, Summary, layer_row


@dataclass(frozen=True)
class RowChanges:
    """How the rows (node ids, in summary order) changed in one update."""

    before: tuple[str, ...]
    after: tuple[str, ...]
    changed: frozenset[str]  # rows in both whose contents differ

    @cached_property
    def added(self) -> frozenset[str]:
        return frozenset(self.after).difference(self.before)

    @cached_property
    def removed(self) -> frozenset[str]:
        return frozenset(self.before).difference(self.after)


class LiveSummary:
    """The rows of `summary(graph)`, worked out again only where the graph changed.

    Give it every graph event with `note`, then call `update` when the rows are
    wanted; many events may come between two updates.
    """

    def __init__(self, graph: NetworkGraph) -> None:
        self.graph = graph
        self.rows: list[LayerRow] = []  # in summary order
        self._by_id: dict[str, LayerRow] = {}
        self._input_shapes: dict[str, list | None] = {}  # as the rows were worked out
        self._dirty: set[str] = set()
        self._problems: list[Problem] = []

    def note(self, event: GraphEvent) -> None:
        """Remember which rows this event can change beyond what the shapes will tell."""
        kind = event.type
        if kind in (EventType.NODE_ADDED, EventType.NODE_CHANGED):
            self._dirty.add(event.node)
            if "name" in event.changed:  # the layers it feeds list it among their inputs
                self._dirty.update(edge.dst for edge in self.graph.outputs(event.node))
        elif kind in (EventType.EDGE_ADDED, EventType.EDGE_REMOVED):
            self._dirty.add(event.edge.dst)

    def update(self) -> RowChanges:
        """Bring the rows up to date with the graph; say what changed."""
        graph = self.graph
        analysis = graph.analysis()
        try:
            order = graph.topological_order()
        except ValueError:  # a cycle: the order of adding, as summary() does
            order = graph.nodes()
        shapes, input_shapes = analysis.shapes, analysis.input_shapes
        self._problems = analysis.problems
        dirty, self._dirty = self._dirty, set()
        changed = set()
        for node_id in order:
            old = self._by_id.get(node_id)
            in_shapes = input_shapes.get(node_id)
            if (old is not None and node_id not in dirty and old.output_shape == shapes.get(node_id)
                    and self._input_shapes[node_id] == in_shapes):
                continue
            row = layer_row(graph, node_id)
            self._by_id[node_id] = row
            self._input_shapes[node_id] = in_shapes
            if old is not None and row != old:
                changed.add(node_id)
        before = tuple(row.id for row in self.rows)
        if len(self._by_id) > len(order):
            kept = set(order)
            for node_id in [n for n in self._by_id if n not in kept]:
                del self._by_id[node_id]
                del self._input_shapes[node_id]
        self.rows = [self._by_id[node_id] for node_id in order]
        return RowChanges(before, tuple(order), frozenset(changed))

    def summary(self, title: str = "network") -> Summary:
        """The whole summary as of the last update (its totals, for instance)."""
        return Summary(title=title, rows=list(self.rows), problems=[str(p) for p in self._problems])
