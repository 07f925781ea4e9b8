"""The summary and problems docks, which follow the graph as it is edited.

The summary is the Keras-like table (shape, parameters, multiply-adds and
memory per layer, with totals and the training memory for a chosen batch size
and optimiser); the problems list holds validate()'s sentences. Clicking a
row asks the window to select that layer on the canvas.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QListWidget, QListWidgetItem, QScrollArea,
    QSpinBox, QVBoxLayout, QWidget,
)

from ..analysis import OPTIMIZER_SLOTS, LiveSummary, format_bytes
from ..graph import GraphEvent, Project
from ..graph.events import EventType
from .layout_barrier import layout_barrier
from .summary_table import NODE_ROLE, SummaryTableModel, SummaryTableView


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
    """The summary table and its totals; each edit redraws only the rows it changed (see LiveSummary)."""

    def __init__(self, project: Project, parent=None) -> None:
        super().__init__(project, parent)
        self.live = LiveSummary(project.graph)
        self._stale = False
        self._new_graph = True  # the table shows another graph's rows, or none yet
        self.model = SummaryTableModel(self)
        self.table = SummaryTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.clicked.connect(lambda index: self.node_clicked.emit([index.data(NODE_ROLE)]))
        self.totals = QLabel()
        self.totals.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.totals.setWordWrap(True)  # a narrow dock wraps the totals rather than widening the window
        self.batch = QSpinBox()
        self.batch.setRange(1, 65536)
        self.batch.setValue(32)
        self.batch.setPrefix("batch ")
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZER_SLOTS))
        self.optimizer.setCurrentText("adam")
        self.batch.valueChanged.connect(self._show_totals)
        self.optimizer.currentTextChanged.connect(self._show_totals)
        footer = QHBoxLayout()
        footer.addWidget(_contained(self.totals, lines=2), 1)
        footer.addWidget(QLabel("Training memory for"))
        footer.addWidget(self.batch)
        footer.addWidget(self.optimizer)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.table)
        layout.addLayout(footer)
        self.refresh()

    def set_project(self, project: Project) -> None:
        self.live = LiveSummary(project.graph)
        self._new_graph = True
        super().set_project(project)

    def _on_graph_event(self, event: GraphEvent) -> None:
        self.live.note(event)
        super()._on_graph_event(event)

    def refresh(self) -> None:
        """Redraw the rows that changed, or only note that they did while the table cannot be seen (a closed dock)."""
        if not self.isVisible():
            self._stale = True
            return
        self._stale = False
        if self._new_graph:
            self._show_new_graph()
            return
        changes = self.live.update()
        self.table.executeDelayedItemsLayout()  # any layout Qt has pending is its own, before the rows change
        moved_from = self.model.apply(changes, self.live.rows)
        if moved_from is not None:
            self.table.lay_out_rows_moved_from(moved_from)
        added = changes.added
        if added:  # columns widen to fit new rows, as they were sized to fit the first ones
            self._widen_columns([i for i, node_id in enumerate(changes.after) if node_id in added])
        self._show_totals()

    def _show_new_graph(self) -> None:
        self._new_graph = False
        self.live.update()
        self.model.show_all(self.live.rows)
        self.table.resizeColumnsToContents()
        self._show_totals()

    def _widen_columns(self, rows: list[int]) -> None:
        """Widen the columns that these rows' texts do not fit (as resizeColumnsToContents would, but only for them)."""
        grid = 1 if self.table.showGrid() else 0
        for column in range(self.model.columnCount()):
            wanted = grid + max(self.table.sizeHintForIndex(self.model.index(row, column)).width() for row in rows)
            if wanted > self.table.columnWidth(column):
                self.table.setColumnWidth(column, wanted)

    def _show_totals(self) -> None:
        result = self.live.summary()
        training = result.training_bytes(self.batch.value(), self.optimizer.currentText())
        incomplete = "" if result.complete else "  (incomplete: some shapes are unknown)"
        self.totals.setText(
            f"<b>{result.total_params:,}</b> parameters ({format_bytes(result.param_bytes)}), "
            f"{result.trainable_params:,} trainable &middot; {result.mult_adds:,} mult-adds &middot; "
            f"activations {format_bytes(result.activation_bytes)} per sample &middot; "
            f"training about <b>{format_bytes(training)}</b>{incomplete}"
        )

    def rows_shown(self) -> list[list[str]]:
        """The table's texts, row by row, as the view gets them from the model."""
        model = self.table.model()
        return [[model.index(r, c).data() for c in range(model.columnCount())] for r in range(model.rowCount())]

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


def _contained(label: QLabel, lines: int) -> QScrollArea:
    """The label behind a layout barrier `lines` high: its text changes with every edit."""
    area = layout_barrier(label)
    for policy in (area.setHorizontalScrollBarPolicy, area.setVerticalScrollBarPolicy):
        policy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFixedHeight(lines * label.fontMetrics().lineSpacing() + 2 * label.margin() + 4)
    return area
