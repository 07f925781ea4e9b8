"""The layer catalogue: defaults, parameter checks, shapes, weight arrays and multiply-adds.

Every number here is worked out by hand in a comment next to it. Shapes never
include the batch axis; parameter counts are the sizes of the arrays a kind says
it owns, split into trainable and non-trainable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest

from designer.graph import CATALOGUE, ArraySpec, NetworkGraph, format_shape, layer_kind
from designer.graph.params import (
    BoolParam,
    ChoiceParam,
    FloatParam,
    IntParam,
    PaddingParam,
    ShapeParam,
)


@dataclass
class Built:
    graph: NetworkGraph
    node: str
    shape: tuple[int, ...] | None
    arrays: dict[str, ArraySpec]
    trainable: int
    non_trainable: int
    mult_adds: int


def measure(g: NetworkGraph, node: str) -> Built:
    """Read a layer's shape, arrays and cost the way the summary does: from the catalogue."""
    assert g.validate() == [], [p.message for p in g.validate()]
    shape = g.infer_shapes()[node]
    kind = CATALOGUE[g.kind(node)]
    inputs = g.analysis().input_shapes[node]
    params = g.params(node)
    arrays = kind.arrays(params, inputs, shape)
    return Built(
        graph=g,
        node=node,
        shape=shape,
        arrays=arrays,
        trainable=sum(a.size for a in arrays.values() if a.trainable),
        non_trainable=sum(a.size for a in arrays.values() if not a.trainable),
        mult_adds=kind.mult_adds(params, inputs, shape),
    )


def build(kind: str, input_shape, /, **params) -> Built:
    """Input(input_shape) -> one layer of `kind`, measured."""
    g = NetworkGraph()
    x = g.add_layer("Input", shape=input_shape)
    node = g.add_layer(kind, **params)
    g.connect(x, node)
    return measure(g, node)


def shape_problem(kind: str, input_shape, /, **params) -> str:
    """The one problem an Input(input_shape) -> kind graph has."""
    g = NetworkGraph()
    x = g.add_layer("Input", shape=input_shape)
    node = g.add_layer(kind, **params)
    g.connect(x, node)
    problems = g.validate()
    assert len(problems) == 1, problems
    assert problems[0].nodes == (node,)
    assert g.infer_shapes()[node] is None
    return problems[0].message


# --- every kind: defaults make a valid layer -------------------------------------------

def _alone(g: NetworkGraph, kind: str) -> str:
    return g.add_layer(kind)


def _after_input(input_shape):
    def wire(g: NetworkGraph, kind: str) -> str:
        x = g.add_layer("Input", shape=input_shape)
        node = g.add_layer(kind)
        g.connect(x, node)
        return node
    return wire


def _merge(g: NetworkGraph, kind: str) -> str:
    x = g.add_layer("Input", shape=(3,))
    node = g.add_layer(kind)
    g.connect(x, node, 0)
    g.connect(x, node, 1)
    return node


# How a layer dropped from the palette with its defaults is wired to be valid.
DEFAULT_CONTEXTS = {
    "Input": _alone,
    "Dense": _after_input((2,)),
    "Conv2D": _after_input((1, 8, 8)),
    "MaxPool2D": _after_input((1, 8, 8)),
    "AvgPool2D": _after_input((1, 8, 8)),
    "Flatten": _after_input((2, 3, 3)),
    "Reshape": _after_input((2, 3, 3)),
    "Dropout": _after_input((2,)),
    "BatchNorm": _after_input((2,)),
    "Activation": _after_input((2,)),
    "Add": _merge,
    "Concat": _merge,
    "SimpleRNN": _after_input((5, 3)),
    "RBF": _after_input((2,)),
    "Hopfield": _alone,
}


def test_every_kind_has_a_default_context():
    # A new kind must get a line above (and cases below) before this passes.
    assert set(DEFAULT_CONTEXTS) == set(CATALOGUE)


@pytest.mark.parametrize("kind_name", sorted(CATALOGUE))
def test_defaults_pass_their_own_checks(kind_name):
    kind = CATALOGUE[kind_name]
    for param in kind.params:
        assert param.problem(param.default) is None, (kind_name, param.name, param.default)
    assert set(kind.defaults()) == set(kind.param_names)


@pytest.mark.parametrize("kind_name", sorted(CATALOGUE))
def test_layer_dropped_with_defaults_is_valid_once_wired(kind_name):
    g = NetworkGraph()
    node = DEFAULT_CONTEXTS[kind_name](g, kind_name)
    assert g.params(node) == CATALOGUE[kind_name].defaults()
    assert g.validate() == []
    assert g.infer_shapes()[node] is not None


@pytest.mark.parametrize("kind_name", sorted(CATALOGUE))
def test_every_kind_describes_itself(kind_name):
    kind = CATALOGUE[kind_name]
    assert layer_kind(kind_name) is kind
    assert kind.name == kind_name
    assert kind.description.strip() and kind.category.strip()
    for param in kind.params:
        assert param.help.strip(), (kind_name, param.name)
        assert param.describe().strip()


def test_unknown_kind_is_not_in_the_catalogue():
    assert layer_kind("Foo") is None
    assert layer_kind("dense") is None  # kind names are case-sensitive


# --- parameter checks ---------------------------------------------------------------

ALL_PARAMS = [(kind.name, p) for kind in CATALOGUE.values() for p in kind.params]


def _ids(item):
    kind_name, param = item
    return f"{kind_name}.{param.name}"


def bad_values(param):
    """Values a parameter must refuse: wrong types, out of range, not finite, unknown choices."""
    if isinstance(param, IntParam):
        values = [True, False, param.minimum - 1, param.maximum + 1, 10**15, -5, 2.0, float("nan"), "3", [1]]
        if not param.optional:
            values.append(None)
        return [v for v in values if not (isinstance(v, int) and not isinstance(v, bool)
                                          and param.minimum <= v <= param.maximum)]
    if isinstance(param, FloatParam):
        values = [float("nan"), float("inf"), float("-inf"), True, "0.5", None,
                  param.minimum - 1e-3, param.maximum + 1e-3, -5, 10**15]
        if not param.include_maximum:
            values.append(param.maximum)
        return values
    if isinstance(param, BoolParam):
        return [1, 0, "true", "False", None, 1.0]
    if isinstance(param, ChoiceParam):
        return ["nope", param.choices[0].upper(), " " + param.choices[0], None, 1, True, ["x"]]
    if isinstance(param, PaddingParam):
        return [-1, -5, param.maximum + 1, 10**15, "SAME", "full", "", True, 1.0, None, float("nan")]
    if isinstance(param, ShapeParam):
        values = [
            (), [1] * param.min_length, None, 5, "1,2",
            (1,) * (param.max_length + 1),
            (0,) * param.min_length,
            (param.maximum + 1,) * param.min_length,
            (True,) * param.min_length,
            (2.0,) * param.min_length,
            (-5,) * param.min_length,
        ]
        if param.min_length > 1:
            values.append((1,) * (param.min_length - 1))
        if param.allow_infer:
            values.append((-1, -1))  # only one size may be inferred
        else:
            values.append((-1,) * param.min_length)
        return values
    raise AssertionError(f"no bad values for {type(param).__name__}")


def good_values(param):
    """Boundary values a parameter must accept."""
    if isinstance(param, IntParam):
        return [param.minimum, param.maximum] + ([None] if param.optional else [])
    if isinstance(param, FloatParam):
        top = param.maximum if param.include_maximum else math.nextafter(param.maximum, -math.inf)
        return [param.minimum, top, (param.minimum + param.maximum) / 2]
    if isinstance(param, BoolParam):
        return [True, False]
    if isinstance(param, ChoiceParam):
        return list(param.choices)
    if isinstance(param, PaddingParam):
        return [0, param.maximum, "same", "valid"]
    if isinstance(param, ShapeParam):
        values = [(1,) * param.min_length, (param.maximum,) * param.max_length]
        if param.allow_infer:
            values.append((-1,) + (1,) * (param.min_length - 1))
        return values
    raise AssertionError(f"no good values for {type(param).__name__}")


@pytest.mark.parametrize("item", ALL_PARAMS, ids=_ids)
def test_param_refuses_bad_values(item):
    kind_name, param = item
    for value in bad_values(param):
        reason = param.problem(value)
        assert reason is not None, f"{kind_name}.{param.name} accepted {value!r}"
        # The reason continues "<layer>: <param> ...", so it starts in lower case.
        assert reason[0].islower() and not reason.endswith("."), reason


@pytest.mark.parametrize("item", ALL_PARAMS, ids=_ids)
def test_param_accepts_boundary_values(item):
    kind_name, param = item
    for value in good_values(param):
        assert param.problem(value) is None, f"{kind_name}.{param.name} refused {value!r}"


def test_units_reason_is_the_documented_sentence():
    units = CATALOGUE["Dense"].param("units")
    assert units.problem(0) == "must be a whole number from 1 to 1000000"
    assert units.problem(-5) == "must be a whole number from 1 to 1000000"
    assert units.problem(10**15) == "must be a whole number from 1 to 1000000"
    assert units.problem(True) == "must be a whole number from 1 to 1000000"  # bool is not a number of units
    assert units.problem(1) is None and units.problem(1_000_000) is None


def test_optional_pool_stride_accepts_none_only_there():
    assert CATALOGUE["MaxPool2D"].param("stride").problem(None) is None
    assert CATALOGUE["Conv2D"].param("stride").problem(None) is not None


def test_dropout_rate_of_one_is_refused_but_zero_is_kept():
    # A rate of 1 would drop everything (and divide by zero when rescaling).
    rate = CATALOGUE["Dropout"].param("rate")
    assert rate.problem(1.0) is not None
    assert rate.problem(0.0) is None
    assert rate.problem(0.999) is None


def test_shape_param_reads_lists_back_from_json():
    shape = CATALOGUE["Input"].param("shape")
    assert shape.to_json((1, 28, 28)) == [1, 28, 28]
    assert shape.from_json([1, 28, 28]) == (1, 28, 28)
    assert shape.problem(shape.from_json(shape.to_json((1, 28, 28)))) is None


def test_format_shape_writes_python_tuples():
    assert format_shape((16,)) == "(16,)"
    assert format_shape((1, 28, 28)) == "(1, 28, 28)"


# --- Input ----------------------------------------------------------------------------

def test_input_passes_its_shape_and_owns_nothing():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3, 32, 32))
    built = measure(g, x)
    assert built.shape == (3, 32, 32)
    assert built.arrays == {} and built.mult_adds == 0


# --- Dense ------------------------------------------------------------------------------

def test_dense_with_bias():
    built = build("Dense", (3,), units=4)
    assert built.shape == (4,)
    assert {k: a.shape for k, a in built.arrays.items()} == {"W": (3, 4), "b": (4,)}  # W is (in, out)
    assert built.trainable == 16      # 3*4 + 4
    assert built.non_trainable == 0
    assert built.mult_adds == 12      # 3*4; the bias add is not a multiply


def test_dense_without_bias():
    built = build("Dense", (3,), units=4, use_bias=False)
    assert set(built.arrays) == {"W"}
    assert built.trainable == 12      # 3*4
    assert built.mult_adds == 12


def test_dense_activation_does_not_change_counts():
    built = build("Dense", (3,), units=4, activation="softmax")
    assert built.shape == (4,) and built.trainable == 16


# --- Conv2D -----------------------------------------------------------------------------

def test_conv2d_defaults_on_an_rgb_image():
    built = build("Conv2D", (3, 8, 8))                 # 8 filters, 3x3, stride 1, padding 0
    assert built.shape == (8, 6, 6)                    # 8 - 3 + 1 = 6
    assert built.arrays["W"].shape == (8, 3, 3, 3)     # (out, in, kh, kw)
    assert built.arrays["b"].shape == (8,)
    assert built.trainable == 224                      # 8*3*3*3 + 8 = 216 + 8
    assert built.mult_adds == 7_776                    # 8*6*6 outputs * 3*3*3 each = 288 * 27


def test_conv2d_stride_2_padding_1():
    built = build("Conv2D", (3, 8, 8), filters=4, kernel_size=3, stride=2, padding=1)
    assert built.shape == (4, 4, 4)                    # (8 + 2*1 - 3) // 2 + 1 = 7 // 2 + 1 = 4
    assert built.trainable == 112                      # 4*3*9 + 4
    assert built.mult_adds == 1_728                    # 4*4*4 outputs * 3*9 = 64 * 27


def test_conv2d_stride_2_drops_the_leftover_column():
    built = build("Conv2D", (1, 7, 7), filters=1, kernel_size=2, stride=2)
    assert built.shape == (1, 3, 3)                    # (7 - 2) // 2 + 1 = 3


def test_conv2d_same_keeps_the_size():
    built = build("Conv2D", (1, 5, 5), filters=2, kernel_size=3, padding="same")
    assert built.shape == (2, 5, 5)                    # pads (3 - 1) / 2 = 1
    assert built.trainable == 20                       # 2*1*9 + 2
    assert built.mult_adds == 450                      # 2*5*5 outputs * 1*9
    five = build("Conv2D", (1, 7, 7), filters=1, kernel_size=5, padding="same")
    assert five.shape == (1, 7, 7)                     # pads 2


def test_conv2d_valid_pads_nothing():
    built = build("Conv2D", (1, 5, 5), filters=2, kernel_size=3, padding="valid")
    assert built.shape == (2, 3, 3)                    # 5 - 3 + 1
    assert built.mult_adds == 162                      # 2*3*3 * 9


def test_conv2d_without_bias():
    built = build("Conv2D", (3, 5, 5), filters=2, kernel_size=3, use_bias=False)
    assert set(built.arrays) == {"W"}
    assert built.arrays["W"].shape == (2, 3, 3, 3)
    assert built.trainable == 54                       # 2*3*3*3


def test_conv2d_kernel_exactly_the_input_size_gives_one_pixel():
    built = build("Conv2D", (2, 4, 4), filters=3, kernel_size=4)
    assert built.shape == (3, 1, 1)
    assert built.mult_adds == 96                       # 3 outputs * 2*4*4


# --- pooling ----------------------------------------------------------------------------

POOLS = ["MaxPool2D", "AvgPool2D"]


@pytest.mark.parametrize("kind", POOLS)
def test_pool_stride_none_means_pool_size(kind):
    built = build(kind, (3, 8, 8))                      # pool 2, stride None
    assert built.shape == (3, 4, 4)                     # 8 / 2, channels kept
    assert built.arrays == {} and built.mult_adds == 0
    three = build(kind, (1, 7, 7), pool_size=3)
    assert three.shape == (1, 2, 2)                     # (7 - 3) // 3 + 1 = 2


@pytest.mark.parametrize("kind", POOLS)
def test_pool_explicit_stride(kind):
    built = build(kind, (1, 4, 4), pool_size=2, stride=1)
    assert built.shape == (1, 3, 3)                     # (4 - 2) // 1 + 1


@pytest.mark.parametrize("kind", POOLS)
def test_pool_padding(kind):
    built = build(kind, (2, 5, 5), pool_size=3, stride=1, padding=1)
    assert built.shape == (2, 5, 5)                     # (5 + 2 - 3) // 1 + 1
    half = build(kind, (1, 5, 5), pool_size=2, padding=1)
    assert half.shape == (1, 3, 3)                      # (5 + 2 - 2) // 2 + 1 = 3, as PyTorch
    same = build(kind, (1, 6, 6), pool_size=3, stride=1, padding="same")
    assert same.shape == (1, 6, 6)
    valid = build(kind, (1, 6, 6), pool_size=3, padding="valid")
    assert valid.shape == (1, 2, 2)                     # (6 - 3) // 3 + 1


# --- shape changes ----------------------------------------------------------------------

def test_flatten():
    built = build("Flatten", (3, 4, 5))
    assert built.shape == (60,)                         # 3*4*5
    assert built.arrays == {} and built.mult_adds == 0
    assert build("Flatten", (7,)).shape == (7,)
    assert build("Flatten", (6, 2)).shape == (12,)


def test_reshape_with_minus_one():
    assert build("Reshape", (1, 28, 28)).shape == (784,)              # default (-1,)
    assert build("Reshape", (3, 4, 4), shape=(4, -1)).shape == (4, 12)  # 48 / 4
    assert build("Reshape", (48,), shape=(2, -1, 4)).shape == (2, 6, 4)  # 48 / 8
    assert build("Reshape", (784,), shape=(1, 28, 28)).shape == (1, 28, 28)
    built = build("Reshape", (48,), shape=(4, 12))
    assert built.arrays == {} and built.mult_adds == 0


def test_reshape_list_is_stored_as_tuple():
    built = build("Reshape", (784,), shape=[1, 28, -1])
    assert built.graph.params(built.node)["shape"] == (1, 28, -1)
    assert built.shape == (1, 28, 28)


# --- regularisation and normalisation -----------------------------------------------------

def test_dropout_keeps_the_shape():
    assert build("Dropout", (5,), rate=0.2).shape == (5,)
    built = build("Dropout", (2, 3, 3), rate=0.0)
    assert built.shape == (2, 3, 3)
    assert built.arrays == {} and built.mult_adds == 0


def test_batchnorm_on_features():
    built = build("BatchNorm", (6,))
    assert built.shape == (6,)
    assert {k: (a.shape, a.trainable) for k, a in built.arrays.items()} == {
        "gamma": ((6,), True), "beta": ((6,), True),
        "running_mean": ((6,), False), "running_var": ((6,), False),
    }
    assert built.trainable == 12                        # 2*6
    assert built.non_trainable == 12                    # 2*6
    assert built.mult_adds == 6                         # one scale-and-shift per element


def test_batchnorm_on_channels():
    built = build("BatchNorm", (4, 3, 3))
    assert built.shape == (4, 3, 3)
    assert built.trainable == 8                         # gamma, beta per channel: 2*4
    assert built.non_trainable == 8                     # running mean and variance: 2*4
    assert built.mult_adds == 36                        # 4*3*3 elements


def test_batchnorm_refuses_a_sequence():
    message = shape_problem("BatchNorm", (5, 3))
    assert message.startswith("batchnorm_1 normalises features")
    assert "(5, 3)" in message and "Flatten" in message


@pytest.mark.parametrize("function", CATALOGUE["Activation"].param("function").choices)
def test_activation_keeps_the_shape(function):
    built = build("Activation", (2, 3, 3), function=function)
    assert built.shape == (2, 3, 3)
    assert built.arrays == {} and built.mult_adds == 0


def test_activation_choices_match_dense_and_conv():
    # The design: Dense/Conv2D `activation` takes the same names as Activation.function.
    names = set(CATALOGUE["Activation"].param("function").choices)
    assert names == {"relu", "sigmoid", "tanh", "leaky_relu", "softmax", "linear"}
    assert set(CATALOGUE["Dense"].param("activation").choices) == names
    assert set(CATALOGUE["Conv2D"].param("activation").choices) == names


# --- merges -------------------------------------------------------------------------------

def _two_branches(kind: str, input_shape, first: dict, second: dict, branch: str) -> Built:
    g = NetworkGraph()
    x = g.add_layer("Input", shape=input_shape)
    a = g.add_layer(branch, **first)
    b = g.add_layer(branch, **second)
    m = g.add_layer(kind)
    g.connect(x, a)
    g.connect(x, b)
    g.connect(a, m, 0)
    g.connect(b, m, 1)
    return measure(g, m)


def test_add_of_two_vectors():
    built = _two_branches("Add", (5,), {"units": 4}, {"units": 4}, "Dense")
    assert built.shape == (4,)
    assert built.arrays == {} and built.mult_adds == 0


def test_add_of_three_images():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(2, 3, 3))
    add = g.add_layer("Add")
    for port in range(3):
        g.connect(x, add, port)
    assert measure(g, add).shape == (2, 3, 3)


def test_concat_of_vectors():
    built = _two_branches("Concat", (5,), {"units": 3}, {"units": 4}, "Dense")
    assert built.shape == (7,)                          # 3 + 4 features
    assert built.arrays == {} and built.mult_adds == 0


def test_concat_of_images_joins_channels():
    built = _two_branches("Concat", (1, 6, 6),
                          {"filters": 2, "padding": 1}, {"filters": 3, "padding": 1}, "Conv2D")
    assert built.shape == (5, 6, 6)                     # 2 + 3 channels, 6x6 kept


def test_concat_in_port_order():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(2,))
    d = g.add_layer("Dense", units=3)
    c = g.add_layer("Concat")
    g.connect(x, d)
    g.connect(x, c, 0)
    g.connect(d, c, 1)
    g.connect(x, c, 2)
    assert measure(g, c).shape == (7,)                  # 2 + 3 + 2


# --- recurrent ------------------------------------------------------------------------------

def test_simple_rnn_last_state():
    built = build("SimpleRNN", (5, 3), units=4)
    assert built.shape == (4,)
    assert {k: a.shape for k, a in built.arrays.items()} == {"W": (3, 4), "U": (4, 4), "b": (4,)}
    assert built.trainable == 32                        # f*u + u*u + u = 3*4 + 4*4 + 4 = 12 + 16 + 4
    assert built.mult_adds == 140                       # 5 steps * (3*4 + 4*4) = 5 * 28


def test_simple_rnn_return_sequences():
    built = build("SimpleRNN", (5, 3), units=4, return_sequences=True)
    assert built.shape == (5, 4)                        # one state per step
    assert built.trainable == 32                        # same weights either way


# --- classic networks ---------------------------------------------------------------------------

def test_rbf():
    built = build("RBF", (3,), units=5)
    assert built.shape == (5,)
    assert {k: a.shape for k, a in built.arrays.items()} == {"centers": (5, 3), "widths": (5,)}
    assert built.trainable == 20                        # 5*3 + 5
    assert built.mult_adds == 15                        # 5 units * 3 inputs


def test_hopfield():
    g = NetworkGraph()
    h = g.add_layer("Hopfield", shape=(4, 5), rule="storkey")
    built = measure(g, h)
    assert built.shape == (4, 5)
    assert built.arrays["weights"].shape == (20, 20)    # N = 4*5
    assert built.trainable == 0
    assert built.non_trainable == 400                   # N*N
    assert built.mult_adds == 400                       # one update of every neuron


def test_hopfield_shape_is_rows_and_columns():
    shape = CATALOGUE["Hopfield"].param("shape")
    assert shape.problem((10,)) is not None             # a grid needs two sides
    assert shape.problem((10, 10, 10)) is not None
    assert shape.problem((128, 128)) is None
    assert shape.problem((129, 1)) is not None


# --- coverage of this file ---------------------------------------------------------------

def test_every_kind_has_hand_computed_cases():
    covered = {"Input", "Dense", "Conv2D", "MaxPool2D", "AvgPool2D", "Flatten", "Reshape", "Dropout",
               "BatchNorm", "Activation", "Add", "Concat", "SimpleRNN", "RBF", "Hopfield"}
    assert covered == set(CATALOGUE)
