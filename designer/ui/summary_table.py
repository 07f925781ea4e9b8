"""The summary dock's table model: one row per layer, told row by row what an edit changed.

A table widget rebuilt after every edit makes the view lay out and repaint
every row, and an edit of a network of a few hundred layers changes one or two
rows. This model takes a `RowChanges` from `LiveSummary` and tells its view
exactly that: rows removed, rows moved (the order of the network changed),
rows inserted, rows whose texts changed. Texts are made only for the rows the
view paints.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

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

    def apply(self, changes: RowChanges, rows: list[LayerRow]) -> None:
        """Go from the rows shown (`changes.before`) to `rows` (`changes.after`).

        Rows removed, then the rest reordered if the network's order changed,
        then rows inserted, then one dataChanged over the rows whose texts changed.
        """
        added, removed = changes.added, changes.removed
        for first, last in reversed(_runs([i for i, node_id in enumerate(changes.before) if node_id in removed])):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first:last + 1]
            self.endRemoveRows()
        kept = [node_id for node_id in changes.after if node_id not in added]
        if [row.id for row in self._rows] != kept:
            by_id = {row.id: row for row in rows}
            self._reorder([by_id[node_id] for node_id in kept])
        for first, last in _runs([i for i, node_id in enumerate(changes.after) if node_id in added]):
            self.beginInsertRows(QModelIndex(), first, last)
            self._rows[first:first] = rows[first:last + 1]
            self.endInsertRows()
        self._rows = list(rows)  # the kept rows' new contents
        changed = [i for i, node_id in enumerate(changes.after) if node_id in changes.changed]
        if changed:
            self.dataChanged.emit(self.index(changed[0], 0), self.index(changed[-1], len(COLUMNS) - 1))

    def _reorder(self, rows: list[LayerRow]) -> None:
        """The same rows in another order; selections follow their layers."""
        self.layoutAboutToBeChanged.emit()
        position = {row.id: i for i, row in enumerate(rows)}
        old = self.persistentIndexList()
        new = [self.index(position[self._rows[index.row()].id], index.column()) for index in old]
        self._rows = rows
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
