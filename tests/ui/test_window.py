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


def test_each_group_of_tabbed_docks_shows_one_tab_bar_under_its_docks(make_window, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QTabBar

    window = make_window()
    qtbot.wait(1)
    bars = [bar for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly)
            if bar.isVisible()]
    shown = sorted([bar.tabText(index) for index in range(bar.count())] for bar in bars)
    assert shown == [["Inspector", "Train"],
                     ["Summary", "Problems", "Curves", "Weights", "Gradients", "Activations", "Filters",
                      "Decision Boundary", "Confusion", "Neurons"]]
    for bar in bars:  # each along the bottom of its docks, none left over the palette or the canvas
        assert bar.geometry().top() >= window.canvas.view.mapTo(window, window.canvas.view.rect().bottomLeft()).y()


def test_a_stray_tab_bar_left_over_the_docks_is_hidden_and_the_real_ones_kept(make_window, qtbot):
    """QMainWindow sometimes leaves a copy of a group's first tabs on screen (seen offscreen with PySide6 6.11)."""
    from PySide6.QtWidgets import QTabBar

    from designer.ui.dock_tabs import hide_stray_tab_bars

    window = make_window()
    qtbot.wait(1)
    stray = QTabBar(window)
    for title in ("Summary", "Problems"):
        stray.addTab(title)
    stray.setGeometry(84, 521, 400, 26)  # over the palette, where it was seen
    stray.show()
    real = [bar for bar in window.findChildren(QTabBar) if bar.isVisible() and bar is not stray]
    assert hide_stray_tab_bars(window) == [stray]
    assert not stray.isVisible() and all(bar.isVisible() for bar in real) and len(real) == 2
