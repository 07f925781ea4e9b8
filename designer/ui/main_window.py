"""The main window: canvas in the middle, palette, inspector, summary and problems in docks.

It owns the project, its file path and its undo stack. Files go through the
project API; a file that cannot be read shows its one-sentence reason and
leaves the open project untouched. Unsaved work is marked in the title, asked
about before it could be lost, and written every minute to a recovery file
that is offered back after a crash.
"""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from PySide6.QtCore import QByteArray, QPointF, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QCursor, QDragEnterEvent, QDropEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QDialog, QDockWidget, QFileDialog, QLabel, QMainWindow, QMessageBox, QTextBrowser, QToolButton, QVBoxLayout,
)

from .. import __version__
from ..graph import Project, ProjectFileError
from ..graph.reference import reference_table
from . import app_settings
from .canvas.editor import CanvasEditor
from .diagram import DIAGRAM_FILTER, DiagramError, export_diagram
from .dock_tabs import hide_stray_tab_bars
from .docks import ProblemsPanel, SummaryPanel
from .hopfield import HopfieldLauncher
from .inspector import Inspector
from .on_screen import on_screen
from .palette import Palette
from .panels.curves import CurvesPanel
from .panels.export import add_export_menu
from .panels.gradients import GradientsPanel
from .panels.live import LivePanels
from .panels.neurons import NeuronsPanel
from .panels.weights import WeightsPanel
from .start_page import StartPage, example_files, load_example
from .train_panel import TrainPanel, run_ending
from .training import TrainingController

APP_NAME = "NN Designer"
PROJECT_FILTER = "NN Designer projects (*.nnproj)"
AUTOSAVE_MS = 60_000
STATUS_MS = 6000


class MainWindow(QMainWindow):
    def __init__(self, project: Project | None = None, path: str | Path | None = None) -> None:
        super().__init__()
        self.project = project or Project()
        self.path: Path | None = Path(path) if path else None
        self.recovery_path: Path | None = None
        self.undo_stack = QUndoStack(self)
        self.canvas = CanvasEditor(self.project, self.undo_stack, self)
        self.setCentralWidget(self.canvas)
        self.start_page: StartPage | None = None  # made when first shown (on launch without a file)
        self.palette = Palette()
        self.inspector = Inspector(self.project, self.undo_stack)
        self.summary = SummaryPanel(self.project)
        self.problems = ProblemsPanel(self.project)
        self.training = TrainingController(self)
        self.train_panel = TrainPanel(self.project, self.undo_stack, self.training, self.project_dir)
        self.curves = CurvesPanel()
        self.weights = WeightsPanel()
        self.gradients = GradientsPanel()
        self.neurons = NeuronsPanel(self.project)
        self.live = LivePanels(self.training, self.project, self.project_dir, [self.weights, self.neurons],
                               [self.curves.loss_plot, self.curves.accuracy_plot, self.gradients.plot], self)
        self._frame_drawn: set[QDockWidget] = set()  # the panels drawn at every frame that drew the last one
        self._make_docks()
        self._make_actions()
        self._make_menus()
        self._make_toolbar()
        self.zoom_label = QLabel()
        self.statusBar().addPermanentWidget(self.zoom_label)
        self._wire_signals()
        self.hopfield = HopfieldLauncher(self)  # the Hopfield workspace: its action, node double-click, auto-open
        self.setAcceptDrops(True)
        self.layout().activate()  # the docks are tabbed now: forget the minimum width they needed side by side
        self.resize(1400, 880)
        self._docks_to_size = not self._restore_layout()  # the first time: when the window is first shown
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self.autosave_timer.start()
        self._update_title()
        self.curves.show_history(self.project.history)
        self.gradients.show_history(self.project.history)
        QTimer.singleShot(0, self.canvas.view.fit)

    # --- building --------------------------------------------------------------------------

    def _dock(self, title: str, widget, area: Qt.DockWidgetArea, name: str) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # restoreState finds docks by name
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _make_docks(self) -> None:
        self.palette_dock = self._dock("Layers", self.palette, Qt.DockWidgetArea.LeftDockWidgetArea, "palette")
        self.inspector_dock = self._dock("Inspector", self.inspector, Qt.DockWidgetArea.RightDockWidgetArea, "inspector")
        self.summary_dock = self._dock("Summary", self.summary, Qt.DockWidgetArea.BottomDockWidgetArea, "summary")
        self.problems_dock = self._dock("Problems", self.problems, Qt.DockWidgetArea.BottomDockWidgetArea, "problems")
        self.train_dock = self._dock("Train", self.train_panel, Qt.DockWidgetArea.RightDockWidgetArea, "train")
        self.curves_dock = self._dock("Curves", self.curves, Qt.DockWidgetArea.BottomDockWidgetArea, "curves")
        self.weights_dock = self._dock("Weights", self.weights, Qt.DockWidgetArea.BottomDockWidgetArea, "weights")
        self.gradients_dock = self._dock("Gradients", self.gradients, Qt.DockWidgetArea.BottomDockWidgetArea,
                                         "gradients")
        self.activations_dock = self._dock("Activations", self.live.activations, Qt.DockWidgetArea.BottomDockWidgetArea,
                                           "activations")
        self.filters_dock = self._dock("Filters", self.live.filters, Qt.DockWidgetArea.BottomDockWidgetArea, "filters")
        self.boundary_dock = self._dock("Decision Boundary", self.live.boundary, Qt.DockWidgetArea.BottomDockWidgetArea,
                                        "boundary")
        self.confusion_dock = self._dock("Confusion", self.live.confusion, Qt.DockWidgetArea.BottomDockWidgetArea,
                                         "confusion")
        self.neurons_dock = self._dock("Neurons", self.neurons, Qt.DockWidgetArea.BottomDockWidgetArea, "neurons")
        self.data_docks = [self.activations_dock, self.filters_dock, self.boundary_dock, self.confusion_dock]
        self.panel_docks = [self.curves_dock, self.weights_dock, self.gradients_dock, self.activations_dock,
                            self.filters_dock, self.boundary_dock, self.confusion_dock, self.neurons_dock]
        for dock in self.panel_docks:
            add_export_menu(dock.widget(), dock.objectName())
        self.timeline_toolbar = self.addToolBar("Timeline")
        self.timeline_toolbar.setObjectName("timeline")
        self.timeline_toolbar.addWidget(self.live.timeline_bar)
        self.addToolBar(Qt.ToolBarArea.BottomToolBarArea, self.timeline_toolbar)
        for corner, area in ((Qt.Corner.BottomLeftCorner, Qt.DockWidgetArea.LeftDockWidgetArea),
                             (Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)):
            self.setCorner(corner, area)  # the side docks run the full height; the panels sit under the canvas
        self.tabifyDockWidget(self.inspector_dock, self.train_dock)
        for dock in [self.problems_dock, *self.panel_docks]:
            self.tabifyDockWidget(self.summary_dock, dock)
        self.inspector_dock.raise_()
        self.summary_dock.raise_()

    def _action(self, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
        action.triggered.connect(slot)
        return action

    def _make_actions(self) -> None:
        keys = QKeySequence.StandardKey
        self.new_action = self._action("&New", self.new_project, keys.New, "Start a new, empty project")
        self.open_action = self._action("&Open...", self.open_dialog, keys.Open, "Open a project file")
        self.save_action = self._action("&Save", self.save, keys.Save, "Save the project")
        self.save_as_action = self._action("Save &As...", self.save_as_dialog, keys.SaveAs)
        self.export_action = self._action("&Export Diagram...", self.export_dialog, None,
                                          "Save the diagram as SVG, PNG or PDF")
        self.export_history_action = self._action(
            "Export Training &History...", lambda: self.train_panel.export_history_dialog(), None,
            "Save the loss and accuracy of every epoch as a CSV table")
        self.quit_action = self._action("&Quit", self.close, keys.Quit)
        self.undo_action = self.undo_stack.createUndoAction(self, "&Undo")
        self.undo_action.setShortcut(QKeySequence(keys.Undo))
        self.redo_action = self.undo_stack.createRedoAction(self, "&Redo")
        self.redo_action.setShortcut(QKeySequence(keys.Redo))
        self.cut_action = self._action("Cu&t", self.canvas.cut, keys.Cut)
        self.copy_action = self._action("&Copy", self.canvas.copy, keys.Copy)
        self.paste_action = self._action("&Paste", self.paste, keys.Paste)
        self.duplicate_action = self._action("D&uplicate", self.canvas.duplicate, "Ctrl+D")
        self.delete_action = self._action("&Delete", self.canvas.delete_selected, keys.Delete)
        self.select_all_action = self._action("Select &All", self.canvas.select_all, keys.SelectAll)
        self.zoom_in_action = self._action("Zoom &In", lambda: self.canvas.view.zoom_in(), keys.ZoomIn)
        self.zoom_out_action = self._action("Zoom &Out", lambda: self.canvas.view.zoom_out(), keys.ZoomOut)
        self.fit_action = self._action("&Fit to Window", lambda: self.canvas.view.fit(), "Ctrl+0")
        self.layout_action = self._action("&Auto Layout", lambda: self.canvas.auto_layout("right"), "Ctrl+L",
                                          "Arrange the layers left to right")
        self.layout_down_action = self._action("Auto Layout &Top to Bottom", lambda: self.canvas.auto_layout("down"))
        self.hopfield_action = self._action("Open &Hopfield Workspace", lambda: self.hopfield.open(), "Ctrl+Shift+H",
                                            "Draw, store and recall patterns in the selected Hopfield layer")
        self.choose_data_action = self._action("Choose &Data Set...", lambda: self.train_panel.open_data_dialog(),
                                               None, "Choose the data set to train on, with a preview")
        self.reference_action = self._action("&Layer Reference", self.show_reference, keys.HelpContents)
        self.about_action = self._action("&About NN Designer", self.show_about)
        self.start_page_action = self._action("Start Pa&ge", self.show_start_page, None,
                                              "New, open, recent projects and the examples")
        for action in (self.delete_action, self.cut_action, self.copy_action, self.paste_action,
                       self.duplicate_action, self.select_all_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.canvas.addAction(action)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        file_menu.addActions([self.new_action, self.open_action])
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        self.examples_menu = file_menu.addMenu("E&xamples")
        self.examples_menu.aboutToShow.connect(self._fill_examples_menu)
        file_menu.addAction(self.start_page_action)
        file_menu.addSeparator()
        file_menu.addActions([self.save_action, self.save_as_action, self.export_action, self.export_history_action])
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit = bar.addMenu("&Edit")
        edit.addActions([self.undo_action, self.redo_action])
        edit.addSeparator()
        edit.addActions([self.cut_action, self.copy_action, self.paste_action, self.duplicate_action,
                         self.delete_action])
        edit.addSeparator()
        edit.addAction(self.select_all_action)
        view = bar.addMenu("&View")
        view.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action])
        view.addSeparator()
        view.addActions([self.layout_action, self.layout_down_action])
        view.addAction(self.hopfield_action)
        view.addSeparator()
        for dock in (self.palette_dock, self.inspector_dock, self.train_dock, self.summary_dock, self.problems_dock,
                     *self.panel_docks):
            view.addAction(dock.toggleViewAction())
        view.addAction(self.timeline_toolbar.toggleViewAction())
        data_menu = bar.addMenu("&Data")
        data_menu.addAction(self.choose_data_action)
        help_menu = bar.addMenu("&Help")
        help_menu.addActions([self.reference_action, self.about_action])

    def _step_button(self, word: str, step, can_step_changed) -> QToolButton:
        """The toolbar's Undo or Redo: a button, not the undo stack's action.

        The stack's actions change with every edit (their text says what will be undone, "Undo Add dense_3"),
        and a toolbar lays itself, and the whole window, out again whenever one of its actions changes, which
        took longer than the edit; a button's text and state are its own. The Edit menu keeps the stack's
        actions.
        """
        button = QToolButton()
        button.setText(word)
        button.setAutoRaise(True)
        button.setAutoFillBackground(True)  # opaque: turning it on or off repaints only the button, not the window
        button.setToolTip("Undo the last edit" if word == "Undo" else "Redo the edit last undone")
        button.setEnabled(False)
        button.clicked.connect(step)
        can_step_changed.connect(button.setEnabled)
        return button

    def _make_toolbar(self) -> None:
        toolbar = self.addToolBar("Main")
        toolbar.setObjectName("main_toolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addActions([self.new_action, self.open_action, self.save_action])
        toolbar.addSeparator()
        self.undo_button = self._step_button("Undo", self.undo_stack.undo, self.undo_stack.canUndoChanged)
        self.redo_button = self._step_button("Redo", self.undo_stack.redo, self.undo_stack.canRedoChanged)
        toolbar.addWidget(self.undo_button)
        toolbar.addWidget(self.redo_button)
        toolbar.addSeparator()
        toolbar.addActions([self.zoom_in_action, self.zoom_out_action, self.fit_action, self.layout_action])
        toolbar.addSeparator()
        toolbar.addAction(self.export_action)

    def _wire_signals(self) -> None:
        self.undo_stack.cleanChanged.connect(lambda clean: self._update_title())
        self.palette.kind_activated.connect(lambda kind: self.canvas.add_layer(kind))
        self.canvas.message.connect(lambda text: self.statusBar().showMessage(text, STATUS_MS))
        self.canvas.selection_changed.connect(self.inspector.show_layers)
        self.canvas.view.zoom_changed.connect(lambda zoom: self.zoom_label.setText(f"{zoom:.0%}"))
        self.summary.node_clicked.connect(self.canvas.select)
        self.problems.node_clicked.connect(self.canvas.select)
        self.canvas.selection_changed.connect(self._show_selected_weights)
        self.train_panel.message.connect(lambda text: self.statusBar().showMessage(text, STATUS_MS))
        self.training.started.connect(self._training_started)
        self.live.frame.connect(self._training_snapshot)
        self.live.frame.connect(self.train_panel.show_snapshot)
        self.training.finished.connect(self._training_finished)
        self.training.failed.connect(self._training_failed)
        self.canvas.selection_changed.connect(
            lambda ids: self.live.select_layer(self.project.graph.name(ids[0]) if len(ids) == 1 else None))
        self.live.message.connect(lambda text: self.statusBar().showMessage(text, STATUS_MS))
        self.live.restart.connect(self._train_from_timeline)
        for dock in self.data_docks:
            dock.visibilityChanged.connect(lambda visible: self._show_trained_if_looked_at() if visible else None)
        self.neurons_dock.visibilityChanged.connect(lambda visible: self.neurons.came_on_screen() if visible else None)
        for dock in (self.curves_dock, self.gradients_dock, self.weights_dock):
            dock.visibilityChanged.connect(
                lambda visible, dock=dock: self._frame_panel_shown(dock) if visible else None)
        self.train_panel.reset_button.clicked.connect(self.live.show_timeline)
        self.train_panel.reset_button.clicked.connect(self._show_trained_state)

    # --- training ------------------------------------------------------------------------------

    def project_dir(self) -> Path | None:
        """Where the project's relative data paths start."""
        return self.path.resolve().parent if self.path else None

    def _training_started(self, session) -> None:
        if session.reset_weights:
            self.statusBar().showMessage(
                f"These weights no longer fit the network and start afresh: {', '.join(session.reset_weights)}.",
                STATUS_MS)
        if not any(on_screen(dock) for dock in self.panel_docks):  # keep the panel someone is watching
            self.curves_dock.raise_()

    def _training_snapshot(self, snapshot) -> None:
        """The newest snapshot, at most FRAMES_PER_SECOND times a second (see LivePanels.frame), on the curves,
        gradients and weights if they are on screen; the others draw the newest when they come on screen."""
        for dock in (self.curves_dock, self.gradients_dock, self.weights_dock):
            if on_screen(dock):
                self._frame_drawn.add(dock)
                self._draw_frame(dock, snapshot)
            else:
                self._frame_drawn.discard(dock)
        if snapshot.weights and self.live.timeline_bar.live:
            self.neurons.show_weights(snapshot.weights)  # now if on screen, else when it comes on screen

    def _draw_frame(self, dock: QDockWidget, snapshot) -> None:
        if dock is self.curves_dock:
            if len(snapshot.history.get("loss", [])) != len(self.curves.history.get("loss", [])):
                self.curves.follow(snapshot.history)
        elif dock is self.gradients_dock:
            self.gradients.show_snapshot(snapshot)
        elif snapshot.weights and self.live.timeline_bar.live:
            self.weights.show_weights(snapshot.weights)

    def _frame_panel_shown(self, dock: QDockWidget) -> None:
        """A panel that a run draws at every frame came on screen: draw the newest frame it missed."""
        snapshot = self.training.last_snapshot
        if self.training.busy and snapshot is not None and dock not in self._frame_drawn:
            self._frame_drawn.add(dock)
            self._draw_frame(dock, snapshot)

    def _train_from_timeline(self) -> None:
        """The project was put back to a past epoch: show its curves and weights, and train on."""
        self.undo_stack.resetClean()
        self._show_trained_state()
        self.train_panel.start()

    def _training_finished(self, history) -> None:
        self.undo_stack.resetClean()  # trained weights are unsaved work
        self._update_title()
        self._show_trained_state()
        text = run_ending(history, self.training.stopped, self.training.session.settings.early_stopping)
        self.train_panel.status.setText(text)
        self.statusBar().showMessage(text, STATUS_MS)

    def _show_trained_state(self) -> None:
        """The project's curves, gradient norms and weights, after a run or when they were put back or reset."""
        self.curves.show_history(self.project.history)
        self.gradients.show_history(self.project.history)
        self.weights.show_weights(self.project.weights or {})
        self.neurons.show_weights(self.project.weights or {})

    def _show_trained_if_looked_at(self) -> None:
        """A panel that runs the data through the network is on screen: it shows the trained weights at once."""
        if any(on_screen(dock) for dock in self.data_docks):
            self.live.show_trained()

    def _training_failed(self, message: str) -> None:
        self.undo_stack.resetClean()
        self._update_title()
        self.train_panel.status.setText(message)
        self.show_error(message)

    def _show_selected_weights(self, node_ids: list[str]) -> None:
        name = self.project.graph.name(node_ids[0]) if len(node_ids) == 1 else None
        self.weights.select_layer(name)
        snapshot = self.training.last_snapshot if self.training.busy else None
        self.weights.show_weights(snapshot.weights if snapshot and snapshot.weights else self.project.weights or {})

    def _restore_layout(self) -> bool:
        """Put the window and its docks as they were when it last closed; False the first time."""
        store = app_settings.settings()
        geometry, state = store.value("window/geometry"), store.value("window/state")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        return isinstance(state, QByteArray) and self.restoreState(state)

    def _size_docks(self) -> None:
        """The first layout: the panels under the canvas get room to show training."""
        self.resizeDocks([self.summary_dock], [max(260, self.height() * 3 // 8)], Qt.Orientation.Vertical)
        self.resizeDocks([self.palette_dock, self.inspector_dock], [190, 330], Qt.Orientation.Horizontal)

    # --- title and dirtiness -------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return not self.undo_stack.isClean()

    def _update_title(self) -> None:
        try:
            dirty = self.dirty
        except RuntimeError:  # Qt is deleting the window, and its undo stack with it
            return
        name = self.path.name if self.path else "Untitled"
        self.setWindowTitle(f"{name}{'*' if dirty else ''} - {APP_NAME}")

    # --- files -----------------------------------------------------------------------------------

    def set_project(self, project: Project, path: Path | None) -> None:
        """Show another project; its history starts anew."""
        self.hide_start_page()
        self.training.stop(wait=True)
        self._discard_recovery()
        self.project = project
        self.path = path
        self.undo_stack.clear()
        self.canvas.set_project(project)
        self.inspector.set_project(project)
        self.summary.set_project(project)
        self.problems.set_project(project)
        self.train_panel.set_project(project)
        self.neurons.set_project(project)
        self.curves.show_history(project.history)
        self.gradients.show_history(project.history)
        self.weights.select_layer(None)
        self.live.set_project(project)
        QTimer.singleShot(0, self._show_trained_if_looked_at)
        self.undo_stack.setClean()
        self._update_title()
        self.hopfield.project_changed()
        QTimer.singleShot(0, self.canvas.view.fit)

    def ask_to_save_changes(self) -> QMessageBox.StandardButton:
        """Save, Discard or Cancel (tests replace this method)."""
        name = self.path.name if self.path else "Untitled"
        return QMessageBox.question(
            self, APP_NAME, f"{name} has changes that are not saved. Save them first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )

    def maybe_save(self) -> bool:
        """True when it is fine to drop the current project (saved, discarded or clean)."""
        if not self.dirty:
            return True
        answer = self.ask_to_save_changes()
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    def new_project(self) -> None:
        if self.maybe_save():
            self.set_project(Project(), None)

    def open_dialog(self) -> None:
        if not self.maybe_save():
            return
        path, _ = QFileDialog.getOpenFileName(self, "Open Project", str(self._folder()), PROJECT_FILTER)
        if path:
            self.open_file(path, ask=False)

    def open_file(self, path: str | Path, ask: bool = True) -> bool:
        """Open a project; on failure show why and keep the current one."""
        if ask and not self.maybe_save():
            return False
        path = Path(path)
        try:
            project = Project.load(path)
        except ProjectFileError as error:
            self.show_error(str(error))
            return False
        self.set_project(project, path)
        app_settings.remember_recent(str(path.resolve()))
        self.statusBar().showMessage(f"Opened {path.name}.", STATUS_MS)
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.save_as_dialog()
        return self.save_to(self.path)

    def save_as_dialog(self) -> bool:
        suggested = str(self.path or self._folder() / "untitled.nnproj")
        path, _ = QFileDialog.getSaveFileName(self, "Save Project", suggested, PROJECT_FILTER)
        if not path:
            return False
        if not path.endswith(".nnproj"):
            path += ".nnproj"
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            self.project.save(path)
        except ProjectFileError as error:
            self.show_error(str(error))
            return False
        self.path = path
        self.undo_stack.setClean()
        self._discard_recovery()
        app_settings.remember_recent(str(path.resolve()))
        self._update_title()
        self.statusBar().showMessage(f"Saved {path.name}.", STATUS_MS)
        return True

    def _folder(self) -> Path:
        return self.path.parent if self.path else Path.home()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        files = app_settings.recent_files()
        if not files:
            self.recent_menu.addAction("No recent projects").setEnabled(False)
        for file in files:
            action = self.recent_menu.addAction(Path(file).name)
            action.setStatusTip(file)
            action.triggered.connect(lambda checked=False, f=file: self.open_file(f))

    def _fill_examples_menu(self) -> None:
        """File > Examples: every example, by its title; choosing one opens a copy (filled when first shown)."""
        if self.examples_menu.actions():
            return
        for file in example_files():
            try:
                title = Project.load(file).title or file.stem
            except ProjectFileError:
                continue
            action = self.examples_menu.addAction(title)
            action.setStatusTip(f"Open a copy of the example {file.name}")
            action.triggered.connect(lambda checked=False, f=file: self.open_example(f))
        if not self.examples_menu.actions():
            self.examples_menu.addAction("No examples found").setEnabled(False)

    def open_example(self, path: str | Path) -> bool:
        """Open a copy of an example as a new, untitled project: saving it asks where, so the example stays."""
        if not self.maybe_save():
            return False
        try:
            project = load_example(path)
        except ProjectFileError as error:
            self.show_error(str(error))
            return False
        self.set_project(project, None)
        self.statusBar().showMessage(
            f"Opened a copy of the example {project.title or Path(path).stem}; Save asks where to keep yours.",
            STATUS_MS)
        return True

    def show_start_page(self) -> None:
        """Show the start page over the window: New, Open, recent projects and the examples."""
        if self.start_page is None:
            self.start_page = StartPage(self)
            self.start_page.new_requested.connect(self.new_project)
            self.start_page.open_requested.connect(self.open_dialog)
            self.start_page.recent_chosen.connect(self.open_file)
            self.start_page.example_chosen.connect(self.open_example)
        self.start_page.cover(self)

    def hide_start_page(self) -> None:
        if self.start_page is not None:
            self.start_page.hide()

    @property
    def start_page_shown(self) -> bool:
        return self.start_page is not None and self.start_page.isVisible()

    def show_error(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MS)
        QMessageBox.warning(self, APP_NAME, text)

    # --- recovery -------------------------------------------------------------------------------

    def _recovery_file(self) -> Path:
        if self.recovery_path is None:
            key = str(self.path.resolve()) if self.path else f"untitled-{id(self)}-{time.time()}"
            digest = hashlib.sha1(key.encode()).hexdigest()[:12]
            stem = self.path.stem if self.path else "untitled"
            self.recovery_path = app_settings.recovery_dir() / f"{stem}-{digest}.nnproj"
        return self.recovery_path

    def autosave(self) -> Path | None:
        """Write unsaved work to the recovery folder (the project file itself is left alone)."""
        if not self.dirty:
            return None
        path = self._recovery_file()
        try:
            self.project.save(path)
        except ProjectFileError as error:
            self.statusBar().showMessage(f"Autosave failed: {error}", STATUS_MS)
            return None
        return path

    def _discard_recovery(self) -> None:
        if self.recovery_path is not None and self.recovery_path.exists():
            self.recovery_path.unlink()
        self.recovery_path = None

    @staticmethod
    def recovery_files() -> list[Path]:
        return sorted(app_settings.recovery_dir().glob("*.nnproj"), key=lambda p: p.stat().st_mtime)

    def ask_to_recover(self, files: list[Path]) -> bool:
        """Whether to open the recovered work (tests replace this method)."""
        names = "\n".join(f.name for f in files)
        answer = QMessageBox.question(
            self, APP_NAME, f"NN Designer closed without saving this work:\n{names}\nOpen it again?",
            QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Discard, QMessageBox.StandardButton.Open)
        return answer == QMessageBox.StandardButton.Open

    def offer_recovery(self) -> bool:
        """After a crash, offer the newest recovery file back as unsaved work; True if it was opened."""
        files = self.recovery_files()
        if not files:
            return False
        if not self.ask_to_recover(files):
            for file in files:
                file.unlink()
            return False
        newest = files[-1]
        try:
            project = Project.load(newest)
        except ProjectFileError as error:
            newest.unlink()  # a damaged recovery file is not offered again
            self.show_error(str(error))
            return False
        self.set_project(project, None)
        self.recovery_path = newest
        self.undo_stack.resetClean()  # recovered work is unsaved
        self._update_title()
        return True

    # --- diagram --------------------------------------------------------------------------------

    def export_diagram(self, path: str | Path, style: str = "graph") -> None:
        """Write the diagram as SVG, PNG or PDF, by the file's ending; "neurons" draws a Dense chain as neurons."""
        export_diagram(self.project, path, style, self.canvas.scene)

    def export_dialog(self) -> None:
        suggested = str(self._folder() / ((self.path.stem if self.path else "network") + ".svg"))
        path, _ = QFileDialog.getSaveFileName(self, "Export Diagram", suggested, DIAGRAM_FILTER)
        if not path:
            return
        try:
            self.export_diagram(path)
        except (DiagramError, OSError) as error:
            self.show_error(str(error))
            return
        self.statusBar().showMessage(f"Exported {Path(path).name}.", STATUS_MS)

    # --- edit helpers ---------------------------------------------------------------------------

    def paste(self) -> None:
        """Paste at the mouse cursor when it is over the canvas, else next to the last paste."""
        viewport = self.canvas.view.viewport()
        cursor = viewport.mapFromGlobal(QCursor.pos())
        at = self.canvas.view.mapToScene(cursor) if viewport.rect().contains(cursor) else None
        self.canvas.paste(QPointF(at) if at is not None else None)

    # --- help -------------------------------------------------------------------------------------

    def show_reference(self) -> None:
        dialog = QDialog(self)
        dialog.setWindowTitle("Layer Reference")
        browser = QTextBrowser()
        browser.setMarkdown(reference_table())
        layout = QVBoxLayout(dialog)
        layout.addWidget(browser)
        dialog.resize(900, 560)
        dialog.show()

    def show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"<b>{APP_NAME}</b> {__version__}<br>Design, train and understand neural networks.")

    # --- window events -------------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.toLocalFile().endswith(".nnproj") for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        for url in event.mimeData().urls():
            if url.toLocalFile().endswith(".nnproj"):
                event.acceptProposedAction()
                self.open_file(url.toLocalFile())
                return

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._docks_to_size:
            self._docks_to_size = False
            self._size_docks()
        QTimer.singleShot(0, self, lambda: hide_stray_tab_bars(self))  # once the docks are laid out

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        self.training.stop(wait=True)
        self.live.close()
        self.hopfield.close_all()
        self._discard_recovery()
        store = app_settings.settings()
        store.setValue("window/geometry", self.saveGeometry())
        store.setValue("window/state", self.saveState())
        store.sync()
        self.autosave_timer.stop()
        event.accept()
