"""Diagram export: a drawing as SVG (real vectors, names as text), PNG (2x) or PDF.

`export_scene` writes any QGraphicsScene: the canvas (the `graph` style) or
the neurons drawing of `neurons_diagram` (the `neurons` style), so the file
formats are written by one piece of code. The scene is drawn without its
selection highlight, grid or item caches (a cached item would reach an SVG
or PDF as a bitmap), cropped to its items with a margin. The format follows
the file's extension.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem, QGraphicsScene

FORMATS = (".svg", ".png", ".pdf")
DIAGRAM_FILTER = "SVG drawing (*.svg);;PNG image (*.png);;PDF document (*.pdf)"  # for file dialogs
STYLES = ("graph", "neurons")
MARGIN = 24.0
PNG_SCALE = 2.0


class DiagramError(ValueError):
    """The diagram cannot be written; the message is one sentence."""


def export_diagram(project, path: str | Path, style: str = "graph", scene: QGraphicsScene | None = None,
                   transparent: bool = False) -> None:
    """Draw a project's network in a style: "graph" (the canvas; `scene` if given, else one made for it)
    or "neurons" (a chain of Dense layers as neurons and connections, see neurons_diagram)."""
    if style not in STYLES:
        raise DiagramError(f"{style!r} is not a diagram style; choose graph or neurons.")
    if style == "neurons":
        from .neurons_diagram import export_neurons  # here: that module builds on this one

        export_neurons(project, path, transparent=transparent)
        return
    if scene is not None:
        export_scene(scene, path, transparent)
        return
    from PySide6.QtGui import QUndoStack

    from .canvas.scene import CanvasScene

    canvas = CanvasScene(project, QUndoStack())
    try:
        export_scene(canvas, path, transparent)
    finally:
        canvas.detach()


def check_format(path: str | Path) -> Path:
    """The path, if its ending names a format diagrams are saved in; else DiagramError."""
    path = Path(path)
    if path.suffix.lower() not in FORMATS:
        raise DiagramError(f"{path.name}: diagrams are saved as SVG, PNG or PDF; choose one of those endings.")
    return path


@contextmanager
def uncached(scene: QGraphicsScene) -> Iterator[None]:
    """Every item of the scene drawn afresh meanwhile, not from its cached pixmap: in an SVG or PDF it stays
    lines and text, not a picture of them."""
    cached = [(item, item.cacheMode()) for item in scene.items()
              if item.cacheMode() != QGraphicsItem.CacheMode.NoCache]
    for item, _ in cached:
        item.setCacheMode(QGraphicsItem.CacheMode.NoCache)
    try:
        yield
    finally:
        for item, mode in cached:
            item.setCacheMode(mode)


def export_scene(scene: QGraphicsScene, path: str | Path, transparent: bool = False) -> None:
    path = check_format(path)
    suffix = path.suffix.lower()
    source = scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    if source.isEmpty():
        source = QRectF(0, 0, 200, 100)
    selected = scene.selectedItems()
    scene.clearSelection()
    background = scene.backgroundBrush()
    scene.setBackgroundBrush(Qt.GlobalColor.transparent if transparent else QColor("white"))
    renderers = {".svg": _svg, ".png": _png, ".pdf": _pdf}
    plain_background = getattr(scene, "plain_background", None)
    try:
        if plain_background is not None:
            plain_background(True)
        with uncached(scene):
            renderers[suffix](scene, source, path, transparent)
    finally:
        if plain_background is not None:
            plain_background(False)
        scene.setBackgroundBrush(background)
        for item in selected:
            item.setSelected(True)
    if not path.is_file() or path.stat().st_size == 0:
        raise DiagramError(f"{path.name} could not be written.")


def _svg(scene: QGraphicsScene, source: QRectF, path: Path, transparent: bool) -> None:
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(int(source.width()), int(source.height())))
    generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
    generator.setTitle(path.stem)
    generator.setDescription("Drawn by NN Designer")
    painter = QPainter(generator)
    scene.render(painter, QRectF(0, 0, source.width(), source.height()), source)
    painter.end()


def _png(scene: QGraphicsScene, source: QRectF, path: Path, transparent: bool) -> None:
    size = QSize(int(source.width() * PNG_SCALE), int(source.height() * PNG_SCALE))
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent if transparent else Qt.GlobalColor.white)
    painter = QPainter(image)
    painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
    scene.render(painter, QRectF(0, 0, size.width(), size.height()), source)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise DiagramError(f"{path.name} could not be written.")


def _pdf(scene: QGraphicsScene, source: QRectF, path: Path, transparent: bool) -> None:
    writer = QPdfWriter(str(path))
    writer.setResolution(96)
    writer.setPageSize(QPageSize(QSizeF(source.width(), source.height()), QPageSize.Unit.Point))
    writer.setPageMargins(QMarginsF(0, 0, 0, 0))
    painter = QPainter(writer)
    target = QRectF(0, 0, writer.width(), writer.height())
    scene.render(painter, target, source)
    painter.end()
