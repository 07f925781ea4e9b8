"""The timeline bar under the panels: a slider over the kept epochs, the memory they take and its budget,
and a button to train on from the epoch on show.

At its right end the slider follows training live; anywhere else the panels
show the epoch it points at.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QSpinBox, QWidget

from ...analysis import format_bytes

MAX_BUDGET_MB = 4096


class TimelineBar(QWidget):
    epoch_chosen = Signal(int)  # a kept epoch, when the slider moves to it
    restart_requested = Signal(int)  # train on from this kept epoch
    budget_changed = Signal(int)  # bytes

    def __init__(self, budget: int, parent=None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 0)
        self.slider.setPageStep(1)
        self.slider.setToolTip("Drag back to see every panel at an earlier epoch; at the right end it is live")
        self.epoch_label = QLabel()
        self.epoch_label.setMinimumWidth(130)
        self.restart_button = QPushButton("Train from Here")
        self.restart_button.setToolTip("Put back the weights of the epoch on show and train on from there")
        self.usage = QLabel()
        self.budget = QSpinBox()
        self.budget.setRange(1, MAX_BUDGET_MB)
        self.budget.setSuffix(" MB")
        self.budget.setPrefix("budget ")
        self.budget.setKeyboardTracking(False)
        self.budget.setToolTip("The most memory the kept epochs may take; over it, every other epoch goes")
        self.budget.setValue(max(1, budget // 1024**2))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(QLabel("Timeline"))
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.epoch_label)
        layout.addWidget(self.restart_button)
        layout.addWidget(self.usage)
        layout.addWidget(self.budget)
        self.epochs: list[int] = []
        self.idle = True
        self.slider.valueChanged.connect(self._moved)
        self.restart_button.clicked.connect(lambda: self.restart_requested.emit(self.epoch))
        self.budget.valueChanged.connect(lambda mb: self.budget_changed.emit(mb * 1024**2))
        self.show_timeline([], 0, 1)

    @property
    def live(self) -> bool:
        """True when the slider is at its right end (the newest epoch, or training as it goes)."""
        return not self.epochs or self.slider.value() == len(self.epochs) - 1

    @property
    def epoch(self) -> int | None:
        """The epoch on show."""
        return self.epochs[self.slider.value()] if self.epochs else None

    def show_timeline(self, epochs: list[int], nbytes: int, every: int) -> None:
        """Show the kept epochs; the slider stays live, or on the epoch it showed (or the nearest before)."""
        live, shown = self.live, self.epoch
        self.epochs = list(epochs)
        position = len(epochs) - 1
        if not live and shown is not None:
            position = max([i for i, e in enumerate(epochs) if e <= shown], default=0)
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(len(epochs) - 1, 0))
        self.slider.setValue(max(position, 0))
        self.slider.blockSignals(False)
        self.slider.setEnabled(len(epochs) > 1)
        spacing = f", every {every}" if every > 1 else ""
        self.usage.setText(f"{len(epochs)} epochs kept{spacing}: {format_bytes(nbytes)} of")
        self._label()

    def follow(self) -> None:
        """Go to the right end, to follow training live."""
        self.slider.blockSignals(True)
        self.slider.setValue(self.slider.maximum())
        self.slider.blockSignals(False)
        self._label()

    def set_idle(self, idle: bool) -> None:
        self.idle = idle
        self._label()

    def _moved(self, position: int) -> None:
        self._label()
        self.epoch_chosen.emit(self.epochs[position])

    def _label(self) -> None:
        epoch = self.epoch
        if epoch is None:
            self.epoch_label.setText("no epochs kept yet")
        else:
            live = " (live)" if self.live and not self.idle else ""
            self.epoch_label.setText(f"epoch {epoch}{live}" if epoch else "epoch 0 (start)")
        self.restart_button.setEnabled(self.idle and epoch is not None)
