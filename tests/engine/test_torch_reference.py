"""The engine against PyTorch: forward passes, gradients, optimiser steps and losses, with identical weights.

Weights go from PyTorch's modules into ours through `model.params[key][...] = ...` (Dense.W is
Linear.weight transposed; Conv2D.W is Conv2d.weight as it is). Skipped when torch is not installed.
"""

import numpy as np
import pytest

from designer import NetworkGraph
from designer.engine import Trainer, compile_graph
from designer.engine.losses import binary_cross_entropy, cross_entropy, mse

from .gradcheck import chain

try:  # the conftest skips these tests when torch is missing
    import torch
    import torch.nn.functional as F
    from torch import nn
except ImportError:  # pragma: no cover
    torch = F = nn = None

pytestmark = pytest.mark.torch

# float32 on both sides: forward within 1e-4 relative, gradients within 2e-3; float64: much tighter
TOLERANCES = {np.float32: (1e-4, 2e-3), np.float64: (1e-10, 1e-8)}
DTYPES = [np.float32, np.float64]


def torch_dtype(dtype):
    return torch.float32 if dtype == np.float32 else torch.float64


def assert_close(ours, theirs, tolerance, what=""):
    """Equal within `tolerance` relative to the largest value (so that values near 0 are not over-weighted)."""
    theirs = theirs.detach().cpu().numpy() if isinstance(theirs, torch.Tensor) else np.asarray(theirs)
    ours = np.asarray(ours)
    assert ours.shape == theirs.shape, f"{what}: shape {ours.shape} != {theirs.shape}"
    scale = max(float(np.abs(theirs).max()), 1e-30)
    np.testing.assert_allclose(ours, theirs, rtol=tolerance, atol=tolerance * scale, err_msg=what)


def copy_linear(model, name, linear):
    model.params[f"{name}.W"][...] = linear.weight.detach().numpy().T
    if linear.bias is not None:
        model.params[f"{name}.b"][...] = linear.bias.detach().numpy()


def copy_conv(model, name, conv):
    model.params[f"{name}.W"][...] = conv.weight.detach().numpy()
    model.params[f"{name}.b"][...] = conv.bias.detach().numpy()


def compare_passes(model, module_forward, X, dtype, grads, training=False):
    """Forward X through both, backpropagate the same random dout, compare outputs, parameter and input grads.

    `grads` maps our key to (torch parameter, transpose?)."""
    forward_tol, grad_tol = TOLERANCES[dtype]
    ours = model.forward(X, training=training)
    x = torch.tensor(X, dtype=torch_dtype(dtype), requires_grad=True)
    theirs = module_forward(x)
    assert_close(ours, theirs, forward_tol, "forward")
    dout = np.random.default_rng(5).standard_normal(ours.shape).astype(dtype)
    dx = model.backward(dout, input_gradient=True)
    (theirs * torch.tensor(dout)).sum().backward()
    for key, (parameter, transpose) in grads.items():
        expected = parameter.grad.detach().numpy()
        assert_close(model.grads[key], expected.T if transpose else expected, grad_tol, key)
    assert_close(dx, x.grad, grad_tol, "input")


# --- forward and backward ---------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", DTYPES)
def test_mlp(dtype):
    torch.manual_seed(0)
    l1, l2, l3 = nn.Linear(5, 8), nn.Linear(8, 6), nn.Linear(6, 3)
    module = nn.Sequential(l1, nn.ReLU(), l2, nn.Tanh(), l3, nn.Softmax(dim=1)).to(torch_dtype(dtype))
    model = compile_graph(chain((5,), [("Dense", dict(units=8, activation="relu")),
                                       ("Dense", dict(units=6, activation="tanh")),
                                       ("Dense", dict(units=3, activation="softmax"))]), dtype=dtype)
    for name, linear in (("dense_1", l1), ("dense_2", l2), ("dense_3", l3)):
        copy_linear(model, name, linear)
    X = np.random.default_rng(1).standard_normal((7, 5)).astype(dtype)
    compare_passes(model, module, X, dtype, {
        "dense_1.W": (l1.weight, True), "dense_1.b": (l1.bias, False),
        "dense_2.W": (l2.weight, True), "dense_2.b": (l2.bias, False),
        "dense_3.W": (l3.weight, True), "dense_3.b": (l3.bias, False),
    })


@pytest.mark.parametrize("dtype", DTYPES)
def test_conv_with_stride_two_and_padding_one(dtype):
    torch.manual_seed(1)
    conv, linear = nn.Conv2d(3, 4, 3, stride=2, padding=1), nn.Linear(4 * 5 * 5, 5)
    module = nn.Sequential(conv, nn.LeakyReLU(0.1), nn.Flatten(), linear).to(torch_dtype(dtype))
    model = compile_graph(chain((3, 9, 9), [
        ("Conv2D", dict(filters=4, kernel_size=3, stride=2, padding=1)),
        ("Activation", dict(function="leaky_relu", negative_slope=0.1)),
        ("Flatten", {}), ("Dense", dict(units=5))]), dtype=dtype)
    copy_conv(model, "conv2d_1", conv)
    copy_linear(model, "dense_1", linear)
    X = np.random.default_rng(2).standard_normal((3, 3, 9, 9)).astype(dtype)
    compare_passes(model, module, X, dtype, {
        "conv2d_1.W": (conv.weight, False), "conv2d_1.b": (conv.bias, False),
        "dense_1.W": (linear.weight, True), "dense_1.b": (linear.bias, False),
    })


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("pool, stride, padding", [(2, None, 0), (3, 2, 1), (2, 1, 1), (3, 3, 0)])
@pytest.mark.parametrize("kind", ["MaxPool2D", "AvgPool2D"])
def test_pooling(kind, pool, stride, padding, dtype):
    torch_pool = (nn.MaxPool2d(pool, stride=stride, padding=padding) if kind == "MaxPool2D"
                  else nn.AvgPool2d(pool, stride=stride, padding=padding))  # count_include_pad=True
    model = compile_graph(chain((2, 8, 7), [(kind, dict(pool_size=pool, stride=stride, padding=padding))]),
                          dtype=dtype)
    X = np.random.default_rng(3).standard_normal((2, 2, 8, 7)).astype(dtype)
    compare_passes(model, torch_pool, X, dtype, {})


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(5,), (3, 4, 4)])
def test_batchnorm_in_training_mode_and_its_running_statistics(shape, dtype):
    torch.manual_seed(2)
    bn = (nn.BatchNorm1d(shape[0]) if len(shape) == 1 else nn.BatchNorm2d(shape[0])).to(torch_dtype(dtype))
    with torch.no_grad():
        bn.weight.uniform_(0.5, 2.0)
        bn.bias.uniform_(-1.0, 1.0)
    features = int(np.prod(shape))
    linear = nn.Linear(features, 3).to(torch_dtype(dtype))
    module = nn.Sequential(bn, nn.Flatten(), linear, nn.Tanh())
    model = compile_graph(chain(shape, [("BatchNorm", {}), ("Flatten", {}),
                                        ("Dense", dict(units=3, activation="tanh"))]), dtype=dtype)
    model.params["batchnorm_1.gamma"][...] = bn.weight.detach().numpy()
    model.params["batchnorm_1.beta"][...] = bn.bias.detach().numpy()
    copy_linear(model, "dense_1", linear)
    X = (np.random.default_rng(4).standard_normal((6,) + shape) * 2 + 1).astype(dtype)

    module.train()
    compare_passes(model, module, X, dtype, {
        "batchnorm_1.gamma": (bn.weight, False), "batchnorm_1.beta": (bn.bias, False),
        "dense_1.W": (linear.weight, True), "dense_1.b": (linear.bias, False),
    }, training=True)
    forward_tol, _ = TOLERANCES[dtype]
    assert_close(model.state["batchnorm_1.running_mean"], bn.running_mean, forward_tol, "running_mean")
    assert_close(model.state["batchnorm_1.running_var"], bn.running_var, forward_tol, "running_var")

    module.eval()
    X2 = np.random.default_rng(5).standard_normal((4,) + shape).astype(dtype)
    with torch.no_grad():
        assert_close(model.forward(X2), module(torch.tensor(X2)), forward_tol, "evaluation forward")


@pytest.mark.parametrize("dtype", DTYPES)
def test_skip_graph_with_add_and_concat(dtype):
    torch.manual_seed(3)
    la, lb, lout = (nn.Linear(4, 4).to(torch_dtype(dtype)), nn.Linear(4, 4).to(torch_dtype(dtype)),
                    nn.Linear(8, 3).to(torch_dtype(dtype)))

    def module(x):
        a = torch.relu(la(x))
        b = torch.tanh(lb(a))
        s = x + b
        return torch.softmax(lout(torch.cat([s, a], dim=1)), dim=1)

    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    a = g.add_layer("Dense", name="a", units=4, activation="relu")
    b = g.add_layer("Dense", name="b", units=4, activation="tanh")
    s = g.add_layer("Add")
    c = g.add_layer("Concat")
    out = g.add_layer("Dense", name="out", units=3, activation="softmax")
    g.connect(x, a)
    g.connect(a, b)
    g.connect(x, s, 0)
    g.connect(b, s, 1)
    g.connect(s, c, 0)
    g.connect(a, c, 1)
    g.connect(c, out)
    model = compile_graph(g, dtype=dtype)
    for name, linear in (("a", la), ("b", lb), ("out", lout)):
        copy_linear(model, name, linear)
    X = np.random.default_rng(6).standard_normal((5, 4)).astype(dtype)
    compare_passes(model, module, X, dtype, {
        f"{name}.{p}": (getattr(linear, "weight" if p == "W" else "bias"), p == "W")
        for name, linear in (("a", la), ("b", lb), ("out", lout)) for p in ("W", "b")
    })


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("return_sequences", [False, True])
def test_elman_rnn(return_sequences, dtype):
    torch.manual_seed(4)
    rnn = nn.RNN(3, 4, nonlinearity="tanh", batch_first=True).to(torch_dtype(dtype))
    T = 6

    def module(x):
        outputs, h_n = rnn(x)
        return outputs.reshape(len(x), -1) if return_sequences else h_n[0]

    layers = [("SimpleRNN", dict(units=4, return_sequences=return_sequences))]
    if return_sequences:
        layers.append(("Flatten", {}))
    model = compile_graph(chain((T, 3), layers), dtype=dtype)
    model.params["simplernn_1.W"][...] = rnn.weight_ih_l0.detach().numpy().T
    model.params["simplernn_1.U"][...] = rnn.weight_hh_l0.detach().numpy().T
    model.params["simplernn_1.b"][...] = (rnn.bias_ih_l0 + rnn.bias_hh_l0).detach().numpy()
    X = np.random.default_rng(7).standard_normal((3, T, 3)).astype(dtype)
    compare_passes(model, module, X, dtype, {
        "simplernn_1.W": (rnn.weight_ih_l0, True),
        "simplernn_1.U": (rnn.weight_hh_l0, True),
        "simplernn_1.b": (rnn.bias_ih_l0, False),  # d/d(b_ih) = d/d(b_hh) = d/db
    })


# --- optimiser steps ----------------------------------------------------------------------------------

OPTIMISERS = {
    "sgd-momentum": (dict(optimizer="sgd", lr=0.1, momentum=0.9),
                     lambda p: torch.optim.SGD(p, lr=0.1, momentum=0.9)),
    "sgd-nesterov-decay": (dict(optimizer="sgd", lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01),
                           lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)),
    "adam": (dict(optimizer="adam", lr=0.01), lambda p: torch.optim.Adam(p, lr=0.01)),
    "adam-decay": (dict(optimizer="adam", lr=0.01, weight_decay=0.1),
                   lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1)),
    "adamw": (dict(optimizer="adamw", lr=0.01, weight_decay=0.1),
              lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1)),
    "rmsprop-momentum": (dict(optimizer="rmsprop", lr=0.01, momentum=0.5),
                         lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5)),
    "adagrad": (dict(optimizer="adagrad", lr=0.1), lambda p: torch.optim.Adagrad(p, lr=0.1)),
}


@pytest.mark.parametrize("name", list(OPTIMISERS))
def test_optimiser_steps_equal_pytorchs(name):
    options, make_torch_optimiser = OPTIMISERS[name]
    torch.manual_seed(5)
    l1, l2 = nn.Linear(4, 6).double(), nn.Linear(6, 3).double()
    module = nn.Sequential(l1, nn.Tanh(), l2)  # CrossEntropyLoss takes the logits
    model = compile_graph(chain((4,), [("Dense", dict(units=6, activation="tanh")),
                                       ("Dense", dict(units=3, activation="softmax"))]), dtype=np.float64)
    copy_linear(model, "dense_1", l1)
    copy_linear(model, "dense_2", l2)
    trainer = Trainer(model, loss="cross_entropy", batch_size=8, **options)
    torch_optimiser = make_torch_optimiser(module.parameters())
    rng = np.random.default_rng(8)
    for step in range(3):  # several steps, so that momentum buffers and moments are used
        X, y = rng.standard_normal((8, 4)), rng.integers(0, 3, 8)
        ours, _ = trainer.train_batch(X, y)
        torch_optimiser.zero_grad()
        loss = F.cross_entropy(module(torch.tensor(X)), torch.tensor(y))
        loss.backward()
        torch_optimiser.step()
        assert ours == pytest.approx(loss.item(), rel=1e-10)
        for key, parameter, transpose in (("dense_1.W", l1.weight, True), ("dense_1.b", l1.bias, False),
                                          ("dense_2.W", l2.weight, True), ("dense_2.b", l2.bias, False)):
            expected = parameter.detach().numpy()
            assert_close(model.params[key], expected.T if transpose else expected, 1e-9, f"{key} after step {step + 1}")


# --- losses ----------------------------------------------------------------------------------------------


def loss_and_grad(torch_loss, output, *targets):
    z = torch.tensor(output, requires_grad=True)
    value = torch_loss(z, *[torch.tensor(t) for t in targets])
    value.backward()
    return value.item(), z.grad.numpy()


def test_cross_entropy_against_torch():
    rng = np.random.default_rng(9)
    logits, labels = rng.standard_normal((6, 4)) * 3, rng.integers(0, 4, 6)
    value, grad = cross_entropy(logits, labels)
    expected, expected_grad = loss_and_grad(F.cross_entropy, logits, labels)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, expected_grad, 1e-10, "gradient")

    probabilities = rng.dirichlet(np.ones(4), 6)  # soft targets
    value, grad = cross_entropy(logits, probabilities)
    expected, expected_grad = loss_and_grad(F.cross_entropy, logits, probabilities)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, expected_grad, 1e-10, "gradient with probabilities")


def test_cross_entropy_per_pixel_against_torch():
    rng = np.random.default_rng(10)
    logits, labels = rng.standard_normal((2, 3, 4, 5)), rng.integers(0, 3, (2, 4, 5))
    value, grad = cross_entropy(logits, labels)
    expected, expected_grad = loss_and_grad(F.cross_entropy, logits, labels)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, expected_grad, 1e-10, "gradient")


def test_binary_cross_entropy_against_torch():
    rng = np.random.default_rng(11)
    logits = np.concatenate([rng.standard_normal((6, 2)) * 4, [[1e4, -1e4]]])
    targets = np.concatenate([rng.uniform(0, 1, (6, 2)), [[0.0, 1.0]]])
    value, grad = binary_cross_entropy(logits, targets)
    expected, expected_grad = loss_and_grad(F.binary_cross_entropy_with_logits, logits, targets)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, expected_grad, 1e-10, "gradient")


def test_mse_against_torch():
    rng = np.random.default_rng(12)
    output, targets = rng.standard_normal((5, 3)), rng.standard_normal((5, 3))
    value, grad = mse(output, targets)
    expected, expected_grad = loss_and_grad(F.mse_loss, output, targets)
    assert value == pytest.approx(expected, rel=1e-12)
    assert_close(grad, expected_grad, 1e-10, "gradient")
