"""Hopfield work off the GUI thread: recall, storing big memories and the capacity experiment.

The engine computes a whole recall in one go (fast); the workspace then
replays `result.flips` on a timer. Each runs in a `Job` (see `..jobs`). The
network a recall reads is never changed after it is built (a new memory
makes a new network), so the worker can read it while the window goes on.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...engine.hopfield import HopfieldNetwork, RecallResult
from ...engine.hopfield_analysis import capacity_experiment
from ..jobs import Job


@dataclass(frozen=True, eq=False)
class RecallRun:
    """One recall, with what the replay needs besides the engine's result.

    flip_energies: the energy right after each flip (asynchronous runs), so
                   the energy curve can grow flip by flip; None for sync runs,
                   whose flips within a sweep happen at once
    """

    result: RecallResult
    start: np.ndarray
    seed: int
    mode: str
    temperature: float
    steps_per_sweep: int
    flip_energies: np.ndarray | None


def flip_energies(network: HopfieldNetwork, start: np.ndarray, flips: np.ndarray) -> np.ndarray:
    """The energy after each flip of an asynchronous run, kept up to date with the local fields.

    Setting s_i to v changes E by -(v - s_i) h_i with h = W s - theta, and
    then every field by (v - s_i) W[:, i]: O(N) per flip.
    """
    state = start.astype(np.float64)
    fields = network.weights @ state - network.thresholds
    energy = float(-0.5 * state @ fields + 0.5 * network.thresholds @ state)
    energies = np.empty(len(flips))
    weights = network.weights
    for row, (_, neuron, value) in enumerate(flips.tolist()):
        delta = value - state[neuron]
        energy -= delta * float(fields[neuron])
        fields += delta * weights[neuron]
        state[neuron] = value
        energies[row] = energy
    return energies


def recall(network: HopfieldNetwork, start: np.ndarray, seed: int, mode: str, temperature: float,
           max_sweeps: int) -> RecallRun:
    result = network.recall(start, mode=mode, max_sweeps=max_sweeps, seed=seed, temperature=temperature)
    asynchronous = mode == "async"
    energies = flip_energies(network, start, result.flips) if asynchronous else None
    return RecallRun(result, np.asarray(start, np.int8).reshape(-1), seed, mode, temperature,
                     network.n_neurons if asynchronous else 1, energies)


@dataclass(frozen=True)
class CapacityPoint:
    """The capacity experiment at one load: the fraction of patterns each rule recalled."""

    index: int
    load: float
    success_rate: dict[str, float]


def capacity(job: Job, n_neurons: int, loads: list[float], rules: tuple[str, ...], trials: int, noise: float,
             seed: int) -> list[CapacityPoint]:
    """Run the experiment one load at a time, sending each point as it comes; stops early when cancelled."""
    points = []
    for index, load in enumerate(loads):
        if job.cancelled.is_set():
            break
        curve = capacity_experiment(n_neurons, [load], rules, trials, noise, seed + index)
        point = CapacityPoint(index, float(curve.loads[0]),
                              {rule: float(curve.success_rate[rule][0]) for rule in rules})
        points.append(point)
        job.progress.emit(point)
    return points
