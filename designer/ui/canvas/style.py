"""How the canvas looks: sizes, colours by palette category, fonts."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont

NODE_WIDTH = 184.0
NODE_HEIGHT = 70.0
HEADER_HEIGHT = 24.0
CORNER_RADIUS = 7.0
PORT_RADIUS = 6.0
PORT_HIT_RADIUS = 11.0  # easier to grab than to see
PORT_SPACING = 18.0
BADGE_RADIUS = 9.0

CATEGORY_COLOURS = {
    "Input": QColor("#3f9b6c"),
    "Core": QColor("#4a78b5"),
    "Convolution": QColor("#d0822f"),
    "Pooling": QColor("#c39a1f"),
    "Normalisation": QColor("#8a66b5"),
    "Merge": QColor("#5b6b7c"),
    "Recurrent": QColor("#c0504d"),
    "Classic": QColor("#2c8a8a"),
}
UNKNOWN_COLOUR = QColor("#808080")

BODY_COLOUR = QColor("#ffffff")
BORDER_COLOUR = QColor("#4d5560")
SELECTED_COLOUR = QColor("#2d7ff9")
TEXT_COLOUR = QColor("#1f2328")
MUTED_TEXT_COLOUR = QColor("#5d6670")
HEADER_TEXT_COLOUR = QColor("#ffffff")
PROBLEM_COLOUR = QColor("#d1242f")
EDGE_COLOUR = QColor("#6b7480")
PORT_COLOUR = QColor("#ffffff")
PORT_FREE_COLOUR = QColor("#dfe3e8")
BACKGROUND_COLOUR = QColor("#f4f5f7")
GRID_COLOUR = QColor("#e3e6ea")
GRID_STEP = 20


def colour_for(category: str | None) -> QColor:
    return CATEGORY_COLOURS.get(category or "", UNKNOWN_COLOUR)


def title_font() -> QFont:
    font = QFont()
    font.setPointSizeF(9.5)
    font.setBold(True)
    return font


def body_font() -> QFont:
    font = QFont()
    font.setPointSizeF(8.5)
    return font
