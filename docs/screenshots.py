"""Make the README's screenshots from the shipped examples: `python docs/screenshots.py`.

Runs offscreen (no display needed) and writes PNG files into docs/screenshots/,
so the pictures in the README always show the app as it is. Training runs
for real, headless first (so the shot does not wait on a live run), and the
window then shows the trained project with its curves and weights.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("NN_DESIGNER_CONFIG_DIR", tempfile.mkdtemp(prefix="nn-designer-shots-"))

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "resources" / "examples"
OUT = Path(__file__).resolve().parent / "screenshots"
SIZE = (1500, 900)


def _settle(app, rounds: int = 5) -> None:
    for _ in range(rounds):
        app.processEvents()


def _window(app, project, select: str | None = None):
    from designer.ui import MainWindow

    window = MainWindow(project)
    window.resize(*SIZE)
    window.show()
    _settle(app)
    window.canvas.view.fit()
    if select:
        window.canvas.select([project.graph.find(select)])
    _settle(app)
    return window


def _close(window) -> None:
    window.undo_stack.setClean()
    window.close()


def _trained(example: str, epochs: int | None = None):
    from designer.engine.session import TrainingSession
    from designer.ui.start_page import load_example

    project = load_example(EXAMPLES / example)
    session = TrainingSession.prepare(project, EXAMPLES)
    session.store(session.run(epochs))
    return project


def _trained_in_window(app, example: str, select: str):
    """A window that trained the example itself, with its Start button, so every panel has its data."""
    from PySide6.QtCore import QEventLoop, QTimer

    from designer.ui.start_page import load_example

    window = _window(app, load_example(EXAMPLES / example), select=select)
    loop = QEventLoop()
    window.training.finished.connect(lambda history: loop.quit())
    window.training.failed.connect(lambda message: loop.quit())
    window.train_panel.start_button.click()
    QTimer.singleShot(300_000, loop.quit)
    loop.exec()
    _settle(app, 20)
    return window


def main() -> None:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    OUT.mkdir(exist_ok=True)
    from designer.ui.start_page import load_example

    shots = []

    window = _window(app, load_example(EXAMPLES / "keras_mnist_cnn.nnproj"), select="conv2d_2")
    window.summary_dock.raise_()
    _settle(app)
    shots.append(("canvas_keras_cnn.png", window.grab()))
    _close(window)

    window = _window(app, _trained("spirals.nnproj"), select="dense_1")
    window.curves_dock.raise_()
    window.train_dock.raise_()
    _settle(app)
    shots.append(("trained_spirals_curves.png", window.grab()))
    window.weights_dock.raise_()
    _settle(app)
    shots.append(("trained_spirals_weights.png", window.grab()))
    _close(window)

    window = _trained_in_window(app, "spirals.nnproj", select="dense_1")
    window.boundary_dock.raise_()
    _settle(app)
    shots.append(("trained_spirals_boundary.png", window.grab()))
    _close(window)

    window = _trained_in_window(app, "gender.nnproj", select="dense_1")
    window.neurons_dock.raise_()
    _settle(app)
    shots.append(("trained_gender_neurons.png", window.grab()))
    _close(window)

    window = _window(app, load_example(EXAMPLES / "hopfield_letters.nnproj"))
    workspace = window.hopfield.open()
    if workspace is not None:
        workspace.resize(1300, 800)
        _settle(app, 20)
        shots.append(("hopfield_workspace.png", workspace.grab()))
        workspace.close()
    _close(window)

    from designer.ui import MainWindow

    window = MainWindow()
    window.resize(*SIZE)
    window.show()
    window.show_start_page()
    _settle(app, 10)
    shots.append(("start_page.png", window.grab()))
    _close(window)

    for name, pixmap in shots:
        pixmap.save(str(OUT / name))
        print(f"wrote docs/screenshots/{name}")


if __name__ == "__main__":
    main()
