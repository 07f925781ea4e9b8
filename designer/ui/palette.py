"""The palette: every layer kind of the catalogue, by category, with a search box.

Drag a kind onto the canvas, or double-click it to add it at the centre of
the view. The tooltip is the kind's one-line description.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, Qt, Signal
from PySide6.QtGui import QBrush, QDrag, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QLineEdit, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from ..graph import categories
from .canvas import style
from .canvas.view import LAYER_MIME

KIND_ROLE = Qt.ItemDataRole.UserRole


def _swatch(category: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QBrush(style.colour_for(category)))
    painter.drawRoundedRect(1, 1, 10, 10, 3, 3)
    painter.end()
    return QIcon(pixmap)


class _KindTree(QTreeWidget):
    def mimeData(self, items: list[QTreeWidgetItem]) -> QMimeData:
        mime = QMimeData()
        kind = items[0].data(0, KIND_ROLE) if items else None
        if kind:
            mime.setData(LAYER_MIME, kind.encode())
            mime.setText(kind)
        return mime

    def mimeTypes(self) -> list[str]:
        return [LAYER_MIME]

    def startDrag(self, actions) -> None:
        item = self.currentItem()
        if item is None or not item.data(0, KIND_ROLE):
            return
        drag = QDrag(self)
        drag.setMimeData(self.mimeData([item]))
        drag.exec(Qt.DropAction.CopyAction)


class Palette(QWidget):
    kind_activated = Signal(str)  # double-click or Enter on a kind

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search layers")
        self.search.setClearButtonEnabled(True)
        self.tree = _KindTree()
        self.tree.setHeaderHidden(True)
        self.tree.setDragEnabled(True)
        self.tree.setRootIsDecorated(False)
        self.tree.setIndentation(8)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.search)
        layout.addWidget(self.tree)
        self.items: dict[str, QTreeWidgetItem] = {}
        for category, kinds in categories().items():
            group = QTreeWidgetItem(self.tree, [category])
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for kind in kinds:
                item = QTreeWidgetItem(group, [kind.name])
                item.setData(0, KIND_ROLE, kind.name)
                item.setToolTip(0, kind.description)
                item.setIcon(0, _swatch(category))
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled)
                self.items[kind.name] = item
            group.setExpanded(True)
        self.search.textChanged.connect(self.filter)
        self.tree.itemActivated.connect(self._activated)  # double-click or Enter

    def _activated(self, item: QTreeWidgetItem, column: int = 0) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind:
            self.kind_activated.emit(kind)

    def filter(self, text: str) -> None:
        """Show the kinds whose name, category or description contains the text."""
        needle = text.strip().lower()
        for index in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(index)
            visible = 0
            for child_index in range(group.childCount()):
                item = group.child(child_index)
                haystack = f"{item.text(0)} {group.text(0)} {item.toolTip(0)}".lower()
                hidden = bool(needle) and needle not in haystack
                item.setHidden(hidden)
                visible += not hidden
            group.setHidden(visible == 0)

    def visible_kinds(self) -> list[str]:
        return [kind for kind, item in self.items.items() if not item.isHidden() and not item.parent().isHidden()]
