"""Losses: values against the formulas written out here, gradients against finite differences (float64)."""

import re

import numpy as np
import pytest

from designer.engine import LOSSES, Trainer, compile_graph
from designer.engine.losses import binary_cross_entropy, cross_entropy, get_loss, mse

from .gradcheck import chain, numeric_gradient, relative_error

rng = np.random.default_rng(7)


def assert_one_sentence(message: str) -> None:
    """A capital first letter (or a quoted name), a full stop at the end, no line breaks, no second sentence."""
    assert message and (message[0].isupper() or message[0] in "'\""), message
    assert message.endswith("."), message
    assert "\n" not in message and "Traceback" not in message, message
    assert re.search(r"[.!?]\s+[A-Z]", message[:-1]) is None, f"more than one sentence: {message}"


def log_softmax_by_hand(z: np.ndarray) -> np.ndarray:
    """log(exp(z_i) / sum_j exp(z_j)) row by row, written out for moderate logits (no shifting tricks)."""
    return np.log(np.exp(z) / np.exp(z).sum(axis=1, keepdims=True))


def check_gradient(loss, output: np.ndarray, y) -> None:
    value, grad = loss(output, y)
    numeric = numeric_gradient(lambda: loss(output, y)[0], output)
    assert grad.shape == output.shape
    assert relative_error(numeric, grad) < 1e-6


# --- mse ---------------------------------------------------------------------------------


def test_mse_value_is_the_mean_of_squared_differences():
    output = np.array([[1.0, 2.0], [3.0, 4.0]])
    y = np.array([[0.0, 2.5], [3.0, 1.0]])
    value, grad = mse(output, y)
    assert value == pytest.approx((1.0 + 0.25 + 0.0 + 9.0) / 4)
    np.testing.assert_allclose(grad, 2 * (output - y) / 4)


def test_mse_gradient_against_finite_differences():
    check_gradient(mse, rng.standard_normal((5, 3)), rng.standard_normal((5, 3)))


def test_mse_takes_flat_targets_for_one_output():
    output = np.array([[0.5], [1.5], [-1.0]])
    value, _ = mse(output, np.array([0.0, 1.0, 1.0]))
    assert value == pytest.approx((0.25 + 0.25 + 4.0) / 3)


# --- binary cross entropy ------------------------------------------------------------------


def test_binary_cross_entropy_value_from_logits():
    logits = np.array([[2.0], [-1.0], [0.5], [-3.0]])
    y = np.array([[1.0], [0.0], [0.0], [1.0]])
    s = 1 / (1 + np.exp(-logits))
    expected = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    value, grad = binary_cross_entropy(logits, y)
    assert value == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose(grad, (s - y) / 4, rtol=1e-12)


def test_binary_cross_entropy_with_soft_targets_and_several_outputs():
    logits = rng.standard_normal((6, 3))
    y = rng.uniform(0, 1, (6, 3))
    s = 1 / (1 + np.exp(-logits))
    expected = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    assert binary_cross_entropy(logits, y)[0] == pytest.approx(expected, rel=1e-12)
    check_gradient(binary_cross_entropy, logits, y)


def test_binary_cross_entropy_gradient_against_finite_differences():
    check_gradient(binary_cross_entropy, rng.standard_normal((7, 1)) * 3, rng.integers(0, 2, (7, 1)).astype(float))


# --- cross entropy ---------------------------------------------------------------------------


def test_cross_entropy_value_with_integer_labels():
    logits = np.array([[2.0, 1.0, 0.1], [0.5, 2.5, -1.0], [0.0, 0.0, 0.0]])
    labels = np.array([0, 2, 1])
    log_p = log_softmax_by_hand(logits)
    expected = -(log_p[0, 0] + log_p[1, 2] + log_p[2, 1]) / 3
    value, grad = cross_entropy(logits, labels)
    assert value == pytest.approx(expected, rel=1e-12)
    one_hot = np.eye(3)[labels]
    np.testing.assert_allclose(grad, (np.exp(log_p) - one_hot) / 3, rtol=1e-10, atol=1e-15)


def test_cross_entropy_with_integer_labels_equals_with_one_hot_labels():
    logits = rng.standard_normal((8, 4))
    labels = rng.integers(0, 4, 8)
    one_hot = np.eye(4)[labels]
    value_int, grad_int = cross_entropy(logits, labels)
    value_hot, grad_hot = cross_entropy(logits, one_hot)
    assert value_int == pytest.approx(value_hot, rel=1e-12)
    np.testing.assert_allclose(grad_int, grad_hot, rtol=1e-12)


def test_cross_entropy_with_probability_targets():
    logits = rng.standard_normal((5, 3))
    y = rng.dirichlet(np.ones(3), 5)
    expected = -(y * log_softmax_by_hand(logits)).sum() / 5
    assert cross_entropy(logits, y)[0] == pytest.approx(expected, rel=1e-12)
    check_gradient(cross_entropy, logits, y)


def test_cross_entropy_gradient_against_finite_differences():
    logits = rng.standard_normal((6, 5))
    labels = rng.integers(0, 5, 6)
    check_gradient(cross_entropy, logits, labels)


def test_cross_entropy_per_pixel_on_images():
    # (N, C, H, W) logits with (N, H, W) labels: the mean over every pixel, softmax over the channels
    logits = rng.standard_normal((2, 3, 4, 4))
    labels = rng.integers(0, 3, (2, 4, 4))
    log_p = np.log(np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True))
    picked = np.take_along_axis(log_p, labels[:, None], axis=1)
    assert cross_entropy(logits, labels)[0] == pytest.approx(-picked.mean(), rel=1e-12)
    check_gradient(cross_entropy, logits, labels)


# --- stability ----------------------------------------------------------------------------------


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_cross_entropy_is_finite_for_huge_logits(dtype):
    logits = np.array([[1e4, 0.0, -1e4], [-1e4, 1e4, 0.0]], dtype=dtype)
    value, grad = cross_entropy(logits, np.array([1, 1]))
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    # the first sample is wrong by 1e4 in its logit, the second right: loss 1e4 / 2
    assert value == pytest.approx(1e4 / 2, rel=1e-6)
    np.testing.assert_allclose(grad, np.array([[1, -1, 0], [0, 0, 0]]) / 2, atol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_binary_cross_entropy_is_finite_for_huge_logits(dtype):
    logits = np.array([[1e4], [-1e4], [1e4], [-1e4]], dtype=dtype)
    y = np.array([[1.0], [0.0], [0.0], [1.0]])
    value, grad = binary_cross_entropy(logits, y)
    assert np.isfinite(value) and np.all(np.isfinite(grad))
    assert value == pytest.approx(2e4 / 4, rel=1e-6)  # two right (loss 0), two wrong by 1e4
    np.testing.assert_allclose(grad.ravel(), np.array([0, 0, 1, -1]) / 4, atol=1e-6)


# --- refusing bad targets ------------------------------------------------------------------------


@pytest.mark.parametrize("labels", [[0, 1, 3], [0, -1, 2]])
def test_labels_out_of_range_are_refused_in_one_sentence(labels):
    with pytest.raises(ValueError) as error:
        cross_entropy(rng.standard_normal((3, 3)), np.array(labels))
    assert_one_sentence(str(error.value))
    assert "3 outputs" in str(error.value)


@pytest.mark.parametrize("loss", [mse, binary_cross_entropy, cross_entropy])
def test_targets_of_the_wrong_shape_are_refused_in_one_sentence(loss):
    with pytest.raises(ValueError) as error:
        loss(rng.standard_normal((4, 3)), rng.standard_normal((4, 2)))
    assert_one_sentence(str(error.value))


def test_a_training_run_with_wrong_targets_says_so_in_one_sentence():
    model = compile_graph(chain((3,), [("Dense", dict(units=2, activation="softmax"))]))
    trainer = Trainer(model, loss="cross_entropy", batch_size=4)
    with pytest.raises(ValueError) as error:
        trainer.fit(rng.standard_normal((8, 3)), rng.integers(0, 5, 8), epochs=1)
    assert_one_sentence(str(error.value))


def test_unknown_loss_name_is_refused_with_the_known_names():
    with pytest.raises(ValueError) as error:
        get_loss("hinge")
    assert_one_sentence(str(error.value))
    for name in LOSSES:
        assert name in str(error.value)
    model = compile_graph(chain((3,), [("Dense", dict(units=1))]))
    with pytest.raises(ValueError, match="hinge"):
        Trainer(model, loss="hinge")


def test_losses_fuse_the_activation_they_apply_themselves():
    assert get_loss("cross_entropy").fuses == "softmax"
    assert get_loss("binary_cross_entropy").fuses == "sigmoid"
    assert get_loss("mse").fuses is None
