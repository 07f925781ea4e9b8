"""What watching costs: the same MLP trained headless and in the window with every panel open.

Two networks, each trained for the same number of epochs both ways (a few
seconds headless):

- digits: MLP 64-128-64-10 (ReLU, softmax) on the built-in digits, flat
  (1,257 training samples), cross-entropy, Adam lr 0.001, batch 32, 200 epochs;
- xor: MLP 2-8-8-1 (tanh, sigmoid) on the built-in gaussian_xor (140
  training samples), binary cross-entropy, Adam lr 0.03, batch 16, 8,000
  epochs of about a millisecond each; the window draws the decision
  boundary and every hidden neuron's map over the plane as it trains.

Headless is TrainingSession.run; the window is a MainWindow (offscreen Qt)
whose eight panel docks are all shown side by side (or, with --layout
default, as a new window shows them: tabbed under the canvas), with the first hidden
layer selected, trained with the Train panel's Start button. Both ways are
timed by the trainer's own clock, from its first batch to its last epoch's
end (the rate the window's progress bar shows), so the window's time takes
in all it costs training from the moment it began, before the window had
heard of it; the window makes its panels for the run before the first
batch, as the data is loaded before it, so a second line times both ways
whole, from the start (pressing Start) to the end. Runs alternate, a warm-up
of each first; the medians and the ratio of the window's throughput to
headless (samples a second) are printed, with how many frames a second the
window drew (a window that froze would train fast and draw nothing). Target:
a ratio of at least 0.8. Both threads share
the interpreter and the processors, so other work on the machine lowers the
ratio: measure on a quiet machine.

    QT_QPA_PLATFORM=offscreen python benchmarks/training_overhead.py [--runs 3] [--epochs N] [--networks xor]
        [--layout every-panel|default]
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NN_DESIGNER_CONFIG_DIR", tempfile.mkdtemp(prefix="nn-designer-benchmark-"))

from PySide6.QtCore import QEventLoop, Qt, QTimer  # noqa: E402 (after the platform is chosen)
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from designer import NetworkGraph, Project  # noqa: E402
from designer.data import DatasetSpec  # noqa: E402
from designer.engine.session import TrainingSession  # noqa: E402
from designer.ui import MainWindow  # noqa: E402

NETWORKS = {
    "digits": dict(inputs=(64,), hidden=[(128, "relu"), (64, "relu")], output=(10, "softmax"), epochs=200,
                   data=DatasetSpec(source="builtin", name="digits", options={"flat": True}),
                   training={"loss": "cross_entropy", "optimizer": "adam", "lr": 0.001, "batch_size": 32}),
    "xor": dict(inputs=(2,), hidden=[(8, "tanh"), (8, "tanh")], output=(1, "sigmoid"), epochs=8000,
                data=DatasetSpec(source="builtin", name="gaussian_xor"),
                training={"loss": "binary_cross_entropy", "optimizer": "adam", "lr": 0.03, "batch_size": 16}),
}


def project(name: str, epochs: int) -> Project:
    spec = NETWORKS[name]
    g = NetworkGraph()
    layers = [g.add_layer("Input", shape=spec["inputs"])]
    for units, activation in [*spec["hidden"], spec["output"]]:
        layers.append(g.add_layer("Dense", units=units, activation=activation))
        g.connect(layers[-2], layers[-1])
    return Project(graph=g, dataset=spec["data"].to_dict(), training={**spec["training"], "epochs": epochs})


def headless(name: str, epochs: int) -> tuple[float, float, int, int]:
    """Seconds to train, seconds from the start (loading the data, compiling the model) to the end, samples trained
    on, and frames drawn (none)."""
    began = time.perf_counter()
    session = TrainingSession.prepare(project(name, epochs))
    ends = []
    session.run(callbacks=[lambda event: event.kind == "epoch" and ends.append(event)])
    return ends[-1].elapsed, time.perf_counter() - began, ends[-1].samples_seen, 0


def show_every_panel(window: MainWindow) -> None:
    """The panel docks in two rows under the canvas, all visible at once."""
    docks = window.panel_docks
    for dock in docks:
        window.removeDockWidget(dock)
    top, bottom = docks[:4], docks[4:]
    for dock in top:
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, dock, Qt.Orientation.Horizontal)
        dock.show()
    for above, dock in zip(top, bottom):
        window.splitDockWidget(above, dock, Qt.Orientation.Vertical)
        dock.show()
    window.resize(2200, 1500)
    QApplication.processEvents()


def in_window(name: str, epochs: int, every_panel: bool = True) -> tuple[float, float, int, int]:
    """Seconds to train in the window, seconds from pressing Start (the data loaded, the model compiled, the panels
    made for this run) to the end, samples trained on, frames drawn."""
    window = MainWindow(project(name, epochs))
    window.ask_to_save_changes = lambda: QMessageBox.StandardButton.Discard
    window.show()
    if every_panel:
        show_every_panel(window)
    window.canvas.select([window.project.graph.nodes()[1]])
    frames = []
    window.live.frame.connect(frames.append)
    loop = QEventLoop()
    window.training.finished.connect(lambda history: loop.quit())
    window.training.failed.connect(lambda message: (print(message), loop.quit()))
    began = []
    QTimer.singleShot(0, lambda: (began.append(time.perf_counter()), window.train_panel.start_button.click()))
    loop.exec()
    whole = time.perf_counter() - began[0]
    last = frames[-1]  # the run's end: a last snapshot takes the last epochs' weights to the timeline
    samples = len(window.project.history["loss"]) * len(window.training.session.splits.train)
    seconds = samples / last.samples_per_second
    window.close()
    window.deleteLater()
    QApplication.processEvents()
    return seconds, whole, samples, len(frames)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, help="instead of each network's own")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--networks", nargs="+", choices=list(NETWORKS), default=list(NETWORKS))
    parser.add_argument("--layout", choices=["every-panel", "default"], default="every-panel",
                        help="every panel on screen at once (the target's case), or the window as it first opens, "
                             "its panels tabbed under the canvas (the Curves on top while training)")
    args = parser.parse_args()
    every_panel = args.layout == "every-panel"
    QApplication.instance() or QApplication([])
    for name in args.networks:
        epochs = args.epochs or NETWORKS[name]["epochs"]
        headless(name, 1), in_window(name, 1, every_panel)  # warm up: data sets, caches, the first window
        rates: dict[str, list[float]] = {"headless": [], "window": []}
        wholes: dict[str, list[float]] = {"headless": [], "window": []}
        frame_rates = []
        for _ in range(args.runs):
            for way, train in (("headless", headless), ("window", in_window)):
                seconds, whole, samples, frames = (train(name, epochs, every_panel) if way == "window"
                                                   else train(name, epochs))
                rates[way].append(samples / seconds)
                wholes[way].append(whole)
                if way == "window":
                    frame_rates.append(frames / seconds)
        medians = {way: statistics.median(values) for way, values in rates.items()}
        whole = {way: statistics.median(values) for way, values in wholes.items()}
        print(f"{name}: {epochs} epochs, {args.runs} runs each; samples a second (median): "
              f"headless {medians['headless']:,.0f}, window {medians['window']:,.0f} drawing "
              f"{statistics.median(frame_rates):.1f} frames a second; "
              f"ratio window / headless {medians['window'] / medians['headless']:.2f} (target >= 0.80)")
        print(f"{name}: from the start to the end, loading the data and (in the window) making the run's panels "
              f"included: headless {whole['headless']:.2f} s, window {whole['window']:.2f} s; "
              f"ratio {whole['headless'] / whole['window']:.2f}")


if __name__ == "__main__":
    main()
