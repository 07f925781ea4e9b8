"""The Train panel: the data set, the training settings, the Start/Pause/Step/Stop/Reset buttons and progress.

Settings are edited in place and kept in the project as undo steps. The
buttons drive a TrainingController; a network that does not validate, or
data that does not fit it, is explained in one sentence and nothing starts.
The training history (the curves, per epoch) exports as a CSV table.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGridLayout, QGroupBox, QHBoxLayout, QLabel,
    QProgressBar, QPushButton, QSpinBox, QVBoxLayout, QWidget,
)

from ..data import BUILTIN, DataError, DatasetSpec
from ..engine import LOSSES, OPTIMIZERS
from ..engine.settings import EarlyStoppingSettings, SettingsError, TrainingSettings
from ..engine.trainer import History
from ..graph import Project
from .commands import SetProjectSettingCommand
from .training import TrainingController
from .workers import Snapshot

FROM_FILE = "From a file..."
HISTORY_FILTER = "CSV table (*.csv)"
HISTORY_COLUMNS = ("loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds")


def write_history_csv(history: dict[str, list], path: str | Path) -> None:
    """The per-epoch curves as a CSV table: epoch, then one column per measure (empty where it was not taken)."""
    keys = [key for key in HISTORY_COLUMNS if key in history] + sorted(set(history) - set(HISTORY_COLUMNS))
    epochs = max((len(history[key]) for key in keys), default=0)
    with open(path, "w", newline="", encoding="utf-8") as stream:
        writer = csv.writer(stream)
        writer.writerow(["epoch", *keys])
        for epoch in range(epochs):
            values = [history[key][epoch] if epoch < len(history[key]) else None for key in keys]
            writer.writerow([epoch + 1, *("" if value is None else repr(value) for value in values)])


def scores(loss: float, accuracy: float | None) -> str:
    """The last loss, and accuracy if the network is judged by one, as the Train panel words them."""
    return f"loss {loss:.4f}" + (f", accuracy {accuracy:.3f}" if accuracy is not None else "")


def run_ending(history: History, stopped: bool, early_stopping: EarlyStoppingSettings | None) -> str:
    """One sentence on how a run ended: all its epochs trained, stopped by the user, or ended by early stopping."""
    if not history.epochs:
        return "Training stopped before the first epoch ended."
    last = history.last()
    scored = scores(last["loss"], last["accuracy"])
    if history.stopped_early and early_stopping is not None:
        kept = (f"; the weights of its best epoch, {history.best_epoch + 1}, are kept"
                if early_stopping.restore_best and history.best_epoch is not None else "")
        return (f"Early stopping ended training after {history.epochs} epochs ({scored}): {early_stopping.monitor} had "
                f"not improved for {early_stopping.patience} epochs{kept}.")
    return f"Training {'stopped' if stopped else 'finished'} after {history.epochs} epochs: {scored}."


def _spin(low: float, high: float, decimals: int, step: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(decimals)
    spin.setSingleStep(step)
    spin.setKeyboardTracking(False)
    return spin


class TrainPanel(QWidget):
    message = Signal(str)  # for the status bar

    def __init__(self, project: Project, undo_stack: QUndoStack, controller: TrainingController,
                 project_dir: Callable[[], Path | None], parent=None) -> None:
        super().__init__(parent)
        self.project = project
        self.undo_stack = undo_stack
        self.controller = controller
        self.project_dir = project_dir
        self._showing = False

        self.data_choice = QComboBox()
        self.data_choice.addItems(list(BUILTIN) + [FROM_FILE])
        self.data_label = QLabel()
        self.data_label.setWordWrap(True)
        self.choose_data_button = QPushButton("Choose...")
        self.choose_data_button.setToolTip("Choose a data set, see a preview, and fit the network to it")
        self.data_dialog = None  # the data set dialog, while it is open
        self.loss = QComboBox()
        self.loss.addItems(list(LOSSES))
        self.optimizer = QComboBox()
        self.optimizer.addItems(list(OPTIMIZERS))
        self.lr = _spin(1e-6, 100.0, 6, 0.001)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(1, 65536)
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 1_000_000)
        self.momentum = _spin(0.0, 0.999, 3, 0.05)
        self.weight_decay = _spin(0.0, 1.0, 6, 0.0001)
        self.validation_split = _spin(0.0, 0.9, 2, 0.05)
        self.early_stopping = QCheckBox("after")  # the row reads "Early stopping [x] after [10 epochs stalled]"
        self.early_stopping.setToolTip("Stop when the validation loss has not improved for this many epochs")
        self.patience = QSpinBox()
        self.patience.setRange(1, 100_000)
        self.patience.setSuffix(" epochs stalled")
        self.patience.setToolTip(self.early_stopping.toolTip())

        data_box = QGroupBox("Data")
        data_layout = QVBoxLayout(data_box)
        data_row = QHBoxLayout()
        data_row.addWidget(self.data_choice, 1)
        data_row.addWidget(self.choose_data_button)
        data_layout.addLayout(data_row)
        data_layout.addWidget(self.data_label)
        settings_box = QGroupBox("Settings")
        form = QFormLayout(settings_box)
        form.addRow("Loss", self.loss)
        form.addRow("Optimizer", self.optimizer)
        form.addRow("Learning rate", self.lr)
        form.addRow("Batch size", self.batch_size)
        form.addRow("Epochs", self.epochs)
        form.addRow("Momentum", self.momentum)
        form.addRow("Weight decay", self.weight_decay)
        form.addRow("Validation split", self.validation_split)
        stopping = QHBoxLayout()
        stopping.addWidget(self.early_stopping)
        stopping.addWidget(self.patience)
        form.addRow("Early stopping", stopping)

        self.start_button = QPushButton("Start")
        self.pause_button = QPushButton("Pause")
        self.step_button = QPushButton("Step")
        self.stop_button = QPushButton("Stop")
        self.reset_button = QPushButton("Reset weights")
        self.export_history_button = QPushButton("Export history...")
        self.export_history_button.setToolTip("Save the loss and accuracy of every epoch as a CSV table")
        buttons = QGridLayout()
        for i, button in enumerate((self.start_button, self.pause_button, self.step_button, self.stop_button,
                                    self.reset_button, self.export_history_button)):
            buttons.addWidget(button, i // 3, i % 3)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel()
        self.status.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(data_box)
        layout.addWidget(settings_box)
        layout.addLayout(buttons)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)

        for widget, signal in ((self.loss, "currentTextChanged"), (self.optimizer, "currentTextChanged"),
                               (self.lr, "valueChanged"), (self.batch_size, "valueChanged"),
                               (self.epochs, "valueChanged"), (self.momentum, "valueChanged"),
                               (self.weight_decay, "valueChanged"), (self.validation_split, "valueChanged"),
                               (self.early_stopping, "toggled"), (self.patience, "valueChanged")):
            getattr(widget, signal).connect(self._settings_edited)
        self.data_choice.activated.connect(self._data_chosen)
        self.choose_data_button.clicked.connect(self.open_data_dialog)
        self.start_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self._pause_or_resume)
        self.step_button.clicked.connect(self.step)
        self.stop_button.clicked.connect(self.controller.stop)
        self.reset_button.clicked.connect(self.reset_weights)
        self.export_history_button.clicked.connect(self.export_history_dialog)
        controller.state_changed.connect(self._state_changed)
        self.show_project()
        self._say_how_trained()
        self._state_changed("idle")

    def set_project(self, project: Project) -> None:
        self.project = project
        self.show_project()
        self._say_how_trained()

    def _say_how_trained(self) -> None:
        """How far the project's network has been trained, from its history (a project opened, or made)."""
        history = self.project.history or {}
        losses = [value for value in history.get("loss") or [] if value is not None]
        if not self.project.weights:
            self.status.setText("Not trained yet.")
        elif not losses:
            self.status.setText("The network has weights, but no training history.")
        else:
            accuracies = [value for value in history.get("accuracy") or [] if value is not None]
            last = scores(losses[-1], accuracies[-1] if accuracies else None)
            self.status.setText(f"Trained for {len(history['loss'])} epochs so far: {last}.")

    # --- showing the project's settings ------------------------------------------------------

    def settings(self) -> TrainingSettings:
        try:
            return TrainingSettings.from_dict(self.project.training)
        except SettingsError as error:
            self.message.emit(f"{error} The defaults are shown instead.")
            return TrainingSettings()

    def show_project(self) -> None:
        """Show the project's settings and data set without making edits of their own."""
        self._showing = True
        try:
            s = self.settings()
            self.loss.setCurrentText(s.loss)
            self.optimizer.setCurrentText(s.optimizer)
            self.lr.setValue(s.lr)
            self.batch_size.setValue(s.batch_size)
            self.epochs.setValue(s.epochs)
            self.momentum.setValue(s.momentum)
            self.weight_decay.setValue(s.weight_decay)
            self.validation_split.setValue(s.validation_split)
            self.early_stopping.setChecked(s.early_stopping is not None)
            self.patience.setValue(s.early_stopping.patience if s.early_stopping else 10)
            self.patience.setEnabled(s.early_stopping is not None)
            self._show_data()
        finally:
            self._showing = False

    def _show_data(self) -> None:
        dataset = self.project.dataset
        if not dataset:
            self.data_choice.setCurrentIndex(-1)
            self.data_label.setText("No data set chosen.")
            return
        try:
            spec = DatasetSpec.from_dict(dataset)
        except DataError as error:
            self.data_label.setText(str(error))
            return
        if spec.source == "builtin":
            self.data_choice.setCurrentText(spec.name)
            self.data_label.setText(BUILTIN[spec.name].description)
        else:
            self.data_choice.setCurrentText(FROM_FILE)
            path = Path(self.project_dir() or ".") / spec.path
            missing = "" if path.exists() else f" is missing (expected at {path}): choose it again with Choose..."
            self.data_label.setText(f"{spec.source.upper()} {spec.path}{missing}")

    # --- edits -----------------------------------------------------------------------------------

    def _settings_edited(self, *args: Any) -> None:
        if self._showing:
            return
        self.patience.setEnabled(self.early_stopping.isChecked())
        new = {
            "loss": self.loss.currentText(), "optimizer": self.optimizer.currentText(), "lr": self.lr.value(),
            "batch_size": self.batch_size.value(), "epochs": self.epochs.value(), "momentum": self.momentum.value(),
            "weight_decay": self.weight_decay.value(), "validation_split": self.validation_split.value(),
            "early_stopping": {"patience": self.patience.value()} if self.early_stopping.isChecked() else None,
        }
        merged = {**(self.project.training or {}), **new}
        if merged != self.project.training:
            self.undo_stack.push(SetProjectSettingCommand(
                self.project, "training", merged, "Change training settings", self.show_project))

    def _data_chosen(self, index: int) -> None:
        choice = self.data_choice.itemText(index)
        if choice == FROM_FILE:
            path, _ = QFileDialog.getOpenFileName(self, "Choose Data", str(self.project_dir() or Path.home()),
                                                  "Data (*.csv *.tsv *.txt *.gz *idx*-ubyte*);;All files (*)")
            self._show_data()  # the project's data set, until the dialog's is taken
            if path:  # loaded off this thread with a preview, its target column and split to check
                self.open_data_dialog().show_file(path)
        else:
            self.set_dataset(DatasetSpec(source="builtin", name=choice))

    def open_data_dialog(self):
        """Open the data set dialog (window-modal, not blocking); it keeps its choice as one undo step."""
        from .data_dialog import DataDialog

        if self.data_dialog is not None:
            self.data_dialog.close()
        dialog = DataDialog(self.project, self.undo_stack, self.project_dir(), self.show_project, self)
        dialog.finished.connect(lambda result: self._data_dialog_closed(dialog))
        self.data_dialog = dialog
        dialog.open()
        return dialog

    def _data_dialog_closed(self, dialog) -> None:
        if self.data_dialog is dialog:
            self.data_dialog = None
        dialog.deleteLater()

    def set_dataset(self, spec: DatasetSpec) -> None:
        old = self.project.dataset or {}
        data = spec.to_dict()
        if "normaliser" in old and data.get("normaliser", {}).get("method") == "none":
            data["normaliser"] = {"method": old["normaliser"].get("method", "none")}
        self.undo_stack.push(SetProjectSettingCommand(
            self.project, "dataset", data, "Choose data set", self.show_project))

    # --- training ---------------------------------------------------------------------------------

    def start(self, paused: bool = False) -> None:
        problems = self.project.graph.validate()
        if problems:
            self.message.emit(f"The network cannot be trained yet: {problems[0]}")
            return
        if not self.project.dataset:
            self.message.emit("Choose a data set before training.")
            return
        self.status.setText("Loading the data and compiling the network...")
        self.controller.start(self.project, self.project_dir(), paused=paused)

    def step(self) -> None:
        if self.controller.state == "idle":
            self.start(paused=True)
            self.controller.started.connect(self._first_step)
        else:
            self.controller.step()

    def _first_step(self, session) -> None:
        self.controller.started.disconnect(self._first_step)
        self.controller.step()

    def _pause_or_resume(self) -> None:
        if self.controller.state == "paused":
            self.controller.resume()
        else:
            self.controller.pause()

    def reset_weights(self) -> None:
        if self.controller.busy:
            return
        self.project.weights = None
        self.project.history = None
        self.project.timeline = None
        self.undo_stack.resetClean()
        self.status.setText("Weights reset: the next run starts from new random weights.")

    def export_history_dialog(self) -> None:
        if not self.project.history or not self.project.history.get("loss"):
            self.message.emit("There is no training history to export yet.")
            return
        folder = self.project_dir() or Path.home()
        path, _ = QFileDialog.getSaveFileName(self, "Export Training History", str(folder / "history.csv"),
                                              HISTORY_FILTER)
        if not path:
            return
        try:
            write_history_csv(self.project.history, path)
        except OSError as error:
            self.message.emit(f"{Path(path).name} cannot be written: {error.strerror or error}.")
            return
        self.message.emit(f"Exported the history of {len(self.project.history['loss'])} epochs to {Path(path).name}.")

    def _state_changed(self, state: str) -> None:
        idle = state == "idle"
        self.start_button.setEnabled(idle)
        self.pause_button.setEnabled(state in ("running", "paused"))
        self.pause_button.setText("Resume" if state == "paused" else "Pause")
        self.step_button.setEnabled(state in ("idle", "running", "paused"))
        self.stop_button.setEnabled(not idle)
        self.reset_button.setEnabled(idle)

    def show_snapshot(self, snap: Snapshot) -> None:
        """Show training's progress (the window calls this at the pace it draws the panels)."""
        done = (snap.epoch + (snap.batch + 1) / snap.batches) / snap.epochs
        self.progress.setValue(int(done * 1000))
        text = (f"epoch {snap.epoch + 1}/{snap.epochs} · batch {snap.batch + 1}/{snap.batches} · "
                f"loss {snap.loss:.4f}")
        if snap.accuracy is not None:
            text += f" · accuracy {snap.accuracy:.3f}"
        text += f"\n{snap.samples_per_second:,.0f} samples/s · {snap.seconds_left:,.0f} s left"
        self.status.setText(text)
