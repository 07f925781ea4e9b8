"""Wiring with the mouse: press on an output port, move, release on an input port (or a card, or nothing)."""

from __future__ import annotations

from PySide6.QtCore import QPointF

from designer.graph import Edge
from designer.ui.canvas.edge_item import EdgeItem

from .helpers import body, drag, empty_spot, item, move, press, release, show_all, snapshot, wire


def chain(window, *kinds, **params):
    """Layers of the given kinds in a row, not wired; their ids."""
    graph = window.project.graph
    ids = []
    for index, kind in enumerate(kinds):
        ids.append(graph.add_layer(kind, pos=(index * 280.0, (index % 2) * 60.0), **params.get(kind, {})))
    show_all(window)
    return ids


def drawn_edges(window) -> set[Edge]:
    """The wires the canvas shows (visible wire items with an edge)."""
    return {i.edge for i in window.canvas.scene.items() if isinstance(i, EdgeItem) and i.isVisible() and i.edge}


def assert_wire_drawn_between(window, edge: Edge) -> None:
    wire_item = window.canvas.edge_items()[edge]
    path = wire_item.path()
    start, end = path.elementAt(0), path.elementAt(path.elementCount() - 1)
    assert QPointF(start.x, start.y) == item(window, edge.src).output_port_pos()
    assert QPointF(end.x, end.y) == item(window, edge.dst).input_port_pos(edge.dst_port)


def test_dragging_from_an_output_to_an_input_wires_them(window):
    x, dense = chain(window, "Input", "Dense", Input={"shape": (4,)})
    wire(window, x, dense)
    edge = Edge(x, dense, 0)
    assert window.project.graph.edges() == [edge]
    assert drawn_edges(window) == {edge}
    assert_wire_drawn_between(window, edge)
    assert window.undo_stack.count() == 1
    # the card now knows its input: Dense 16 on 4 features has 80 parameters
    assert item(window, dense).look.shape == "(16,)"
    assert item(window, dense).look.count == "80 params"
    # the dragged dashed wire is gone
    assert len([i for i in window.canvas.scene.items() if isinstance(i, EdgeItem)]) == 1
    window.undo_stack.undo()
    assert window.project.graph.edges() == [] and drawn_edges(window) == set()


def test_a_wire_follows_its_card_when_the_card_moves(window):
    x, dense = chain(window, "Input", "Dense")
    wire(window, x, dense)
    start = body(window, dense)
    drag(window, start, start + QPointF(30, 80))
    assert_wire_drawn_between(window, Edge(x, dense, 0))


def test_a_wire_that_would_make_a_loop_is_refused_with_the_reason(window):
    a, b, c = chain(window, "Dense", "Dense", "Dense")
    wire(window, a, b)
    wire(window, b, c)
    before = snapshot(window.project.graph)
    wire(window, c, a)
    assert snapshot(window.project.graph) == before
    assert drawn_edges(window) == {Edge(a, b, 0), Edge(b, c, 0)}
    assert window.undo_stack.count() == 2
    assert window.statusBar().currentMessage() == "Wiring dense_3 into dense_1 would make a loop; data must flow one way."


def test_a_wire_into_itself_is_refused(window):
    (a,) = chain(window, "Dense")
    drag(window, item(window, a).output_port_pos(), body(window, a))
    assert window.project.graph.edges() == []
    assert "loop" in window.statusBar().currentMessage()


def test_a_wire_into_an_input_layer_is_refused_with_the_reason(window):
    dense, x = chain(window, "Dense", "Input")
    before = snapshot(window.project.graph)
    drag(window, item(window, dense).output_port_pos(), body(window, x))
    assert snapshot(window.project.graph) == before
    assert drawn_edges(window) == set()
    assert window.undo_stack.count() == 0
    assert window.statusBar().currentMessage() == "input_1 is where data enters; nothing can be wired into it."


def test_a_wire_dropped_on_a_card_goes_into_its_first_free_port(window):
    a, b, add = chain(window, "Dense", "Dense", "Add")
    drag(window, item(window, a).output_port_pos(), body(window, add))
    assert window.project.graph.edges() == [Edge(a, add, 0)]
    drag(window, item(window, b).output_port_pos(), body(window, add))
    assert window.project.graph.edges() == [Edge(a, add, 0), Edge(b, add, 1)]
    assert drawn_edges(window) == {Edge(a, add, 0), Edge(b, add, 1)}
    assert item(window, add).look.input_ports == 3  # an Add always offers one more port
    assert_wire_drawn_between(window, Edge(b, add, 1))


def test_a_wire_dropped_on_nothing_makes_nothing(window):
    a, b = chain(window, "Dense", "Dense")
    drag(window, item(window, a).output_port_pos(), empty_spot(window))
    assert window.project.graph.edges() == [] and window.undo_stack.count() == 0
    assert [i for i in window.canvas.scene.items() if isinstance(i, EdgeItem)] == []


def test_a_wire_picked_up_by_its_end_and_dropped_on_nothing_is_deleted_in_one_step(window):
    a, b = chain(window, "Dense", "Dense")
    wire(window, a, b)
    wired = snapshot(window.project.graph)
    drag(window, item(window, b).input_port_pos(0), empty_spot(window))
    assert window.project.graph.edges() == []
    assert drawn_edges(window) == set()
    assert [i for i in window.canvas.scene.items() if isinstance(i, EdgeItem)] == []
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert snapshot(window.project.graph) == wired
    assert drawn_edges(window) == {Edge(a, b, 0)}


def test_a_wire_picked_up_and_put_back_stays(window):
    a, b = chain(window, "Dense", "Dense")
    wire(window, a, b)
    port = item(window, b).input_port_pos(0)
    press(window, port)
    move(window, port + QPointF(60, 90))
    assert drawn_edges(window) == set()  # it is in hand, drawn as the dashed wire
    move(window, port)
    release(window, port)
    assert window.project.graph.edges() == [Edge(a, b, 0)]
    assert drawn_edges(window) == {Edge(a, b, 0)}
    assert window.undo_stack.count() == 1


def test_a_wire_picked_up_and_dropped_on_another_layer_moves_there_in_one_step(window):
    a, b, c = chain(window, "Dense", "Dense", "Dense")
    wire(window, a, b)
    drag(window, item(window, b).input_port_pos(0), item(window, c).input_port_pos(0))
    assert window.project.graph.edges() == [Edge(a, c, 0)]
    assert drawn_edges(window) == {Edge(a, c, 0)}
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert window.project.graph.edges() == [Edge(a, b, 0)]
    assert drawn_edges(window) == {Edge(a, b, 0)}


def test_a_wire_picked_up_and_dropped_where_it_cannot_go_stays_where_it_was(window):
    a, b, x = chain(window, "Dense", "Dense", "Input")
    wire(window, a, b)
    drag(window, item(window, b).input_port_pos(0), body(window, x))
    assert window.project.graph.edges() == [Edge(a, b, 0)]
    assert drawn_edges(window) == {Edge(a, b, 0)}
    assert "nothing can be wired into it" in window.statusBar().currentMessage()


def test_wiring_into_an_occupied_port_replaces_the_wire_in_one_step(window):
    a, b, c = chain(window, "Dense", "Dense", "Dense")
    wire(window, a, c)
    before = snapshot(window.project.graph)
    wire(window, b, c)
    assert window.project.graph.edges() == [Edge(b, c, 0)]
    assert drawn_edges(window) == {Edge(b, c, 0)}
    assert window.undo_stack.count() == 2
    window.undo_stack.undo()
    assert snapshot(window.project.graph) == before
    assert drawn_edges(window) == {Edge(a, c, 0)}
    window.undo_stack.redo()
    assert drawn_edges(window) == {Edge(b, c, 0)}


def test_a_wire_dropped_on_a_full_card_replaces_its_first_wire(window):
    a, b, c = chain(window, "Dense", "Dense", "Dense")
    wire(window, a, c)
    drag(window, item(window, b).output_port_pos(), body(window, c))
    assert window.project.graph.edges() == [Edge(b, c, 0)]


def test_wiring_a_wire_that_is_already_there_is_no_edit(window):
    a, b = chain(window, "Dense", "Dense")
    wire(window, a, b)
    window.undo_stack.setClean()
    wire(window, a, b)
    drag(window, item(window, a).output_port_pos(), body(window, b))
    assert window.project.graph.edges() == [Edge(a, b, 0)]
    assert window.undo_stack.count() == 1 and not window.dirty


def test_a_click_on_an_output_port_is_no_attempt_to_wire(window):
    a, b = chain(window, "Dense", "Dense")
    port = item(window, a).output_port_pos()
    drag(window, port, port, steps=1)
    drag(window, port, port + QPointF(80, 0))
    drag(window, port + QPointF(80, 0), port)  # a press on nothing: a rubber band, no wire
    assert window.statusBar().currentMessage() == ""
    assert window.project.graph.edges() == [] and window.undo_stack.count() == 0
    assert [i for i in window.canvas.scene.items() if isinstance(i, EdgeItem)] == []
