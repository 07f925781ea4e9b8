"""Change events a NetworkGraph sends to its observers.

One event per change, sent after the change is made, so an observer (the
canvas, the summary dock) can read the graph's new state from it. Observers
are plain callables; Qt stays out of the model.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Callable, NamedTuple


class Edge(NamedTuple):
    """A wire from the output of `src` into input port `dst_port` of `dst`."""

    src: str
    dst: str
    dst_port: int = 0


class EventType(Enum):
    NODE_ADDED = "node_added"
    NODE_REMOVED = "node_removed"
    NODE_CHANGED = "node_changed"  # name or parameters
    NODE_MOVED = "node_moved"
    EDGE_ADDED = "edge_added"
    EDGE_REMOVED = "edge_removed"


@dataclass(frozen=True)
class GraphEvent:
    type: EventType
    node: str | None = None
    edge: Edge | None = None
    changed: tuple[str, ...] = ()  # for NODE_CHANGED: "name" and/or the parameter names


Observer = Callable[[GraphEvent], None]


class Observable:
    """Keeps the observers and tells them about each event, in subscription order."""

    def __init__(self) -> None:
        self._observers: list[Observer] = []

    def subscribe(self, observer: Observer) -> Callable[[], None]:
        """Call `observer(event)` after every change; returns a function that unsubscribes."""
        self._observers.append(observer)

        def unsubscribe() -> None:
            if observer in self._observers:
                self._observers.remove(observer)

        return unsubscribe

    def _emit(self, event: GraphEvent) -> None:
        for observer in list(self._observers):
            observer(event)
