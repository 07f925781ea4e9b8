"""The summary and problems docks, which follow the graph as it is edited.

The summary is the Keras-like table (shape, parameters, multiply-adds and
memory per layer, with totals and the training memory for a chosen batch size
and optimiser); the problems list holds validate()'s sentences. Clicking a
row asks the window to select that layer on the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QSpinBox,
    QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget,
)

from ..analysis import OPTIMIZER_SLOTS, format_bytes, summary
from ..graph import GraphEvent, Project, format_shape
from ..graph.events import EventType

NODE_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ["Layer", "Kind", "Output shape", "Params", "Mult-adds", "Memory"]


def _count(value: int | None) -> str:
    return "?" if value is None else f"{value:,}"


NUMBER_COLUMNS = (3, 4)


class _FollowsGraph(QWidget):
    """A widget that redraws itself after each change of the project's graph (moves aside)."""

    node_clicked = Signal(list)  # node ids to select

    def __init__(self, project: Project, parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self._unsubscribe = project.graph.subscribe(self._on_graph_event)

    def set_project(self, project: Project) -> None:
        self._unsubscribe()
        self.project = project
        self._unsubscribe = project.graph.subscribe(self._on_graph_event)
        self.refresh()

    def _on_graph_event(self, event: GraphEvent) -> None:
        if event.type != EventType.NODE_MOVED:
            self.refresh()

    def refresh(self) -> None:
        raise NotImplementedError


class SummaryPanel(_FollowsGraph):
    def __init__(self, project: Project, parent=None) -> None:
        super().__init__(project, parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.itemClicked.connect(lambda item: self.node_clicked.emit([item.data(NODE_ROLE)]))
        self.totals = QLabel()
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.batch = QSpinBox()
        self.batch.setRange(1, 65536)
        self.batch.setValue(32)
        self.batch.setPrefix("batch ")
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZER_SLOTS))
        self.optimizer.setCurrentText("adam")
        self.batch.valueChanged.connect(self.refresh)
        self.optimizer.currentTextChanged.connect(self.refresh)
        footer = QHBoxLayout()
        footer.addWidget(self.totals, 1)
        footer.addWidget(QLabel("Training memory for"))
        footer.addWidget(self.batch)
        footer.addWidget(self.optimizer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addLayout(footer)
        self.refresh()

    def refresh(self) -> None:
        """Redraw the table, or only note that it is out of date while it cannot be seen (a hidden tab)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        result = summary(self.project.graph)
        grew = self.table.rowCount() != len(result.rows)
        self.table.setRowCount(len(result.rows))
        for row_index, row in enumerate(result.rows):
            memory = None if row.activations is None else row.activations * 4
            texts = [row.name, row.kind,
                     format_shape(row.output_shape) if row.output_shape is not None else "?",
                     _count(row.params), _count(row.mult_adds), "?" if memory is None else format_bytes(memory)]
            for column, text in enumerate(texts):
                self._set_cell(row_index, column, text, row.id)
        if grew:
            self.table.resizeColumnsToContents()
        training = result.training_bytes(self.batch.value(), self.optimizer.currentText())
        incomplete = "" if result.complete else "  (incomplete: some shapes are unknown)"
        self.totals.setText(
            f"<b>{result.total_params:,}</b> parameters ({format_bytes(result.param_bytes)}), "
            f"{result.trainable_params:,} trainable &middot; {result.mult_adds:,} mult-adds &middot; "
            f"activations {format_bytes(result.activation_bytes)} per sample &middot; "
            f"training about <b>{format_bytes(training)}</b>{incomplete}"
        )


    def _set_cell(self, row: int, column: int, text: str, node_id: str) -> None:
        """Change a cell only if its text changed: re-creating 300 rows of items on every edit is slow."""
        item = self.table.item(row, column)
        if item is None:
            item = QTableWidgetItem()
            if column in NUMBER_COLUMNS:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)
        if item.text() != text:
            item.setText(text)
        if item.data(NODE_ROLE) != node_id:
            item.setData(NODE_ROLE, node_id)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()


class ProblemsPanel(_FollowsGraph):
    def __init__(self, project: Project, parent=None) -> None:
        super().__init__(project, parent)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemClicked.connect(lambda item: self.node_clicked.emit(list(item.data(NODE_ROLE) or [])))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.list)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        problems = self.project.graph.validate()
        if not problems:
            item = QListWidgetItem("No problems: the network can be compiled.")
            item.setForeground(Qt.GlobalColor.darkGreen)
            self.list.addItem(item)
            return
        for problem in problems:
            item = QListWidgetItem(problem.message)
            item.setData(NODE_ROLE, list(problem.nodes))
            item.setForeground(Qt.GlobalColor.darkRed)
            self.list.addItem(item)

    def messages(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
