"""For classifiers: the confusion matrix over held-out samples, and a table of the predictions, wrong ones marked.

The samples are the validation part (else the test part, else the training
part), at most a thousand of them; the worker sends the network's outputs for
them at the end of epochs, and this panel turns them into predicted classes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHeaderView, QLabel, QSplitter, QTableView, QVBoxLayout, QWidget,
)

from .mosaic import steady_axes

COUNT_MAP = pg.colormap.get("CET-L12")  # white to blue
MAX_LABELLED_CLASSES = 20  # beyond this the matrix has no class names or counts written on it
WRONG = QBrush(QColor("#ffd8d3"))
LIGHT_TEXT, DARK_TEXT = "#ffffff", "#1f2328"  # counts on dark and on light cells
COLUMNS = ["", "sample", "true class", "predicted", "confidence"]
SIZED_BY_ROWS = 50  # the table's columns fit the first rows' texts


def predicted_classes(outputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(class index, confidence) per sample from a classifier's outputs: argmax of several, or one output > 0.5."""
    outputs = np.nan_to_num(outputs.reshape(len(outputs), -1))
    if outputs.shape[1] == 1:
        p = outputs[:, 0]
        predicted = (p > 0.5).astype(np.int64)
        return predicted, np.where(predicted == 1, p, 1.0 - p)
    return outputs.argmax(axis=1), outputs.max(axis=1)


def confusion_matrix(truth: np.ndarray, predicted: np.ndarray, classes: int) -> np.ndarray:
    """counts[true class, predicted class]."""
    counts = np.zeros((classes, classes), dtype=np.int64)
    np.add.at(counts, (truth, np.clip(predicted, 0, classes - 1)), 1)
    return counts


class PredictionsModel(QAbstractTableModel):
    """The table of predictions, read from arrays: redrawing it costs only the rows on screen."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.classes: list[str] = []
        self.truth = self.predicted = self.confidence = self.wrong = np.zeros(0, dtype=np.int64)
        self.rows = np.zeros(0, dtype=np.int64)  # the samples shown, in order
        self.wrong_only = False

    def set_predictions(self, names: list[str], classes: list[str], truth: np.ndarray, predicted: np.ndarray,
                        confidence: np.ndarray) -> None:
        """Show these predictions; the same samples as before, all on show, are only repainted, so that the
        table keeps its place (and its cost) while training goes."""
        if not self.wrong_only and len(truth) == len(self.truth) > 0:
            self.names, self.classes = names, classes
            self.truth, self.predicted, self.confidence = truth, predicted, confidence
            self.wrong = predicted != truth
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(COLUMNS) - 1))
            return
        self.beginResetModel()
        self.names, self.classes = names, classes
        self.truth, self.predicted, self.confidence = truth, predicted, confidence
        self.wrong = predicted != truth
        self._choose_rows()
        self.endResetModel()

    def show_wrong_only(self, on: bool) -> None:
        self.beginResetModel()
        self.wrong_only = on
        self._choose_rows()
        self.endResetModel()

    def _choose_rows(self) -> None:
        self.rows = np.flatnonzero(self.wrong) if self.wrong_only else np.arange(len(self.truth))

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        sample = int(self.rows[index.row()])
        wrong = bool(self.wrong[sample])
        if role == Qt.ItemDataRole.BackgroundRole:
            return WRONG if wrong else None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == 0:
            return "✗" if wrong else "✓"
        if column == 1:
            return self.names[sample] if sample < len(self.names) else str(sample)
        if column == 4:
            return f"{self.confidence[sample]:.3f}"
        guessed = self.truth[sample] if column == 2 else self.predicted[sample]
        return self.classes[min(int(guessed), len(self.classes) - 1)]


class CountLabels(pg.GraphicsObject):
    """The count in each cell of the matrix, written at the cell's centre at one size however the plot is zoomed,
    white on the darker cells. One item writes them all: a TextItem each took about half a millisecond to make
    and lay out, and a hundred of them held up the start of a run."""

    def __init__(self) -> None:
        super().__init__()
        self.counts: np.ndarray | None = None

    def set_counts(self, counts: np.ndarray | None) -> None:
        self.prepareGeometryChange()
        self.counts = counts
        self.update()

    def texts(self) -> list[str]:
        """What is written, row by row."""
        return [] if self.counts is None else [str(count) for count in self.counts.ravel()]

    def boundingRect(self) -> QRectF:
        k = 0 if self.counts is None else len(self.counts)
        return QRectF(0, 0, k, k)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        if self.counts is None:
            return
        high = max(int(self.counts.max()), 1)
        to_device = painter.transform()
        painter.save()
        painter.resetTransform()  # text at its own size, not the cells'
        for (row, column), count in np.ndenumerate(self.counts):
            centre = to_device.map(QPointF(column + 0.5, row + 0.5))
            painter.setPen(QColor(LIGHT_TEXT if count > high / 2 else DARK_TEXT))
            painter.drawText(QRectF(centre.x() - 50, centre.y() - 10, 100, 20), Qt.AlignmentFlag.AlignCenter,
                             str(count))
        painter.restore()


class ConfusionPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.title = QLabel("Train a classifier to see which classes it confuses.")
        self.title.setWordWrap(True)
        self.matrix_plot = pg.PlotWidget(background="w")
        self.matrix_plot.invertY(True)
        self.matrix_plot.setAspectLocked(True)
        self.matrix_plot.setMenuEnabled(False)
        self.matrix_plot.setLabel("bottom", "predicted class")
        self.matrix_plot.setLabel("left", "true class")
        steady_axes(self.matrix_plot)
        self.matrix = pg.ImageItem(axisOrder="row-major")
        self.matrix.setColorMap(COUNT_MAP)
        self.matrix_plot.addItem(self.matrix)
        self.count_labels = CountLabels()
        self.matrix_plot.addItem(self.count_labels)
        self.predictions = PredictionsModel()
        self.wrong_only = QCheckBox("only the wrong ones")
        self.wrong_only.toggled.connect(self.predictions.show_wrong_only)
        self.table = QTableView()
        self.table.setModel(self.predictions)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(SIZED_BY_ROWS)
        self.table.horizontalHeader().setStretchLastSection(True)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.wrong_only)
        right_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.matrix_plot)
        splitter.addWidget(right)
        splitter.setSizes([380, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.title)
        layout.addWidget(splitter, 1)
        self.truth: np.ndarray | None = None
        self.classes: list[str] = []
        self.names: list[str] = []
        self.part = ""
        self.counts: np.ndarray | None = None

    def set_data(self, truth: np.ndarray | None, classes: list[str] | None = None, names: list[str] | None = None,
                 part: str = "") -> None:
        """The true class of each evaluation sample, the class names, the samples' names and which part they are
        from; truth None for a network that is not a classifier."""
        self.truth = truth
        self.classes = list(classes or [])
        self.names = list(names or [])
        self.part = part
        self.clear()
        if truth is None:
            self.title.setText("The confusion matrix is drawn for classifiers (cross-entropy losses, one class "
                               "per sample).")
            return
        k = len(self.classes)
        ticks = [(i + 0.5, name) for i, name in enumerate(self.classes)] if k <= MAX_LABELLED_CLASSES else []
        for axis in ("bottom", "left"):
            self.matrix_plot.getAxis(axis).setTicks([ticks] if ticks else None)
        self.matrix_plot.setRange(xRange=(0, k), yRange=(0, k), padding=0.02)
        self.title.setText(f"Predictions for the {len(truth)} samples of the {part}.")

    def clear(self) -> None:
        self.matrix.clear()
        self.count_labels.set_counts(None)
        empty = np.zeros(0, dtype=np.int64)
        self.predictions.set_predictions([], [], empty, empty, empty)
        self.counts = None

    def show_outputs(self, outputs: np.ndarray | None) -> None:
        """Draw the matrix and the table from the network's outputs for the evaluation samples."""
        if self.truth is None or outputs is None or len(outputs) != len(self.truth):
            return
        predicted, confidence = predicted_classes(outputs)
        k = len(self.classes)
        self.counts = confusion_matrix(self.truth, predicted, k)
        self.matrix.setImage(self.counts.astype(np.float32), levels=(0, max(int(self.counts.max()), 1)))
        self.count_labels.set_counts(self.counts if k <= MAX_LABELLED_CLASSES else None)
        right = int((predicted == self.truth).sum())
        self.title.setText(f"{self.part}: {right} of {len(self.truth)} right ({right / len(self.truth):.1%}); "
                           f"rows are the true classes, columns the predicted ones.")
        fresh = self.predictions.rowCount() == 0
        self.predictions.set_predictions(self.names, self.classes, self.truth, predicted, confidence)
        if fresh:
            self.table.resizeColumnsToContents()
