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
