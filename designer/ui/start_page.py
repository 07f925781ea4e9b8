"""The start page: New, Open, recent projects and the gallery of examples.

It is shown when the app starts without a file, and again from File > Start
Page. It lies over the window's canvas and docks (an overlay, so the window's
canvas, docks and saved layout stay as they are) and goes away when a project
is shown. Each example is a card with a thumbnail of its diagram (the real
canvas scene drawn offscreen), its title and the start of its description;
double-clicking a card (or its Open button) asks the window to open a copy of
the example, never the shipped file itself.

`example_files` and `load_example` are also what File > Examples uses.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from PySide6.QtCore import QEvent, QObject, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor, QGuiApplication, QImage, QKeyEvent, QLinearGradient, QMouseEvent, QPainter, QPixmap, QUndoStack,
)
from PySide6.QtWidgets import (
    QFrame, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QPushButton, QScrollArea, QSizePolicy,
    QVBoxLayout, QWidget,
)

from ..graph import Project, ProjectFileError
from . import app_settings
from .canvas import style

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "examples"
INDEX = "index.json"  # written by resources/examples/build.py: the examples in teaching order

THUMBNAIL_SIZE = QSize(264, 104)
MIN_THUMBNAIL_SCALE = 0.24  # below this a long network is shown from its input on, fading out to the right
CARD_WIDTH = 288
CARD_HEIGHT = 272
CARD_SPACING = 16
TEASER_LIMIT = 150  # characters of the description on a card; the whole of it is the card's tooltip

MUTED = "#5d6670"
PAGE_BACKGROUND = "#eef0f3"
CARD_BORDER = "#d5d9df"
CARD_HOVER_BORDER = "#9aa4b1"
CARD_SELECTED_BORDER = style.SELECTED_COLOUR.name()


# --- the examples ---------------------------------------------------------------------------------

def example_files(folder: Path | None = None) -> list[Path]:
    """The example projects, in the order of the folder's index (its teaching order), then any others by name."""
    folder = folder or EXAMPLES_DIR
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.nnproj"))
    try:
        order = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        rank = {name: i for i, name in enumerate(order) if isinstance(name, str)}
    except (OSError, ValueError):
        rank = {}
    return sorted(files, key=lambda path: (rank.get(path.name, len(rank)), path.name))


def load_example(path: str | Path) -> Project:
    """A copy of an example to work on: the project as shipped, but with its data files found from anywhere.

    A data set stored by a path relative to the example's folder gets the
    absolute path, so the copy (which has no file yet, and may be saved
    anywhere) still finds it. ProjectFileError when the file cannot be read.
    """
    path = Path(path)
    project = Project.load(path)
    if project.dataset and project.dataset.get("source") != "builtin":
        dataset = dict(project.dataset)
        for key in ("path", "labels_path"):
            value = dataset.get(key)
            if isinstance(value, str) and value and not Path(value).is_absolute():
                dataset[key] = (path.resolve().parent / PurePosixPath(value)).as_posix()
        project.dataset = dataset
    return project


@dataclass
class Example:
    path: Path
    title: str
    description: str
    project: Project


def read_examples(folder: Path | None = None) -> list[Example]:
    """Every example that can be read (one that cannot is left out of the gallery rather than stop it)."""
    examples = []
    for path in example_files(folder):
        try:
            project = Project.load(path)
        except ProjectFileError:
            continue
        examples.append(Example(path, project.title or path.stem, project.description, project))
    return examples


def teaser(description: str, limit: int = TEASER_LIMIT) -> str:
    """The start of a description for a card: its first paragraph, cut at a word near `limit` characters."""
    text = " ".join(description.split("\n\n")[0].split())
    if len(text) <= limit:
        return text
    sentence_end = text.rfind(". ", 0, limit)
    if sentence_end >= limit * 0.6:  # a whole sentence, when one ends late enough
        return text[:sentence_end + 1]
    cut = text[:limit].rsplit(" ", 1)[0]
    if cut.count("(") > cut.count(")"):  # no bracket left open
        cut = cut[:cut.rfind("(")]
    return cut.rstrip(" ,;:.-") + "\u2026"


# --- thumbnails -----------------------------------------------------------------------------------

def diagram_thumbnail(project: Project, size: QSize = THUMBNAIL_SIZE, ratio: float | None = None) -> QPixmap:
    """The project's diagram as the canvas draws it, fitted into `size` (device-independent pixels).

    A network too long to fit legibly is drawn from its input at a smallest
    scale and fades out at the right edge, to show that it goes on.
    """
    from .canvas.scene import CanvasScene  # here: the gallery needs the scene only for drawing

    if ratio is None:
        screen = QGuiApplication.primaryScreen()
        ratio = screen.devicePixelRatio() if screen is not None else 1.0
    background = QColor(style.BACKGROUND_COLOUR)
    image = QImage(QSize(round(size.width() * ratio), round(size.height() * ratio)),
                   QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(ratio)
    image.fill(background)
    undo_stack = QUndoStack()
    scene = CanvasScene(project, undo_stack)
    try:
        scene.plain_background(True)
        scene.setBackgroundBrush(background)
        source = scene.itemsBoundingRect().adjusted(-16, -16, 16, 16)
        if source.isEmpty():
            return QPixmap.fromImage(image)
        width, height = float(size.width()), float(size.height())
        scale = min(width / source.width(), height / source.height(), 0.6)
        cropped = scale < MIN_THUMBNAIL_SCALE
        if cropped:
            scale = MIN_THUMBNAIL_SCALE
            visible_height = min(source.height(), height / scale)
            source = QRectF(source.left(), source.center().y() - visible_height / 2, width / scale, visible_height)
        target = QRectF(0, 0, source.width() * scale, source.height() * scale)
        target.moveCenter(QPointF(width / 2, height / 2))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        scene.render(painter, target, source, Qt.AspectRatioMode.IgnoreAspectRatio)
        if cropped:
            fade = QLinearGradient(width - 56, 0, width, 0)
            clear = QColor(background)
            clear.setAlpha(0)
            fade.setColorAt(0, clear)
            fade.setColorAt(1, background)
            painter.fillRect(QRectF(width - 56, 0, 56, height), fade)
        painter.end()
    finally:
        scene.detach()
    return QPixmap.fromImage(image)


# --- the widgets ----------------------------------------------------------------------------------

class ExampleCard(QFrame):
    """One example: its thumbnail, title and the start of its description; double-click opens it."""

    activated = Signal(object)  # the Example, on a double-click, Enter or the Open button
    clicked = Signal(object)

    def __init__(self, example: Example, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.example = example
        self.setObjectName("example_card")
        self.setFixedSize(CARD_WIDTH, CARD_HEIGHT)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(f"<b>{_escape(example.title)}</b><br>{_escape(example.description)}"
                        "<br><i>Double-click to open a copy.</i>")
        self.setAccessibleName(example.title)
        self.thumbnail = QLabel()
        self.thumbnail.setObjectName("thumbnail")
        self.thumbnail.setFixedSize(THUMBNAIL_SIZE)
        self.thumbnail.setPixmap(diagram_thumbnail(example.project))
        self.title = QLabel(example.title)
        self.title.setObjectName("card_title")
        self.title.setWordWrap(True)
        self.text = QLabel(teaser(example.description))
        self.text.setObjectName("card_text")
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self.open_button = QPushButton("Open")
        self.open_button.setObjectName("card_open")
        self.open_button.setToolTip("Open a copy of this example as a new, untitled project")
        self.open_button.setCursor(Qt.CursorShape.PointingHandCursor)
        self.open_button.clicked.connect(lambda: self.activated.emit(self.example))
        self.layers_label = QLabel(_layer_count(example.project))
        self.layers_label.setObjectName("card_meta")
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.layers_label)
        bottom.addStretch(1)
        bottom.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 10)
        layout.setSpacing(6)
        layout.addWidget(self.thumbnail)
        layout.addWidget(self.title)
        layout.addWidget(self.text, 1)
        layout.addLayout(bottom)
        self.set_selected(False)

    def set_selected(self, selected: bool) -> None:
        self.setProperty("selected", selected)
        self.style().unpolish(self)
        self.style().polish(self)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.clicked.emit(self.example)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.example)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.example)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        self.clicked.emit(self.example)
        super().focusInEvent(event)


class ExampleGallery(QWidget):
    """The cards in a grid whose number of columns follows the width."""

    def __init__(self, cards: list[ExampleCard], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.cards = cards
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(CARD_SPACING)
        self.grid.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.columns = 0
        self.reflow(3)

    def reflow(self, columns: int) -> None:
        columns = max(1, columns)
        if columns == self.columns:
            return
        self.columns = columns
        for card in self.cards:
            self.grid.removeWidget(card)
        for i, card in enumerate(self.cards):
            self.grid.addWidget(card, i // columns, i % columns)

    def columns_for(self, width: int) -> int:
        return max(1, (width + CARD_SPACING) // (CARD_WIDTH + CARD_SPACING))


class StartPage(QWidget):
    """New, Open, recent projects and the examples; the window decides what each request does."""

    new_requested = Signal()
    open_requested = Signal()
    recent_chosen = Signal(str)  # the path of a recent project
    example_chosen = Signal(object)  # the Path of an example file; open a copy of it

    def __init__(self, parent: QWidget | None = None, examples_folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("start_page")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(_STYLE)
        self.examples = read_examples(examples_folder)
        self._selected: ExampleCard | None = None

        title = QLabel("NN Designer")
        title.setObjectName("page_title")
        tagline = QLabel("Design, train and understand neural networks.")
        tagline.setObjectName("tagline")
        tagline.setWordWrap(True)
        self.new_button = QPushButton("New Project")
        self.new_button.setObjectName("primary")
        self.new_button.setToolTip("Start with an empty canvas")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button = QPushButton("Open Project\u2026")
        self.open_button.setToolTip("Open a .nnproj file")
        self.open_button.clicked.connect(self.open_requested)
        recent_title = QLabel("Recent projects")
        recent_title.setObjectName("section")
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        self.recent.setFrameShape(QFrame.Shape.NoFrame)
        self.recent.setWordWrap(True)
        self.recent.setCursor(Qt.CursorShape.PointingHandCursor)
        self.recent.itemActivated.connect(self._recent_activated)
        self.recent.itemClicked.connect(self._recent_activated)
        self.no_recent = QLabel("No recent projects yet. Open an example on the right to start.")
        self.no_recent.setObjectName("hint")
        self.no_recent.setWordWrap(True)

        side = QWidget()
        side.setObjectName("side")
        side.setFixedWidth(270)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(28, 28, 20, 20)
        side_layout.setSpacing(10)
        side_layout.addWidget(title)
        side_layout.addWidget(tagline)
        side_layout.addSpacing(18)
        side_layout.addWidget(self.new_button)
        side_layout.addWidget(self.open_button)
        side_layout.addSpacing(22)
        side_layout.addWidget(recent_title)
        side_layout.addWidget(self.no_recent)
        side_layout.addWidget(self.recent, 1)

        gallery_title = QLabel("Examples")
        gallery_title.setObjectName("gallery_title")
        hint = QLabel("Networks from the classic lessons, ready to train. Double-click one to open a copy of "
                      "it; the example itself stays as it is.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        self.cards = [ExampleCard(example) for example in self.examples]
        for card in self.cards:
            card.activated.connect(lambda example: self.example_chosen.emit(example.path))
            card.clicked.connect(lambda example, card=card: self._select(card))
        self.gallery = ExampleGallery(self.cards)
        self.scroll = QScrollArea()
        self.scroll.setObjectName("gallery_scroll")
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        holder = QWidget()
        holder.setObjectName("gallery_holder")
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(0, 0, 0, 0)
        holder_layout.addWidget(self.gallery)
        holder_layout.addStretch(1)
        self.scroll.setWidget(holder)
        self.scroll.viewport().installEventFilter(self)
        if not self.cards:
            hint.setText(f"No examples were found in {EXAMPLES_DIR}.")

        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.setContentsMargins(28, 28, 12, 0)
        main_layout.setSpacing(6)
        main_layout.addWidget(gallery_title)
        main_layout.addWidget(hint)
        main_layout.addSpacing(8)
        main_layout.addWidget(self.scroll, 1)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(side)
        layout.addWidget(main, 1)
        self.refresh_recent()

    # --- contents -------------------------------------------------------------------------------

    def refresh_recent(self) -> None:
        """Show the recent projects that still exist, newest first."""
        self.recent.clear()
        for file in app_settings.recent_files():
            path = Path(file)
            if not path.is_file():
                continue
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, str(path))
            item.setToolTip(str(path))
            label = QLabel(f"<b>{_escape(path.name)}</b><br><span style='color: {MUTED}; font-size: 8pt;'>"
                           f"{_escape(_shorter(path.parent))}</span>")
            label.setContentsMargins(6, 5, 6, 5)
            label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
            item.setSizeHint(label.sizeHint())
            self.recent.addItem(item)
            self.recent.setItemWidget(item, label)
        has_recent = self.recent.count() > 0
        self.recent.setVisible(has_recent)
        self.no_recent.setVisible(not has_recent)

    def recent_paths(self) -> list[str]:
        return [self.recent.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.recent.count())]

    def card(self, filename: str) -> ExampleCard:
        """The card of an example, by its file name ("xor.nnproj")."""
        for card in self.cards:
            if card.example.path.name == filename:
                return card
        raise KeyError(filename)

    def _recent_activated(self, item: QListWidgetItem) -> None:
        self.recent_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def _select(self, card: ExampleCard) -> None:
        if self._selected is not None and self._selected is not card:
            self._selected.set_selected(False)
        self._selected = card
        card.set_selected(True)

    # --- showing over a window --------------------------------------------------------------------

    def cover(self, window: QWidget) -> None:
        """Lie over `window`'s contents below its menu bar and tool bars, above its status bar, and follow its size."""
        if self.parent() is not window:
            self.setParent(window)
        window.installEventFilter(self)
        self._fit_to(window)
        self.refresh_recent()
        self.show()
        self.raise_()

    def _fit_to(self, window: QWidget) -> None:
        top, bottom = 0, window.height()
        for child in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            if child is self or not child.isVisible():
                continue
            name = type(child).__name__
            geometry = child.geometry()
            if name in ("QMenuBar", "QToolBar") and geometry.top() <= top + 1 and geometry.width() > geometry.height():
                top = max(top, geometry.bottom() + 1)
            elif name == "QStatusBar":
                bottom = min(bottom, geometry.top())
        self.setGeometry(QRect(0, top, window.width(), max(0, bottom - top)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() in (QEvent.Type.Resize, QEvent.Type.LayoutRequest):
            self._fit_to(watched)
        elif watched is self.scroll.viewport() and event.type() == QEvent.Type.Resize:
            self.gallery.reflow(self.gallery.columns_for(self.scroll.viewport().width()))
        return super().eventFilter(watched, event)


def _layer_count(project: Project) -> str:
    layers = len(project.graph)
    text = f"{layers} layer" + ("" if layers == 1 else "s")
    if project.dataset and project.dataset.get("source") == "builtin":
        text += f" \u00b7 {project.dataset.get('name')}"
    return text


def _shorter(folder: Path) -> str:
    """A folder for display: the home folder as ~."""
    try:
        return "~/" + folder.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(folder)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n\n", "<br><br>")


_STYLE = f"""
#start_page {{ background: {PAGE_BACKGROUND}; }}
#side {{ background: #ffffff; border-right: 1px solid {CARD_BORDER}; }}
#page_title {{ font-size: 22pt; font-weight: 600; color: #1f2328; }}
#tagline {{ color: {MUTED}; font-size: 10pt; }}
#section {{ font-weight: 600; color: #1f2328; font-size: 10.5pt; }}
#gallery_title {{ font-size: 16pt; font-weight: 600; color: #1f2328; }}
#hint {{ color: {MUTED}; }}
#gallery_scroll, #gallery_holder {{ background: transparent; }}
QPushButton {{ padding: 7px 14px; border: 1px solid {CARD_BORDER}; border-radius: 5px; background: #ffffff;
    color: #1f2328; text-align: left; }}
QPushButton:hover {{ border-color: {CARD_HOVER_BORDER}; background: #f6f8fa; }}
QPushButton#primary {{ background: {CARD_SELECTED_BORDER}; border-color: {CARD_SELECTED_BORDER}; color: #ffffff;
    font-weight: 600; }}
QPushButton#primary:hover {{ background: #1f6fe0; }}
QPushButton#card_open {{ padding: 3px 12px; text-align: center; }}
#recent {{ background: transparent; color: #1f2328; }}
#recent::item {{ padding: 0px; border-radius: 4px; }}
#recent::item:hover {{ background: #eef2f7; }}
#recent::item:selected {{ background: #dbe8fd; color: #1f2328; }}
#example_card {{ background: #ffffff; border: 1px solid {CARD_BORDER}; border-radius: 8px; }}
#example_card:hover {{ border-color: {CARD_HOVER_BORDER}; }}
#example_card[selected="true"] {{ border: 2px solid {CARD_SELECTED_BORDER}; }}
#thumbnail {{ border: 1px solid #e3e6ea; border-radius: 4px; background: {style.BACKGROUND_COLOUR.name()}; }}
#card_title {{ font-weight: 600; font-size: 10.5pt; color: #1f2328; }}
#card_text {{ color: {MUTED}; }}
#card_meta {{ color: {MUTED}; font-size: 8pt; }}
"""
