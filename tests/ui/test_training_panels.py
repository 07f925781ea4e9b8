"""Training from the window and the panels that follow it: run, pause, step and stop from the Train panel;
activations, filters, decision boundary and confusion matrix drawn live; the timeline replaying every panel
at a past epoch and training on from it; exports; and a window that keeps answering while it trains."""

from __future__ import annotations

import csv
import gc
import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QFileDialog

from designer import NetworkGraph, Project
from designer.data import DatasetSpec
from designer.engine.settings import EarlyStoppingSettings
from designer.engine.trainer import History
from designer.ui.panels.activations import ActivationsPanel
from designer.ui.panels.boundary import BoundaryPanel
from designer.ui.panels.confusion import ConfusionPanel
from designer.ui.panels.export import export_view, plot_views
from designer.ui.panels.weights import WeightsPanel, as_matrix
from designer.ui.train_panel import run_ending

from .training_helpers import (
    TRAINED_MS, digits_cnn_project, epoch_weights, move_timeline, position, select, shown_epoch, train, xor_project,
)


def test_run_pause_resume_step_and_stop_from_the_train_panel(make_window, qtbot):
    window = make_window(xor_project(epochs=100_000))
    panel, controller = window.train_panel, window.training
    panel.start_button.click()
    qtbot.waitUntil(lambda: window.curves.points("loss") >= 3, timeout=TRAINED_MS)
    first_epoch = shown_epoch(window)
    qtbot.waitUntil(lambda: shown_epoch(window) > first_epoch, timeout=TRAINED_MS)

    panel.pause_button.click()
    assert controller.state == "paused" and panel.pause_button.text() == "Resume"
    qtbot.wait(150)  # the batch under way ends and is reported
    paused_at = position(controller.last_snapshot)
    qtbot.waitUntil(lambda: window.curves.points("loss") == len(controller.last_snapshot.history["loss"]))  # drawn
    points = window.curves.points("loss")
    qtbot.wait(300)
    assert position(controller.last_snapshot) == paused_at
    assert window.curves.points("loss") == points

    panel.pause_button.click()  # Resume
    qtbot.waitUntil(lambda: position(controller.last_snapshot) > paused_at + 5, timeout=TRAINED_MS)

    panel.pause_button.click()
    qtbot.wait(150)
    before = position(controller.last_snapshot)
    for steps in (1, 2):
        panel.step_button.click()
        qtbot.waitUntil(lambda: position(controller.last_snapshot) > before, timeout=TRAINED_MS)
        qtbot.wait(150)
        assert position(controller.last_snapshot) == before + 1
        assert controller.state == "paused"
        before += 1

    with qtbot.waitSignal(controller.thread.finished, timeout=TRAINED_MS):
        panel.stop_button.click()
    qtbot.waitUntil(lambda: controller.state == "idle", timeout=TRAINED_MS)
    assert controller.thread is None
    assert panel.start_button.isEnabled()
    assert len(window.project.history["loss"]) >= 2
    assert panel.status.text().startswith("Training stopped after ")  # not "finished": it had epochs to go


def test_how_a_run_ended_is_said_in_one_sentence():
    history = History(loss=[0.52, 0.4012], accuracy=[0.7, 0.85])
    assert run_ending(history, False, None) == "Training finished after 2 epochs: loss 0.4012, accuracy 0.850."
    assert run_ending(history, True, None) == "Training stopped after 2 epochs: loss 0.4012, accuracy 0.850."
    assert run_ending(History(), True, None) == "Training stopped before the first epoch ended."
    early = History(loss=[0.5, 0.3, 0.31, 0.32], stopped_early=True, best_epoch=1)
    patience = EarlyStoppingSettings(monitor="loss", patience=2)
    assert run_ending(early, False, patience) == (
        "Early stopping ended training after 4 epochs (loss 0.3200): loss had not improved for 2 epochs; "
        "the weights of its best epoch, 2, are kept.")


def test_the_panels_follow_training_and_the_decision_boundary_moves(make_window, qtbot):
    window = make_window(xor_project(epochs=100_000, lr=0.02, optimizer="sgd"))  # slow, to watch it learn
    boundary = window.live.boundary
    drawn = []  # the decision boundary at each frame
    window.live.frame.connect(lambda snapshot: drawn.append(boundary.plane.image.copy())
                              if boundary.plane.image is not None else None)
    window.curves_dock.raise_()
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: window.training.last_snapshot is not None, timeout=TRAINED_MS)
    worker = window.training.runner.worker
    assert worker.grid is None and worker.evaluation is None and not drawn  # no one looks: nothing is worked out
    window.boundary_dock.raise_()  # the user looks at the boundary: the worker runs the plane through the network
    qtbot.waitUntil(lambda: worker.grid is not None, timeout=TRAINED_MS)
    assert worker.evaluation is None
    # the boundary drawn moves as the network learns, however fast the machine trains
    qtbot.waitUntil(lambda: len(drawn) >= 2 and np.abs(drawn[0].astype(int) - drawn[-1].astype(int)).max() > 20,
                    timeout=TRAINED_MS)
    window.train_panel.stop_button.click()
    qtbot.waitUntil(lambda: not window.training.busy, timeout=TRAINED_MS)
    assert drawn[0].shape == (60, 60, 3)

    assert [len(maps) for maps in boundary.maps.values()] == [8, 6]  # every hidden neuron over the plane
    activations = window.live.activations
    assert not activations.plots  # the panel has not been on screen: its plots are not made
    window.activations_dock.raise_()
    QApplication.processEvents()
    assert list(activations.plots) == ["input_1", "dense_1", "dense_2", "dense_3"]
    sample = window.training.session.splits.train.X[0]
    np.testing.assert_allclose(activations.plots["input_1"].item.opts["height"], sample, rtol=1e-6)
    confusion = window.live.confusion
    window.confusion_dock.raise_()
    QApplication.processEvents()
    assert confusion.counts is not None and confusion.counts.sum() == len(confusion.truth) == 30
    assert confusion.predictions.rowCount() == 30
    confusion.wrong_only.setChecked(True)
    assert confusion.predictions.rowCount() == len(confusion.truth) - np.trace(confusion.counts)
    assert "right" in confusion.title.text()
    assert "no Conv2D" in window.live.filters.title.text()

    window.activations_dock.raise_()
    activations.sample.setValue(5)  # another sample, drawn at once while idle
    np.testing.assert_allclose(activations.plots["input_1"].item.opts["height"],
                               window.training.session.splits.train.X[5], rtol=1e-6)
    select(window, "dense_2")
    assert activations.plots["dense_2"].plot.titleLabel.text.startswith("▶")
    assert window.live.boundary.labels["dense_2"].text.startswith("▶")


def test_panels_off_screen_skip_frames_and_show_the_newest_when_they_come_on_screen(make_window, qtbot):
    window = make_window(xor_project(epochs=100_000))
    select(window, "dense_1")
    window.curves_dock.raise_()  # the gradients and weights are tabbed behind it
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: window.curves.points("loss") >= 3, timeout=TRAINED_MS)
    assert window.gradients.curves == {} and window.weights.shown is None  # not drawn behind the curves
    window.gradients_dock.raise_()
    QApplication.processEvents()
    epochs = len(window.training.last_snapshot.history["loss"])
    assert len(window.gradients.curves["dense_1"].xData) >= min(epochs, 3)  # drawn as it came on screen
    window.weights_dock.raise_()
    QApplication.processEvents()
    assert window.weights.shown is not None
    window.train_panel.stop_button.click()
    qtbot.waitUntil(lambda: not window.training.busy, timeout=TRAINED_MS)


def test_the_timeline_replays_past_epochs_and_training_goes_on_from_one(make_window, qtbot):
    window = make_window(xor_project(epochs=6))
    kept = epoch_weights(window)
    select(window, "dense_1")
    window.boundary_dock.raise_()
    train(window, qtbot)
    bar = window.live.timeline_bar
    assert bar.epochs == [0, 1, 2, 3, 4, 5, 6] and bar.live
    final = as_matrix(window.project.weights["dense_1.W"])
    np.testing.assert_array_equal(window.weights.shown, final)
    final_boundary = window.live.boundary.plane.image.copy()

    move_timeline(window, 1)
    np.testing.assert_array_equal(window.weights.shown, as_matrix(kept[1]["dense_1.W"]))
    assert not np.array_equal(window.weights.shown, final)
    assert not np.array_equal(window.live.boundary.plane.image, final_boundary)
    assert all(marker.isVisible() and marker.value() == 1 for marker in window.live.markers)
    select(window, "dense_2")  # another layer, still at epoch 1
    np.testing.assert_array_equal(window.weights.shown, as_matrix(kept[1]["dense_2.W"]))
    select(window, "dense_1")
    np.testing.assert_array_equal(window.weights.shown, as_matrix(kept[1]["dense_1.W"]))

    move_timeline(window, 6)
    np.testing.assert_array_equal(window.weights.shown, final)
    np.testing.assert_array_equal(window.live.boundary.plane.image, final_boundary)
    assert not any(marker.isVisible() for marker in window.live.markers)

    move_timeline(window, 2)
    epoch_two = {key: array.copy() for key, array in window.project.timeline[2].items()}
    bar.restart_button.click()
    qtbot.waitUntil(lambda: not window.training.busy and len(window.project.history["loss"]) == 8,
                    timeout=TRAINED_MS)
    assert bar.epochs == list(range(9))
    for key, array in epoch_two.items():  # the new run started from epoch 2's weights
        np.testing.assert_array_equal(window.project.timeline[2][key], array)
    assert window.curves.points("loss") == 8
    curve = window.gradients.curves["dense_1"]
    gradient_epochs, norms = curve.xData, curve.yData  # the data, not their logarithms on screen
    assert list(gradient_epochs) == list(range(1, 9))  # the second run's norms follow the first's
    np.testing.assert_allclose(norms, window.project.history["grad_norm:dense_1"])


def test_the_timeline_is_saved_with_the_project_and_replays_after_opening(make_window, qtbot, tmp_path):
    window = make_window(xor_project(epochs=4))
    train(window, qtbot)
    path = tmp_path / "xor.nnproj"
    assert window.save_to(path)
    epoch_one = window.project.timeline[1]

    reopened = make_window()
    assert reopened.open_file(path, ask=False)
    bar = reopened.live.timeline_bar
    assert bar.epochs == [0, 1, 2, 3, 4]
    select(reopened, "dense_1")
    move_timeline(reopened, 1)
    np.testing.assert_array_equal(reopened.weights.shown, as_matrix(epoch_one["dense_1.W"]))
    reopened.boundary_dock.raise_()
    qtbot.waitUntil(lambda: reopened.live.boundary.plane.image is not None, timeout=TRAINED_MS)  # data loaded
    for layer in ("dense_1", "dense_2", "dense_3"):  # the gradient norms came back with the curves
        epochs, norms = reopened.gradients.curves[layer].xData, reopened.gradients.curves[layer].yData
        assert list(epochs) == [1, 2, 3, 4]
        np.testing.assert_allclose(norms, window.project.history[f"grad_norm:{layer}"])
        assert np.all(norms > 0)
    assert reopened.curves.points("loss") == 4


def test_the_memory_budget_thins_the_timeline(make_window, qtbot):
    window = make_window(xor_project(epochs=40, hidden=(4,)))
    epoch_bytes = 4 * (2 * 4 + 4 + 4 * 1 + 1)
    window.live.timeline_bar.budget.setValue(1)
    train(window, qtbot)
    assert len(window.live.timeline_bar.epochs) == 41
    window.live.set_budget(10 * epoch_bytes)
    timeline = window.live.timeline()
    assert timeline.nbytes <= 10 * epoch_bytes and timeline.epochs[0] == 0 and timeline.last == 40
    assert window.live.timeline_bar.epochs == timeline.epochs
    assert "every 8" in window.live.timeline_bar.usage.text()


def test_a_diverging_learning_rate_says_so_and_leaves_the_window_usable(make_window, qtbot, message_boxes):
    g = NetworkGraph()
    layers = [g.add_layer("Input", shape=(1,)), g.add_layer("Dense", units=16, activation="tanh"),
              g.add_layer("Dense", units=1)]
    g.connect(layers[0], layers[1])
    g.connect(layers[1], layers[2])
    project = Project(graph=g, dataset=DatasetSpec(source="builtin", name="sine").to_dict(),
                      training={"loss": "mse", "optimizer": "sgd", "lr": 0.01, "epochs": 5})
    window = make_window(project)
    window.train_panel.lr.setValue(100.0)
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: bool(message_boxes["warning"]), timeout=TRAINED_MS)
    assert "try a smaller learning rate" in message_boxes["warning"][0]
    assert window.training.state == "idle" and window.training.thread is None
    assert "smaller learning rate" in window.train_panel.status.text()
    assert all(np.isfinite(w).all() for w in window.project.weights.values())  # the last good weights

    window.train_panel.lr.setValue(0.01)
    train(window, qtbot)
    assert len(window.project.history["loss"]) == 5
    window.canvas.add_layer("Dense")  # still editable
    assert len(window.project.graph.nodes()) == 4


def test_closing_the_window_during_training_stops_the_worker(make_window, qtbot):
    window = make_window(xor_project(epochs=100_000))
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: window.training.state == "running" and window.training.last_snapshot is not None,
                    timeout=TRAINED_MS)
    thread = window.training.thread
    assert not gc.isenabled()  # garbage is collected on the GUI thread while training runs (see training.py)
    window.undo_stack.setClean()
    assert window.close()
    assert thread.isFinished()
    assert window.training.thread is None
    assert gc.isenabled()


def test_the_window_answers_a_timer_while_a_heavy_model_trains(make_window, qtbot):
    g = NetworkGraph()
    layers = [g.add_layer("Input", shape=(64,)), g.add_layer("Dense", units=768, activation="relu"),
              g.add_layer("Dense", units=768, activation="relu"), g.add_layer("Dense", units=10,
                                                                               activation="softmax")]
    for src, dst in zip(layers, layers[1:]):
        g.connect(src, dst)
    project = Project(graph=g, dataset=DatasetSpec(source="builtin", name="digits", options={"flat": True}).to_dict(),
                      training={"loss": "cross_entropy", "optimizer": "adam", "lr": 0.001, "batch_size": 256,
                                "epochs": 1000})
    window = make_window(project)
    window.activations_dock.raise_()
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: window.training.last_snapshot is not None, timeout=TRAINED_MS)
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    qtbot.wait(1500)
    timer.stop()
    window.train_panel.stop_button.click()
    qtbot.waitUntil(lambda: not window.training.busy, timeout=TRAINED_MS)
    late = float(np.max(np.diff(ticks))) - 0.010
    print(f"\nlongest wait for a 10 ms timer while training: {late * 1000:.0f} ms over {len(ticks)} ticks")
    assert late < 1.0


def test_every_plot_exports_as_png_and_svg_and_the_history_as_csv(make_window, qtbot, tmp_path, monkeypatch):
    window = make_window(xor_project(epochs=3))
    select(window, "dense_1")
    train(window, qtbot)
    exported = 0
    for dock in window.panel_docks:
        dock.raise_()
        QApplication.processEvents()
        for index, view in enumerate(plot_views(dock.widget())):
            assert "Export Plot as PNG or SVG..." in [a.text() for a in view.scene().contextMenu]
            if not view.isVisible():
                continue
            for suffix in ("png", "svg"):
                path = tmp_path / f"{dock.objectName()}_{index}.{suffix}"
                export_view(view, path)
                assert path.stat().st_size > 500
            assert not QImage(str(tmp_path / f"{dock.objectName()}_{index}.png")).isNull()
            assert "<svg" in (tmp_path / f"{dock.objectName()}_{index}.svg").read_text()
            exported += 1
    assert exported >= 9
    window.curves_dock.raise_()
    QApplication.processEvents()
    export_view(window.curves.loss_plot, tmp_path / "loss.svg")
    drawing = (tmp_path / "loss.svg").read_text()
    assert "<image" not in drawing and ">epoch <" in drawing  # the axes as lines and text, not a picture of them
    with pytest.raises(OSError, match=r"\.png or \.svg"):
        export_view(window.curves.loss_plot, tmp_path / "plot.jpg")

    target = tmp_path / "history.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    window.export_history_action.trigger()
    with target.open(newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["epoch", "loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds",
                       "grad_norm:dense_1", "grad_norm:dense_2", "grad_norm:dense_3"]
    assert [row[0] for row in rows[1:]] == ["1", "2", "3"]
    assert float(rows[3][1]) == window.project.history["loss"][2]


def show_every_panel(window) -> None:
    """Untab the panels into two rows under a small canvas, for a screenshot."""
    docks = window.panel_docks
    for dock in (window.summary_dock, window.problems_dock, window.palette_dock):
        dock.hide()
    for dock in docks:
        window.removeDockWidget(dock)
    top, bottom = docks[:4], docks[4:]
    for dock in top:
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock, Qt.Orientation.Horizontal)
        dock.show()
    for above, dock in zip(top, bottom):
        window.splitDockWidget(above, dock, Qt.Orientation.Vertical)
        dock.show()
    window.resize(2200, 1500)
    window.resizeDocks(top, [550] * 4, Qt.Orientation.Horizontal)
    for column in zip(top, bottom):
        window.resizeDocks(list(column), [420, 420], Qt.Orientation.Vertical)
    QApplication.processEvents()


@pytest.mark.parametrize("project, name", [(xor_project(epochs=30), "panels"),
                                           (digits_cnn_project(), "panels_conv")])
def test_a_screenshot_of_the_window_with_every_panel_showing_something(make_window, qtbot, project, name):
    window = make_window(project)
    show_every_panel(window)
    select(window, window.project.graph.name(window.project.graph.nodes()[1]))
    train(window, qtbot)
    move_timeline(window, window.live.timeline_bar.epochs[-2])  # a past epoch, marked on the curves
    qtbot.wait(50)
    image = window.grab().toImage()
    image.save(f"/tmp/{name}.png")
    assert image.width() >= 2000
    for dock in window.panel_docks:
        assert dock.isVisible() and dock.widget().width() > 200, dock.objectName()
    assert window.weights.shown is not None
    assert window.live.activations.plots
    if name == "panels":
        assert window.live.boundary.plane.image is not None
    else:
        assert window.live.filters.filters_image.image is not None
        assert window.live.filters.maps_image.image is not None
    assert window.live.confusion.counts is not None


def bar_pixels(view, item) -> int:
    """How many bluish pixels (the bars' colours) a pyqtgraph view shows inside the view box of `item`."""
    image = view.grab().toImage()
    rect = view.mapFromScene(item.getViewBox().sceneBoundingRect()).boundingRect()
    colours = [QColor(image.pixel(x, y)) for x in range(max(rect.left(), 0), min(rect.right(), image.width()))
               for y in range(max(rect.top(), 0), min(rect.bottom(), image.height()))]
    return sum(colour.blue() > colour.red() + 40 for colour in colours)


def drawn_ticks(axis) -> list[str]:
    """The tick labels an axis draws."""
    image = QImage(10, 10, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    try:
        _, _, texts = axis.generateDrawSpecs(painter)
    finally:
        painter.end()
    return [text for _, _, text in texts]


def show_panel(qtbot, panel, width: int, height: int) -> None:
    qtbot.addWidget(panel)
    panel.resize(width, height)
    panel.show()
    qtbot.waitExposed(panel)


def test_a_layer_of_one_unit_whose_output_is_about_zero_still_shows_its_bar_and_value(qtbot):
    panel = ActivationsPanel()
    show_panel(qtbot, panel, 600, 400)
    panel.set_layers({"dense_2": (3,), "dense_3": (1,)})
    panel.show_activations({"dense_2": np.array([0.5, -0.2, 0.9], np.float32),
                            "dense_3": np.array([0.000247], np.float32)})  # a sigmoid output for class 0
    output = panel.plots["dense_3"]
    assert bar_pixels(panel.plots_view, output.item) > 10  # a bar at zero, not nothing
    assert output.value.toPlainText() == "0.000247"
    low, high = output.plot.getViewBox().viewRange()[1]
    assert low <= 0 and high >= 1  # a small output looks small


def test_activation_plots_are_made_again_only_when_the_layers_change(qtbot):
    panel = ActivationsPanel()
    qtbot.addWidget(panel)
    panel.set_layers({"dense_1": (8,), "dense_2": (1,)})
    assert not panel.plots  # not on screen: made when it is, or when it first draws
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_layers({"dense_1": (8,), "dense_2": (1,)})
    made = dict(panel.plots)
    assert list(made) == ["dense_1", "dense_2"]
    panel.set_layers({"dense_1": (8,), "dense_2": (1,)})  # the next run of the same network: the same plots
    assert all(panel.plots[name] is plot for name, plot in made.items())
    panel.set_layers({"dense_1": (4,), "dense_2": (1,)})  # a layer of other width: made anew
    assert panel.plots["dense_1"] is not made["dense_1"] and panel.plots["dense_1"].shape == (4,)


def test_the_confusion_matrix_writes_each_count_at_its_cells_centre(qtbot):
    panel = ConfusionPanel()
    show_panel(qtbot, panel, 800, 400)
    panel.set_data(np.array([0, 0, 0, 1, 1, 2]), ["a", "b", "c"], None, "validation part")
    panel.show_outputs(np.eye(3, dtype=np.float32)[[0, 0, 1, 1, 1, 2]])  # one sample of class a taken for b
    assert panel.count_labels.texts() == ["2", "1", "0", "0", "2", "0", "0", "0", "1"]
    view = panel.matrix_plot
    qtbot.wait(10)

    def cell(image: QImage, row: int, column: int) -> np.ndarray:
        centre = view.mapFromScene(view.getViewBox().mapViewToScene(QPointF(column + 0.5, row + 0.5)))
        return np.array([[image.pixelColor(centre.x() + dx, centre.y() + dy).lightness()
                          for dx in range(-6, 7)] for dy in range(-6, 7)])

    written = view.grab().toImage()
    panel.count_labels.hide()
    blank = view.grab().toImage()
    for row, column in [(0, 0), (0, 1), (2, 2), (1, 0)]:
        assert np.abs(cell(written, row, column) - cell(blank, row, column)).max() > 60  # a digit is there


def test_the_weights_heatmap_numbers_rows_and_columns_at_the_cells_centres(qtbot):
    panel = WeightsPanel()
    qtbot.addWidget(panel)
    panel.resize(700, 300)
    panel.show()
    panel.select_layer("dense_1")
    matrix = np.arange(16, dtype=np.float32).reshape(2, 8) - 8
    panel.show_weights({"dense_1.W": matrix, "dense_1.b": np.zeros(8, np.float32)})
    qtbot.wait(10)
    plot = panel.heatmap_plot.getPlotItem()
    assert drawn_ticks(plot.getAxis("bottom")) == [str(i) for i in range(8)]
    assert drawn_ticks(plot.getAxis("left")) == ["0", "1"]
    cells = panel.image.mapRectToParent(panel.image.boundingRect())
    assert (cells.left(), cells.top(), cells.width(), cells.height()) == (-0.5, -0.5, 8, 2)  # cell (r, c) at (c, r)
    for rows in (30, 128):  # larger matrices are numbered every few rows, still by whole indices
        panel.show_weights({"dense_1.W": np.ones((rows, 3), np.float32)})
        qtbot.wait(10)
        labels = drawn_ticks(plot.getAxis("left"))
        assert all(label.isdigit() for label in labels) and 2 <= len(labels) <= 10, labels


def test_the_decision_boundary_gives_the_plane_most_of_the_room(qtbot):
    panel = BoundaryPanel()
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.setVisible(True)
    X = np.random.default_rng(0).normal(size=(40, 2)).astype(np.float32)
    panel.set_data(X, (X[:, 0] > 0).astype(int), ["0", "1"], ((-3, 3), (-3, 3)))
    panel.show(np.full((3600, 1), 0.5, np.float32), {"dense_1": np.zeros((3600, 8), np.float32),
                                                     "dense_2": np.zeros((3600, 6), np.float32)})
    qtbot.wait(10)
    assert panel.plane_plot.width() >= 2 * panel.neurons_view.width()
    assert panel.plane_plot.getViewBox().width() >= 250  # the aspect-locked plane is not a stamp
    assert all(len(images) == units for images, units in zip(panel.maps.values(), (8, 6)))


def test_the_plots_over_epochs_span_the_planned_run_while_it_trains(make_window, qtbot):
    window = make_window(xor_project(epochs=100_000))
    accuracy_range = window.curves.accuracy_plot.getViewBox().viewRange()[1]
    frames = []
    window.live.frame.connect(frames.append)
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: len(frames) >= 3, timeout=TRAINED_MS)
    for plot in window.live.epoch_plots:  # as MATLAB's training-progress plot: the whole run's epochs on the axis
        low, high = plot.getViewBox().viewRange()[0]
        assert low <= 0 and high >= 100_000
    assert window.curves.accuracy_plot.getViewBox().viewRange()[1] == accuracy_range  # 0 to 1, as it was
    qtbot.waitUntil(lambda: window.curves.curves["loss"].curve.xData is not None)
    drawn = window.curves.curves["loss"].curve.xData  # what the plot draws: a few epochs of 100,000 still show
    assert len(drawn) == window.curves.points("loss") > 0
    window.train_panel.stop_button.click()
    qtbot.waitUntil(lambda: not window.training.busy, timeout=TRAINED_MS)
    qtbot.wait(50)
    trained = len(window.project.history["loss"])
    high = window.curves.loss_plot.getViewBox().viewRange()[0][1]
    assert high < 2 * trained + 10  # after the run, the curves fill the plot again


def test_the_controller_reports_its_state_on_the_window_thread(make_window, qtbot):
    window = make_window(xor_project(epochs=3))
    threads = []
    window.training.state_changed.connect(lambda state: threads.append((state, threading.current_thread())),
                                          Qt.ConnectionType.DirectConnection)  # run where it is emitted
    train(window, qtbot)
    assert [state for state, _ in threads] == ["preparing", "running", "idle"]
    assert all(thread is threading.main_thread() for _, thread in threads)
