"""The Neurons panel: the network drawn as neurons, its lines following the weights live, after a run and on replay."""

from __future__ import annotations

import numpy as np

from designer.ui.neurons_diagram import NEGATIVE, POSITIVE

from .training_helpers import TRAINED_MS, digits_cnn_project, move_timeline, train, xor_project


def show_neurons(window, qtbot) -> None:
    window.neurons_dock.raise_()
    qtbot.waitUntil(lambda: window.neurons.isVisible())
    qtbot.wait(1)  # a redraw waits for the event loop's next turn


def drawn_lines(window) -> dict[tuple, tuple[str, float]]:
    """Each connection drawn, (layer column, from unit or None for the +1, to unit): its colour and width."""
    return {(c, i, j): (line.pen().color().name(), line.pen().widthF()) for c, i, j, line in window.neurons.drawing.lines}


def expected_colours(window, weights) -> dict[tuple, str]:
    """What the lines' colours should be for these weights: the sign of each weight (and bias)."""
    columns = window.neurons.drawing.columns
    colours = {}
    for c, i, j, _ in window.neurons.drawing.lines:
        name = columns[c].name
        value = weights[f"{name}.W"][i, j] if i is not None else weights[f"{name}.b"][j]
        colours[(c, i, j)] = (POSITIVE if value >= 0 else NEGATIVE).name()
    return colours


def test_the_lines_follow_the_weights_as_the_network_trains_and_after(make_window, qtbot):
    window = make_window(xor_project(epochs=100_000, lr=0.05))
    show_neurons(window, qtbot)
    assert len(window.neurons.drawing.lines) == 2 * 8 + 8 * 6 + 6 * 1 + (8 + 6 + 1)  # with the +1 units
    assert {colour for colour, _ in drawn_lines(window).values()} == {"#9aa3ad"}  # untrained: plain grey
    window.train_panel.start_button.click()
    qtbot.waitUntil(lambda: window.training.last_snapshot is not None and bool(window.training.last_snapshot.weights),
                    timeout=TRAINED_MS)
    qtbot.waitUntil(lambda: "#9aa3ad" not in {colour for colour, _ in drawn_lines(window).values()},
                    timeout=TRAINED_MS)
    first = drawn_lines(window)
    assert not window.neurons_dock.visibleRegion().isEmpty()  # starting kept the panel being watched on top
    qtbot.waitUntil(lambda: drawn_lines(window) != first, timeout=TRAINED_MS)  # they move as it learns
    window.train_panel.stop_button.click()
    qtbot.waitUntil(lambda: not window.training.busy, timeout=TRAINED_MS)
    qtbot.wait(50)
    final = window.project.weights
    assert {key: colour for key, (colour, _) in drawn_lines(window).items()} == expected_colours(window, final)
    widths = {key: width for key, (_, width) in drawn_lines(window).items() if key[0] == 2 and key[1] is not None}
    strongest = np.unravel_index(np.abs(final["dense_2.W"]).argmax(), final["dense_2.W"].shape)
    assert max(widths, key=widths.get) == (2, *strongest)  # the widest line is the largest weight


def test_the_timeline_replays_the_lines_of_a_past_epoch(make_window, qtbot):
    window = make_window(xor_project(epochs=5))
    show_neurons(window, qtbot)
    train(window, qtbot)
    final_lines = drawn_lines(window)
    move_timeline(window, 1)
    epoch_one = window.project.timeline[1]
    assert {key: colour for key, (colour, _) in drawn_lines(window).items()} == expected_colours(window, epoch_one)
    assert drawn_lines(window) != final_lines
    move_timeline(window, 5)
    assert drawn_lines(window) == final_lines


def test_the_drawing_follows_edits_and_says_why_it_cannot_draw_a_network(make_window, qtbot):
    window = make_window(xor_project())
    show_neurons(window, qtbot)
    graph = window.project.graph
    dense_1 = graph.find("dense_1")
    graph.set_params(dense_1, units=3)
    qtbot.waitUntil(lambda: len(window.neurons.drawing.columns[1].shown()) == 3)
    assert window.neurons.drawing.columns[1].caption == "hidden 3 tanh"
    assert window.neurons.view.isVisible() and not window.neurons.message.isVisible()

    conv = make_window(digits_cnn_project())
    show_neurons(conv, qtbot)
    assert conv.neurons.drawing is None and not conv.neurons.view.isVisible()
    assert conv.neurons.message.isVisible()
    assert conv.neurons.message.text() == "The neurons style draws chains of Dense layers; conv2d_1 is a Conv2D."


def test_the_drawing_on_show_exports_with_the_colours_of_the_epoch_replayed(make_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    window = make_window(xor_project(epochs=3))
    show_neurons(window, qtbot)
    train(window, qtbot)
    move_timeline(window, 1)
    target = tmp_path / "epoch1.svg"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *args, **kwargs: (str(target), "")))
    export = next(action for action in window.neurons.view.actions() if action.text().startswith("Export Drawing"))
    export.trigger()
    svg = target.read_text()
    assert "hidden 8 tanh" in svg and "output 1 sigmoid" in svg
    negatives = sum(colour == NEGATIVE.name() for colour in expected_colours(window, window.project.timeline[1]).values())
    assert svg.count(f'stroke="{NEGATIVE.name()}"') >= negatives > 0


def test_out_of_sight_the_lines_wait_and_catch_up_when_the_panel_is_raised(make_window, qtbot):
    window = make_window(xor_project(epochs=4))
    show_neurons(window, qtbot)  # drawn once, untrained: grey
    window.curves_dock.raise_()  # then the user watches the curves
    qtbot.wait(1)
    train(window, qtbot)
    assert {colour for colour, _ in drawn_lines(window).values()} == {"#9aa3ad"}  # no work for a hidden panel
    show_neurons(window, qtbot)
    colours = {key: colour for key, (colour, _) in drawn_lines(window).items()}
    assert colours == expected_colours(window, window.project.weights)
