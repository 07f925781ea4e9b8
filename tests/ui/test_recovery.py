"""Autosave and recovery: unsaved work is written aside and offered back after a crash."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox

from designer.graph import Project
from designer.ui import MainWindow, app_settings
from designer.ui.commands import ConnectCommand

from .helpers import snapshot


def unsaved_work(window):
    x = window.canvas.add_layer("Input", shape=(6,))
    d = window.canvas.add_layer("Dense", units=3)
    window.undo_stack.push(ConnectCommand(window.project, x, d, 0))
    return x, d


def test_autosave_writes_a_recovery_file_that_loads(window, config_dir):
    assert window.autosave() is None  # nothing unsaved, nothing written
    assert window.autosave_timer.isActive()
    unsaved_work(window)
    path = window.autosave()
    assert path is not None and path.is_file()
    assert path.parent == config_dir / "recovery" and path.suffix == ".nnproj"
    assert snapshot(Project.load(path).graph) == snapshot(window.project.graph)
    assert window.windowTitle() == "Untitled* - NN Designer"  # autosave is not a save
    window.canvas.add_layer("Dropout")
    assert window.autosave() == path  # the same file, brought up to date
    assert len(Project.load(path).graph) == 3
    assert MainWindow.recovery_files() == [path]


def test_a_new_window_offers_the_work_back_as_unsaved(make_window, tmp_path, monkeypatch):
    crashed = make_window()
    unsaved_work(crashed)
    path = crashed.autosave()
    expected = snapshot(crashed.project.graph)

    window = make_window()
    offered = []
    window.ask_to_recover = lambda files: offered.append(files) or True
    assert window.offer_recovery() is True
    assert offered == [[path]]
    assert snapshot(window.project.graph) == expected
    assert set(window.canvas.node_items()) == set(window.project.graph.nodes())
    assert window.dirty and window.windowTitle() == "Untitled* - NN Designer"
    assert window.path is None

    # saving it puts it in a real file and removes the recovery file
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda *a, **k: (str(tmp_path / "rescued.nnproj"), "")))
    assert window.save() is True
    assert not path.exists()
    assert list(app_settings.recovery_dir().glob("*.nnproj")) == []
    assert window.windowTitle() == "rescued.nnproj - NN Designer"


def test_declining_recovery_deletes_the_files(make_window):
    crashed = make_window()
    unsaved_work(crashed)
    path = crashed.autosave()
    window = make_window()
    window.ask_to_recover = lambda files: False
    assert window.offer_recovery() is False
    assert not path.exists()
    assert len(window.project.graph) == 0 and not window.dirty


def test_nothing_to_recover_asks_nothing(window):
    asked = []
    window.ask_to_recover = lambda files: asked.append(files) or True
    assert window.offer_recovery() is False
    assert asked == []


def test_closing_after_discarding_changes_removes_the_recovery_file(window):
    unsaved_work(window)
    path = window.autosave()
    window.ask_to_save_changes = lambda: QMessageBox.StandardButton.Discard
    assert window.close()
    assert not path.exists()


def test_a_damaged_recovery_file_shows_why(window, message_boxes):
    damaged = app_settings.recovery_dir() / "untitled-0123456789ab.nnproj"
    damaged.write_bytes(b"PK\x03\x04 cut short")
    window.ask_to_recover = lambda files: True
    assert window.offer_recovery() is False
    assert len(message_boxes["warning"]) == 1
    assert message_boxes["warning"][0].startswith("untitled-0123456789ab.nnproj is damaged")
    assert len(window.project.graph) == 0
