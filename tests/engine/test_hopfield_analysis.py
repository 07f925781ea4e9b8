"""Naming final states, basins of attraction, capacity and the recall report."""

import json

import numpy as np
import pytest

from designer.engine.hopfield import HopfieldNetwork
from designer.engine.hopfield_analysis import (
    basin_of_attraction,
    capacity_experiment,
    classify,
    flip_bits,
    recall_report,
)


def random_patterns(rng, count, n):
    return rng.choice(np.array([-1, 1], np.int8), (count, n))


def network(patterns, rule="hebbian"):
    net = HopfieldNetwork(patterns.shape[1])
    net.store(patterns, rule)
    return net


@pytest.fixture
def patterns():
    return random_patterns(np.random.default_rng(0), 8, 300)


# --- classification -------------------------------------------------------------------


def test_a_stored_pattern_and_a_near_copy_are_recognised(patterns):
    assert classify(patterns[3], patterns) == classify(patterns[3], patterns)
    exact = classify(patterns[3], patterns)
    assert (exact.kind, exact.indices, exact.signs, exact.overlap) == ("pattern", (3,), (1,), 1.0)
    near = classify(flip_bits(patterns[3], 0.02, np.random.default_rng(1)), patterns)
    assert near.kind == "pattern" and near.indices == (3,) and near.overlap == pytest.approx(0.96)


def test_inverse_states_are_recognised(patterns):
    result = classify(-patterns[5], patterns)
    assert (result.kind, result.indices, result.signs, result.overlap) == ("inverse", (5,), (-1,), 1.0)
    rng = np.random.default_rng(2)
    recalled = network(patterns).recall(flip_bits(-patterns[5], 0.1, rng), seed=rng).final
    assert classify(recalled, patterns).kind == "inverse"


def test_mixture_states_are_recognised_with_their_signs(patterns):
    p = patterns.astype(int)
    symmetric = classify(np.sign(p[1] + p[4] + p[6]), patterns)
    assert (symmetric.kind, symmetric.indices, symmetric.signs) == ("mixture", (1, 4, 6), (1, 1, 1))
    assert symmetric.overlap == 1.0
    signed = classify(np.sign(p[7] - p[0] + p[2]), patterns)
    assert (signed.kind, signed.indices, signed.signs) == ("mixture", (0, 2, 7), (-1, 1, 1))
    five = classify(np.sign(p[0] + p[1] - p[2] + p[3] + p[5]), patterns)
    assert (five.kind, five.indices, five.signs) == ("mixture", (0, 1, 2, 3, 5), (1, 1, -1, 1, 1))


def test_a_three_mixture_is_a_stable_hebbian_state_at_low_load():
    rng = np.random.default_rng(3)
    patterns = random_patterns(rng, 3, 400)
    start = np.sign(patterns.astype(int).sum(axis=0))
    final = network(patterns).recall(start, seed=0).final
    assert classify(final, patterns).kind == "mixture"


def test_unrelated_states_are_spurious(patterns):
    rng = np.random.default_rng(4)
    result = classify(random_patterns(rng, 1, 300)[0], patterns)
    assert result.kind == "spurious" and result.indices == () and result.signs == ()
    assert 0 <= result.overlap < 0.3
    assert classify(patterns[0], patterns[:0]).kind == "spurious"
    assert classify(patterns[0], patterns, min_overlap=1.01).kind == "spurious"


def test_classification_is_json_ready(patterns):
    p = patterns.astype(int)
    text = json.dumps(classify(np.sign(p[1] - p[2] + p[3]), patterns).to_dict())
    assert json.loads(text) == {"kind": "mixture", "indices": [1, 2, 3], "signs": [1, -1, 1], "overlap": 1.0}


# --- basins and capacity ------------------------------------------------------------------


def test_basin_curve_falls_with_noise_and_shrinks_with_load():
    rng = np.random.default_rng(5)
    light = network(random_patterns(rng, 5, 200))  # P = 0.025 N
    heavy = network(random_patterns(rng, 24, 200))  # P = 0.12 N
    levels = [0.0, 0.1, 0.2, 0.3, 0.4, 0.5]
    curve = basin_of_attraction(light, 0, levels, trials=8, seed=1)
    assert curve.success_rate[0] == 1.0 and curve.success_rate[1] == 1.0 and curve.success_rate[-1] == 0.0
    assert curve.mean_overlap[0] == 1.0 and curve.mean_overlap[-1] < 0.5
    assert np.array_equal(curve.noise, levels) and curve.trials == 8
    again = basin_of_attraction(light, 0, levels, trials=8, seed=1)
    assert np.array_equal(curve.success_rate, again.success_rate)
    assert np.array_equal(curve.mean_overlap, again.mean_overlap)
    crowded = basin_of_attraction(heavy, 0, levels, trials=8, seed=1)
    assert crowded.radius < curve.radius
    assert 0.2 <= curve.radius < 0.5


def test_capacity_collapses_for_hebbian_and_other_rules_hold_more():
    # Measured (N = 100, 3 trials): Hebbian success 1.0 up to P = 0.14 N, 0.75 at 0.2,
    # 0.2 at 0.3, 0 at 0.5; Storkey 1.0 up to 0.3 N; pseudoinverse 1.0 throughout.
    curve = capacity_experiment(100, loads=(0.05, 0.1, 0.2, 0.3, 0.5), trials=3, seed=0)
    hebbian, storkey, projection = (curve.success_rate[rule] for rule in ("hebbian", "storkey", "pseudoinverse"))
    assert np.array_equal(curve.loads, [0.05, 0.1, 0.2, 0.3, 0.5])
    assert hebbian[0] == 1.0 and hebbian[1] >= 0.95
    assert hebbian[3] < 0.5 and hebbian[4] < 0.1
    assert curve.mean_overlap["hebbian"][4] < 0.6
    assert storkey[3] >= hebbian[3] + 0.4
    assert projection[3] >= hebbian[3] + 0.4 and projection[4] >= 0.95
    again = capacity_experiment(100, loads=(0.05, 0.1, 0.2, 0.3, 0.5), trials=3, seed=0)
    assert all(np.array_equal(curve.success_rate[r], again.success_rate[r]) for r in curve.success_rate)


def test_capacity_experiment_refuses_unknown_rules():
    with pytest.raises(ValueError, match="Unknown storage rule 'oja'"):
        capacity_experiment(20, rules=("hebbian", "oja"))


# --- the recall report ----------------------------------------------------------------------


def test_recall_report_is_json_ready_and_consistent(patterns):
    net = network(patterns)
    report = recall_report(net, patterns, 2, 0.2, seed=7)
    assert json.loads(json.dumps(report)) == report
    assert report["flipped_bits"] == 60
    assert report["overlap_before"] == pytest.approx(1 - 2 * 60 / 300)
    assert report["overlap_after"] == 1.0
    assert report["energy_drop"] == pytest.approx(report["energy_before"] - report["energy_after"])
    assert report["energy_drop"] > 0
    assert report["energy_after"] == pytest.approx(net.energy(patterns[2]))
    assert report["converged"] and report["cycle"] is None and report["sweeps"] >= 2
    assert report["classification"] == {"kind": "pattern", "indices": [2], "signs": [1], "overlap": 1.0}
    assert recall_report(net, patterns, 2, 0.2, seed=7) == report
    assert recall_report(net, patterns.reshape(8, 15, 20), 2, 0.2, seed=7) == report


def test_recall_report_passes_recall_options_and_refuses_bad_input(patterns):
    net = network(patterns)
    synchronous = recall_report(net, patterns, 0, 0.1, seed=1, mode="sync")
    assert synchronous["converged"] and synchronous["classification"]["kind"] == "pattern"
    with pytest.raises(ValueError, match="no pattern 8"):
        recall_report(net, patterns, 8, 0.1, seed=1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        recall_report(net, patterns, 0, 1.5, seed=1)
    with pytest.raises(ValueError, match="300 values each"):
        recall_report(net, patterns[:, :299], 0, 0.1, seed=1)
