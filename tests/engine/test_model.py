"""compile_graph and Model: refusals, shapes, dtypes, seeds, weight keys and layouts, passes, dropout, BatchNorm."""

import re

import numpy as np
import pytest

from designer import NetworkGraph
from designer.engine import CompileError, Model, compile_graph

from .gradcheck import chain

rng = np.random.default_rng(11)


def assert_one_sentence(message: str) -> None:
    assert message and message[0].isupper(), message
    assert message.endswith("."), message
    assert "\n" not in message, message
    assert re.search(r"[.!?]\s+[A-Z(]", message[:-1]) is None, f"more than one sentence: {message}"


def small_cnn() -> NetworkGraph:
    return chain((1, 8, 8), [
        ("Conv2D", dict(filters=4, kernel_size=3, padding=1, activation="relu")),
        ("BatchNorm", {}),
        ("MaxPool2D", dict(pool_size=2)),
        ("Flatten", {}),
        ("Dense", dict(units=5, activation="tanh")),
        ("Dense", dict(units=3, activation="softmax")),
    ])


# --- refusals ---------------------------------------------------------------------------------------


def test_an_invalid_graph_is_refused_with_the_sentence_validate_gives():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    d = g.add_layer("Dense", units=2)
    g.add_layer("Dense", units=2)  # wired to nothing
    g.connect(x, d)
    problems = g.validate()
    assert problems
    with pytest.raises(CompileError) as error:
        compile_graph(g)
    assert isinstance(error.value, ValueError)
    assert str(problems[0]).rstrip(".") in str(error.value)
    assert "(1 more problem after this one)." in str(error.value)


def test_an_empty_graph_is_refused():
    with pytest.raises(CompileError, match="empty"):
        compile_graph(NetworkGraph())


def test_a_hopfield_network_is_refused_with_a_reason():
    g = NetworkGraph()
    g.add_layer("Hopfield", shape=(4, 4))
    assert g.validate() == []
    with pytest.raises(CompileError) as error:
        compile_graph(g)
    assert "Hopfield" in str(error.value)
    assert "gradient descent" in str(error.value)


def test_a_dtype_other_than_float32_or_float64_is_refused():
    with pytest.raises(CompileError, match="float32 or float64"):
        compile_graph(chain((3,), [("Dense", {})]), dtype=np.int32)


# --- shapes and dtypes ----------------------------------------------------------------------------


def test_output_shapes_follow_shape_inference():
    g = small_cnn()
    model = compile_graph(g)
    assert model.input_shape == (1, 8, 8)
    assert model.output_shape == (3,)
    y = model.forward(rng.standard_normal((6, 1, 8, 8)))
    assert y.shape == (6, 3)
    shapes = g.infer_shapes()
    model.capture = True
    model.forward(rng.standard_normal((2, 1, 8, 8)))
    for node_id, shape in shapes.items():
        assert model.outputs[g.name(node_id)].shape == (2,) + tuple(shape)


def test_rnn_output_shapes():
    seq = compile_graph(chain((5, 3), [("SimpleRNN", dict(units=4, return_sequences=True))]))
    last = compile_graph(chain((5, 3), [("SimpleRNN", dict(units=4))]))
    X = rng.standard_normal((2, 5, 3))
    assert seq.forward(X).shape == (2, 5, 4)
    assert last.forward(X).shape == (2, 4)
    np.testing.assert_allclose(seq.forward(X)[:, -1], last.forward(X), rtol=1e-6)  # same name, same seed


def test_float32_by_default():
    model = compile_graph(small_cnn())
    assert model.dtype == np.float32
    assert all(p.dtype == np.float32 for p in model.params.values())
    assert all(s.dtype == np.float32 for s in model.state.values())
    y = model.forward(rng.standard_normal((2, 1, 8, 8)))  # float64 data in
    assert y.dtype == np.float32
    model.forward(rng.standard_normal((2, 1, 8, 8)), training=True)
    model.backward(np.ones((2, 3)))
    assert all(g.dtype == np.float32 for g in model.grads.values())


def test_float64_on_request():
    model = compile_graph(small_cnn(), dtype=np.float64)
    assert all(p.dtype == np.float64 for p in model.params.values())
    assert model.forward(rng.standard_normal((2, 1, 8, 8)).astype(np.float32)).dtype == np.float64


# --- seeds ------------------------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_weights_and_another_seed_different_ones():
    a, b, c = (compile_graph(small_cnn(), seed=s) for s in (5, 5, 6))
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
    differ = [k for k in a.params if k.endswith(".W") and not np.array_equal(a.params[k], c.params[k])]
    assert differ == ["conv2d_1.W", "dense_1.W", "dense_2.W"]
    X = rng.standard_normal((3, 1, 8, 8))
    np.testing.assert_array_equal(a.forward(X), b.forward(X))


def test_a_layers_start_depends_only_on_the_seed_and_its_own_name():
    base = chain((4,), [("Dense", dict(units=6, activation="relu")), ("Dense", dict(units=3))])
    before = compile_graph(base, seed=1)

    # the same two layers with an unrelated layer added before them in the adding order, one between
    # them that keeps the shapes, and one more at the end
    g = NetworkGraph()
    extra = g.add_layer("Dense", name="unrelated", units=7)
    x = g.add_layer("Input", shape=(4,))
    d1 = g.add_layer("Dense", name="dense_1", units=6, activation="relu")
    drop = g.add_layer("Dropout")
    d2 = g.add_layer("Dense", name="dense_2", units=3)
    g.connect(x, d1)
    g.connect(d1, drop)
    g.connect(drop, d2)
    g.connect(d2, extra)
    after = compile_graph(g, seed=1)
    for k in before.params:
        np.testing.assert_array_equal(after.params[k], before.params[k], err_msg=k)
    assert set(after.params) == set(before.params) | {"unrelated.W", "unrelated.b"}

    # a different name starts differently
    renamed = compile_graph(chain((4,), [("Dense", dict(name="hidden", units=6)), ("Dense", dict(units=3))]), seed=1)
    assert not np.array_equal(renamed.params["hidden.W"], before.params["dense_1.W"])


# --- keys and layouts -------------------------------------------------------------------------------


def test_params_grads_and_state_keys_and_layouts():
    g = chain((2, 6, 6), [
        ("Conv2D", dict(filters=5, kernel_size=3)),
        ("BatchNorm", {}),
        ("Flatten", {}),
        ("Dense", dict(units=4)),
        ("Dense", dict(units=3, use_bias=False)),
        ("Reshape", dict(shape=(3, 1))),
        ("SimpleRNN", dict(units=2)),
        ("RBF", dict(units=6)),
    ])
    model = compile_graph(g)
    shapes = {k: v.shape for k, v in model.params.items()}
    assert shapes == {
        "conv2d_1.W": (5, 2, 3, 3), "conv2d_1.b": (5,),
        "batchnorm_1.gamma": (5,), "batchnorm_1.beta": (5,),
        "dense_1.W": (5 * 4 * 4, 4), "dense_1.b": (4,),
        "dense_2.W": (4, 3),
        "simplernn_1.W": (1, 2), "simplernn_1.U": (2, 2), "simplernn_1.b": (2,),
        "rbf_1.centers": (6, 2), "rbf_1.widths": (6,),
    }
    assert {k: v.shape for k, v in model.grads.items()} == shapes
    assert {k: v.shape for k, v in model.state.items()} == {
        "batchnorm_1.running_mean": (5,), "batchnorm_1.running_var": (5,)}
    np.testing.assert_array_equal(model.params["batchnorm_1.gamma"], 1)
    np.testing.assert_array_equal(model.params["batchnorm_1.beta"], 0)
    np.testing.assert_array_equal(model.state["batchnorm_1.running_mean"], 0)
    np.testing.assert_array_equal(model.state["batchnorm_1.running_var"], 1)


def test_default_init_draws_like_pytorch_within_one_over_sqrt_fan_in():
    model = compile_graph(chain((2, 6, 6), [("Conv2D", dict(filters=16, kernel_size=3)), ("Flatten", {}),
                                            ("Dense", dict(units=50))]))
    conv_bound, dense_bound = 1 / np.sqrt(2 * 9), 1 / np.sqrt(16 * 16)
    for key, bound in (("conv2d_1.W", conv_bound), ("conv2d_1.b", conv_bound),
                       ("dense_1.W", dense_bound), ("dense_1.b", dense_bound)):
        w = model.params[key]
        assert np.abs(w).max() <= bound
        if key.endswith(".W"):  # hundreds of draws: they fill the range, not a much narrower one
            assert np.abs(w).max() > 0.9 * bound


def test_writing_into_params_changes_the_forward_output():
    model = compile_graph(chain((3,), [("Dense", dict(units=2))]))
    W = np.array([[1.0, -1.0], [2.0, 0.5], [0.0, 3.0]])
    b = np.array([0.25, -0.5])
    model.params["dense_1.W"][...] = W
    model.params["dense_1.b"][...] = b
    X = rng.standard_normal((4, 3))
    np.testing.assert_allclose(model.forward(X), X @ W + b, rtol=1e-5)


def test_conv_weights_are_out_in_kh_kw_like_pytorch():
    model = compile_graph(chain((2, 4, 4), [("Conv2D", dict(filters=3, kernel_size=2))]), dtype=np.float64)
    W, b = model.params["conv2d_1.W"], model.params["conv2d_1.b"]
    X = rng.standard_normal((2, 2, 4, 4))
    expected = np.zeros((2, 3, 3, 3))
    for n in range(2):
        for f in range(3):
            for i in range(3):
                for j in range(3):
                    expected[n, f, i, j] = (X[n, :, i:i + 2, j:j + 2] * W[f]).sum() + b[f]
    np.testing.assert_allclose(model.forward(X), expected, rtol=1e-10)


def test_layers_are_in_execution_order():
    g = NetworkGraph()
    second = g.add_layer("Dense", name="second", units=2)
    first = g.add_layer("Dense", name="first", units=3)
    x = g.add_layer("Input", shape=(4,))
    g.connect(x, first)
    g.connect(first, second)
    model = compile_graph(g)
    assert [layer.name for layer in model.layers] == ["input_1", "first", "second"]
    assert model.params["first.W"].shape == (4, 3)


def test_capture_keeps_each_layers_output():
    model = compile_graph(chain((3,), [("Dense", dict(units=4, activation="relu")), ("Dense", dict(units=2))]))
    X = rng.standard_normal((5, 3))
    model.forward(X)
    assert model.outputs == {}
    model.capture = True
    y = model.forward(X)
    assert list(model.outputs) == ["input_1", "dense_1", "dense_2"]
    p = model.params
    hidden = np.maximum(X @ p["dense_1.W"] + p["dense_1.b"], 0)  # after the activation
    np.testing.assert_allclose(model.outputs["dense_1"], hidden, rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(model.outputs["dense_2"], y)


def test_forward_applies_a_final_softmax_and_logits_true_does_not():
    model = compile_graph(chain((4,), [("Dense", dict(units=3, activation="softmax"))]), dtype=np.float64)
    X = rng.standard_normal((6, 4)) * 3
    y = model.forward(X)
    np.testing.assert_allclose(y.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(y > 0)
    z = model.forward(X, logits=True)
    np.testing.assert_allclose(z, X @ model.params["dense_1.W"] + model.params["dense_1.b"], rtol=1e-12)
    assert not np.allclose(z.sum(axis=1), 1.0)
    np.testing.assert_allclose(y, np.exp(z) / np.exp(z).sum(axis=1, keepdims=True), rtol=1e-12)


def test_logits_true_keeps_a_final_relu():
    model = compile_graph(chain((4,), [("Dense", dict(units=3, activation="relu"))]))
    X = rng.standard_normal((6, 4)) * 3
    assert np.all(model.forward(X, logits=True) >= 0)


@pytest.mark.parametrize("shape", [(5, 3), (5, 4, 1), (5, 1, 2, 2)])
def test_wrong_input_shape_is_refused_in_one_sentence(shape):
    model = compile_graph(chain((4,), [("Dense", dict(units=2))]))
    with pytest.raises(ValueError) as error:
        model.forward(np.zeros(shape))
    assert_one_sentence(str(error.value))
    assert "(4,)" in str(error.value)


def test_backward_returns_the_input_gradient_when_asked():
    model = compile_graph(chain((3,), [("Dense", dict(units=2))]), dtype=np.float64)
    X = rng.standard_normal((4, 3))
    model.forward(X)
    dout = rng.standard_normal((4, 2))
    dx = model.backward(dout, input_gradient=True)
    np.testing.assert_allclose(dx, dout @ model.params["dense_1.W"].T, rtol=1e-12)
    np.testing.assert_allclose(model.grads["dense_1.W"], X.T @ dout, rtol=1e-12)
    np.testing.assert_allclose(model.grads["dense_1.b"], dout.sum(axis=0), rtol=1e-12)


# --- dropout ---------------------------------------------------------------------------------------


def dropout_model(rate=0.5, seed=0):
    return compile_graph(chain((2000,), [("Dropout", dict(rate=rate))]), seed=seed, dtype=np.float64)


def test_dropout_in_training_zeroes_a_fraction_and_rescales_the_rest():
    X = rng.uniform(1.0, 2.0, (10, 2000))
    for rate in (0.5, 0.2):
        y = dropout_model(rate).forward(X, training=True)
        dropped = y == 0
        assert dropped.mean() == pytest.approx(rate, abs=0.02)
        np.testing.assert_allclose(y[~dropped], X[~dropped] / (1 - rate), rtol=1e-12)
        assert y.mean() == pytest.approx(X.mean(), rel=0.03)  # the mean is kept, roughly


def test_dropout_is_seeded_and_draws_a_new_mask_each_batch():
    X = np.ones((4, 2000))
    a, b, c = dropout_model(seed=0), dropout_model(seed=0), dropout_model(seed=1)
    first = a.forward(X, training=True)
    np.testing.assert_array_equal(first, b.forward(X, training=True))
    assert not np.array_equal(first, c.forward(X, training=True))
    assert not np.array_equal(first, a.forward(X, training=True))


def test_dropout_in_evaluation_is_the_identity():
    X = rng.standard_normal((3, 2000))
    np.testing.assert_array_equal(dropout_model().forward(X, training=False), X)


def test_dropout_gradient_uses_the_same_mask():
    model = dropout_model(0.3)
    X = rng.uniform(1.0, 2.0, (3, 2000))
    y = model.forward(X, training=True)
    mask = y / X  # 0 or 1 / 0.7
    dout = rng.standard_normal(X.shape)
    dx = model.backward(dout, input_gradient=True)
    np.testing.assert_allclose(dx, mask * dout, rtol=1e-12)


# --- BatchNorm ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", [(3,), (3, 2, 4)])
def test_batchnorm_running_statistics_follow_pytorch_and_evaluation_uses_them(shape):
    model = compile_graph(chain(shape, [("BatchNorm", {})]), dtype=np.float64)
    X = rng.standard_normal((5,) + shape) * 2 + 3
    axes = (0,) if len(shape) == 1 else (0, 2, 3)
    y = model.forward(X, training=True)

    mean = X.mean(axis=axes)
    biased = X.var(axis=axes)
    n = X.size // X.shape[1]
    unbiased = biased * n / (n - 1)
    np.testing.assert_allclose(model.state["batchnorm_1.running_mean"], 0.9 * 0 + 0.1 * mean, rtol=1e-12)
    np.testing.assert_allclose(model.state["batchnorm_1.running_var"], 0.9 * 1 + 0.1 * unbiased, rtol=1e-12)
    per = (lambda v: v) if len(shape) == 1 else (lambda v: v[None, :, None, None])
    # training normalises with the batch's own mean and biased variance
    np.testing.assert_allclose(y, (X - per(mean)) / np.sqrt(per(biased) + 1e-5), rtol=1e-9, atol=1e-12)

    gamma, beta = np.array([2.0, 0.5, -1.0]), np.array([0.1, 0.2, 0.3])
    model.params["batchnorm_1.gamma"][...] = gamma
    model.params["batchnorm_1.beta"][...] = beta
    X2 = rng.standard_normal((4,) + shape)
    rm, rv = model.state["batchnorm_1.running_mean"], model.state["batchnorm_1.running_var"]
    expected = (X2 - per(rm)) / np.sqrt(per(rv) + 1e-5) * per(gamma) + per(beta)
    np.testing.assert_allclose(model.forward(X2, training=False), expected, rtol=1e-9, atol=1e-12)
    before = rm.copy()
    model.forward(X2, training=False)
    np.testing.assert_array_equal(model.state["batchnorm_1.running_mean"], before)  # evaluation leaves them


def test_batchnorm_momentum_parameter():
    model = compile_graph(chain((2,), [("BatchNorm", dict(momentum=0.5))]), dtype=np.float64)
    X = np.array([[1.0, 2.0], [3.0, 6.0]])
    model.forward(X, training=True)
    np.testing.assert_allclose(model.state["batchnorm_1.running_mean"], [1.0, 2.0])  # 0.5 * 0 + 0.5 * (2, 4)
    np.testing.assert_allclose(model.state["batchnorm_1.running_var"], [1.5, 4.5])  # 0.5 * 1 + 0.5 * (2, 8)


# --- get_weights / set_weights -----------------------------------------------------------------------


def test_get_and_set_weights_round_trip():
    model = compile_graph(small_cnn())
    saved = model.get_weights()
    assert set(saved) == set(model.params) | set(model.state)
    objects = {**model.params, **model.state}
    X = rng.standard_normal((4, 1, 8, 8))
    y0 = model.forward(X)
    copy = model.get_weights()
    copy["dense_2.b"][...] += 100  # a copy: the model does not change
    assert not np.array_equal(model.params["dense_2.b"], copy["dense_2.b"])

    model.forward(X, training=True)  # moves the running statistics
    for p in model.params.values():
        p += 0.5
    assert not np.allclose(model.forward(X), y0)
    assert model.set_weights(saved) == []
    np.testing.assert_array_equal(model.forward(X), y0)
    for k, v in {**model.params, **model.state}.items():
        assert v is objects[k], "set_weights must copy into the arrays the optimiser holds"
        np.testing.assert_array_equal(v, saved[k])


def test_set_weights_reports_the_keys_it_could_not_use():
    model = compile_graph(chain((3,), [("Dense", dict(units=2)), ("Dense", dict(units=1))]))
    before = model.get_weights()
    kept = model.set_weights({
        "dense_1.W": np.zeros((3, 5)),  # wrong shape
        "dense_1.b": np.full(2, 7.0),  # fits
        "dense_2.W": np.ones((2, 1)),  # fits
        "other.W": np.ones(3),  # not in this model
    })
    assert sorted(kept) == ["dense_1.W", "dense_2.b"]
    np.testing.assert_array_equal(model.params["dense_1.W"], before["dense_1.W"])
    np.testing.assert_array_equal(model.params["dense_2.b"], before["dense_2.b"])
    np.testing.assert_array_equal(model.params["dense_1.b"], [7.0, 7.0])
    np.testing.assert_array_equal(model.params["dense_2.W"], [[1.0], [1.0]])


def test_model_class_and_compile_graph_agree():
    g = small_cnn()
    a, b = Model(g, seed=2), compile_graph(g, seed=2)
    for k in a.params:
        np.testing.assert_array_equal(a.params[k], b.params[k])
