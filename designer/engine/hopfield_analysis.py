"""What a Hopfield network remembers: naming its final states, measuring basins and capacity.

The yardstick everywhere is the overlap m_mu = s . xi^mu / N of a state s with
a stored pattern xi^mu: 1 is the pattern, -1 its inverse (which is always a
minimum too, since E(-s) = E(s) without thresholds), about 0 (order 1/sqrt N)
an unrelated state. Besides the patterns and their inverses, the Hebbian
rule creates mixture states, sgn(+-xi^a +- xi^b +- xi^c), with overlap 1/2 with
each of their three components, and spurious states related to none of them
(Amit, Gutfreund and Sompolinsky 1985).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from .hopfield import RULES, HopfieldNetwork, as_bipolar

PATTERN, INVERSE, MIXTURE, SPURIOUS = "pattern", "inverse", "mixture", "spurious"
# Near capacity the Hebbian retrieval state still differs from its pattern in a
# few percent of the bits (m = 0.97 at P = 0.138 N), so "is the pattern" means m >= 0.95.
MIN_OVERLAP = 0.95


@dataclass(frozen=True)
class Classification:
    """What a state is.

    kind:    "pattern", "inverse", "mixture" or "spurious"
    indices: the stored patterns it is made of, ascending (empty when spurious)
    signs:   the sign each of them enters with (-1 for an inverse)
    overlap: the overlap with that pattern, inverse or mixture; for a spurious
             state the largest |m_mu|, how close it came to any pattern
    """

    kind: str
    indices: tuple[int, ...]
    signs: tuple[int, ...]
    overlap: float

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values."""
        return {**asdict(self), "indices": list(self.indices), "signs": list(self.signs)}


def as_pattern_stack(patterns: Any, n_neurons: int) -> np.ndarray:
    """Patterns (P, ...) of +-1 or 0/1 whose items hold `n_neurons` values each, as (P, N) int8."""
    stack = as_bipolar(patterns, "The patterns")
    if stack.ndim < 2 or math.prod(stack.shape[1:]) != n_neurons:
        raise ValueError(f"The patterns have shape {stack.shape}; give a stack (P, ...) of {n_neurons} values each.")
    return stack.reshape(stack.shape[0], n_neurons)


def classify(state: Any, patterns: Any, min_overlap: float = MIN_OVERLAP, max_components: int = 5) -> Classification:
    """Name a state against stored patterns (P, ...).

    A pattern or inverse when |m_mu| >= min_overlap for some mu. Otherwise the
    odd mixtures sgn(sum of k patterns, each with the sign of its overlap) of
    the k patterns it overlaps most, k = 3, 5, ... up to max_components, are
    tried (odd, so that the sum is never zero); the first whose overlap with
    the state reaches min_overlap names it a mixture. Anything else is spurious.
    """
    s = as_bipolar(state).reshape(-1)
    stack = as_pattern_stack(patterns, s.size)
    overlaps = stack @ s.astype(np.float64) / s.size
    if stack.shape[0] == 0:
        return Classification(SPURIOUS, (), (), 0.0)
    closeness = np.abs(overlaps)
    best = int(np.argmax(closeness))
    if closeness[best] >= min_overlap:
        sign = 1 if overlaps[best] > 0 else -1
        return Classification(PATTERN if sign > 0 else INVERSE, (best,), (sign,), float(closeness[best]))
    ranked = np.argsort(-closeness, kind="stable")
    for k in range(3, min(max_components, stack.shape[0]) + 1, 2):
        members = np.sort(ranked[:k])
        signs = np.where(overlaps[members] >= 0, 1, -1)
        mixture = np.sign(signs @ stack[members])
        overlap = float(mixture @ s) / s.size
        if overlap >= min_overlap:
            return Classification(MIXTURE, tuple(members.tolist()), tuple(signs.tolist()), overlap)
    return Classification(SPURIOUS, (), (), float(closeness[best]))


def flip_bits(state: Any, fraction: float, rng: np.random.Generator) -> np.ndarray:
    """A copy of a +-1 state with round(fraction * N) distinct bits, chosen at random, flipped."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"The noise must be a fraction of bits between 0 and 1, not {fraction!r}.")
    noisy = as_bipolar(state).reshape(-1).copy()
    noisy[rng.choice(noisy.size, round(fraction * noisy.size), replace=False)] *= -1
    return noisy


@dataclass(frozen=True, eq=False)
class BasinCurve:
    """Recall of one pattern from increasingly noisy starts.

    noise:         (L,) the fractions of bits flipped
    success_rate:  (L,) the fraction of trials that ended on the pattern (m >= min_overlap)
    mean_overlap:  (L,) the mean final overlap with the pattern
    """

    pattern_index: int
    noise: np.ndarray
    success_rate: np.ndarray
    mean_overlap: np.ndarray
    trials: int

    @property
    def radius(self) -> float:
        """The basin's radius: the largest noise level before the success rate first drops below 1/2."""
        failing = np.flatnonzero(self.success_rate < 0.5)
        last = failing[0] - 1 if failing.size else self.noise.size - 1
        return float(self.noise[last]) if last >= 0 else 0.0


def basin_of_attraction(
    network: HopfieldNetwork,
    pattern_index: int,
    noise_levels: Any = None,
    trials: int = 20,
    seed: int = 0,
    min_overlap: float = MIN_OVERLAP,
    max_sweeps: int = 100,
) -> BasinCurve:
    """Estimate how far a stored pattern attracts: recall from `trials` seeded noisy copies per noise level.

    The noise levels default to 0, 0.05, ..., 0.5 (half the bits flipped is
    an unrelated state, so the curve must have fallen by then).
    """
    if not 0 <= pattern_index < network.patterns.shape[0]:
        raise ValueError(f"There is no stored pattern {pattern_index}; the network holds {network.patterns.shape[0]}.")
    levels = np.linspace(0.0, 0.5, 11) if noise_levels is None else np.asarray(noise_levels, dtype=np.float64)
    rng = np.random.default_rng(seed)
    target = network.patterns[pattern_index]
    success = np.zeros(levels.size)
    mean_overlap = np.zeros(levels.size)
    for row, level in enumerate(levels.tolist()):
        for _ in range(trials):
            result = network.recall(flip_bits(target, level, rng), seed=rng, max_sweeps=max_sweeps)
            overlap = result.overlaps[pattern_index]
            success[row] += overlap >= min_overlap
            mean_overlap[row] += overlap
    return BasinCurve(pattern_index, levels, success / trials, mean_overlap / trials, trials)


@dataclass(frozen=True, eq=False)
class CapacityCurve:
    """Recall success against the load P / N for each storage rule.

    loads:         (L,) P / N as used (P rounded to a whole number, at least 1)
    success_rate:  rule -> (L,) the fraction of stored patterns recalled (m >= min_overlap)
    mean_overlap:  rule -> (L,) the mean final overlap with the pattern recalled
    """

    n_neurons: int
    loads: np.ndarray
    success_rate: dict[str, np.ndarray]
    mean_overlap: dict[str, np.ndarray]


def capacity_experiment(
    n_neurons: int = 100,
    loads: Any = (0.05, 0.1, 0.12, 0.14, 0.16, 0.2, 0.3, 0.4, 0.5),
    rules: Any = RULES,
    trials: int = 3,
    noise: float = 0.0,
    seed: int = 0,
    min_overlap: float = MIN_OVERLAP,
) -> CapacityCurve:
    """Store P = load * N random patterns with each rule and recall every one of them.

    Each recall starts from the pattern with a `noise` fraction of its bits
    flipped (0: the pattern itself, the classic test of whether it is near a
    stable state at all). Every rule sees the same patterns and starts. For
    the Hebbian rule success collapses near P = 0.138 N (smeared at small N);
    Storkey's rule holds more, and the pseudoinverse rule keeps every pattern
    a fixed point up to P near N, though its basins shrink (try noise > 0).
    """
    unknown = [rule for rule in rules if rule not in RULES]
    if unknown:
        raise ValueError(f"Unknown storage rule {unknown[0]!r}; use one of {', '.join(RULES)}.")
    counts = [max(1, round(load * n_neurons)) for load in loads]
    rng = np.random.default_rng(seed)
    success = {rule: np.zeros(len(counts)) for rule in rules}
    overlap_sum = {rule: np.zeros(len(counts)) for rule in rules}
    for _ in range(trials):
        patterns = rng.choice(np.array([-1, 1], np.int8), (max(counts), n_neurons))
        for column, count in enumerate(counts):
            starts = [flip_bits(pattern, noise, rng) for pattern in patterns[:count]]
            recall_seed = int(rng.integers(2**32))
            for rule in rules:
                network = HopfieldNetwork(n_neurons)
                network.store(patterns[:count], rule)
                for index, start in enumerate(starts):
                    overlap = network.recall(start, seed=recall_seed + index).overlaps[index]
                    success[rule][column] += overlap >= min_overlap
                    overlap_sum[rule][column] += overlap
    recalls = trials * np.array(counts, dtype=np.float64)
    return CapacityCurve(
        n_neurons,
        np.array(counts) / n_neurons,
        {rule: success[rule] / recalls for rule in rules},
        {rule: overlap_sum[rule] / recalls for rule in rules},
    )


def recall_report(
    network: HopfieldNetwork, patterns: Any, pattern_index: int, noise: float, seed: int | None, **recall_options: Any
) -> dict[str, Any]:
    """Recall pattern `pattern_index` from a copy with a `noise` fraction of bits flipped; JSON-ready.

    Gives the overlap with the target before and after, the energy before and
    after and its drop, the sweeps, whether the run converged (and a sync
    2-cycle, if any) and the classification of the final state against
    `patterns`. `recall_options` go to HopfieldNetwork.recall (mode,
    temperature, max_sweeps, ...); `seed` drives both the noise and the recall.
    """
    stack = as_pattern_stack(patterns, network.n_neurons)
    if not 0 <= pattern_index < stack.shape[0]:
        raise ValueError(f"There is no pattern {pattern_index}; there are {stack.shape[0]}.")
    rng = np.random.default_rng(seed)
    target = stack[pattern_index]
    start = flip_bits(target, noise, rng)
    result = network.recall(start, seed=rng, **recall_options)
    before, after = float(result.energies[0]), float(result.energies[-1])
    return {
        "pattern_index": int(pattern_index),
        "noise": float(noise),
        "flipped_bits": int(np.count_nonzero(start != target)),
        "overlap_before": _overlap(start, target),
        "overlap_after": _overlap(result.final, target),
        "energy_before": before,
        "energy_after": after,
        "energy_drop": before - after,
        "sweeps": int(result.sweeps),
        "converged": bool(result.converged),
        "cycle": result.cycle,
        "classification": classify(result.final, stack).to_dict(),
    }


def _overlap(state: np.ndarray, pattern: np.ndarray) -> float:
    return float(state.astype(np.float64) @ pattern) / state.size
