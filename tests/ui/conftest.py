"""Fixtures for the GUI tests: a private settings folder, no modal dialogs, and a shown main window."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture(autouse=True)
def config_dir(tmp_path, monkeypatch):
    """Settings, recent files and recovery files go to a temporary folder, never the real home."""
    folder = tmp_path / "config"
    monkeypatch.setenv("NN_DESIGNER_CONFIG_DIR", str(folder))
    return folder


@pytest.fixture(autouse=True)
def message_boxes(monkeypatch):
    """Record message boxes instead of blocking on them offscreen: {"warning": [texts], ...}.

    A question the test did not expect fails the test rather than hanging it.
    """
    shown: dict[str, list[str]] = {"warning": [], "information": [], "critical": []}

    def recorder(kind):
        def show(parent, title, text, *args, **kwargs):
            shown[kind].append(text)
            return QMessageBox.StandardButton.Ok
        return show

    def unexpected_question(parent, title, text, *args, **kwargs):
        raise AssertionError(f"an unexpected question was asked: {text}")

    for kind in shown:
        monkeypatch.setattr(QMessageBox, kind, staticmethod(recorder(kind)))
    monkeypatch.setattr(QMessageBox, "question", staticmethod(unexpected_question))
    return shown


@pytest.fixture
def make_window(qtbot):
    """Make shown main windows; unsaved work is discarded when the test ends."""
    from designer.ui import MainWindow

    def make(*args, **kwargs):
        window = MainWindow(*args, **kwargs)
        # a test that leaves changes must not block the closing window on a question
        window.ask_to_save_changes = lambda: QMessageBox.StandardButton.Discard
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        qtbot.wait(1)  # let the queued fit-to-window run
        return window

    return make


@pytest.fixture
def window(make_window):
    return make_window()
