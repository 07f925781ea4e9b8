"""validate(): every sentence a real bad graph produces, built through the API.

Each case builds the smallest graph that has exactly the problem under test, so
the list of problems is checked whole: the sentence's key words, the layer it
names and the node ids it badges (Problem.nodes).
"""

from __future__ import annotations

import pytest

from designer.graph import NetworkGraph, Problem
from tests.graph.published_networks import lenet5


def only_problem(g: NetworkGraph) -> Problem:
    problems = g.validate()
    assert len(problems) == 1, [p.message for p in problems]
    return problems[0]


def assert_sentence(message: str, *words: str) -> None:
    """One sentence: a capital or a layer name first, one full stop at the end, the key words inside."""
    assert message.endswith("."), message
    assert ". " not in message.rstrip("."), f"more than one sentence: {message}"
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


def input_into(g: NetworkGraph, input_shape, kind: str, /, **params) -> tuple[str, str]:
    """Input(input_shape) wired into one new layer; returns both ids."""
    x = g.add_layer("Input", shape=input_shape)
    node = g.add_layer(kind, **params)
    g.connect(x, node)
    return x, node


# --- the whole network ----------------------------------------------------------------

def test_empty_network():
    g = NetworkGraph()
    problem = only_problem(g)
    assert problem.message == "The network is empty; add an Input layer from the palette to start."
    assert problem.nodes == () and problem.node is None
    assert g.infer_shapes() == {}


def test_no_input_layer():
    g = NetworkGraph()
    a = g.add_layer("Flatten")
    d = g.add_layer("Dense")
    g.connect(a, d)
    messages = [p.message for p in g.validate()]
    # flatten_1 has nothing wired into it, and there is no Input at all.
    assert len(messages) == 2, messages
    no_input = [m for m in messages if "no Input layer" in m]
    assert len(no_input) == 1
    assert_sentence(no_input[0], "The network has no Input layer", "add one")
    assert any(m.startswith("flatten_1 has nothing wired") for m in messages)


def test_two_input_layers():
    g = NetworkGraph()
    x1 = g.add_layer("Input", shape=(3,))
    x2 = g.add_layer("Input", shape=(3,))
    add = g.add_layer("Add")
    g.connect(x1, add, 0)
    g.connect(x2, add, 1)
    problem = only_problem(g)
    assert_sentence(problem.message, "2 Input layers", "input_1 and input_2", "remove all but one")
    assert problem.nodes == (x2,)  # the first Input is kept; the extra one is badged
    assert g.infer_shapes()[add] == (3,)


def test_two_outputs():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    a = g.add_layer("Dense", units=2)
    b = g.add_layer("Dense", units=2)
    g.connect(x, a)
    g.connect(x, b)
    problem = only_problem(g)
    assert_sentence(problem.message, "ends in 2 layers", "dense_1 and dense_2", "one output", "Add", "Concat")
    assert problem.nodes == (a, b)


# --- wiring ------------------------------------------------------------------------------

def test_layer_with_nothing_wired_into_it():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    loose = g.add_layer("Dense", units=4)
    add = g.add_layer("Add")
    g.connect(x, add, 0)
    g.connect(loose, add, 1)
    problem = only_problem(g)
    assert problem.message == "dense_1 has nothing wired into its input; connect a layer's output to it."
    assert problem.nodes == (loose,)
    shapes = g.infer_shapes()
    assert shapes[loose] is None and shapes[add] is None  # no follow-on complaint about the Add


def test_add_with_only_one_input():
    g = NetworkGraph()
    x, add = input_into(g, (4,), "Add")
    problem = only_problem(g)
    assert_sentence(problem.message, "add_1 needs at least 2 inputs but has 1", "wire another layer")
    assert problem.nodes == (add,)
    assert g.infer_shapes()[add] is None


def test_wire_into_port_1_of_a_dense():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    d = g.add_layer("Dense")
    g.connect(x, d, 1)  # connect allows it; validate explains it
    problem = only_problem(g)
    assert_sentence(problem.message, "dense_1 takes one input", "port 1", "input_1", "remove it")
    assert problem.nodes == (d,)


def test_wire_into_an_input():
    g = NetworkGraph()
    x1 = g.add_layer("Input", shape=(4,))
    d = g.add_layer("Dense", units=4)
    x2 = g.add_layer("Input", shape=(4,))
    g.connect(x1, d)
    g.connect(d, x2)
    problems = [p for p in g.validate() if p.nodes == (x2,)]
    # input_2 is also the second Input, which badges it too; find the wiring sentence.
    wiring = [p for p in problems if "where data enters" in p.message]
    assert len(wiring) == 1
    assert_sentence(wiring[0].message, "input_2 is where data enters", "remove the wire from dense_1")


def test_cycle_of_two_layers():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    add = g.add_layer("Add")
    d = g.add_layer("Dense", units=4)
    g.connect(x, add, 0)
    g.connect(add, d)
    g.connect(d, add, 1)  # connect allows the loop; can_connect would refuse it
    problem = only_problem(g)
    assert_sentence(problem.message, "add_1 and dense_1 form a loop", "remove one of the wires", "one way")
    assert problem.nodes == (add, d)
    shapes = g.infer_shapes()
    assert shapes[add] is None and shapes[d] is None
    assert shapes[x] == (4,)


def test_self_loop():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    add = g.add_layer("Add")
    g.connect(x, add, 0)
    g.connect(add, add, 1)
    problem = only_problem(g)
    assert problem.message == "add_1 is wired into itself; remove that wire."
    assert problem.nodes == (add,)
    assert g.infer_shapes()[add] is None


# --- shapes --------------------------------------------------------------------------------

def test_add_inputs_of_different_shapes():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(5,))
    a = g.add_layer("Dense", units=3)
    b = g.add_layer("Dense", units=4)
    add = g.add_layer("Add")
    g.connect(x, a)
    g.connect(x, b)
    g.connect(a, add, 0)
    g.connect(b, add, 1)
    problem = only_problem(g)
    assert problem.message == (
        "add_1 adds inputs of different shapes: (3,) from dense_1 and (4,) from dense_2; "
        "make them the same shape."
    )
    assert problem.nodes == (add,)


def test_concat_inputs_that_differ_outside_the_channel_axis():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 8, 8))
    a = g.add_layer("Conv2D", filters=2, kernel_size=3)             # (2, 6, 6)
    b = g.add_layer("Conv2D", filters=2, kernel_size=3, padding=1)  # (2, 8, 8)
    cat = g.add_layer("Concat")
    g.connect(x, a)
    g.connect(x, b)
    g.connect(a, cat, 0)
    g.connect(b, cat, 1)
    problem = only_problem(g)
    assert_sentence(problem.message, "concat_1 joins", "(2, 6, 6) from conv2d_1", "(2, 8, 8) from conv2d_2",
                    "differ outside the first axis")
    assert problem.nodes == (cat,)


def test_concat_of_a_vector_and_an_image():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 2, 2))
    f = g.add_layer("Flatten")
    cat = g.add_layer("Concat")
    g.connect(x, f)
    g.connect(x, cat, 0)
    g.connect(f, cat, 1)
    problem = only_problem(g)
    assert_sentence(problem.message, "concat_1 joins", "(1, 2, 2) from input_1", "(4,) from flatten_1")


def test_conv_kernel_larger_than_its_input():
    g = NetworkGraph()
    _, conv = input_into(g, (1, 2, 2), "Conv2D", kernel_size=3)
    problem = only_problem(g)
    assert problem.message == (
        "conv2d_1 has a 3x3 kernel but its input is only 2x2; use a smaller kernel or more padding."
    )
    assert problem.nodes == (conv,)


def test_conv_kernel_larger_than_its_padded_input():
    g = NetworkGraph()
    input_into(g, (1, 2, 2), "Conv2D", kernel_size=7, padding=2)  # 2 + 2*2 = 6 < 7
    assert_sentence(only_problem(g).message, "conv2d_1 has a 7x7 kernel", "only 2x2 (padded by 2)")


@pytest.mark.parametrize("kind", ["MaxPool2D", "AvgPool2D"])
def test_pool_larger_than_its_input(kind):
    g = NetworkGraph()
    _, pool = input_into(g, (1, 3, 3), kind, pool_size=4)
    problem = only_problem(g)
    name = kind.lower() + "_1"
    assert problem.message == f"{name} has a 4x4 pool but its input is only 3x3; use a smaller pool or more padding."
    assert problem.nodes == (pool,)


@pytest.mark.parametrize("kind", ["MaxPool2D", "AvgPool2D"])
def test_pool_padding_more_than_half(kind):
    g = NetworkGraph()
    _, pool = input_into(g, (1, 8, 8), kind, pool_size=2, padding=2)
    problem = only_problem(g)
    name = kind.lower() + "_1"
    assert problem.message == f"{name} pads by 2, more than half its 2x2 pool; use a padding from 0 to 1."
    assert problem.nodes == (pool,)


def test_same_padding_with_stride_2():
    g = NetworkGraph()
    _, conv = input_into(g, (1, 8, 8), "Conv2D", kernel_size=3, stride=2, padding="same")
    problem = only_problem(g)
    assert_sentence(problem.message, "conv2d_1 uses padding 'same'", "stride 1", "odd kernel size",
                    "a padding number or 'valid'")
    assert problem.nodes == (conv,)


def test_same_padding_on_a_pool_with_its_default_stride():
    g = NetworkGraph()
    input_into(g, (1, 8, 8), "MaxPool2D", padding="same")  # stride None = 2
    assert_sentence(only_problem(g).message, "maxpool2d_1 uses padding 'same'", "odd pool size")


def test_same_padding_with_an_even_kernel():
    g = NetworkGraph()
    input_into(g, (1, 8, 8), "Conv2D", kernel_size=4, padding="same")
    assert_sentence(only_problem(g).message, "conv2d_1 uses padding 'same'", "odd kernel size")


def test_dense_after_an_image():
    g = NetworkGraph()
    _, dense = input_into(g, (16, 5, 5), "Dense", name="dense_2", units=120)
    problem = only_problem(g)
    assert problem.message == "dense_2 needs a flat input but gets (16, 5, 5); put a Flatten before it."
    assert problem.nodes == (dense,)


def test_conv_on_a_flat_input_suggests_the_image_shape():
    g = NetworkGraph()
    _, conv = input_into(g, (784,), "Conv2D")
    problem = only_problem(g)
    assert problem.message == (
        "conv2d_1 needs an image input (channels, height, width) but gets (784,); "
        "set the Input shape to (1, 28, 28) or put a Reshape to (1, 28, 28) before it."
    )
    assert problem.nodes == (conv,)


def test_conv_on_a_flat_input_that_is_not_square():
    g = NetworkGraph()
    input_into(g, (10,), "Conv2D")
    assert_sentence(only_problem(g).message, "conv2d_1 needs an image input", "(10,)",
                    "(channels, height, width)", "Reshape")


def test_pool_on_a_flat_input():
    g = NetworkGraph()
    input_into(g, (16,), "MaxPool2D")
    assert_sentence(only_problem(g).message, "maxpool2d_1 needs an image input", "(1, 4, 4)")


def test_simple_rnn_on_a_flat_input():
    g = NetworkGraph()
    _, rnn = input_into(g, (10,), "SimpleRNN")
    problem = only_problem(g)
    assert problem.message == (
        "simplernn_1 needs a sequence input (steps, features) but gets (10,); "
        "set the Input shape to (steps, features)."
    )
    assert problem.nodes == (rnn,)


def test_rbf_after_an_image():
    g = NetworkGraph()
    input_into(g, (1, 4, 4), "RBF")
    assert_sentence(only_problem(g).message, "rbf_1 needs a flat input", "(1, 4, 4)", "Flatten")


def test_reshape_whose_product_does_not_match():
    g = NetworkGraph()
    _, reshape = input_into(g, (10,), "Reshape", shape=(3, 4))
    problem = only_problem(g)
    assert problem.message == (
        "reshape_1 cannot reshape (10,) (10 values) to (3, 4) (12 values); choose sizes whose product is 10."
    )
    assert problem.nodes == (reshape,)


def test_reshape_with_minus_one_that_does_not_divide():
    g = NetworkGraph()
    input_into(g, (10,), "Reshape", shape=(3, -1))
    assert_sentence(only_problem(g).message, "reshape_1 cannot reshape (10,)", "(3, -1)",
                    "10 is not a multiple of 3")


# --- parameters and kinds ---------------------------------------------------------------------

@pytest.mark.parametrize("units", [0, -5])
def test_units_out_of_range(units):
    g = NetworkGraph()
    _, dense = input_into(g, (4,), "Dense", units=units)
    problem = only_problem(g)
    assert problem.message == f"dense_1: units must be a whole number from 1 to 1000000, not {units}."
    assert problem.nodes == (dense,)
    assert g.infer_shapes()[dense] is None


@pytest.mark.parametrize("value, shown", [(True, "True"), (2.5, "2.5"), ("16", "'16'")])
def test_units_of_the_wrong_type(value, shown):
    g = NetworkGraph()
    input_into(g, (4,), "Dense", units=value)
    assert only_problem(g).message == f"dense_1: units must be a whole number from 1 to 1000000, not {shown}."


def test_bad_float_and_choice_and_input_shape():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(0, 28))
    drop = g.add_layer("Dropout", rate=float("nan"))
    act = g.add_layer("Activation", function="swish")
    g.connect(x, drop)
    g.connect(drop, act)
    by_node = {p.nodes: p.message for p in g.validate()}
    assert set(by_node) == {(x,), (drop,), (act,)}
    assert_sentence(by_node[(x,)], "input_1: shape must be a tuple", "not (0, 28)")
    assert_sentence(by_node[(drop,)], "dropout_1: rate must be a number from 0", "not nan")
    assert_sentence(by_node[(act,)], "activation_1: function must be one of", "'relu'", "not 'swish'")


def test_unknown_kind():
    g = NetworkGraph()
    x, foo = input_into(g, (4,), "Foo")
    problem = only_problem(g)
    assert problem.message == (
        "foo_1 is of kind 'Foo', which NN Designer does not know; replace it with a layer from the palette."
    )
    assert problem.nodes == (foo,)
    assert g.infer_shapes()[foo] is None


def test_unknown_parameter():
    g = NetworkGraph()
    _, dense = input_into(g, (4,), "Dense", unitz=3)
    problem = only_problem(g)
    assert problem.message == (
        "dense_1 has a parameter 'unitz' that Dense does not take; remove it "
        "(Dense takes units, activation, use_bias, init)."
    )
    assert problem.nodes == (dense,)


def test_parameter_on_a_kind_without_parameters():
    g = NetworkGraph()
    input_into(g, (4,), "Flatten", axis=1)
    assert_sentence(only_problem(g).message, "flatten_1 has a parameter 'axis'", "Flatten takes no parameters")


# --- Hopfield ------------------------------------------------------------------------------

def test_hopfield_alone_is_valid():
    g = NetworkGraph()
    h = g.add_layer("Hopfield", shape=(8, 8))
    assert g.validate() == []
    assert g.infer_shapes() == {h: (8, 8)}


def test_hopfield_wired_into_a_dense():
    g = NetworkGraph()
    h = g.add_layer("Hopfield")
    d = g.add_layer("Dense")
    g.connect(h, d)
    problems = g.validate()
    hop = [p for p in problems if p.nodes == (h,)]
    assert len(hop) == 1
    assert hop[0].message == (
        "hopfield_1 is a whole Hopfield network on its own and cannot be wired to other layers; "
        "remove its wires to dense_1."
    )
    # The Dense is not blamed for the Hopfield's wire; the only other sentence is the missing Input.
    others = [p.message for p in problems if p is not hop[0]]
    assert len(others) == 1 and "no Input layer" in others[0]
    assert not any(d in p.nodes for p in problems)


def test_dense_wired_into_a_hopfield():
    g = NetworkGraph()
    x, d = input_into(g, (4,), "Dense")
    h = g.add_layer("Hopfield")
    g.connect(d, h)
    problem = only_problem(g)
    assert_sentence(problem.message, "hopfield_1 is a whole Hopfield network", "remove its wires to dense_1")
    assert problem.nodes == (h,)


def test_hopfield_beside_other_layers():
    g = NetworkGraph()
    input_into(g, (4,), "Dense")
    h = g.add_layer("Hopfield")
    problem = only_problem(g)
    assert problem.message == (
        "hopfield_1 is a whole Hopfield network on its own; keep it in a project without other layers."
    )
    assert problem.nodes == (h,)


def test_two_hopfields():
    g = NetworkGraph()
    h1 = g.add_layer("Hopfield")
    h2 = g.add_layer("Hopfield")
    problems = g.validate()
    assert [p.nodes for p in problems] == [(h1,), (h2,)]
    assert all("keep it in a project without other layers" in p.message for p in problems)


# --- no cascades -----------------------------------------------------------------------------

def test_a_bad_shape_upstream_is_one_problem():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 28, 28))
    d1 = g.add_layer("Dense", units=32)  # needs a Flatten first
    d2 = g.add_layer("Dense", units=16)
    d3 = g.add_layer("Dense", units=10)
    g.connect(x, d1)
    g.connect(d1, d2)
    g.connect(d2, d3)
    problem = only_problem(g)
    assert problem.nodes == (d1,)
    assert g.infer_shapes() == {x: (1, 28, 28), d1: None, d2: None, d3: None}
    assert g.analysis().problems_of(d2) == [] and g.analysis().problems_of(d3) == []


def test_a_bad_parameter_upstream_is_one_problem():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 8, 8))
    conv = g.add_layer("Conv2D", filters=0)
    flat = g.add_layer("Flatten")
    dense = g.add_layer("Dense", units=10)
    g.connect(x, conv)
    g.connect(conv, flat)
    g.connect(flat, dense)
    problem = only_problem(g)
    assert problem.nodes == (conv,)
    assert problem.message.startswith("conv2d_1: filters must be")
    shapes = g.infer_shapes()
    assert shapes[flat] is None and shapes[dense] is None


def test_a_loop_upstream_is_one_problem():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    add = g.add_layer("Add")
    d = g.add_layer("Dense", units=4)
    out = g.add_layer("Dense", units=2)
    g.connect(x, add, 0)
    g.connect(add, d)
    g.connect(d, add, 1)
    g.connect(d, out)
    problem = only_problem(g)
    assert problem.nodes == (add, d)
    assert g.infer_shapes()[out] is None


def test_fixing_the_problem_brings_the_shapes_back():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    d1 = g.add_layer("Dense", units=0)
    d2 = g.add_layer("Dense", units=2)
    g.connect(x, d1)
    g.connect(d1, d2)
    assert len(g.validate()) == 1
    g.set_params(d1, units=5)
    assert g.validate() == []
    assert g.infer_shapes() == {x: (3,), d1: (5,), d2: (2,)}


def test_problems_of_finds_a_layers_sentences():
    g = NetworkGraph()
    _, d = input_into(g, (4,), "Dense", units=0, activation="nope")
    analysis = g.analysis()
    assert len(analysis.problems_of(d)) == 2  # both bad values are reported, one sentence each
    assert str(analysis.problems_of(d)[0]) == analysis.problems_of(d)[0].message


# --- good networks ----------------------------------------------------------------------------

def test_lenet5_is_valid():
    assert lenet5().validate() == []


def test_skip_network_is_valid():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    d1 = g.add_layer("Dense", units=8, activation="relu")
    d2 = g.add_layer("Dense", units=8)
    add = g.add_layer("Add")
    g.connect(x, d1)
    g.connect(d1, d2)
    g.connect(d1, add, 0)  # the skip
    g.connect(d2, add, 1)
    assert g.validate() == []
    assert g.infer_shapes()[add] == (8,)
