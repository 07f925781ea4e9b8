"""The training timeline: which epochs it keeps within its budget, how it thins out, and lookups."""

from __future__ import annotations

import numpy as np
import pytest

from designer.engine import timeline as timeline_module
from designer.engine.timeline import Timeline

EPOCH_BYTES = 4 * (6 + 3)  # the float32 weights below


def weights(value: float) -> dict[str, np.ndarray]:
    return {"dense_1.W": np.full((2, 3), value, dtype=np.float32), "dense_1.b": np.full(3, value, dtype=np.float32)}


def filled(epochs: range, budget: int = 1024**2) -> Timeline:
    timeline = Timeline(budget)
    for epoch in epochs:
        timeline.add(epoch, weights(epoch))
    return timeline


def test_every_epoch_is_kept_while_the_budget_allows():
    timeline = filled(range(11))
    assert timeline.epochs == list(range(11))
    assert timeline.every == 1
    assert timeline.nbytes == 11 * EPOCH_BYTES
    np.testing.assert_array_equal(timeline.weights(7)["dense_1.W"], np.full((2, 3), 7, dtype=np.float32))


def test_a_long_run_thins_out_evenly_within_the_budget_keeping_the_start_and_the_latest():
    budget = 10 * EPOCH_BYTES
    timeline = filled(range(101), budget)
    assert timeline.nbytes <= budget
    assert timeline.epochs[0] == 0 and timeline.last == 100
    assert timeline.every == 16
    assert timeline.epochs == [0, 16, 32, 48, 64, 80, 96, 100]
    for epoch in timeline.epochs:  # each epoch keeps its own weights
        assert timeline.weights(epoch)["dense_1.b"][0] == epoch


def test_the_latest_epoch_off_the_grid_gives_way_to_the_next():
    timeline = filled(range(101), 10 * EPOCH_BYTES)
    timeline.add(101, weights(101))
    assert 100 not in timeline.epochs and timeline.last == 101
    timeline.add(112, weights(112))
    assert timeline.epochs[-2:] == [96, 112]


def test_nearest_finds_the_kept_epoch_at_or_before():
    timeline = filled(range(101), 10 * EPOCH_BYTES)
    assert timeline.nearest(40) == 32
    assert timeline.nearest(48) == 48
    assert timeline.nearest(1000) == 100
    assert timeline.nearest(-5) == 0
    assert Timeline().nearest(3) is None


def test_a_smaller_budget_thins_what_is_kept_and_a_budget_below_one_epoch_keeps_none():
    timeline = filled(range(21))
    timeline.set_budget(5 * EPOCH_BYTES)
    assert timeline.nbytes <= 5 * EPOCH_BYTES
    assert timeline.epochs == [0, 8, 16, 20]
    timeline.set_budget(EPOCH_BYTES - 1)
    assert timeline.epochs == [] and timeline.nbytes == 0
    timeline.set_budget(EPOCH_BYTES)
    timeline.add(21, weights(21))
    assert timeline.epochs == [21]


def test_a_budget_of_two_epochs_keeps_the_two_latest_grid_points():
    timeline = filled(range(9), 2 * EPOCH_BYTES)
    assert len(timeline) <= 2 and timeline.last == 8


def test_truncate_forgets_later_epochs_and_training_goes_on_from_there():
    timeline = filled(range(11))
    timeline.truncate(4)
    assert timeline.epochs == [0, 1, 2, 3, 4]
    assert timeline.nbytes == 5 * EPOCH_BYTES
    timeline.add(4, weights(40))  # the restart's starting weights replace epoch 4's (the same, in the app)
    timeline.add(5, weights(5))
    assert timeline.epochs == [0, 1, 2, 3, 4, 5]
    assert timeline.weights(4)["dense_1.b"][0] == 40


def test_epochs_come_in_order():
    timeline = filled(range(5))
    with pytest.raises(ValueError, match="before"):
        timeline.add(3, weights(3))


def test_a_kept_timeline_taken_up_again_goes_on_with_the_same_spacing():
    thinned = filled(range(101), 10 * EPOCH_BYTES)
    again = Timeline(10 * EPOCH_BYTES, thinned.kept)
    assert again.epochs == thinned.epochs and again.every == 16 and again.nbytes == thinned.nbytes
    again.add(101, weights(101))
    assert again.epochs[-2:] == [96, 101]


def test_kept_is_the_dict_a_project_saves():
    timeline = filled(range(3))
    kept = timeline.kept
    timeline.add(3, weights(3))
    assert kept is timeline.kept and list(kept) == [0, 1, 2, 3]


def test_the_number_of_arrays_is_bounded_as_a_project_file_bounds_it(monkeypatch):
    monkeypatch.setattr(timeline_module, "MAX_ARRAYS", 8)
    timeline = filled(range(10))
    assert sum(len(w) for w in timeline.kept.values()) <= 8
    assert timeline.last == 9


def test_a_budget_out_of_range_is_refused():
    with pytest.raises(ValueError, match="budget"):
        Timeline(-1)
    with pytest.raises(ValueError, match="budget"):
        Timeline().set_budget(timeline_module.MAX_BUDGET + 1)
