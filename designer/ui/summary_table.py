"""The summary dock's table model: one row per layer, told row by row what an edit changed.

A table widget rebuilt after every edit makes the view lay out and repaint
every row, and an edit of a network of a few hundred layers changes one or two
rows. This model takes a `RowChanges` from `LiveSummary` and tells its view
exactly that: rows removed, rows moved (the order of the network changed),
rows inserted, rows whose texts changed. Texts are made only for the rows the
view paints.

Its view, `SummaryTableView`, goes one step further: Qt repaints the whole
table after any change in the number of rows, and a layer dropped on the
canvas gets its row at the end, usually below what the dock shows, so the
view repaints only the rows from the first one inserted or removed down,
and its scroll bar repaints only when its handle moves.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QAbstractSlider, QScrollBar, QStyle, QStyleOptionSlider, QTableView

from ..analysis import LayerRow, RowChanges, format_bytes
from ..graph import format_shape

NODE_ROLE = Qt.ItemDataRole.UserRole
DISPLAY, ALIGNMENT = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.TextAlignmentRole
COLUMNS = ["Layer", "Kind", "Output shape", "Params", "Mult-adds", "Memory"]
NUMBER_COLUMNS = (3, 4)
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def _count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


def cell_text(row: LayerRow, column: int) -> str:
    if column == 0:
        return row.name
    if column == 1:
        return row.kind
    if column == 2:
        return "?" if row.output_shape is None else format_shape(row.output_shape)
    if column == 3:
        return _count(row.params)
    if column == 4:
        return _count(row.mult_adds)
    return "?" if row.activations is None else format_bytes(row.activations * 4)


def _runs(indices: list[int]) -> list[tuple[int, int]]:
    """Sorted indices as (first, last) runs of consecutive ones: [1, 2, 3, 7] -> [(1, 3), (7, 7)]."""
    runs: list[tuple[int, int]] = []
    for index in indices:
        if runs and runs[-1][1] == index - 1:
            runs[-1] = (runs[-1][0], index)
        else:
            runs.append((index, index))
    return runs


class SummaryTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[LayerRow] = []

    # --- reading ----------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index, role=DISPLAY):
        # the view asks for eight roles per painted cell: those with an answer are checked first
        if not index.isValid():
            return None
        if role == DISPLAY:
            return cell_text(self._rows[index.row()], index.column())
        if role == ALIGNMENT:
            return RIGHT if index.column() in NUMBER_COLUMNS else None
        if role == NODE_ROLE:
            return self._rows[index.row()].id
        return None

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return super().headerData(section, orientation, role)

    # --- following the summary ---------------------------------------------------------------

    def show_all(self, rows: list[LayerRow]) -> None:
        """Show these rows afresh (another project)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def apply(self, changes: RowChanges, rows: list[LayerRow]) -> int | None:
        """Go from the rows shown (`changes.before`) to `rows` (`changes.after`).

        Rows removed, then the rest reordered if the network's order changed,
        then rows inserted, then one dataChanged over the rows whose texts changed.
        Returns the first row that was inserted or removed, below which rows
        moved (len(rows) if none), or None if the rest were reordered.
        """
        added, removed = changes.added, changes.removed
        moved_from: int | None = len(rows)
        for first, last in reversed(_runs([i for i, node_id in enumerate(changes.before) if node_id in removed])):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()
            moved_from = min(moved_from, first)
        kept = [node_id for node_id in changes.after if node_id not in added]
        if [row.id for row in self._rows] != kept:
            by_id = {row.id: row for row in rows}
            self._reorder([by_id[node_id] for node_id in kept])
            moved_from = None
        for first, last in _runs([i for i, node_id in enumerate(changes.after) if node_id in added]):
            self.beginInsertRows(QModelIndex(), first, last)
            self._rows[first:first] = rows[first:last + 1]
            self.endInsertRows()
            if moved_from is not None:
                moved_from = min(moved_from, first)
        self._rows = list(rows)  # the kept rows' new contents
        changed = [i for i, node_id in enumerate(changes.after) if node_id in changes.changed]
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(COLUMNS) - 1))
        return moved_from

    def _reorder(self, rows: list[LayerRow]) -> None:
        """The same rows in another order; selections follow their layers."""
        self.layoutAboutToBeChanged.emit()
        position = {row.id: i for i, row in enumerate(rows)}
        old = self.persistentIndexList()
        new = [self.index(position[self._rows[index.row()].id], index.column()) for index in old]
        self._rows = rows
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


class SteadyScrollBar(QScrollBar):
    """A scroll bar that repaints after a change of its range only if that changes how it looks.

    A row added to a table of a few hundred moves the handle by less than a
    pixel most of the time, yet QScrollBar repaints itself on every change of
    range, and a scroll bar cost as much to paint as the rows of the table.
    It looks the same if its handle has the same place and size and its
    arrows the same state (an arrow is greyed at its end of the range).
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._painted: tuple | None = None  # the look last painted

    def _look(self) -> tuple:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        handle = self.style().subControlRect(QStyle.ComplexControl.CC_ScrollBar, option,
                                             QStyle.SubControl.SC_ScrollBarSlider, self)
        value = option.sliderValue
        return handle, value == option.minimum, value == option.maximum, option.minimum == option.maximum

    def sliderChange(self, change) -> None:
        if (change == QAbstractSlider.SliderChange.SliderRangeChange and self._painted is not None
                and not self.style().styleHint(QStyle.StyleHint.SH_ScrollBar_Transient, None, self)
                and self._look() == self._painted):
            return  # nothing to repaint (a transient scroll bar would flash to show the change: not skipped)
        super().sliderChange(change)

    def paintEvent(self, event) -> None:
        self._painted = self._look()
        super().paintEvent(event)


class SummaryTableView(QTableView):
    """A table view that, after rows were inserted or removed, repaints only the rows that moved.

    QTableView answers any change in the number of rows by laying its rows out
    again and repainting its whole viewport (QAbstractItemView::doItemsLayout),
    which took longer than the rest of an edit on a big network, although the
    rows above the first one inserted or removed are painted where they were.
    `lay_out_rows_moved_from` lays the rows out at once and repaints from that
    row down; any other layout (a reset, a reorder, a resize) is Qt's own.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setVerticalScrollBar(SteadyScrollBar())
        self._repaint_from: int | None = None  # set only while lay_out_rows_moved_from runs

    def lay_out_rows_moved_from(self, first: int) -> None:
        """Lay out the rows now; those above row `first` are as they were painted."""
        self._repaint_from = first
        try:
            self.executeDelayedItemsLayout()
        finally:
            self._repaint_from = None

    def doItemsLayout(self) -> None:
        if self._repaint_from is None:
            super().doItemsLayout()
            return
        # what QTableView::doItemsLayout does, with a smaller region to repaint
        self.updateGeometries()  # the scroll bars; a view scrolled to the end scrolls up after a removal
        header = self.verticalHeader()
        if not header.updatesEnabled():  # QTableView turns them off while rows are removed
            header.setUpdatesEnabled(True)
        viewport = self.viewport()
        count = self.model().rowCount() if self.model() is not None else 0
        if self._repaint_from < count:
            top = self.rowViewportPosition(self._repaint_from)
        else:  # rows removed at the end: from the bottom of the last row left
            top = self.rowViewportPosition(count - 1) + self.rowHeight(count - 1) if count else 0
        top = max(0, top)
        if top < viewport.height():
            viewport.update(0, top, viewport.width(), viewport.height() - top)
