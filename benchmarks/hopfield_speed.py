"""How fast exact asynchronous Hopfield recall runs, against a naive loop.

Prints neuron updates per second of HopfieldNetwork.recall (async, T = 0,
random order) at N = 1024 and N = 4096, from states near a stored pattern
(2% of bits flipped: a couple of sweeps) and from random states (many flips,
then slow settling), and the same for a naive loop that recomputes each
neuron's field as a dot product W[i] . s, as a ratio. Times are end to end:
each recall includes its one initial W @ s and the building of its record.
Each figure is the best of several passes, since the machine may be shared.

    python benchmarks/hopfield_speed.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import os
import time

import numpy as np

from designer.engine.hopfield import HopfieldNetwork

LOAD = 0.05  # P / N, well below the Hebbian capacity
NEAR_NOISE = 0.02


def naive_recall(weights: np.ndarray, start: np.ndarray, rng: np.random.Generator, max_sweeps: int = 100) -> int:
    """The reference: async T = 0 recall computing h_i = W[i] . s afresh for every update. Returns the updates made."""
    n = len(start)
    state = start.astype(np.float64)
    for sweep in range(1, max_sweeps + 1):
        flipped = False
        for i in rng.permutation(n).tolist():
            field = float(weights[i] @ state)
            new = 1.0 if field > 0 else -1.0 if field < 0 else state[i]
            if new != state[i]:
                state[i] = new
                flipped = True
        if not flipped:
            return sweep * n
    return max_sweeps * n


def starts(kind: str, patterns: np.ndarray, rng: np.random.Generator, count: int) -> list[np.ndarray]:
    n = patterns.shape[1]
    if kind == "random":
        return [rng.choice(np.array([-1, 1], np.int8), n) for _ in range(count)]
    states = []
    for k in range(count):
        state = patterns[k % len(patterns)].copy()
        state[rng.choice(n, round(NEAR_NOISE * n), replace=False)] *= -1
        states.append(state)
    return states


def best_rate(recall, states: list[np.ndarray], repeats: int) -> float:
    """Updates per second over all `states`, the best of `repeats` passes (the machine may be shared)."""
    best = 0.0
    for _ in range(repeats):
        begin = time.perf_counter()
        updates = sum(recall(state) for state in states)
        best = max(best, updates / (time.perf_counter() - begin))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="passes per measurement; the best counts")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (other work slows every figure)")
    print(f"{'N':>5} {'start':>7} {'sweeps':>7} {'recall upd/s':>13} {'naive upd/s':>12} {'ratio':>6}")
    for n in (1024, 4096):
        patterns = rng.choice(np.array([-1, 1], np.int8), (round(LOAD * n), n))
        network = HopfieldNetwork(n)
        network.store(patterns, "hebbian")
        network.recall(patterns[0], seed=0)  # warm up BLAS threads and caches
        for kind in ("near", "random"):
            states = starts(kind, patterns, rng, 20 if kind == "near" else 5)
            sweeps = [network.recall(state, seed=0).sweeps for state in states]
            fast_rate = best_rate(lambda state: network.recall(state, seed=0).sweeps * n, states, args.repeats)
            # the naive loop is slow: a few sweeps from the first start are enough to time it
            naive_rate = best_rate(lambda state: naive_recall(network.weights, state, rng, 3), states[:1], 3)
            print(f"{n:>5} {kind:>7} {np.mean(sweeps):>7.1f} {fast_rate:>13,.0f} {naive_rate:>12,.0f} "
                  f"{fast_rate / naive_rate:>6.1f}")


if __name__ == "__main__":
    main()
