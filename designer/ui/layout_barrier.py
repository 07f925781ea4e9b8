"""A frameless scroll area that keeps its contents' layout to itself.

A widget that shows or hides rows, or a word-wrapped label whose text changes,
asks its parent for a new layout, and that request goes up through the dock to
the main window, which lays itself out (and repaints) again: on every edit, for
the inspector and the summary's totals, which cost more than the edit. A scroll
area answers such requests itself; frameless, it looks like no widget at all.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QScrollArea, QWidget


def layout_barrier(contents: QWidget) -> QScrollArea:
    """`contents` in a frameless scroll area that fits them to its width (and scrolls them if it is too short)."""
    area = QScrollArea()
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidgetResizable(True)
    area.setWidget(contents)
    return area
