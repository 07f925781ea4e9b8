"""The training worker sends a snapshot when the window is ready to draw one, or when training pauses, and
then waits for the window: a fast network does not flood the window, and nothing is worked out for nothing."""

from __future__ import annotations

import threading
import time

from designer.engine.session import TrainingSession
from designer.ui.training import _Runner
from designer.ui.workers import TrainingWorker

from .training_helpers import position, xor_project


def worker_for(epochs: int) -> TrainingWorker:
    return TrainingWorker(TrainingSession.prepare(xor_project(epochs=epochs)))


def test_unasked_the_worker_sends_only_the_last_snapshot_with_every_epochs_weights(qtbot):
    worker = worker_for(epochs=3)
    sent = []
    worker.snapshot.connect(sent.append)
    worker.run()  # on this thread: the signals arrive at once
    assert len(sent) == 1
    assert sorted(sent[0].epoch_weights) == [0, 1, 2] and sent[0].epoch == 2 and sent[0].epoch_end
    assert len(sent[0].history["loss"]) == 3


def test_each_snapshot_asked_for_comes_after_the_next_batch_and_holds_the_worker_until_drawn(qtbot):
    worker = worker_for(epochs=2)
    sent, held = [], []

    def draw(snapshot):
        sent.append(snapshot)
        held.append(not worker.window_idle.is_set())  # the worker waits after its next batch ...
        worker.window_idle.set()  # ... until the window has drawn this
        if len(sent) < 3:
            worker.want_snapshot()

    worker.snapshot.connect(draw)
    worker.want_snapshot()
    worker.run()
    assert [position(s) for s in sent[:3]] == [1, 2, 3]  # asked three times: the next three batches
    assert held[:3] == [True, True, True]
    assert len(sent) == 4 and sent[-1].epoch == 1  # then only the last, with the epochs not sent yet
    assert sorted(sent[-1].epoch_weights) == [0, 1]


def test_a_pause_sends_the_batch_it_paused_after_unasked(qtbot):
    worker = worker_for(epochs=1)
    sent = []

    def paused(snapshot):
        sent.append(snapshot)
        if len(sent) == 1:
            assert worker.trainer.paused
            worker.window_idle.set()
            worker.resume()  # this thread is the training thread here: go on at once

    worker.snapshot.connect(paused)
    worker.pause()
    worker.run()
    assert position(sent[0]) == 1


def test_a_run_begins_when_the_window_has_made_and_drawn_its_panels(qtbot):
    runner = _Runner(xor_project(epochs=1), None, None, paused=False)
    told, ended = [], []

    def window_lets_it_go():  # from the window's thread, having made the run's panels and drawn them
        time.sleep(0.3)
        runner.worker.window_idle.set()

    def window_hears_of_it(session):
        told.append(runner.worker.window_idle.is_set())
        threading.Thread(target=window_lets_it_go).start()

    runner.ready.connect(window_hears_of_it)
    runner.finished.connect(ended.append)
    runner.run()  # on this thread: the signals arrive at once
    assert told == [False]  # the worker was to wait for the window
    assert sum(ended[0].seconds) < 0.2  # its one epoch began when the window let it go, and did not wait for it


def test_the_snapshots_history_goes_on_from_the_runs_before_and_pads_the_curves_one_of_them_lacks(qtbot):
    project = xor_project(epochs=2)
    project.history = {"loss": [0.9, 0.8], "grad_norm:gone": [0.1, 0.2]}  # a layer since removed
    worker = TrainingWorker(TrainingSession.prepare(project))
    sent = []
    worker.snapshot.connect(sent.append)
    worker.run()
    history = sent[-1].history
    assert history["loss"][:2] == [0.9, 0.8] and len(history["loss"]) == 4
    assert history["grad_norm:gone"] == [0.1, 0.2, None, None]
    assert history["grad_norm:dense_1"][:2] == [None, None] and all(v > 0 for v in history["grad_norm:dense_1"][2:])
    assert all(len(values) == 4 for values in history.values())
