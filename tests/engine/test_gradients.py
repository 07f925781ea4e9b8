"""Every layer kind and activation against finite differences (float64)."""

import numpy as np
import pytest

from designer import NetworkGraph
from designer.graph import CATALOGUE

from .gradcheck import chain, check_model_gradients

rng = np.random.default_rng(0)
ACTIVATIONS = ["linear", "relu", "sigmoid", "tanh", "leaky_relu", "softmax"]


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_dense_with_each_activation(activation):
    g = chain((4,), [("Dense", dict(units=5, activation=activation)), ("Dense", dict(units=3))])
    check_model_gradients(g, rng.standard_normal((6, 4)))


@pytest.mark.parametrize("function", ACTIVATIONS)
def test_activation_layer(function):
    g = chain((3, 4, 4), [("Activation", dict(function=function, negative_slope=0.2)), ("Flatten", {}),
                          ("Dense", dict(units=2))])
    check_model_gradients(g, rng.standard_normal((3, 3, 4, 4)))


def test_dense_without_bias_and_with_each_initialiser():
    for init in ("default", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal"):
        g = chain((3,), [("Dense", dict(units=4, use_bias=False, init=init, activation="tanh"))])
        errors = check_model_gradients(g, rng.standard_normal((5, 3)))
        assert set(errors) == {"dense_1.W", "input"}


@pytest.mark.parametrize("stride, padding, kernel", [(1, 0, 3), (2, 1, 3), (1, "same", 3), (2, "valid", 2),
                                                     (3, 2, 4), (1, 0, 1)])
def test_conv2d(stride, padding, kernel):
    g = chain((2, 7, 6), [("Conv2D", dict(filters=3, kernel_size=kernel, stride=stride, padding=padding,
                                          activation="tanh")), ("Flatten", {}), ("Dense", dict(units=2))])
    check_model_gradients(g, rng.standard_normal((2, 2, 7, 6)))


def test_conv2d_first_layer_without_bias():
    g = chain((1, 5, 5), [("Conv2D", dict(filters=2, kernel_size=3, use_bias=False))])
    check_model_gradients(g, rng.standard_normal((3, 1, 5, 5)))


@pytest.mark.parametrize("kind", ["MaxPool2D", "AvgPool2D"])
@pytest.mark.parametrize("pool, stride, padding", [(2, None, 0), (3, 2, 1), (2, 1, 0), (3, 1, "same"), (2, 3, 1)])
def test_pooling(kind, pool, stride, padding):
    g = chain((2, 7, 7), [(kind, dict(pool_size=pool, stride=stride, padding=padding)), ("Flatten", {}),
                          ("Dense", dict(units=3))])
    # distinct values, so that no window has a tie for its maximum
    X = rng.permutation(2 * 2 * 7 * 7).reshape(2, 2, 7, 7) / 10.0
    check_model_gradients(g, X)


@pytest.mark.parametrize("shape", [(5,), (3, 4, 4)])
@pytest.mark.parametrize("training", [True, False])
def test_batchnorm(shape, training):
    g = chain(shape, [("BatchNorm", {}), ("Flatten", {}), ("Dense", dict(units=2, activation="tanh"))])
    check_model_gradients(g, rng.standard_normal((6,) + shape), training=training)


def test_dropout_in_evaluation_is_the_identity_and_its_gradient_passes_through():
    g = chain((6,), [("Dropout", dict(rate=0.5)), ("Dense", dict(units=2))])
    check_model_gradients(g, rng.standard_normal((4, 6)), training=False)


def test_reshape_flatten_chain():
    g = chain((12,), [("Reshape", dict(shape=(3, 2, 2))), ("Conv2D", dict(filters=2, kernel_size=2)),
                      ("Flatten", {}), ("Reshape", dict(shape=(-1, 2))), ("SimpleRNN", dict(units=3))])
    check_model_gradients(g, rng.standard_normal((3, 12)))


@pytest.mark.parametrize("return_sequences", [True, False])
def test_simple_rnn_over_several_steps(return_sequences):
    g = chain((6, 3), [("SimpleRNN", dict(units=4, return_sequences=return_sequences)), ("Flatten", {}),
                       ("Dense", dict(units=2))])
    check_model_gradients(g, rng.standard_normal((3, 6, 3)))


def test_rbf():
    g = chain((3,), [("RBF", dict(units=4)), ("Dense", dict(units=2))])
    check_model_gradients(g, rng.uniform(-1, 1, (5, 3)))


def test_skip_graph_with_add_and_concat():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    a = g.add_layer("Dense", units=4, activation="relu")
    b = g.add_layer("Dense", units=4, activation="tanh")
    s = g.add_layer("Add")
    c = g.add_layer("Concat")
    out = g.add_layer("Dense", units=3, activation="softmax")
    g.connect(x, a)
    g.connect(a, b)
    g.connect(x, s, 0)
    g.connect(b, s, 1)
    g.connect(s, c, 0)
    g.connect(a, c, 1)
    g.connect(c, out)
    check_model_gradients(g, rng.standard_normal((5, 4)))


def test_the_same_source_twice_into_an_add():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    d = g.add_layer("Dense", units=3)
    s = g.add_layer("Add")
    g.connect(x, d)
    g.connect(d, s, 0)
    g.connect(d, s, 1)
    check_model_gradients(g, rng.standard_normal((4, 3)))


def test_image_concat_on_channels():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(2, 5, 5))
    a = g.add_layer("Conv2D", filters=3, kernel_size=3, padding=1)
    c = g.add_layer("Concat")
    f = g.add_layer("Flatten")
    g.connect(x, a)
    g.connect(x, c, 0)
    g.connect(a, c, 1)
    g.connect(c, f)
    check_model_gradients(g, rng.standard_normal((2, 2, 5, 5)))


def test_every_trainable_kind_is_covered_here():
    covered = {"Input", "Dense", "Activation", "Conv2D", "MaxPool2D", "AvgPool2D", "BatchNorm", "Dropout",
               "Reshape", "Flatten", "SimpleRNN", "RBF", "Add", "Concat"}
    assert covered == set(CATALOGUE) - {"Hopfield"}
