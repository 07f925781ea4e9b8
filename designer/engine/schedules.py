"""Learning-rate schedules: the rate for each epoch, from the rate the user chose (as torch.optim.lr_scheduler)."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    """`kind` is constant, step (times gamma every step_size epochs), exponential (times gamma
    every epoch) or cosine (down to min_lr over `epochs`)."""

    kind: str = "constant"
    step_size: int = 10
    gamma: float = 0.1
    epochs: int = 100
    min_lr: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in ("constant", "step", "exponential", "cosine"):
            raise ValueError(
                f"{self.kind!r} is not a learning-rate schedule; choose constant, step, exponential or cosine."
            )

    def rate(self, base_lr: float, epoch: int) -> float:
        """The learning rate for `epoch` (counted from 0)."""
        if self.kind == "step":
            return base_lr * self.gamma ** (epoch // self.step_size)
        if self.kind == "exponential":
            return base_lr * self.gamma ** epoch
        if self.kind == "cosine":
            progress = min(epoch, self.epochs) / self.epochs
            return self.min_lr + (base_lr - self.min_lr) * (1 + math.cos(math.pi * progress)) / 2
        return base_lr
