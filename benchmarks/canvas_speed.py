"""How fast the canvas follows a big network, against a bare QGraphicsScene.

Builds a valid layered network of about 300 layers (an Input, then COLUMNS
columns of ROWS layers, each wired from the layer in its row of the previous
column; every fifth column holds Add layers that also take the next row's
layer; a last Add joins the last column: 302 layers, 364 wires) and shows it in a MainWindow whose canvas view is
1600 x 1000, offscreen, fitted so every layer is on screen. Then it times:

- build and show: from the NetworkGraph to the first painted frame (the
  window, its docks, the scene, the fit, one grab of the viewport);
- move all: every layer selected, each moved 3 x 2 view pixels with setPos
  (as a drag does: the mouse moves by whole pixels), its wires re-routed,
  then the frame painted;
- zoom: one wheel step in or out (every layer is drawn afresh), then the frame painted;
- drag one: one layer moved 3 x 2 pixels at 100% zoom, then the frame painted;
- add: `window.canvas.add_layer` (an undo command) until the frame is painted,
  and undo of that add, likewise;
- move undo / redo: a MoveLayersCommand of every layer, undone and redone;
- add and undo again in a CanvasEditor alone (no docks, no inspector), to
  tell the canvas's own cost from the window's;
- peak memory of the process (ru_maxrss).

"Painted" means the viewport has received its paint event: the script
processes events until it has (a deferred refresh runs before it). Each figure
is the median of --steps runs after a warm-up. The same gestures are timed on
a bare QGraphicsScene of as many rectangle-and-text items with cubic wires,
with no model behind it, and the ratio ours / bare is printed.

    python benchmarks/canvas_speed.py [--columns 30] [--rows 10] [--steps 30] [--profile move-all]

--profile NAME runs that measurement under cProfile and prints the top
functions by cumulative time (names: build, move-all, zoom, drag-one, add,
undo-add, undo-move).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import argparse
import cProfile
import io
import pstats
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, qInstallMessageHandler
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QApplication, QGraphicsItem, QGraphicsPathItem, QGraphicsScene, QGraphicsView, QMessageBox,
)

from designer import NetworkGraph, Project

VIEW_SIZE = QSize(1600, 1000)
COLUMN_GAP, ROW_GAP = 260.0, 110.0
STEP = QPointF(3.0, 2.0)  # view pixels: a drag moves layers by whole pixels of the mouse
PROFILE_NAMES = ("build", "move-all", "zoom", "drag-one", "add", "undo-add", "undo-move")


def layered_graph(columns: int, rows: int) -> NetworkGraph:
    """An Input, `columns` columns of `rows` Dense layers (Add layers in every fifth column), one Add at the end."""
    g = NetworkGraph()
    source = g.add_layer("Input", pos=(0.0, (rows - 1) * ROW_GAP / 2), shape=(16,))
    previous = [source] * rows
    for c in range(columns):
        x = (c + 1) * COLUMN_GAP
        column = []
        for r in range(rows):
            pos = (x, r * ROW_GAP)
            if c % 5 == 4 and r < rows - 1:
                node = g.add_layer("Add", pos=pos)
                g.connect(previous[r], node, 0)
                g.connect(previous[r + 1], node, 1)
            else:
                node = g.add_layer("Dense", pos=pos, units=16, activation="relu")
                g.connect(previous[r], node)
            column.append(node)
        previous = column
    output = g.add_layer("Add", "output", pos=((columns + 1) * COLUMN_GAP, (rows - 1) * ROW_GAP / 2))
    for port, node in enumerate(previous):  # one output, so the network is valid as built
        g.connect(node, output, port)
    assert not g.validate(), g.validate()
    return g


# --- painting -------------------------------------------------------------------------------------


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def painted(counter: PaintCounter, viewport) -> None:
    """Process events until the viewport has painted once more (at most a few rounds, then force it)."""
    start = counter.count
    for _ in range(20):
        QApplication.processEvents()
        if counter.count > start:
            return
    viewport.repaint()


def median_ms(action: Callable[[], None], steps: int, warmup: int = 2) -> float:
    for _ in range(warmup):
        action()
    times = []
    for _ in range(steps):
        begin = time.perf_counter()
        action()
        times.append((time.perf_counter() - begin) * 1000)
    return statistics.median(times)


def profiled(name: str, wanted: str | None, action: Callable[[], None]) -> None:
    if wanted != name:
        return
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(10):
        action()
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(35)
    print(f"\n--- cProfile of {name} (10 runs) ---\n{out.getvalue()}")


class Breakdown:
    """Time spent in the parts of the window that follow an edit, while `active`."""

    def __init__(self) -> None:
        from designer.ui import docks, inspector
        from designer.ui.canvas.scene import CanvasScene

        self.parts = {
            "canvas": [(CanvasScene, "_on_graph_event")],
            "summary dock": [(docks.SummaryPanel, "refresh")],
            "problems dock": [(docks.ProblemsPanel, "refresh")],
            "inspector": [(inspector.Inspector, "show_layers"), (inspector.Inspector, "_on_graph_event")],
            "events and painting": [(QApplication, "processEvents")],
        }
        self.totals = {name: 0.0 for name in self.parts}
        self.active = False
        self.depth = 0
        for name, places in self.parts.items():
            for owner, attribute in places:
                setattr(owner, attribute, self._timed(name, getattr(owner, attribute)))

    def _timed(self, name: str, function):
        def timed(*args, **kwargs):
            if not self.active or self.depth:
                return function(*args, **kwargs)
            self.depth += 1
            begin = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.totals[name] += time.perf_counter() - begin
                self.depth -= 1
        return timed

    def measure(self, action: Callable[[], None], runs: int) -> dict[str, float]:
        """Median-free average ms per run of each part, and of the whole."""
        self.totals = {name: 0.0 for name in self.parts}
        self.active = True
        begin = time.perf_counter()
        for _ in range(runs):
            action()
        whole = time.perf_counter() - begin
        self.active = False
        result = {name: total * 1000 / runs for name, total in self.totals.items()}
        result["the rest"] = whole * 1000 / runs - sum(result.values())
        return result


# --- the application ----------------------------------------------------------------------------------


def measure_app(graph: NetworkGraph, steps: int, profile: str | None) -> dict[str, float]:
    from designer.ui import MainWindow
    from designer.ui.commands import MoveLayersCommand

    QMessageBox.question = staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard)
    breakdown = Breakdown()  # before the window, so that the graph's observers are the timed ones
    results = {}
    layers = len(graph)

    begin = time.perf_counter()
    window = MainWindow(Project(graph=graph))
    window.ask_to_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.ask_to_recover = lambda files: False
    view = window.canvas.view
    window.show()
    # make the canvas view 1600 x 1000, whatever the docks take (the docks are sized when the window
    # is first shown, so the view's size settles only once the events have run: resize until it has)
    QApplication.processEvents()
    for _ in range(3):
        window.resize(window.size() + VIEW_SIZE - view.size())
        QApplication.processEvents()
    view.fit()
    view.viewport().grab()
    results["build and show"] = (time.perf_counter() - begin) * 1000
    counter = PaintCounter(view.viewport())
    assert view.size() == VIEW_SIZE, view.size()
    QApplication.processEvents()

    canvas = window.canvas
    items = list(canvas.node_items().values())
    canvas.select_all()
    QApplication.processEvents()
    direction = [1.0]

    def move_all() -> None:
        step = STEP / view.zoom * direction[0]
        direction[0] = -direction[0]  # back and forth, so the scene stays the same size
        for item in items:
            item.setPos(item.pos() + step)
        painted(counter, view.viewport())

    results[f"move all {layers} selected"] = median_ms(move_all, steps)
    profiled("move-all", profile, move_all)
    canvas.scene.clearSelection()
    QApplication.processEvents()

    def zoom() -> None:
        view.set_zoom(view.zoom * (1.15 if direction[0] > 0 else 1 / 1.15))  # every layer drawn afresh
        direction[0] = -direction[0]
        painted(counter, view.viewport())

    results["zoom one wheel step"] = median_ms(zoom, steps)
    profiled("zoom", profile, zoom)
    view.fit()
    QApplication.processEvents()

    middle = items[len(items) // 2]
    view.set_zoom(1.0)
    view.centerOn(middle)
    QApplication.processEvents()

    def drag_one() -> None:
        step = STEP / view.zoom * direction[0]
        direction[0] = -direction[0]
        middle.setPos(middle.pos() + step)
        painted(counter, view.viewport())

    results["drag one layer"] = median_ms(drag_one, steps)
    profiled("drag-one", profile, drag_one)
    view.fit()
    QApplication.processEvents()

    stack = window.undo_stack
    spot = (COLUMN_GAP * 3 + 40, -ROW_GAP * 2)

    def add() -> None:
        canvas.add_layer("Dense", spot, units=16)
        painted(counter, view.viewport())

    def undo() -> None:
        stack.undo()
        painted(counter, view.viewport())

    add_times, undo_times = [], []
    for i in range(steps + 2):
        begin = time.perf_counter()
        add()
        middle_time = time.perf_counter()
        undo()
        end = time.perf_counter()
        if i >= 2:
            add_times.append((middle_time - begin) * 1000)
            undo_times.append((end - middle_time) * 1000)
    results["add a layer"] = statistics.median(add_times)
    results["undo the add"] = statistics.median(undo_times)
    results["add: where the time goes"] = breakdown.measure(lambda: (add(), undo()), steps)
    profiled("add", profile, lambda: (add(), stack.undo(), QApplication.processEvents()))
    profiled("undo-add", profile, lambda: (canvas.add_layer("Dense", spot), QApplication.processEvents(), undo()))

    graph = window.project.graph
    moves = {n: (graph.pos(n), (graph.pos(n)[0] + STEP.x(), graph.pos(n)[1] + STEP.y())) for n in graph.nodes()}
    stack.push(MoveLayersCommand(window.project, moves))
    painted(counter, view.viewport())

    def undo_move() -> None:
        stack.undo()
        painted(counter, view.viewport())

    def redo_move() -> None:
        stack.redo()
        painted(counter, view.viewport())

    undo_times, redo_times = [], []
    for i in range(steps + 2):
        begin = time.perf_counter()
        undo_move()
        middle_time = time.perf_counter()
        redo_move()
        end = time.perf_counter()
        if i >= 2:
            undo_times.append((middle_time - begin) * 1000)
            redo_times.append((end - middle_time) * 1000)
    results[f"undo a {layers}-layer move"] = statistics.median(undo_times)
    results[f"redo a {layers}-layer move"] = statistics.median(redo_times)
    profiled("undo-move", profile, lambda: (undo_move(), redo_move()))

    results["peak memory MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if profile == "build":
        window.close()
        profile_build(graph)
    window.undo_stack.clear()
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return results


def measure_editor(graph: NetworkGraph, steps: int) -> dict[str, float]:
    """Add and undo in the canvas editor alone (no docks, no inspector): what the canvas itself costs."""
    from PySide6.QtGui import QUndoStack

    from designer.ui.canvas.editor import CanvasEditor

    stack = QUndoStack()
    editor = CanvasEditor(Project(graph=graph), stack)
    editor.resize(VIEW_SIZE)
    editor.show()
    QApplication.processEvents()
    editor.view.fit()
    QApplication.processEvents()
    counter = PaintCounter(editor.view.viewport())
    spot = (COLUMN_GAP * 3 + 40, -ROW_GAP * 2)
    add_times, undo_times = [], []
    for i in range(steps + 2):
        begin = time.perf_counter()
        editor.add_layer("Dense", spot, units=16)
        painted(counter, editor.view.viewport())
        middle_time = time.perf_counter()
        stack.undo()
        painted(counter, editor.view.viewport())
        end = time.perf_counter()
        if i >= 2:
            add_times.append((middle_time - begin) * 1000)
            undo_times.append((end - middle_time) * 1000)
    editor.scene.detach()
    editor.close()
    editor.deleteLater()
    QApplication.processEvents()
    return {"add a layer, canvas alone": statistics.median(add_times),
            "undo the add, canvas alone": statistics.median(undo_times)}


def profile_build(graph: NetworkGraph) -> None:
    from designer.ui import MainWindow

    profile = cProfile.Profile()
    profile.enable()
    window = MainWindow(Project(graph=graph))
    window.show()
    QApplication.processEvents()
    window.canvas.view.viewport().grab()
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(35)
    print(f"\n--- cProfile of build ---\n{out.getvalue()}")
    window.close()


# --- the reference: a bare scene -------------------------------------------------------------------------


class BareNode(QGraphicsItem):
    """A rounded rectangle with a coloured header and three lines of text; its wires follow it."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.name = name
        self.wires: list[tuple[BareWire, bool]] = []
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)

    def boundingRect(self) -> QRectF:
        return QRectF(-6, -6, 196, 82)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(QColor("#4d5560"), 2.4 if self.isSelected() else 1.0))
        painter.setBrush(QBrush(QColor("#ffffff")))
        painter.drawRoundedRect(QRectF(0, 0, 184, 70), 7, 7)
        painter.fillRect(QRectF(0, 0, 184, 24), QColor("#4a78b5"))
        painter.setFont(QFont())
        painter.drawText(QRectF(10, 0, 164, 24), Qt.AlignmentFlag.AlignVCenter, self.name)
        painter.drawText(QRectF(12, 27, 160, 20), Qt.AlignmentFlag.AlignVCenter, "Dense 16 relu")
        painter.drawText(QRectF(12, 47, 160, 20), Qt.AlignmentFlag.AlignVCenter, "(16,)")
        painter.drawText(QRectF(12, 47, 160, 20), Qt.AlignmentFlag.AlignRight, "272 params")

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for wire, _ in self.wires:
                wire.route()
        return super().itemChange(change, value)


class BareWire(QGraphicsPathItem):
    def __init__(self, src: BareNode, dst: BareNode) -> None:
        super().__init__()
        self.src, self.dst = src, dst
        self.setPen(QPen(QColor("#6b7480"), 1.8))
        src.wires.append((self, True))
        dst.wires.append((self, False))

    def route(self) -> None:
        start = self.src.mapToScene(QPointF(184, 47))
        end = self.dst.mapToScene(QPointF(0, 47))
        reach = max(40.0, abs(end.x() - start.x()) / 2)
        path = QPainterPath(start)
        path.cubicTo(QPointF(start.x() + reach, start.y()), QPointF(end.x() - reach, end.y()), end)
        self.setPath(path)


def measure_bare(graph: NetworkGraph, steps: int) -> dict[str, float]:
    results = {}
    begin = time.perf_counter()
    scene = QGraphicsScene()
    nodes = {}
    for node_id in graph.nodes():
        node = BareNode(graph.name(node_id))
        node.setPos(QPointF(*graph.pos(node_id)))
        scene.addItem(node)
        nodes[node_id] = node
    for edge in graph.edges():
        wire = BareWire(nodes[edge.src], nodes[edge.dst])
        wire.route()
        scene.addItem(wire)
    view = QGraphicsView(scene)
    view.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    view.resize(VIEW_SIZE)
    view.show()
    QApplication.processEvents()
    view.fitInView(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
    view.viewport().grab()
    results["build and show"] = (time.perf_counter() - begin) * 1000
    counter = PaintCounter(view.viewport())
    items = list(nodes.values())
    for item in items:
        item.setSelected(True)
    direction = [1.0]
    zoom = view.transform().m11()

    def move_all() -> None:
        step = STEP / zoom * direction[0]
        direction[0] = -direction[0]
        for item in items:
            item.setPos(item.pos() + step)
        painted(counter, view.viewport())

    results[f"move all {len(items)} selected"] = median_ms(move_all, steps)
    scene.clearSelection()
    middle = items[len(items) // 2]
    view.resetTransform()
    view.centerOn(middle)
    QApplication.processEvents()

    def drag_one() -> None:
        step = STEP * direction[0]  # at 100%
        direction[0] = -direction[0]
        middle.setPos(middle.pos() + step)
        painted(counter, view.viewport())

    results["drag one layer"] = median_ms(drag_one, steps)
    view.fitInView(scene.itemsBoundingRect().adjusted(-40, -40, 40, 40), Qt.AspectRatioMode.KeepAspectRatio)
    QApplication.processEvents()
    add_times, undo_times = [], []
    for i in range(steps + 2):
        begin = time.perf_counter()
        node = BareNode("dense_new")
        node.setPos(QPointF(COLUMN_GAP * 3 + 40, -ROW_GAP * 2))
        scene.addItem(node)
        painted(counter, view.viewport())
        middle_time = time.perf_counter()
        scene.removeItem(node)
        painted(counter, view.viewport())
        end = time.perf_counter()
        if i >= 2:
            add_times.append((middle_time - begin) * 1000)
            undo_times.append((end - middle_time) * 1000)
    results["add a layer"] = statistics.median(add_times)
    results["undo the add"] = statistics.median(undo_times)
    view.close()
    return results


TARGETS = {"build and show": 1000.0, "move all": 60.0, "drag one layer": 16.0, "add a layer": 5.0, "undo the add": 5.0}


def target_for(name: str) -> float | None:
    for key, value in TARGETS.items():
        if name.startswith(key):
            return value
    return None


QUIET = ("does not support propagateSizeHints", "does not contain a '[*]' placeholder")
quieted: dict[str, int] = {}


def message_handler(kind, context, text: str) -> None:
    """Qt's messages, except the offscreen platform's chatter (counted and reported once at the end)."""
    for quiet in QUIET:
        if quiet in text:
            quieted[quiet] = quieted.get(quiet, 0) + 1
            return
    print(text, file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--columns", type=int, default=30, help="columns of layers (default 30)")
    parser.add_argument("--rows", type=int, default=10, help="layers per column (default 10)")
    parser.add_argument("--steps", type=int, default=30, help="timed repetitions per figure (default 30)")
    parser.add_argument("--profile", choices=PROFILE_NAMES, help="print a cProfile of one measurement")
    parser.add_argument("--no-reference", action="store_true", help="skip the bare-scene reference")
    args = parser.parse_args()

    qInstallMessageHandler(message_handler)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NN Designer benchmark")
    os.environ.setdefault("NN_DESIGNER_CONFIG_DIR", str(Path("/tmp") / f"nn-designer-bench-{os.getpid()}"))
    graph = layered_graph(args.columns, args.rows)
    print(f"{len(graph)} layers, {len(graph.edges())} wires; canvas view {VIEW_SIZE.width()} x {VIEW_SIZE.height()}, "
          f"fitted; Qt platform {app.platformName()}; median of {args.steps} runs (ms)")
    ours = measure_app(graph, args.steps, args.profile)
    ours.update(measure_editor(layered_graph(args.columns, args.rows), args.steps))
    bare = {} if args.no_reference else measure_bare(layered_graph(args.columns, args.rows), args.steps)
    print(f"{'':<30} {'ours':>9} {'bare':>9} {'ours/bare':>9} {'target':>8}")
    for name, value in ours.items():
        if name == "peak memory MB" or isinstance(value, dict):
            continue
        reference = bare.get(name.replace(", canvas alone", ""))
        ratio = f"{value / reference:>9.1f}" if reference else f"{'':>9}"
        target = target_for(name)
        verdict = "" if target is None else (f"< {target:g}" if value < target else f"> {target:g} !")
        print(f"{name:<30} {value:>9.2f} {reference if reference else float('nan'):>9.2f} {ratio} {verdict:>8}")
    print(f"peak memory (ru_maxrss, after the app's figures): {ours['peak memory MB']:.0f} MB")
    parts = ours["add: where the time goes"]
    print("an add and its undo, mean ms by part: "
          + ", ".join(f"{name} {value:.2f}" for name, value in parts.items()))
    for text, count in quieted.items():
        print(f"(Qt said \"...{text}\" {count} times; not shown)")


if __name__ == "__main__":
    main()
