"""The pattern editor: a grid of +-1 pixels drawn and erased with the mouse.

The left button draws ink (+1) with the Draw tool, paper (-1) with the
Erase tool, and with the Mask tool drags a rectangle that is blanked to
paper on release (a region hidden from the network); the right button always
erases. A stroke fills every cell between two mouse positions, so a fast
drag leaves no gaps.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

INK = QColor("#1f2328")
PAPER = QColor("#ffffff")
GRID = QColor("#d0d7de")
MASK = QColor(214, 95, 40)
DRAW, ERASE, MASK_TOOL = "draw", "erase", "mask"


def pattern_image(pattern: np.ndarray) -> QImage:
    """A +-1 grid as a greyscale image, one pixel per cell (ink dark, paper white)."""
    grey = np.ascontiguousarray(np.where(np.asarray(pattern) > 0, INK.red(), 255).astype(np.uint8))
    rows, cols = grey.shape
    return QImage(grey.data, cols, rows, cols, QImage.Format.Format_Grayscale8).copy()


class PatternEditor(QWidget):
    changed = Signal()  # the pattern changed (a stroke cell, a mask, clear, invert, a new pattern)

    def __init__(self, shape: tuple[int, int], parent=None) -> None:
        super().__init__(parent)
        self._pattern = -np.ones(shape, np.int8)
        self.tool = DRAW
        self._value: int | None = None  # what the current stroke paints
        self._last: tuple[int, int] | None = None
        self._mask_from: tuple[int, int] | None = None
        self._mask_to: tuple[int, int] | None = None
        self.setMinimumSize(200, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setCursor(Qt.CursorShape.CrossCursor)
        self.setToolTip("Left button: draw (or erase, or mask with those tools); right button: erase")

    # --- the pattern ----------------------------------------------------------------------

    @property
    def shape(self) -> tuple[int, int]:
        return self._pattern.shape

    def pattern(self) -> np.ndarray:
        """A copy of the grid, (rows, cols) int8 of +-1."""
        return self._pattern.copy()

    def set_pattern(self, pattern: np.ndarray) -> None:
        values = np.where(np.asarray(pattern).reshape(self.shape) > 0, 1, -1).astype(np.int8)
        self._pattern = values
        self._changed()

    def set_shape(self, shape: tuple[int, int]) -> None:
        self._pattern = -np.ones(shape, np.int8)
        self._changed()

    def clear(self) -> None:
        self._pattern[:] = -1
        self._changed()

    def invert(self) -> None:
        self._pattern *= -1
        self._changed()

    def mask(self, top: int, left: int, bottom: int, right: int) -> None:
        """Blank the cells of rows top..bottom and columns left..right (inclusive) to paper."""
        self._pattern[min(top, bottom):max(top, bottom) + 1, min(left, right):max(left, right) + 1] = -1
        self._changed()

    def _changed(self) -> None:
        self.update()
        self.changed.emit()

    # --- geometry -------------------------------------------------------------------------

    def _cell_size(self) -> float:
        rows, cols = self.shape
        return max(1.0, min((self.width() - 2) / cols, (self.height() - 2) / rows))

    def _origin(self) -> QPointF:
        rows, cols = self.shape
        size = self._cell_size()
        return QPointF((self.width() - cols * size) / 2, (self.height() - rows * size) / 2)

    def cell_at(self, pos: QPointF | QPoint, clamp: bool = False) -> tuple[int, int] | None:
        origin, size = self._origin(), self._cell_size()
        row = int((pos.y() - origin.y()) // size)
        col = int((pos.x() - origin.x()) // size)
        rows, cols = self.shape
        if clamp:
            return min(max(row, 0), rows - 1), min(max(col, 0), cols - 1)
        return (row, col) if 0 <= row < rows and 0 <= col < cols else None

    def cell_centre(self, row: int, col: int) -> QPoint:
        """Where cell (row, col) is on the widget (for tests and tools)."""
        origin, size = self._origin(), self._cell_size()
        return QPoint(int(origin.x() + (col + 0.5) * size), int(origin.y() + (row + 0.5) * size))

    def sizeHint(self) -> QSize:
        return QSize(320, 320)

    # --- mouse ----------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if event.button() == Qt.MouseButton.LeftButton and self.tool == MASK_TOOL:
            cell = self.cell_at(pos, clamp=True)
            self._mask_from = self._mask_to = cell
            self.update()
            return
        if event.button() == Qt.MouseButton.LeftButton:
            self._value = 1 if self.tool == DRAW else -1
        elif event.button() == Qt.MouseButton.RightButton:
            self._value = -1
        else:
            return
        self._last = None
        self._paint_to(self.cell_at(pos))

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        if self._mask_from is not None:
            self._mask_to = self.cell_at(pos, clamp=True)
            self.update()
        elif self._value is not None:
            self._paint_to(self.cell_at(pos))

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._mask_from is not None:
            (top, left), (bottom, right) = self._mask_from, self.cell_at(event.position(), clamp=True)
            self._mask_from = self._mask_to = None
            self.mask(top, left, bottom, right)
            return
        self._value = None
        self._last = None

    def _paint_to(self, cell: tuple[int, int] | None) -> None:
        """Paint the stroke's value on every cell from the last one to `cell`."""
        if cell is None:
            self._last = None
            return
        start = self._last or cell
        count = max(abs(cell[0] - start[0]), abs(cell[1] - start[1])) + 1
        rows = np.rint(np.linspace(start[0], cell[0], count)).astype(int)
        cols = np.rint(np.linspace(start[1], cell[1], count)).astype(int)
        self._last = cell
        if np.all(self._pattern[rows, cols] == self._value):
            return
        self._pattern[rows, cols] = self._value
        self._changed()

    # --- drawing --------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rows, cols = self.shape
        origin, size = self._origin(), self._cell_size()
        area = QRectF(origin.x(), origin.y(), cols * size, rows * size)
        painter.drawImage(area, pattern_image(self._pattern))
        if size >= 9:
            painter.setPen(QPen(GRID, 1))
            for row in range(rows + 1):
                y = origin.y() + row * size
                painter.drawLine(QPointF(area.left(), y), QPointF(area.right(), y))
            for col in range(cols + 1):
                x = origin.x() + col * size
                painter.drawLine(QPointF(x, area.top()), QPointF(x, area.bottom()))
        painter.setPen(QPen(INK, 1))
        painter.drawRect(area)
        if self._mask_from is not None and self._mask_to is not None:
            (r0, c0), (r1, c1) = self._mask_from, self._mask_to
            top, left, bottom, right = min(r0, r1), min(c0, c1), max(r0, r1), max(c0, c1)
            fill = QColor(MASK)
            fill.setAlpha(90)
            rect = QRectF(origin.x() + left * size, origin.y() + top * size,
                          (right - left + 1) * size, (bottom - top + 1) * size)
            painter.fillRect(rect, fill)
            painter.setPen(QPen(MASK, 2))
            painter.drawRect(rect)
        painter.end()
