"""Training settings: what a project's "training" object holds, checked on the way in.

The settings travel in project files, so `from_dict` trusts nothing: every
key is known, every value has its type and range, and a fault is one sentence.
Missing keys take their defaults, so a project without settings trains too.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from .losses import LOSSES
from .optimizers import OPTIMIZERS
from .schedules import Schedule
from .trainer import EarlyStopping

MONITORS = ("loss", "accuracy", "val_loss", "val_accuracy")
SCHEDULES = ("constant", "step", "exponential", "cosine")


class SettingsError(ValueError):
    """Training settings that cannot be used; the message is one sentence."""


def _number(name: str, value: Any, low: float, high: float, integer: bool = False, low_open: bool = False) -> Any:
    kind = "whole number" if integer else "number"
    ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok_type or (not integer and not math.isfinite(value)):
        raise SettingsError(f"The training setting {name} must be a {kind}, not {value!r:.40}.")
    if value < low or value > high or (low_open and value == low):
        lower = f"above {low:g}" if low_open else f"from {low:g}"
        raise SettingsError(f"The training setting {name} must be a {kind} {lower} to {high:g}, not {value:g}.")
    return value


def _choice(name: str, value: Any, choices: tuple[str, ...]) -> str:
    if value not in choices or not isinstance(value, str):
        raise SettingsError(f"The training setting {name} must be one of {', '.join(choices)}, not {value!r:.40}.")
    return value


@dataclass(frozen=True)
class ScheduleSettings:
    kind: str = "constant"
    step_size: int = 10
    gamma: float = 0.1
    min_lr: float = 0.0

    def schedule(self, epochs: int) -> Schedule:
        return Schedule(self.kind, self.step_size, self.gamma, max(epochs, 1), self.min_lr)


@dataclass(frozen=True)
class EarlyStoppingSettings:
    monitor: str = "val_loss"
    patience: int = 10
    min_delta: float = 0.0
    restore_best: bool = True


@dataclass(frozen=True)
class TrainingSettings:
    loss: str = "cross_entropy"
    optimizer: str = "sgd"
    lr: float = 0.01
    batch_size: int = 32
    epochs: int = 10
    momentum: float = 0.0
    nesterov: bool = False
    weight_decay: float = 0.0
    clip_norm: float | None = None
    validation_split: float = 0.0
    seed: int = 0
    schedule: ScheduleSettings = field(default_factory=ScheduleSettings)
    early_stopping: EarlyStoppingSettings | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Any) -> TrainingSettings:
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise SettingsError("The training settings are not a JSON object.")
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise SettingsError(f"The training settings hold {unknown[0]!r:.40}, which is not a setting.")
        d = {**asdict(cls()), **data}
        clip = d["clip_norm"]
        return cls(
            loss=_choice("loss", d["loss"], tuple(LOSSES)),
            optimizer=_choice("optimizer", d["optimizer"], tuple(OPTIMIZERS)),
            lr=_number("lr", d["lr"], 0.0, 1e3, low_open=True),
            batch_size=_number("batch_size", d["batch_size"], 1, 1_000_000, integer=True),
            epochs=_number("epochs", d["epochs"], 1, 1_000_000, integer=True),
            momentum=_number("momentum", d["momentum"], 0.0, 0.999999),
            nesterov=_flag("nesterov", d["nesterov"]),
            weight_decay=_number("weight_decay", d["weight_decay"], 0.0, 1.0),
            clip_norm=None if clip is None else _number("clip_norm", clip, 0.0, 1e6, low_open=True),
            validation_split=_number("validation_split", d["validation_split"], 0.0, 0.9),
            seed=_number("seed", d["seed"], 0, 2**32 - 1, integer=True),
            schedule=_schedule(d["schedule"]),
            early_stopping=_early_stopping(d["early_stopping"]),
        )

    def trainer_options(self) -> dict[str, Any]:
        """Keyword arguments for Trainer."""
        stopping = self.early_stopping
        return dict(
            loss=self.loss, optimizer=self.optimizer, lr=self.lr, batch_size=self.batch_size, seed=self.seed,
            weight_decay=self.weight_decay, momentum=self.momentum, nesterov=self.nesterov,
            clip_norm=self.clip_norm, schedule=self.schedule.schedule(self.epochs),
            early_stopping=EarlyStopping(**asdict(stopping)) if stopping else None,
        )


def _flag(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise SettingsError(f"The training setting {name} must be true or false, not {value!r:.40}.")
    return value


def _sub_dict(name: str, value: Any, cls: type) -> dict[str, Any]:
    if isinstance(value, cls):
        return asdict(value)
    if not isinstance(value, dict):
        raise SettingsError(f"The training setting {name} must be a JSON object.")
    unknown = sorted(set(value) - {f.name for f in fields(cls)})
    if unknown:
        raise SettingsError(f"The training setting {name} holds {unknown[0]!r:.40}, which is not a setting.")
    return {**asdict(cls()), **value}


def _schedule(value: Any) -> ScheduleSettings:
    d = _sub_dict("schedule", value, ScheduleSettings)
    return ScheduleSettings(
        kind=_choice("schedule.kind", d["kind"], SCHEDULES),
        step_size=_number("schedule.step_size", d["step_size"], 1, 1_000_000, integer=True),
        gamma=_number("schedule.gamma", d["gamma"], 0.0, 1.0, low_open=True),
        min_lr=_number("schedule.min_lr", d["min_lr"], 0.0, 1e3),
    )


def _early_stopping(value: Any) -> EarlyStoppingSettings | None:
    if value is None:
        return None
    d = _sub_dict("early_stopping", value, EarlyStoppingSettings)
    return EarlyStoppingSettings(
        monitor=_choice("early_stopping.monitor", d["monitor"], MONITORS),
        patience=_number("early_stopping.patience", d["patience"], 1, 100_000, integer=True),
        min_delta=_number("early_stopping.min_delta", d["min_delta"], 0.0, 1e6),
        restore_best=_flag("early_stopping.restore_best", d["restore_best"]),
    )
