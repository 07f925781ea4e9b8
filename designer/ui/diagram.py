"""Diagram export: the canvas drawing as SVG (real vectors, names as text), PNG (2x) or PDF.

The scene is drawn without its selection highlight and grid, cropped to the
layers with a margin. The format follows the file's extension.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSize, QSizeF, Qt
from PySide6.QtGui import QColor, QImage, QPageSize, QPainter, QPdfWriter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsScene

FORMATS = (".svg", ".png", ".pdf")
MARGIN = 24.0
PNG_SCALE = 2.0


class DiagramError(ValueError):
    """The diagram cannot be written; the message is one sentence."""


def export_scene(scene: QGraphicsScene, path: str | Path, transparent: bool = False) -> None:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DiagramError(f"{path.name}: diagrams are saved as SVG, PNG or PDF; choose one of those endings.")
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
