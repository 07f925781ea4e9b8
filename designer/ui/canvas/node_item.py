"""A layer on the canvas: a card with its name, what it is, its output shape and its parameter count.

The item draws what the scene tells it (`show`) and never changes the model:
when it is dragged, the scene turns the drag into one undo command on release.
Inputs are ports on the left edge (an Add or a Concat shows one more free port
than it has wires), the output is a port on the right edge.

The card is drawn once into a pixmap in device coordinates and that pixmap is
what a move or a repaint puts on screen (QGraphicsItem's
DeviceCoordinateCache); it is drawn again only when the card changes (its
look, its selection, a hover) or the zoom does. Diagram export draws without
the cache, so SVG and PDF get real vectors and text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from . import style


@dataclass
class NodeLook:
    """Everything a node item shows."""

    name: str
    brief: str
    category: str | None
    shape: str = ""  # "(32, 26, 26)", or "?" when unknown
    count: str = ""
    input_ports: int = 1  # ports drawn on the left edge
    wired_ports: frozenset[int] = frozenset()
    has_output: bool = True
    problems: list[str] = field(default_factory=list)


class NodeItem(QGraphicsItem):
    def __init__(self, node_id: str, look: NodeLook) -> None:
        super().__init__()
        self.node_id = node_id
        self.look = look
        self.height = self._height_for(look)
        self._bounds = self._make_bounds()
        self.setFlags(
            QGraphicsItem.GraphicsItemFlag.ItemIsMovable
            | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
            | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges
        )
        self.setAcceptHoverEvents(True)
        self.setZValue(1)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self._shape: QPainterPath | None = None
        self._apply_tooltip()

    # --- what it shows --------------------------------------------------------

    @staticmethod
    def _height_for(look: NodeLook) -> float:
        needed = style.HEADER_HEIGHT + 16 + look.input_ports * style.PORT_SPACING
        return max(style.NODE_HEIGHT, needed)

    def show(self, look: NodeLook) -> bool:
        """Show `look`; True if the ports moved (then the wires into and out of it must follow)."""
        if look == self.look:
            return False
        old = self.look
        height = self._height_for(look)
        ports_moved = (height != self.height or look.input_ports != old.input_ports
                       or look.has_output != old.has_output)
        if height != self.height:
            self.prepareGeometryChange()
            self.height = height
            self._bounds = self._make_bounds()
        self.look = look
        self._shape = None
        if (look.name, look.brief, look.shape, look.problems) != (old.name, old.brief, old.shape, old.problems):
            self._apply_tooltip()
        self.update()
        return ports_moved

    def _apply_tooltip(self) -> None:
        lines = [f"<b>{self.look.name}</b> &mdash; {self.look.brief}"]
        if self.look.shape:
            lines.append(f"output {self.look.shape}")
        lines += [f"<span style='color:#d1242f'>{p}</span>" for p in self.look.problems]
        self.setToolTip("<br>".join(lines))

    # --- geometry ---------------------------------------------------------------------

    def boundingRect(self) -> QRectF:
        return self._bounds  # Qt asks for it many times per frame of a drag

    def _make_bounds(self) -> QRectF:
        margin = style.PORT_HIT_RADIUS
        return QRectF(-margin, -style.BADGE_RADIUS - 2, style.NODE_WIDTH + 2 * margin,
                      self.height + style.BADGE_RADIUS + 2)

    def shape(self) -> QPainterPath:
        if self._shape is None:
            self._shape = self._make_shape()
        return self._shape

    def _make_shape(self) -> QPainterPath:
        path = QPainterPath()
        # winding, not the default odd-even rule: with odd-even, where a port circle overlaps the card
        # both cancel out, and a press or drop on the inner half of a port misses the layer altogether
        path.setFillRule(Qt.FillRule.WindingFill)
        path.addRoundedRect(QRectF(0, 0, style.NODE_WIDTH, self.height), style.CORNER_RADIUS, style.CORNER_RADIUS)
        for port in range(self.look.input_ports):
            path.addEllipse(self._input_local(port), style.PORT_HIT_RADIUS, style.PORT_HIT_RADIUS)
        if self.look.has_output:
            path.addEllipse(self._output_local(), style.PORT_HIT_RADIUS, style.PORT_HIT_RADIUS)
        return path

    def _body_centre(self) -> float:
        return style.HEADER_HEIGHT + (self.height - style.HEADER_HEIGHT) / 2

    def _input_local(self, port: int) -> QPointF:
        offset = (port - (self.look.input_ports - 1) / 2) * style.PORT_SPACING
        return QPointF(0, self._body_centre() + offset)

    def _output_local(self) -> QPointF:
        return QPointF(style.NODE_WIDTH, self._body_centre())

    def input_port_pos(self, port: int) -> QPointF:
        return self.mapToScene(self._input_local(port))

    def output_port_pos(self) -> QPointF:
        return self.mapToScene(self._output_local())

    def port_ends(self, port: int | None) -> tuple[float, float]:
        """Scene x, y of input `port`, or of the output for None: as the *_port_pos methods, in plain numbers.

        The scene routes hundreds of wires per frame of a drag through this; cards are
        never rotated or scaled, so a port is the card's position plus its offset.
        """
        pos = self.pos()
        centre = style.HEADER_HEIGHT + (self.height - style.HEADER_HEIGHT) / 2
        if port is None:
            return pos.x() + style.NODE_WIDTH, pos.y() + centre
        return pos.x(), pos.y() + centre + (port - (self.look.input_ports - 1) / 2) * style.PORT_SPACING

    def port_at(self, scene_pos: QPointF) -> tuple[str, int] | None:
        """("out", 0) or ("in", port) if scene_pos is on a port, else None."""
        local = self.mapFromScene(scene_pos)
        reach = style.PORT_HIT_RADIUS ** 2

        def near(point: QPointF) -> bool:
            d = local - point
            return d.x() ** 2 + d.y() ** 2 <= reach

        if self.look.has_output and near(self._output_local()):
            return ("out", 0)
        for port in range(self.look.input_ports):
            if near(self._input_local(port)):
                return ("in", port)
        return None

    def free_input_port(self) -> int | None:
        """The first port with no wire, for a wire dropped on the body of the card."""
        for port in range(self.look.input_ports):
            if port not in self.look.wired_ports:
                return port
        return None

    # --- painting ---------------------------------------------------------------------------

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        look = self.look
        tools = _tools()
        selected = self.isSelected()
        colour = style.colour_for(look.category)
        if selected:
            border = tools.selected_border
        elif look.problems:
            border = tools.problem_border
        else:
            border = tools.border
        card = QRectF(0, 0, style.NODE_WIDTH, self.height)

        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(tools.body)
        painter.drawRoundedRect(card, style.CORNER_RADIUS, style.CORNER_RADIUS)
        painter.setBrush(colour)
        painter.drawPath(_header_path())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(border)
        painter.drawRoundedRect(card, style.CORNER_RADIUS, style.CORNER_RADIUS)

        left_middle = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        painter.setFont(tools.title_font)
        painter.setPen(style.HEADER_TEXT_COLOUR)
        painter.drawText(QRectF(10, 0, style.NODE_WIDTH - 20, style.HEADER_HEIGHT), left_middle, look.name)

        painter.setFont(tools.body_font)
        painter.setPen(style.TEXT_COLOUR)
        text_left, text_width = 12, style.NODE_WIDTH - 24
        line = (self.height - style.HEADER_HEIGHT) / 2
        painter.drawText(QRectF(text_left, style.HEADER_HEIGHT + 3, text_width, line - 2), left_middle, look.brief)
        painter.setPen(style.PROBLEM_COLOUR if look.shape == "?" else style.MUTED_TEXT_COLOUR)
        second = QRectF(text_left, style.HEADER_HEIGHT + line - 1, text_width, line - 2)
        painter.drawText(second, left_middle, look.shape)
        if look.count:
            painter.setPen(style.MUTED_TEXT_COLOUR)
            painter.drawText(second, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight, look.count)

        painter.setPen(tools.port_pen)
        for port in range(look.input_ports):
            painter.setBrush(tools.port_wired if port in look.wired_ports else tools.port_free)
            painter.drawEllipse(self._input_local(port), style.PORT_RADIUS, style.PORT_RADIUS)
        if look.has_output:
            painter.setBrush(colour)
            painter.drawEllipse(self._output_local(), style.PORT_RADIUS, style.PORT_RADIUS)

        if look.problems:
            centre = QPointF(style.NODE_WIDTH - 4, -2)
            painter.setPen(tools.badge_pen)
            painter.setBrush(style.PROBLEM_COLOUR)
            painter.drawEllipse(centre, style.BADGE_RADIUS, style.BADGE_RADIUS)
            painter.setPen(style.BODY_COLOUR)
            painter.setFont(tools.title_font)
            badge = QRectF(centre.x() - style.BADGE_RADIUS, centre.y() - style.BADGE_RADIUS,
                           2 * style.BADGE_RADIUS, 2 * style.BADGE_RADIUS)
            painter.drawText(badge, Qt.AlignmentFlag.AlignCenter, "!")

    # --- following moves ------------------------------------------------------------------

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            scene = self.scene()
            if scene is not None:
                scene.node_item_moved(self)
        return super().itemChange(change, value)


class _Tools:
    """The pens, brushes and fonts every card paints with, made once."""

    def __init__(self) -> None:
        self.border = QPen(style.BORDER_COLOUR, 1.0)
        self.selected_border = QPen(style.SELECTED_COLOUR, 2.4)
        self.problem_border = QPen(style.PROBLEM_COLOUR, 1.6)
        self.body = QBrush(style.BODY_COLOUR)
        self.port_pen = QPen(style.BORDER_COLOUR, 1.2)
        self.port_wired = QBrush(style.PORT_COLOUR)
        self.port_free = QBrush(style.PORT_FREE_COLOUR)
        self.badge_pen = QPen(style.BODY_COLOUR, 1.5)
        self.title_font = style.title_font()
        self.body_font = style.body_font()


@lru_cache(maxsize=1)
def _tools() -> _Tools:
    return _Tools()  # made at the first paint, once the application (which fonts need) exists


@lru_cache(maxsize=1)
def _header_path() -> QPainterPath:
    """The coloured header: the top of a rounded card, square at the bottom."""
    header = QPainterPath()
    header.addRoundedRect(QRectF(0, 0, style.NODE_WIDTH, style.HEADER_HEIGHT + style.CORNER_RADIUS),
                          style.CORNER_RADIUS, style.CORNER_RADIUS)
    clip = QPainterPath()
    clip.addRect(QRectF(0, 0, style.NODE_WIDTH, style.HEADER_HEIGHT))
    return header.intersected(clip)
