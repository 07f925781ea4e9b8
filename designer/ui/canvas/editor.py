"""The canvas editor: the view and scene of one project, and the edits made on a selection.

Every edit here becomes one undo step on the window's stack: adding a layer,
deleting a selection with its wires, pasting (layers and the wires among
them, names made unique, placed at the cursor), duplicating and auto layout.
The clipboard carries the graph's own JSON, so a selection can move between
windows, and pasted data is checked like a file.
"""

from __future__ import annotations

import atexit
import json

from PySide6.QtCore import QMimeData, QPointF, Signal
from PySide6.QtGui import QGuiApplication, QUndoStack
from PySide6.QtWidgets import QVBoxLayout, QWidget

from ...graph import GraphDataError, Project, graph_from_data, graph_to_data
from ...graph.layout import layered_layout
from ..commands import AddLayerCommand, ConnectCommand, DisconnectCommand, MoveLayersCommand, RemoveLayersCommand
from .edge_item import EdgeItem
from .node_item import NodeItem
from .scene import CanvasScene
from .view import CanvasView

CLIPBOARD_MIME = "application/x-nn-designer-graph"


def _release_clipboard() -> None:
    """Take our layers off the clipboard before Python exits.

    With PySide6, a QMimeData made in Python and still on the clipboard when
    the interpreter shuts down crashes the process (a segmentation fault
    after everything else has finished), so it is cleared while Qt still runs.
    """
    app = QGuiApplication.instance()
    if app is None:
        return
    clipboard = app.clipboard()
    mime = clipboard.mimeData()
    if mime is not None and mime.hasFormat(CLIPBOARD_MIME):
        clipboard.clear()


atexit.register(_release_clipboard)
PASTE_OFFSET = 40.0


class CanvasEditor(QWidget):
    message = Signal(str)
    selection_changed = Signal(list)  # selected node ids

    def __init__(self, project: Project, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.project = project
        self.scene = CanvasScene(project, undo_stack, self)
        self.view = CanvasView(self.scene, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.layer_dropped.connect(lambda kind, pos: self.add_layer(kind, (pos.x(), pos.y())))
        self._connect_scene()
        self._paste_count = 0

    def _connect_scene(self) -> None:
        self.scene.message.connect(self.message)
        self.scene.selectionChanged.connect(self._selection_changed)

    def _selection_changed(self) -> None:
        try:
            selected = self.selected_node_ids()
        except RuntimeError:  # Qt is deleting the scene (the window is closing): nothing to tell
            return
        self.selection_changed.emit(selected)

    def set_project(self, project: Project) -> None:
        """Show another project (the undo stack is cleared by the window)."""
        self.scene.detach()
        old = self.scene
        self.project = project
        self.scene = CanvasScene(project, self.undo_stack, self)
        self.view.setScene(self.scene)
        self._connect_scene()
        old.deleteLater()
        self.selection_changed.emit([])

    # --- reading -------------------------------------------------------------------------

    def node_items(self) -> dict[str, NodeItem]:
        return self.scene.node_items()

    def edge_items(self):
        return self.scene.edge_items()

    def selected_node_ids(self) -> list[str]:
        order = self.project.graph.nodes()
        selected = {item.node_id for item in self.scene.selectedItems() if isinstance(item, NodeItem)}
        return [n for n in order if n in selected]

    def select(self, node_ids: list[str]) -> None:
        self.scene.clearSelection()
        items = self.node_items()
        for node_id in node_ids:
            if node_id in items:
                items[node_id].setSelected(True)
        if node_ids and node_ids[0] in items:
            self.view.ensureVisible(items[node_ids[0]])

    # --- edits -------------------------------------------------------------------------------

    def add_layer(self, kind: str, pos: tuple[float, float] | None = None, **params) -> str:
        """Add a layer through the undo stack and return its id; without `pos`, at the centre of the view."""
        if pos is None:
            centre = self.view.mapToScene(self.view.viewport().rect().center())
            pos = (centre.x() - 90 + 20 * (len(self.project.graph) % 5), centre.y() - 35)
        command = AddLayerCommand(self.project, kind, pos, params)
        self.undo_stack.push(command)
        self.select([command.node_id])
        return command.node_id

    def delete_selected(self) -> None:
        nodes = self.selected_node_ids()
        removed = set(nodes)
        edges = [item.edge for item in self.scene.selectedItems()
                 if isinstance(item, EdgeItem) and item.edge.src not in removed and item.edge.dst not in removed]
        if not nodes and not edges:
            return
        self.undo_stack.beginMacro("Delete")
        if edges:
            self.undo_stack.push(DisconnectCommand(self.project, edges))
        if nodes:
            self.undo_stack.push(RemoveLayersCommand(self.project, nodes))
        self.undo_stack.endMacro()

    def select_all(self) -> None:
        for item in self.node_items().values():
            item.setSelected(True)

    def auto_layout(self, direction: str = "right") -> None:
        graph = self.project.graph
        positions = layered_layout(graph, direction)
        moves = {n: (graph.pos(n), p) for n, p in positions.items() if graph.pos(n) != p}
        if moves:
            self.undo_stack.push(MoveLayersCommand(self.project, moves, "Auto Layout"))
        self.view.fit()

    # --- clipboard -------------------------------------------------------------------------

    def copy(self) -> bool:
        nodes = self.selected_node_ids()
        if not nodes:
            return False
        data = graph_to_data(self.project.graph, nodes)
        mime = QMimeData()
        text = json.dumps(data)
        mime.setData(CLIPBOARD_MIME, text.encode())
        mime.setText(text)
        QGuiApplication.clipboard().setMimeData(mime)
        self._paste_count = 0
        return True

    def cut(self) -> None:
        if self.copy():
            self.undo_stack.beginMacro("Cut")
            self.delete_selected()
            self.undo_stack.endMacro()

    def paste(self, at: QPointF | None = None) -> list[str]:
        """Paste the clipboard's layers (and the wires among them) as one undo step; returns the new ids."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is None or not mime.hasFormat(CLIPBOARD_MIME):
            self.message.emit("The clipboard holds no layers to paste.")
            return []
        try:
            pasted = graph_from_data(json.loads(bytes(mime.data(CLIPBOARD_MIME)).decode()))
        except RecursionError:  # json.loads gives up on deeply nested lists with this, not a ValueError
            self.message.emit("The clipboard's layers cannot be pasted: the data is nested too deeply.")
            return []
        except (ValueError, GraphDataError) as error:
            self.message.emit(f"The clipboard's layers cannot be pasted: {str(error).rstrip('.')}.")
            return []
        return self._insert(pasted, at)

    def duplicate(self) -> list[str]:
        nodes = self.selected_node_ids()
        if not nodes:
            return []
        copy = graph_from_data(graph_to_data(self.project.graph, nodes))
        return self._insert(copy, None, "Duplicate")

    def _free_name(self, name: str) -> str:
        """`name` if no layer has it, else the next free `<stem>_<n>` (dense_1 -> dense_2)."""
        graph = self.project.graph
        if graph.find(name) is None:
            return name
        stem, _, number = name.rpartition("_")
        if not (stem and number.isdigit()):
            stem = name
        n = 2
        while graph.find(f"{stem}_{n}") is not None or len(f"{stem}_{n}") > 64:
            if len(f"{stem}_{n}") > 64:
                stem = stem[:-1]
            n += 1
        return f"{stem}_{n}"

    def _insert(self, pasted, at: QPointF | None, text: str = "Paste") -> list[str]:
        layers = pasted.layers()
        if not layers:
            return []
        xs = [layer.pos[0] for layer in layers]
        ys = [layer.pos[1] for layer in layers]
        if at is None:
            self._paste_count += 1
            shift = (PASTE_OFFSET * self._paste_count, PASTE_OFFSET * self._paste_count)
        else:
            shift = (at.x() - min(xs), at.y() - min(ys))
        new_ids = {}
        self.undo_stack.beginMacro(f"{text} {len(layers)} layer{'s' if len(layers) > 1 else ''}")
        for layer in layers:
            name = self._free_name(layer.name)
            command = AddLayerCommand(self.project, layer.kind, (layer.pos[0] + shift[0], layer.pos[1] + shift[1]),
                                      layer.params, name)
            self.undo_stack.push(command)
            new_ids[layer.id] = command.node_id
        for edge in pasted.edges():
            self.undo_stack.push(ConnectCommand(self.project, new_ids[edge.src], new_ids[edge.dst], edge.dst_port))
        self.undo_stack.endMacro()
        self.select(list(new_ids.values()))
        return list(new_ids.values())
