"""Memory accounting: bytes of parameters, activations and a training run.

The estimate of training memory is the one a person can check by hand:
parameters + their gradients + the optimiser's state + the activations kept
for the backward pass, for every sample of a batch. Everything is float32.
"""

from __future__ import annotations

BYTES_PER_VALUE = 4  # float32

# Arrays of optimiser state per trainable parameter.
OPTIMIZER_SLOTS = {
    "sgd": 0,  # one slot (the velocity) when momentum > 0
    "adam": 2,
    "adamw": 2,
    "rmsprop": 1,
    "adagrad": 1,
}


def optimizer_slots(optimizer: str, momentum: float = 0.0) -> int:
    if optimizer not in OPTIMIZER_SLOTS:
        raise ValueError(
            f"{optimizer!r} is not an optimizer NN Designer knows; choose one of {', '.join(OPTIMIZER_SLOTS)}."
        )
    if optimizer == "sgd" and momentum > 0:
        return 1
    return OPTIMIZER_SLOTS[optimizer]


def training_bytes(
    total_params: int,
    trainable_params: int,
    activations_per_sample: int,
    batch_size: int,
    optimizer: str = "sgd",
    momentum: float = 0.0,
) -> int:
    """Bytes a training step needs: weights, gradients, optimiser state and stored activations."""
    if batch_size < 1:
        raise ValueError(f"The batch size must be at least 1, not {batch_size}.")
    values = (
        total_params
        + trainable_params * (1 + optimizer_slots(optimizer, momentum))
        + activations_per_sample * batch_size
    )
    return values * BYTES_PER_VALUE


def format_bytes(count: int) -> str:
    """1234567 -> '1.2 MB' (decimal units, as memory tables in papers and courses use)."""
    units = ("B", "kB", "MB", "GB", "TB")
    size, step = float(count), 0
    while size >= 1000 and step < len(units) - 1:
        size /= 1000
        step += 1
    return f"{count} B" if step == 0 else f"{size:.1f} {units[step]}"
