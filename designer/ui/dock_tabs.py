"""A workaround for QMainWindow leaving a stray tab bar on screen.

With two groups of tabbed docks (Inspector and Train; the panels under the
canvas), QMainWindow (PySide6 6.11) makes one tab bar too many: a copy of a
group's first tabs, shown somewhere over the other docks, where it answers no
click (Spine Toolbox met the same "rogue QTabBar" with PySide6 6.5). A group's
real tab bar runs along the bottom edge of the group's dock on show; the
others are hidden.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QTabBar

from .on_screen import on_screen


def hide_stray_tab_bars(window: QMainWindow) -> list[QTabBar]:
    """Hide the tab bars that lie under none of their docks; returns them."""
    shown = [dock for dock in window.findChildren(QDockWidget) if not dock.isFloating() and on_screen(dock)]
    strays = []
    for bar in window.findChildren(QTabBar, options=Qt.FindChildOption.FindDirectChildrenOnly):
        if not bar.isVisible():
            continue
        titles = {bar.tabText(index) for index in range(bar.count())}
        place = bar.geometry()
        under_its_dock = any(
            abs(place.top() - dock.geometry().bottom() - 1) <= 2
            and place.left() < dock.geometry().right() and dock.geometry().left() < place.right()
            for dock in shown if dock.windowTitle() in titles)
        if not under_its_dock:
            bar.hide()
            strays.append(bar)
    return strays
