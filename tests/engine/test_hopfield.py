"""The Hopfield network: storage rules, recall dynamics, the record of a run and projects."""

import numpy as np
import pytest

from designer import NetworkGraph, Project
from designer.engine.hopfield import RULES, HopfieldNetwork, network_from_project, store_in_project
from designer.engine.hopfield_analysis import flip_bits


def random_patterns(rng, count, n):
    return rng.choice(np.array([-1, 1], np.int8), (count, n))


def network(patterns, rule="hebbian"):
    net = HopfieldNetwork(patterns.shape[1])
    net.store(patterns, rule)
    return net


def energies_of(net, states):
    """E = -1/2 s W s + theta s for each row, written independently of the engine."""
    s = states.astype(np.float64)
    return -0.5 * np.einsum("ki,ij,kj->k", s, net.weights, s) + s @ net.thresholds


def replay(start, flips, step):
    """The state after `step` updates: apply, in order, every flip with a step <= `step`."""
    state = np.array(start, dtype=np.int8)
    for when, neuron, value in flips.tolist():
        if when > step:
            break
        assert state[neuron] == -value, "a flip must change the neuron"
        state[neuron] = value
    return state


def reference_async(net, start, seed, max_sweeps=100):
    """Async T = 0 recall the slow, obvious way (h_i = W[i] . s - theta_i afresh), same random orders."""
    rng = np.random.default_rng(seed)
    state = np.array(start, dtype=np.float64)
    tolerance = 1e-9 * (np.abs(net.weights).sum(axis=1).max() + np.abs(net.thresholds).max())
    flips = []
    for sweep in range(max_sweeps):
        changed = False
        for position, i in enumerate(rng.permutation(net.n_neurons)):
            h = net.weights[i] @ state - net.thresholds[i]
            new = 1 if h > tolerance else -1 if h < -tolerance else state[i]
            if new != state[i]:
                state[i] = new
                flips.append((sweep * net.n_neurons + position + 1, i, new))
                changed = True
        if not changed:
            break
    return np.array(flips, dtype=np.int64).reshape(-1, 3)


# --- storage ------------------------------------------------------------------------


@pytest.mark.parametrize("rule", RULES)
def test_weights_are_symmetric_with_zero_diagonal(rule):
    rng = np.random.default_rng(1)
    base = random_patterns(rng, 1, 60)
    correlated = np.where(rng.random((8, 60)) < 0.2, -base, base)  # patterns sharing about 80% of their bits
    for patterns in (random_patterns(rng, 9, 60), correlated):
        w = network(patterns, rule).weights
        assert w.shape == (60, 60) and w.dtype == np.float64
        assert np.array_equal(w, w.T)
        assert np.all(np.diagonal(w) == 0)
        assert np.any(w != 0)


@pytest.mark.parametrize("rule", RULES)
def test_stored_patterns_are_fixed_points_well_below_capacity(rule):
    rng = np.random.default_rng(2)
    patterns = random_patterns(rng, 10, 200)  # P = 0.05 N
    net = network(patterns, rule)
    for index, pattern in enumerate(patterns):
        result = net.recall(pattern, seed=index)
        assert result.converged and result.sweeps == 1
        assert len(result.flips) == 0
        assert np.array_equal(result.final, pattern)
        assert result.overlaps[index] == 1.0


def test_hebbian_weights_are_the_outer_product_rule():
    patterns = np.array([[1, -1, 1, 1], [1, 1, -1, 1]], np.int8)
    w = network(patterns).weights
    expected = (np.outer(patterns[0], patterns[0]) + np.outer(patterns[1], patterns[1])) / 4
    np.fill_diagonal(expected, 0)
    assert np.array_equal(w, expected)


def test_storkey_weights_follow_the_published_rule_term_by_term():
    """Storkey (1997): w_ij += (xi_i xi_j - xi_i h_ji - h_ij xi_j) / N, h_ij = sum over k != i, j of w_ik xi_k."""
    patterns = random_patterns(np.random.default_rng(16), 4, 12)
    n = 12
    w = np.zeros((n, n))
    for xi in patterns.astype(float):
        learnt = w.copy()
        for i in range(n):
            for j in range(n):
                if i != j:
                    h_ij = sum(w[i, k] * xi[k] for k in range(n) if k not in (i, j))
                    h_ji = sum(w[j, k] * xi[k] for k in range(n) if k not in (i, j))
                    learnt[i, j] += (xi[i] * xi[j] - xi[i] * h_ji - h_ij * xi[j]) / n
        w = learnt
    np.testing.assert_allclose(network(patterns, "storkey").weights, w, rtol=0, atol=1e-12)


def test_pseudoinverse_weights_project_onto_the_patterns():
    patterns = random_patterns(np.random.default_rng(17), 5, 40)
    w = network(patterns, "pseudoinverse").weights
    projection = w + np.diag(1 - (w @ patterns[0] / patterns[0]))  # restore the diagonal from W xi = xi
    for pattern in patterns:
        np.testing.assert_allclose(projection @ pattern, pattern, atol=1e-9)


def test_storkey_and_pseudoinverse_store_more_than_hebbian():
    # Measured at N = 100, P = 25 over seeds 0..4: Hebbian keeps 2 to 7 patterns as
    # fixed points, Storkey and pseudoinverse all 25.
    rng = np.random.default_rng(3)
    kept = {rule: 0 for rule in RULES}
    for _ in range(3):
        patterns = random_patterns(rng, 25, 100)
        for rule in RULES:
            net = network(patterns, rule)
            kept[rule] += sum(np.array_equal(net.recall(p, seed=0).final, p) for p in patterns)
    assert kept["hebbian"] <= 30
    assert kept["storkey"] >= 70
    assert kept["pseudoinverse"] == 75


def test_pseudoinverse_keeps_correlated_patterns_as_fixed_points():
    rng = np.random.default_rng(4)
    base = random_patterns(rng, 1, 100)
    patterns = np.where(rng.random((20, 100)) < 0.15, -base, base)  # overlaps about (1 - 0.3)^2 = 0.49
    assert np.linalg.matrix_rank(patterns.astype(float)) == 20
    assert np.mean((patterns.astype(int) @ patterns.T / 100)[~np.eye(20, dtype=bool)]) > 0.4
    projection = network(patterns, "pseudoinverse")
    hebbian = network(patterns, "hebbian")
    for index, pattern in enumerate(patterns):
        assert np.array_equal(projection.recall(pattern, seed=index).final, pattern)
    assert sum(np.array_equal(hebbian.recall(p, seed=0).final, p) for p in patterns) < 5


def test_zero_one_input_is_mapped_to_plus_minus_one():
    rng = np.random.default_rng(5)
    bipolar = random_patterns(rng, 4, 30)
    binary = (bipolar > 0).astype(np.uint8)
    from_binary, from_bipolar = network(binary), network(bipolar)
    assert np.array_equal(from_binary.patterns, bipolar)
    assert np.array_equal(from_binary.weights, from_bipolar.weights)
    start = flip_bits(bipolar[0], 0.2, rng)
    start01 = (start > 0).astype(int)
    assert from_bipolar.energy(start01) == from_bipolar.energy(start)
    a, b = from_bipolar.recall(start01, seed=1), from_bipolar.recall(start, seed=1)
    assert np.array_equal(a.states, b.states) and np.array_equal(a.flips, b.flips)
    assert np.array_equal(network(bipolar[:1] > 0).patterns, bipolar[:1])  # booleans too


def test_pattern_shape_is_remembered_and_patterns_stored_flat():
    rng = np.random.default_rng(6)
    grids = rng.choice([-1, 1], (3, 4, 5))
    net = HopfieldNetwork(20)
    net.store(grids)
    assert net.patterns.shape == (3, 20) and net.pattern_shape == (4, 5)
    assert np.array_equal(net.patterns[1].reshape(4, 5), grids[1])
    net.store(grids[2])  # a single pattern
    assert net.patterns.shape == (1, 20) and net.pattern_shape == (4, 5)
    assert net.recall(grids[2]).final.shape == (20,)


@pytest.mark.parametrize("call, message", [
    (lambda net: net.recall(np.ones(11)), "11 values"),
    (lambda net: net.recall([1, -1, 0, 1, 1, 1, 1, 1, 1, 1]), "other than"),
    (lambda net: net.recall([2] * 10), "other than"),
    (lambda net: net.recall(np.full(10, np.nan)), "other than"),
    (lambda net: net.recall(["a"] * 10), "give"),
    (lambda net: net.store(np.ones((2, 10)), rule="oja"), "Unknown storage rule 'oja'"),
    (lambda net: net.store(np.ones((2, 9))), "each must hold 10"),
    (lambda net: net.recall(np.ones(10), temperature=-0.1), "temperature"),
    (lambda net: net.recall(np.ones(10), temperature=float("nan")), "temperature"),
    (lambda net: net.recall(np.ones(10), mode="parallel"), "mode"),
    (lambda net: net.recall(np.ones(10), order="reverse"), "order"),
    (lambda net: net.recall(np.ones(10), record="flip"), "record"),
    (lambda net: net.recall(np.ones(10), max_sweeps=0), "max_sweeps"),
    (lambda net: setattr(net, "weights", np.triu(np.ones((10, 10)), 1)), "symmetric"),
    (lambda net: setattr(net, "weights", np.ones((10, 10))), "zero diagonal"),
    (lambda net: setattr(net, "weights", np.zeros((9, 9))), "(10, 10)"),
    (lambda net: setattr(net, "thresholds", np.zeros(3)), "10 finite"),
    (lambda net: net.energy([1] * 9), "9 values"),
])
def test_bad_input_raises_one_clear_sentence(call, message):
    net = HopfieldNetwork(10)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")) as caught:
        call(net)
    text = str(caught.value)
    assert text.endswith(".") and text.count(". ") == 0


def test_bad_sizes_are_refused():
    with pytest.raises(ValueError, match="positive whole number"):
        HopfieldNetwork(0)
    with pytest.raises(ValueError, match="does not hold 12"):
        HopfieldNetwork(12, shape=(5, 2))


# --- dynamics -------------------------------------------------------------------------


def test_energy_never_increases_under_async_updates():
    rng = np.random.default_rng(7)
    for run in range(40):
        n = int(rng.integers(8, 80))
        net = HopfieldNetwork(n)
        if run % 4 == 3:  # a spin glass: random symmetric couplings and thresholds
            w = rng.normal(size=(n, n))
            w = np.triu(w, 1) + np.triu(w, 1).T
            net.weights = w
            net.thresholds = rng.normal(size=n)
        else:
            net.store(random_patterns(rng, int(rng.integers(1, n // 3 + 2)), n), RULES[run % 4])
        order = "random" if run % 2 else "sequential"
        result = net.recall(random_patterns(rng, 1, n)[0], seed=run, order=order, record="update")
        assert len(result.states) == result.sweeps * n + 1
        np.testing.assert_allclose(result.energies, energies_of(net, result.states), rtol=0, atol=1e-9)
        assert np.all(np.diff(energies_of(net, result.states)) <= 1e-9)
        assert result.converged


def test_recall_from_noise_below_capacity_and_breakdown_far_above():
    n = 256
    rng = np.random.default_rng(8)

    def mean_recall_overlap(count):
        overlaps = []
        for _ in range(3):
            patterns = random_patterns(rng, count, n)
            net = network(patterns)
            for index in range(min(count, 15)):
                result = net.recall(flip_bits(patterns[index], 0.15, rng), seed=rng)
                overlaps.append(result.overlaps[index])
        return np.mean(overlaps)

    assert mean_recall_overlap(round(0.05 * n)) > 0.98
    assert mean_recall_overlap(round(0.35 * n)) < 0.6  # measured: about 0.38


def test_fast_recall_flips_exactly_as_the_obvious_loop():
    """The incremental fields (with their stale list and margin) must decide every update as W[i] . s would."""
    rng = np.random.default_rng(9)
    for run, (n, count) in enumerate([(120, 6), (120, 30), (64, 12), (200, 40)]):
        net = network(random_patterns(rng, count, n), RULES[run % 3])
        if run == 3:
            net.thresholds = rng.normal(scale=0.3, size=n)
        for seed in range(3):
            start = random_patterns(rng, 1, n)[0]
            assert np.array_equal(net.recall(start, seed=seed).flips, reference_async(net, start, seed))


@pytest.mark.parametrize("options", [
    {"record": "sweep"},
    {"record": "update"},
    {"record": "update", "order": "sequential"},
    {"mode": "sync"},
    {"mode": "sync", "record": "update"},
    {"temperature": 0.4, "max_sweeps": 5, "record": "update"},
    {"temperature": 0.4, "max_sweeps": 5},
    {"mode": "sync", "temperature": 0.4, "max_sweeps": 5},
])
def test_replaying_the_flips_reproduces_every_recorded_state(options):
    rng = np.random.default_rng(10)
    patterns = random_patterns(rng, 6, 50)
    net = network(patterns)
    start = random_patterns(rng, 1, 50)[0]
    result = net.recall(start, seed=3, **options)
    assert len(result.flips) > 0
    assert len(result.states) == len(result.energies) == len(result.steps)
    assert np.array_equal(result.states[0], start) and result.steps[0] == 0
    for state, step in zip(result.states, result.steps.tolist()):
        assert np.array_equal(replay(start, result.flips, step), state)
    assert np.array_equal(replay(start, result.flips, result.steps[-1]), result.final)
    assert result.energies[-1] == pytest.approx(net.energy(result.final), abs=1e-9)
    np.testing.assert_allclose(result.energies, energies_of(net, result.states), atol=1e-9)
    np.testing.assert_allclose(result.overlaps, patterns @ result.final / 50)


def test_recorded_steps_follow_the_record_mode():
    rng = np.random.default_rng(11)
    net = network(random_patterns(rng, 3, 40))
    start = random_patterns(rng, 1, 40)[0]
    by_sweep = net.recall(start, seed=1)
    by_update = net.recall(start, seed=1, record="update")
    assert np.array_equal(by_sweep.flips, by_update.flips)
    assert np.array_equal(by_sweep.steps, np.arange(by_sweep.sweeps + 1) * 40)
    assert np.array_equal(by_update.steps, np.arange(by_update.sweeps * 40 + 1))
    assert np.array_equal(by_update.states[by_sweep.steps], by_sweep.states)
    assert not by_sweep.final.flags.writeable


def test_sync_mode_reports_a_two_cycle():
    net = HopfieldNetwork(2)
    net.store([1, 1])  # w12 = 1/2: each neuron copies the other, so (1, -1) and (-1, 1) swap forever in sync
    result = net.recall([1, -1], mode="sync", max_sweeps=50)
    assert result.cycle == 2 and not result.converged
    assert result.sweeps == 2
    assert np.array_equal(result.states, [[1, -1], [-1, 1], [1, -1]])
    settled = net.recall([1, -1], mode="async", order="sequential")
    assert settled.cycle is None and settled.converged
    assert np.array_equal(settled.final, [-1, -1])


def test_sync_mode_converges_to_a_stored_pattern():
    rng = np.random.default_rng(12)
    patterns = random_patterns(rng, 5, 200)
    result = network(patterns).recall(flip_bits(patterns[2], 0.1, rng), mode="sync")
    assert result.converged and result.cycle is None
    assert np.array_equal(result.final, patterns[2])


def test_temperature_changes_the_outcome_and_is_reproducible_with_a_seed():
    rng = np.random.default_rng(13)
    net = network(random_patterns(rng, 5, 100))
    start = random_patterns(rng, 1, 100)[0]
    cold = net.recall(start, seed=4, max_sweeps=10)
    warm = net.recall(start, seed=4, max_sweeps=10, temperature=0.5)
    again = net.recall(start, seed=4, max_sweeps=10, temperature=0.5)
    other = net.recall(start, seed=5, max_sweeps=10, temperature=0.5)
    assert not np.array_equal(cold.flips, warm.flips[: len(cold.flips)])
    assert np.array_equal(warm.flips, again.flips) and np.array_equal(warm.states, again.states)
    assert not np.array_equal(warm.flips, other.flips)
    assert warm.sweeps == 10  # a warm run makes all its sweeps
    assert np.any(np.diff(warm.energies) > 0)  # and may climb
    assert cold.converged


def test_zero_field_keeps_the_current_state():
    net = HopfieldNetwork(3)
    net.store([[1, 1, 1], [1, -1, -1]])  # w12 = w13 = 0, w23 = 1/2
    for start in ([1, 1, 1], [-1, 1, 1], [1, -1, -1], [-1, -1, -1]):
        assert np.array_equal(net.recall(start, seed=0).final, start)  # h_1 = 0 keeps s_1 either way


# --- projects ----------------------------------------------------------------------------


def hopfield_project(shape=(6, 5), rule="storkey"):
    graph = NetworkGraph()
    graph.add_layer("Hopfield", name="memory", shape=shape, rule=rule)
    return Project(graph=graph)


def test_project_round_trip_is_bit_identical(tmp_path):
    rng = np.random.default_rng(14)
    project = hopfield_project()
    patterns = rng.choice(np.array([-1, 1], np.int8), (4, 6, 5))
    net = HopfieldNetwork(30)
    net.thresholds = rng.normal(scale=0.1, size=30)
    store_in_project(project, net, patterns)
    assert net.rule == "storkey"
    assert sorted(project.weights) == ["memory.patterns", "memory.thresholds", "memory.weights"]
    path = tmp_path / "memory.nnproj"
    project.save(path)
    loaded = network_from_project(Project.load(path))
    assert loaded.weights.dtype == np.float64 and np.array_equal(loaded.weights, net.weights)
    assert loaded.weights.tobytes() == net.weights.tobytes()
    assert np.array_equal(loaded.patterns, patterns.reshape(4, 30))
    assert np.array_equal(loaded.thresholds, net.thresholds)
    assert loaded.pattern_shape == (6, 5) and loaded.rule == "storkey"
    start = flip_bits(patterns[1], 0.1, rng)
    assert np.array_equal(loaded.recall(start, seed=1).flips, net.recall(start, seed=1).flips)


def test_project_without_weights_stores_its_patterns_with_its_rule():
    rng = np.random.default_rng(15)
    project = hopfield_project(rule="pseudoinverse")
    patterns = rng.choice(np.array([-1, 1], np.int8), (3, 6, 5))
    project.weights = {"memory.patterns": patterns}
    net = network_from_project(project)
    assert np.array_equal(net.weights, network(patterns.reshape(3, 30), "pseudoinverse").weights)
    empty = network_from_project(hopfield_project())
    assert empty.patterns.shape == (0, 30) and not np.any(empty.weights)


def test_project_problems_are_one_sentence():
    two = hopfield_project()
    two.graph.add_layer("Hopfield")
    with pytest.raises(ValueError, match="2 Hopfield layers"):
        network_from_project(two)
    with pytest.raises(ValueError, match="has 30"):
        store_in_project(hopfield_project(), HopfieldNetwork(31), np.ones((1, 31)))
    bad = hopfield_project()
    bad.weights = {"memory.patterns": np.ones((2, 5, 6), np.int8)}
    with pytest.raises(ValueError, match=r"not \(P, 6, 5\)"):
        network_from_project(bad)
