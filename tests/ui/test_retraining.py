"""Training again after the network changed: only the weights that no longer fit start afresh, and the window says so."""

from __future__ import annotations

import numpy as np

from designer.data import DatasetSpec

from .helpers import type_into
from .training_helpers import TRAINED_MS, data_name, select, train, xor_project


def test_a_changed_layer_restarts_only_the_weights_that_no_longer_fit(make_window, qtbot):
    window = make_window(xor_project(epochs=3))
    train(window, qtbot)
    trained = {key: array.copy() for key, array in window.project.weights.items()}

    select(window, "dense_2")  # 6 units become 5: its own weights and those of the layer it feeds no longer fit
    type_into(window.inspector.fields["units"].widget, "5")
    assert window.project.graph.params(window.project.graph.find("dense_2"))["units"] == 5
    messages = []
    window.statusBar().messageChanged.connect(messages.append)
    train(window, qtbot)

    started = window.training.initial_weights
    for key in ("dense_1.W", "dense_1.b", "dense_3.b"):  # these still fit, and training went on from them
        np.testing.assert_array_equal(started[key], trained[key])
    assert started["dense_2.W"].shape == (8, 5) and started["dense_3.W"].shape == (5, 1)
    said = next(text for text in messages if "no longer fit" in text)
    assert said == "These weights no longer fit the network and start afresh: dense_2.W, dense_2.b, dense_3.W."
    assert window.project.weights["dense_2.W"].shape == (8, 5)


def test_closing_the_window_before_it_hears_that_training_began_does_not_hang(make_window, qtbot):
    import threading
    import time

    window = make_window(xor_project(epochs=100_000))
    controller = window.training
    window.train_panel.start_button.click()
    deadline = time.monotonic() + 20
    while (controller.runner is None or controller.runner.worker is None) and time.monotonic() < deadline:
        time.sleep(0.001)  # no events processed: the window has not heard the run began
    worker = controller.runner.worker
    assert worker is not None and controller.session is None
    rescued = []
    watchdog = threading.Timer(10, lambda: (rescued.append(True), worker.trainer.stop()))
    watchdog.start()
    controller.stop(wait=True)  # what closing the window does
    watchdog.cancel()
    assert not rescued, "stopping waited for a run the window did not know had begun"
    assert controller.thread is None and controller.state == "idle"


def test_a_data_set_chosen_while_training_runs_is_kept_when_the_run_ends(make_window, qtbot):
    window = make_window(xor_project(epochs=100_000))
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: window.training.last_snapshot is not None, timeout=TRAINED_MS)
    window.train_panel.set_dataset(DatasetSpec(source="builtin", name="moons"))
    window.train_panel.stop_button.click()
    qtbot.waitUntil(lambda: not window.training.busy, timeout=TRAINED_MS)
    assert window.project.dataset["name"] == "moons"  # not put back to the data the run trained on
    assert window.train_panel.data_choice.currentText() == "moons"
    window.boundary_dock.raise_()  # the panels load the data set chosen meanwhile
    qtbot.waitUntil(lambda: data_name(window) == "moons", timeout=TRAINED_MS)
    window.undo_stack.undo()
    assert window.project.dataset["name"] == "gaussian_xor"
