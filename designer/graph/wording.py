"""Small helpers for the sentences the model says to people."""

from __future__ import annotations

from typing import Any

MAX_QUOTED = 40


def short(value: Any) -> str:
    """repr() of a value, cut to a readable length: messages quote what files and scripts hold."""
    text = repr(value)
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 3] + "..."


def join_names(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
