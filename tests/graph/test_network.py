"""NetworkGraph editing: events, names, wiring rules, order, copies and shapes after edits."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from designer import NetworkGraph as PublicNetworkGraph
from designer.graph import (
    CycleError,
    Edge,
    EventType,
    GraphEditError,
    GraphEvent,
    Layer,
    NetworkGraph,
)


@pytest.fixture
def recorded():
    """A graph and the list its observer fills."""
    g = NetworkGraph()
    events: list[GraphEvent] = []
    g.subscribe(events.append)
    return g, events


def test_public_api_exports_the_same_class():
    assert PublicNetworkGraph is NetworkGraph


# --- events -----------------------------------------------------------------------------

def test_add_sends_node_added(recorded):
    g, events = recorded
    x = g.add_layer("Input", shape=(3,))
    d = g.add_layer("Dense")
    assert events == [
        GraphEvent(EventType.NODE_ADDED, node=x),
        GraphEvent(EventType.NODE_ADDED, node=d),
    ]


def test_connect_and_disconnect_send_edge_events(recorded):
    g, events = recorded
    x = g.add_layer("Input", shape=(3,))
    add = g.add_layer("Add")
    events.clear()
    edge = g.connect(x, add, 1)
    assert edge == Edge(x, add, 1)
    g.disconnect(x, add, 1)
    assert events == [
        GraphEvent(EventType.EDGE_ADDED, edge=Edge(x, add, 1)),
        GraphEvent(EventType.EDGE_REMOVED, edge=Edge(x, add, 1)),
    ]
    assert all(e.node is None for e in events)
    assert g.edges() == []


def test_set_params_names_only_the_changed_keys(recorded):
    g, events = recorded
    d = g.add_layer("Dense")  # units 16, activation linear
    events.clear()
    g.set_params(d, units=16, activation="relu", use_bias=True)
    assert events == [GraphEvent(EventType.NODE_CHANGED, node=d, changed=("activation",))]
    events.clear()
    g.set_params(d, units=32, use_bias=False)
    assert events == [GraphEvent(EventType.NODE_CHANGED, node=d, changed=("units", "use_bias"))]
    assert g.params(d) == {"units": 32, "activation": "relu", "use_bias": False, "init": "default"}


def test_setting_the_same_value_sends_nothing(recorded):
    g, events = recorded
    x = g.add_layer("Input", shape=(1, 28, 28))
    d = g.add_layer("Dense", units=8)
    events.clear()
    g.set_params(d, units=8)
    g.set_params(d)
    g.set_params(x, shape=[1, 28, 28])  # the list form normalises to the stored tuple
    assert events == []


def test_set_params_with_an_equal_value_of_another_type_is_a_change(recorded):
    # True == 1 in Python, but units=True is a different (and invalid) value, so it must be stored.
    g, events = recorded
    d = g.add_layer("Dense", units=1)
    events.clear()
    g.set_params(d, units=True)
    assert events == [GraphEvent(EventType.NODE_CHANGED, node=d, changed=("units",))]
    assert g.params(d)["units"] is True
    assert len(g.validate()) >= 1


def test_rename_sends_node_changed_name(recorded):
    g, events = recorded
    d = g.add_layer("Dense")
    events.clear()
    g.rename(d, "hidden")
    g.rename(d, "hidden")  # unchanged: nothing sent
    assert events == [GraphEvent(EventType.NODE_CHANGED, node=d, changed=("name",))]
    assert g.name(d) == "hidden" and g.find("hidden") == d and g.find("dense_1") is None


def test_move_sends_node_moved(recorded):
    g, events = recorded
    d = g.add_layer("Dense", pos=(0, 0))
    events.clear()
    g.move(d, (10, 20.5))
    g.move(d, (10.0, 20.5))  # same place: nothing sent
    assert events == [GraphEvent(EventType.NODE_MOVED, node=d)]
    assert g.pos(d) == (10.0, 20.5)


def test_remove_layer_sends_every_wire_before_the_node(recorded):
    g, events = recorded
    x = g.add_layer("Input", shape=(3,))
    d = g.add_layer("Dense", units=3)
    add = g.add_layer("Add")
    out = g.add_layer("Dense", units=2)
    g.connect(x, d)
    g.connect(x, add, 0)
    g.connect(d, add, 1)
    g.connect(add, out)
    events.clear()
    g.remove_layer(add)
    assert events[-1] == GraphEvent(EventType.NODE_REMOVED, node=add)
    removed = events[:-1]
    assert all(e.type is EventType.EDGE_REMOVED for e in removed)
    assert set(e.edge for e in removed) == {Edge(x, add, 0), Edge(d, add, 1), Edge(add, out, 0)}
    assert len(removed) == 3
    assert add not in g and g.edges() == [Edge(x, d, 0)]


def test_remove_layer_with_a_self_loop_removes_the_wire_once(recorded):
    g, events = recorded
    x = g.add_layer("Input", shape=(3,))
    add = g.add_layer("Add")
    g.connect(x, add, 0)
    g.connect(add, add, 1)
    events.clear()
    g.remove_layer(add)
    assert events == [
        GraphEvent(EventType.EDGE_REMOVED, edge=Edge(x, add, 0)),
        GraphEvent(EventType.EDGE_REMOVED, edge=Edge(add, add, 1)),
        GraphEvent(EventType.NODE_REMOVED, node=add),
    ]


def test_unsubscribe_stops_events():
    g = NetworkGraph()
    first: list[GraphEvent] = []
    second: list[GraphEvent] = []
    stop_first = g.subscribe(first.append)
    g.subscribe(second.append)
    g.add_layer("Dense")
    stop_first()
    stop_first()  # a second call is harmless
    g.add_layer("Dense")
    assert len(first) == 1
    assert len(second) == 2


def test_observers_see_the_new_state():
    g = NetworkGraph()
    seen = []
    g.subscribe(lambda event: seen.append((event.type, g.infer_shapes())))
    x = g.add_layer("Input", shape=(3,))
    d = g.add_layer("Dense", units=2)
    g.connect(x, d)
    assert seen[-1] == (EventType.EDGE_ADDED, {x: (3,), d: (2,)})


def test_failed_edits_send_nothing(recorded):
    g, events = recorded
    x = g.add_layer("Input", shape=(3,))
    d = g.add_layer("Dense")
    g.connect(x, d)
    events.clear()
    with pytest.raises(GraphEditError):
        g.connect(x, d)
    with pytest.raises(GraphEditError):
        g.add_layer("Dense", name="dense_1")
    with pytest.raises(GraphEditError):
        g.rename(d, "input_1")
    with pytest.raises(GraphEditError):
        g.disconnect(d, x)
    with pytest.raises(GraphEditError):
        g.move(d, ("a", 1))
    assert events == []
    assert len(g) == 2


# --- names ------------------------------------------------------------------------------------

def test_auto_names():
    g = NetworkGraph()
    assert g.name(g.add_layer("Dense")) == "dense_1"
    assert g.name(g.add_layer("Dense")) == "dense_2"
    assert g.name(g.add_layer("Conv2D")) == "conv2d_1"
    assert g.name(g.add_layer("MaxPool2D")) == "maxpool2d_1"
    assert g.name(g.add_layer("SimpleRNN")) == "simplernn_1"


def test_auto_name_skips_a_taken_name_and_refills_a_free_one():
    g = NetworkGraph()
    g.add_layer("Conv2D", name="dense_1")
    d2 = g.add_layer("Dense")
    assert g.name(d2) == "dense_2"
    first = g.find("dense_1")
    g.remove_layer(first)
    assert g.name(g.add_layer("Dense")) == "dense_1"


def test_explicit_name_clash_raises():
    g = NetworkGraph()
    g.add_layer("Dense")
    with pytest.raises(GraphEditError, match="already called dense_1"):
        g.add_layer("Conv2D", name="dense_1")
    other = g.add_layer("Dense", name="other")
    with pytest.raises(GraphEditError, match="already called dense_1"):
        g.rename(other, "dense_1")


@pytest.mark.parametrize("bad", ["1abc", "a.b", "", "a b", "dense-1", "x" * 65, "abc\n", 5])
def test_invalid_names_raise(bad):
    g = NetworkGraph()
    with pytest.raises(GraphEditError, match="cannot name a layer"):
        g.add_layer("Dense", name=bad)
    d = g.add_layer("Dense")
    with pytest.raises(GraphEditError, match="cannot name a layer"):
        g.rename(d, bad)
    assert g.name(d) == "dense_1"
    assert len(g) == 1


@pytest.mark.parametrize("good", ["_x", "A", "layer_2", "x" * 64])
def test_valid_names(good):
    g = NetworkGraph()
    assert g.name(g.add_layer("Dense", name=good)) == good


@pytest.mark.parametrize("bad_kind", ["", None, 3])
def test_kind_must_be_a_name(bad_kind):
    g = NetworkGraph()
    with pytest.raises(GraphEditError, match="is not a layer kind"):
        g.add_layer(bad_kind)
    assert len(g) == 0


# --- wiring -------------------------------------------------------------------------------------

def test_connect_into_an_occupied_port_raises_with_a_sentence():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    d1 = g.add_layer("Dense")
    d2 = g.add_layer("Dense")
    g.connect(x, d2)
    with pytest.raises(GraphEditError) as error:
        g.connect(d1, d2)
    assert str(error.value) == "Input 0 of dense_2 already has a wire from input_1; disconnect it first."
    assert g.inputs(d2) == [Edge(x, d2, 0)]


@pytest.mark.parametrize("missing", ["src", "dst"])
def test_connect_to_a_missing_node_raises(missing):
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    src, dst = ("nope", x) if missing == "src" else (x, "nope")
    with pytest.raises(GraphEditError, match="no layer with id 'nope'"):
        g.connect(src, dst)
    assert g.edges() == []


@pytest.mark.parametrize("port", [-1, 1024, True, 1.0, "0"])
def test_connect_refuses_a_port_that_is_not_a_port_number(port):
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    add = g.add_layer("Add")
    with pytest.raises(GraphEditError, match="not an input port"):
        g.connect(x, add, port)


def test_disconnect_a_missing_wire_raises():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    add = g.add_layer("Add")
    g.connect(x, add, 0)
    with pytest.raises(GraphEditError, match="no wire"):
        g.disconnect(x, add, 1)
    assert g.edges() == [Edge(x, add, 0)]


def test_inputs_are_listed_by_port_and_outputs_of_a_layer():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    d = g.add_layer("Dense", units=3)
    add = g.add_layer("Add")
    g.connect(x, d)
    g.connect(d, add, 1)
    g.connect(x, add, 0)
    assert g.inputs(add) == [Edge(x, add, 0), Edge(d, add, 1)]
    assert sorted(g.outputs(x)) == sorted([Edge(x, d, 0), Edge(x, add, 0)])
    assert g.free_port(add) == 2
    g.disconnect(x, add, 0)
    assert g.free_port(add) == 0


class TestCanConnect:
    @pytest.fixture
    def g(self):
        g = NetworkGraph()
        self.x = g.add_layer("Input", shape=(3,))
        self.d1 = g.add_layer("Dense", units=3)
        self.d2 = g.add_layer("Dense", units=3)
        self.add = g.add_layer("Add")
        g.connect(self.x, self.d1)
        g.connect(self.d1, self.d2)
        return g

    def test_good_wire(self, g):
        assert g.can_connect(self.d2, self.add, 0) is None
        assert g.can_connect(self.d1, self.add, 5) is None  # an Add takes any number of inputs

    def test_cycle(self, g):
        g.connect(self.d2, self.add, 0)
        d3 = g.add_layer("Dense")
        g.connect(self.add, d3)
        # d3 -> add would close add -> d3 -> add; d2 -> d1 would close d1 -> d2 -> d1.
        assert g.can_connect(d3, self.add, 1) == "Wiring dense_3 into add_1 would make a loop; data must flow one way."
        assert "would make a loop" in g.can_connect(self.add, self.add, 1)

    def test_cycle_into_a_free_port(self, g):
        g.disconnect(self.x, self.d1)
        assert g.can_connect(self.d2, self.d1) == "Wiring dense_2 into dense_1 would make a loop; data must flow one way."

    def test_input_as_destination(self, g):
        assert g.can_connect(self.d2, self.x) == "input_1 is where data enters; nothing can be wired into it."

    def test_port_1_of_a_dense(self, g):
        assert g.can_connect(self.x, self.d2, 1) == "dense_2 takes one input; it has no port 1."

    def test_hopfield_either_side(self, g):
        h = g.add_layer("Hopfield")
        reason = "hopfield_1 is a whole Hopfield network on its own; it cannot be wired to other layers."
        assert g.can_connect(h, self.add, 0) == reason
        assert g.can_connect(self.d2, h) == reason

    def test_occupied_port(self, g):
        assert g.can_connect(self.x, self.d2) == "Input 0 of dense_2 already has a wire from dense_1."

    def test_missing_layer(self, g):
        assert g.can_connect(self.x, "zz") == "There is no layer with id 'zz'."

    def test_can_connect_does_not_change_the_graph(self, g):
        before = g.edges()
        g.can_connect(self.d2, self.add, 0)
        assert g.edges() == before

    # Regression: can_connect() once approved ports that connect() refuses (1024, True on an
    # Add), so the canvas would get None and then an exception from connect().
    @pytest.mark.parametrize("port", [1024, True, -1, 1.0, "0"])
    def test_refuses_every_port_that_connect_refuses(self, g, port):
        with pytest.raises(GraphEditError):
            g.connect(self.d2, self.add, port)
        assert g.can_connect(self.d2, self.add, port) is not None

    # Regression: a negative port of an Add was once explained as "add_1 takes one input".
    def test_negative_port_of_an_add_is_not_explained_as_one_input(self, g):
        reason = g.can_connect(self.d2, self.add, -1)
        assert reason is not None
        assert "takes one input" not in reason


# --- order --------------------------------------------------------------------------------------

def test_topological_order_respects_wires_and_adding_order():
    g = NetworkGraph()
    a = g.add_layer("Dense", name="a")
    b = g.add_layer("Dense", name="b")
    c = g.add_layer("Dense", name="c")
    assert g.topological_order() == [a, b, c]  # no wires: order of adding
    g.connect(c, a)
    # a now waits for c; b is free first because it was added before c.
    assert g.topological_order() == [b, c, a]
    g.connect(a, b)
    assert g.topological_order() == [c, a, b]


def test_topological_order_of_a_diamond():
    g = NetworkGraph()
    add = g.add_layer("Add")
    right = g.add_layer("Dense", units=2)
    left = g.add_layer("Dense", units=2)
    x = g.add_layer("Input", shape=(2,))
    g.connect(x, left)
    g.connect(x, right)
    g.connect(left, add, 0)
    g.connect(right, add, 1)
    assert g.topological_order() == [x, right, left, add]  # right was added before left


def test_topological_order_raises_on_a_cycle():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(2,))
    add = g.add_layer("Add")
    d = g.add_layer("Dense", units=2)
    g.connect(x, add, 0)
    g.connect(add, d)
    g.connect(d, add, 1)
    with pytest.raises(CycleError) as error:
        g.topological_order()
    assert "add_1" in str(error.value) and "dense_1" in str(error.value)  # names the loop


def test_topological_order_raises_on_a_self_loop():
    g = NetworkGraph()
    add = g.add_layer("Add")
    g.connect(add, add, 0)
    with pytest.raises(CycleError):
        g.topological_order()


# --- two wires from one source ------------------------------------------------------------------

def test_add_of_a_layer_with_itself():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(2, 3, 3))
    add = g.add_layer("Add")
    g.connect(x, add, 0)
    g.connect(x, add, 1)  # x + x
    assert g.edges() == [Edge(x, add, 0), Edge(x, add, 1)]
    assert g.validate() == []
    assert g.infer_shapes()[add] == (2, 3, 3)
    assert g.analysis().input_shapes[add] == [(2, 3, 3), (2, 3, 3)]
    g.disconnect(x, add, 0)
    assert g.edges() == [Edge(x, add, 1)]  # only the wire into port 0 went


# --- copies and restoring ------------------------------------------------------------------------

def test_layer_returns_a_copy():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 28, 28))
    record = g.layer(x)
    record.params["shape"] = (3,)
    record.params["extra"] = 1
    g.params(x)["shape"] = (5,)
    assert g.params(x) == {"shape": (1, 28, 28)}
    assert g.infer_shapes()[x] == (1, 28, 28)
    assert g.layer(x) == Layer(x, "Input", "input_1", {"shape": (1, 28, 28)}, (0.0, 0.0))


def test_layers_lists_every_layer_in_adding_order():
    g = NetworkGraph()
    ids = [g.add_layer("Dense"), g.add_layer("Input"), g.add_layer("Flatten")]
    assert [layer.id for layer in g.layers()] == ids == g.nodes()
    assert [layer.kind for layer in g.layers()] == ["Dense", "Input", "Flatten"]


def test_add_layer_restores_a_node_id():
    g = NetworkGraph()
    node = g.add_layer("Dense", node_id="custom")
    assert node == "custom" and g.kind("custom") == "Dense"
    with pytest.raises(GraphEditError, match="already used"):
        g.add_layer("Dense", node_id="custom")
    with pytest.raises(GraphEditError):
        g.add_layer("Dense", node_id="")
    fresh = g.add_layer("Dense")
    assert fresh not in ("custom", "") and fresh in g


def test_new_ids_never_clash_with_restored_ones():
    g = NetworkGraph()
    g.add_layer("Dense", node_id="n2")
    a = g.add_layer("Dense")
    b = g.add_layer("Dense")
    assert len({"n2", a, b}) == 3


def test_remove_then_re_add_gives_an_identical_layer():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 4, 4))
    conv = g.add_layer("Conv2D", name="features", pos=(120, -40), filters=3, padding="same",
                       activation="relu", use_bias=False)
    g.connect(x, conv)
    record = g.layer(conv)
    wires = g.inputs(conv) + g.outputs(conv)
    g.remove_layer(conv)
    assert conv not in g and g.find("features") is None
    restored = g.add_layer(record.kind, record.name, record.pos, node_id=record.id, **record.params)
    for wire in wires:
        g.connect(*wire)
    assert restored == conv
    assert g.layer(conv) == record
    assert g.infer_shapes()[conv] == (3, 4, 4)


def test_positions():
    g = NetworkGraph()
    a = g.add_layer("Dense")
    b = g.add_layer("Dense")
    c = g.add_layer("Dense", pos=[5, 6])
    assert g.pos(a) == (0.0, 0.0)
    assert g.pos(b)[0] > g.pos(a)[0]  # placed to the right, not on top
    assert g.pos(c) == (5.0, 6.0)
    for bad in [(1,), (1, 2, 3), ("a", 1), (float("nan"), 0), (float("inf"), 0), 7]:
        with pytest.raises(GraphEditError, match="not a position"):
            g.add_layer("Dense", pos=bad)
        with pytest.raises(GraphEditError, match="not a position"):
            g.move(a, bad)
    assert g.pos(a) == (0.0, 0.0)
    assert len(g) == 3


# --- shapes after edits ----------------------------------------------------------------------------

def test_shapes_update_after_set_params():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    d1 = g.add_layer("Dense", units=8)
    d2 = g.add_layer("Dense", units=3)
    g.connect(x, d1)
    g.connect(d1, d2)
    assert g.infer_shapes() == {x: (4,), d1: (8,), d2: (3,)}
    g.set_params(d1, units=5)
    g.set_params(x, shape=(2, 3, 3))
    assert g.infer_shapes()[d1] is None  # the Dense now sees an image
    f = g.add_layer("Flatten")
    g.disconnect(x, d1)
    g.connect(x, f)
    g.connect(f, d1)
    assert g.infer_shapes() == {x: (2, 3, 3), d1: (5,), d2: (3,), f: (18,)}
    assert g.validate() == []


def test_analysis_follows_every_edit():
    # The analysis is cached between edits; each edit must refresh it.
    g = NetworkGraph()
    assert len(g.validate()) == 1                       # empty
    x = g.add_layer("Input", shape=(3,))
    assert g.validate() == [] and g.infer_shapes() == {x: (3,)}
    d = g.add_layer("Dense", units=2)
    assert g.infer_shapes() == {x: (3,), d: None}
    assert len(g.validate()) == 2                       # dense_1 unwired; two ends
    g.connect(x, d)
    assert g.validate() == [] and g.infer_shapes()[d] == (2,)
    g.set_params(d, units=4)
    assert g.infer_shapes()[d] == (4,)
    g.rename(d, "head")
    g.set_params(d, units=0)
    assert g.validate()[0].message.startswith("head: units")
    g.disconnect(x, d)
    assert any("head has nothing wired" in p.message for p in g.validate())
    g.remove_layer(d)
    assert g.validate() == [] and g.infer_shapes() == {x: (3,)}


def test_shapes_update_after_rename_and_remove():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    d = g.add_layer("Dense", units=2)
    g.connect(x, d)
    g.validate()
    g.rename(d, "head")
    g.remove_layer(x)
    assert g.infer_shapes() == {d: None}
    assert any("head has nothing wired" in p.message for p in g.validate())


def test_input_shape_forms_are_normalised():
    g = NetworkGraph()
    a = g.add_layer("Input", shape=[1, 28, 28])
    b = g.add_layer("Input", shape=784)
    assert g.params(a)["shape"] == (1, 28, 28)
    assert g.params(b)["shape"] == (784,)
    g.set_params(b, shape=[28, 28])
    assert g.params(b)["shape"] == (28, 28)
    h = g.add_layer("Hopfield", shape=[4, 5])
    assert g.params(h)["shape"] == (4, 5)
    assert g.infer_shapes() == {a: (1, 28, 28), b: (28, 28), h: (4, 5)}


def test_rename_to_none_raises_but_add_layer_name_none_means_automatic():
    g = NetworkGraph()
    d = g.add_layer("Dense", name=None)
    assert g.name(d) == "dense_1"
    with pytest.raises(GraphEditError, match="cannot name a layer"):
        g.rename(d, None)


def test_numpy_numbers_from_scripts_are_stored_as_python_numbers():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=tuple(np.array([1, 28, 28])))  # a tuple of np.int64
    c = g.add_layer("Conv2D", filters=np.int64(4), kernel_size=np.int32(3), use_bias=np.bool_(False))
    g.connect(x, c)
    params = g.params(c)
    assert type(params["filters"]) is int and type(params["use_bias"]) is bool
    assert g.params(x)["shape"] == (1, 28, 28)
    assert g.validate() == []
    assert g.infer_shapes()[c] == (4, 26, 26)
    assert all(type(size) is int for size in g.params(x)["shape"])


# Regression: set_params compared a NumPy array with `!=` and crashed; arrays are now stored as lists/tuples.
def test_set_params_with_a_numpy_array_does_not_crash():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 28, 28))
    g.set_params(x, shape=np.array([1, 28, 28]))
    problems = g.validate()
    assert problems == [] or any(p.nodes == (x,) for p in problems)


def test_unknown_kind_and_parameters_are_kept_for_validation():
    g = NetworkGraph()
    foo = g.add_layer("Foo", colour="red")
    d = g.add_layer("Dense", unitz=3)
    assert g.kind(foo) == "Foo" and g.params(foo) == {"colour": "red"}
    assert g.name(foo) == "foo_1"
    assert g.params(d)["unitz"] == 3 and g.params(d)["units"] == 16


# --- the networkx view ------------------------------------------------------------------------------

def test_nx_view_exposes_nodes_and_port_keyed_edges():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,), pos=(1, 2))
    d = g.add_layer("Dense", units=3)
    add = g.add_layer("Add")
    g.connect(x, d)
    g.connect(x, add, 0)
    g.connect(d, add, 1)
    view = g.nx
    assert view.nodes[x] == {"kind": "Input", "name": "input_1", "params": {"shape": (3,)}, "pos": (1.0, 2.0)}
    assert view.nodes[add]["kind"] == "Add" and view.nodes[add]["name"] == "add_1"
    assert sorted(view.edges(keys=True)) == sorted([(x, d, 0), (x, add, 0), (d, add, 1)])
    assert view.has_edge(d, add, 1) and not view.has_edge(d, add, 0)
    assert list(nx.topological_sort(view))[0] == x


def test_nx_view_cannot_change_the_structure():
    g = NetworkGraph()
    g.add_layer("Input", shape=(3,))
    with pytest.raises(nx.NetworkXError):
        g.nx.add_node("sneaky")
    assert len(g) == 1


def test_nx_is_a_snapshot_that_cannot_change_the_model():
    g = NetworkGraph()
    d = g.add_layer("Dense", units=4)
    view = g.nx
    view.nodes[d]["params"]["units"] = 99
    view.nodes[d]["name"] = "renamed"
    assert g.params(d)["units"] == 4
    assert g.find("dense_1") == d and g.find("renamed") is None
    later = g.add_layer("Dense")
    assert later not in view and later in g.nx


def test_a_layer_put_back_at_its_index_restores_the_order_and_the_edges_order():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    a = g.add_layer("Dense")
    b = g.add_layer("Dense")
    g.connect(x, a)
    g.connect(a, b)
    before_nodes, before_edges, record = g.nodes(), g.edges(), g.layer(a)
    index = g.nodes().index(a)
    g.remove_layer(a)
    g.add_layer(record.kind, record.name, record.pos, node_id=record.id, index=index, **record.params)
    g.connect(a, b)  # wires come back in another order than they were made
    g.connect(x, a)
    assert g.nodes() == before_nodes
    assert g.edges() == before_edges
