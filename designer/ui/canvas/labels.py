"""The short texts a node shows: what the layer is, in a few characters."""

from __future__ import annotations

from typing import Any

from ...graph import format_shape


def brief(kind: str, params: dict[str, Any]) -> str:
    """'Dense 128 relu', 'Conv2D 32@3x3 s2 same', 'MaxPool2D 2x2', 'Dropout 0.5'."""
    def activation() -> str:
        name = params.get("activation", "linear")
        return f" {name}" if name != "linear" else ""

    try:
        if kind == "Dense":
            return f"Dense {params['units']}{activation()}"
        if kind == "Conv2D":
            k, stride, padding = params["kernel_size"], params["stride"], params["padding"]
            text = f"Conv2D {params['filters']}@{k}x{k}"
            text += f" s{stride}" if stride != 1 else ""
            if padding == "same":
                text += " same"
            elif padding not in (0, "valid"):
                text += f" p{padding}"
            return text + activation()
        if kind in ("MaxPool2D", "AvgPool2D"):
            size, stride = params["pool_size"], params["stride"]
            return f"{kind} {size}x{size}" + (f" s{stride}" if stride not in (None, size) else "")
        if kind == "Dropout":
            return f"Dropout {params['rate']:g}"
        if kind == "Activation":
            return f"Activation {params['function']}"
        if kind in ("SimpleRNN", "RBF"):
            return f"{kind} {params['units']}"
        if kind == "Reshape":
            return f"Reshape {format_shape(params['shape'])}"
        if kind == "Hopfield":
            rows, cols = params["shape"]
            return f"Hopfield {rows}x{cols}"
    except (KeyError, TypeError, ValueError):
        pass  # a layer with bad parameters shows its kind; its badge says what is wrong
    return kind


def count_text(count: int | None) -> str:
    """'1.2M params', '320 params', '' for none."""
    if count is None:
        return ""
    if count == 0:
        return ""
    if count >= 1_000_000:
        return f"{count / 1_000_000:.1f}M params"
    if count >= 10_000:
        return f"{count / 1000:.0f}k params"
    return f"{count:,} params"
