"""Every kind of edit undoes to the identical graph and redoes to the identical result, canvas included."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QUndoStack

from designer.analysis import summary
from designer.graph import Edge, format_shape
from designer.ui.canvas.scene import CanvasScene

from .helpers import body, click, drag, empty_spot, item, show_all, snapshot, type_into, wire


def resnet_block(window):
    """input -> dense_1 -> dense_2 -> add_1 <- dense_1 (skip), add_1 -> dense_3; weights for dense_1 and dense_2."""
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(8,))
    d1 = graph.add_layer("Dense", pos=(260, 0), units=8, activation="relu")
    d2 = graph.add_layer("Dense", pos=(520, -120), units=8)
    add = graph.add_layer("Add", pos=(780, 0))
    d3 = graph.add_layer("Dense", pos=(1040, 0), units=2)
    graph.connect(x, d1)
    graph.connect(d1, d2)
    graph.connect(d2, add, 0)
    graph.connect(d1, add, 1)
    graph.connect(add, d3)
    rng = np.random.default_rng(0)
    window.project.weights = {
        "dense_1.W": rng.normal(size=(8, 8)), "dense_1.b": rng.normal(size=8),
        "dense_2.W": rng.normal(size=(8, 8)), "dense_2.b": rng.normal(size=8),
    }
    show_all(window)
    return {"input": x, "d1": d1, "d2": d2, "add": add, "d3": d3}


def state(window):
    """What must come back exactly: the graph (ids, order, names, params, positions, wires) and the weights."""
    weights = window.project.weights or {}
    return snapshot(window.project.graph), {k: v.tobytes() for k, v in sorted(weights.items())}


def assert_canvas_matches_model(window):
    graph, canvas = window.project.graph, window.canvas
    items = canvas.node_items()
    assert set(items) == set(graph.nodes())
    assert set(canvas.edge_items()) == set(graph.edges())
    for node_id, card in items.items():
        assert (card.pos().x(), card.pos().y()) == graph.pos(node_id)
        assert card.look.name == graph.name(node_id)
        assert card.scene() is canvas.scene
    for edge, wire_item in canvas.edge_items().items():
        end = wire_item.path().elementAt(wire_item.path().elementCount() - 1)
        assert QPointF(end.x, end.y) == items[edge.dst].input_port_pos(edge.dst_port)
    shown = [texts[:4] for texts in window.summary.rows_shown()]
    assert shown == [[row.name, row.kind, format_shape(row.output_shape) if row.output_shape is not None else "?",
                      "?" if row.params is None else f"{row.params:,}"] for row in summary(graph).rows]
    # every card shows what a canvas drawn afresh from the model shows: nothing is left stale
    fresh = CanvasScene(window.project, QUndoStack())
    try:
        for node_id, card in items.items():
            assert card.look == fresh.node_items()[node_id].look, graph.name(node_id)
    finally:
        fresh.detach()


# --- the edits, each made the way a person makes it -----------------------------------------------

def add(window, ids):
    window.canvas.add_layer("Conv2D")


def delete(window, ids):
    click(window, ids["d1"])  # one in, two out: its wires and weights go with it
    window.delete_action.trigger()
    assert ids["d1"] not in window.project.graph
    assert "dense_1.W" not in window.project.weights


def delete_wire(window, ids):
    drag(window, item(window, ids["add"]).input_port_pos(1), empty_spot(window))


def set_params(window, ids):
    click(window, ids["d2"])
    type_into(window.inspector.fields["units"].widget, "5")
    assert window.project.graph.params(ids["d2"])["units"] == 5


def rename(window, ids):
    click(window, ids["d2"])
    type_into(window.inspector.name, "middle")
    assert "middle.W" in window.project.weights


def move(window, ids):
    start = body(window, ids["add"])
    drag(window, start, start + QPointF(0, 150))


def paste(window, ids):
    window.canvas.select([ids["d1"], ids["d2"], ids["add"]])
    window.canvas.copy()
    window.canvas.paste(QPointF(300, 400))


def duplicate(window, ids):
    window.canvas.select([ids["d2"], ids["add"]])
    window.duplicate_action.trigger()


def cut(window, ids):
    window.canvas.select([ids["d2"], ids["add"]])
    window.cut_action.trigger()


def auto_layout(window, ids):
    window.layout_action.trigger()


EDITS = [add, delete, delete_wire, set_params, rename, move, paste, duplicate, cut, auto_layout]


@pytest.mark.parametrize("edit", EDITS, ids=[e.__name__ for e in EDITS])
def test_undo_and_redo_give_back_identical_graphs(window, edit):
    ids = resnet_block(window)
    before = state(window)
    edit(window, ids)
    after = state(window)
    assert after != before
    assert window.undo_stack.count() == 1  # one gesture, one step
    assert_canvas_matches_model(window)
    window.undo_stack.undo()
    assert state(window) == before
    assert_canvas_matches_model(window)
    window.undo_stack.redo()
    assert state(window) == after
    assert_canvas_matches_model(window)
    window.undo_stack.undo()
    assert state(window) == before


def test_wiring_undoes_and_redoes(window):
    ids = resnet_block(window)
    spare = window.project.graph.add_layer("Dense", pos=(1300, 200))
    show_all(window)
    before = state(window)
    wire(window, ids["d3"], spare)
    after = state(window)
    assert Edge(ids["d3"], spare, 0) in window.project.graph.edges()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert state(window) == before
    assert_canvas_matches_model(window)
    window.undo_stack.redo()
    assert state(window) == after
    assert_canvas_matches_model(window)


def test_undo_of_a_delete_restores_the_layer_exactly(window):
    ids = resnet_block(window)
    graph = window.project.graph
    layer = graph.layer(ids["d1"])
    order, edges = graph.nodes(), graph.edges()
    weights = {k: v for k, v in window.project.weights.items() if k.startswith("dense_1.")}
    click(window, ids["d1"])
    window.canvas.delete_selected()
    assert graph.edges() == [Edge(ids["d2"], ids["add"], 0), Edge(ids["add"], ids["d3"], 0)]
    window.undo_stack.undo()
    assert graph.layer(ids["d1"]) == layer  # same id, kind, name, params and place
    assert graph.nodes() == order  # in the middle of the order again, not at the end
    assert graph.edges() == edges  # every wire, into the same ports
    for key, value in weights.items():
        assert window.project.weights[key] is value
    assert item(window, ids["add"]).look.wired_ports == frozenset({0, 1})


def test_deleting_a_selection_of_layers_and_wires_is_one_step(window):
    ids = resnet_block(window)
    before = state(window)
    window.canvas.select([ids["d2"], ids["input"]])
    window.canvas.edge_items()[Edge(ids["add"], ids["d3"], 0)].setSelected(True)
    window.canvas.delete_selected()
    assert window.project.graph.nodes() == [ids["d1"], ids["add"], ids["d3"]]
    assert window.project.graph.edges() == [Edge(ids["d1"], ids["add"], 1)]
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert state(window) == before
    assert_canvas_matches_model(window)


def test_a_whole_session_undoes_to_the_start_and_redoes_to_the_end(window):
    ids = resnet_block(window)
    start = state(window)
    for edit in EDITS:
        edit(window, ids)
        # later edits need the layers of the block: put back what cut and delete took
        if edit in (delete, cut):
            window.undo_stack.undo()
            window.undo_stack.redo()
            window.undo_stack.undo()
    end = state(window)
    steps = window.undo_stack.index()
    while window.undo_stack.canUndo():
        window.undo_stack.undo()
    assert state(window) == start
    assert_canvas_matches_model(window)
    for _ in range(steps):
        window.undo_stack.redo()
    assert state(window) == end
    assert_canvas_matches_model(window)


def test_random_edits_keep_the_canvas_true_to_the_model_through_undo_and_redo(window):
    """A seeded walk of edits of every kind; after each, and after undoing and redoing all, the canvas is exact."""
    import random

    from designer.ui.commands import (
        AddLayerCommand, ConnectCommand, DisconnectCommand, MoveLayersCommand, RemoveLayersCommand, RenameCommand,
        SetParamsCommand,
    )

    rng = random.Random(7)
    project, stack = window.project, window.undo_stack
    graph = project.graph
    resnet_block(window)
    start = state(window)
    kinds = ["Dense", "Add", "Concat", "Activation", "Dropout", "Input", "BatchNorm", "Flatten"]
    names = iter(f"layer_{i}" for i in range(1000))
    for step in range(80):
        nodes = graph.nodes()
        choice = rng.choice(["add", "connect", "connect", "disconnect", "params", "rename", "remove", "move"])
        if choice == "add" or len(nodes) < 3:
            stack.push(AddLayerCommand(project, rng.choice(kinds), (rng.uniform(-500, 1500), rng.uniform(-300, 600))))
        elif choice == "connect":
            src, dst = rng.sample(nodes, 2)
            port = graph.free_port(dst) if rng.random() < 0.7 else 0
            if graph.can_connect(src, dst, port, replacing=True) is None:
                stack.push(ConnectCommand(project, src, dst, port))
        elif choice == "disconnect" and graph.edges():
            stack.push(DisconnectCommand(project, [rng.choice(graph.edges())]))
        elif choice == "params":
            node = rng.choice(nodes)
            if graph.kind(node) == "Dense":
                stack.push(SetParamsCommand(project, node, {"units": rng.randint(1, 64)}))
            elif graph.kind(node) == "Input":
                stack.push(SetParamsCommand(project, node, {"shape": rng.choice([(3,), (2, 5), (1, 4, 4)])}))
        elif choice == "rename":
            stack.push(RenameCommand(project, rng.choice(nodes), next(names)))
        elif choice == "remove":
            stack.push(RemoveLayersCommand(project, rng.sample(nodes, rng.randint(1, 2))))
        elif choice == "move":
            moved = rng.sample(nodes, min(3, len(nodes)))
            stack.push(MoveLayersCommand(project, {n: (graph.pos(n), (rng.uniform(0, 900), rng.uniform(0, 500)))
                                                   for n in moved}))
        if step % 10 == 0:
            assert_canvas_matches_model(window)
    assert_canvas_matches_model(window)
    end = state(window)
    steps = stack.index()
    stack.setIndex(0)
    assert state(window) == start
    assert_canvas_matches_model(window)
    stack.setIndex(steps)
    assert state(window) == end
    assert_canvas_matches_model(window)


def test_the_toolbar_undo_and_redo_buttons_follow_the_stack_and_the_edit_menu_says_what(window):
    assert not window.undo_button.isEnabled() and not window.redo_button.isEnabled()
    node = window.canvas.add_layer("Dense", pos=(0, 0))
    assert window.undo_button.isEnabled() and window.undo_action.text().startswith("&Undo Add")
    assert window.undo_button.text() == "Undo"

    window.canvas.add_layer("Dense", pos=(300, 0))
    window.undo_button.click()
    window.undo_button.click()
    assert node not in window.project.graph.nodes() and len(window.project.graph) == 0
    assert not window.undo_button.isEnabled() and window.redo_button.isEnabled()
    window.redo_button.click()
    assert len(window.project.graph) == 1
