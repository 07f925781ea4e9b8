"""Exporting a plot as a PNG image or an SVG drawing, from the right-click menu of every plot in a panel.

PNG goes through pyqtgraph's ImageExporter. SVG is drawn by Qt's SVG
generator instead of pyqtgraph's SVGExporter, which fails on the closed paths
that Qt 6.10 and later write ("SVGExporter cannot handle closed paths",
pyqtgraph issue 3495, open in pyqtgraph 0.14.0).
"""

from __future__ import annotations

from pathlib import Path

import pyqtgraph as pg
from pyqtgraph.exporters import ImageExporter
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QAction, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from ..diagram import uncached

EXPORT_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"


def export_view(view: pg.GraphicsView, path: str | Path) -> None:
    """Write what `view` shows to `path`, as PNG or SVG by the file's ending; OSError says what went wrong."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise OSError(f"{path.name} cannot be written: plots export as .png or .svg files.")
    if view.width() < 1 or view.height() < 1:
        raise OSError(f"{path.name} cannot be written: the plot is not on screen; show its panel first.")
    with uncached(view.scene()):  # the axes keep their drawing in a pixmap while training (see steady_axes)
        if suffix == ".png":
            saved = ImageExporter(view.scene()).export(str(path))
        else:
            _svg(view, path)
            saved = path.is_file() and path.stat().st_size > 0
    if not saved:
        raise OSError(f"{path.name} cannot be written to {path.parent}.")


def _svg(view: pg.GraphicsView, path: Path) -> None:
    size = view.viewport().size()
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(size.width(), size.height()))
    generator.setViewBox(QRectF(0, 0, size.width(), size.height()))
    generator.setTitle(path.stem)
    generator.setDescription("Drawn by NN Designer")
    painter = QPainter(generator)
    view.render(painter, QRectF(0, 0, size.width(), size.height()), view.viewport().rect())
    painter.end()


def plot_views(panel: QWidget) -> list[pg.GraphicsView]:
    """The pyqtgraph views in a panel (PlotWidgets and layouts of plots)."""
    return [child for child in panel.findChildren(QWidget) if isinstance(child, pg.GraphicsView)]


def add_export_menu(panel: QWidget, name: str) -> None:
    """Give every plot in `panel` an "Export Plot as PNG or SVG..." entry in its right-click menu."""
    for view in plot_views(panel):
        action = QAction("Export Plot as PNG or SVG...", view)
        action.triggered.connect(lambda checked=False, view=view: _export_dialog(view, name))
        view.scene().contextMenu.append(action)


def _export_dialog(view: pg.GraphicsView, name: str) -> None:
    path, _ = QFileDialog.getSaveFileName(view, "Export Plot", str(Path.home() / f"{name}.png"), EXPORT_FILTER)
    if not path:
        return
    try:
        export_view(view, path)
    except OSError as error:
        QMessageBox.warning(view, "Export Plot", str(error))
