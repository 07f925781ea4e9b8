"""A wire on the canvas: a smooth curve from an output port to an input port."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from ...graph import Edge
from . import style


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A cubic curve leaving `start` to the right and entering `end` from the left."""
    return _wire_path(start.x(), start.y(), end.x(), end.y())


def _wire_path(x1: float, y1: float, x2: float, y2: float) -> QPainterPath:
    reach = max(40.0, abs(x2 - x1) / 2, abs(y2 - y1) / 4)
    path = QPainterPath()
    path.moveTo(x1, y1)
    path.cubicTo(x1 + reach, y1, x2 - reach, y2, x2, y2)
    return path


class EdgeItem(QGraphicsPathItem):
    def __init__(self, edge: Edge | None) -> None:
        super().__init__()
        self.edge = edge
        self._shape: QPainterPath | None = None  # the clickable band, made when first asked for
        self._ends: tuple[float, float, float, float] | None = None
        self.setZValue(0)
        if edge is not None:
            self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        self._style()

    def _style(self) -> None:
        colour = style.SELECTED_COLOUR if self.isSelected() else style.EDGE_COLOUR
        pen = QPen(colour, 2.6 if self.isSelected() else 1.8)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if self.edge is None:  # the wire being dragged
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)

    def set_ends(self, start: QPointF, end: QPointF) -> None:
        self.set_ends_at(start.x(), start.y(), end.x(), end.y())

    def set_ends_at(self, x1: float, y1: float, x2: float, y2: float) -> None:
        """Run from scene point (x1, y1) to (x2, y2)."""
        ends = (x1, y1, x2, y2)
        if ends == self._ends:
            return  # already there
        self._ends = ends
        self.setPath(_wire_path(x1, y1, x2, y2))
        self._shape = None

    def shape(self) -> QPainterPath:
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(10)  # easy to click
            self._shape = stroker.createStroke(self.path())
        return self._shape

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._style()
        return super().itemChange(change, value)
