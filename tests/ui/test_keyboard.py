"""Keyboard use: the edit shortcuts act on the canvas, and a half-typed value is not lost or misapplied."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from .helpers import NO_KEYS, body, click, show_all, snapshot, to_view

CTRL = Qt.KeyboardModifier.ControlModifier


def active(window, qtbot):
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def two_layers(window):
    graph = window.project.graph
    a = graph.add_layer("Dense", pos=(0, 0))
    b = graph.add_layer("Dense", pos=(300, 0))
    graph.connect(a, b)
    show_all(window)
    return a, b


def press_keys(widget, sequence: str) -> None:
    combo = QKeySequence(sequence)[0]
    QTest.keyClick(widget, combo.key(), combo.keyboardModifiers())


def test_delete_undo_and_redo_from_the_keyboard(window, qtbot):
    active(window, qtbot)
    a, b = two_layers(window)
    before = snapshot(window.project.graph)
    click(window, a)
    view = window.canvas.view
    assert QApplication.focusWidget() in (view, view.viewport())
    QTest.keyClick(view.viewport(), Qt.Key.Key_Delete)
    assert window.project.graph.nodes() == [b]
    press_keys(view.viewport(), QKeySequence(QKeySequence.StandardKey.Undo).toString())
    assert snapshot(window.project.graph) == before
    press_keys(view.viewport(), QKeySequence(QKeySequence.StandardKey.Redo).toString())
    assert window.project.graph.nodes() == [b]


def test_select_all_copy_and_paste_from_the_keyboard(window, qtbot):
    active(window, qtbot)
    a, b = two_layers(window)
    click(window, a)
    viewport = window.canvas.view.viewport()
    QTest.keyClick(viewport, Qt.Key.Key_A, CTRL)
    assert window.canvas.selected_node_ids() == [a, b]
    QTest.keyClick(viewport, Qt.Key.Key_C, CTRL)
    QTest.keyClick(viewport, Qt.Key.Key_V, CTRL)
    graph = window.project.graph
    assert [graph.name(n) for n in graph.nodes()] == ["dense_1", "dense_2", "dense_3", "dense_4"]
    assert len(graph.edges()) == 2
    QTest.keyClick(viewport, Qt.Key.Key_D, CTRL)  # duplicate what the paste selected
    assert len(graph) == 6 and len(graph.edges()) == 3
    assert window.undo_stack.count() == 2


def test_delete_in_a_text_field_deletes_text_not_layers(window, qtbot):
    active(window, qtbot)
    a, b = two_layers(window)
    click(window, a)
    name = window.inspector.name
    name.setFocus()
    name.setCursorPosition(0)
    QTest.keyClick(name, Qt.Key.Key_Delete)
    assert name.text() == "ense_1"
    assert window.project.graph.nodes() == [a, b]


def test_a_name_typed_without_enter_is_applied_to_its_own_layer_when_another_is_clicked(window, qtbot):
    active(window, qtbot)
    a, b = two_layers(window)
    click(window, a)
    name = window.inspector.name
    name.setFocus()
    name.selectAll()
    QTest.keyClicks(name, "encoder")
    click(window, b)  # focus leaves the field: the edit is finished, for the layer it was typed for
    graph = window.project.graph
    assert graph.name(a) == "encoder" and graph.name(b) == "dense_2"
    assert window.inspector.name.text() == "dense_2"


def test_a_number_typed_without_enter_is_applied_to_its_own_layer_when_another_is_clicked(window, qtbot):
    active(window, qtbot)
    a, b = two_layers(window)
    click(window, a)
    spin = window.inspector.fields["units"].widget
    spin.setFocus()
    spin.selectAll()
    QTest.keyClicks(spin, "64")
    click(window, b)
    graph = window.project.graph
    assert graph.params(a)["units"] == 64 and graph.params(b)["units"] == 16
    assert window.inspector.fields["units"].widget.value() == 16


def test_zoom_actions_stay_within_bounds_and_show_the_zoom(window):
    view = window.canvas.view
    for _ in range(30):
        window.zoom_in_action.trigger()
    assert view.zoom == 4.0 and window.zoom_label.text() == "400%"
    for _ in range(60):
        window.zoom_out_action.trigger()
    assert abs(view.zoom - 0.1) < 1e-9 and window.zoom_label.text() == "10%"


def test_the_middle_button_pans_without_editing(window):
    a, b = two_layers(window)
    view = window.canvas.view
    view.set_zoom(3.0)  # the drawing is now larger than the view, so there is room to pan
    view.centerOn(window.canvas.scene.itemsBoundingRect().center())
    start = to_view(window, body(window, a))
    bar = view.horizontalScrollBar().value(), view.verticalScrollBar().value()
    middle = Qt.MouseButton.MiddleButton
    QTest.mousePress(view.viewport(), middle, NO_KEYS, start)
    QTest.mouseMove(view.viewport(), start + QPointF(-40, -30).toPoint())
    QTest.mouseRelease(view.viewport(), middle, NO_KEYS, start + QPointF(-40, -30).toPoint())
    assert view.horizontalScrollBar().value() == bar[0] + 40  # (the drawing is too low to pan up and down)
    assert window.project.graph.pos(a) == (0.0, 0.0)
    assert window.undo_stack.count() == 0
