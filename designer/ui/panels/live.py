"""The panels that show what the network does with data (activations, filters, decision boundary, confusion
matrix), and the timeline that replays every panel at a past epoch.

When a run starts, LivePanels picks from the session's data what the worker
runs through the network at snapshot time: the chosen training sample (the
probe), a grid over the input plane for networks with two inputs, and the
held-out samples of a classifier. The weights at every epoch's end go into
the project's timeline. Each frame draws a snapshot that the worker made
when asked for it, on the panels on screen only: at most 15 frames a second,
and fewer when they cost more, so that showing training costs the worker at
most about 8% of its time; `frame` hands the snapshot to the window's
other panels (curves, weights, gradients, progress) at the same pace. While
a run goes on, the plots over epochs span the epochs it is to train and
their value axes change only in steps (see `steady_range`), so that a frame
redraws curves, not axes.

Moving the timeline's slider runs the same inputs through a model of our
own, on this thread, with that epoch's weights, so that every panel shows
that epoch; a project opened with a timeline or trained weights loads its
data for this off this thread (a file may be big) the first time the slider
moves or a panel that shows data comes on screen.
"""

from __future__ import annotations

import copy
import time
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QAbstractEventDispatcher, QEvent, QObject, Qt, QTimer, Signal

from ...data import CLASSIFICATION, Dataset
from ...engine import Model, compile_graph
from ...engine.session import TrainingSession
from ...engine.timeline import DEFAULT_BUDGET, Timeline
from ...graph import Project
from .. import app_settings
from ..jobs import Job
from ..on_screen import on_screen
from ..training import TrainingController, project_copy
from ..workers import MAX_EVALUATION, Snapshot, look
from .activations import ActivationsPanel
from .boundary import BoundaryPanel
from .confusion import ConfusionPanel
from .filters import FiltersPanel
from .mosaic import steady_range
from .timeline import TimelineBar

GRID_RESOLUTION = 60
FRAMES_PER_SECOND = 15  # at most
SLOWEST_FRAME_MS = 1000  # frames come at least this often, however long they take
DOWNSAMPLE_FROM = 2000  # epochs, from which the plots over epochs draw them downsampled
DRAWING_SHARE = 0.08  # of the time, at most, that drawing training costs the worker
BUDGET_SETTING = "timeline/budget"
INPUT_PANELS = {  # which panels show what the worker makes of each input
    "probe": lambda live: (live.activations, live.filters),
    "grid": lambda live: (live.boundary,),
    "evaluation": lambda live: (live.confusion,),
}
MARKER_PEN = pg.mkPen("#d1242f", width=1, style=Qt.PenStyle.DashLine)


def class_labels(data: Dataset) -> tuple[np.ndarray, list[str]] | None:
    """Each sample's class index and the class names: of a classification set, or of 0/1 targets; else None."""
    if data.kind == CLASSIFICATION:
        return data.y, data.classes
    targets = data.y.reshape(len(data), -1)
    if targets.shape[1] == 1 and np.isin(targets, (0.0, 1.0)).all():
        return targets[:, 0].astype(np.int64), ["0", "1"]
    return None


def evaluation_part(session: TrainingSession) -> tuple[str, Dataset]:
    """The samples to judge a classifier by (at most MAX_EVALUATION): the validation part, else the test part,
    else the training part."""
    splits = session.splits
    name, part = next(((name, part) for name, part in (("validation part", splits.validation),
                                                        ("test part", splits.test)) if len(part)),
                      ("training part", splits.train))
    return name, part.subset(np.arange(min(len(part), MAX_EVALUATION)))


def views_of(snapshot: Snapshot) -> dict[str, Any]:
    """The fields of a snapshot the panels draw, those it has."""
    views: dict[str, Any] = {}
    if snapshot.weights:
        views["weights"] = snapshot.weights
    if snapshot.activations:
        views["activations"] = snapshot.activations
    if snapshot.grid_outputs is not None:
        views["grid_outputs"] = snapshot.grid_outputs
        views["grid_activations"] = snapshot.grid_activations
    if snapshot.evaluation_outputs is not None:
        views["evaluation_outputs"] = snapshot.evaluation_outputs
    return views


class LivePanels(QObject):
    restart = Signal()  # the project was put back to a past epoch: train on from there
    message = Signal(str)  # for the status bar
    frame = Signal(object)  # the newest Snapshot, at most FRAMES_PER_SECOND times a second while training

    def __init__(self, controller: TrainingController, project: Project, project_dir: Callable[[], Path | None],
                 weight_views: list, epoch_plots: list[pg.PlotWidget], parent=None) -> None:
        """`weight_views`: panels drawn from the weights alone (`show_weights`: the weights heatmap, the neurons);
        `epoch_plots`: the plots over epochs (curves, gradient norms), on which a line marks the epoch replayed."""
        super().__init__(parent)
        self.controller, self.project, self.project_dir = controller, project, project_dir
        self.weight_views = weight_views  # panels drawn from the weights alone (show_weights): replays pin them
        self.activations = ActivationsPanel()
        self.filters = FiltersPanel()
        self.boundary = BoundaryPanel()
        self.confusion = ConfusionPanel()
        self.budget = int(app_settings.settings().value(BUDGET_SETTING, DEFAULT_BUDGET))
        self.timeline_bar = TimelineBar(self.budget)
        self.epoch_plots = epoch_plots
        self._fitted: dict[pg.PlotWidget, bool] = {}  # during a run: the epoch plots, whether their values were fitted
        self._epoch_ranges: dict[pg.PlotWidget, tuple[float, float]] = {}  # their value ranges during a run
        self._downsampled: dict[pg.PlotWidget, bool] = {}  # the epoch plots that draw their curves downsampled
        self.markers = []
        for plot in epoch_plots:
            plot.setDownsampling(auto=False, mode="peak")  # until a run has more epochs than the plot has pixels
            plot.setClipToView(True)
            marker = pg.InfiniteLine(angle=90, pen=MARKER_PEN)
            marker.hide()
            plot.addItem(marker, ignoreBounds=True)
            self.markers.append(marker)
        self.session: TrainingSession | None = None  # where the data and the network come from
        self._model: Model | None = None  # for replays, compiled from the session's graph when first needed
        self._data_for: dict | None = None  # the project's data set that the session's data come from
        self._failed_for: dict | None = None  # the data set that could not be loaded for replays: not tried again
        self._loading: Job | None = None  # the data for replays, being loaded
        self._jobs: set[Job] = set()  # loads not ended yet (dropped ones too), kept until their threads end
        self._inputs: dict[str, np.ndarray] = {}  # probe, grid, evaluation
        self._asked: frozenset[str] | None = None  # the inputs the worker was last told to look at (None: tell)
        self._timeline: Timeline | None = None
        self._offset = 0  # the timeline's epoch at which the current run started
        self._pinned: dict[str, np.ndarray] | None = None  # the weights on show when not following training
        self._drawing = {  # each panel: the views it is drawn from, and how
            self.activations: (("activations",), lambda shown: self.activations.show_activations(shown["activations"])),
            self.filters: (("weights", "activations"), lambda shown: self.filters.show(
                shown["weights"], shown["activations"], self.activations.sample.value())),
            self.boundary: (("grid_outputs",), lambda shown: self.boundary.show(shown["grid_outputs"],
                                                                                 shown["grid_activations"])),
            self.confusion: (("evaluation_outputs",), lambda shown: self.confusion.show_outputs(
                shown["evaluation_outputs"])),
        }
        self._shown: dict[str, Any] = {}  # what the panels show (or will, when they are next on screen)
        self._stale: set = set()  # panels to draw when they are on screen
        self._cycle_start: float | None = None  # this thread's processor time when the last frame began
        self._first_cycle = False  # the last frame was the run's first
        self._holding: tuple[float, float] | None = None  # wall and processor time when the worker was held
        self._held = (0.0, 0.0)  # wall and processor time the worker was held for the last frame
        self._awaiting = False  # for the window to paint a frame and have nothing left to do
        self._frame_timer = QTimer(self)
        self._frame_timer.setSingleShot(True)
        self._frame_timer.setInterval(1000 // FRAMES_PER_SECOND)
        self._frame_timer.timeout.connect(controller.want_snapshot)  # which comes as the next frame
        controller.started.connect(self._started)
        controller.snapshot.connect(self._snapshot)
        controller.finished.connect(self._ended)
        controller.failed.connect(self._ended)
        controller.state_changed.connect(lambda state: self.timeline_bar.set_idle(state == "idle"))
        self.activations.sample_changed.connect(self._sample_chosen)
        self.timeline_bar.epoch_chosen.connect(self.show_epoch)
        self.timeline_bar.restart_requested.connect(self.restart_from)
        self.timeline_bar.budget_changed.connect(self.set_budget)
        self.set_project(project)

    @property
    def following(self) -> bool:
        """True while the panels follow training as it goes (the timeline's slider at its end)."""
        return self.controller.busy and self.timeline_bar.live

    # --- the project and its timeline ---------------------------------------------------------

    def set_project(self, project: Project) -> None:
        self.project = project
        self.session, self._model, self._data_for, self._failed_for, self._inputs = None, None, None, None, {}
        self._loading = None  # a load under way for the project before is dropped when it comes
        self._pinned = None
        self._shown = {"weights": {}, "activations": {}, "grid_outputs": None, "grid_activations": {},
                       "evaluation_outputs": None}
        self.activations.set_samples(None)
        self.activations.clear()
        self.filters.set_layers([])
        self.boundary.set_data(None)
        self.confusion.set_data(None)
        self._show_markers(None)
        self.show_timeline()

    def timeline(self) -> Timeline:
        """The project's timeline, taken up again whenever the project's was replaced or dropped."""
        if self._timeline is None or self.project.timeline is not self._timeline.kept:
            self._timeline = Timeline(self.budget, self.project.timeline)
            self.project.timeline = self._timeline.kept
        return self._timeline

    def show_timeline(self) -> None:
        """Bring the timeline bar up to date with the project's timeline."""
        timeline = self.timeline()
        self.timeline_bar.show_timeline(timeline.epochs, timeline.nbytes, timeline.every)

    def set_budget(self, budget: int) -> None:
        self.budget = budget
        app_settings.settings().setValue(BUDGET_SETTING, budget)
        self.timeline().set_budget(budget)
        self.show_timeline()

    def restart_from(self, epoch: int) -> None:
        """Put the project back to `epoch` (weights, curves, timeline) and ask for training to go on from there."""
        if self.controller.busy:
            return
        timeline = self.timeline()
        self.project.weights = {key: array.copy() for key, array in timeline.weights(epoch).items()}
        self.project.history = {key: list(values[:epoch]) for key, values in (self.project.history or {}).items()}
        timeline.truncate(epoch)
        self.show_timeline()
        self.restart.emit()

    # --- following the window ----------------------------------------------------------------

    def select_layer(self, name: str | None) -> None:
        for panel in (self.activations, self.filters, self.boundary):
            panel.select_layer(name)
        if self._pinned is not None:
            for view in self.weight_views:
                view.show_weights(self._pinned)

    def _sample_chosen(self, index: int) -> None:
        if self.session is None:
            return
        self._inputs["probe"] = self.session.splits.train.X[index:index + 1]
        self._asked = None
        self._ask_worker()
        if not self.following:
            self._draw(self._views_for(self._pinned or self.project.weights or {}, probe_only=True))

    # --- training ----------------------------------------------------------------------------

    def _started(self, session: TrainingSession) -> None:
        """Make the panels for this run's network; the worker waits meanwhile (see `_Runner.run`), as for a frame,
        for the two threads would otherwise take turns with the interpreter every few milliseconds all along."""
        self._use_session(session)
        self._offset = len((self.project.history or {}).get("loss") or [])
        if session.reset_weights:  # the network changed: its past no longer fits
            self.project.timeline = None
        timeline = self.timeline()
        timeline.truncate(self._offset)  # the curves say where training stands
        timeline.add(self._offset, self.controller.initial_weights)
        self._pinned = None
        self._cycle_start = None
        self._show_markers(None)
        self.show_timeline()
        self.timeline_bar.follow()
        self._await_painting()
        self._frame_timer.start()

    def _use_session(self, session: TrainingSession) -> None:
        """Take the panels' data from a session, and tell the worker what to look at."""
        self.session, self._model = session, None
        model, train = session.model, session.splits.train
        self.activations.set_samples(train)
        shapes = session.project.graph.infer_shapes()
        self.activations.set_layers({node.name: tuple(shapes[node.id]) for node in model.nodes})
        index = self.activations.sample.value()
        inputs = {"probe": train.X[index:index + 1]}
        self.filters.set_layers([node.name for node in model.nodes if node.kind == "Conv2D"])
        labels = class_labels(train)
        if model.input_shape == (2,):
            inputs["grid"], extent = TrainingController.grid_for(train.X, GRID_RESOLUTION)
            y, classes = labels if labels else (train.y, None)
            self.boundary.set_data(train.X, y, classes, extent)
        else:
            self.boundary.set_data(None)
        part_name, part = evaluation_part(session)
        judged = class_labels(part)
        if session.trainer.loss.classification and len(model.output_shape) == 1 and judged is not None:
            inputs["evaluation"] = part.X
            self.confusion.set_data(judged[0], judged[1], part.sample_names, part_name)
        else:
            self.confusion.set_data(None)
        self._inputs = inputs
        self._asked = None
        self._ask_worker()

    def _ask_worker(self) -> None:
        """Have the worker run through the network only the inputs that panels on screen show (the probe for
        activations and feature maps, the plane's grid for the boundary, held-out samples for the confusion
        matrix): looking costs the worker time, and the panels off screen are drawn when they come on screen."""
        asked = {key: value if any(on_screen(panel) for panel in INPUT_PANELS[key](self)) else None
                 for key, value in self._inputs.items()}
        wanted = frozenset(key for key, value in asked.items() if value is not None)
        if wanted != self._asked:
            self._asked = wanted
            self.controller.set_inputs(**asked)

    def _snapshot(self, snapshot: Snapshot) -> None:
        """A frame: draw the snapshot the worker sent, on the panels on screen, and hand it on.

        The worker waits after its batch until the frame is painted, for a Python thread that runs while the
        window paints makes every paint wait for the interpreter (see `_await_painting`)."""
        self._pace()
        self._holding = (time.perf_counter(), time.thread_time())
        for epoch, weights in snapshot.epoch_weights.items():
            self.timeline().add(self._offset + epoch + 1, weights)
        if snapshot.epoch_weights:
            self.show_timeline()
        if self.timeline_bar.live:
            self._draw(views_of(snapshot))
            self._ask_worker()
        self.frame.emit(snapshot)
        self._steady_epoch_plots(snapshot)
        self._await_painting()
        self._frame_timer.start()

    def _await_painting(self) -> None:
        """Let the worker go on once the window has painted the frame and this thread has nothing left to do.

        Qt paints a window when an update request comes (a timer's, at the screen's refresh rate), so the first
        update request since the frame (which one pixel of the window asks for, should the frame have changed
        nothing on screen) paints it; as it does, pyqtgraph applies view ranges and bounds, which asks for
        some more: the worker goes on when the event loop is next about to sleep. While the worker runs, every
        call from Qt into Python on this thread (each paint of a pyqtgraph item, of a table's cell) waits for
        the interpreter, and NumPy lets go of it and takes it back so often that the wait can last many
        milliseconds and cost the worker too."""
        if self._awaiting:  # the frame before has not been painted yet: this one is painted with it
            return
        self._awaiting = True
        window = self.timeline_bar.window()
        if not window.isVisible():
            self._await_idle()
            return
        window.installEventFilter(self)
        window.update(0, 0, 1, 1)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.UpdateRequest:  # the window paints as this returns
            watched.removeEventFilter(self)
            self._await_idle()
        return False

    def _await_idle(self) -> None:
        QAbstractEventDispatcher.instance().aboutToBlock.connect(self._painted)

    def _painted(self) -> None:
        QAbstractEventDispatcher.instance().aboutToBlock.disconnect(self._painted)
        self._awaiting = False
        self.controller.release()
        if self._holding is not None:
            self._held = (time.perf_counter() - self._holding[0], time.thread_time() - self._holding[1])
            self._holding = None

    def _steady_epoch_plots(self, snapshot: Snapshot) -> None:
        """Keep the plots over epochs still while training: every epoch the run is to train on the epoch axis,
        as MATLAB's training-progress plot does, and the values over a steady range (where they were fitted)."""
        many = len(snapshot.history.get("loss") or []) > DOWNSAMPLE_FROM
        for plot in self.epoch_plots:
            box = plot.getViewBox()
            if self._downsampled.get(plot, False) != many:
                # pyqtgraph downsamples by how many epochs a pixel spans: on the whole run's span, a few epochs
                # would make no point at all, and the curves could not be fitted to when the run ends
                plot.setDownsampling(auto=many)
                self._downsampled[plot] = many
            if plot not in self._fitted:  # the run's first frame
                self._fitted[plot] = box.autoRangeEnabled()[1] is not False
                box.disableAutoRange()
                box.setXRange(self._offset, self._offset + snapshot.epochs, padding=0.02)
            bounds = box.childrenBounds()[1] if self._fitted[plot] else None
            if bounds is None or not np.isfinite(bounds).all():
                continue
            shown = steady_range(self._epoch_ranges.get(plot), *bounds)
            if shown != self._epoch_ranges.get(plot):
                self._epoch_ranges[plot] = shown
                box.setYRange(*shown, padding=0)

    def _free_epoch_plots(self) -> None:
        """After a run: the plots over epochs fit their curves again (the values only where they did before)."""
        for plot in self.epoch_plots:
            if plot in self._fitted:
                plot.getViewBox().enableAutoRange(x=True, y=self._fitted[plot] or None)
        self._fitted, self._epoch_ranges = {}, {}

    def _pace(self) -> None:
        """Space the frames so that showing training costs the worker at most DRAWING_SHARE of its time: the
        time it waited for the last frame to be painted, and the processor time this thread spent besides
        (the interpreter it took from the worker), set the wait before the next. A run's first frame paints
        panels made anew, once, and does not set the pace."""
        now = time.thread_time()
        if self._cycle_start is not None and not self._first_cycle:
            cost = now - self._cycle_start - self._held[1] + self._held[0]
            spaced = round(1000 * cost / DRAWING_SHARE)
            self._frame_timer.setInterval(min(max(1000 // FRAMES_PER_SECOND, spaced), SLOWEST_FRAME_MS))
        self._first_cycle = self._cycle_start is None
        self._cycle_start = now
        self._held = (0.0, 0.0)

    def _ended(self, *args) -> None:
        """After a run: show what the final weights make of the data (the last snapshot may not have shown it), on
        the panels on screen now, on the others when they come on screen."""
        self._frame_timer.stop()
        if self.session is not None:  # the data the panels show: the run's (or another data set chosen meanwhile)
            self._data_for = copy.deepcopy(self.session.project.dataset)
        self._free_epoch_plots()
        self.show_timeline()
        if self.timeline_bar.live:
            self._draw(self._views_for(self.project.weights or {}))
        else:
            self.show_epoch(self.timeline_bar.epoch)

    # --- drawing and replaying -----------------------------------------------------------------

    def _draw(self, views: dict[str, Any]) -> None:
        """Show these views (and weights) on the panels on screen that draw them; the others draw them when they
        are next on screen (at a frame during training, else through `show_trained`)."""
        self._shown.update(views)
        self._stale.update(panel for panel, (inputs, _) in self._drawing.items() if any(key in views for key in inputs))
        for panel in [panel for panel in self._stale if on_screen(panel)]:
            self._stale.discard(panel)
            self._drawing[panel][1](self._shown)

    def show_epoch(self, epoch: int) -> None:
        """Show every panel as it was at the end of `epoch` (a kept one); at the slider's end, follow training."""
        if self.following:
            self._pinned = None
            self._show_markers(None)
            return
        weights = self.timeline().weights(epoch)
        self._pinned = weights
        self._load_session()
        self._draw(self._views_for(weights))
        for view in self.weight_views:
            view.show_weights(weights)
        self._show_markers(None if self.timeline_bar.live else epoch)

    def show_trained(self) -> None:
        """Draw the panels that came on screen since what they show last changed (the window calls this when a
        panel that needs the data comes on screen); for a project opened with trained weights, or given another
        data set since, have its data loaded first, so that it shows what its network does before any run."""
        if self.project.weights:
            self._load_session()
        if self.session is not None:
            self._draw({})

    def _show_markers(self, epoch: int | None) -> None:
        for marker in self.markers:
            marker.setVisible(epoch is not None)
            if epoch is not None:
                marker.setValue(epoch)

    def _load_session(self) -> None:
        """Load the project's data set for replays off this thread, when neither a run nor a load before has
        brought it (nor failed to); the panels on screen are drawn when it comes (until then, replays show the
        weights alone)."""
        if self.controller.busy or self._loading is not None:
            return
        if self.session is not None:
            if self._data_for == self.project.dataset:
                return
            self.session, self._model, self._inputs = None, None, {}  # the project has another data set since
        if self._failed_for is not None and self._failed_for == self.project.dataset:
            return
        project, folder = project_copy(self.project), self.project_dir()
        job = Job(lambda job: TrainingSession.prepare(project, folder, progress=job.check, to_train=False))
        job.dataset = project.dataset  # what it loads
        job.done.connect(self._session_loaded)  # methods, not lambdas, to run on this thread
        job.failed.connect(self._session_not_loaded)
        job.finished.connect(self._job_ended)
        self._loading = job
        self._jobs.add(job)
        self.message.emit("Loading the data, to show what the network makes of them...")
        job.start()

    def _session_loaded(self, session: TrainingSession) -> None:
        job = self.sender()
        if job is not self._loading:  # for a project replaced since
            return
        self._loading = None
        if self.controller.busy or self.session is not None:  # a run brought its own
            return
        self._data_for = job.dataset
        self._use_session(session)
        self.message.emit("")
        self._draw(self._views_for(self._pinned or self.project.weights or {}))

    def _session_not_loaded(self, message: str) -> None:
        if self.sender() is not self._loading:
            return
        self._failed_for = self._loading.dataset  # tried again once the project has another data set
        self._loading = None
        self.message.emit(f"Only the weights can be shown: {message}")

    def _job_ended(self) -> None:
        self._jobs.discard(self.sender())

    def close(self) -> None:
        """Before the window closes: stop loading data, and wait until no thread of ours is left."""
        self._loading = None
        for job in list(self._jobs):
            job.cancel()
        for job in list(self._jobs):
            job.wait()

    def _views_for(self, weights: dict[str, np.ndarray], probe_only: bool = False) -> dict[str, Any]:
        """What the panels show for these weights, worked out on a model of our own."""
        if self.session is None:
            return {"weights": weights}
        if self._model is None:
            self._model = compile_graph(self.session.project.graph, seed=self.session.settings.seed)
        self._model.set_weights(weights)
        inputs = {"probe": self._inputs.get("probe")} if probe_only else self._inputs
        return {"weights": weights, **look(self._model, **inputs)}
