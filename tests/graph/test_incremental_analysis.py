"""The analysis kept edit by edit equals a fresh analysis of the whole graph, field by field, after every edit.

The graph's Analyser works out again only what an edit can change; if it
missed a dependency, some edit sequence would leave a stale shape, order or
problem behind. So random sequences of every kind of edit (adding, removing,
wiring, unwiring, changing parameters, renaming, and undoing those as the undo
commands do) are applied, and after each one the kept analysis is compared with
a new Analyser's, which reads the whole graph.
"""

from __future__ import annotations

import dataclasses
import random

import networkx as nx
import pytest

from designer.graph import NetworkGraph
from designer.graph.events import Edge, EventType
from designer.graph.inference import Analyser, Analysis
from designer.graph.network import GraphEditError

KINDS = {  # kind: parameter values to draw from, mostly good, some bad (a problem, which the model keeps)
    "Input": {"shape": [(4,), (4,), (3,), (1, 6, 6), (2, 6, 6), (2, 5), (0,)]},
    "Dense": {"units": [1, 3, 4, 4, 4, 0], "activation": ["relu", "linear", "swish"]},
    "Conv2D": {"filters": [1, 2], "kernel_size": [1, 3, 7], "padding": [0, 1, "same"]},
    "MaxPool2D": {"pool_size": [1, 2, 9]},
    "Flatten": {},
    "Reshape": {"shape": [(-1,), (2, -1), (5,)]},
    "Dropout": {"rate": [0.1, 0.5, 0.2, 1.5]},
    "Add": {},
    "Concat": {},
    "SimpleRNN": {"units": [2, 3], "return_sequences": [True, False]},
    "Hopfield": {"shape": [(2, 2), (3, 3)]},
    "Mystery": {"depth": [1, 2]},  # a kind NN Designer does not know
}
WEIGHTS = {"Input": 3, "Dense": 4, "Conv2D": 3, "Flatten": 2, "Add": 3, "Concat": 2, "Hopfield": 0.3, "Mystery": 0.3}
NAMES = ["a", "b", "head", "x_1", "layer"]


def assert_same(kept: Analysis, fresh: Analysis) -> None:
    for f in dataclasses.fields(Analysis):
        mine, theirs = getattr(kept, f.name), getattr(fresh, f.name)
        if isinstance(theirs, dict):  # in the same order too
            mine, theirs = list(mine.items()), list(theirs.items())
        assert mine == theirs, f.name


class RandomEditor:
    """Applies random edits to a graph, keeping the inverse of each so that some edits can be undone."""

    def __init__(self, graph: NetworkGraph, rng: random.Random) -> None:
        self.g, self.rng = graph, rng
        self.undo: list[tuple] = []

    def edit(self) -> None:
        choices = [self.add] * 2 + [self.grow] * 3 + [self.connect] * 4 + [self.remove, self.disconnect, self.set_params,
                                                         self.set_params, self.rename, self.undo_last,
                                                         self.undo_last]
        for _ in range(20):  # an edit that does not apply (nothing to remove, say) gives way to another
            if self.rng.choice(choices)():
                return

    def pick(self) -> str | None:
        nodes = self.g.nodes()
        return self.rng.choice(nodes) if nodes else None

    def values(self, kind: str) -> dict:
        options = KINDS.get(kind, {})
        return {key: self.rng.choice(vals) for key, vals in options.items() if self.rng.random() < 0.5}

    def add(self) -> str:
        kind = self.rng.choices(list(KINDS), [WEIGHTS.get(k, 1) for k in KINDS])[0]
        index = self.rng.randrange(len(self.g) + 1) if self.rng.random() < 0.2 else None
        node = self.g.add_layer(kind, index=index, **self.values(kind))
        self.undo.append(("remove", node))
        return node

    def grow(self) -> bool:
        """A new layer wired from one whose shape is known, so that shapes (and shape problems) go deep."""
        shaped = [n for n, shape in Analyser(self.g).analysis().shapes.items() if shape is not None]
        if not shaped:
            return False
        self.wire(self.rng.choice(shaped), self.add())
        return True

    def remove(self) -> bool:
        node = self.pick()
        if node is None:
            return False
        layer = self.g.layer(node)
        wires = self.g.inputs(node) + [e for e in self.g.outputs(node) if e.dst != node]
        index = self.g.nodes().index(node)
        self.g.remove_layer(node)
        self.undo.append(("restore", layer, index, wires))
        return True

    def connect(self) -> bool:
        nodes = self.g.nodes()
        return bool(nodes) and self.wire(self.rng.choice(nodes), self.rng.choice(nodes))

    def wire(self, src: str, dst: str) -> bool:
        port = self.g.free_port(dst) if self.rng.random() < 0.85 else self.rng.choice([0, 1, 2])
        if "loop" in (self.g.can_connect(src, dst, port) or "") and self.rng.random() < 0.95:
            return False  # a loop now and then, not so often that there is always one (shapes stop at it)
        try:
            edge = self.g.connect(src, dst, port)
        except GraphEditError:
            return False
        self.undo.append(("disconnect", edge))
        return True

    def disconnect(self) -> bool:
        edges = self.g.edges()
        if not edges:
            return False
        try:
            loop = [Edge(*e) for e in nx.find_cycle(self.g.nx)]
        except nx.NetworkXNoCycle:
            loop = []
        edge = self.rng.choice(loop if loop and self.rng.random() < 0.5 else edges)
        self.g.disconnect(*edge)
        self.undo.append(("connect", edge))
        return True

    def set_params(self) -> bool:
        node = self.pick()
        if node is None:
            return False
        new = self.values(self.g.kind(node)) or {"bogus": self.rng.randrange(3)}  # an unknown parameter
        old = self.g.params(node)
        self.g.set_params(node, **new)
        if all(key in old for key in new):
            self.undo.append(("set_params", node, {key: old[key] for key in new}))
        return True

    def rename(self) -> bool:
        node = self.pick()
        name = self.rng.choice(NAMES)
        if node is None or self.g.find(name) not in (None, node):
            return False
        old = self.g.name(node)
        self.g.rename(node, name)
        self.undo.append(("rename", node, old))
        return True

    def undo_last(self) -> bool:
        """The inverse of the last edit still undoable, as the undo commands apply it."""
        if not self.undo:
            return False
        what, *args = self.undo.pop()
        if what == "remove":
            self.g.remove_layer(args[0])
        elif what == "restore":
            layer, index, wires = args
            self.g.add_layer(layer.kind, layer.name, layer.pos, node_id=layer.id, index=index, **layer.params)
            for edge in wires:
                self.g.connect(*edge)
        elif what == "disconnect":
            self.g.disconnect(*args[0])
        elif what == "connect":
            self.g.connect(*args[0])
        elif what == "set_params":
            self.g.set_params(args[0], **args[1])
        elif what == "rename":
            self.g.rename(*args)
        return True


@pytest.mark.parametrize("seed", range(8))
def test_kept_analysis_equals_a_fresh_one_after_every_edit(seed):
    rng = random.Random(seed)
    g = NetworkGraph()
    editor = RandomEditor(g, rng)
    for _ in range(400):
        editor.edit()
        assert_same(g.analysis(), Analyser(g).analysis())


@pytest.mark.parametrize("seed", range(4))
def test_kept_analysis_is_right_when_asked_between_the_events_of_one_edit(seed):
    # the canvas asks for the analysis on each event, so in the middle of removing a layer, wire by wire
    rng = random.Random(100 + seed)
    g = NetworkGraph()
    g.subscribe(lambda event: assert_same(g.analysis(), Analyser(g).analysis()))
    editor = RandomEditor(g, rng)
    for _ in range(250):
        editor.edit()


@pytest.mark.parametrize("seed", range(4))
def test_kept_analysis_is_right_after_many_edits_between_two_looks(seed):
    rng = random.Random(200 + seed)
    g = NetworkGraph()
    editor = RandomEditor(g, rng)
    for _ in range(60):
        for _ in range(rng.randrange(1, 12)):
            editor.edit()
        assert_same(g.analysis(), Analyser(g).analysis())


def test_an_edit_gives_a_new_analysis_and_a_move_keeps_it():
    # results derived from an analysis (the summary rows) are kept in it until the next change
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3,))
    before = g.analysis()
    g.move(x, (10.0, 20.0))
    assert g.analysis() is before
    g.set_params(x, shape=(4,))
    assert g.analysis() is not before and g.analysis().derived == {}
    assert before.shapes == {x: (3,)}  # an analysis already handed out does not change


def test_a_change_upstream_reaches_the_end_of_a_long_chain():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(1, 8, 8))
    last = x
    for _ in range(50):
        node = g.add_layer("Dropout")
        g.connect(last, node)
        last = node
    flat = g.add_layer("Flatten")
    g.connect(last, flat)
    assert g.infer_shapes()[flat] == (64,)
    g.set_params(x, shape=(2, 3, 3))
    assert g.infer_shapes()[flat] == (18,)
    assert_same(g.analysis(), Analyser(g).analysis())


def test_the_random_edits_reach_every_kind_of_problem():
    # the comparisons above mean little unless the edits make deep shapes, loops and every sort of problem
    rng = random.Random(0)
    g = NetworkGraph()
    editor = RandomEditor(g, rng)
    texts, with_loop, shaped, events = set(), 0, 0, set()
    g.subscribe(lambda event: events.add(event.type))
    for _ in range(400):
        editor.edit()
        analysis = g.analysis()
        with_loop += len(analysis.order) < len(g)
        shaped += len(analysis.input_shapes)
        texts.update(p.message for p in analysis.problems)
    assert 20 < with_loop < 380 and shaped > 1000
    for phrase in ["does not know", "does not take", "must be", "where data enters", "nothing wired",
                   "takes one input but", "needs at least", "on its own", "wired into itself", "form a loop",
                   "Input layers", "no Input layer", "ends in", "needs an image", "adds inputs of"]:
        assert any(phrase in text for text in texts), phrase
    assert events >= {EventType.NODE_ADDED, EventType.NODE_REMOVED, EventType.NODE_CHANGED,
                      EventType.EDGE_ADDED, EventType.EDGE_REMOVED}
