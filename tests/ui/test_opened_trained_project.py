"""A project opened with trained weights shows what its network does as soon as a panel is looked at, before any run."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QTimer

from designer.data import DatasetSpec
from designer.engine.session import TrainingSession
from designer.graph import Project

from .training_helpers import data_name, select, train, xor_project

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


def test_the_edge_detector_example_shows_its_filters_and_filtered_picture_without_training(make_window, qtbot):
    window = make_window()
    assert window.open_file(EXAMPLES / "edge_detection.nnproj", ask=False)
    select(window, "conv2d_1")
    window.filters_dock.raise_()
    filters = window.live.filters
    qtbot.waitUntil(lambda: filters.maps_image.image is not None, timeout=10_000)
    assert filters.filters_image.image is not None
    maps = filters.maps_image.image
    assert maps.shape == (120, 2 * 160 + 1)  # the two 120 x 160 feature maps, a gap between them
    assert np.nanmax(maps) - np.nanmin(maps) > 0.5  # the sigmoid of strong edges, not a flat grey
    assert not window.training.busy and window.project.history is None  # nothing was trained for it
    assert window.train_panel.status.text() == "The network has weights, but no training history."


def test_a_trained_project_reopened_shows_its_decision_boundary_and_confusion_at_once(make_window, qtbot, tmp_path):
    trained = make_window(xor_project(epochs=20))
    trained.boundary_dock.raise_()
    train(trained, qtbot)
    final_boundary = trained.live.boundary.plane.image.copy()
    path = tmp_path / "xor.nnproj"
    assert trained.save_to(path)

    window = make_window()
    assert window.train_panel.status.text() == "Not trained yet."
    assert window.open_file(path, ask=False)
    loss = trained.project.history["loss"][-1]
    assert window.train_panel.status.text().startswith(f"Trained for 20 epochs so far: loss {loss:.4f}, accuracy ")
    assert window.live.boundary.plane.image is None  # nothing is loaded while no panel needs it
    window.boundary_dock.raise_()
    qtbot.waitUntil(lambda: window.live.boundary.plane.image is not None, timeout=10_000)
    np.testing.assert_array_equal(window.live.boundary.plane.image, final_boundary)
    window.confusion_dock.raise_()
    qtbot.waitUntil(lambda: window.live.confusion.counts is not None, timeout=10_000)
    assert window.live.confusion.counts.sum() > 0


def test_an_untrained_project_loads_no_data_for_its_panels(make_window, qtbot):
    window = make_window(Project(graph=xor_project().graph, dataset=xor_project().dataset))
    window.boundary_dock.raise_()
    qtbot.wait(50)
    assert window.live.session is None and window.live.boundary.plane.image is None


def reopened_after_training(make_window, qtbot, path: Path):
    """A window on the XOR network trained for 3 epochs in another window and saved to `path`."""
    trained = make_window(xor_project(epochs=3))
    train(trained, qtbot)
    assert trained.save_to(path)
    window = make_window()
    assert window.open_file(path, ask=False)
    return window


def slow_loading(monkeypatch, seconds: float) -> list[bool]:
    """Make loading a project's data take `seconds` (a big file); returns, per load, whether it ran on the GUI
    thread."""
    prepare = TrainingSession.prepare.__func__
    threads = []

    def slow_prepare(cls, *args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        time.sleep(seconds)
        return prepare(cls, *args, **kwargs)

    monkeypatch.setattr(TrainingSession, "prepare", classmethod(slow_prepare))
    return threads


def test_the_data_for_a_trained_project_load_while_the_window_goes_on(make_window, qtbot, tmp_path, monkeypatch):
    window = reopened_after_training(make_window, qtbot, tmp_path / "xor.nnproj")
    on_gui_thread = slow_loading(monkeypatch, 0.5)
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start(10)
    said = []
    window.live.message.connect(said.append)
    window.boundary_dock.raise_()
    qtbot.waitUntil(lambda: window.live.boundary.plane.image is not None, timeout=10_000)
    timer.stop()
    assert on_gui_thread == [False]
    assert len(ticks) >= 20  # the window went on answering while the data loaded (half a second)
    assert said[0].startswith("Loading the data") and said[-1] == ""  # the status bar said so meanwhile


def test_closing_the_window_while_its_data_load_leaves_no_thread_behind(make_window, qtbot, tmp_path, monkeypatch):
    window = reopened_after_training(make_window, qtbot, tmp_path / "xor.nnproj")
    slow_loading(monkeypatch, 0.3)
    window.boundary_dock.raise_()
    qtbot.waitUntil(lambda: bool(window.live._jobs), timeout=5_000)
    jobs = list(window.live._jobs)
    window.close()
    assert all(job.isFinished() for job in jobs)
    assert window.live.boundary.plane.image is None  # what came after closing was not drawn


def test_data_that_cannot_be_loaded_leave_the_weights_on_show_until_the_project_has_data_that_can(
        make_window, qtbot, tmp_path):
    trained = make_window(xor_project(epochs=3))
    train(trained, qtbot)
    data = trained.training.session.splits.train
    csv = tmp_path / "points.csv"
    csv.write_text("x,y,label\n" + "".join(f"{a},{b},{int(c)}\n" for (a, b), c in zip(data.X, data.y.ravel())))
    trained.train_panel.set_dataset(DatasetSpec.for_path(csv))
    path = tmp_path / "xor.nnproj"
    assert trained.save_to(path)
    csv.unlink()  # the data file has gone since

    window = make_window()
    assert window.open_file(path, ask=False)
    said = []
    window.live.message.connect(said.append)
    select(window, "dense_1")
    window.boundary_dock.raise_()
    qtbot.waitUntil(lambda: any(text.startswith("Only the weights can be shown") for text in said), timeout=10_000)
    assert "points.csv" in said[-1] and window.live.boundary.plane.image is None
    window.weights_dock.raise_()
    assert window.weights.shown is not None  # the weights are shown all the same
    window.boundary_dock.raise_()
    qtbot.wait(50)
    assert len([text for text in said if text.startswith("Only")]) == 1  # not tried again for the same data

    window.train_panel.set_dataset(DatasetSpec(source="builtin", name="gaussian_xor"))
    window.weights_dock.raise_()
    window.boundary_dock.raise_()  # looked at again, with data that load
    qtbot.waitUntil(lambda: window.live.boundary.plane.image is not None, timeout=10_000)


def points_drawn(window) -> np.ndarray:
    """The x of every training point drawn on the decision boundary, sorted."""
    return np.sort(np.concatenate([scatter.getData()[0] for scatter in window.live.boundary.points]))


def test_after_the_data_set_changes_the_panels_show_the_new_data(make_window, qtbot):
    window = make_window(xor_project(epochs=3))
    train(window, qtbot)
    window.boundary_dock.raise_()
    clusters = points_drawn(window)
    window.train_panel.set_dataset(DatasetSpec(source="builtin", name="moons"))
    window.confusion_dock.raise_()
    window.boundary_dock.raise_()  # looked at again: drawn from the moons
    qtbot.waitUntil(lambda: data_name(window) == "moons", timeout=10_000)
    moons = window.live.session.splits.train.X[:, 0]
    np.testing.assert_allclose(points_drawn(window), np.sort(moons))
    assert len(moons) != len(clusters) or not np.allclose(np.sort(moons), clusters)
    window.undo_stack.undo()  # back to the XOR clusters
    window.confusion_dock.raise_()
    window.boundary_dock.raise_()
    qtbot.waitUntil(lambda: data_name(window) == "gaussian_xor", timeout=10_000)
    np.testing.assert_allclose(points_drawn(window), clusters)
