"""The Hopfield workspace, driven as a person drives it: mouse strokes on the pattern grid, buttons, the animation."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtTest import QTest

from designer import NetworkGraph, Project
from designer.data.letters import pattern
from designer.engine.hopfield import HopfieldNetwork, network_from_project, store_in_project
from designer.engine.hopfield_analysis import capacity_experiment
from designer.ui.commands import RemoveLayersCommand, SetParamsCommand
from designer.ui.hopfield.memory import letter, pattern_names
from designer.ui.hopfield.workspace import CAPACITY_LOADS, speed_rate

from .helpers import NO_KEYS, body, show_all, to_view

LEFT, RIGHT = Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton


@pytest.fixture(autouse=True)
def private_config(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_DESIGNER_CONFIG_DIR", str(tmp_path / "config"))


def hopfield_project(shape=(10, 10), rule="hebbian", letters="", name="memory") -> Project:
    graph = NetworkGraph()
    graph.add_layer("Hopfield", name=name, shape=shape, rule=rule)
    project = Project(graph=graph)
    if letters:
        store_in_project(project, HopfieldNetwork(shape[0] * shape[1]), np.stack([letter(c, shape) for c in letters]))
    return project


@pytest.fixture
def open_project(make_window, qtbot, tmp_path):
    """Save a project, open it in a window as a user does; a one-Hopfield project opens its workspace."""

    def make(project: Project, filename: str = "memory.nnproj"):
        path = tmp_path / filename
        project.save(path)
        window = make_window()
        assert window.open_file(path, ask=False)
        workspaces = list(window.hopfield.workspaces.values())
        if workspaces:
            qtbot.waitExposed(workspaces[0])
        return window, (workspaces[0] if workspaces else None)

    return make


def stroke(editor, cells, button=LEFT) -> None:
    """Press on the first cell, move through the others, release on the last."""
    QTest.mousePress(editor, button, NO_KEYS, editor.cell_centre(*cells[0]))
    for cell in cells[1:]:
        QTest.mouseMove(editor, editor.cell_centre(*cell))
    QTest.mouseRelease(editor, button, NO_KEYS, editor.cell_centre(*cells[-1]))


def click(qtbot, button) -> None:
    assert button.isEnabled(), button.text()
    qtbot.mouseClick(button, LEFT)


def wait_idle(qtbot, workspace) -> None:
    qtbot.waitUntil(lambda: not workspace.busy, timeout=10_000)


def engine_network(project: Project) -> HopfieldNetwork:
    """The network the saved arrays hold, read by the engine alone."""
    return network_from_project(project)


def recall_to_the_end(qtbot, workspace) -> None:
    with qtbot.waitSignal(workspace.animation_finished, timeout=10_000):
        click(qtbot, workspace.recall_button)


# --- drawing, storing, corrupting, recalling ------------------------------------------------------------


def test_draw_store_corrupt_recall_animates_to_the_engines_final_state(open_project, qtbot):
    window, workspace = open_project(hopfield_project())
    assert workspace is not None and workspace.isVisible()
    editor = workspace.editor
    stroke(editor, [(2, 1), (2, 4), (2, 8)])  # a fast drag still fills every cell between
    assert editor.pattern()[2, 1:9].tolist() == [1] * 8
    stroke(editor, [(2, 4)], RIGHT)  # the right button erases
    assert editor.pattern()[2, 4] == -1 and int((editor.pattern() > 0).sum()) == 7
    click(qtbot, workspace.add_button)
    wait_idle(qtbot, workspace)
    assert len(workspace.network.patterns) == 1
    assert window.dirty and window.undo_stack.undoText().startswith("Store a pattern")
    for name in "ATX":
        workspace.put_letter(name)
        click(qtbot, workspace.add_button)
        wait_idle(qtbot, workspace)
    assert workspace.pattern_list.count() == 4
    assert [workspace.pattern_list.item(i).text() for i in range(4)] == ["0", "1 A", "2 T", "3 X"]

    item = workspace.pattern_list.item(1)
    qtbot.wait(1)  # the icon view lays its items out lazily
    where = workspace.pattern_list.visualItemRect(item).center()
    qtbot.mouseClick(workspace.pattern_list.viewport(), LEFT, pos=where)  # a double-click starts with a click
    qtbot.mouseDClick(workspace.pattern_list.viewport(), LEFT, pos=where)
    assert np.array_equal(editor.pattern(), letter("A", (10, 10)))
    workspace.noise_slider.setValue(20)
    click(qtbot, workspace.corrupt_button)
    start = editor.pattern()
    assert int((start != letter("A", (10, 10))).sum()) == 20
    workspace.speed.setValue(workspace.speed.maximum())
    recall_to_the_end(qtbot, workspace)

    run = workspace.last_run
    network = engine_network(window.project)
    engine = network.recall(start, seed=run.seed, max_sweeps=workspace.max_sweeps.value())
    assert np.array_equal(workspace.shown_state(), engine.final.reshape(10, 10))
    assert np.array_equal(engine.flips, run.result.flips)
    xs, ys = workspace.energy_curve.getData()
    assert len(xs) >= len(engine.flips) + 1 > 1  # a point per flip, from the start
    assert ys[0] == pytest.approx(network.energy(start))
    assert ys[-1] == pytest.approx(network.energy(engine.final))
    assert np.all(np.diff(ys) <= 1e-9)  # never rising in asynchronous updates
    assert xs[-1] == pytest.approx(engine.sweeps)
    heights = workspace.overlap_bars.opts["height"]
    assert np.allclose(heights, engine.overlaps)
    assert "final state is" in workspace.run_label.text()
    assert not workspace.pause_button.isEnabled()


def test_step_goes_one_flip_at_a_time(open_project, qtbot):
    window, workspace = open_project(hopfield_project(letters="AJLTX"))
    workspace.put_letter("T")
    workspace.noise_slider.setValue(30)
    click(qtbot, workspace.corrupt_button)
    start = workspace.editor.pattern()
    click(qtbot, workspace.step_button)
    qtbot.waitUntil(lambda: workspace.replay is not None and workspace.replay.applied == 1, timeout=10_000)
    assert int((workspace.shown_state() != start).sum()) == 1
    click(qtbot, workspace.step_button)
    assert workspace.replay.applied == 2
    assert int((workspace.shown_state() != start).sum()) == 2
    xs, ys = workspace.energy_curve.getData()
    assert len(xs) == 3 and ys[2] <= ys[1] <= ys[0]
    assert workspace.pause_button.text() == "Resume"
    with qtbot.waitSignal(workspace.animation_finished, timeout=10_000):
        workspace.speed.setValue(10)
        click(qtbot, workspace.pause_button)  # resume to the end
    assert np.array_equal(workspace.shown_state().ravel(), workspace.last_run.result.final)


def test_sweep_by_sweep_and_synchronous_recall(open_project, qtbot):
    window, workspace = open_project(hopfield_project(letters="AJLTX"))
    workspace.show_combo.setCurrentIndex(1)
    workspace.speed.setValue(10)
    workspace.put_letter("X")
    workspace.noise_slider.setValue(25)
    click(qtbot, workspace.corrupt_button)
    recall_to_the_end(qtbot, workspace)
    result = workspace.last_run.result
    xs, ys = workspace.energy_curve.getData()
    assert xs.tolist() == list(range(result.sweeps + 1))
    assert np.allclose(ys, result.energies)
    workspace.mode_combo.setCurrentIndex(1)  # synchronous: replayed sweep by sweep whatever is chosen
    workspace.show_combo.setCurrentIndex(0)
    recall_to_the_end(qtbot, workspace)
    run = workspace.last_run
    assert run.mode == "sync" and workspace.replay.by_neuron is False
    assert np.array_equal(workspace.shown_state().ravel(), run.result.final)


def test_mask_clear_invert_and_letters(open_project, qtbot):
    window, workspace = open_project(hopfield_project(shape=(12, 8)))
    editor = workspace.editor
    workspace.put_letter("H")
    letter_h = letter("H", (12, 8))
    assert np.array_equal(editor.pattern(), letter_h)
    click(qtbot, workspace.tool_buttons["mask"])
    stroke(editor, [(6, 0), (9, 4), (11, 7)])
    expected = letter_h.copy()
    expected[6:, :] = -1
    assert np.array_equal(editor.pattern(), expected)
    click(qtbot, workspace.tool_buttons["draw"])
    click(qtbot, workspace.invert_button)
    assert np.array_equal(editor.pattern(), -expected)
    click(qtbot, workspace.clear_button)
    assert np.all(editor.pattern() == -1)
    click(qtbot, workspace.tool_buttons["erase"])
    workspace.editor.set_pattern(np.ones((12, 8)))
    stroke(editor, [(0, 0), (0, 7)])
    assert np.all(editor.pattern()[0] == -1) and np.all(editor.pattern()[1:] == 1)
    assert not window.dirty  # editing the start pattern is not an edit of the project


def test_png_import_is_thresholded_to_ink_and_paper(open_project, qtbot, tmp_path):
    window, workspace = open_project(hopfield_project(shape=(8, 8)))
    image = QImage(40, 40, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))  # transparent counts as paper
    painter = QPainter(image)
    painter.fillRect(0, 0, 20, 40, QColor("#101010"))
    painter.fillRect(20, 0, 20, 20, QColor("#f0f0f0"))
    painter.end()
    path = tmp_path / "half.png"
    assert image.save(str(path))
    assert workspace.import_image(path)
    grid = workspace.editor.pattern()
    assert np.all(grid[:, :4] == 1) and np.all(grid[:, 4:] == -1)
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    assert not workspace.import_image(text)
    assert "notes.png is not an image" in workspace.status.text()
    assert np.array_equal(workspace.editor.pattern(), grid)


# --- the memory in the project --------------------------------------------------------------------------


def test_save_and_reopen_keeps_patterns_and_weights(open_project, qtbot, tmp_path):
    window, workspace = open_project(hopfield_project(rule="storkey"))
    for name in "CEZ":
        workspace.put_letter(name)
        click(qtbot, workspace.add_button)
        wait_idle(qtbot, workspace)
    weights = workspace.network.weights.copy()
    assert window.dirty
    path = tmp_path / "saved.nnproj"
    assert window.save_to(path)
    assert not window.dirty
    saved = Project.load(path)
    assert saved.weights["memory.patterns"].shape == (3, 10, 10)
    assert saved.weights["memory.weights"].tobytes() == weights.tobytes()

    again, reopened = open_project(saved, "again.nnproj")
    assert reopened is not None
    assert [reopened.pattern_list.item(i).text() for i in range(3)] == ["0 C", "1 E", "2 Z"]
    assert reopened.network.weights.tobytes() == weights.tobytes()
    assert reopened.rule_combo.currentText() == "storkey"
    expected = np.stack([letter(c, (10, 10)) for c in "CEZ"]).reshape(3, 100)
    assert np.array_equal(reopened.network.patterns, expected)


def test_remove_and_undo_redo_follow_the_workspace(open_project, qtbot):
    window, workspace = open_project(hopfield_project(letters="AJL"))
    weights = workspace.network.weights.copy()
    workspace.pattern_list.setCurrentRow(1)
    click(qtbot, workspace.remove_button)
    wait_idle(qtbot, workspace)
    assert pattern_names(workspace.network.patterns, (10, 10)) == ["0 A", "1 L"]
    assert window.project.weights["memory.patterns"].shape == (2, 10, 10)
    window.undo_stack.undo()
    assert workspace.pattern_list.count() == 3
    assert np.array_equal(workspace.network.weights, weights)
    assert not window.dirty
    window.undo_stack.redo()
    assert workspace.pattern_list.count() == 2


def test_changing_the_rule_edits_the_node_and_stores_again(open_project, qtbot):
    window, workspace = open_project(hopfield_project(letters="AJLTX"))
    project = window.project
    node = project.graph.find("memory")
    hebbian = workspace.network.weights.copy()
    workspace.rule_combo.setCurrentText("pseudoinverse")
    wait_idle(qtbot, workspace)
    assert project.graph.params(node)["rule"] == "pseudoinverse"
    patterns = np.stack([letter(c, (10, 10)) for c in "AJLTX"])
    reference = HopfieldNetwork(100)
    reference.store(patterns, "pseudoinverse")
    assert np.allclose(workspace.network.weights, reference.weights)
    assert window.undo_stack.count() == 1  # one step: the rule and the weights together
    assert "press Store" not in workspace.status.text()
    window.undo_stack.undo()
    assert project.graph.params(node)["rule"] == "hebbian"
    assert workspace.rule_combo.currentText() == "hebbian"
    assert np.array_equal(workspace.network.weights, hebbian)
    assert "press Store" not in workspace.status.text()

    # the rule changed elsewhere (the inspector): the workspace says the weights are stale, Store fixes them
    window.undo_stack.push(SetParamsCommand(project, node, {"rule": "storkey"}))
    assert workspace.rule_combo.currentText() == "storkey"
    assert "press Store" in workspace.status.text()
    click(qtbot, workspace.store_button)
    wait_idle(qtbot, workspace)
    reference.store(patterns, "storkey")
    assert np.allclose(workspace.network.weights, reference.weights)
    assert "press Store" not in workspace.status.text()


def test_a_new_shape_empties_the_editor_and_says_the_memory_no_longer_fits(open_project, qtbot):
    window, workspace = open_project(hopfield_project(letters="AJ"))
    node = window.project.graph.find("memory")
    window.undo_stack.push(SetParamsCommand(window.project, node, {"shape": (6, 7)}))
    assert workspace.editor.shape == (6, 7)
    assert workspace.network.patterns.shape == (0, 42)
    assert "Store patterns to replace them" in workspace.status.text()
    assert "6 x 7" in workspace.windowTitle()
    workspace.put_letter("A")
    click(qtbot, workspace.add_button)
    wait_idle(qtbot, workspace)
    assert window.project.weights["memory.patterns"].shape == (1, 6, 7)


# --- reaching the workspace -----------------------------------------------------------------------------


def test_double_click_menu_and_action_open_the_workspace_of_a_hopfield_layer(open_project, qtbot):
    graph = NetworkGraph()
    graph.connect(graph.add_layer("Input", pos=(0, 0)), graph.add_layer("Dense", pos=(240, 0)))
    node = graph.add_layer("Hopfield", name="memory", pos=(0, 200), shape=(5, 5))
    window, workspace = open_project(Project(graph=graph), "mixed.nnproj")
    assert workspace is None  # not a Hopfield-only project: nothing opens by itself
    show_all(window)
    QTest.mouseDClick(window.canvas.view.viewport(), LEFT, NO_KEYS, to_view(window, body(window, node)))
    workspace = window.hopfield.workspaces.get(node)
    assert workspace is not None and workspace.isVisible()
    assert workspace.editor.shape == (5, 5)
    workspace.close()
    assert node not in window.hopfield.workspaces
    menu = window.hopfield.node_menu(node)
    assert [a.text() for a in menu.actions()] == ["Open Hopfield Workspace"]
    menu.actions()[0].trigger()
    assert window.hopfield.workspaces[node].isVisible()
    window.hopfield.workspaces[node].close()
    assert window.hopfield_action in window.menuBar().actions()[2].menu().actions()
    window.hopfield_action.trigger()  # the only Hopfield layer: no need to select it
    workspace = window.hopfield.workspaces[node]
    window.undo_stack.push(RemoveLayersCommand(window.project, [node]))
    qtbot.waitUntil(lambda: node not in window.hopfield.workspaces)


def test_the_action_without_a_hopfield_layer_says_what_to_do(window):
    window.hopfield_action.trigger()
    assert not window.hopfield.workspaces
    assert "Add a Hopfield layer" in window.statusBar().currentMessage()


def test_a_grid_too_big_for_the_editor_is_refused_in_one_sentence(open_project, message_boxes):
    window, workspace = open_project(hopfield_project(shape=(80, 80)))
    assert workspace is None
    assert len(message_boxes["warning"]) == 1 and "up to 64 x 64" in message_boxes["warning"][0]


def test_opening_another_project_closes_the_workspace(open_project, tmp_path):
    window, workspace = open_project(hopfield_project(letters="A"))
    other = Project()
    other.graph.add_layer("Dense")
    path = tmp_path / "other.nnproj"
    other.save(path)
    assert window.open_file(path, ask=False)
    assert not window.hopfield.workspaces


def test_published_example_opens_ready_to_recall(make_window, qtbot):
    from pathlib import Path

    example = Path(__file__).resolve().parents[2] / "resources" / "examples" / "hopfield_letters.nnproj"
    project = Project.load(example)
    assert project.title and "Recall" in project.description
    window = make_window()
    assert window.open_file(example, ask=False)
    workspace = window.hopfield.workspaces[project.graph.nodes()[0]]
    assert [workspace.pattern_list.item(i).text() for i in range(5)] == ["0 A", "1 J", "2 L", "3 T", "4 X"]
    workspace.to_editor(0)
    workspace.speed.setValue(10)
    recall_to_the_end(qtbot, workspace)
    assert np.array_equal(workspace.shown_state(), letter("A", (10, 10)))
    assert "stored pattern 0 A" in workspace.run_label.text()


# --- the capacity plot and the rest ---------------------------------------------------------------------


def test_capacity_experiment_runs_in_a_worker_and_plots_each_rule(open_project, qtbot):
    window, workspace = open_project(hopfield_project())
    workspace.tabs.setCurrentIndex(2)
    workspace.capacity_neurons.setValue(24)
    workspace.capacity_trials.setValue(1)
    with qtbot.waitSignal(workspace.capacity_finished, timeout=20_000):
        click(qtbot, workspace.capacity_run)
        assert not workspace.capacity_run.isEnabled()
    assert workspace.capacity_progress.value() == len(CAPACITY_LOADS)
    curves = {rule: curve.getData() for rule, curve in workspace.capacity_curves.items()}
    for xs, ys in curves.values():
        assert len(xs) == len(CAPACITY_LOADS)
    reference = capacity_experiment(24, [CAPACITY_LOADS[-1]], trials=1, seed=len(CAPACITY_LOADS) - 1)
    assert curves["hebbian"][1][-1] == pytest.approx(reference.success_rate["hebbian"][0])
    assert curves["pseudoinverse"][1][-1] >= curves["hebbian"][1][-1]


def test_weights_tab_shows_the_matrix(open_project):
    window, workspace = open_project(hopfield_project(letters="AJ"))
    shown = workspace.weights_image.image
    assert shown.shape == (100, 100)
    assert np.allclose(shown, workspace.network.weights)
    assert "100 x 100" in workspace.weights_label.text()


def test_speed_slider_spans_slow_to_fast():
    assert speed_rate(1, True) < 5 and speed_rate(10, True) > 5000
    assert speed_rate(1, False) < 1 and speed_rate(10, False) > 20


def test_closing_the_window_with_a_run_under_way(open_project, qtbot):
    window, workspace = open_project(hopfield_project(letters="AJLTX"))
    workspace.put_letter("J")
    workspace.speed.setValue(1)
    click(qtbot, workspace.recall_button)
    window.close()  # waits for the worker; no thread is left running
    assert not window.hopfield.workspaces


def test_letters_fit_any_grid():
    assert np.array_equal(letter("L", (10, 10)), pattern("L").astype(np.int8))
    big = letter("T", (20, 30))
    assert big.shape == (20, 30) and big.dtype == np.int8 and set(np.unique(big)) == {-1, 1}
