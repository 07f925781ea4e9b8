"""The undo command of the workspace: putting a new memory (patterns, weights) into the project."""

from __future__ import annotations

from typing import Callable

import numpy as np
from PySide6.QtGui import QUndoCommand

from ...graph import Project
from .memory import MEMORY_KEYS


QUIET: set[str] = set()  # node ids whose rule changes come with a new memory (a rule change in the workspace)


class QuietRule(QUndoCommand):
    """Brackets a workspace macro that changes the rule and the memory together.

    Put one at each end of the macro (entering=True first): between them the
    node id is in QUIET, whichever way the macro runs, so the workspace knows
    that the rule change it hears about already brought its weights along.
    """

    def __init__(self, node_id: str, entering: bool) -> None:
        super().__init__("")
        self.node_id, self.entering = node_id, entering

    def redo(self) -> None:
        (QUIET.add if self.entering else QUIET.discard)(self.node_id)

    def undo(self) -> None:
        (QUIET.discard if self.entering else QUIET.add)(self.node_id)


class StoreMemoryCommand(QUndoCommand):
    """Replace the arrays of one Hopfield layer; `shown` tells the workspace to redraw the memory.

    `old` and `new` map the parameter ("patterns", "weights", "thresholds")
    to its array; a parameter missing from one of them is absent then.
    """

    def __init__(self, project: Project, name: str, old: dict[str, np.ndarray], new: dict[str, np.ndarray],
                 text: str, shown: Callable[[], None]) -> None:
        super().__init__(text)
        self.project, self.name, self.shown = project, name, shown
        self.old, self.new = dict(old), dict(new)

    def _put(self, arrays: dict[str, np.ndarray]) -> None:
        weights = dict(self.project.weights or {})
        for key in MEMORY_KEYS:
            weights.pop(f"{self.name}.{key}", None)
        weights.update({f"{self.name}.{key}": value for key, value in arrays.items()})
        self.project.weights = weights
        self.shown()

    def redo(self) -> None:
        self._put(self.new)

    def undo(self) -> None:
        self._put(self.old)
