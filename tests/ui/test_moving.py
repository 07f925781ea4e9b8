"""Moving cards with the mouse: one drag is one undo step, for one card or a selected group."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPointF, QRectF

from .helpers import body, drag, item, show_all, snapshot


def positions(window, ids):
    graph = window.project.graph
    return {n: graph.pos(n) for n in ids}


def item_positions(window, ids):
    return {n: (item(window, n).pos().x(), item(window, n).pos().y()) for n in ids}


def test_dragging_a_card_moves_the_layer_in_one_undo_step(window):
    graph = window.project.graph
    a = graph.add_layer("Dense", pos=(0, 0))
    b = graph.add_layer("Dense", pos=(300, 0))
    show_all(window)
    start = body(window, a)
    drag(window, start, start + QPointF(120, 90), steps=10)
    assert graph.pos(a) == (120.0, 90.0)
    assert item_positions(window, [a]) == {a: (120.0, 90.0)}
    assert graph.pos(b) == (300.0, 0.0)
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Move dense_1"
    window.undo_stack.undo()
    assert graph.pos(a) == (0.0, 0.0) and item_positions(window, [a]) == {a: (0.0, 0.0)}
    window.undo_stack.redo()
    assert graph.pos(a) == (120.0, 90.0) and item_positions(window, [a]) == {a: (120.0, 90.0)}


def test_a_click_without_moving_pushes_nothing(window):
    graph = window.project.graph
    a = graph.add_layer("Dense", pos=(0, 0))
    show_all(window)
    drag(window, body(window, a), body(window, a))
    assert window.undo_stack.count() == 0
    assert window.canvas.selected_node_ids() == [a]


def test_dragging_a_rubber_band_selection_of_ten_moves_them_all_in_one_step(window):
    graph = window.project.graph
    ids = [graph.add_layer("Dense", pos=((i % 5) * 220.0, (i // 5) * 120.0)) for i in range(10)]
    outsider = graph.add_layer("Dense", pos=(0.0, 400.0))
    show_all(window)
    before = snapshot(graph)
    start_positions = positions(window, ids)
    # a rubber band from empty canvas above-left of the group to below-right of it, clear of the outsider
    drag(window, QPointF(-60, -60), QPointF(1100, 230), steps=8)
    assert window.canvas.selected_node_ids() == ids
    assert window.undo_stack.count() == 0  # selecting is no edit
    start = body(window, ids[7])
    drag(window, start, start + QPointF(40, 140), steps=10)
    # at this zoom the mouse moves in whole pixels: every card moves by the same step, close to (40, 140)
    dx = graph.pos(ids[0])[0] - start_positions[ids[0]][0]
    dy = graph.pos(ids[0])[1] - start_positions[ids[0]][1]
    assert abs(dx - 40) < 3 and abs(dy - 140) < 3
    expected = {n: (x + dx, y + dy) for n, (x, y) in start_positions.items()}
    assert positions(window, ids) == {n: pytest.approx(p) for n, p in expected.items()}
    assert item_positions(window, ids) == positions(window, ids)
    assert graph.pos(outsider) == (0.0, 400.0)
    assert window.undo_stack.count() == 1
    assert window.undo_stack.undoText() == "Move 10 layers"
    window.undo_stack.undo()
    assert positions(window, ids) == start_positions
    assert item_positions(window, ids) == start_positions
    assert snapshot(graph) == before


def test_a_script_moving_a_layer_moves_its_card(window):
    graph = window.project.graph
    a = graph.add_layer("Dense", pos=(0, 0))
    graph.move(a, (55.5, -20))
    assert item(window, a).pos() == QPointF(55.5, -20)
    assert item(window, a).sceneBoundingRect().intersects(QRectF(55.5, -20, 10, 10))
