"""A data set at a glance, as text or as a JSON-ready dict, with the problems worth knowing before training."""

from __future__ import annotations

from typing import Any

import numpy as np

from .dataset import CLASSIFICATION, Dataset

IMBALANCE = 10  # a largest class this many times the smallest is worth a warning
SCALE_SPREAD = 100  # features whose spreads differ this much want normalising
FEW_ROWS = 20


def describe_dict(dataset: Dataset) -> dict[str, Any]:
    """Name, source, rows, sample shape, kind, classes with counts (or target range), notes and problems."""
    info: dict[str, Any] = {
        "name": dataset.name,
        "source": dataset.source,
        "rows": len(dataset),
        "sample_shape": list(dataset.sample_shape),
        "features": int(np.prod(dataset.sample_shape)),
        "feature_names": list(dataset.feature_names),
        "kind": dataset.kind,
        "outputs": dataset.n_outputs,
    }
    if dataset.kind == CLASSIFICATION:
        counts = dataset.class_counts()
        info["classes"] = [{"name": name, "count": int(count)} for name, count in zip(dataset.classes, counts)]
    elif len(dataset):
        y = dataset.y.reshape(len(dataset), -1)
        info["target"] = {"min": y.min(axis=0).tolist(), "max": y.max(axis=0).tolist(), "mean": y.mean(axis=0).tolist()}
    info["notes"] = list(dataset.notes)
    info["problems"] = problems(dataset)
    return info


def describe(dataset: Dataset) -> str:
    """The same as describe_dict, as lines of text for a terminal or a tooltip."""
    info = describe_dict(dataset)
    shape = "(" + ", ".join(map(str, info["sample_shape"])) + ("," if len(info["sample_shape"]) == 1 else "") + ")"
    lines = [f"{info['name']}" + (f" ({info['source']})" if info["source"] else ""), f"rows: {info['rows']:,}"]
    names = info["feature_names"]
    listed = f": {', '.join(names[:8])}{', ...' if len(names) > 8 else ''}" if names else ""
    lines.append(f"sample shape: {shape}, {info['features']:,} values{listed}")
    if dataset.kind == CLASSIFICATION:
        lines.append(f"kind: classification, {len(info['classes'])} classes")
        lines.extend(f"  {c['name']}: {c['count']:,}" for c in info["classes"])
    else:
        lines.append(f"kind: regression, {info['outputs']} output{'s' if info['outputs'] > 1 else ''}")
        if "target" in info:
            low, high = min(info["target"]["min"]), max(info["target"]["max"])
            lines.append(f"  target from {low:.4g} to {high:.4g}")
    lines.extend(f"note: {note}" for note in info["notes"])
    if info["problems"]:
        lines.extend(f"problem: {problem}" for problem in info["problems"])
    else:
        lines.append("problems: none")
    return "\n".join(lines)


def problems(dataset: Dataset) -> list[str]:
    """Sentences about what could spoil training.

    Few rows, missing or lone classes, imbalance, constant features and
    features of very different scales.
    """
    n = len(dataset)
    if not n:
        return ["It has no rows."]
    found = []
    if n < FEW_ROWS:
        found.append(f"It has only {n} rows, too few to keep some back for validation and testing.")
    if dataset.kind == CLASSIFICATION:
        counts = dataset.class_counts()
        if len(counts) < 2:
            found.append("It has only one class, so there is nothing to tell apart.")
        for name, count in zip(dataset.classes, counts):
            if count == 0:
                found.append(f"The class {name!r} has no rows.")
            elif count == 1:
                found.append(f"The class {name!r} has only one row, so it cannot be both trained on and tested.")
        present = counts[counts > 0]
        if len(present) > 1 and present.max() >= IMBALANCE * present.min():
            ratio = present.max() / present.min()
            found.append(f"The classes are imbalanced: the largest has {ratio:.0f} times the rows of the smallest.")
    elif n > 1 and np.all(dataset.y == dataset.y[0]):
        found.append("The target has the same value in every row, so there is nothing to learn.")
    if dataset.X.ndim == 2 and n > 1:
        spread = dataset.X.std(axis=0)
        names = dataset.feature_names or [f"feature {i + 1}" for i in range(dataset.X.shape[1])]
        constant = [name for name, s in zip(names, spread) if s == 0]
        if constant:
            more = f" and {len(constant) - 5} more" if len(constant) > 5 else ""
            found.append(f"These features have the same value in every row: {', '.join(constant[:5])}{more}.")
        varying = spread[spread > 0]
        if len(varying) > 1 and varying.max() >= SCALE_SPREAD * varying.min():
            ratio = varying.max() / varying.min()
            found.append(f"The features' spreads differ up to {ratio:,.0f} times; standardise them.")
    return found
