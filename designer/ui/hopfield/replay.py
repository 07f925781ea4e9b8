"""Replaying a finished recall flip by flip or sweep by sweep (no Qt: the workspace drives it on a timer).

The engine hands back the start state and the list of flips (step, neuron,
new value); applying them in order rebuilds every state of the run. The
energy curve gets a point per flip (by neuron) or per sweep (by sweep), with
x in sweeps, so both ways of watching draw the same curve.
"""

from __future__ import annotations

import numpy as np

from .workers import RecallRun


class Replay:
    def __init__(self, run: RecallRun, by_neuron: bool) -> None:
        self.run = run
        self.by_neuron = by_neuron and run.flip_energies is not None
        self.state = run.start.copy()
        self.flips = run.result.flips.tolist()
        self.applied = 0  # flips applied so far
        self.sweep = 0  # sweeps shown so far (by sweep)
        self._closed = False
        self.xs: list[float] = [0.0]
        self.ys: list[float] = [float(run.result.energies[0])]

    @property
    def sweeps(self) -> int:
        return self.run.result.sweeps

    @property
    def finished(self) -> bool:
        if self.by_neuron:
            return self._closed
        return self.sweep >= self.sweeps

    @property
    def energy(self) -> float:
        return self.ys[-1]

    @property
    def shown_sweep(self) -> float:
        """How far the replay is, in sweeps."""
        return self.xs[-1]

    def advance(self, units: int = 1) -> int:
        """Show `units` more flips (by neuron) or sweeps; returns how many were shown."""
        done = 0
        while done < units and not self.finished:
            if self.by_neuron:
                self._next_flip()
            else:
                self._next_sweep()
            done += 1
        return done

    def _next_flip(self) -> None:
        if self.applied < len(self.flips):
            step, neuron, value = self.flips[self.applied]
            self.state[neuron] = value
            self.xs.append(step / self.run.steps_per_sweep)
            self.ys.append(float(self.run.flip_energies[self.applied]))
            self.applied += 1
            return
        # the last sweep (or sweeps) changed nothing: close the curve at the run's end
        if self.sweeps > self.xs[-1]:
            self.xs.append(float(self.sweeps))
            self.ys.append(float(self.run.result.energies[-1]))
        self._closed = True

    def _next_sweep(self) -> None:
        self.sweep += 1
        last_step = self.sweep * self.run.steps_per_sweep
        while self.applied < len(self.flips) and self.flips[self.applied][0] <= last_step:
            _, neuron, value = self.flips[self.applied]
            self.state[neuron] = value
            self.applied += 1
        self.xs.append(float(self.sweep))
        self.ys.append(float(self.run.result.energies[self.sweep]))

    def finish(self) -> None:
        """Jump to the end."""
        while not self.finished:
            self.advance(1_000_000)

    def check_final(self) -> bool:
        """The replayed state is the engine's final state (it always should be)."""
        return bool(np.array_equal(self.state, self.run.result.final))
