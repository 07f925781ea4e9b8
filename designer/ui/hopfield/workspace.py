"""The Hopfield workspace: a window for one Hopfield layer of the project.

On the left, the pattern editor (draw, erase, mask, clear, invert, a PNG or a
built-in letter), the noise that corrupts it, and the memory: the stored
patterns, the rule, Add / Remove / Store. On the right, Recall and Step: a
worker thread runs the engine's recall from the editor's pattern, and the
window replays its flips on a timer, neuron by neuron or sweep by sweep, as
an image of the state, an energy curve growing beside it and the overlap
with each stored pattern; then the weight matrix and the capacity
experiment.

Every change to the memory is one undo command on the window's undo stack
(so it is unsaved work, saved in the .nnproj through `store_in_project`);
changing the rule edits the node with SetParamsCommand in the same step.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QColor, QIcon, QImage, QKeySequence, QPainter, QPixmap, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView, QButtonGroup, QGraphicsRectItem, QComboBox, QDoubleSpinBox, QFileDialog, QGridLayout, QGroupBox,
    QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QProgressBar, QPushButton, QSlider,
    QSpinBox, QSplitter, QTabWidget, QToolButton, QVBoxLayout, QWidget,
)

from ...engine.hopfield import RULES, HopfieldNetwork
from ...engine.hopfield_analysis import classify, flip_bits
from ...graph import EventType, GraphEvent, Project
from ..commands import SetParamsCommand
from ..jobs import Job
from .commands import QUIET, QuietRule, StoreMemoryCommand
from .editor import DRAW, ERASE, MASK_TOOL, PatternEditor, pattern_image
from .memory import (
    LETTERS, LayerInfo, bipolar_from_grey, compute_memory, describe, layer_info, letter, load_network,
    memory_arrays, pattern_names,
)
from .replay import Replay
from .workers import CapacityPoint, RecallRun, capacity, recall

TICK_MS = 30
STATE_COLOURS = pg.ColorMap([0.0, 1.0], [(255, 255, 255), (31, 35, 40)])  # -1 paper, +1 ink
WEIGHT_COLOURS = pg.colormap.get("CET-D1")
RULE_PENS = {"hebbian": "#c0392b", "storkey": "#2e86c1", "pseudoinverse": "#27ae60"}
CAPACITY_LOADS = [0.02, 0.05, 0.08, 0.1, 0.12, 0.14, 0.16, 0.2, 0.25, 0.3, 0.4, 0.5]
HEBBIAN_LIMIT = 0.138
IMAGE_FILTER = "Images (*.png *.bmp *.jpg *.jpeg *.gif *.pgm *.ppm)"


def speed_rate(speed: int, by_neuron: bool) -> float:
    """Flips per second (by neuron) or sweeps per second for the speed slider's value 1..10."""
    return 3.0 * 2.5 ** (speed - 1) if by_neuron else 0.5 * 1.7 ** (speed - 1)


def _plot(title: str = "", left: str = "", bottom: str = "") -> pg.PlotWidget:
    plot = pg.PlotWidget(background="w")
    plot.setMenuEnabled(False)
    for axis in ("left", "bottom"):
        plot.getAxis(axis).enableAutoSIPrefix(False)
    if title:
        plot.setTitle(title, color="#1f2328", size="10pt")
    if left:
        plot.setLabel("left", left)
    if bottom:
        plot.setLabel("bottom", bottom)
    return plot


def _thumbnail(pattern: np.ndarray, size: int = 44) -> QIcon:
    rows, cols = pattern.shape
    scale = (size - 4) / max(rows, cols)
    width, height = max(1.0, cols * scale), max(1.0, rows * scale)
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor("#ffffff"))
    painter = QPainter(pixmap)
    area = QRectF((size - width) / 2, (size - height) / 2, width, height)
    painter.drawImage(area, pattern_image(pattern))
    painter.setPen(QColor("#8c959f"))
    painter.drawRect(area)
    painter.end()
    return QIcon(pixmap)


class HopfieldWorkspace(QWidget):
    animation_finished = Signal()
    memory_shown = Signal()  # the memory (patterns and weights) was redrawn from the project
    capacity_finished = Signal()
    closed = Signal(str)  # node id

    def __init__(self, project: Project, undo_stack: QUndoStack, node_id: str, parent: QWidget | None = None,
                 notify: Callable[[], None] | None = None, save: Callable[[], object] | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.project, self.undo_stack, self.node_id = project, undo_stack, node_id
        self.notify = notify or self.show_memory  # what a memory command calls after it changed the arrays
        self.info = layer_info(project, node_id)
        self.network = HopfieldNetwork(1)  # until show_memory reads the layer's own
        self.names: list[str] = []
        self.replay: Replay | None = None
        self.last_run: RecallRun | None = None
        self._step_when_ready = False
        self._seed = 0
        self._credit = 0.0
        self._busy_store = False
        self._jobs: set[Job] = set()
        self._capacity_job: Job | None = None
        self._capacity_points: list[CapacityPoint] = []
        self._closing = False
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self._build()
        self._add_shortcuts(save)
        self._unsubscribe = project.graph.subscribe(self._on_graph_event)
        self._update_title()
        self.resize(1280, 800)
        self.show_memory()

    # --- building -------------------------------------------------------------------------------

    def _build(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._build_left())
        splitter.addWidget(self._build_right())
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([390, 890])
        self.status = QLabel()
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

    def _build_left(self) -> QWidget:
        self.editor = PatternEditor(self.info.shape)
        self.editor.changed.connect(self._editor_changed)
        self.tool_group = QButtonGroup(self)
        tools = QHBoxLayout()
        tools.setSpacing(2)
        self.tool_buttons: dict[str, QToolButton] = {}
        for tool, text, tip in ((DRAW, "Draw", "Left button draws ink"), (ERASE, "Erase", "Left button erases"),
                                (MASK_TOOL, "Mask", "Drag a rectangle to hide that region (set it to paper)")):
            button = QToolButton()
            button.setText(text)
            button.setToolTip(tip)
            button.setCheckable(True)
            button.setChecked(tool == DRAW)
            button.clicked.connect(lambda checked=False, t=tool: setattr(self.editor, "tool", t))
            self.tool_group.addButton(button)
            self.tool_buttons[tool] = button
            tools.addWidget(button)
        tools.addSpacing(8)
        self.clear_button = self._button("Clear", self.editor.clear, "Set every cell to paper")
        self.invert_button = self._button("Invert", self.editor.invert, "Swap ink and paper")
        self.import_button = self._button("PNG...", self.import_dialog, "Import an image, thresholded to ink and paper")
        tools.addWidget(self.clear_button)
        tools.addWidget(self.invert_button)
        tools.addWidget(self.import_button)
        tools.addStretch(1)

        self.letter_combo = QComboBox()
        self.letter_combo.addItem("Letter...")
        self.letter_combo.addItems(list(LETTERS))
        self.letter_combo.setToolTip("Put a built-in letter bitmap in the editor")
        self.letter_combo.activated.connect(self._letter_chosen)
        self.noise_slider = QSlider(Qt.Orientation.Horizontal)
        self.noise_slider.setRange(0, 50)
        self.noise_slider.setValue(20)
        self.noise_slider.setToolTip("The fraction of pixels Corrupt flips")
        self.noise_label = QLabel()
        self.noise_label.setMinimumWidth(34)
        self.noise_slider.valueChanged.connect(lambda v: self.noise_label.setText(f"{v}%"))
        self.noise_label.setText(f"{self.noise_slider.value()}%")
        self.corrupt_button = self._button("Corrupt", self.corrupt, "Flip that fraction of the pixels, at random")
        noise = QHBoxLayout()
        noise.addWidget(self.letter_combo)
        noise.addSpacing(8)
        noise.addWidget(QLabel("Noise"))
        noise.addWidget(self.noise_slider, 1)
        noise.addWidget(self.noise_label)
        noise.addWidget(self.corrupt_button)

        pattern_box = QGroupBox("Pattern (the start state of recall)")
        pattern_layout = QVBoxLayout(pattern_box)
        pattern_layout.addWidget(self.editor, 1)
        pattern_layout.addLayout(tools)
        pattern_layout.addLayout(noise)

        self.pattern_list = QListWidget()
        self.pattern_list.setViewMode(QListView.ViewMode.IconMode)
        self.pattern_list.setIconSize(QSize(44, 44))
        self.pattern_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.pattern_list.setMovement(QListView.Movement.Static)
        self.pattern_list.setSpacing(4)
        self.pattern_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.pattern_list.setMinimumHeight(92)
        self.pattern_list.setToolTip("The stored patterns; double-click one to put it in the editor")
        self.pattern_list.itemDoubleClicked.connect(lambda item: self.to_editor(self.pattern_list.row(item)))
        self.pattern_list.itemSelectionChanged.connect(self._update_buttons)
        self.rule_combo = QComboBox()
        self.rule_combo.addItems(list(RULES))
        self.rule_combo.setToolTip("The storage rule (the layer's rule parameter); changing it stores again")
        self.rule_combo.currentTextChanged.connect(self._rule_chosen)
        self.add_button = self._button("Add current", self.add_current, "Store the editor's pattern too")
        self.remove_button = self._button("Remove", self.remove_selected, "Forget the selected pattern")
        self.to_editor_button = self._button("To editor", lambda: self.to_editor(self.pattern_list.currentRow()),
                                             "Put the selected pattern in the editor")
        self.store_button = self._button("Store", self.store, "Compute the weights again from the listed patterns "
                                                               "with the rule")
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.to_editor_button, self.store_button):
            buttons.addWidget(button)
        rule_row = QHBoxLayout()
        rule_row.addWidget(QLabel("Rule"))
        rule_row.addWidget(self.rule_combo, 1)
        self.memory_label = QLabel()
        rule_row.addWidget(self.memory_label, 2)
        memory_box = QGroupBox("Memory (stored patterns)")
        memory_layout = QVBoxLayout(memory_box)
        memory_layout.addLayout(rule_row)
        memory_layout.addWidget(self.pattern_list, 1)
        memory_layout.addLayout(buttons)

        left = QWidget()
        layout = QVBoxLayout(left)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(pattern_box, 3)
        layout.addWidget(memory_box, 1)
        return left

    def _build_right(self) -> QWidget:
        self.mode_combo = QComboBox()
        self.mode_combo.addItem("asynchronous", "async")
        self.mode_combo.addItem("synchronous", "sync")
        self.mode_combo.setToolTip("Asynchronous: one neuron at a time, the energy never rises. "
                                   "Synchronous: all at once; may end in a 2-cycle")
        self.temperature = QDoubleSpinBox()
        self.temperature.setRange(0.0, 5.0)
        self.temperature.setSingleStep(0.05)
        self.temperature.setDecimals(2)
        self.temperature.setToolTip("0: deterministic. Above 0: stochastic (Glauber) updates that can climb out "
                                    "of a spurious minimum; the run makes every sweep")
        self.max_sweeps = QSpinBox()
        self.max_sweeps.setRange(1, 1000)
        self.max_sweeps.setValue(30)
        self.max_sweeps.setSuffix(" sweeps")
        self.max_sweeps.setToolTip("The most sweeps a run makes")
        self.show_combo = QComboBox()
        self.show_combo.addItem("neuron by neuron", True)
        self.show_combo.addItem("sweep by sweep", False)
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(1, 10)
        # a run of a few seconds whatever the grid: about N/2 flips a second to start with
        self.speed.setValue(min(range(1, 11), key=lambda v: abs(speed_rate(v, True) - self.info.n_neurons / 2)))
        self.speed.setFixedWidth(110)
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(self.speed_label.fontMetrics().horizontalAdvance("00,000 flips/s") + 4)
        self.speed.valueChanged.connect(self._update_speed_label)
        self.show_combo.currentIndexChanged.connect(self._update_speed_label)
        self._update_speed_label()
        self.recall_button = self._button("Recall", lambda: self.recall(), "Let the network settle from the "
                                                                           "editor's pattern, animated")
        self.recall_button.setDefault(True)
        self.step_button = self._button("Step", self.step, "One flip (or one sweep) further")
        self.pause_button = self._button("Pause", self.toggle_pause, "Pause or resume the animation")
        bar = QHBoxLayout()
        for widget in (self.recall_button, self.step_button, self.pause_button):
            bar.addWidget(widget)
        bar.addSpacing(12)
        for widget in (QLabel("Show"), self.show_combo, QLabel("Speed"), self.speed, self.speed_label):
            bar.addWidget(widget)
        bar.addStretch(1)
        settings = QHBoxLayout()
        for widget in (QLabel("Update"), self.mode_combo, QLabel("Temperature T"), self.temperature,
                       QLabel("At most"), self.max_sweeps):
            settings.addWidget(widget)
        settings.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.addTab(self._build_recall_tab(), "Recall")
        self.tabs.addTab(self._build_weights_tab(), "Weights")
        self.tabs.addTab(self._build_capacity_tab(), "Capacity")
        right = QWidget()
        layout = QVBoxLayout(right)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addLayout(settings)
        layout.addWidget(self.tabs, 1)
        return right

    def _build_recall_tab(self) -> QWidget:
        self.state_plot = _plot("state")
        self.state_plot.setAspectLocked(True)
        self.state_plot.invertY(True)
        self.state_plot.hideAxis("left")
        self.state_plot.hideAxis("bottom")
        self.state_image = pg.ImageItem(axisOrder="row-major")
        self.state_image.setColorMap(STATE_COLOURS)
        self.state_plot.addItem(self.state_image)
        self.state_frame = QGraphicsRectItem(0, 0, 1, 1)
        self.state_frame.setPen(pg.mkPen("#8c959f", width=1, cosmetic=True))
        self.state_plot.addItem(self.state_frame)
        self.flip_marker = QGraphicsRectItem(0, 0, 1, 1)  # the neuron that flipped last, neuron by neuron
        self.flip_marker.setPen(pg.mkPen("#d65f28", width=3, cosmetic=True))
        self.flip_marker.setVisible(False)
        self.state_plot.addItem(self.flip_marker)
        self.energy_plot = _plot("energy", "E", "sweeps")
        self.energy_plot.showGrid(x=True, y=True, alpha=0.15)
        self.energy_curve = self.energy_plot.plot([], [], pen=pg.mkPen("#4a78b5", width=2))
        self.overlap_plot = _plot("overlap m with each stored pattern (1: the pattern, -1: its inverse)")
        self.overlap_plot.setYRange(-1.05, 1.05, padding=0)
        self.overlap_plot.setMouseEnabled(False, False)
        self.overlap_plot.addItem(pg.InfiniteLine(0.0, angle=0, pen=pg.mkPen("#8c959f")))
        self.overlap_bars = pg.BarGraphItem(x=[0.0], height=[0.0], width=0.6, brush="#4a78b5")
        self.overlap_plot.addItem(self.overlap_bars)
        self.run_label = QLabel()
        self.run_label.setWordWrap(True)
        self.run_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        tab = QWidget()
        grid = QGridLayout(tab)
        grid.setContentsMargins(2, 2, 2, 2)
        grid.addWidget(self.state_plot, 0, 0)
        grid.addWidget(self.energy_plot, 0, 1)
        grid.addWidget(self.overlap_plot, 1, 0, 1, 2)
        grid.addWidget(self.run_label, 2, 0, 1, 2)
        grid.setRowStretch(0, 3)
        grid.setRowStretch(1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        return tab

    def _build_weights_tab(self) -> QWidget:
        self.weights_plot = _plot("", "neuron i", "neuron j")
        self.weights_plot.invertY(True)
        self.weights_plot.setAspectLocked(True)
        self.weights_image = pg.ImageItem(axisOrder="row-major")
        self.weights_image.setColorMap(WEIGHT_COLOURS)
        self.weights_plot.addItem(self.weights_image)
        self.weights_bar = pg.ColorBarItem(colorMap=WEIGHT_COLOURS, interactive=False, width=12)
        self.weights_bar.setImageItem(self.weights_image, insert_in=self.weights_plot.getPlotItem())
        self.weights_label = QLabel()
        self.weights_label.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.weights_label)
        layout.addWidget(self.weights_plot, 1)
        return tab

    def _build_capacity_tab(self) -> QWidget:
        self.capacity_neurons = QSpinBox()
        self.capacity_neurons.setRange(16, 400)
        self.capacity_neurons.setValue(100)
        self.capacity_trials = QSpinBox()
        self.capacity_trials.setRange(1, 20)
        self.capacity_trials.setValue(3)
        self.capacity_noise = QDoubleSpinBox()
        self.capacity_noise.setRange(0.0, 0.4)
        self.capacity_noise.setSingleStep(0.05)
        self.capacity_noise.setToolTip("0: start each recall from the pattern itself; above 0 from a noisy copy")
        self.capacity_run = self._button("Run", self.run_capacity, "Store P = load x N random patterns with each "
                                                                   "rule and recall every one")
        self.capacity_stop = self._button("Stop", self.stop_capacity)
        self.capacity_stop.setEnabled(False)
        self.capacity_progress = QProgressBar()
        self.capacity_progress.setRange(0, len(CAPACITY_LOADS))
        self.capacity_progress.setValue(0)
        controls = QHBoxLayout()
        for widget in (QLabel("Neurons N"), self.capacity_neurons, QLabel("Trials"), self.capacity_trials,
                       QLabel("Noise"), self.capacity_noise, self.capacity_run, self.capacity_stop):
            controls.addWidget(widget)
        controls.addWidget(self.capacity_progress, 1)
        self.capacity_plot = _plot("random patterns recalled (overlap >= 0.95) against the load",
                                   "fraction recalled", "load P / N")
        self.capacity_plot.setXRange(0, 0.5)
        self.capacity_plot.setYRange(0, 1.05)
        self.capacity_plot.addLegend(offset=(-10, 10), labelTextColor="#1f2328")
        limit = pg.InfiniteLine(HEBBIAN_LIMIT, angle=90, pen=pg.mkPen("#8c959f", style=Qt.PenStyle.DashLine),
                                label="0.138", labelOpts={"position": 0.08, "color": "#57606a"})
        self.capacity_plot.addItem(limit)
        self.capacity_curves = {
            rule: self.capacity_plot.plot([], [], name=rule, pen=pg.mkPen(RULE_PENS[rule], width=2), symbol="o",
                                          symbolSize=6, symbolBrush=RULE_PENS[rule], symbolPen=None)
            for rule in RULES
        }
        note = QLabel("The Hebbian rule holds about 0.138 N random patterns, then recall collapses; "
                      "Storkey's rule holds more, and the pseudoinverse rule keeps every pattern fixed up to P near N "
                      "(its basins shrink: try some noise).")
        note.setWordWrap(True)
        tab = QWidget()
        layout = QVBoxLayout(tab)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(controls)
        layout.addWidget(self.capacity_plot, 1)
        layout.addWidget(note)
        return tab

    def _button(self, text: str, slot, tip: str = "") -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        if tip:
            button.setToolTip(tip)
        button.clicked.connect(lambda checked=False: slot())
        return button

    def _add_shortcuts(self, save: Callable[[], object] | None) -> None:
        keys = QKeySequence.StandardKey
        undo = self.undo_stack.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence(keys.Undo))
        redo = self.undo_stack.createRedoAction(self, "Redo")
        redo.setShortcut(QKeySequence(keys.Redo))
        self.addActions([undo, redo])
        if save is not None:
            action = QAction("Save", self)
            action.setShortcut(QKeySequence(keys.Save))
            action.triggered.connect(lambda: save())
            self.addAction(action)
        close = QAction("Close", self)
        close.setShortcut(QKeySequence(keys.Close))
        close.triggered.connect(self.close)
        self.addAction(close)

    # --- the layer and its memory ---------------------------------------------------------------

    def _update_title(self) -> None:
        rows, cols = self.info.shape
        self.setWindowTitle(f"Hopfield Workspace - {self.info.name} ({rows} x {cols}, {self.info.n_neurons} neurons)")

    def _on_graph_event(self, event: GraphEvent) -> None:
        if event.node != self.node_id:
            return
        if event.type == EventType.NODE_REMOVED:
            QTimer.singleShot(0, self.close)
            return
        if event.type != EventType.NODE_CHANGED:
            return
        old = self.info
        self.info = layer_info(self.project, self.node_id)
        self._update_title()
        if "shape" in event.changed and self.info.shape != old.shape:
            self.stop_animation()
            self.replay = None
            self.editor.blockSignals(True)  # the memory must fit the new grid before anything is drawn
            self.editor.set_shape(self.info.shape)
            self.editor.blockSignals(False)
            self.show_memory()
        elif "rule" in event.changed:
            self._show_rule()
            if self.node_id not in QUIET and len(self.network.patterns):
                self.status.setText(f"The rule is now {self.info.rule}, but the weights were stored with another "
                                    f"rule: press Store to store the patterns again with {self.info.rule}.")

    def _show_rule(self) -> None:
        self.rule_combo.blockSignals(True)
        self.rule_combo.setCurrentText(self.info.rule)
        self.rule_combo.blockSignals(False)

    def show_memory(self) -> None:
        """Read the layer's patterns and weights from the project and redraw them."""
        self.info = layer_info(self.project, self.node_id)
        self._show_rule()
        try:
            self.network = load_network(self.project, self.node_id)
            problem = ""
        except ValueError as error:
            self.network = HopfieldNetwork(self.info.n_neurons, self.info.shape)
            problem = f"{error} Store patterns to replace them."
        patterns = self.network.patterns.reshape(-1, *self.info.shape)
        self.names = pattern_names(patterns, self.info.shape)
        self.pattern_list.clear()
        for pattern, name in zip(patterns, self.names):
            item = QListWidgetItem(_thumbnail(pattern), name)
            item.setToolTip(f"pattern {name}: {int((pattern > 0).sum())} ink pixels")
            self.pattern_list.addItem(item)
        count, n = len(patterns), self.info.n_neurons
        self.memory_label.setText(f"{count} stored, load P/N = {count / n:.3f}")
        self.memory_label.setToolTip("The Hebbian rule holds about 0.138 N random patterns; letters share "
                                     "strokes, so fewer")
        self.overlap_plot.getAxis("bottom").setTicks([[(i, name) for i, name in enumerate(self.names)]])
        self.overlap_plot.setXRange(-0.6, max(count, 1) - 0.4, padding=0)
        self._show_weights()
        self.status.setText(problem)
        self.stop_animation()
        self.replay = None
        self._show_start()
        self._update_buttons()
        self.memory_shown.emit()

    def _show_weights(self) -> None:
        weights = self.network.weights
        limit = float(np.abs(weights).max()) or 1.0
        self.weights_image.setImage(weights.astype(np.float32), levels=(-limit, limit))
        self.weights_bar.setLevels((-limit, limit))
        n = self.info.n_neurons
        self.weights_label.setText(
            f"W ({n} x {n}), {self.info.rule} rule, {len(self.network.patterns)} patterns: W[i, j] couples neurons i "
            f"and j (row-major cells of the grid). Symmetric with a zero diagonal, so the energy never rises under "
            f"asynchronous updates. From {weights.min():.3g} to {weights.max():.3g}.")

    def _update_buttons(self) -> None:
        stored = len(self.network.patterns)
        selected = self.pattern_list.currentRow() >= 0 and bool(self.pattern_list.selectedItems())
        busy = self._busy_store
        self.add_button.setEnabled(not busy)
        self.store_button.setEnabled(not busy and stored > 0)
        self.remove_button.setEnabled(not busy and selected)
        self.to_editor_button.setEnabled(selected)
        self.rule_combo.setEnabled(not busy)

    # --- editing the memory ---------------------------------------------------------------------

    def add_current(self) -> None:
        patterns = np.concatenate([self.network.patterns.reshape(-1, *self.info.shape), self.editor.pattern()[None]])
        self._store(patterns, f"Store a pattern in {self.info.name}")

    def remove_selected(self) -> None:
        row = self.pattern_list.currentRow()
        if row < 0:
            return
        patterns = np.delete(self.network.patterns.reshape(-1, *self.info.shape), row, axis=0)
        self._store(patterns, f"Remove pattern {self.names[row]} from {self.info.name}")

    def store(self) -> None:
        """Store the listed patterns again with the layer's rule."""
        self._store(self.network.patterns.reshape(-1, *self.info.shape),
                    f"Store {len(self.network.patterns)} patterns in {self.info.name} ({self.info.rule})")

    def to_editor(self, row: int) -> None:
        if 0 <= row < len(self.network.patterns):
            self.editor.set_pattern(self.network.patterns[row].reshape(self.info.shape))

    def _rule_chosen(self, rule: str) -> None:
        if rule == self.info.rule:
            return
        if not len(self.network.patterns):
            self.undo_stack.push(SetParamsCommand(self.project, self.node_id, {"rule": rule}))
            return
        self._store(self.network.patterns.reshape(-1, *self.info.shape),
                    f"Change the rule of {self.info.name} to {rule}", rule)

    def _store(self, patterns: np.ndarray, text: str, rule: str | None = None) -> None:
        info = self.info if rule is None else LayerInfo(self.info.name, self.info.shape, rule)
        thresholds = self.network.thresholds.copy()
        self._busy_store = True
        self._update_buttons()
        self.status.setText(f"Storing {len(patterns)} patterns with the {info.rule} rule...")
        job = self._start_job(lambda job: compute_memory(info, patterns, thresholds))
        job.context = ("store", info, text, rule)

    def _push_store(self, info: LayerInfo, arrays: dict[str, np.ndarray], text: str, rule: str | None) -> None:
        prefix = info.name + "."
        old = {key[len(prefix):]: value for key, value in memory_arrays(self.project, info.name).items()}
        new = {key[len(prefix):]: value for key, value in arrays.items()}
        command = StoreMemoryCommand(self.project, info.name, old, new, text, self.notify)
        if rule is None:
            self.undo_stack.push(command)
        else:
            self.undo_stack.beginMacro(text)
            self.undo_stack.push(QuietRule(self.node_id, True))
            self.undo_stack.push(SetParamsCommand(self.project, self.node_id, {"rule": rule}))
            self.undo_stack.push(command)
            self.undo_stack.push(QuietRule(self.node_id, False))
            self.undo_stack.endMacro()
        self.status.setText(f"{text}: done.")

    # --- the editor -----------------------------------------------------------------------------

    def _letter_chosen(self, index: int) -> None:
        if index > 0:
            self.put_letter(self.letter_combo.itemText(index))
        self.letter_combo.setCurrentIndex(0)

    def put_letter(self, name: str) -> None:
        self.editor.set_pattern(letter(name, self.info.shape))

    def corrupt(self) -> None:
        self._seed += 1
        fraction = self.noise_slider.value() / 100
        rng = np.random.default_rng([self._seed, 7])
        self.editor.set_pattern(flip_bits(self.editor.pattern(), fraction, rng).reshape(self.info.shape))

    def import_dialog(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Import a Pattern", str(Path.home()), IMAGE_FILTER)
        if path:
            self.import_image(path)

    def import_image(self, path: str | Path) -> bool:
        """Put an image in the editor: scaled to the grid, dark pixels ink, light ones (and transparency) paper."""
        image = QImage(str(path))
        if image.isNull():
            self.status.setText(f"{Path(path).name} is not an image that can be read.")
            return False
        rows, cols = self.info.shape
        flat = QImage(image.size(), QImage.Format.Format_RGB32)
        flat.fill(QColor("#ffffff"))
        painter = QPainter(flat)
        painter.drawImage(0, 0, image)
        painter.end()
        small = flat.scaled(cols, rows, Qt.AspectRatioMode.IgnoreAspectRatio,
                            Qt.TransformationMode.SmoothTransformation).convertToFormat(QImage.Format.Format_Grayscale8)
        grey = np.frombuffer(small.constBits(), np.uint8).reshape(rows, small.bytesPerLine())[:, :cols]
        self.editor.set_pattern(bipolar_from_grey(grey))
        self.status.setText(f"Imported {Path(path).name} as {rows} x {cols} pixels.")
        return True

    def _editor_changed(self) -> None:
        if self.replay is not None:
            self.stop_animation()
            self.replay = None
        self._show_start()

    def _show_start(self) -> None:
        """With no run on screen, the state image shows the editor's pattern and its overlaps."""
        start = self.editor.pattern()
        self._show_state(start.reshape(-1))
        self.energy_curve.setData([], [])
        self.run_label.setText("Recall lets the network settle from the pattern in the editor; Step goes one flip "
                               "at a time.")

    # --- recall and its replay ------------------------------------------------------------------

    @property
    def by_neuron(self) -> bool:
        return bool(self.show_combo.currentData())

    def _update_speed_label(self) -> None:
        rate = speed_rate(self.speed.value(), self.by_neuron)
        self.speed_label.setText(f"{rate:,.0f} flips/s" if self.by_neuron else f"{rate:.1f} sweeps/s")

    def recall(self, play: bool = True) -> None:
        """Run the engine's recall from the editor's pattern in a worker, then replay it."""
        self.stop_animation()
        self.replay = None
        self._seed += 1
        start = self.editor.pattern().reshape(-1)
        network, seed = self.network, self._seed
        mode, temperature, sweeps = self.mode_combo.currentData(), self.temperature.value(), self.max_sweeps.value()
        self.recall_button.setEnabled(False)
        self.step_button.setEnabled(False)
        self.run_label.setText("Recalling...")
        if not len(network.patterns):
            self.status.setText("Nothing is stored yet: with zero weights no neuron moves. Add a pattern first.")
        job = self._start_job(lambda job: recall(network, start, seed, mode, temperature, sweeps))
        job.context = ("recall", play)

    def _recalled(self, run: RecallRun, play: bool) -> None:
        self.recall_button.setEnabled(True)
        self.step_button.setEnabled(True)
        self.last_run = run
        self.replay = Replay(run, self.by_neuron)
        self._credit = 0.0
        self._show_replay()
        if play:
            self.timer.start()
        elif self._step_when_ready:
            self._step_when_ready = False
            self.step()
        self._update_pause()

    def step(self) -> None:
        """One flip (or sweep) further; from a fresh recall when there is no unfinished run."""
        if self.replay is None or self.replay.finished:
            self._step_when_ready = True
            self.recall(play=False)
            return
        self.timer.stop()
        self.replay.advance(1)
        self._show_replay()
        self._update_pause()

    def toggle_pause(self) -> None:
        if self.timer.isActive():
            self.timer.stop()
        elif self.replay is not None and not self.replay.finished:
            self.timer.start()
        self._update_pause()

    def stop_animation(self) -> None:
        self.timer.stop()
        self._update_pause()

    def _update_pause(self) -> None:
        running = self.timer.isActive()
        self.pause_button.setText("Pause" if running or self.replay is None or self.replay.finished else "Resume")
        self.pause_button.setEnabled(self.replay is not None and not self.replay.finished)

    def _tick(self) -> None:
        replay = self.replay
        if replay is None:
            self.timer.stop()
            return
        self._credit += speed_rate(self.speed.value(), replay.by_neuron) * TICK_MS / 1000
        units = int(self._credit)
        if units:
            self._credit -= units
            replay.advance(units)
            self._show_replay()
        if replay.finished:
            self.timer.stop()
            self._update_pause()

    def _show_replay(self) -> None:
        replay = self.replay
        self._show_state(replay.state)
        if replay.by_neuron and replay.applied and not replay.finished:
            row, col = divmod(replay.flips[replay.applied - 1][1], self.info.shape[1])
            self.flip_marker.setRect(col, row, 1, 1)
            self.flip_marker.setVisible(True)
        many = len(replay.xs) > 400
        self.energy_curve.setData(replay.xs, replay.ys, symbol=None if many else "o", symbolSize=5,
                                  symbolBrush="#4a78b5", symbolPen=None)
        result = replay.run.result
        if replay.finished:
            self._finished()
            return
        self.run_label.setText(f"Sweep {replay.shown_sweep:.2f} of {result.sweeps}: {replay.applied} of "
                               f"{len(replay.flips)} flips, energy {replay.energy:.3f}.")

    def _finished(self) -> None:
        replay = self.replay
        run, result = replay.run, replay.run.result
        patterns = self.network.patterns
        what = describe(classify(result.final, patterns), self.names) if len(patterns) else "no stored pattern"
        if result.cycle:
            how = f"A 2-cycle after {result.sweeps} sweeps"
        elif run.temperature > 0:
            how = f"{result.sweeps} sweeps at T = {run.temperature:g}"
        elif result.converged:
            how = f"Converged after {result.sweeps} sweeps"
        else:
            how = f"Still moving after {result.sweeps} sweeps"
        self.run_label.setText(
            f"{how}, {len(replay.flips)} flips; energy {result.energies[0]:.3f} -> {result.energies[-1]:.3f}. "
            f"The final state is {what}.")
        if replay.state.shape == result.final.shape and not replay.check_final():  # never expected
            self._show_state(result.final)
        self.animation_finished.emit()

    def _show_state(self, state: np.ndarray) -> None:
        self.flip_marker.setVisible(False)
        self.state_image.setImage(state.reshape(self.info.shape).astype(np.float32), levels=(-1.0, 1.0))
        rows, cols = self.info.shape
        self.state_frame.setRect(0, 0, cols, rows)
        patterns = self.network.patterns
        if len(patterns) and patterns.shape[1] == state.size:
            overlaps = patterns @ state.astype(np.float64) / state.size
            brushes = [pg.mkBrush("#4a78b5" if m >= 0 else "#d65f28") for m in overlaps]
            self.overlap_bars.setOpts(x=np.arange(len(overlaps)), height=overlaps, brushes=brushes)
        else:
            self.overlap_bars.setOpts(x=[0.0], height=[0.0], brushes=None)

    def shown_state(self) -> np.ndarray:
        """The state the image shows, (rows, cols) int8 (for tests)."""
        return np.where(self.state_image.image > 0, 1, -1).astype(np.int8)

    # --- capacity -------------------------------------------------------------------------------

    def run_capacity(self) -> None:
        if self._capacity_job is not None:
            return
        n, trials, noise = self.capacity_neurons.value(), self.capacity_trials.value(), self.capacity_noise.value()
        self._capacity_points = []
        for curve in self.capacity_curves.values():
            curve.setData([], [])
        self.capacity_progress.setValue(0)
        self.capacity_run.setEnabled(False)
        self.capacity_stop.setEnabled(True)
        self._capacity_job = self._start_job(
            lambda job: capacity(job, n, CAPACITY_LOADS, RULES, trials, noise, seed=0))
        self._capacity_job.context = ("capacity",)

    def stop_capacity(self) -> None:
        if self._capacity_job is not None:
            self._capacity_job.cancel()

    def _capacity_point(self, point: CapacityPoint) -> None:
        self._capacity_points.append(point)
        self.capacity_progress.setValue(len(self._capacity_points))
        loads = [p.load for p in self._capacity_points]
        for rule, curve in self.capacity_curves.items():
            curve.setData(loads, [p.success_rate[rule] for p in self._capacity_points])

    def _capacity_done(self) -> None:
        self._capacity_job = None
        self.capacity_run.setEnabled(True)
        self.capacity_stop.setEnabled(False)
        self.capacity_finished.emit()

    # --- jobs -----------------------------------------------------------------------------------

    def _start_job(self, function) -> Job:
        job = Job(function, self, out_of_memory="There is not enough memory for this; try a smaller grid.")
        job.context = ()
        job.done.connect(self._job_done)
        job.failed.connect(self._job_failed)
        job.progress.connect(self._job_progress)
        job.finished.connect(self._job_finished)
        self._jobs.add(job)
        job.start()
        return job

    def _job_done(self, value) -> None:
        job = self.sender()
        if self._closing or not isinstance(job, Job):
            return
        kind, *context = job.context
        if kind == "recall":
            self._recalled(value, *context)
        elif kind == "store":
            info, text, rule = context
            self._busy_store = False
            self._push_store(info, value, text, rule)
            self._update_buttons()
        elif kind == "capacity":
            self._capacity_done()

    def _job_failed(self, message: str) -> None:
        job = self.sender()
        if self._closing or not isinstance(job, Job):
            return
        kind = job.context[0] if job.context else ""
        if kind == "store":
            self._busy_store = False
            self._update_buttons()
            self._show_rule()
        elif kind == "recall":
            self.recall_button.setEnabled(True)
            self.step_button.setEnabled(True)
        elif kind == "capacity":
            self._capacity_done()
        self.status.setText(message)

    def _job_progress(self, point) -> None:
        if not self._closing and isinstance(point, CapacityPoint):
            self._capacity_point(point)

    def _job_finished(self) -> None:
        job = self.sender()
        if isinstance(job, Job):
            self._jobs.discard(job)
            job.deleteLater()

    @property
    def busy(self) -> bool:
        """A worker is still running."""
        return bool(self._jobs)

    def shutdown(self) -> None:
        """Stop the animation and the workers and forget the graph (before closing)."""
        if self._closing:
            return
        self._closing = True
        self.timer.stop()
        self._unsubscribe()
        for job in list(self._jobs):
            job.cancel()
        for job in list(self._jobs):
            job.wait()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        self.closed.emit(self.node_id)
        event.accept()
