"""A project opened with trained weights shows what its network does as soon as a panel is looked at, before any run."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from designer.graph import Project

from .training_helpers import select, train, xor_project

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


def test_a_trained_project_reopened_shows_its_decision_boundary_and_confusion_at_once(make_window, qtbot, tmp_path):
    trained = make_window(xor_project(epochs=20))
    train(trained, qtbot)
    final_boundary = trained.live.boundary.plane.image.copy()
    path = tmp_path / "xor.nnproj"
    assert trained.save_to(path)

    window = make_window()
    assert window.open_file(path, ask=False)
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
