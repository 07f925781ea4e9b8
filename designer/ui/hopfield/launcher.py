"""The main window's door to the workspace.

The window's "Open Hopfield Workspace" action, a double-click on a Hopfield
layer's card, or its right-click menu open a workspace for that layer (one
window per layer; asking again brings it to the front). Opening a project
whose graph is a single Hopfield layer opens its workspace by itself.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, Qt
from PySide6.QtWidgets import QMenu

from .memory import HOPFIELD, MAX_SIDE, hopfield_nodes, layer_info
from .workspace import HopfieldWorkspace


class HopfieldLauncher(QObject):
    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.workspaces: dict[str, HopfieldWorkspace] = {}
        window.canvas.view.viewport().installEventFilter(self)

    # --- opening --------------------------------------------------------------------------------

    def _choose_node(self) -> str | None:
        """The selected Hopfield layer, else the only one; None (with a hint in the status bar) otherwise."""
        project = self.window.project
        nodes = hopfield_nodes(project)
        selected = [n for n in self.window.canvas.selected_node_ids() if n in nodes]
        if len(selected) == 1:
            return selected[0]
        if len(nodes) == 1:
            return nodes[0]
        self._message("Add a Hopfield layer (Classic, in the Layers palette) to open its workspace." if not nodes
                      else "Select the Hopfield layer whose workspace to open.")
        return None

    def open(self, node_id: str | None = None) -> HopfieldWorkspace | None:
        """Show the workspace of a Hopfield layer (the selected or only one without `node_id`)."""
        project = self.window.project
        node_id = node_id or self._choose_node()
        if node_id is None:
            return None
        if node_id not in project.graph or project.graph.kind(node_id) != HOPFIELD:
            self._message("That layer is not a Hopfield layer.")
            return None
        workspace = self.workspaces.get(node_id)
        if workspace is None:
            info = layer_info(project, node_id)
            if max(info.shape) > MAX_SIDE:
                rows, cols = info.shape
                self.window.show_error(f"The Hopfield workspace edits grids up to {MAX_SIDE} x {MAX_SIDE}, and "
                                       f"{info.name} is {rows} x {cols}; make its shape smaller in the inspector.")
                return None
            workspace = HopfieldWorkspace(project, self.window.undo_stack, node_id, self.window,
                                          notify=lambda n=node_id: self.memory_changed(n), save=self.window.save)
            workspace.closed.connect(self._closed)
            self.workspaces[node_id] = workspace
        workspace.show()
        workspace.raise_()
        workspace.activateWindow()
        return workspace

    def memory_changed(self, node_id: str) -> None:
        """An undo command changed a layer's memory: redraw its workspace, if open."""
        workspace = self.workspaces.get(node_id)
        if workspace is not None:
            workspace.show_memory()
        weights = getattr(self.window, "weights", None)  # the Weights dock, when it shows this layer
        if weights is not None and hasattr(weights, "show_weights"):
            weights.show_weights(self.window.project.weights or {})

    def close_all(self) -> None:
        for workspace in list(self.workspaces.values()):
            workspace.close()
        self.workspaces.clear()

    def project_changed(self) -> None:
        """Another project is shown: its workspaces go; a project that is one Hopfield layer opens its own."""
        self.close_all()
        graph = self.window.project.graph
        nodes = graph.nodes()
        if len(nodes) == 1 and graph.kind(nodes[0]) == HOPFIELD:
            self.open(nodes[0])

    def _closed(self, node_id: str) -> None:
        self.workspaces.pop(node_id, None)

    def _message(self, text: str) -> None:
        self.window.statusBar().showMessage(text, 6000)

    # --- the canvas -----------------------------------------------------------------------------

    def node_at(self, viewport_pos: QPoint) -> str | None:
        """The Hopfield layer under a point of the canvas viewport, if any."""
        canvas = self.window.canvas
        for item in canvas.scene.items(canvas.view.mapToScene(viewport_pos)):
            node_id = getattr(item, "node_id", None)
            if node_id is not None and node_id in self.window.project.graph:
                return node_id if self.window.project.graph.kind(node_id) == HOPFIELD else None
        return None

    def node_menu(self, node_id: str) -> QMenu:
        menu = QMenu(self.window)
        action = menu.addAction("Open Hopfield Workspace")
        action.triggered.connect(lambda: self.open(node_id))
        return menu

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind == QEvent.Type.MouseButtonDblClick and event.button() == Qt.MouseButton.LeftButton:
            node_id = self.node_at(event.position().toPoint())
            if node_id is not None:
                self.open(node_id)
                return True
        elif kind == QEvent.Type.ContextMenu:
            node_id = self.node_at(event.pos())
            if node_id is not None:
                self.node_menu(node_id).exec(event.globalPos())
                return True
        return False
