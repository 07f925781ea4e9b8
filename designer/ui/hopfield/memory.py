"""What the workspace reads from and writes to the project for one Hopfield layer, and how it names patterns.

The engine's `network_from_project` and `store_in_project` want a project
with exactly one Hopfield layer. The workspace works on one chosen layer of
any project, so it hands them a small project holding just that layer and
its arrays, and carries the arrays back. Nothing here touches a widget, so
the store can run in a worker thread.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
import numpy as np

from ...data.letters import DRAWINGS, pattern as letter_pattern
from ...engine.hopfield import HopfieldNetwork, network_from_project, store_in_project
from ...engine.hopfield_analysis import Classification
from ...graph import NetworkGraph, Project

HOPFIELD = "Hopfield"
MAX_SIDE = 64  # the editor's largest grid side
MEMORY_KEYS = ("patterns", "weights", "thresholds")
LETTERS = "".join(sorted(DRAWINGS))


@dataclass(frozen=True)
class LayerInfo:
    name: str
    shape: tuple[int, int]
    rule: str

    @property
    def n_neurons(self) -> int:
        return math.prod(self.shape)


def layer_info(project: Project, node_id: str) -> LayerInfo:
    graph = project.graph
    params = graph.params(node_id)
    rows, cols = (int(size) for size in params["shape"])
    return LayerInfo(graph.name(node_id), (rows, cols), params["rule"])


def hopfield_nodes(project: Project) -> list[str]:
    graph = project.graph
    return [node for node in graph.nodes() if graph.kind(node) == HOPFIELD]


def memory_arrays(project: Project, name: str) -> dict[str, np.ndarray]:
    """The project's arrays of the layer `name` (its patterns, weights and thresholds), by full key."""
    prefix = name + "."
    return {key: value for key, value in (project.weights or {}).items() if key.startswith(prefix)}


def _layer_project(info: LayerInfo, arrays: dict[str, np.ndarray]) -> Project:
    graph = NetworkGraph()
    graph.add_layer(HOPFIELD, name=info.name, shape=info.shape, rule=info.rule)
    return Project(graph=graph, weights=dict(arrays))


def load_network(project: Project, node_id: str) -> HopfieldNetwork:
    """The network the project holds for this layer; ValueError (one sentence) when its arrays do not fit."""
    info = layer_info(project, node_id)
    return network_from_project(_layer_project(info, memory_arrays(project, info.name)))


def compute_memory(info: LayerInfo, patterns: np.ndarray, thresholds: np.ndarray | None = None
                   ) -> dict[str, np.ndarray]:
    """The arrays that hold `patterns` (P, rows, cols) of +-1 stored with the layer's rule (slow for big grids)."""
    network = HopfieldNetwork(info.n_neurons, info.shape)
    if thresholds is not None and np.any(thresholds):
        network.thresholds = thresholds
    project = _layer_project(info, {})
    store_in_project(project, network, np.asarray(patterns, np.int8).reshape(-1, *info.shape))
    return dict(project.weights or {})


def fit_bitmap(bitmap: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """A +-1 bitmap resampled to `shape` by nearest neighbour, as int8."""
    rows, cols = shape
    source = np.asarray(bitmap)
    r = (np.arange(rows) * source.shape[0] // rows).clip(0, source.shape[0] - 1)
    c = (np.arange(cols) * source.shape[1] // cols).clip(0, source.shape[1] - 1)
    return np.where(source[np.ix_(r, c)] > 0, 1, -1).astype(np.int8)


def letter(letter_name: str, shape: tuple[int, int]) -> np.ndarray:
    """A built-in letter bitmap fitted to the grid."""
    return fit_bitmap(letter_pattern(letter_name), shape)


def pattern_names(patterns: np.ndarray, shape: tuple[int, int]) -> list[str]:
    """A short name per stored pattern: its index, and the letter it is when it is a built-in letter."""
    bitmaps = {name: letter(name, shape) for name in LETTERS}
    names = []
    for index, stored in enumerate(np.asarray(patterns).reshape(-1, *shape)):
        match = next((name for name, bitmap in bitmaps.items() if np.array_equal(bitmap, stored)), None)
        names.append(f"{index} {match}" if match else str(index))
    return names


def describe(classification: Classification, names: list[str]) -> str:
    """The classification of a final state in words."""
    label = [names[i] if i < len(names) else str(i) for i in classification.indices]
    if classification.kind == "pattern":
        return f"stored pattern {label[0]} (overlap {classification.overlap:.2f})"
    if classification.kind == "inverse":
        return f"the inverse of pattern {label[0]} (overlap {-classification.overlap:.2f})"
    if classification.kind == "mixture":
        parts = [("-" if sign < 0 else "") + name for name, sign in zip(label, classification.signs)]
        return f"a mixture of {', '.join(parts)} (overlap {classification.overlap:.2f})"
    return f"a spurious state (its largest overlap with a pattern is {classification.overlap:.2f})"


def bipolar_from_grey(grey: np.ndarray, threshold: int = 128) -> np.ndarray:
    """Dark pixels (below `threshold`) are ink, +1; light ones paper, -1."""
    return np.where(np.asarray(grey) < threshold, 1, -1).astype(np.int8)
