"""The Trainer: History, validation, evaluate/predict, early stopping, divergence, callbacks, stop/pause/resume."""

import math
import re
import threading
import time

import numpy as np
import pytest

from designer.engine import EarlyStopping, History, Schedule, Trainer, TrainingDiverged, compile_graph

from .gradcheck import chain


def blobs(n, seed=0, noise=0.0, spread=1.0):
    """Two Gaussian blobs in the plane, labels 0 and 1 (a fraction `noise` of them flipped)."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    X = rng.standard_normal((n, 2)) * spread + np.where(y[:, None] == 1, 1.0, -1.0)
    flip = rng.random(n) < noise
    return X, np.where(flip, 1 - y, y)


def classifier(seed=0, hidden=8):
    return compile_graph(chain((2,), [("Dense", dict(units=hidden, activation="tanh")),
                                      ("Dense", dict(units=2, activation="softmax"))]), seed=seed)


def regression_data(n=32, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 3))
    return X, X @ np.array([1.0, -2.0, 0.5]) + 0.3


def regressor(seed=0):
    return compile_graph(chain((3,), [("Dense", dict(units=1))]), seed=seed)


def weights_equal(a, b):
    return a.keys() == b.keys() and all(np.array_equal(a[k], b[k]) for k in a)


# --- History ---------------------------------------------------------------------------------------


def test_fit_returns_a_history_with_one_record_per_epoch():
    X, y = blobs(40)
    Xv, yv = blobs(20, seed=1)
    trainer = Trainer(classifier(), loss="cross_entropy", lr=0.1, batch_size=8)
    history = trainer.fit(X, y, epochs=3, validation=(Xv, yv))
    assert isinstance(history, History)
    assert history.epochs == 3
    for name in ("loss", "accuracy", "val_loss", "val_accuracy", "lr", "seconds"):
        values = getattr(history, name)
        assert len(values) == 3, name
        assert all(isinstance(v, float) and math.isfinite(v) for v in values), name
    assert all(0 <= a <= 1 for a in history.accuracy + history.val_accuracy)
    assert history.lr == [0.1, 0.1, 0.1]
    assert all(s > 0 for s in history.seconds)
    assert history.val_loss[-1] == pytest.approx(trainer.evaluate(Xv, yv)["loss"], rel=1e-6)
    assert history.to_dict()["loss"] == history.loss
    assert history.last()["val_accuracy"] == history.val_accuracy[-1]


def test_a_regression_has_no_accuracy_and_no_validation_values_without_validation():
    X, y = regression_data()
    history = Trainer(regressor(), lr=0.05, batch_size=8).fit(X, y, epochs=2)
    assert history.accuracy == [None, None]
    assert history.val_loss == [None, None] and history.val_accuracy == [None, None]


def test_validation_split_holds_samples_out_of_training():
    X, y = blobs(40)
    seen = []
    history = Trainer(classifier(), loss="cross_entropy", batch_size=8).fit(
        X, y, epochs=2, validation_split=0.25, callbacks=[lambda e: seen.append(e.samples_seen)])
    assert seen[-1] == 2 * 30  # 10 of 40 held out
    assert all(v is not None for v in history.val_loss + history.val_accuracy)


def test_fit_refuses_mismatched_or_empty_data():
    trainer = Trainer(regressor())
    with pytest.raises(ValueError, match="one target per sample"):
        trainer.fit(np.zeros((5, 3)), np.zeros(4), epochs=1)
    with pytest.raises(ValueError, match="no data"):
        trainer.fit(np.zeros((0, 3)), np.zeros(0), epochs=1)
    with pytest.raises(ValueError, match="batch size"):
        Trainer(regressor(), batch_size=0)


def test_the_history_keeps_each_layers_gradient_norm_after_every_epochs_last_batch():
    X, y = blobs(40)
    model = classifier()
    trainer = Trainer(model, loss="cross_entropy", lr=0.1, batch_size=16)  # 3 batches an epoch
    heard = []  # at each epoch's last batch, each layer's norm worked out here from its gradient arrays

    def listen(event):
        if event.kind == "batch" and event.batch == event.batches - 1:
            heard.append({layer: math.sqrt(sum(float(np.sum(model.grads[f"{layer}.{p}"].astype(np.float64) ** 2))
                                               for p in ("W", "b"))) for layer in ("dense_1", "dense_2")})

    history = trainer.fit(X, y, epochs=4, callbacks=[listen])
    assert list(history.grad_norms) == ["dense_1", "dense_2"]
    for layer in ("dense_1", "dense_2"):
        np.testing.assert_allclose(history.grad_norms[layer], [norms[layer] for norms in heard], rtol=1e-5)
    assert history.grad_norms["dense_1"][0] != history.grad_norms["dense_1"][1]
    saved = history.to_dict()
    assert saved["grad_norm:dense_2"] == history.grad_norms["dense_2"]
    assert history.last()["grad_norm:dense_1"] == history.grad_norms["dense_1"][-1]


def test_a_second_runs_history_follows_the_first_with_gaps_where_a_curve_is_new():
    from designer.engine.session import joined_history

    earlier = {"loss": [0.9, 0.8], "accuracy": [0.5, 0.6], "grad_norm:old": [1.0, 2.0]}
    later = {"loss": [0.7], "accuracy": [0.7], "grad_norm:new": [3.0]}
    assert joined_history(earlier, later) == {
        "loss": [0.9, 0.8, 0.7], "accuracy": [0.5, 0.6, 0.7],
        "grad_norm:old": [1.0, 2.0, None], "grad_norm:new": [None, None, 3.0]}
    assert joined_history(None, later) == later


# --- evaluate, predict, learning ----------------------------------------------------------------------


def test_evaluate_and_predict():
    model = classifier()
    trainer = Trainer(model, loss="cross_entropy")
    X, y = blobs(30)
    probabilities = trainer.predict(X)
    assert probabilities.shape == (30, 2)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_array_equal(probabilities, model.forward(X))
    scores = trainer.evaluate(X, y)
    expected_loss = -np.mean(np.log(probabilities[np.arange(30), y].astype(np.float64)))
    assert scores["loss"] == pytest.approx(expected_loss, rel=1e-4)
    assert scores["accuracy"] == pytest.approx(np.mean(probabilities.argmax(axis=1) == y))


def test_evaluate_on_a_regression_gives_the_mse_only():
    X, y = regression_data()
    model = regressor()
    scores = Trainer(model).evaluate(X, y)
    assert set(scores) == {"loss"}
    assert scores["loss"] == pytest.approx(np.mean((model.forward(X)[:, 0] - y) ** 2), rel=1e-5)


def test_loss_decreases_on_a_separable_problem():
    X, y = blobs(60, spread=0.4)
    trainer = Trainer(classifier(), loss="cross_entropy", optimizer="sgd", lr=0.2, momentum=0.9, batch_size=10)
    history = trainer.fit(X, y, epochs=15)
    assert history.loss[-1] < 0.25 * history.loss[0]
    assert history.accuracy[-1] == 1.0
    assert trainer.evaluate(X, y)["accuracy"] == 1.0


# --- early stopping ---------------------------------------------------------------------------------


def test_early_stopping_stops_and_restores_the_best_weights():
    X, y = blobs(24, noise=0.3)  # few noisy samples: a big network overfits them
    Xv, yv = blobs(200, seed=1)
    model = compile_graph(chain((2,), [("Dense", dict(units=64, activation="relu")),
                                       ("Dense", dict(units=64, activation="relu")),
                                       ("Dense", dict(units=2, activation="softmax"))]))
    snapshots = {}

    def snapshot(event):
        if event.kind == "epoch":
            snapshots[event.epoch] = event.weights()

    trainer = Trainer(model, loss="cross_entropy", optimizer="adam", lr=0.02, batch_size=8,
                      early_stopping=EarlyStopping(monitor="val_loss", patience=3))
    history = trainer.fit(X, y, epochs=200, validation=(Xv, yv), callbacks=[snapshot])
    assert history.stopped_early
    best = int(np.argmin(history.val_loss))
    assert history.best_epoch == best
    assert history.epochs == best + 3 + 1 < 200
    assert weights_equal(model.get_weights(), snapshots[best])
    assert not weights_equal(model.get_weights(), snapshots[history.epochs - 1])
    assert trainer.evaluate(Xv, yv)["loss"] == pytest.approx(history.val_loss[best], rel=1e-6)


def test_early_stopping_without_restoring_keeps_the_last_weights():
    X, y = blobs(24, noise=0.3)
    Xv, yv = blobs(200, seed=1)
    model = compile_graph(chain((2,), [("Dense", dict(units=64, activation="relu")),
                                       ("Dense", dict(units=2, activation="softmax"))]))
    last = {}
    trainer = Trainer(model, loss="cross_entropy", optimizer="adam", lr=0.02, batch_size=8,
                      early_stopping=EarlyStopping(patience=2, restore_best=False))
    history = trainer.fit(X, y, epochs=200, validation=(Xv, yv),
                          callbacks=[lambda e: last.update(e.weights()) if e.kind == "epoch" else None])
    assert history.stopped_early
    assert weights_equal(model.get_weights(), last)


def test_early_stopping_on_a_value_the_run_does_not_measure_says_so():
    X, y = regression_data()
    trainer = Trainer(regressor(), early_stopping=EarlyStopping(monitor="val_loss"))
    with pytest.raises(ValueError, match="val_loss"):
        trainer.fit(X, y, epochs=2)


# --- divergence ---------------------------------------------------------------------------------------

DIVERGED = re.compile(r"The (?:loss became (?:NaN|infinite)|weights stopped being finite numbers) "
                      r"at epoch (\d+), batch (\d+); try a smaller learning rate than (\S+)\.")


def diverge(lr, batch_size, epochs=100):
    """Train a regression with a learning rate that is far too large; return what a user can observe."""
    X, y = regression_data()
    model = regressor()
    start = model.get_weights()
    at_epoch_end, batch_events = {}, []

    def record(event):
        if event.kind == "epoch":
            at_epoch_end[event.epoch] = event.weights()
        else:
            batch_events.append((event.epoch, event.batch))

    trainer = Trainer(model, lr=lr, batch_size=batch_size)
    with pytest.raises(TrainingDiverged) as error:
        trainer.fit(X, y, epochs=epochs, callbacks=[record])
    match = DIVERGED.fullmatch(str(error.value))
    assert match, str(error.value)
    epoch, batch = int(match[1]), int(match[2])  # counted from 1 in the message
    assert float(match[3]) == pytest.approx(lr, rel=1e-5)
    # the batch that diverged sends no event; every one before it did
    batches = math.ceil(len(X) / batch_size)
    assert len(batch_events) == (epoch - 1) * batches + (batch - 1)
    expected = at_epoch_end[epoch - 2] if epoch >= 2 else start
    return model, epoch, expected


# No warning filter here: the loss overflowing must not reach the user as NumPy RuntimeWarnings (with
# warnings as errors, as pytest runs here, they would replace TrainingDiverged by a traceback).
def test_a_huge_learning_rate_raises_training_diverged_without_numpy_warnings():
    model, epoch, expected = diverge(lr=4.0, batch_size=8)
    assert epoch >= 2
    assert weights_equal(model.get_weights(), expected)


@pytest.mark.parametrize("lr, batch_size", [(4.0, 8), (2.0, 4), (5.0, 32), (1e30, 32)])
def test_divergence_puts_back_the_weights_from_the_start_of_that_epoch(lr, batch_size):
    model, epoch, expected = diverge(lr, batch_size)
    assert weights_equal(model.get_weights(), expected)
    assert all(np.all(np.isfinite(w)) for w in model.get_weights().values())


# A step that overflows the weights while the loss before it was finite: the run must not end with
# infinite weights kept (with one batch an epoch, the start of the next epoch would hold them).
def test_divergence_never_leaves_infinite_weights():
    X, y = regression_data()
    model = regressor()
    start = model.get_weights()
    with pytest.raises(TrainingDiverged) as error:
        Trainer(model, lr=1e39, batch_size=32).fit(X, y, epochs=5)
    assert DIVERGED.fullmatch(str(error.value)), str(error.value)
    assert weights_equal(model.get_weights(), start)  # the first step overflowed: back to the start
    assert all(np.all(np.isfinite(w)) for w in model.get_weights().values())
    assert np.all(np.isfinite(model.forward(X)))


# --- callbacks, stop, pause ------------------------------------------------------------------------------


def test_callbacks_hear_batch_events_then_an_epoch_event_with_correct_counters():
    X, y = blobs(10)
    events = []
    trainer = Trainer(classifier(), loss="cross_entropy", batch_size=4)
    history = trainer.fit(X, y, epochs=2, callbacks=[events.append])
    assert [(e.kind, e.epoch, e.batch) for e in events] == [
        ("batch", 0, 0), ("batch", 0, 1), ("batch", 0, 2), ("epoch", 0, 2),
        ("batch", 1, 0), ("batch", 1, 1), ("batch", 1, 2), ("epoch", 1, 2),
    ]
    assert [e.samples_seen for e in events] == [4, 8, 10, 10, 14, 18, 20, 20]
    assert all(e.epochs == 2 and e.batches == 3 and e.trainer is trainer for e in events)
    epoch_events = [e for e in events if e.kind == "epoch"]
    assert [e.loss for e in epoch_events] == history.loss
    assert [e.accuracy for e in epoch_events] == history.accuracy
    assert epoch_events[1].metrics == history.last()
    # the epoch's loss is the sample-weighted mean of its batches' losses (4, 4 and 2 samples)
    first = [e.loss for e in events[:3]]
    assert history.loss[0] == pytest.approx((4 * first[0] + 4 * first[1] + 2 * first[2]) / 10, rel=1e-6)
    elapsed = [e.elapsed for e in events]
    assert elapsed == sorted(elapsed)


def test_a_pause_that_comes_after_a_stop_does_not_hold_training_forever():
    """The window may ask for a pause and then stop (closing it while paused); the pause can reach the trainer
    last, from the training thread. fit must end all the same."""
    X, y = blobs(40)
    trainer = Trainer(classifier(), loss="cross_entropy", batch_size=4)

    def stop_then_pause(event):
        if event.kind == "batch" and event.batch == 1:
            event.trainer.stop()
            event.trainer.pause()

    ended = []
    thread = threading.Thread(target=lambda: ended.append(trainer.fit(X, y, epochs=5, callbacks=[stop_then_pause])),
                              daemon=True)
    thread.start()
    thread.join(10)
    if thread.is_alive():  # let the thread go before failing, so the test run goes on
        trainer.resume()
        pytest.fail("fit waited for ever in a pause that came after a stop")
    assert ended and ended[0].epochs == 0


def test_a_stop_that_comes_before_the_run_begins_ends_it_at_once():
    """The window may stop a run whose thread has made its trainer but not yet called fit (closing the window
    right after Start): that stop must not be lost, or closing waits for the whole run."""
    X, y = blobs(40)
    trainer = Trainer(classifier(), loss="cross_entropy", batch_size=4)
    before = trainer.model.get_weights()
    trainer.stop()
    batches = []
    history = trainer.fit(X, y, epochs=1000, callbacks=[batches.append])
    assert history.epochs == 0 and batches == []
    assert weights_equal(trainer.model.get_weights(), before)

    assert trainer.fit(X, y, epochs=1).epochs == 1  # the stop was for that run only


def test_stop_from_a_callback_ends_training_after_that_batch():
    X, y = blobs(40)
    trainer = Trainer(classifier(), loss="cross_entropy", batch_size=4)
    batches, kept = [], {}

    def stop_at_third_batch(event):
        if event.kind == "batch":
            batches.append(event.batch)
            if event.epoch == 0 and event.batch == 2:
                kept.update(event.weights())
                event.trainer.stop()

    history = trainer.fit(X, y, epochs=5, callbacks=[stop_at_third_batch])
    assert batches == [0, 1, 2]
    assert weights_equal(trainer.model.get_weights(), kept)  # no step after the stop
    assert history.epochs == 0

    # the next fit trains again
    again = trainer.fit(X, y, epochs=1)
    assert again.epochs == 1


def test_pause_and_resume_from_another_thread():
    X, y = blobs(40)
    trainer = Trainer(classifier(), loss="cross_entropy", batch_size=4)  # 10 batches an epoch
    batch_events = []
    first_batch, paused = threading.Event(), threading.Event()
    outcome = {}

    def on_event(event):
        if event.kind == "batch":
            batch_events.append(event.batch)
            if len(batch_events) == 1:
                first_batch.set()
                paused.wait(5)  # hold the training thread until the other thread has paused it

    def train():
        try:
            outcome["history"] = trainer.fit(X, y, epochs=2, callbacks=[on_event])
        except BaseException as error:  # reported by the test, not lost in the thread
            outcome["error"] = error

    worker = threading.Thread(target=train)
    worker.start()
    try:
        assert first_batch.wait(5)
        trainer.pause()
        assert trainer.paused
        paused.set()
        time.sleep(0.05)
        during_start = len(batch_events)
        time.sleep(0.2)
        during_end = len(batch_events)
        assert during_start == during_end == 1, "training went on while paused"
        assert worker.is_alive()
    finally:
        trainer.resume()
        paused.set()
        worker.join(10)
    assert not worker.is_alive()
    assert "error" not in outcome, outcome.get("error")
    assert not trainer.paused
    assert outcome["history"].epochs == 2
    assert len(batch_events) == 20


def test_stop_while_paused_ends_the_run():
    X, y = blobs(40)
    trainer = Trainer(classifier(), loss="cross_entropy", batch_size=4)
    trainer.pause()
    timer = threading.Timer(0.1, trainer.stop)
    timer.start()
    try:
        history = trainer.fit(X, y, epochs=3)
    finally:
        timer.cancel()
    assert history.epochs == 0


# --- determinism, schedules ---------------------------------------------------------------------------


def test_two_fits_with_the_same_seeds_give_identical_weights():
    X, y = blobs(50)

    def run(model_seed, trainer_seed):
        model = compile_graph(chain((2,), [("Dense", dict(units=8, activation="relu")), ("Dropout", dict(rate=0.3)),
                                           ("Dense", dict(units=2, activation="softmax"))]), seed=model_seed)
        Trainer(model, loss="cross_entropy", optimizer="adam", lr=0.01, batch_size=8, seed=trainer_seed).fit(
            X, y, epochs=3, validation_split=0.2)
        return model.get_weights()

    a = run(0, 0)
    assert weights_equal(a, run(0, 0))
    assert not weights_equal(a, run(0, 1))  # another shuffle
    assert not weights_equal(a, run(1, 0))  # another start


def test_a_schedule_changes_the_learning_rate_per_epoch():
    X, y = regression_data()
    history = Trainer(regressor(), lr=0.1, batch_size=32, schedule=Schedule("step", step_size=1, gamma=0.5)).fit(
        X, y, epochs=4)
    assert history.lr == pytest.approx([0.1, 0.05, 0.025, 0.0125])


def test_the_scheduled_rate_is_the_one_the_optimiser_steps_with():
    # full batch, plain SGD: each epoch moves the weights by exactly -rate * gradient
    X, y = regression_data()
    model = compile_graph(chain((3,), [("Dense", dict(units=1))]), dtype=np.float64)
    schedule = Schedule("exponential", gamma=0.5)
    before = [model.get_weights()]
    gradients = []

    def gradient_now():
        output = model.forward(X)
        diff = output - y[:, None]
        return {"dense_1.W": X.T @ diff * 2 / len(X), "dense_1.b": diff.sum(axis=0) * 2 / len(X)}

    gradients.append(gradient_now())

    def record(event):
        if event.kind == "epoch":
            before.append(event.weights())
            gradients.append(gradient_now())

    Trainer(model, lr=0.2, batch_size=32, schedule=schedule).fit(X, y, epochs=3, callbacks=[record])
    for epoch in range(3):
        rate = 0.2 * 0.5 ** epoch
        for k in ("dense_1.W", "dense_1.b"):
            step = before[epoch + 1][k] - before[epoch][k]
            np.testing.assert_allclose(step, -rate * gradients[epoch][k], rtol=1e-9, err_msg=f"{k}, epoch {epoch}")


# --- outputs shaped like images -------------------------------------------------------------------------


# Regression (fixed): designer/engine/trainer.py, Trainer._accuracy: an output that is not (N, C) goes to the binary branch,
def test_per_pixel_cross_entropy_trains_and_reports_pixel_accuracy():
    rng = np.random.default_rng(0)
    model = compile_graph(chain((1, 4, 4), [("Conv2D", dict(filters=3, kernel_size=3, padding=1,
                                                            activation="softmax"))]))
    X, y = rng.standard_normal((8, 1, 4, 4)), rng.integers(0, 3, (8, 4, 4))
    trainer = Trainer(model, loss="cross_entropy", batch_size=4)
    history = trainer.fit(X, y, epochs=2)
    assert all(math.isfinite(v) for v in history.loss)
    expected = np.mean(trainer.predict(X).argmax(axis=1) == y)
    assert trainer.evaluate(X, y)["accuracy"] == pytest.approx(expected)


# Regression (fixed): same place: a convolutional autoencoder ending in a sigmoid, trained with binary_cross_entropy on
def test_binary_cross_entropy_on_image_outputs_trains():
    rng = np.random.default_rng(0)
    model = compile_graph(chain((1, 4, 4), [("Conv2D", dict(filters=1, kernel_size=3, padding=1,
                                                            activation="sigmoid"))]))
    X = rng.random((8, 1, 4, 4))
    history = Trainer(model, loss="binary_cross_entropy", lr=0.5, batch_size=4).fit(X, X, epochs=3)
    assert all(math.isfinite(v) for v in history.loss)
    assert history.loss[-1] < history.loss[0]


def test_step_while_paused_trains_exactly_one_batch():
    import threading

    model = compile_graph(chain((2,), [("Dense", dict(units=1))]))
    trainer = Trainer(model, "mse", lr=0.01, batch_size=1)
    X = np.random.default_rng(0).standard_normal((50, 2))
    y = X.sum(axis=1)
    batches = []
    trainer.pause()
    thread = threading.Thread(target=lambda: trainer.fit(X, y, epochs=1, callbacks=[
        lambda e: batches.append(e.batch) if e.kind == "batch" else None]))
    thread.start()
    time.sleep(0.2)
    assert batches == []
    trainer.step()
    time.sleep(0.2)
    assert batches == [0] and trainer.paused
    trainer.step()
    time.sleep(0.2)
    assert batches == [0, 1] and trainer.paused
    trainer.resume()
    thread.join(timeout=10)
    assert batches == list(range(50))
