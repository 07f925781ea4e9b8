"""The canvas scene: draws a project's graph and turns gestures into undo commands.

The scene follows the graph's events: a node added, removed, changed or
moved in the model (by a command, a script or undo) adds, removes, restyles
or moves its item. Gestures go the other way only through commands: a drag
of nodes becomes one MoveLayersCommand on release, a wire dragged from an
output port to an input port becomes a ConnectCommand (or is refused with
the reason, sent as `message`).

Every event ends with the items showing the model's state, at a cost that
grows with what changed rather than with the size of the graph: the event
marks the layers it touches (a changed layer, the layer a wire goes into),
then one pass over the graph's analysis finds the layers whose shape or
problems changed and the layers fed by a changed shape (their parameter
counts follow their input shapes); only those are restyled, and only the
wires of a layer whose ports moved are re-routed. The analysis itself is
computed once per change by the graph and shared with the docks.
"""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainter, QPen, QUndoStack
from PySide6.QtWidgets import QGraphicsScene, QGraphicsSceneMouseEvent

from ...analysis import layer_row
from ...graph import Edge, EventType, GraphEvent, Project, format_shape, layer_kind
from ...graph.inference import Analysis
from ..commands import ConnectCommand, DisconnectCommand, MoveLayersCommand
from . import style
from .edge_item import EdgeItem
from .labels import brief, count_text
from .node_item import NodeItem, NodeLook


class CanvasScene(QGraphicsScene):
    message = Signal(str)  # a refusal or hint for the status bar

    def __init__(self, project: Project, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.project = project
        self._nodes: dict[str, NodeItem] = {}
        self._edges: dict[Edge, EdgeItem] = {}
        self._edges_of: dict[str, set[Edge]] = {}  # node id -> the wires that touch it
        self._shown: dict[str, tuple] = {}  # node id -> (shape, problem sentences) its item shows
        self._stale: set[str] = set()  # layers whose look must be worked out again
        self._unrouted: set[Edge] = set()  # wires to route once the looks are right
        self._wiring: tuple[str, EdgeItem, Edge | None] | None = None  # source, dragged wire, wire picked up
        self._press_positions: dict[str, QPointF] = {}
        self._plain = False  # no grid, for diagram export
        self._unsubscribe = project.graph.subscribe(self._on_graph_event)
        self._build()

    # --- following the model ------------------------------------------------------

    def detach(self) -> None:
        """Stop following the graph (before the scene is thrown away)."""
        self._unsubscribe()

    def node_items(self) -> dict[str, NodeItem]:
        return dict(self._nodes)

    def edge_items(self) -> dict[Edge, EdgeItem]:
        return dict(self._edges)

    def _build(self) -> None:
        graph = self.project.graph
        for node_id in graph.nodes():
            self._add_node_item(node_id)
        for edge in graph.edges():
            self._add_edge_item(edge)
        self.refresh()

    def _add_node_item(self, node_id: str) -> None:
        item = NodeItem(node_id, NodeLook(self.project.graph.name(node_id), "", None))
        item.setPos(QPointF(*self.project.graph.pos(node_id)))
        self.addItem(item)
        self._nodes[node_id] = item
        self._edges_of[node_id] = set()
        self._stale.add(node_id)

    def _add_edge_item(self, edge: Edge) -> None:
        item = EdgeItem(edge)
        self.addItem(item)
        self._edges[edge] = item
        self._edges_of[edge.src].add(edge)
        self._edges_of[edge.dst].add(edge)
        self._unrouted.add(edge)

    def _on_graph_event(self, event: GraphEvent) -> None:
        kind = event.type
        if kind == EventType.NODE_ADDED:
            self._add_node_item(event.node)
        elif kind == EventType.NODE_REMOVED:
            self.removeItem(self._nodes.pop(event.node))
            del self._edges_of[event.node]
            self._shown.pop(event.node, None)
            self._stale.discard(event.node)
        elif kind == EventType.EDGE_ADDED:
            self._add_edge_item(event.edge)
            self._stale.add(event.edge.dst)  # its ports, and its shape and count may follow
        elif kind == EventType.EDGE_REMOVED:
            self.removeItem(self._edges.pop(event.edge))
            self._edges_of[event.edge.src].discard(event.edge)
            self._edges_of[event.edge.dst].discard(event.edge)
            self._unrouted.discard(event.edge)
            self._stale.add(event.edge.dst)
        elif kind == EventType.NODE_CHANGED:
            self._stale.add(event.node)
        elif kind == EventType.NODE_MOVED:
            self._nodes[event.node].setPos(QPointF(*self.project.graph.pos(event.node)))
            return  # a move changes no shape, count or problem; the item's wires follow it
        self._update()

    def refresh(self) -> None:
        """Work out every node's shape, count, ports and problems again; re-route every wire."""
        self._stale.update(self._nodes)
        self._unrouted.update(self._edges)
        self._shown.clear()
        self._update()

    def _update(self) -> None:
        """Restyle the stale layers and those whose shape or problems changed; route the wires that moved."""
        graph = self.project.graph
        analysis = graph.analysis()
        problems: dict[str, list[str]] = {}
        for problem in analysis.problems:
            for node_id in dict.fromkeys(problem.nodes):
                problems.setdefault(node_id, []).append(problem.message)
        stale, shown, shapes = self._stale, self._shown, analysis.shapes
        for node_id in self._nodes:
            now = (shapes.get(node_id), problems.get(node_id, []))
            before = shown.get(node_id)
            if before == now:
                continue
            shown[node_id] = now
            stale.add(node_id)
            if before is None or before[0] != now[0]:  # the layers it feeds count their parameters from it
                stale.update(e.dst for e in self._edges_of[node_id] if e.src == node_id)
        self._stale = set()
        for node_id in stale:
            item = self._nodes.get(node_id)
            if item is not None and item.show(self._look(node_id, analysis, problems.get(node_id, []))):
                self._unrouted.update(self._edges_of[node_id])  # its ports moved
        unrouted, self._unrouted = self._unrouted, set()
        for edge in unrouted:
            if edge in self._edges:
                self._route(edge)

    def _look(self, node_id: str, analysis: Analysis, problems: list[str]) -> NodeLook:
        graph = self.project.graph
        kind_name = graph.kind(node_id)
        kind = layer_kind(kind_name)
        params = graph.params(node_id)
        wired = frozenset(e.dst_port for e in graph.inputs(node_id))
        shape = analysis.shapes.get(node_id)
        return NodeLook(
            name=graph.name(node_id),
            brief=brief(kind_name, params),
            category=kind.category if kind else None,
            shape=format_shape(shape) if shape is not None else "?",
            count=count_text(layer_row(graph, node_id).params),
            input_ports=self._port_count(kind, wired),
            wired_ports=wired,
            has_output=kind.has_output if kind else True,
            problems=list(problems),
        )

    @staticmethod
    def _port_count(kind, wired: frozenset[int]) -> int:
        """Ports on the left edge: the kind's inputs, every wired port, and for an Add or a Concat one free port."""
        used = max(wired) + 1 if wired else 0
        if kind is None:
            return max(used, 1)
        if kind.inputs.maximum is None:
            return max(kind.inputs.minimum, used + 1)
        return max(kind.inputs.maximum, used)

    def _route(self, edge: Edge) -> None:
        self._edges[edge].set_ends_at(*self._nodes[edge.src].port_ends(None),
                                      *self._nodes[edge.dst].port_ends(edge.dst_port))

    def _route_edges_of(self, item: NodeItem) -> None:
        for edge in self._edges_of.get(item.node_id, ()):
            self._route(edge)

    def node_item_moved(self, item: NodeItem) -> None:
        """Called by a node item as it moves: its wires follow."""
        if item.node_id in self._nodes:
            self._route_edges_of(item)

    # --- gestures -------------------------------------------------------------------------

    def _node_at(self, pos: QPointF) -> NodeItem | None:
        for item in self.items(pos):
            if isinstance(item, NodeItem):
                return item
        return None

    def mousePressEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            node = self._node_at(event.scenePos())
            port = node.port_at(event.scenePos()) if node else None
            if port and port[0] == "out":
                self._start_wire(node.node_id, None, event.scenePos())
                event.accept()
                return
            if port and port[0] == "in":
                picked = next((e for e in self._edges if e.dst == node.node_id and e.dst_port == port[1]), None)
                if picked is not None:  # pick the wire up by its end, to move or drop it
                    self._start_wire(picked.src, picked, event.scenePos())
                    self._edges[picked].setVisible(False)
                    event.accept()
                    return
        self._press_positions = {n: item.pos() for n, item in self._nodes.items()}
        super().mousePressEvent(event)

    def _start_wire(self, src: str, picked: Edge | None, pos: QPointF) -> None:
        wire = EdgeItem(None)
        wire.setZValue(3)
        wire.set_ends(self._nodes[src].output_port_pos(), pos)
        self.addItem(wire)
        self._wiring = (src, wire, picked)

    def mouseMoveEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._wiring is not None:
            src, wire, _ = self._wiring
            wire.set_ends(self._nodes[src].output_port_pos(), event.scenePos())
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QGraphicsSceneMouseEvent) -> None:
        if self._wiring is not None:
            self._finish_wire(event.scenePos())
            event.accept()
            return
        super().mouseReleaseEvent(event)
        self._commit_moves()

    def _finish_wire(self, pos: QPointF) -> None:
        src, wire, picked = self._wiring
        self._wiring = None
        self.removeItem(wire)
        if picked is not None and picked in self._edges:
            self._edges[picked].setVisible(True)
        target = self._node_at(pos)
        if target is None:
            if picked is not None:  # a wire picked up and dropped on nothing is deleted
                self.undo_stack.push(DisconnectCommand(self.project, [picked]))
            return
        port_hit = target.port_at(pos)
        if picked is None and target.node_id == src and port_hit == ("out", 0):
            return  # a click on an output port (or a wire brought back to it) is no attempt to wire
        if port_hit and port_hit[0] == "in":
            port = port_hit[1]
        else:
            port = target.free_input_port()
            if port is None:
                port = 0
        if picked is not None and picked == Edge(src, target.node_id, port):
            return  # put back where it was
        if picked is None and Edge(src, target.node_id, port) in self._edges:
            return  # that wire is there already: wiring it again would be an empty undo step
        graph = self.project.graph
        reason = graph.can_connect(src, target.node_id, port, replacing=True)
        if picked is not None and reason is None:
            self.undo_stack.beginMacro(f"Rewire {graph.name(src)} to {graph.name(target.node_id)}")
            self.undo_stack.push(DisconnectCommand(self.project, [picked]))
            self.undo_stack.push(ConnectCommand(self.project, src, target.node_id, port))
            self.undo_stack.endMacro()
        elif reason is None:
            self.undo_stack.push(ConnectCommand(self.project, src, target.node_id, port))
        else:
            self.message.emit(reason)

    def _commit_moves(self) -> None:
        """Turn the drag that just ended into one undo step (the model learns the positions here)."""
        moves = {}
        for node_id, start in self._press_positions.items():
            item = self._nodes.get(node_id)
            if item is not None and item.pos() != start:
                moves[node_id] = ((start.x(), start.y()), (item.pos().x(), item.pos().y()))
        self._press_positions = {}
        if moves:
            self.undo_stack.push(MoveLayersCommand(self.project, moves))

    # --- background -------------------------------------------------------------------------

    def plain_background(self, plain: bool) -> None:
        """Draw the background as the scene's brush, without the grid (for exporting diagrams)."""
        self._plain = plain

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        if self._plain:
            painter.fillRect(rect, self.backgroundBrush())
            return
        painter.fillRect(rect, style.BACKGROUND_COLOUR)
        step = style.GRID_STEP if painter.worldTransform().m11() >= 0.5 else style.GRID_STEP * 5
        left = int(rect.left()) - int(rect.left()) % step
        top = int(rect.top()) - int(rect.top()) % step
        lines = [QLineF(x, rect.top(), x, rect.bottom()) for x in range(left, int(rect.right()) + 1, step)]
        lines += [QLineF(rect.left(), y, rect.right(), y) for y in range(top, int(rect.bottom()) + 1, step)]
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)  # hairlines on whole pixels: crisp and cheap
        painter.setPen(QPen(style.GRID_COLOUR, 0))
        painter.drawLines(lines)
        painter.restore()
