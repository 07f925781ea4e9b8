"""The Hopfield network: storing patterns in symmetric weights and recalling them.

N neurons hold states s_i in {-1, +1}. Neuron i feels the local field

    h_i = sum_j W_ij s_j - theta_i

and an update sets s_i = sign(h_i). With W symmetric and a zero diagonal,
the energy

    E(s) = -1/2 s^T W s + theta^T s

never rises under one-neuron-at-a-time (asynchronous) updates: flipping s_i
to the sign of h_i changes E by -2 |h_i| <= 0. So the state slides downhill
into a local minimum, and storing patterns means shaping W so that they are
minima. Three storage rules are offered (see `hebbian_weights`,
`storkey_weights`, `pseudoinverse_weights`).

Recall is written for speed: the fields are computed once (h = W s - theta)
and then kept up to date incrementally. Flipping s_i by Delta = 2 s_i(new)
changes every field by Delta * W[:, i], one vectorised row add (W is
symmetric, so row i is column i and contiguous); W @ s is never recomputed
per neuron. The inner loop reads fields from a plain Python list, because
comparing Python floats is several times cheaper than touching NumPy
scalars. Flips make that list stale, but by a known bound, so it still gives
the sign of every field not too close to zero; only those are read exactly
(see `HopfieldNetwork._run_async`).

Every run is recorded as its initial state and the list of flips
(step, neuron, new value); the states and energies at the recorded steps are
rebuilt from those, so a run can be replayed flip by flip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

if TYPE_CHECKING:
    from ..graph import Project

RULES = ("hebbian", "storkey", "pseudoinverse")
MODES = ("async", "sync")
ORDERS = ("random", "sequential")
RECORDS = ("sweep", "update")
HOPFIELD_KIND = "Hopfield"

# Fields within this fraction of the largest possible field count as zero:
# rounding noise must not flip a neuron whose field is zero in exact arithmetic.
FIELD_TOLERANCE = 1e-9


def as_bipolar(values: Any, what: str = "The state") -> np.ndarray:
    """Values given as +-1 or as 0/1, as an int8 array of +-1 of the same shape.

    An array holding only 1 is read as +-1 (it means the same either way);
    anything else that is not all +-1 or all 0/1 raises ValueError.
    """
    array = np.asarray(values)
    if array.dtype.kind not in "biuf":
        raise ValueError(f"{what} holds {array.dtype} values; give +-1 or 0/1 numbers.")
    if array.dtype.kind == "b":
        return np.where(array, 1, -1).astype(np.int8)
    plus = array == 1
    if np.all(plus | (array == -1)):
        return np.where(plus, 1, -1).astype(np.int8)
    if np.all(plus | (array == 0)):
        return np.where(plus, 1, -1).astype(np.int8)
    raise ValueError(f"{what} holds values other than +-1 or 0/1.")


def hebbian_weights(patterns: np.ndarray) -> np.ndarray:
    """The Hebbian (outer product) rule: W = (1/N) sum_mu xi^mu xi^mu^T, diagonal zero.

    Each pattern reinforces the couplings between neurons that agree in it.
    Cheap and local, but the crosstalk between random patterns grows with
    their number P: recall collapses near P = 0.138 N (Amit, Gutfreund and
    Sompolinsky 1985). `patterns` is (P, N) of +-1.
    """
    n = patterns.shape[1]
    wide = patterns.astype(np.int64)
    weights = (wide.T @ wide) / n  # an exact integer matrix, then one division: exactly symmetric
    np.fill_diagonal(weights, 0.0)
    return weights


def storkey_weights(patterns: np.ndarray) -> np.ndarray:
    """The Storkey (1997) rule: Hebbian learning that subtracts the crosstalk already present.

    Patterns are learnt one at a time. For a new pattern xi, with the fields it
    would feel h = W xi (diagonal zero) and h_ij = h_i - W_ij xi_j the field
    on i without the contribution of j,

        W_ij += (1/N) (xi_i xi_j - xi_i h_ji - h_ij xi_j)
              = (1/N) (xi_i xi_j - xi_i h_j - h_i xi_j + 2 W_ij)   (xi_k^2 = 1).

    Still local and incremental, but it stores more: about N / sqrt(2 ln N)
    patterns as fixed points against N / (2 ln N) for the Hebbian rule.
    """
    count, n = patterns.shape
    weights = np.zeros((n, n))
    for pattern in patterns.astype(np.float64):
        fields = weights @ pattern
        crosstalk = np.outer(pattern, fields)
        # crosstalk + crosstalk.T is exactly symmetric (a + b == b + a), so W stays exactly symmetric
        weights += (np.outer(pattern, pattern) - (crosstalk + crosstalk.T) + 2.0 * weights) / n
        np.fill_diagonal(weights, 0.0)
    return weights


def pseudoinverse_weights(patterns: np.ndarray) -> np.ndarray:
    """The projection (pseudoinverse) rule of Personnaz, Guyon and Dreyfus (1986).

    W = Xi^+ Xi, with Xi the (P, N) pattern matrix: the orthogonal projection
    onto the space the patterns span, so W xi = xi for every stored pattern
    however correlated they are, as long as they are linearly independent
    (up to P < N). The diagonal is then set to zero, which leaves
    h_i = (1 - P_ii) xi_i (without thresholds), 0 <= P_ii <= 1: still the sign of xi_i (or zero,
    where the neuron keeps its state), so every stored pattern stays a fixed
    point. The price is a non-local rule and basins that shrink as P nears N.
    """
    if patterns.shape[0] == 0:
        return np.zeros((patterns.shape[1],) * 2)
    matrix = patterns.astype(np.float64)
    projection = np.linalg.pinv(matrix) @ matrix
    weights = (projection + projection.T) / 2.0  # exactly symmetric despite rounding
    np.fill_diagonal(weights, 0.0)
    return weights


STORAGE_RULES = {"hebbian": hebbian_weights, "storkey": storkey_weights, "pseudoinverse": pseudoinverse_weights}


@dataclass(frozen=True, eq=False)
class RecallResult:
    """One recall run.

    states:    (R + 1, N) int8; states[0] is the initial state, then the state after
               each recorded step (each sweep, or each update with record="update")
    steps:     (R + 1,) the update step after which each state was taken (0 = start);
               an async sweep is N update steps, a sync sweep is one step
    energies:  (R + 1,) the energy of each recorded state
    flips:     (F, 3) int64 rows (step, neuron, new value), in order: applying the
               flips with step <= k to states[0] gives the state after step k
    final:     (N,) int8, the last state
    converged: the last sweep changed no neuron (at T = 0 the run stops there)
    sweeps:    how many sweeps ran
    cycle:     2 when a synchronous run alternates between two states (it stops
               then; states[-2] and states[-1] are the pair), otherwise None
    overlaps:  (P,) m_mu = final . xi^mu / N with every stored pattern
    """

    states: np.ndarray
    steps: np.ndarray
    energies: np.ndarray
    flips: np.ndarray
    final: np.ndarray
    converged: bool
    sweeps: int
    cycle: int | None
    overlaps: np.ndarray


class _Run(NamedTuple):
    """What a dynamics loop hands back: the flips and enough to lay out the record."""

    start_energy: float
    flip_steps: list[int]
    flip_neurons: list[int]
    flip_values: list[int]
    flip_energies: list[float]  # the energy right after each flip
    sweeps: int
    steps_per_sweep: int
    converged: bool
    cycle: int | None


class HopfieldNetwork:
    """A Hopfield network of `n_neurons` +-1 neurons; `shape` is how a pattern is displayed."""

    def __init__(self, n_neurons: int, shape: tuple[int, ...] | None = None) -> None:
        if not isinstance(n_neurons, (int, np.integer)) or isinstance(n_neurons, bool) or n_neurons < 1:
            raise ValueError(f"A Hopfield network needs a positive whole number of neurons, not {n_neurons!r}.")
        self.n_neurons = int(n_neurons)
        shape = (self.n_neurons,) if shape is None else tuple(int(size) for size in shape)
        if math.prod(shape) != self.n_neurons:
            raise ValueError(f"A pattern shape of {shape} does not hold {self.n_neurons} neurons.")
        self.pattern_shape = shape
        self.rule = "hebbian"
        self._patterns = np.empty((0, self.n_neurons), np.int8)
        self._weights = np.zeros((self.n_neurons,) * 2)
        self._thresholds = np.zeros(self.n_neurons)
        self._refresh_derived()

    # --- memory ----------------------------------------------------------------

    @property
    def patterns(self) -> np.ndarray:
        """The stored patterns, (P, N) int8 of +-1 (read-only)."""
        return self._patterns

    @property
    def weights(self) -> np.ndarray:
        """The (N, N) float64 weights, symmetric with a zero diagonal (read-only; assign to replace)."""
        return self._weights

    @weights.setter
    def weights(self, weights: Any) -> None:
        self._weights = self._checked_weights(weights)
        self._refresh_derived()

    @property
    def thresholds(self) -> np.ndarray:
        """The (N,) thresholds theta (zero unless set; read-only, assign to replace)."""
        return self._thresholds

    @thresholds.setter
    def thresholds(self, thresholds: Any) -> None:
        values = np.array(thresholds, dtype=np.float64)
        if values.shape != (self.n_neurons,) or not np.all(np.isfinite(values)):
            raise ValueError(f"The thresholds must be {self.n_neurons} finite numbers.")
        values.flags.writeable = False
        self._thresholds = values
        self._refresh_derived()

    def store(self, patterns: Any, rule: str = "hebbian") -> None:
        """Store patterns, replacing whatever the network held before.

        `patterns` is one pattern or a stack of them, as +-1 or 0/1, in any
        shape: an array whose size is N is one pattern, an array whose items
        (along the first axis) have N values each is a stack. The patterns are
        stored flattened; the shape of one is remembered in `pattern_shape`.
        """
        if rule not in STORAGE_RULES:
            raise ValueError(f"Unknown storage rule {rule!r}; use one of {', '.join(RULES)}.")
        stack, shape = self._as_stack(patterns)
        self._set_memory(stack, rule, STORAGE_RULES[rule](stack))
        self.pattern_shape = shape

    def _set_memory(self, patterns: np.ndarray, rule: str, weights: Any) -> None:
        """Install patterns (P, N) of +-1 with the weights that hold them."""
        weights = self._checked_weights(weights)
        patterns = patterns.copy()
        patterns.flags.writeable = False
        self._patterns, self.rule, self._weights = patterns, rule, weights
        self._refresh_derived()

    def _as_stack(self, patterns: Any) -> tuple[np.ndarray, tuple[int, ...]]:
        array = as_bipolar(patterns, "The patterns")
        n = self.n_neurons
        if array.ndim >= 2 and math.prod(array.shape[1:]) == n:
            return array.reshape(-1, n), tuple(array.shape[1:])
        if array.size == n:
            return array.reshape(1, n), tuple(array.shape)
        raise ValueError(f"The patterns have shape {array.shape}, but each must hold {n} values.")

    def _checked_weights(self, weights: Any) -> np.ndarray:
        matrix = np.array(weights, dtype=np.float64)
        n = self.n_neurons
        if matrix.shape != (n, n):
            raise ValueError(f"The weights have shape {matrix.shape}, but {n} neurons need ({n}, {n}).")
        if not np.all(np.isfinite(matrix)):
            raise ValueError("The weights hold values that are not finite numbers.")
        if not np.array_equal(matrix, matrix.T) or np.any(np.diagonal(matrix) != 0):
            raise ValueError("The weights must be symmetric with a zero diagonal, or the energy could rise.")
        matrix.flags.writeable = False
        return matrix

    def _refresh_derived(self) -> None:
        """Refresh what recall derives from the weights: the doubled rows, their reach and the zero tolerance."""
        doubled = 2.0 * self._weights
        self._doubled_rows = list(doubled)  # row i = the change of every field when s_i goes from -1 to +1
        self._reach = np.abs(doubled).max(axis=1).tolist()  # the most one flip of s_i moves any field
        largest_field = np.abs(self._weights).sum(axis=1).max() + np.abs(self._thresholds).max()
        self._tolerance = FIELD_TOLERANCE * float(largest_field)

    # --- state -----------------------------------------------------------------

    def _as_state(self, state: Any) -> np.ndarray:
        array = as_bipolar(state)
        if array.size != self.n_neurons:
            raise ValueError(f"The state has {array.size} values, but the network has {self.n_neurons} neurons.")
        return array.reshape(self.n_neurons)

    def energy(self, state: Any) -> float:
        """E(s) = -1/2 s^T W s + theta^T s."""
        s = self._as_state(state).astype(np.float64)
        return float(-0.5 * s @ (self._weights @ s) + self._thresholds @ s)

    def _energy_from_fields(self, state: np.ndarray, fields: np.ndarray) -> float:
        """E from the fields h = W s - theta in O(N): W s = h + theta, so E = -1/2 s.h + 1/2 theta.s."""
        s = state.astype(np.float64)
        return float(-0.5 * s @ fields + 0.5 * self._thresholds @ s)

    def overlaps(self, state: Any) -> np.ndarray:
        """m_mu = s . xi^mu / N for every stored pattern: 1 is the pattern, -1 its inverse, ~0 unrelated."""
        s = self._as_state(state).astype(np.float64)
        return self._patterns @ s / self.n_neurons

    # --- recall ----------------------------------------------------------------

    def recall(
        self,
        state: Any,
        mode: str = "async",
        max_sweeps: int = 100,
        seed: int | np.random.Generator | None = None,
        order: str = "random",
        temperature: float = 0.0,
        record: str = "sweep",
    ) -> RecallResult:
        """Let the network settle from `state`.

        mode="async" updates one neuron at a time, each once per sweep, in a fresh
        random order every sweep (order="random") or by index (order="sequential");
        at T = 0 the energy never rises and the run stops after a sweep with no
        flip. mode="sync" updates every neuron at once from the same fields; the
        energy may rise, and besides fixed points the only attractors are 2-cycles
        (Goles, Fogelman-Soulie and Pellegrin 1985), which are reported in `cycle`.

        At temperature T > 0 updates are stochastic (Glauber dynamics):
        P(s_i = +1) = 1 / (1 + exp(-2 h_i / T)) = (1 + tanh(h_i / T)) / 2, and
        the run makes all `max_sweeps` sweeps. At T = 0 the update is
        s_i = sign(h_i), and where h_i == 0 the neuron keeps its current state
        (a field within a 1e-9 fraction of the largest possible field counts as
        zero, so that rounding noise does not decide). `seed` makes the random
        order and the stochastic updates reproducible.

        record="sweep" keeps the state after every sweep; record="update" after
        every single update, (sweeps * N + 1, N) int8, meant for small grids
        shown flip by flip. The flips are kept either way.
        """
        for name, value, choices in (("mode", mode, MODES), ("order", order, ORDERS), ("record", record, RECORDS)):
            if value not in choices:
                raise ValueError(f"Unknown recall {name} {value!r}; use one of {', '.join(choices)}.")
        if not isinstance(max_sweeps, (int, np.integer)) or isinstance(max_sweeps, bool) or max_sweeps < 1:
            raise ValueError(f"max_sweeps must be a positive whole number, not {max_sweeps!r}.")
        if not isinstance(temperature, (int, float, np.integer, np.floating)) or not temperature >= 0 \
                or not math.isfinite(temperature):
            raise ValueError(f"The temperature must be a finite number >= 0, not {temperature!r}.")
        start = self._as_state(state)
        rng = np.random.default_rng(seed)
        if mode == "sync":
            run = self._run_sync(start, int(max_sweeps), float(temperature), rng)
        elif temperature == 0:
            run = self._run_async(start, int(max_sweeps), order == "random", rng)
        else:
            run = self._run_glauber(start, int(max_sweeps), order == "random", float(temperature), rng)
        return self._result(start, run, record)

    def _sweep_order(self, random_order: bool, rng: np.random.Generator) -> list[int]:
        return rng.permutation(self.n_neurons).tolist() if random_order else list(range(self.n_neurons))

    def _run_async(self, start: np.ndarray, max_sweeps: int, random_order: bool, rng: np.random.Generator) -> _Run:
        """Deterministic asynchronous updates with incrementally kept fields.

        The NumPy array `fields` is always exact: each flip adds or subtracts
        the doubled row of W. The Python list `field_list` is a copy that goes
        stale as flips happen, but each flip of neuron j moves any field by at
        most reach_j = 2 max_k |W_jk|, so a listed field further than `margin`
        (the tolerance plus the reach of every flip since the copy) from zero
        still has the right sign. Only fields inside the margin are read
        exactly; the copy is refreshed at the end of a sweep with flips, or
        sooner once exact reads would cost more than a refresh.
        """
        n, rows, reach, tolerance = self.n_neurons, self._doubled_rows, self._reach, self._tolerance
        # A fresh .tolist() costs about N/3 exact reads; refreshing after N/8 of them measured
        # as fast as anything from N/32 to N/2.
        refresh_after = n // 8
        fields = self._weights @ start.astype(np.float64) - self._thresholds
        field_list = fields.tolist()
        exact = fields.item
        state = start.tolist()
        start_energy = energy = self._energy_from_fields(start, fields)
        steps: list[int] = []
        neurons: list[int] = []
        values: list[int] = []
        energies: list[float] = []
        margin = tolerance
        sweep = 0
        converged = False
        while sweep < max_sweeps and not converged:
            flips_before = len(steps)
            exact_reads = 0
            for step, i in enumerate(self._sweep_order(random_order, rng), sweep * n + 1):
                h = field_list[i]
                if h > margin:
                    if state[i] > 0:
                        continue
                elif h < -margin:
                    if state[i] < 0:
                        continue
                elif margin > tolerance:  # a stale field too close to zero to trust its sign
                    exact_reads += 1
                    if exact_reads > refresh_after:
                        field_list, margin, exact_reads = fields.tolist(), tolerance, 0
                    h = exact(i)
                    if not ((h > tolerance and state[i] < 0) or (h < -tolerance and state[i] > 0)):
                        continue
                else:  # h == 0 (within the tolerance): keep the current state
                    continue
                h = exact(i)
                if h > 0:
                    state[i] = 1
                    np.add(fields, rows[i], out=fields)
                else:
                    state[i] = -1
                    np.subtract(fields, rows[i], out=fields)
                energy -= 2.0 * abs(h)  # dE = -(s_new - s_old) h_i = -2 |h_i|
                margin += reach[i]
                steps.append(step)
                neurons.append(i)
                values.append(state[i])
                energies.append(energy)
            sweep += 1
            converged = len(steps) == flips_before
            if margin > tolerance:
                field_list, margin = fields.tolist(), tolerance
        return _Run(start_energy, steps, neurons, values, energies, sweep, n, converged, None)

    def _run_glauber(
        self, start: np.ndarray, max_sweeps: int, random_order: bool, temperature: float, rng: np.random.Generator
    ) -> _Run:
        """Asynchronous Glauber updates at T > 0: s_i = +1 with probability (1 + tanh(h_i / T)) / 2."""
        n, rows = self.n_neurons, self._doubled_rows
        fields = self._weights @ start.astype(np.float64) - self._thresholds
        state = start.tolist()
        start_energy = energy = self._energy_from_fields(start, fields)
        steps: list[int] = []
        neurons: list[int] = []
        values: list[int] = []
        energies: list[float] = []
        flipped = False
        for sweep in range(max_sweeps):
            order = self._sweep_order(random_order, rng)
            chances = rng.random(n).tolist()
            flipped = False
            for step, (i, chance) in enumerate(zip(order, chances), sweep * n + 1):
                h = fields.item(i)
                new = 1 if chance < 0.5 * (1.0 + math.tanh(h / temperature)) else -1
                if new != state[i]:
                    state[i] = new
                    if new > 0:
                        np.add(fields, rows[i], out=fields)
                    else:
                        np.subtract(fields, rows[i], out=fields)
                    energy -= 2.0 * new * h  # may rise: that is what the temperature is for
                    steps.append(step)
                    neurons.append(i)
                    values.append(new)
                    energies.append(energy)
                    flipped = True
        return _Run(start_energy, steps, neurons, values, energies, max_sweeps, n, not flipped, None)

    def _run_sync(self, start: np.ndarray, max_sweeps: int, temperature: float, rng: np.random.Generator) -> _Run:
        """Synchronous updates, s(t+1) = sign(W s(t) - theta); at T = 0 stop at a fixed point or a 2-cycle."""
        steps: list[int] = []
        neurons: list[int] = []
        values: list[int] = []
        energies: list[float] = []
        state, previous = start, None
        changed = np.empty(0, np.int64)
        cycle = None
        sweep = 0
        while sweep < max_sweeps:
            sweep += 1
            fields = self._weights @ state.astype(np.float64) - self._thresholds
            if temperature == 0:
                new = np.where(fields > self._tolerance, 1, np.where(fields < -self._tolerance, -1, state))
            else:
                new = np.where(rng.random(self.n_neurons) < 0.5 * (1.0 + np.tanh(fields / temperature)), 1, -1)
            new = new.astype(np.int8)
            changed = np.flatnonzero(new != state)
            steps.extend([sweep] * changed.size)
            neurons.extend(changed.tolist())
            values.extend(new[changed].tolist())
            energies.extend([self.energy(new)] * changed.size)
            if temperature == 0 and changed.size == 0:
                break
            if temperature == 0 and previous is not None and np.array_equal(new, previous):
                cycle = 2
                break
            state, previous = new, state
        return _Run(self.energy(start), steps, neurons, values, energies, sweep, 1, changed.size == 0, cycle)

    def _result(self, start: np.ndarray, run: _Run, record: str) -> RecallResult:
        """Lay out a run: rebuild the recorded states and energies from the flips."""
        flips = np.array([run.flip_steps, run.flip_neurons, run.flip_values], dtype=np.int64).T.reshape(-1, 3)
        total_steps = run.sweeps * run.steps_per_sweep
        stride = 1 if record == "update" else run.steps_per_sweep
        recorded = np.arange(0, total_steps + 1, stride)
        applied = np.searchsorted(flips[:, 0], recorded, side="right")  # flips done by each recorded step
        distinct, where = np.unique(applied, return_inverse=True)
        snapshots = np.empty((distinct.size, self.n_neurons), np.int8)
        current = start.copy()
        done = 0
        for row, count in enumerate(distinct.tolist()):
            # Between two recorded steps each neuron flips at most once (once per sweep), so no index repeats.
            current[flips[done:count, 1]] = flips[done:count, 2]
            snapshots[row] = current
            done = count
        energies = np.concatenate([[run.start_energy], run.flip_energies])[applied]
        states = snapshots[where]
        final = states[-1].copy()
        for array in (states, final, flips, energies, recorded):
            array.flags.writeable = False
        return RecallResult(
            states, recorded, energies, flips, final, run.converged, run.sweeps, run.cycle, self.overlaps(final)
        )


# --- projects --------------------------------------------------------------------


def _hopfield_layer(project: Project) -> tuple[str, tuple[int, ...], str]:
    """The name, pattern shape and storage rule of the project's one Hopfield layer."""
    layers = [layer for layer in project.graph.layers() if layer.kind == HOPFIELD_KIND]
    if len(layers) != 1:
        raise ValueError(f"The project has {len(layers)} Hopfield layers; it needs exactly one.")
    layer = layers[0]
    return layer.name, tuple(layer.params["shape"]), layer.params["rule"]


def network_from_project(project: Project) -> HopfieldNetwork:
    """The HopfieldNetwork a project describes.

    Its Hopfield layer gives the pattern shape and the rule; the arrays
    `<name>.patterns` (P, rows, cols) int8, `<name>.weights` (N, N) and the
    optional `<name>.thresholds` (N,) give the memory. Weights missing from the
    project are computed from the patterns with the layer's rule; no patterns
    means an empty memory.
    """
    name, shape, rule = _hopfield_layer(project)
    arrays = project.weights or {}
    network = HopfieldNetwork(math.prod(shape), shape)
    patterns = arrays.get(f"{name}.patterns", np.empty((0, *shape), np.int8))
    if np.shape(patterns)[1:] != shape:
        expected = ", ".join(str(size) for size in ("P", *shape))
        raise ValueError(f"The stored patterns of {name} have shape {np.shape(patterns)}, not ({expected}).")
    if f"{name}.weights" in arrays:
        stack = as_bipolar(patterns, "The stored patterns").reshape(-1, network.n_neurons)
        network._set_memory(stack, rule, arrays[f"{name}.weights"])
    else:
        network.store(patterns, rule)
    network.pattern_shape = shape
    if f"{name}.thresholds" in arrays:
        network.thresholds = arrays[f"{name}.thresholds"]
    return network


def store_in_project(project: Project, network: HopfieldNetwork, patterns: Any) -> None:
    """Store `patterns` in `network` with the rule of the project's Hopfield layer, and put the memory in the project.

    Writes `<name>.weights` (N, N) float64, `<name>.patterns` (P, rows, cols)
    int8 and, when any threshold is non-zero, `<name>.thresholds` into
    `project.weights`, so that Project.save keeps them bit for bit.
    """
    name, shape, rule = _hopfield_layer(project)
    if network.n_neurons != math.prod(shape):
        raise ValueError(f"The network has {network.n_neurons} neurons, but {name} has {math.prod(shape)} ({shape[0]} x {shape[1]}).")
    network.store(patterns, rule)
    network.pattern_shape = shape
    arrays = dict(project.weights or {})
    arrays[f"{name}.weights"] = network.weights.copy()
    arrays[f"{name}.patterns"] = network.patterns.reshape(-1, *shape).copy()
    arrays.pop(f"{name}.thresholds", None)
    if np.any(network.thresholds):
        arrays[f"{name}.thresholds"] = network.thresholds.copy()
    project.weights = arrays
