"""Optimisers against PyTorch's documented update rules, written out here; clipping; schedules."""

import math

import numpy as np
import pytest

from designer.engine import OPTIMIZERS, Schedule, Trainer, compile_graph
from designer.engine.optimizers import SGD, Adagrad, Adam, AdamW, RMSprop, clip_grad_norm, make_optimizer

from .gradcheck import chain

STEPS = 5


def start():
    """Two parameters, their gradient arrays, and a fixed gradient for every step."""
    rng = np.random.default_rng(3)
    params = {"a.W": rng.standard_normal((3, 2)), "a.b": rng.standard_normal(2)}
    grads = {k: np.zeros_like(v) for k, v in params.items()}
    sequence = [{k: rng.standard_normal(v.shape) for k, v in params.items()} for _ in range(STEPS)]
    return params, grads, sequence


def run(optimizer_class, **options):
    """Step an optimiser through the gradient sequence; return the parameters after each step."""
    params, grads, sequence = start()
    objects = dict(params)
    optimizer = optimizer_class(params, grads, **options)
    after = []
    for step_grads in sequence:
        for k in grads:
            grads[k][...] = step_grads[k]  # in place, as the model's backward pass writes them
        optimizer.step()
        after.append({k: v.copy() for k, v in params.items()})
    for k in params:
        assert params[k] is objects[k], "the optimiser must update the model's arrays in place"
    return after


def reference(update, **options):
    """The same run with an update rule written out: update(p, g, state, t, **options) -> new p."""
    params, _, sequence = start()
    states = {k: {} for k in params}
    after = []
    for t, step_grads in enumerate(sequence, start=1):
        for k in params:
            params[k] = update(params[k].copy(), step_grads[k], states[k], t, **options)
        after.append({k: v.copy() for k, v in params.items()})
    return after


def assert_runs_equal(ours, theirs):
    for t, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1):
        for k in a:
            np.testing.assert_allclose(a[k], b[k], rtol=1e-12, atol=1e-14, err_msg=f"{k} after step {t}")


# torch.optim.SGD: g += wd p; b = g (t = 1) or mu b + g; g = g + mu b (nesterov) or b; p -= lr g
def sgd_rule(p, g, state, t, lr, momentum=0.0, nesterov=False, weight_decay=0.0):
    g = g + weight_decay * p
    if momentum:
        state["b"] = g.copy() if t == 1 else momentum * state["b"] + g
        g = g + momentum * state["b"] if nesterov else state["b"]
    return p - lr * g


# torch.optim.Adam (amsgrad off); AdamW first multiplies p by 1 - lr wd and adds nothing to g
def adam_rule(p, g, state, t, lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled=False):
    b1, b2 = betas
    if decoupled:
        p = p * (1 - lr * weight_decay)
    else:
        g = g + weight_decay * p
    state["m"] = b1 * state.get("m", 0) + (1 - b1) * g
    state["v"] = b2 * state.get("v", 0) + (1 - b2) * g * g
    m_hat = state["m"] / (1 - b1 ** t)
    v_hat = state["v"] / (1 - b2 ** t)
    return p - lr * m_hat / (np.sqrt(v_hat) + eps)


# torch.optim.RMSprop (centered off): v = a v + (1 - a) g^2; b = mu b + g / (sqrt(v) + eps); p -= lr b
def rmsprop_rule(p, g, state, t, lr, alpha=0.99, eps=1e-8, momentum=0.0, weight_decay=0.0):
    g = g + weight_decay * p
    state["v"] = alpha * state.get("v", 0) + (1 - alpha) * g * g
    step = g / (np.sqrt(state["v"]) + eps)
    if momentum:
        state["b"] = momentum * state.get("b", 0) + step
        step = state["b"]
    return p - lr * step


# torch.optim.Adagrad (lr_decay 0, initial accumulator 0): s += g^2; p -= lr g / (sqrt(s) + eps)
def adagrad_rule(p, g, state, t, lr, eps=1e-10, weight_decay=0.0):
    g = g + weight_decay * p
    state["s"] = state.get("s", 0) + g * g
    return p - lr * g / (np.sqrt(state["s"]) + eps)


@pytest.mark.parametrize("options", [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.05, momentum=0.8, nesterov=True),
    dict(lr=0.1, weight_decay=0.01),
    dict(lr=0.1, momentum=0.9, weight_decay=0.05),
    dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
], ids=["plain", "momentum", "nesterov", "decay", "momentum-decay", "nesterov-decay"])
def test_sgd(options):
    assert_runs_equal(run(SGD, **options), reference(sgd_rule, **options))


@pytest.mark.parametrize("options", [
    dict(lr=0.01),
    dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6),
    dict(lr=0.01, weight_decay=0.1),
], ids=["default", "betas", "l2"])
def test_adam(options):
    assert_runs_equal(run(Adam, **options), reference(adam_rule, **options))


@pytest.mark.parametrize("options", [dict(lr=0.01, weight_decay=0.1), dict(lr=0.1, weight_decay=0.5)])
def test_adamw_decays_the_weights_decoupled_from_the_gradient(options):
    ours = run(AdamW, **options)
    assert_runs_equal(ours, reference(adam_rule, decoupled=True, **options))
    # and this differs from Adam's L2 decay: a user choosing AdamW gets something else
    l2 = reference(adam_rule, **options)
    assert not np.allclose(ours[-1]["a.W"], l2[-1]["a.W"])


@pytest.mark.parametrize("options", [
    dict(lr=0.01),
    dict(lr=0.01, alpha=0.9, momentum=0.9),
    dict(lr=0.01, weight_decay=0.1),
], ids=["default", "momentum", "decay"])
def test_rmsprop(options):
    assert_runs_equal(run(RMSprop, **options), reference(rmsprop_rule, **options))


@pytest.mark.parametrize("options", [dict(lr=0.1), dict(lr=0.5, weight_decay=0.1)], ids=["default", "decay"])
def test_adagrad(options):
    assert_runs_equal(run(Adagrad, **options), reference(adagrad_rule, **options))


def test_make_optimizer_passes_momentum_and_nesterov_on():
    params, grads, sequence = start()
    optimizer = make_optimizer("sgd", params, grads, 0.05, momentum=0.9, nesterov=True, weight_decay=0.01)
    for step_grads in sequence:
        for k in grads:
            grads[k][...] = step_grads[k]
        optimizer.step()
    expected = reference(sgd_rule, lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01)[-1]
    for k in params:
        np.testing.assert_allclose(params[k], expected[k], rtol=1e-12)


def test_weight_decay_leaves_the_gradients_the_user_sees_alone():
    params, grads, sequence = start()
    for k in grads:
        grads[k][...] = sequence[0][k]
    SGD(params, grads, lr=0.1, weight_decay=0.5).step()
    for k in grads:
        np.testing.assert_array_equal(grads[k], sequence[0][k])


# --- clipping ---------------------------------------------------------------------------------------


def test_clip_grad_norm_scales_every_gradient_by_one_joint_factor():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[0.0], [4.0]])}
    objects = dict(grads)
    total = clip_grad_norm(grads, 1.0)
    assert total == pytest.approx(5.0)
    np.testing.assert_allclose(grads["a"], [0.6, 0.0], rtol=1e-5)
    np.testing.assert_allclose(grads["b"], [[0.0], [0.8]], rtol=1e-5)
    assert grads["a"] is objects["a"] and grads["b"] is objects["b"]
    joint = math.sqrt(sum(float((g * g).sum()) for g in grads.values()))
    assert joint == pytest.approx(1.0, rel=1e-5)


def test_clip_grad_norm_leaves_small_gradients_alone():
    grads = {"a": np.array([0.3, 0.0]), "b": np.array([0.0, 0.4])}
    assert clip_grad_norm(grads, 1.0) == pytest.approx(0.5)
    np.testing.assert_array_equal(grads["a"], [0.3, 0.0])
    np.testing.assert_array_equal(grads["b"], [0.0, 0.4])


def test_an_optimiser_with_clip_norm_steps_with_the_clipped_gradients():
    params = {"w": np.zeros(2), "v": np.zeros(1)}
    grads = {"w": np.array([30.0, 0.0]), "v": np.array([40.0])}
    SGD(params, grads, lr=1.0, clip_norm=5.0).step()
    np.testing.assert_allclose(params["w"], [-3.0, 0.0], rtol=1e-6)
    np.testing.assert_allclose(params["v"], [-4.0], rtol=1e-6)


# --- in place, refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_trainer_updates_the_models_own_arrays_in_place(name):
    model = compile_graph(chain((3,), [("Dense", dict(units=2))]))
    W = model.params["dense_1.W"]
    layer_W = model.layers[1].weights["W"]
    before = W.copy()
    X = np.random.default_rng(0).standard_normal((8, 3))
    Trainer(model, optimizer=name, lr=0.1, batch_size=8).fit(X, np.ones((8, 2)), epochs=2)
    assert model.params["dense_1.W"] is W and model.layers[1].weights["W"] is layer_W
    assert not np.array_equal(layer_W, before), "the layer computes with the updated weights"


@pytest.mark.parametrize("lr", [0.0, -0.1, float("nan"), float("inf")])
@pytest.mark.parametrize("cls", [SGD, Adam, AdamW, RMSprop, Adagrad])
def test_a_learning_rate_that_is_not_a_positive_number_is_refused(cls, lr):
    params, grads, _ = start()
    with pytest.raises(ValueError, match="learning rate"):
        cls(params, grads, lr=lr)


def test_the_trainer_refuses_a_bad_learning_rate_and_an_unknown_optimizer():
    model = compile_graph(chain((3,), [("Dense", dict(units=1))]))
    with pytest.raises(ValueError, match="learning rate"):
        Trainer(model, lr=0.0)
    with pytest.raises(ValueError, match="lbfgs"):
        Trainer(model, optimizer="lbfgs")


# --- schedules ----------------------------------------------------------------------------------------


def test_constant_schedule():
    assert [Schedule().rate(0.1, e) for e in range(4)] == [0.1] * 4


def test_step_schedule_multiplies_by_gamma_every_step_size_epochs():
    rates = [Schedule("step", step_size=2, gamma=0.5).rate(0.1, e) for e in range(6)]
    np.testing.assert_allclose(rates, [0.1, 0.1, 0.05, 0.05, 0.025, 0.025])


def test_exponential_schedule_multiplies_by_gamma_every_epoch():
    rates = [Schedule("exponential", gamma=0.9).rate(0.2, e) for e in range(5)]
    np.testing.assert_allclose(rates, [0.2 * 0.9 ** e for e in range(5)])


def test_cosine_schedule_follows_torch_cosine_annealing_down_to_min_lr():
    schedule = Schedule("cosine", epochs=10, min_lr=0.001)
    rates = [schedule.rate(0.1, e) for e in range(11)]
    expected = [0.001 + (0.1 - 0.001) * (1 + math.cos(math.pi * e / 10)) / 2 for e in range(11)]
    np.testing.assert_allclose(rates, expected)
    assert rates[0] == pytest.approx(0.1) and rates[5] == pytest.approx(0.0505) and rates[10] == pytest.approx(0.001)
    assert schedule.rate(0.1, 15) == pytest.approx(0.001)  # stays at the floor after its epochs


def test_unknown_schedule_is_refused():
    with pytest.raises(ValueError, match="linear_warmup"):
        Schedule("linear_warmup")
