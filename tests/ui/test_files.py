"""Files through the window: save, open, the title, unsaved changes, damaged files, recent files, drops."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QMimeData, QPoint, QUrl
from PySide6.QtWidgets import QFileDialog, QMessageBox

from designer.graph import Project, ProjectFileError
from designer.ui import app_settings

from .helpers import drop, snapshot

Button = QMessageBox.StandardButton


def menu_action(window, menu_title: str, action_text: str):
    """An action as the menu bar offers it (so a test fails if the menu loses it)."""
    for menu_action_ in window.menuBar().actions():
        if menu_action_.text() == menu_title:
            for action in menu_action_.menu().actions():
                if action.text() == action_text:
                    return action
    raise AssertionError(f"no {action_text} in the {menu_title} menu")


def build(window):
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(3,))
    d = graph.add_layer("Dense", pos=(250, 10), units=2, activation="tanh")
    graph.connect(x, d)
    window.project.weights = {"dense_1.W": np.arange(6.0).reshape(3, 2), "dense_1.b": np.zeros(2)}
    window.canvas.add_layer("Dropout")  # an edit through the window, so there is unsaved work
    return x, d


def saved_project(tmp_path, name="other.nnproj"):
    project = Project()
    x = project.graph.add_layer("Input", pos=(0, 0), shape=(5,))
    r = project.graph.add_layer("RBF", pos=(300, 0), units=4)
    project.graph.connect(x, r)
    path = tmp_path / name
    project.save(path)
    return path, project


def patch_save_dialog(monkeypatch, path):
    asked = []

    def ask(*args, **kwargs):
        asked.append(args)
        return (str(path), "NN Designer projects (*.nnproj)")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    return asked


def patch_open_dialog(monkeypatch, path):
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda *args, **kwargs: (str(path), "NN Designer projects (*.nnproj)")))


def test_save_as_writes_a_file_that_loads_back_identical(window, tmp_path, monkeypatch):
    build(window)
    assert window.windowTitle() == "Untitled* - NN Designer"
    asked = patch_save_dialog(monkeypatch, tmp_path / "net")  # the ending is added
    menu_action(window, "&File", "Save &As...").trigger()
    path = tmp_path / "net.nnproj"
    assert asked and path.is_file()
    loaded = Project.load(path)
    assert snapshot(loaded.graph) == snapshot(window.project.graph)
    assert sorted(loaded.weights) == ["dense_1.W", "dense_1.b"]
    np.testing.assert_array_equal(loaded.weights["dense_1.W"], window.project.weights["dense_1.W"])
    assert window.windowTitle() == "net.nnproj - NN Designer"
    assert window.path == path
    assert window.statusBar().currentMessage() == "Saved net.nnproj."


def test_the_title_marks_unsaved_changes_until_saved(window, tmp_path, monkeypatch):
    patch_save_dialog(monkeypatch, tmp_path / "t.nnproj")
    assert window.windowTitle() == "Untitled - NN Designer"
    window.canvas.add_layer("Dense")
    assert window.windowTitle() == "Untitled* - NN Designer"
    menu_action(window, "&File", "&Save").trigger()  # no file yet: Save asks where
    assert window.windowTitle() == "t.nnproj - NN Designer"
    window.canvas.add_layer("Dense")
    assert window.windowTitle() == "t.nnproj* - NN Designer"
    window.undo_stack.undo()  # back to what is on disk
    assert window.windowTitle() == "t.nnproj - NN Designer"
    window.undo_stack.redo()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: pytest.fail("asked again")))
    menu_action(window, "&File", "&Save").trigger()
    assert window.windowTitle() == "t.nnproj - NN Designer"
    assert len(Project.load(tmp_path / "t.nnproj").graph) == 2


def test_cancelling_the_save_dialog_saves_nothing(window, tmp_path, monkeypatch):
    window.canvas.add_layer("Dense")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert window.save() is False
    assert window.windowTitle() == "Untitled* - NN Designer"
    assert list(tmp_path.glob("*.nnproj")) == []


def test_open_through_the_menu_shows_the_file(window, tmp_path, monkeypatch):
    path, project = saved_project(tmp_path)
    patch_open_dialog(monkeypatch, path)
    menu_action(window, "&File", "&Open...").trigger()
    assert window.path == path
    assert snapshot(window.project.graph) == snapshot(project.graph)
    assert set(window.canvas.node_items()) == set(project.graph.nodes())
    assert len(window.canvas.edge_items()) == 1
    assert window.windowTitle() == "other.nnproj - NN Designer"
    assert window.undo_stack.count() == 0
    assert window.statusBar().currentMessage() == "Opened other.nnproj."
    # the docks show the new project
    assert [texts[0] for texts in window.summary.rows_shown()] == ["input_1", "rbf_1"]
    # and edits go to it
    window.canvas.add_layer("Dense")
    assert len(window.project.graph) == 3 and window.windowTitle() == "other.nnproj* - NN Designer"


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_the_window(window, monkeypatch):
    window.canvas.add_layer("Dense")
    asked = []
    monkeypatch.setattr(window, "ask_to_save_changes", lambda: asked.append(1) or Button.Cancel)
    assert window.close() is False
    assert asked == [1] and window.isVisible()
    assert len(window.project.graph) == 1
    monkeypatch.setattr(window, "ask_to_save_changes", lambda: asked.append(2) or Button.Discard)
    assert window.close() is True
    assert asked == [1, 2] and not window.isVisible()


def test_closing_with_save_chosen_saves_first(window, tmp_path, monkeypatch):
    window.canvas.add_layer("Dense")
    patch_save_dialog(monkeypatch, tmp_path / "kept.nnproj")
    monkeypatch.setattr(window, "ask_to_save_changes", lambda: Button.Save)
    assert window.close() is True
    assert len(Project.load(tmp_path / "kept.nnproj").graph) == 1


def test_closing_a_saved_project_asks_nothing(window, monkeypatch):
    monkeypatch.setattr(window, "ask_to_save_changes", lambda: pytest.fail("asked about a clean project"))
    assert window.close() is True


def damaged_files(tmp_path):
    good, _ = saved_project(tmp_path, "good.nnproj")
    data = good.read_bytes()
    files = {
        "truncated.nnproj": data[: len(data) // 2],
        "text.nnproj": b"this is not a project at all",
        "empty.nnproj": b"",
    }
    paths = []
    for name, content in files.items():
        (tmp_path / name).write_bytes(content)
        paths.append(tmp_path / name)
    return paths


def test_opening_a_damaged_file_shows_why_and_keeps_the_project(window, tmp_path, monkeypatch, message_boxes):
    build(window)
    monkeypatch.setattr(window, "ask_to_save_changes", lambda: Button.Discard)
    project, before, steps = window.project, snapshot(window.project.graph), window.undo_stack.count()
    for path in damaged_files(tmp_path):
        with pytest.raises(ProjectFileError) as reason:
            Project.load(path)
        patch_open_dialog(monkeypatch, path)
        message_boxes["warning"].clear()
        menu_action(window, "&File", "&Open...").trigger()
        assert message_boxes["warning"] == [str(reason.value)]
        sentence = str(reason.value)
        assert sentence.startswith(path.name) and sentence.endswith(".") and "\n" not in sentence
        assert window.statusBar().currentMessage() == sentence
        assert window.project is project and snapshot(window.project.graph) == before
        assert window.undo_stack.count() == steps and window.dirty
        assert window.path is None and window.windowTitle() == "Untitled* - NN Designer"
        assert set(window.canvas.node_items()) == set(project.graph.nodes())
    assert app_settings.recent_files() == []


def test_recent_files_are_remembered_and_open_from_the_menu(window, tmp_path, monkeypatch, config_dir):
    first, _ = saved_project(tmp_path, "first.nnproj")
    second, project = saved_project(tmp_path, "second.nnproj")
    assert window.open_file(first) and window.open_file(second)
    assert app_settings.recent_files() == [str(second.resolve()), str(first.resolve())]
    assert (config_dir / "settings.ini").is_file()  # in the test's folder, not the real home
    window.recent_menu.aboutToShow.emit()
    actions = window.recent_menu.actions()
    assert [a.text() for a in actions] == ["second.nnproj", "first.nnproj"]
    actions[1].trigger()
    assert window.path == first
    assert app_settings.recent_files()[0] == str(first.resolve())


def test_the_recent_menu_says_when_there_is_nothing(window):
    window.recent_menu.aboutToShow.emit()
    assert [(a.text(), a.isEnabled()) for a in window.recent_menu.actions()] == [("No recent projects", False)]


def file_drop(path):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def test_dropping_a_project_file_on_the_window_opens_it(window, tmp_path):
    path, project = saved_project(tmp_path)
    assert drop(window, file_drop(path), QPoint(20, 20), move_first=False)
    assert window.path == path and snapshot(window.project.graph) == snapshot(project.graph)


def test_dropping_a_project_file_on_the_canvas_opens_it(window, tmp_path):
    path, project = saved_project(tmp_path)
    viewport = window.canvas.view.viewport()
    assert drop(viewport, file_drop(path), viewport.rect().center(), move_first=False)
    assert window.path == path and snapshot(window.project.graph) == snapshot(project.graph)


def test_dropping_another_kind_of_file_does_nothing(window, tmp_path):
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    assert not drop(window, file_drop(other), QPoint(20, 20), move_first=False)
    assert window.path is None and len(window.project.graph) == 0


def test_saving_where_it_cannot_write_shows_why(window, tmp_path, monkeypatch, message_boxes):
    window.canvas.add_layer("Dense")
    patch_save_dialog(monkeypatch, tmp_path / "no such folder" / "x.nnproj")
    assert window.save() is False
    assert len(message_boxes["warning"]) == 1 and message_boxes["warning"][0].startswith("x.nnproj cannot be saved")
    assert window.windowTitle() == "Untitled* - NN Designer" and window.path is None
