"""The window as a whole: its life cycle."""

from __future__ import annotations

import shiboken6
from PySide6.QtWidgets import QApplication


def test_a_window_with_unsaved_changes_is_deleted_quietly(qtbot):
    """Deleting a window clears its undo stack, which tells the title, on its way out, that the stack is clean."""
    from designer.ui import MainWindow

    window = MainWindow()
    QApplication.processEvents()  # the queued fit-to-window runs
    window.canvas.add_layer("Dense")
    assert window.dirty
    shiboken6.delete(window)
    QApplication.processEvents()


def test_a_new_window_opens_at_its_size_with_room_for_the_panels_under_the_canvas(make_window, qtbot):
    window = make_window()
    assert (window.width(), window.height()) == (1400, 880)  # no dock's minimum width stretched it
    qtbot.waitUntil(lambda: window.summary_dock.height() >= 260)  # the panels get room to show training
    canvas = window.canvas.view.geometry().translated(window.centralWidget().mapTo(window, window.rect().topLeft()))
    for side in (window.palette_dock, window.inspector_dock):  # the side docks run the window's full height
        assert side.geometry().bottom() > window.summary_dock.geometry().top()
    assert window.summary_dock.geometry().left() >= window.palette_dock.geometry().right()
    assert canvas.width() > 500 and canvas.height() > 300
    window.resize(1000, 700)
    qtbot.waitUntil(lambda: window.width() == 1000)  # and it can be made smaller
