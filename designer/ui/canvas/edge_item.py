"""A wire on the canvas: a smooth curve from an output port to an input port."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem

from ...graph import Edge
from . import style


def wire_path(start: QPointF, end: QPointF) -> QPainterPath:
    """A cubic curve leaving `start` to the right and entering `end` from the left."""
    reach = max(40.0, abs(end.x() - start.x()) / 2, abs(end.y() - start.y()) / 4)
    path = QPainterPath(start)
    path.cubicTo(QPointF(start.x() + reach, start.y()), QPointF(end.x() - reach, end.y()), end)
    return path


class EdgeItem(QGraphicsPathItem):
    def __init__(self, edge: Edge | None) -> None:
        super().__init__()
        self.edge = edge
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
        self.setPath(wire_path(start, end))

    def shape(self) -> QPainterPath:
        stroker = QPainterPathStroker()
        stroker.setWidth(10)  # easy to click
        return stroker.createStroke(self.path())

    def itemChange(self, change: QGraphicsItem.GraphicsItemChange, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self._style()
        return super().itemChange(change, value)
