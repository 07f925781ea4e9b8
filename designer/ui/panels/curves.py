"""Loss and accuracy curves for training and validation, per epoch, with a log-scale toggle and a read-out."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from .epoch_values import EpochValues
from .mosaic import steady_axes

TRAIN_PEN = pg.mkPen("#2d7ff9", width=2)
VALIDATION_PEN = pg.mkPen("#e8710a", width=2)


class CurvesPanel(QWidget):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.loss_plot = pg.PlotWidget(background="w")
        self.loss_plot.setTitle("Loss", color="#1f2328")
        self.loss_plot.setLabel("bottom", "epoch")
        self.loss_plot.addLegend(offset=(-10, 10))
        self.loss_plot.showGrid(x=True, y=True, alpha=0.2)
        self.accuracy_plot = pg.PlotWidget(background="w")
        self.accuracy_plot.setTitle("Accuracy", color="#1f2328")
        self.accuracy_plot.setLabel("bottom", "epoch")
        self.accuracy_plot.setYRange(0, 1)
        self.accuracy_plot.showGrid(x=True, y=True, alpha=0.2)
        self.accuracy_plot.setXLink(self.loss_plot)
        for plot in (self.loss_plot, self.accuracy_plot):
            steady_axes(plot)
        self.curves = {
            "loss": self.loss_plot.plot(pen=TRAIN_PEN, name="training"),
            "val_loss": self.loss_plot.plot(pen=VALIDATION_PEN, name="validation"),
            "accuracy": self.accuracy_plot.plot(pen=TRAIN_PEN),
            "val_accuracy": self.accuracy_plot.plot(pen=VALIDATION_PEN),
        }
        self.log_scale = QCheckBox("log scale")
        self.log_scale.toggled.connect(lambda on: self.loss_plot.setLogMode(y=on))
        self.readout = QLabel("Move the mouse over a plot to read the values.")
        top = QHBoxLayout()
        top.addWidget(self.readout, 1)
        top.addWidget(self.log_scale)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.accuracy_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addLayout(plots)
        self.history: dict[str, list] = {}
        self.values = {key: EpochValues() for key in self.curves}
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.scene().sigMouseMoved.connect(lambda pos, plot=plot: self._hover(plot, pos))

    def show_history(self, history: dict[str, list] | None) -> None:
        """Draw whole curves (a project's saved history)."""
        self.history = {k: list(v) for k, v in (history or {}).items()}
        for values in self.values.values():
            values.clear()
        self._draw()

    def follow(self, history: dict[str, list]) -> None:
        """Draw the history of the run under way (a snapshot's, which no one changes), the curves shown grown by
        the epochs since."""
        self.history = history
        self._draw()

    def _draw(self) -> None:
        for key, curve in self.curves.items():
            self.values[key].take(self.history.get(key) or [])
            curve.setData(*self.values[key].points())

    def points(self, key: str) -> int:
        """How many epochs the curve `key` has points for (drawn downsampled when they outnumber the pixels)."""
        xs = self.curves[key].xData
        return 0 if xs is None else len(xs)

    def _hover(self, plot: pg.PlotWidget, pos) -> None:
        point = plot.getPlotItem().vb.mapSceneToView(pos)
        epoch = int(round(point.x()))
        if not self.history.get("loss") or not 1 <= epoch <= len(self.history["loss"]):
            return
        parts = [f"epoch {epoch}"]
        for key, label in (("loss", "loss"), ("val_loss", "val loss"), ("accuracy", "accuracy"),
                           ("val_accuracy", "val accuracy")):
            values = self.history.get(key) or []
            if epoch <= len(values) and values[epoch - 1] is not None:
                parts.append(f"{label} {values[epoch - 1]:.4f}")
        self.readout.setText(" · ".join(parts))
