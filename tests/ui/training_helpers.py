"""Projects to train in the window, and driving and reading a training run: shared by the tests of training."""

from __future__ import annotations

import re

from PySide6.QtWidgets import QApplication

from designer import NetworkGraph, Project
from designer.data import DatasetSpec

TRAINED_MS = 20_000


def xor_project(epochs: int = 12, hidden: tuple[int, ...] = (8, 6), lr: float = 0.03,
                optimizer: str = "adam") -> Project:
    """A 2-8-6-1 network on four Gaussian clusters labelled like XOR."""
    g = NetworkGraph()
    previous = g.add_layer("Input", shape=(2,))
    for units in hidden:
        layer = g.add_layer("Dense", units=units, activation="tanh")
        g.connect(previous, layer)
        previous = layer
    g.connect(previous, g.add_layer("Dense", units=1, activation="sigmoid"))
    return Project(graph=g, dataset=DatasetSpec(source="builtin", name="gaussian_xor").to_dict(),
                   training={"loss": "binary_cross_entropy", "optimizer": optimizer, "lr": lr, "batch_size": 16,
                             "epochs": epochs})


def digits_cnn_project(epochs: int = 3) -> Project:
    """A small convolutional network on 8x8 handwritten digits."""
    g = NetworkGraph()
    layers = [g.add_layer("Input", shape=(1, 8, 8)),
              g.add_layer("Conv2D", filters=8, kernel_size=3, padding=1, activation="relu"),
              g.add_layer("MaxPool2D"), g.add_layer("Flatten"),
              g.add_layer("Dense", units=10, activation="softmax")]
    for src, dst in zip(layers, layers[1:]):
        g.connect(src, dst)
    return Project(graph=g, dataset=DatasetSpec(source="builtin", name="digits").to_dict(),
                   training={"loss": "cross_entropy", "optimizer": "adam", "lr": 0.01, "batch_size": 32,
                             "epochs": epochs})


def position(snapshot) -> int:
    """How many batches training had done at a snapshot."""
    return snapshot.epoch * snapshot.batches + snapshot.batch + 1


def shown_epoch(window) -> int:
    """The epoch the Train panel's progress text is at."""
    return int(re.search(r"epoch (\d+)/", window.train_panel.status.text()).group(1))


def train(window, qtbot) -> None:
    """Start training with the Train panel's button and wait until the run is over and drawn."""
    with qtbot.waitSignal(window.training.finished, timeout=TRAINED_MS):
        window.train_panel.start_button.click()
    qtbot.wait(2 * 33)


def epoch_weights(window) -> dict[int, dict]:
    """Collect the weights at every epoch's end that the snapshots carry, by epoch (from 1)."""
    kept: dict[int, dict] = {}
    window.training.snapshot.connect(lambda s: kept.update({epoch + 1: w for epoch, w in s.epoch_weights.items()}))
    return kept


def select(window, name: str) -> None:
    window.canvas.select([window.project.graph.find(name)])
    QApplication.processEvents()


def move_timeline(window, epoch: int) -> None:
    bar = window.live.timeline_bar
    bar.slider.setValue(bar.epochs.index(epoch))


def data_name(window) -> str | None:
    """The name of the built-in data set the panels show, once loaded."""
    return window.live.session.spec.name if window.live.session is not None else None
