"""The layer reference: the catalogue written out as a Markdown table.

The README carries this table (a test keeps the two in sync), `nn-designer
layers` prints it, and the window's Help > Layer Reference can show it.
"""

from __future__ import annotations

from typing import Any

from .catalogue import CATALOGUE
from .layer_kind import LayerKind


def _value(value: Any) -> str:
    return f'"{value}"' if isinstance(value, str) else repr(value)


def _inputs(kind: LayerKind) -> str:
    ports = kind.inputs
    if ports.maximum == 0:
        return "none"
    if ports.maximum is None:
        return f"{ports.minimum} or more"
    return str(ports.maximum)


def reference_table() -> str:
    lines = [
        "| kind | category | parameters (default) | inputs | what it does |",
        "|---|---|---|---|---|",
    ]
    for kind in CATALOGUE.values():
        params = ", ".join(f"`{p.name}={_value(p.default)}`" for p in kind.params) or "-"
        lines.append(f"| {kind.name} | {kind.category} | {params} | {_inputs(kind)} | {kind.description} |")
    return "\n".join(lines)
