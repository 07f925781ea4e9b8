"""For classifiers: the confusion matrix over held-out samples, and a table of the predictions, wrong ones marked.

The samples are the validation part (else the test part, else the training
part), at most a thousand of them; the worker sends the network's outputs for
them at the end of epochs, and this panel turns them into predicted classes.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView, QCheckBox, QHeaderView, QLabel, QSplitter, QTableWidget, QTableWidgetItem,
    QVBoxLayout, QWidget,
)

COUNT_MAP = pg.colormap.get("CET-L12")  # white to blue
MAX_LABELLED_CLASSES = 20  # beyond this the matrix has no class names or counts written on it
WRONG = QColor("#ffd8d3")
COLUMNS = ["", "sample", "true class", "predicted", "confidence"]


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
        self.matrix = pg.ImageItem(axisOrder="row-major")
        self.matrix.setColorMap(COUNT_MAP)
        self.matrix_plot.addItem(self.matrix)
        self.count_labels: list[pg.TextItem] = []
        self.wrong_only = QCheckBox("only the wrong ones")
        self.wrong_only.toggled.connect(self._filter_rows)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
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
        self.wrong: np.ndarray | None = None  # per row of the table

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
        for label in self.count_labels:
            self.matrix_plot.removeItem(label)
        self.count_labels = []
        self.table.setRowCount(0)
        self.counts = self.wrong = None

    def show_outputs(self, outputs: np.ndarray | None) -> None:
        """Draw the matrix and the table from the network's outputs for the evaluation samples."""
        if self.truth is None or outputs is None or len(outputs) != len(self.truth):
            return
        predicted, confidence = predicted_classes(outputs)
        k = len(self.classes)
        self.counts = confusion_matrix(self.truth, predicted, k)
        self.matrix.setImage(self.counts.astype(np.float32), levels=(0, max(int(self.counts.max()), 1)))
        self._write_counts()
        self.wrong = predicted != self.truth
        right = int((~self.wrong).sum())
        self.title.setText(f"{self.part}: {right} of {len(self.truth)} right ({right / len(self.truth):.1%}); "
                           f"rows are the true classes, columns the predicted ones.")
        self._fill_table(predicted, confidence)

    def _write_counts(self) -> None:
        k = len(self.classes)
        if k > MAX_LABELLED_CLASSES:
            return
        if len(self.count_labels) != k * k:
            for label in self.count_labels:
                self.matrix_plot.removeItem(label)
            self.count_labels = []
            for row in range(k):
                for column in range(k):
                    label = pg.TextItem(anchor=(0.5, 0.5))
                    label.setPos(column + 0.5, row + 0.5)
                    self.matrix_plot.addItem(label)
                    self.count_labels.append(label)
        high = max(int(self.counts.max()), 1)
        for label, count in zip(self.count_labels, self.counts.ravel()):
            label.setText(str(count), color="#ffffff" if count > high / 2 else "#1f2328")

    def _fill_table(self, predicted: np.ndarray, confidence: np.ndarray) -> None:
        self.table.setUpdatesEnabled(False)
        self.table.setRowCount(len(predicted))
        for row, (truth, guess, sure, wrong) in enumerate(zip(self.truth, predicted, confidence, self.wrong)):
            name = self.names[row] if row < len(self.names) else str(row)
            guessed = self.classes[min(guess, len(self.classes) - 1)]
            cells = ["✗" if wrong else "✓", name, self.classes[truth], guessed, f"{sure:.3f}"]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if wrong:
                    item.setBackground(QBrush(WRONG))
                self.table.setItem(row, column, item)
        self.table.setUpdatesEnabled(True)
        self._filter_rows()

    def _filter_rows(self) -> None:
        if self.wrong is None:
            return
        only_wrong = self.wrong_only.isChecked()
        for row, wrong in enumerate(self.wrong):
            self.table.setRowHidden(row, only_wrong and not wrong)
