"""Undo commands: every edit a person makes, as a QUndoCommand over the project's graph.

Each command calls the graph API in `redo` and its inverse in `undo`; the
canvas follows the graph's events, so it never needs to be told. A gesture
made of many edits (moving a selection, pasting, deleting nodes with their
wires) is one command or one macro, so it is one step to undo.

Weights live in the project, keyed by layer name, so the commands that
remove or rename layers carry their weights along: undoing a delete brings a
trained layer back trained.
"""

from __future__ import annotations

import copy
from typing import Any, Callable

import numpy as np
from PySide6.QtGui import QUndoCommand

from ..graph import Edge, Layer, Project


def _weights_of(project: Project, name: str) -> dict[str, np.ndarray]:
    prefix = name + "."
    return {k: v for k, v in (project.weights or {}).items() if k.startswith(prefix)}


def _drop_weights(project: Project, name: str) -> None:
    if project.weights:
        for key in list(_weights_of(project, name)):
            del project.weights[key]


def _put_weights(project: Project, weights: dict[str, np.ndarray]) -> None:
    if weights:
        if project.weights is None:
            project.weights = {}
        project.weights.update(weights)


class AddLayerCommand(QUndoCommand):
    def __init__(self, project: Project, kind: str, pos: tuple[float, float], params: dict[str, Any] | None = None,
                 name: str | None = None) -> None:
        super().__init__(f"Add {kind}")
        self.project = project
        self.kind, self.pos, self.params, self.name = kind, pos, dict(params or {}), name
        self.layer: Layer | None = None

    @property
    def node_id(self) -> str:
        return self.layer.id

    def redo(self) -> None:
        graph = self.project.graph
        if self.layer is None:
            node_id = graph.add_layer(self.kind, self.name, self.pos, **self.params)
            self.layer = graph.layer(node_id)
        else:
            layer = self.layer
            graph.add_layer(layer.kind, layer.name, layer.pos, node_id=layer.id, **layer.params)

    def undo(self) -> None:
        self.project.graph.remove_layer(self.layer.id)


class RemoveLayersCommand(QUndoCommand):
    """Delete layers with every wire into and out of them, and their weights."""

    def __init__(self, project: Project, node_ids: list[str]) -> None:
        names = [project.graph.name(n) for n in node_ids]
        super().__init__(f"Delete {names[0]}" if len(names) == 1 else f"Delete {len(names)} layers")
        self.project = project
        graph = project.graph
        order = graph.nodes()
        self.layers = sorted((graph.layer(n) for n in node_ids), key=lambda layer: order.index(layer.id))
        self.indices = [order.index(layer.id) for layer in self.layers]
        removed = set(node_ids)
        self.edges = [e for e in graph.edges() if e.src in removed or e.dst in removed]
        self.weights = {layer.name: _weights_of(project, layer.name) for layer in self.layers}

    def redo(self) -> None:
        for layer in self.layers:
            self.project.graph.remove_layer(layer.id)
            _drop_weights(self.project, layer.name)

    def undo(self) -> None:
        graph = self.project.graph
        for layer, index in zip(self.layers, self.indices):
            graph.add_layer(layer.kind, layer.name, layer.pos, node_id=layer.id, index=index, **layer.params)
            _put_weights(self.project, self.weights[layer.name])
        for edge in self.edges:
            graph.connect(*edge)


class ConnectCommand(QUndoCommand):
    """Wire src into a port of dst, replacing the wire that was in that port, if any."""

    def __init__(self, project: Project, src: str, dst: str, dst_port: int) -> None:
        graph = project.graph
        super().__init__(f"Connect {graph.name(src)} to {graph.name(dst)}")
        self.project = project
        self.edge = Edge(src, dst, dst_port)
        self.replaced = next((e for e in graph.inputs(dst) if e.dst_port == dst_port), None)

    def redo(self) -> None:
        graph = self.project.graph
        if self.replaced is not None:
            graph.disconnect(*self.replaced)
        graph.connect(*self.edge)

    def undo(self) -> None:
        graph = self.project.graph
        graph.disconnect(*self.edge)
        if self.replaced is not None:
            graph.connect(*self.replaced)


class DisconnectCommand(QUndoCommand):
    def __init__(self, project: Project, edges: list[Edge]) -> None:
        super().__init__("Delete wire" if len(edges) == 1 else f"Delete {len(edges)} wires")
        self.project = project
        self.edges = list(edges)

    def redo(self) -> None:
        for edge in self.edges:
            self.project.graph.disconnect(*edge)

    def undo(self) -> None:
        for edge in self.edges:
            self.project.graph.connect(*edge)


class SetParamsCommand(QUndoCommand):
    """Change parameters of one layer. Successive edits of the same parameter merge into one step."""

    ID = 1001

    def __init__(self, project: Project, node_id: str, params: dict[str, Any]) -> None:
        graph = project.graph
        super().__init__(f"Change {', '.join(params)} of {graph.name(node_id)}")
        self.project = project
        self.node_id = node_id
        old = graph.params(node_id)
        self.new = dict(params)
        self.old = {k: old[k] for k in params if k in old}

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetParamsCommand) or other.node_id != self.node_id:
            return False
        if set(other.new) != set(self.new):
            return False
        self.new = dict(other.new)
        # a value changed and changed back is no step at all: the stack drops it (and is clean again)
        self.setObsolete(all(k in self.old and type(v) is type(self.old[k]) and v == self.old[k]
                             for k, v in self.new.items()))
        return True

    def redo(self) -> None:
        self.project.graph.set_params(self.node_id, **self.new)

    def undo(self) -> None:
        self.project.graph.set_params(self.node_id, **self.old)


class RenameCommand(QUndoCommand):
    """Rename a layer; its weights follow the new name."""

    def __init__(self, project: Project, node_id: str, name: str) -> None:
        self.old = project.graph.name(node_id)
        super().__init__(f"Rename {self.old} to {name}")
        self.project = project
        self.node_id, self.new = node_id, name

    def _rename(self, old: str, new: str) -> None:
        weights = _weights_of(self.project, old)
        self.project.graph.rename(self.node_id, new)
        _drop_weights(self.project, old)
        _put_weights(self.project, {new + k[len(old):]: v for k, v in weights.items()})

    def redo(self) -> None:
        self._rename(self.old, self.new)

    def undo(self) -> None:
        self._rename(self.new, self.old)


class MoveLayersCommand(QUndoCommand):
    """Move layers on the canvas: a drag of a selection, or an auto layout."""

    def __init__(self, project: Project, moves: dict[str, tuple[tuple[float, float], tuple[float, float]]],
                 text: str | None = None) -> None:
        count = len(moves)
        super().__init__(text or (f"Move {project.graph.name(next(iter(moves)))}" if count == 1 else f"Move {count} layers"))
        self.project = project
        self.moves = dict(moves)  # node_id -> (old position, new position)

    def redo(self) -> None:
        for node_id, (_, new) in self.moves.items():
            self.project.graph.move(node_id, new)

    def undo(self) -> None:
        for node_id, (old, _) in self.moves.items():
            self.project.graph.move(node_id, old)


class SetProjectSettingCommand(QUndoCommand):
    """Change one of the project's setting objects ("training" or "dataset"); `shown` redraws the widgets."""

    ID = 1002

    def __init__(self, project: Project, attribute: str, value: dict[str, Any] | None, text: str,
                 shown: Callable[[], None]) -> None:
        super().__init__(text)
        self.project, self.attribute, self.shown = project, attribute, shown
        self.old = copy.deepcopy(getattr(project, attribute))
        self.new = copy.deepcopy(value)

    def id(self) -> int:
        return self.ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Typing a learning rate digit by digit is one step."""
        if not isinstance(other, SetProjectSettingCommand) or other.attribute != self.attribute:
            return False
        if other.text() != self.text():
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        setattr(self.project, self.attribute, copy.deepcopy(self.new))
        self.shown()

    def undo(self) -> None:
        setattr(self.project, self.attribute, copy.deepcopy(self.old))
        self.shown()
