"""The palette: every kind listed, search, tooltips, and the two ways to add a layer (activate, drop)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPoint, QPointF
from PySide6.QtTest import QTest

from designer.graph import CATALOGUE, layer_kind
from designer.ui.canvas.view import LAYER_MIME

from .helpers import LEFT, NO_KEYS, drop, snapshot


def all_kind_names() -> set[str]:
    return {kind.name for kind in CATALOGUE.values()}


def test_every_catalogue_kind_is_listed_with_its_description_as_tooltip(window):
    palette = window.palette
    listed = {}
    for index in range(palette.tree.topLevelItemCount()):
        group = palette.tree.topLevelItem(index)
        for child in range(group.childCount()):
            item = group.child(child)
            listed[item.text(0)] = item
    assert set(listed) == all_kind_names()
    assert set(palette.visible_kinds()) == all_kind_names()
    for name, item in listed.items():
        assert item.toolTip(0) == layer_kind(name).description
        assert item.toolTip(0)


def test_search_filters_the_list(window, qtbot):
    palette = window.palette
    QTest.keyClicks(palette.search, "pool")
    assert sorted(palette.visible_kinds()) == ["AvgPool2D", "MaxPool2D"]
    for kind, item in palette.items.items():
        assert item.isHidden() == (kind not in ("AvgPool2D", "MaxPool2D"))
    palette.search.clear()
    assert set(palette.visible_kinds()) == all_kind_names()
    QTest.keyClicks(palette.search, "no layer is called this")
    assert palette.visible_kinds() == []
    # a category with nothing to show is hidden as well
    assert all(palette.tree.topLevelItem(i).isHidden() for i in range(palette.tree.topLevelItemCount()))


def test_double_click_adds_the_layer_at_the_view_centre_as_one_undo_step(window):
    palette, view, graph = window.palette, window.canvas.view, window.project.graph
    item = palette.items["Conv2D"]
    palette.tree.scrollToItem(item)
    where = palette.tree.visualItemRect(item).center()
    QTest.mouseClick(palette.tree.viewport(), LEFT, NO_KEYS, where)  # a double-click begins with a click
    QTest.mouseDClick(palette.tree.viewport(), LEFT, NO_KEYS, where)
    assert [graph.kind(n) for n in graph.nodes()] == ["Conv2D"]
    assert window.undo_stack.count() == 1
    node_id = graph.nodes()[0]
    card = window.canvas.node_items()[node_id]
    centre = view.mapToScene(view.viewport().rect().center())
    assert card.sceneBoundingRect().contains(centre)
    assert window.canvas.selected_node_ids() == [node_id]  # and the inspector shows it
    assert window.inspector.name.text() == "conv2d_1"
    window.undo_stack.undo()
    assert len(graph) == 0 and window.canvas.node_items() == {}


def test_enter_on_a_kind_adds_it(window):
    palette, graph = window.palette, window.project.graph
    palette.tree.setFocus()
    palette.tree.setCurrentItem(palette.items["Dense"])
    QTest.keyClick(palette.tree, "\r")
    assert [graph.kind(n) for n in graph.nodes()] == ["Dense"]


def test_dropping_a_kind_on_the_canvas_adds_it_where_it_was_dropped(window):
    view, graph = window.canvas.view, window.project.graph
    mime = QMimeData()
    mime.setData(LAYER_MIME, b"MaxPool2D")
    at = QPoint(200, 150)
    assert drop(view.viewport(), mime, at)
    assert [graph.kind(n) for n in graph.nodes()] == ["MaxPool2D"]
    node_id = graph.nodes()[0]
    expected = view.mapToScene(at)
    assert graph.pos(node_id) == (expected.x(), expected.y())
    assert window.canvas.node_items()[node_id].pos() == QPointF(expected)
    assert window.undo_stack.count() == 1


def test_a_drop_of_something_that_is_not_a_kind_adds_nothing(window):
    viewport, graph = window.canvas.view.viewport(), window.project.graph
    before = snapshot(graph)
    for data in (b"", b"Bogus", b"\xff\xfe\x00", b"Dense; rm -rf /"):
        mime = QMimeData()
        mime.setData(LAYER_MIME, data)
        assert not drop(viewport, mime, QPoint(100, 100))
    mime = QMimeData()
    mime.setText("Dense")  # plain text is not a palette drag
    drop(viewport, mime, QPoint(100, 100))
    assert snapshot(graph) == before
    assert window.undo_stack.count() == 0
