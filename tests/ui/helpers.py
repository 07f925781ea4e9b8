"""Driving the canvas with real mouse events, and reading what it shows."""

from __future__ import annotations

import json

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from designer.graph import graph_to_data

LEFT = Qt.MouseButton.LeftButton
NO_KEYS = Qt.KeyboardModifier.NoModifier


def snapshot(graph) -> str:
    """The whole graph as text: equal texts mean identical graphs (ids, names, params, positions, order, wires)."""
    return json.dumps(graph_to_data(graph), sort_keys=True)


def show_all(window) -> None:
    """Fit every layer into the view, so that the mouse can reach it."""
    window.canvas.view.fit()
    QApplication.processEvents()


def to_view(window, scene_pos: QPointF) -> QPoint:
    return window.canvas.view.mapFromScene(scene_pos)


def press(window, scene_pos: QPointF, modifiers=NO_KEYS) -> None:
    QTest.mousePress(window.canvas.view.viewport(), LEFT, modifiers, to_view(window, scene_pos))


def move(window, scene_pos: QPointF) -> None:
    QTest.mouseMove(window.canvas.view.viewport(), to_view(window, scene_pos))


def release(window, scene_pos: QPointF, modifiers=NO_KEYS) -> None:
    QTest.mouseRelease(window.canvas.view.viewport(), LEFT, modifiers, to_view(window, scene_pos))


def drag(window, start: QPointF, end: QPointF, steps: int = 6, modifiers=NO_KEYS) -> None:
    """Press at `start`, move in steps to `end`, release there (scene coordinates)."""
    press(window, start, modifiers)
    for i in range(1, steps + 1):
        t = i / steps
        move(window, QPointF(start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t))
    release(window, end, modifiers)


def item(window, node_id: str):
    return window.canvas.node_items()[node_id]


def body(window, node_id: str) -> QPointF:
    """A point on a layer's card, away from its ports and its title."""
    node = item(window, node_id)
    return node.mapToScene(QPointF(92, node.height - 14))


def wire(window, src: str, dst: str, port: int = 0) -> None:
    """Drag a wire from the output port of `src` to input `port` of `dst`."""
    drag(window, item(window, src).output_port_pos(), item(window, dst).input_port_pos(port))


def empty_spot(window) -> QPointF:
    """A scene point inside the view with no item under it."""
    view = window.canvas.view
    rect = view.viewport().rect()
    for x in range(10, rect.width(), 25):
        for y in range(10, rect.height(), 25):
            point = view.mapToScene(QPoint(x, y))
            if not window.canvas.scene.items(point):
                return point
    raise AssertionError("no empty place in the view")


def drop(widget, mime, pos: QPoint, move_first: bool = True) -> bool:
    """Drag `mime` into `widget` and drop it at `pos` (widget coordinates); True if the drop was taken.

    A drop goes to the widget that accepted the drag's entry, as in a real drag
    (QDrag.exec cannot be driven offscreen), so the entry is sent first. Without
    `move_first` the drop follows the entry directly: a real move would carry the
    entry's answer to a widget (the window) that only handles the entry.
    """
    def event(kind):
        return kind(pos, Qt.DropAction.CopyAction, mime, LEFT, NO_KEYS)

    enter = event(QDragEnterEvent)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    if move_first:
        QApplication.sendEvent(widget, event(QDragMoveEvent))
    dropped = QDropEvent(QPointF(pos), Qt.DropAction.CopyAction, mime, LEFT, NO_KEYS)
    QApplication.sendEvent(widget, dropped)
    return dropped.isAccepted()


def click(window, node_id: str) -> None:
    """Select a layer the way a person does: a click on its card."""
    QTest.mouseClick(window.canvas.view.viewport(), LEFT, NO_KEYS, to_view(window, body(window, node_id)))
    QApplication.processEvents()  # the inspector's new fields are shown by a queued call


def type_into(widget, text: str) -> None:
    """Replace a field's text by typing, then press Enter."""
    widget.setFocus()
    QTest.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(widget, text)
    QTest.keyClick(widget, Qt.Key.Key_Return)
