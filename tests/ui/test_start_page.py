"""The start page: shown on launch without a file; New, Open, recent projects and the gallery of examples.

Opening an example, from a card or from File > Examples, shows a copy: an
untitled project whose Save asks for a new path, so the shipped file is never
written.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from designer import NetworkGraph, Project
from designer.data import DatasetSpec
from designer.ui import app_settings, open_window
from designer.ui.start_page import EXAMPLES_DIR, example_files, load_example, teaser

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def private_settings(tmp_path, monkeypatch):
    """Recent files and recovery files in a temporary folder, never the real user's."""
    monkeypatch.setenv("NN_DESIGNER_CONFIG_DIR", str(tmp_path / "settings"))


@pytest.fixture
def launched(qtbot):
    """The window as `nn-designer` opens it without a file."""
    window = open_window(None)
    window.ask_to_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(window)
    qtbot.waitExposed(window)
    return window


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def names_on_canvas(window) -> list[str]:
    graph = window.project.graph
    return sorted(graph.name(node_id) for node_id in window.canvas.node_items())


def example_names(filename: str) -> list[str]:
    return sorted(layer.name for layer in Project.load(EXAMPLES_DIR / filename).graph.layers())


def image_of(pixmap) -> np.ndarray:
    image = pixmap.toImage().convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    data = np.frombuffer(image.constBits(), dtype=np.uint8, count=image.sizeInBytes())
    return data.reshape(height, image.bytesPerLine() // 4, 4)[:, :width, :3].copy()


# --- launching ------------------------------------------------------------------------------------

def test_launch_without_a_file_shows_the_start_page(launched):
    assert launched.start_page_shown
    page = launched.start_page
    assert page.geometry().width() == launched.width()
    assert page.geometry().top() >= launched.menuBar().geometry().bottom()
    assert page.geometry().bottom() <= launched.statusBar().geometry().top()
    assert launched.path is None and len(launched.project.graph) == 0


def test_launch_with_a_file_opens_it_without_the_start_page(qtbot):
    window = open_window(str(EXAMPLES_DIR / "xor.nnproj"))
    qtbot.addWidget(window)
    assert not window.start_page_shown
    assert window.path == EXAMPLES_DIR / "xor.nnproj"


def test_start_page_follows_the_window_size(launched, qtbot):
    launched.resize(1000, 700)
    qtbot.waitUntil(lambda: launched.start_page.width() == 1000)
    launched.resize(1300, 800)
    qtbot.waitUntil(lambda: launched.start_page.width() == 1300)


# --- the gallery ----------------------------------------------------------------------------------

def test_start_page_lists_every_example_with_a_thumbnail(launched):
    page = launched.start_page
    files = example_files()
    assert len(files) >= 13
    assert [card.example.path for card in page.cards] == files
    for card, file in zip(page.cards, files):
        project = Project.load(file)
        assert card.title.text() == project.title
        assert card.text.text() == teaser(project.description)
        assert project.description.startswith(card.text.text().rstrip("\u2026"))
        pixels = image_of(card.thumbnail.pixmap())
        assert pixels.shape[:2] == (card.thumbnail.height(), card.thumbnail.width())
        colours = np.unique(pixels.reshape(-1, 3), axis=0)
        assert len(colours) > 20, f"the thumbnail of {file.name} is blank"
        background = pixels[0, 0].astype(int)
        assert (np.abs(pixels.astype(int) - background).sum(axis=2) > 60).mean() > 0.01, file.name


def test_gallery_keeps_the_teaching_order_of_the_index():
    first = [path.name for path in example_files()[:3]]
    assert first == ["perceptron.nnproj", "gender.nnproj", "xor.nnproj"]


def test_double_click_on_a_card_opens_a_copy_and_save_asks_for_a_new_path(launched, qtbot, tmp_path, monkeypatch):
    shipped = EXAMPLES_DIR / "gender.nnproj"
    before = digest(shipped)
    card = launched.start_page.card("gender.nnproj")
    qtbot.mouseDClick(card, LEFT)
    assert not launched.start_page_shown
    assert launched.path is None
    assert names_on_canvas(launched) == example_names("gender.nnproj")
    assert launched.project.title == Project.load(shipped).title
    assert launched.windowTitle().startswith("Untitled")

    asked = []
    target = tmp_path / "my gender.nnproj"

    def ask(parent, caption, suggested, filters):
        asked.append(suggested)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(ask))
    assert launched.save()
    assert len(asked) == 1 and Path(asked[0]) != shipped
    assert launched.path == target and target.is_file()
    assert digest(shipped) == before
    assert Project.load(target).title == Project.load(shipped).title


def test_save_of_a_copy_cancelled_writes_nothing(launched, qtbot, monkeypatch):
    shipped = EXAMPLES_DIR / "xor.nnproj"
    before = digest(shipped)
    qtbot.mouseDClick(launched.start_page.card("xor.nnproj"), LEFT)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: ("", "")))
    assert not launched.save()
    assert launched.path is None and digest(shipped) == before


def test_open_button_on_a_card_opens_a_copy(launched, qtbot):
    card = launched.start_page.card("digits_lenet.nnproj")
    qtbot.mouseClick(card.open_button, LEFT)
    assert not launched.start_page_shown and launched.path is None
    assert names_on_canvas(launched) == example_names("digits_lenet.nnproj")


def test_keyboard_opens_the_focused_card(launched, qtbot):
    card = launched.start_page.card("spirals.nnproj")
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    assert launched.path is None and names_on_canvas(launched) == example_names("spirals.nnproj")


def test_a_click_selects_a_card_and_only_that_one(launched, qtbot):
    page = launched.start_page
    qtbot.mouseClick(page.card("xor.nnproj"), LEFT)
    qtbot.mouseClick(page.card("vgg16.nnproj"), LEFT)
    selected = [card.example.path.name for card in page.cards if card.property("selected")]
    assert selected == ["vgg16.nnproj"]
    assert launched.start_page_shown


def test_example_with_a_data_file_finds_it_from_the_copy(launched, qtbot):
    qtbot.mouseDClick(launched.start_page.card("edge_detection.nnproj"), LEFT)
    spec = DatasetSpec.from_dict(launched.project.dataset)
    assert Path(spec.path).is_absolute()
    assert spec.load(launched.project_dir()).X.shape == (1, 3, 120, 160)
    assert launched.project.weights  # the edge filters come with the copy


def test_load_example_leaves_built_in_data_alone():
    project = load_example(EXAMPLES_DIR / "spirals.nnproj")
    assert project.dataset == Project.load(EXAMPLES_DIR / "spirals.nnproj").dataset


def test_opening_an_example_over_unsaved_work_asks_first(launched, qtbot):
    launched.hide_start_page()
    launched.canvas.add_layer("Dense")
    answers = []

    def cancel():
        answers.append("asked")
        return QMessageBox.StandardButton.Cancel

    launched.ask_to_save_changes = cancel
    launched.show_start_page()
    qtbot.mouseDClick(launched.start_page.card("xor.nnproj"), LEFT)
    assert answers == ["asked"]
    assert [launched.project.graph.kind(n) for n in launched.project.graph.nodes()] == ["Dense"]
    launched.ask_to_save_changes = lambda: QMessageBox.StandardButton.Discard


# --- File > Examples, New, Open and recent files ----------------------------------------------

def test_file_menu_examples_open_a_copy(make_window, qtbot):
    window = make_window()
    window.examples_menu.aboutToShow.emit()
    actions = {action.text(): action for action in window.examples_menu.actions()}
    assert list(actions) == [Project.load(file).title for file in example_files()]
    shipped = EXAMPLES_DIR / "vgg16.nnproj"
    before = digest(shipped)
    actions[Project.load(shipped).title].trigger()
    assert window.path is None
    assert names_on_canvas(window) == example_names("vgg16.nnproj")
    assert digest(shipped) == before
    window.examples_menu.aboutToShow.emit()  # shown again: the same list, not doubled
    assert len(window.examples_menu.actions()) == len(actions)


def test_file_menu_examples_hide_the_start_page(launched):
    launched.examples_menu.aboutToShow.emit()
    launched.examples_menu.actions()[0].trigger()
    assert not launched.start_page_shown
    assert names_on_canvas(launched) == example_names(example_files()[0].name)


def test_start_page_comes_back_from_the_file_menu(make_window):
    window = make_window()
    assert not window.start_page_shown
    window.start_page_action.trigger()
    assert window.start_page_shown


def test_new_project_from_the_start_page(launched, qtbot):
    qtbot.mouseDClick(launched.start_page.card("xor.nnproj"), LEFT)
    launched.show_start_page()
    qtbot.mouseClick(launched.start_page.new_button, LEFT)
    assert not launched.start_page_shown
    assert len(launched.project.graph) == 0 and launched.path is None


def test_open_from_the_start_page_uses_the_open_dialog(launched, qtbot, tmp_path, monkeypatch):
    path = tmp_path / "mine.nnproj"
    graph = NetworkGraph()
    graph.add_layer("Input", shape=(4,))
    Project(graph=graph).save(path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), "")))
    qtbot.mouseClick(launched.start_page.open_button, LEFT)
    assert launched.path == path and not launched.start_page_shown


def test_cancelled_open_keeps_the_start_page(launched, qtbot, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: ("", "")))
    qtbot.mouseClick(launched.start_page.open_button, LEFT)
    assert launched.start_page_shown


def test_recent_files_appear_and_open(qtbot, tmp_path):
    existing = []
    for name in ("first.nnproj", "second.nnproj"):
        path = tmp_path / name
        graph = NetworkGraph()
        graph.add_layer("Input", shape=(3,), name=name.split(".")[0])
        Project(graph=graph).save(path)
        app_settings.remember_recent(str(path))
        existing.append(str(path))
    app_settings.remember_recent(str(tmp_path / "gone.nnproj"))  # no longer there: not listed
    window = open_window(None)
    window.ask_to_save_changes = lambda: QMessageBox.StandardButton.Discard
    qtbot.addWidget(window)
    page = window.start_page
    assert page.recent_paths() == existing[::-1]
    assert page.recent.isVisibleTo(page) and not page.no_recent.isVisibleTo(page)
    item = page.recent.item(1)
    assert "first.nnproj" in page.recent.itemWidget(item).text()
    qtbot.mouseClick(page.recent.viewport(), LEFT, pos=page.recent.visualItemRect(item).center())
    assert window.path == Path(existing[0])
    assert not window.start_page_shown
    assert names_on_canvas(window) == ["first"]


def test_no_recent_files_says_so(launched):
    page = launched.start_page
    assert page.recent_paths() == []
    assert page.no_recent.isVisibleTo(page) and not page.recent.isVisibleTo(page)


def test_recent_list_is_fresh_each_time_the_start_page_is_shown(make_window, tmp_path):
    window = make_window()
    window.show_start_page()
    assert window.start_page.recent_paths() == []
    path = tmp_path / "later.nnproj"
    Project().save(path)
    app_settings.remember_recent(str(path))
    window.show_start_page()
    assert window.start_page.recent_paths() == [str(path)]
