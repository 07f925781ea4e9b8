"""Diagram export (SVG, PNG, PDF) and what the window actually draws."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from designer.ui.canvas import style
from designer.ui.diagram import MARGIN, DiagramError

from .helpers import show_all


def lenet(window):
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(1, 28, 28))
    c1 = graph.add_layer("Conv2D", pos=(240, 0), filters=6, kernel_size=5, padding=2, activation="relu")
    p1 = graph.add_layer("MaxPool2D", pos=(480, 0))
    f = graph.add_layer("Flatten", pos=(720, 0))
    d = graph.add_layer("Dense", pos=(960, 0), units=10)
    for a, b in zip([x, c1, p1, f], [c1, p1, f, d]):
        graph.connect(a, b)
    show_all(window)
    return [x, c1, p1, f, d]


def names(window):
    graph = window.project.graph
    return [graph.name(n) for n in graph.nodes()]


def test_svg_export_is_a_real_drawing_with_every_name_as_text(window, tmp_path):
    lenet(window)
    window.canvas.select(window.project.graph.nodes()[:2])
    path = tmp_path / "net.svg"
    window.export_diagram(path)
    assert path.stat().st_size > 0
    root = ET.parse(path).getroot()
    assert root.tag.endswith("svg")
    texts = [t.strip() for element in root.iter() if element.tag.endswith("text") for t in element.itertext()]
    for name in names(window):
        assert name in texts
    assert "Conv2D 6@5x5 p2 relu" in texts and "(6, 28, 28)" in texts
    # the selection is drawn as it was, and the canvas keeps its grid
    assert window.canvas.selected_node_ids() == window.project.graph.nodes()[:2]
    assert not window.canvas.scene._plain


def test_png_export_is_twice_the_drawing_size(window, tmp_path):
    lenet(window)
    path = tmp_path / "net.png"
    window.export_diagram(path)
    image = QImage(str(path))
    assert not image.isNull()
    drawing = window.canvas.scene.itemsBoundingRect().adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
    assert (image.width(), image.height()) == (int(drawing.width() * 2), int(drawing.height() * 2))
    # white background, and the layers are drawn in their colours
    assert image.pixelColor(2, 2).name() == "#ffffff"
    colours = distinct_colours(image, QRect(0, 0, image.width(), image.height()))
    for category in ("Input", "Convolution", "Pooling", "Core"):
        assert style.CATEGORY_COLOURS[category].rgb() & 0xFFFFFF in colours


def test_pdf_export_writes_a_pdf(window, tmp_path):
    lenet(window)
    path = tmp_path / "net.pdf"
    window.export_diagram(path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 1000 and b"%%EOF" in data[-64:]


def test_an_unknown_ending_is_refused_in_one_sentence(window, tmp_path):
    lenet(window)
    with pytest.raises(DiagramError) as error:
        window.export_diagram(tmp_path / "net.jpeg")
    sentence = str(error.value)
    assert sentence == "net.jpeg: diagrams are saved as SVG, PNG or PDF; choose one of those endings."
    assert sentence.count(". ") == 0 and sentence.endswith(".")
    assert not (tmp_path / "net.jpeg").exists()


def test_the_export_dialog_shows_the_reason_for_a_bad_ending(window, tmp_path, monkeypatch, message_boxes):
    lenet(window)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "x.bmp"), "")))
    window.export_action.trigger()
    assert message_boxes["warning"] == ["x.bmp: diagrams are saved as SVG, PNG or PDF; choose one of those endings."]
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(tmp_path / "x.svg"), "")))
    window.export_action.trigger()
    assert (tmp_path / "x.svg").stat().st_size > 0
    assert window.statusBar().currentMessage() == "Exported x.svg."


def distinct_colours(image: QImage, rect: QRect) -> set[int]:
    """The RGB values (0xRRGGBB) of the pixels in `rect`."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    pixels = np.frombuffer(image.constBits(), np.uint32, image.sizeInBytes() // 4)
    pixels = pixels.reshape(image.height(), image.bytesPerLine() // 4)[:, : image.width()]
    area = pixels[rect.top(): rect.bottom() + 1, rect.left(): rect.right() + 1] & 0xFFFFFF
    return set(np.unique(area).tolist())


def test_the_window_draws_the_network(window, tmp_path):
    lenet(window)
    window.canvas.view.viewport().repaint()
    picture = window.grab()
    assert picture.save(str(tmp_path / "window.png"))
    assert QImage(str(tmp_path / "window.png")).size() == picture.size()
    viewport = window.canvas.view.viewport()
    canvas = QRect(viewport.mapTo(window, QPoint(0, 0)), viewport.size())
    canvas = QRect(canvas.topLeft() * picture.devicePixelRatio(), canvas.size() * picture.devicePixelRatio())
    colours = distinct_colours(picture.toImage(), canvas)
    assert len(colours) > 20  # text, borders, ports, antialiasing: not a blank or flat area
    for category in ("Input", "Convolution", "Pooling", "Core"):
        assert style.CATEGORY_COLOURS[category].rgb() & 0xFFFFFF in colours, category
    assert style.BACKGROUND_COLOUR.rgb() & 0xFFFFFF in colours
    # an empty canvas is only background and grid
    window.project.graph.remove_layer(window.project.graph.nodes()[0])
    for node_id in window.project.graph.nodes():
        window.project.graph.remove_layer(node_id)
    viewport.repaint()
    empty = distinct_colours(window.grab().toImage(), canvas)
    assert not any(colour.rgb() & 0xFFFFFF in empty for colour in style.CATEGORY_COLOURS.values())
    assert style.BACKGROUND_COLOUR.rgb() & 0xFFFFFF in empty
    assert len(empty) < len(colours) / 2
