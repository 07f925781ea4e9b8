"""The data set dialog: choose a built-in set, a CSV file, IDX files or an image folder, see it, keep it.

Every change of source or option loads the data again off the GUI thread
(a LoadThread); the newest load wins and older ones are cancelled: their
result is ignored, and a CSV or image load also stops at its next progress
report. What went wrong is shown inline as the data package's one sentence.
OK stores the chosen DatasetSpec in the project (a file's path relative to
the project's folder when the project has one) and, if asked, sets the
Input layer's shape and the output layer's units to fit the data, all as
one undo step.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any

from PySide6.QtCore import QRegularExpression, Qt, QThread, QTimer, Signal
from PySide6.QtGui import QRegularExpressionValidator, QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDialog, QDialogButtonBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
    QHBoxLayout, QLabel, QLineEdit, QProgressBar, QPushButton, QSpinBox, QSplitter, QStackedWidget, QVBoxLayout,
    QWidget,
)

from ..data import (
    BUILTIN, CLASSIFICATION, DataError, Dataset, DatasetSpec, MissingDataError, Normaliser, Option, describe_dict,
)
from ..data.csv_loader import _Table as CsvTable
from ..data.images import COLORS, MAX_SIZE
from ..graph import NetworkGraph, Project, format_shape
from .commands import SetParamsCommand, SetProjectSettingCommand
from .data_preview import PreviewPanel

SOURCES = (("builtin", "Built-in data set"), ("csv", "CSV file"), ("idx", "IDX files (MNIST)"),
           ("images", "Image folder"))
NORMALISERS = (("none", "None"), ("standardise", "Standardise (mean 0, standard deviation 1)"),
               ("min-max", "Min-max (each feature from 0 to 1)"))
CSV_KINDS = ((None, "Detect from the target"), (CLASSIFICATION, "Classification"), ("regression", "Regression"))
DEFAULT_BUILTIN = "moons"
RELOAD_DELAY_MS = 250  # typing in a spin box settles before the data is loaded again
PROGRESS_INTERVAL = 0.05  # seconds between progress reports from a load
PASS_THROUGH = {"Activation", "Dropout", "BatchNorm"}  # layers after the one whose units set the outputs
INT_LIMIT = 2**31 - 1  # what a QSpinBox holds
ERROR_STYLE = "color: #b42318;"
CSV_FILTER = "CSV files (*.csv *.tsv *.txt *.csv.gz *.gz);;All files (*)"
IDX_FILTER = "IDX files (*idx* *-ubyte *-ubyte.gz *.gz);;All files (*)"

_RUNNING: set[QThread] = set()  # loads still running after their dialog has gone are kept alive here


# --- loading off the GUI thread -----------------------------------------------------------------------


class _Cancelled(Exception):
    """Raised from the progress report of a cancelled load, to stop it early."""


@dataclass
class CsvColumns:
    names: list[str]  # header cells, or "" for each column of a file without a header
    has_header: bool
    target: int | None  # the column the load uses as its target, when that could be told

    def label(self, index: int) -> str:
        return self.names[index] or f"column {index + 1}"

    def value(self, index: int) -> str | int:
        """What the spec stores for this column as its target: the header name, else the column number."""
        return self.names[index] if self.has_header else index


def csv_columns(path: Path, options: dict[str, Any]) -> CsvColumns:
    """The columns of a CSV file, read from its first lines, and which one `options` makes the target."""
    has_header, delimiter = options.get("has_header"), options.get("delimiter")
    table = CsvTable.detect(path, None, has_header, delimiter, "regression")
    target = table.target
    if options.get("target") is not None:
        try:
            target = CsvTable.detect(path, options["target"], has_header, delimiter, "regression").target
        except DataError:
            target = None
    return CsvColumns(list(table.names), table.has_header, target)


@dataclass
class LoadResult:
    dataset: Dataset
    info: dict[str, Any]
    columns: CsvColumns | None


class LoadThread(QThread):
    """Loads one spec; reports progress, then the result or one sentence. Set `cancelled` to drop it."""

    progressed = Signal(int, float)  # generation, fraction done
    loaded = Signal(int, object)  # generation, LoadResult
    failed = Signal(int, str, str, object)  # generation, sentence, missing path or "", CsvColumns or None

    def __init__(self, generation: int, spec: DatasetSpec) -> None:
        super().__init__()
        self.generation = generation
        self.spec = spec
        self.cancelled = False
        self._last_report = 0.0

    def _progress(self, fraction: float) -> None:
        if self.cancelled:
            raise _Cancelled
        now = time.monotonic()
        if now - self._last_report >= PROGRESS_INTERVAL or fraction >= 1.0:
            self._last_report = now
            self.progressed.emit(self.generation, float(fraction))

    def run(self) -> None:
        columns = None
        if self.spec.source == "csv":
            try:  # the target choices, even when the load itself fails on a bad cell
                columns = csv_columns(Path(self.spec.path), self.spec.options)
            except (DataError, OSError, UnicodeError):
                pass
        try:
            dataset = self.spec.load(None, progress=self._progress)
            info = describe_dict(dataset)
        except _Cancelled:
            return
        except MissingDataError as error:
            self.failed.emit(self.generation, str(error), str(error.path), columns)
            return
        except DataError as error:
            self.failed.emit(self.generation, str(error), "", columns)
            return
        except MemoryError:
            self.failed.emit(self.generation, "The data is too big to load into this computer's memory.", "", columns)
            return
        except OSError as error:
            name = Path(error.filename).name if error.filename else Path(self.spec.path).name
            self.failed.emit(self.generation, f"{name} cannot be read ({error.strerror or error}).", "", columns)
            return
        except Exception as error:  # noqa: BLE001 - a loader fault must not end the app; say it in one sentence
            self.failed.emit(self.generation, f"The data could not be loaded ({type(error).__name__}: {error}).", "",
                             columns)
            return
        if not self.cancelled:
            self.loaded.emit(self.generation, LoadResult(dataset, info, columns))


# --- fitting the network to the data ----------------------------------------------------------------


def output_layer(graph: NetworkGraph) -> str | None:
    """The layer whose `units` set how many numbers the network outputs, if there is one clear such layer.

    That is the network's one last layer, or the layer before a trailing
    Activation, Dropout or BatchNorm.
    """
    ends = [n for n in graph.nodes() if not graph.outputs(n) and graph.kind(n) != "Input"]
    if len(ends) != 1:
        return None
    node = ends[0]
    while graph.kind(node) in PASS_THROUGH:
        inputs = graph.inputs(node)
        if len(inputs) != 1:
            return None
        node = inputs[0].src
    return node if "units" in graph.params(node) else None


def fit_edits(graph: NetworkGraph, dataset: Dataset) -> list[tuple[str, dict[str, Any]]]:
    """(node id, new parameters) that make the network take the data's samples and give one output per class.

    A two-class data set may keep a single (sigmoid) output.
    """
    edits: list[tuple[str, dict[str, Any]]] = []
    inputs = [n for n in graph.nodes() if graph.kind(n) == "Input"]
    if len(inputs) == 1:
        shape = dataset.sample_shape
        if tuple(graph.params(inputs[0])["shape"]) != shape:
            edits.append((inputs[0], {"shape": shape}))
    out = output_layer(graph)
    if out is not None:
        units, wanted = graph.params(out)["units"], dataset.n_outputs
        binary_in_one = dataset.kind == CLASSIFICATION and wanted == 2 and units == 1
        if units != wanted and not binary_in_one:
            edits.append((out, {"units": wanted}))
    return edits


def describe_edits(graph: NetworkGraph, edits: list[tuple[str, dict[str, Any]]]) -> str:
    parts = []
    for node_id, params in edits:
        name, old = graph.name(node_id), graph.params(node_id)
        for key, value in params.items():
            if key == "shape":
                parts.append(f"{name}'s shape from {format_shape(tuple(old[key]))} to {format_shape(value)}")
            else:
                parts.append(f"{name}'s {key} from {old[key]} to {value}")
    return " and ".join(parts)


# --- paths --------------------------------------------------------------------------------------------


def stored_path(path: str | Path, project_dir: Path | None) -> str:
    """A path as the project keeps it: relative to the project's folder when there is one, with forward slashes."""
    path = Path(path)
    if project_dir is not None:
        try:
            path = Path(os.path.relpath(path.resolve(), Path(project_dir).resolve()))
        except ValueError:  # on another drive (Windows)
            path = path.resolve()
    return path.as_posix()


def real_path(path: str, project_dir: Path | None) -> Path:
    """A stored path as the file it names: relative paths start at the project's folder."""
    return Path(project_dir or ".") / PurePath(path)


# --- small widgets ------------------------------------------------------------------------------------


class PathField(QWidget):
    """A path to type or browse to; `changed` when it is a new one."""

    changed = Signal(str)

    def __init__(self, title: str, file_filter: str | None, start_dir: Callable[[], str], parent=None) -> None:
        super().__init__(parent)
        self.title, self.file_filter, self.start_dir = title, file_filter, start_dir
        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Browse... or type a path")
        self.edit.setClearButtonEnabled(True)
        self.browse_button = QPushButton("Browse...")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse_button)
        self._last = ""
        self.edit.editingFinished.connect(self._edited)
        self.browse_button.clicked.connect(self.browse)

    def text(self) -> str:
        return self.edit.text().strip()

    def set_text(self, text: str) -> None:
        self.edit.setText(text)
        self._last = text.strip()

    def set_missing(self, missing: bool) -> None:
        self.edit.setStyleSheet("QLineEdit { border: 1px solid #b42318; }" if missing else "")

    def _edited(self) -> None:
        if self.text() != self._last:
            self._last = self.text()
            self.changed.emit(self._last)

    def browse(self) -> None:
        current = Path(self.text()) if self.text() else None
        start = str(current.parent if current and current.parent.is_dir() else self.start_dir())
        if self.file_filter is None:
            path = QFileDialog.getExistingDirectory(self, self.title, start)
        else:
            path, _ = QFileDialog.getOpenFileName(self, self.title, start, self.file_filter)
        if path:
            self.edit.setText(path)
            self._edited()


class OptionField:
    """A widget for one option of a built-in set, made from its description (type, range, choices, pattern)."""

    def __init__(self, option: Option, on_change: Callable[[], None]) -> None:
        self.option = option
        default = option.default
        if option.choices:
            self.widget = QComboBox()
            self.widget.addItems(list(option.choices))
            self.widget.currentTextChanged.connect(on_change)
        elif isinstance(default, bool):
            self.widget = QCheckBox()
            self.widget.toggled.connect(on_change)
        elif isinstance(default, int):
            self.widget = QSpinBox()
            self.widget.setRange(int(option.minimum), int(min(option.maximum, INT_LIMIT)))
            self.widget.setKeyboardTracking(False)
            self.widget.valueChanged.connect(on_change)
        elif isinstance(default, float):
            self.widget = QDoubleSpinBox()
            self.widget.setRange(option.minimum, option.maximum)
            self.widget.setDecimals(3)
            self.widget.setSingleStep(0.05 if option.maximum <= 5 else 1.0)
            self.widget.setKeyboardTracking(False)
            self.widget.valueChanged.connect(on_change)
        else:
            self.widget = QLineEdit()
            if option.pattern:
                self.widget.setValidator(QRegularExpressionValidator(QRegularExpression(option.pattern)))
            self.widget.editingFinished.connect(on_change)
        self.widget.setToolTip(f"{option.help} ({option.describe()})")
        self.set(default)

    def get(self) -> Any:
        w, default = self.widget, self.option.default
        if self.option.choices:
            return w.currentText()
        if isinstance(default, bool):
            return w.isChecked()
        if isinstance(default, int):
            return w.value()
        if isinstance(default, float):
            return float(w.value())
        return w.text()

    def set(self, value: Any) -> None:
        w, default = self.widget, self.option.default
        blocked = w.blockSignals(True)
        try:
            if self.option.choices:
                w.setCurrentText(str(value))
            elif isinstance(default, bool):
                w.setChecked(bool(value))
            elif isinstance(default, (int, float)):
                w.setValue(value)
            else:
                w.setText(str(value))
        finally:
            w.blockSignals(blocked)


def _label(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


# --- the dialog ---------------------------------------------------------------------------------------


class DataDialog(QDialog):
    """Choose the project's data set. `shown` redraws whatever shows the project's data set (the Train panel)."""

    load_finished = Signal()  # after every load that was not cancelled, good or bad

    def __init__(self, project: Project, undo_stack: QUndoStack, project_dir: Path | None,
                 shown: Callable[[], None] | None = None, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose Data Set")
        self.project, self.undo_stack, self.project_dir = project, undo_stack, project_dir
        self.shown = shown or (lambda: None)
        self.dataset: Dataset | None = None  # the loaded data, when it matches what the controls say
        self.error = ""  # the sentence shown for the last load, if it failed
        self.missing_path = ""  # the file the last load expected and did not find
        self.columns: CsvColumns | None = None
        self._csv_kept: dict[str, Any] = {}  # CSV options the dialog has no control for (has_header, delimiter)
        self._generation = 0
        self._pending = False  # a load of the current generation has not answered yet
        self._initial_problem = ""
        self._threads: list[LoadThread] = []
        self._showing = False
        self._builtin_fields: dict[str, OptionField] = {}
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.timeout.connect(self.reload)

        self._build_source_controls()
        self._build_split_controls()
        self.preview = PreviewPanel()
        self.message = _label("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.cancel_load_button = QPushButton("Stop loading")
        self.reload_button = QPushButton("Load Again")
        self.locate_button = QPushButton("Locate...")
        self.locate_button.setToolTip("Point to the file where it is now")
        self.fit_network = QCheckBox()
        self.fit_network.setChecked(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Use This Data")

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 6, 0)
        left_layout.addWidget(self.source_box)
        left_layout.addWidget(self.split_box)
        left_layout.addStretch(1)
        left.setMinimumWidth(330)
        left.setMaximumWidth(420)
        message_row = QHBoxLayout()
        message_row.addWidget(self.message, 1)
        message_row.addWidget(self.locate_button, 0, Qt.AlignmentFlag.AlignTop)
        message_row.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_load_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(6, 0, 0, 0)
        right_layout.addLayout(message_row)
        right_layout.addLayout(progress_row)
        right_layout.addWidget(self.preview, 1)
        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.fit_network, 1)
        bottom.addWidget(self.buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.cancel_load_button.clicked.connect(self.cancel_load)
        self.reload_button.clicked.connect(self.reload)
        self.locate_button.clicked.connect(self._locate)
        self.resize(1120, 720)

        self._show_spec(self._project_spec())
        self._set_loading(False)
        self.reload()

    # --- building -----------------------------------------------------------------------------------

    def _build_source_controls(self) -> None:
        self.source = QComboBox()
        for key, text in SOURCES:
            self.source.addItem(text, key)
        self.pages = QStackedWidget()

        # built-in
        self.builtin = QComboBox()
        for name, description in ((b.name, b.description) for b in BUILTIN.values()):
            self.builtin.addItem(name, name)
            self.builtin.setItemData(self.builtin.count() - 1, description, Qt.ItemDataRole.ToolTipRole)
        self.builtin_description = _label("")
        self.builtin_credit = _label("")
        self.builtin_credit.setStyleSheet("color: #57606a;")
        self.builtin_options = QFormLayout()
        page = QWidget()
        form = QVBoxLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(self.builtin)
        form.addWidget(self.builtin_description)
        form.addWidget(self.builtin_credit)
        form.addLayout(self.builtin_options)
        self.pages.addWidget(page)

        # CSV
        folder = lambda: str(self.project_dir or Path.home())  # noqa: E731
        self.csv_path = PathField("Choose a CSV File", CSV_FILTER, folder)
        self.csv_target = QComboBox()
        self.csv_target.setToolTip("The column the network learns to predict; the others are its inputs.")
        self.csv_kind = QComboBox()
        for value, text in CSV_KINDS:
            self.csv_kind.addItem(text, value)
        self.csv_drop = QCheckBox("Drop rows with empty or non-numeric cells")
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("File", self.csv_path)
        form.addRow("Target column", self.csv_target)
        form.addRow("Task", self.csv_kind)
        form.addRow(self.csv_drop)
        self.pages.addWidget(page)

        # IDX
        self.idx_images = PathField("Choose the IDX Images File", IDX_FILTER, folder)
        self.idx_labels = PathField("Choose the IDX Labels File", IDX_FILTER, folder)
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Images", self.idx_images)
        form.addRow("Labels", self.idx_labels)
        form.addRow(_label("MNIST-style files such as train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz; "
                           "without labels every image is one class."))
        self.pages.addWidget(page)

        # image folder
        self.images_path = PathField("Choose an Image Folder", None, folder)
        self.image_height, self.image_width = QSpinBox(), QSpinBox()
        for spin in (self.image_height, self.image_width):
            spin.setRange(1, MAX_SIZE)
            spin.setValue(28)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self._changed)
        size = QHBoxLayout()
        size.addWidget(self.image_height)
        size.addWidget(QLabel("x"))
        size.addWidget(self.image_width)
        self.image_color = QComboBox()
        self.image_color.addItems(list(COLORS))
        page = QWidget()
        form = QFormLayout(page)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Folder", self.images_path)
        form.addRow("Size (height x width)", size)
        form.addRow("Colour", self.image_color)
        form.addRow(_label("One sub-folder per class, named after the class, holding its pictures."))
        self.pages.addWidget(page)

        self.source_box = QGroupBox("Data")
        layout = QVBoxLayout(self.source_box)
        layout.addWidget(self.source)
        layout.addWidget(self.pages)

        self.source.currentIndexChanged.connect(self._source_changed)
        self.builtin.currentIndexChanged.connect(self._builtin_changed)
        for field in (self.csv_path, self.idx_images, self.idx_labels, self.images_path):
            field.changed.connect(self._path_changed)
        self.csv_target.activated.connect(self._changed_now)
        self.csv_kind.activated.connect(self._changed_now)
        self.csv_drop.toggled.connect(self._changed_now)
        self.image_color.activated.connect(self._changed_now)

    def _build_split_controls(self) -> None:
        self.validation = QDoubleSpinBox()
        self.test = QDoubleSpinBox()
        for spin in (self.validation, self.test):
            spin.setRange(0.0, 0.95)
            spin.setDecimals(2)
            spin.setSingleStep(0.05)
            spin.valueChanged.connect(self._split_changed)
        self.seed = QSpinBox()
        self.seed.setRange(0, INT_LIMIT)
        self.seed.setToolTip("The same seed shuffles the samples into the same parts.")
        self.split_sizes = _label("")
        self.normaliser = QComboBox()
        for key, text in NORMALISERS:
            self.normaliser.addItem(text, key)
        self.normaliser.setToolTip("Fitted on the training part only, kept in the project and used again by predict.")
        self.split_box = QGroupBox("Split and normalisation")
        form = QFormLayout(self.split_box)
        form.addRow("Validation share", self.validation)
        form.addRow("Test share", self.test)
        form.addRow("Shuffle seed", self.seed)
        form.addRow(self.split_sizes)
        form.addRow("Normalise", self.normaliser)

    # --- the controls as a spec, and back ---------------------------------------------------------

    def _project_spec(self) -> DatasetSpec:
        """The project's data set, or the default one; a damaged setting is said, and the default shown."""
        if self.project.dataset:
            try:
                return DatasetSpec.from_dict(self.project.dataset)
            except DataError as error:
                self._initial_problem = f"The project's data set cannot be used: {error} Choose another one."
        return DatasetSpec(source="builtin", name=DEFAULT_BUILTIN)

    def _show_spec(self, spec: DatasetSpec) -> None:
        self._showing = True
        try:
            self.source.setCurrentIndex([key for key, _ in SOURCES].index(spec.source))
            self.pages.setCurrentIndex(self.source.currentIndex())
            self._set_builtin(spec.name if spec.source == "builtin" else DEFAULT_BUILTIN,
                              spec.options if spec.source == "builtin" else {})
            if spec.source == "csv":
                self.csv_path.set_text(str(real_path(spec.path, self.project_dir)))
                target = spec.options.get("target")
                if target is not None:
                    self.csv_target.addItem(str(target) if isinstance(target, str) else f"column {target + 1}", target)
                self.csv_kind.setCurrentIndex([k for k, _ in CSV_KINDS].index(spec.options.get("kind")))
                self.csv_drop.setChecked(bool(spec.options.get("drop_incomplete", False)))
                self._csv_kept = {k: v for k, v in spec.options.items() if k in ("has_header", "delimiter")}
            elif spec.source == "idx":
                self.idx_images.set_text(str(real_path(spec.path, self.project_dir)))
                if spec.labels_path:
                    self.idx_labels.set_text(str(real_path(spec.labels_path, self.project_dir)))
            elif spec.source == "images":
                self.images_path.set_text(str(real_path(spec.path, self.project_dir)))
                height, width = spec.options.get("size", (28, 28))
                self.image_height.setValue(height)
                self.image_width.setValue(width)
                self.image_color.setCurrentText(spec.options.get("color", "grayscale"))
            self.validation.setValue(spec.validation)
            self.test.setValue(spec.test)
            self.seed.setValue(min(spec.seed, INT_LIMIT))
            self.normaliser.setCurrentIndex([k for k, _ in NORMALISERS].index(spec.normaliser.method))
        finally:
            self._showing = False
        self._split_changed()

    def _set_builtin(self, name: str, options: dict[str, Any]) -> None:
        blocked = self.builtin.blockSignals(True)
        self.builtin.setCurrentIndex(self.builtin.findData(name))
        self.builtin.blockSignals(blocked)
        entry = BUILTIN[name]
        self.builtin_description.setText(entry.description)
        self.builtin_credit.setText(f"Source: {entry.source}")
        while self.builtin_options.rowCount():
            self.builtin_options.removeRow(0)
        self._builtin_fields = {}
        values = entry.defaults() | options
        for option in entry.options:
            field = OptionField(option, self._changed)
            field.set(values[option.name])
            self._builtin_fields[option.name] = field
            self.builtin_options.addRow(option.name.replace("_", " "), field.widget)
        if not entry.options:
            self.builtin_options.addRow(_label("This data set has no options."))

    @property
    def source_key(self) -> str:
        return self.source.currentData()

    def _csv_options(self) -> dict[str, Any]:
        options: dict[str, Any] = dict(self._csv_kept)
        if self.csv_target.currentIndex() >= 0:
            options["target"] = self.csv_target.currentData()
        if self.csv_kind.currentData() is not None:
            options["kind"] = self.csv_kind.currentData()
        if self.csv_drop.isChecked():
            options["drop_incomplete"] = True
        return options

    def loading_spec(self) -> DatasetSpec:
        """What the controls say, with full paths: the spec to load. DataError if it cannot be one."""
        source = self.source_key
        split = dict(train=self._train_share(), validation=self.validation.value(), test=self.test.value(),
                     seed=self.seed.value(), normaliser=Normaliser(self.normaliser.currentData()))
        if source == "builtin":
            options = {name: field.get() for name, field in self._builtin_fields.items()}
            return DatasetSpec(source="builtin", name=self.builtin.currentData(), options=options, **split)
        if source == "csv":
            return DatasetSpec(source="csv", path=self.csv_path.text(), options=self._csv_options(), **split)
        if source == "idx":
            return DatasetSpec(source="idx", path=self.idx_images.text(), labels_path=self.idx_labels.text(), **split)
        options = {"size": [self.image_height.value(), self.image_width.value()],
                   "color": self.image_color.currentText()}
        return DatasetSpec(source="images", path=self.images_path.text(), options=options, **split)

    def chosen_spec(self) -> DatasetSpec:
        """What OK keeps in the project: paths relative to the project's folder."""
        spec = self.loading_spec()
        if spec.source == "builtin":
            return spec
        labels = stored_path(spec.labels_path, self.project_dir) if spec.labels_path else ""
        return replace(spec, path=stored_path(spec.path, self.project_dir), labels_path=labels)

    def _train_share(self) -> float:
        return round(1.0 - self.validation.value() - self.test.value(), 6)

    def _path_field(self) -> PathField | None:
        return {"csv": self.csv_path, "idx": self.idx_images, "images": self.images_path}.get(self.source_key)

    # --- reacting to the controls -----------------------------------------------------------------

    def _source_changed(self, index: int) -> None:
        self.pages.setCurrentIndex(index)
        self._changed_now()

    def show_file(self, path: str | Path) -> None:
        """Show a data file chosen elsewhere (the Train panel's "From a file..."), keeping the split and the
        normaliser shown; it loads, off the GUI thread, as one chosen here would."""
        try:
            split = self.loading_spec()
            spec = DatasetSpec.for_path(path, self.project_dir)
        except DataError as error:
            self._say(str(error), error=True)
            return
        self._show_spec(replace(spec, validation=split.validation, test=split.test, seed=split.seed,
                                normaliser=split.normaliser))
        self.reload()

    def _builtin_changed(self) -> None:
        self._set_builtin(self.builtin.currentData(), {})
        self._changed_now()

    def _path_changed(self) -> None:
        if self.sender() is self.csv_path:
            self.csv_target.clear()  # a new file has columns of its own
            self.columns = None
            self._csv_kept = {}
        self._changed_now()

    def _changed(self, *args: Any) -> None:
        """An option changed: load again once the typing has settled."""
        if self._showing:
            return
        self._stale()
        self._reload_timer.start(RELOAD_DELAY_MS)

    def _changed_now(self, *args: Any) -> None:
        if self._showing:
            return
        self._stale()
        self._reload_timer.start(0)

    def _stale(self) -> None:
        self._initial_problem = ""  # said until the person changes something
        self.dataset = None
        self.preview.set_enabled_look(False)
        self._update_ok()

    def _split_changed(self, *args: Any) -> None:
        train = self._train_share()
        n = len(self.dataset) if self.dataset is not None else None
        if train <= 0:
            self.split_sizes.setText("The validation and test shares leave nothing to train on; make them smaller.")
            self.split_sizes.setStyleSheet(ERROR_STYLE)
        else:
            self.split_sizes.setStyleSheet("")
            text = f"Training share: {train:.2f}"
            if n is not None:
                validation, test = round(n * self.validation.value()), round(n * self.test.value())
                text += f" ({n - validation - test:,} train, {validation:,} validation, {test:,} test samples)"
            self.split_sizes.setText(text)
        self._update_ok()

    # --- loading ------------------------------------------------------------------------------------

    @property
    def loading(self) -> bool:
        """Whether a load is due or under way and has not answered yet."""
        return self._pending or self._reload_timer.isActive()

    def reload(self) -> None:
        """Load what the controls say, off the GUI thread; an older load still running is dropped."""
        self._reload_timer.stop()
        self._drop_threads()
        self._generation += 1
        self.dataset = None
        self.error = self.missing_path = ""
        field = self._path_field()
        for each in (self.csv_path, self.idx_images, self.images_path):
            each.set_missing(False)
        problem = self._initial_problem
        if field is not None and not field.text():
            what = {"csv": "a CSV file", "idx": "an IDX images file", "images": "a folder of images"}[self.source_key]
            self._pending = False
            self._set_loading(False)
            self.preview.clear()
            self._say(problem or f"Choose {what} with Browse...", error=bool(problem))
            self._show_fit()
            self._update_ok()
            return
        try:
            spec = self.loading_spec()
        except DataError as error:
            self._failed(self._generation, str(error), "", None)
            return
        thread = LoadThread(self._generation, spec)
        thread.progressed.connect(self._progressed)
        thread.loaded.connect(self._loaded)
        thread.failed.connect(self._failed)
        self._threads.append(thread)
        _RUNNING.add(thread)
        self._pending = True
        self._set_loading(True)
        self._say(problem or "Loading...", error=bool(problem))
        thread.start()

    def cancel_load(self) -> None:
        """Stop waiting for the load under way; its result, if it still comes, is ignored."""
        if not self.loading:
            return
        self._reload_timer.stop()
        self._drop_threads()
        self._generation += 1
        self._pending = False
        self._set_loading(False)
        self.preview.clear()
        self._say("Loading stopped. Change a setting or press Load again to load the data.")
        self._update_ok()

    def _drop_threads(self) -> None:
        for thread in self._threads:
            thread.cancelled = True
        self._threads = [t for t in self._threads if not t.isFinished()]
        for thread in list(_RUNNING):
            if thread.isFinished():
                _RUNNING.discard(thread)

    def _set_loading(self, loading: bool) -> None:
        self.progress.setVisible(loading)
        self.cancel_load_button.setVisible(loading)
        self.reload_button.setVisible(not loading and (bool(self.error) or self.dataset is None)
                                      and not self._needs_path())
        self.locate_button.setVisible(not loading and bool(self.missing_path))
        if loading:
            self.progress.setRange(0, 0)  # busy until the first report
        self.preview.set_enabled_look(not loading)

    def _missing_field(self) -> PathField | None:
        """The path field naming the file that the last load did not find."""
        if not self.missing_path:
            return None
        if self.source_key == "idx" and Path(self.missing_path) != Path(self.idx_images.text()):
            return self.idx_labels
        return self._path_field()

    def _locate(self) -> None:
        field = self._missing_field()
        if field is not None:
            field.browse()

    def _needs_path(self) -> bool:
        field = self._path_field()
        return field is not None and not field.text()

    def _progressed(self, generation: int, fraction: float) -> None:
        if generation != self._generation:
            return
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(fraction * 1000))

    def _loaded(self, generation: int, result: LoadResult) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self.dataset = result.dataset
        self.error = self.missing_path = ""
        self._show_columns(result.columns)
        self._set_loading(False)
        target = ""
        if result.columns is not None and result.columns.target is not None:
            target = result.columns.label(result.columns.target)
        self.preview.show_dataset(result.dataset, result.info, self._source_text(), target)
        self._say(self._initial_problem, error=True)
        self._show_fit()
        self._split_changed()
        self.load_finished.emit()

    def _failed(self, generation: int, message: str, missing: str, columns: CsvColumns | None) -> None:
        if generation != self._generation:
            return
        self._pending = False
        self.dataset = None
        self.error, self.missing_path = message, missing
        self._show_columns(columns)
        self.preview.clear()
        if missing:
            field = self._missing_field()
            if field is not None:
                field.set_missing(True)
            message += " It may have been moved or renamed: point to it again with Locate..."
            self.error = message
        self._set_loading(False)
        self._say(message, error=True)
        self._show_fit()
        self._update_ok()
        self.load_finished.emit()

    def _show_columns(self, columns: CsvColumns | None) -> None:
        if columns is None or self.source_key != "csv":
            return
        self.columns = columns
        current = self.csv_target.currentData() if self.csv_target.currentIndex() >= 0 else None
        blocked = self.csv_target.blockSignals(True)
        self.csv_target.clear()
        for index in range(len(columns.names)):
            self.csv_target.addItem(columns.label(index), columns.value(index))
        if columns.target is not None:
            self.csv_target.setCurrentIndex(columns.target)
        elif current is not None:  # a target the file does not have: keep it shown, the error names it
            self.csv_target.addItem(str(current), current)
            self.csv_target.setCurrentIndex(self.csv_target.count() - 1)
        self.csv_target.blockSignals(blocked)

    def _source_text(self) -> str:
        if self.source_key == "builtin":
            return f"Built-in: {BUILTIN[self.builtin.currentData()].source}"
        field = self._path_field()
        return str(Path(field.text())) if field else ""

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setVisible(bool(text))

    def _show_fit(self) -> None:
        graph = self.project.graph
        if self.dataset is None:
            self.fit_network.setText("Set the Input shape and the output units to fit the data")
            self.fit_network.setEnabled(False)
            return
        edits = fit_edits(graph, self.dataset)
        inputs = [n for n in graph.nodes() if graph.kind(n) == "Input"]
        if edits:
            self.fit_network.setText(f"Fit the network to this data: set {describe_edits(graph, edits)}")
            self.fit_network.setEnabled(True)
        elif len(inputs) != 1:
            self.fit_network.setText("The network needs one Input layer before it can be fitted to this data.")
            self.fit_network.setEnabled(False)
        else:
            self.fit_network.setText("The network's input and output already fit this data.")
            self.fit_network.setEnabled(False)

    def _update_ok(self) -> None:
        ready = self.dataset is not None and self._train_share() > 0 and not self.error
        self.ok_button.setEnabled(ready)

    # --- finishing ----------------------------------------------------------------------------------

    def accept(self) -> None:
        if not self.ok_button.isEnabled():
            return
        try:
            spec = self.chosen_spec()
        except DataError as error:
            self._say(str(error), error=True)
            return
        new = spec.to_dict()
        old = self.project.dataset
        if old and isinstance(old.get("normaliser"), dict):
            same_data = {k: v for k, v in new.items() if k != "normaliser"} == \
                {k: v for k, v in old.items() if k != "normaliser"}
            if same_data and old["normaliser"].get("method") == new["normaliser"]["method"]:
                new["normaliser"] = old["normaliser"]  # keep what training fitted
        edits = fit_edits(self.project.graph, self.dataset) if self.fit_network.isChecked() else []
        if new != old or edits:
            name = spec.name if spec.source == "builtin" else PurePath(spec.path).name
            self.undo_stack.beginMacro(f"Choose data set {name}")
            try:
                if new != old:
                    self.undo_stack.push(SetProjectSettingCommand(
                        self.project, "dataset", new, "Choose data set", self.shown))
                for node_id, params in edits:
                    self.undo_stack.push(SetParamsCommand(self.project, node_id, params))
            finally:
                self.undo_stack.endMacro()
        super().accept()

    def done(self, result: int) -> None:
        """Closing drops any load under way and waits for it to stop, so no thread outlives its work."""
        self._reload_timer.stop()
        self._drop_threads()
        self._generation += 1
        for thread in self._threads:
            thread.wait()
            _RUNNING.discard(thread)
        self._threads = []
        self._pending = False
        super().done(result)
