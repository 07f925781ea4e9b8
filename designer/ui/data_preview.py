"""A data set before it is chosen: a summary, a scatter plot or a grid of images, the first rows, class counts.

The preview only reads a loaded Dataset (and its describe_dict); it never
loads anything itself, so the dialog can load off the GUI thread and hand
the result over.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView, QHeaderView, QLabel, QSizePolicy, QStackedWidget, QTableWidget, QTableWidgetItem, QVBoxLayout,
    QWidget, QHBoxLayout,
)

from ..data import CLASSIFICATION, Dataset

PREVIEW_ROWS = 20  # rows of the table
MAX_COLUMNS = 16  # values per row of the table
MAX_POINTS = 4000  # points in the scatter plot; more are sampled
GRID_COLUMNS = 8  # images per row when the images are not arranged by class
GRID_ROWS = 6
CLASS_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                 "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
REGRESSION_MAP = pg.ColorMap([0.0, 0.5, 1.0], ["#1f77b4", "#9467bd", "#d62728"])  # low to high target
TEXT = "#1f2328"
TILE_BACKGROUND = "#d0d7de"  # around and between sample images, so white or black pictures both stand out
_TILE_RGB = tuple(int(TILE_BACKGROUND[i:i + 2], 16) / 255 for i in (1, 3, 5))
MUTED = "#57606a"


def class_colour(index: int) -> QColor:
    """The colour of class `index` in plots: ten distinct colours, then lighter and darker turns of them."""
    colour = QColor(CLASS_COLOURS[index % len(CLASS_COLOURS)])
    turn = index // len(CLASS_COLOURS)
    return colour if not turn else colour.lighter(100 + 40 * turn) if turn % 2 else colour.darker(100 + 40 * turn)


def is_image_data(dataset: Dataset) -> bool:
    """Pictures: (N, channels, H, W), or (N, H, W) grids without feature names (letters for Hopfield networks)."""
    X = dataset.X
    if X.ndim == 4:
        return X.shape[1] in (1, 3)
    return X.ndim == 3 and not dataset.feature_names and X.shape[1] > 1 and X.shape[2] > 1


def _number(value: float) -> str:
    return f"{value:.4g}"


def image_mosaic(dataset: Dataset) -> tuple[np.ndarray, list[tuple[int, str]], tuple[int, int]]:
    """Sample images tiled into one array (row-major, values 0..1), the column headers (x, text), and the cell size.

    Classification sets of up to ten classes get one column per class, its
    first samples going down; others get the first samples in rows.
    """
    X = dataset.X
    images = X if X.ndim == 4 else X[:, None]
    channels, height, width = images.shape[1:]
    cell_h, cell_w = height + 1, width + 1  # one pixel of gap
    headers: list[tuple[int, str]] = []
    if dataset.kind == CLASSIFICATION and 2 <= len(dataset.classes) <= 10:
        columns = [np.flatnonzero(dataset.y == c)[:GRID_ROWS] for c in range(len(dataset.classes))]
        rows = max((len(c) for c in columns), default=0)
        cells = [[column[r] if r < len(column) else None for column in columns] for r in range(rows)]
        headers = [(c * cell_w + width // 2, name) for c, name in enumerate(dataset.classes)]
    else:
        count = min(len(X), GRID_COLUMNS * GRID_ROWS)
        per_row = min(GRID_COLUMNS, max(count, 1))
        cells = [[i if i < count else None for i in range(r * per_row, (r + 1) * per_row)]
                 for r in range((count + per_row - 1) // per_row)]
    chosen = [i for row in cells for i in row if i is not None]
    low, high = (float(images[chosen].min()), float(images[chosen].max())) if chosen else (0.0, 1.0)
    span = high - low if high > low else 1.0
    rows, columns = len(cells), len(cells[0]) if cells else 0
    mosaic = np.empty((max(rows * cell_h - 1, 1), max(columns * cell_w - 1, 1), 3), dtype=np.float32)
    mosaic[...] = _TILE_RGB
    for r, row in enumerate(cells):
        for c, index in enumerate(row):
            if index is None:
                continue
            picture = (images[index] - low) / span
            picture = np.repeat(picture, 3, axis=0) if channels == 1 else picture
            mosaic[r * cell_h:r * cell_h + height, c * cell_w:c * cell_w + width] = picture.transpose(1, 2, 0)
    return mosaic, headers, (cell_h, cell_w)


class PreviewPanel(QWidget):
    """The right side of the data set dialog."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.dataset: Dataset | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.scatter_plot = pg.PlotWidget(background="w")
        self.scatter_plot.showGrid(x=True, y=True, alpha=0.15)
        self.scatter_plot.setMenuEnabled(False)
        self.legend = self.scatter_plot.addLegend(offset=(-8, 8), labelTextColor=TEXT,
                                                  brush=pg.mkBrush(255, 255, 255, 210))
        self.scatter_items: list[pg.ScatterPlotItem] = []

        self.image_widget = pg.GraphicsLayoutWidget()
        self.image_widget.setBackground(TILE_BACKGROUND)
        self.image_view = self.image_widget.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.image_item = pg.ImageItem(axisOrder="row-major")
        self.image_item.setLevels((0.0, 1.0))
        self.image_view.addItem(self.image_item)
        self.image_labels: list[pg.TextItem] = []

        self.plots = QStackedWidget()
        self.plots.addWidget(self.scatter_plot)
        self.plots.addWidget(self.image_widget)

        self.rows_table = _table()
        self.counts_title = QLabel("<b>Classes</b>")
        self.counts_table = _table()
        self.counts_table.setColumnCount(2)
        self.counts_table.setHorizontalHeaderLabels(["class", "samples"])
        self.counts_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.counts_table.setMaximumWidth(240)
        self.placeholder = QLabel("The preview appears here once the data is loaded.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet(f"color: {MUTED};")
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet(f"color: {MUTED};")

        self.counts_table.verticalHeader().hide()
        counts = QVBoxLayout()
        counts.setContentsMargins(0, 0, 0, 0)
        counts.addWidget(self.counts_title)
        counts.addWidget(self.counts_table)
        counts.addStretch(1)
        self.counts_box = QWidget()
        self.counts_box.setLayout(counts)
        self.counts_box.setMaximumWidth(240)
        self.rows_title = QLabel()
        views = QVBoxLayout()  # the plot over the first rows; the class counts beside both
        views.setContentsMargins(0, 0, 0, 0)
        views.addWidget(self.plots, 3)
        views.addWidget(self.rows_title)
        views.addWidget(self.rows_table, 2)
        middle = QHBoxLayout()
        middle.addLayout(views, 1)
        middle.addWidget(self.counts_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(middle, 1)
        layout.addWidget(self.placeholder, 1)
        layout.addWidget(self.notes)
        self.clear()

    # --- what tests and the dialog read ----------------------------------------------------------

    @property
    def plot_kind(self) -> str:
        """"scatter", "images" or "" for what the plot area shows."""
        if self.plots.isHidden() or self.dataset is None:
            return ""
        return "scatter" if self.plots.currentWidget() is self.scatter_plot else "images"

    def scatter_points(self) -> int:
        return sum(len(item.data) for item in self.scatter_items)

    def class_counts(self) -> dict[str, int]:
        return {self.counts_table.item(r, 0).text(): int(self.counts_table.item(r, 1).text().replace(",", ""))
                for r in range(self.counts_table.rowCount())}

    def row_texts(self) -> list[list[str]]:
        table = self.rows_table
        return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]

    def column_names(self) -> list[str]:
        table = self.rows_table
        return [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]

    # --- showing ----------------------------------------------------------------------------------

    def clear(self, text: str = "") -> None:
        self.dataset = None
        self.summary.setText(text)
        self.plots.hide()
        self.counts_box.hide()
        self.rows_title.hide()
        self.rows_table.hide()
        self.rows_table.clear()
        self.rows_table.setRowCount(0)
        self.rows_table.setColumnCount(0)
        self.counts_table.setRowCount(0)
        self.notes.clear()
        self.notes.hide()
        self.placeholder.show()
        self._clear_scatter()
        self._clear_images()

    def set_enabled_look(self, enabled: bool) -> None:
        """Grey the preview out while another load runs, so an old preview is not taken for the new data."""
        for widget in (self.plots, self.rows_table, self.counts_box, self.summary):
            widget.setEnabled(enabled)

    def show_dataset(self, dataset: Dataset, info: dict[str, Any], source: str = "", target: str = "") -> None:
        """Show a loaded data set; `source` says where it is from, `target` names its target column."""
        self.clear()
        self.placeholder.hide()
        self.dataset = dataset
        self._show_summary(dataset, info, source)
        images = is_image_data(dataset)
        if images:
            self._show_images(dataset)
        elif dataset.X.ndim == 2 and dataset.X.shape[1] in (1, 2):
            self._show_scatter(dataset)
        if not images:
            self._show_rows(dataset, target)
        if dataset.kind == CLASSIFICATION:
            self._show_counts(info)
        lines = [f"Note: {note}" for note in info["notes"]] + [f"Worth knowing: {p}" for p in info["problems"]]
        self.notes.setText("\n".join(lines))
        self.notes.setVisible(bool(lines))

    def _show_summary(self, dataset: Dataset, info: dict[str, Any], source: str) -> None:
        shape = ", ".join(map(str, dataset.sample_shape)) + ("," if len(dataset.sample_shape) == 1 else "")
        if dataset.kind == CLASSIFICATION:
            kind = f"classification into {len(dataset.classes)} class{'es' if len(dataset.classes) != 1 else ''}"
        else:
            outputs = dataset.n_outputs
            kind = f"regression, {outputs} output{'s' if outputs != 1 else ''}"
            if "target" in info:
                kind += f", target from {_number(min(info['target']['min']))} to {_number(max(info['target']['max']))}"
        text = (f"<b>{_escape(dataset.name)}</b>: {len(dataset):,} samples of shape ({shape}), {kind}."
                f"<br><span style='color:{MUTED}'>{_escape(source or dataset.source)}</span>")
        self.summary.setText(text)

    def _show_scatter(self, dataset: Dataset) -> None:
        self.plots.setCurrentWidget(self.scatter_plot)
        self.plots.show()
        X, y = dataset.X, dataset.y
        keep = np.arange(len(X))
        if len(X) > MAX_POINTS:
            keep = np.sort(np.random.default_rng(0).choice(len(X), MAX_POINTS, replace=False))
        names = dataset.feature_names or [f"feature {i + 1}" for i in range(X.shape[1])]
        plot = self.scatter_plot.getPlotItem()
        if X.shape[1] == 1:  # one input against the target
            values = y.reshape(len(y), -1)[:, 0] if dataset.kind != CLASSIFICATION else y
            self._add_scatter(X[keep, 0], values[keep].astype(np.float64), pg.mkBrush("#1f77b4"), None)
            plot.setLabel("bottom", names[0])
            plot.setLabel("left", "target")
        elif dataset.kind == CLASSIFICATION:
            for label, name in enumerate(dataset.classes):
                members = keep[y[keep] == label]
                if len(members):
                    self._add_scatter(X[members, 0], X[members, 1], pg.mkBrush(class_colour(label)), name)
            plot.setLabel("bottom", names[0])
            plot.setLabel("left", names[1])
        else:  # colour by the (first) target value
            values = y.reshape(len(y), -1)[keep, 0].astype(np.float64)
            low, high = values.min(), values.max()
            shares = (values - low) / (high - low) if high > low else np.zeros_like(values)
            brushes = [pg.mkBrush(colour) for colour in REGRESSION_MAP.map(shares, mode="qcolor")]
            self._add_scatter(X[keep, 0], X[keep, 1], brushes, None)
            plot.setLabel("bottom", names[0])
            plot.setLabel("left", names[1])
        self.legend.setVisible(dataset.kind == CLASSIFICATION and X.shape[1] == 2)
        plot.enableAutoRange()

    def _add_scatter(self, xs: np.ndarray, ys: np.ndarray, brush, name: str | None) -> None:
        item = pg.ScatterPlotItem(xs, ys, size=6, pen=pg.mkPen(255, 255, 255, 160, width=0.6), brush=brush, name=name)
        self.scatter_plot.addItem(item)
        self.scatter_items.append(item)

    def _clear_scatter(self) -> None:
        for item in self.scatter_items:
            self.scatter_plot.removeItem(item)
        self.scatter_items.clear()
        self.legend.clear()
        plot = self.scatter_plot.getPlotItem()
        plot.setLabel("bottom", "")
        plot.setLabel("left", "")

    def _show_images(self, dataset: Dataset) -> None:
        self.plots.setCurrentWidget(self.image_widget)
        self.plots.show()
        mosaic, headers, (cell_h, _) = image_mosaic(dataset)
        self.image_item.setImage(mosaic, levels=(0.0, 1.0))
        font = QFont()
        font.setPointSize(8)
        for x, text in headers:
            label = pg.TextItem(text, color=TEXT, anchor=(0.5, 1.0))
            label.setFont(font)
            label.setPos(x + 0.5, -0.3)
            self.image_view.addItem(label)
            self.image_labels.append(label)
        top = -max(cell_h * 0.45, 1.5) if headers else 0
        self.image_view.setRange(xRange=(0, mosaic.shape[1]), yRange=(top, mosaic.shape[0]), padding=0.02)

    def _clear_images(self) -> None:
        for label in self.image_labels:
            self.image_view.removeItem(label)
        self.image_labels.clear()
        self.image_item.clear()

    def _show_rows(self, dataset: Dataset, target: str) -> None:
        X = dataset.X.reshape(len(dataset), -1)
        count = min(len(dataset), PREVIEW_ROWS)
        width = min(X.shape[1], MAX_COLUMNS)
        headers = _value_names(dataset)[:width]
        more = X.shape[1] - width
        if more:
            headers.append(f"... {more:,} more")
        headers.append(target or ("target" if dataset.n_outputs == 1 or dataset.kind == CLASSIFICATION else "targets"))
        table = self.rows_table
        table.setColumnCount(len(headers))
        table.setRowCount(count)
        table.setHorizontalHeaderLabels(headers)
        bold = QFont()
        bold.setBold(True)
        table.horizontalHeaderItem(len(headers) - 1).setFont(bold)
        names = dataset.sample_names or [str(i + 1) for i in range(count)]
        table.setVerticalHeaderLabels(names[:count])
        for r in range(count):
            for c in range(width):
                table.setItem(r, c, _cell(_number(float(X[r, c])), right=True))
            if more:
                table.setItem(r, width, _cell("..."))
            if dataset.kind == CLASSIFICATION:
                item = _cell(dataset.classes[int(dataset.y[r])])
                item.setForeground(QBrush(class_colour(int(dataset.y[r])).darker(115)))
            else:
                item = _cell(", ".join(_number(float(v)) for v in np.ravel(dataset.y[r])), right=True)
            item.setFont(bold)
            table.setItem(r, len(headers) - 1, item)
        table.resizeColumnsToContents()
        self.rows_title.setText(f"<b>First {count} of {len(dataset):,} rows</b>" if count < len(dataset)
                                else f"<b>All {count} rows</b>")
        self.rows_title.show()
        table.show()

    def _show_counts(self, info: dict[str, Any]) -> None:
        classes = info["classes"]
        table = self.counts_table
        table.setRowCount(len(classes))
        total = max(sum(c["count"] for c in classes), 1)
        for r, entry in enumerate(classes):
            name = _cell(entry["name"])
            name.setForeground(QBrush(class_colour(r).darker(115)))
            table.setItem(r, 0, name)
            count = _cell(f"{entry['count']:,}", right=True)
            count.setToolTip(f"{entry['count'] / total:.1%} of the samples")
            table.setItem(r, 1, count)
        table.resizeColumnToContents(1)
        rows_height = sum(table.rowHeight(r) for r in range(table.rowCount()))
        needed = table.horizontalHeader().sizeHint().height() + rows_height + 2 * table.frameWidth() + 2
        table.setMinimumHeight(min(needed, 260))  # ten classes without scrolling; more scroll
        table.setMaximumHeight(needed)
        self.counts_title.setText(f"<b>{len(classes)} classes</b>")
        self.counts_box.show()


def _value_names(dataset: Dataset) -> list[str]:
    """A name for each value of a flattened sample."""
    shape = dataset.sample_shape
    names = dataset.feature_names
    if len(shape) == 1:
        return list(names) if names else [f"x{i + 1}" for i in range(shape[0])]
    if len(shape) == 2:  # (steps, features)
        steps, features = shape
        if features == 1:
            return [f"t{t + 1}" for t in range(steps)]
        feature = names or [f"x{i + 1}" for i in range(features)]
        return [f"t{t + 1} {feature[f]}" for t in range(steps) for f in range(features)]
    return [f"v{i + 1}" for i in range(int(np.prod(shape)))]


def _cell(text: str, right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table() -> QTableWidget:
    table = QTableWidget()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setDefaultSectionSize(22)
    table.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return table


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
