"""The Neurons panel: a small dense network drawn the textbook way, its connections coloured by the weights.

The drawing is the `neurons` diagram style (see neurons_diagram.py): a
circle per neuron, a line per connection, blue for a positive weight and
red for a negative one, wider for a larger |w|. The window hands it weights
as they change: at each training frame, after a run, and at the epoch the
timeline replays, and it recolours the lines it has. The network itself is
drawn again after an edit, when the panel is on screen (else the next time
it is shown), once per turn of the event loop however many changes an edit
made. A network that is not a chain of Dense layers gets the sentence why.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QPainter
from PySide6.QtWidgets import (
    QCheckBox, QFileDialog, QGraphicsView, QHBoxLayout, QLabel, QMessageBox, QVBoxLayout, QWidget,
)

from ...graph import Project
from ..diagram import DIAGRAM_FILTER, DiagramError, export_scene
from ..neurons_diagram import NeuronsDrawing
from ..on_screen import on_screen

MARGIN = 24  # scene units kept around the drawing when it is fitted to the panel


class NeuronsPanel(QWidget):
    def __init__(self, project: Project, parent=None) -> None:
        super().__init__(parent)
        self.bias = QCheckBox("bias units")
        self.bias.setToolTip("Draw each layer's bias as a \"+1\" unit wired to the next layer's neurons")
        self.bias.setChecked(True)
        self.bias.toggled.connect(self._redraw_soon)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.view = QGraphicsView()
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setBackgroundBrush(Qt.GlobalColor.white)
        export = QAction("Export Drawing as SVG, PNG or PDF...", self.view)
        export.triggered.connect(self.export_dialog)
        self.view.addAction(export)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)  # right-click: export
        top = QHBoxLayout()
        caption = QLabel("Every neuron and connection; lines follow the weights as the network trains.")
        caption.setWordWrap(True)  # asks for no width of its own: the dock may be narrow
        top.addWidget(caption, 1)
        top.addWidget(self.bias)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(top)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.view, 1)
        self.drawing: NeuronsDrawing | None = None
        self._weights: dict[str, np.ndarray] = {}
        self._stale = True  # the drawing no longer shows the network
        self._colours_stale = False  # its lines do not show the weights last given
        self._redraw_timer = QTimer(self)
        self._redraw_timer.setSingleShot(True)
        self._redraw_timer.timeout.connect(self._redraw_if_shown)
        self.project = project
        self._unsubscribe = project.graph.subscribe(self._network_changed)
        self.show_weights(project.weights or {})

    def set_project(self, project: Project) -> None:
        self._unsubscribe()
        self.project = project
        self._unsubscribe = project.graph.subscribe(self._network_changed)
        self._weights = {}
        self._redraw_soon()
        self.show_weights(project.weights or {})

    def show_weights(self, weights: dict[str, np.ndarray]) -> None:
        """Colour the connections by these weights (keyed as a project keeps them; empty: plain grey lines),
        now if the panel is on screen, else when it comes on screen (a run hands weights over at every frame)."""
        self._weights = weights
        self._colours_stale = True
        if self.drawing is not None and not self._stale and on_screen(self):
            self._colour()

    def _network_changed(self, event) -> None:
        self._redraw_soon()

    def _redraw_soon(self) -> None:
        self._stale = True
        self._redraw_timer.start(0)

    def _redraw_if_shown(self) -> None:
        if on_screen(self):
            self.redraw()

    def came_on_screen(self) -> None:
        """Its dock was shown or raised: draw the network, or colour its lines, if they changed meanwhile."""
        if self._stale:
            self.redraw()
        elif self._colours_stale and self.drawing is not None:
            self._colour()

    def _colour(self) -> None:
        self._colours_stale = False
        self.drawing.set_weights(self._weights)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.came_on_screen()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()

    def redraw(self) -> None:
        """Draw the network afresh, coloured by the weights last given."""
        self._stale = False
        self.view.setScene(None)  # before the scene it shows goes
        try:
            self.drawing = NeuronsDrawing(self.project, bias=self.bias.isChecked())
        except DiagramError as error:
            self.drawing = None
            self.message.setText(str(error))
            self.message.show()
            self.view.hide()
            return
        self._colour()
        self.view.setScene(self.drawing.scene)
        self.message.hide()
        self.view.show()
        self._fit()

    def export(self, path: str | Path) -> None:
        """Write the drawing as it is on show (the weights of the epoch shown) by the file's ending."""
        if self.drawing is None:
            raise DiagramError(self.message.text() or "There is no drawing to export.")
        export_scene(self.drawing.scene, path)

    def export_dialog(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export Drawing", str(Path.home() / "neurons.svg"), DIAGRAM_FILTER)
        if not path:
            return
        try:
            self.export(path)
        except (DiagramError, OSError) as error:
            QMessageBox.warning(self, "Export Drawing", str(error))

    def _fit(self) -> None:
        if self.drawing is not None:
            area = self.drawing.scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
            self.view.fitInView(area, Qt.AspectRatioMode.KeepAspectRatio)
