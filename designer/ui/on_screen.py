"""Whether a widget can be seen, for panels that draw only what someone looks at."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def on_screen(widget: QWidget) -> bool:
    """True if any of the widget shows. A dock tabbed behind another is "visible" to Qt all the same (it is
    only covered), so visibility alone would have every tabbed panel drawn at every frame of a run."""
    return widget.isVisible() and not widget.visibleRegion().isEmpty()
