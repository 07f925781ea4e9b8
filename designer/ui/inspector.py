"""The inspector: the selected layer's name and parameters, as widgets built from the catalogue.

Each parameter type has its widget: spin boxes bounded by the allowed range,
combo boxes for choices, check boxes, and text fields for shapes and padding.
An edit becomes one undo step (edits of one parameter in a row merge); a value
the catalogue refuses is not applied, and the reason shows under the field.
When the model changes under it (undo, a script), the inspector shows the new
values without making edits of its own.
"""

from __future__ import annotations

from typing import Any, Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout, QWidget,
)

from ..analysis import layer_row
from ..graph import EventType, GraphEvent, Project, format_shape, layer_kind
from ..graph.network import check_name
from ..graph.params import BoolParam, ChoiceParam, FloatParam, IntParam, Param, ShapeParam
from .commands import RenameCommand, SetParamsCommand
from .layout_barrier import layout_barrier

NONE_TEXT = "auto"  # how an optional number shows None


def parse_sizes(text: str) -> tuple[int, ...] | str:
    """'1, 28, 28' or '(1, 28, 28)' -> (1, 28, 28); the text itself back if it is not a list of whole numbers."""
    stripped = text.strip().strip("()[]").strip()
    try:
        return tuple(int(part) for part in stripped.split(",") if part.strip())
    except ValueError:
        return text


def parse_number(text: str) -> float | str:
    """'1e-5' -> 1e-05; the text itself back if it is not a number."""
    try:
        return float(text.strip())
    except ValueError:
        return text


def parse_padding(text: str) -> int | str:
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


class _Field:
    """One parameter's widget: shows a value, and reports the value a person enters."""

    def __init__(self, param: Param, commit: Callable[[str, Any], None]) -> None:
        self.param = param
        self.commit = commit
        self.widget = self._make()

    def _make(self) -> QWidget:
        p = self.param
        if isinstance(p, BoolParam):
            box = QCheckBox()
            box.toggled.connect(lambda checked: self.commit(p.name, checked))
            return box
        if isinstance(p, ChoiceParam):
            combo = QComboBox()
            combo.addItems(list(p.choices))
            combo.activated.connect(lambda index: self.commit(p.name, combo.itemText(index)))
            return combo
        if isinstance(p, IntParam):
            spin = QSpinBox()
            low = p.minimum - 1 if p.optional else p.minimum
            spin.setRange(low, min(p.maximum, 2**31 - 1))
            if p.optional:
                spin.setSpecialValueText(NONE_TEXT)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(
                lambda value: self.commit(p.name, None if p.optional and value == low else value))
            return spin
        if isinstance(p, FloatParam) and 0 < p.minimum < 1e-4:
            line = QLineEdit()  # tiny numbers such as eps = 1e-5 read best in scientific notation
            line.editingFinished.connect(lambda: self.commit(p.name, parse_number(line.text())))
            return line
        if isinstance(p, FloatParam):
            spin = QDoubleSpinBox()
            spin.setDecimals(4)
            top = p.maximum if p.include_maximum else p.maximum - 10 ** -spin.decimals()
            spin.setRange(p.minimum, top)
            spin.setSingleStep(0.05 if p.maximum <= 1 else 0.1)
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(lambda value: self.commit(p.name, value))
            return spin
        line = QLineEdit()  # shapes and padding
        line.editingFinished.connect(lambda: self.commit(p.name, self._parse(line.text())))
        return line

    def _parse(self, text: str) -> Any:
        return parse_sizes(text) if isinstance(self.param, ShapeParam) else parse_padding(text)

    def show(self, value: Any) -> None:
        w = self.widget
        w.blockSignals(True)
        try:
            if isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QComboBox):
                w.setCurrentIndex(max(0, w.findText(str(value))))
            elif isinstance(w, QSpinBox):
                w.setValue(w.minimum() if value is None else int(value) if isinstance(value, int) else w.minimum())
            elif isinstance(w, QDoubleSpinBox):
                w.setValue(float(value) if isinstance(value, (int, float)) else w.minimum())
            elif isinstance(value, float):
                w.setText(f"{value:g}")
            else:
                w.setText(format_shape(value) if isinstance(value, tuple) else str(value))
        finally:
            w.blockSignals(False)


class Inspector(QWidget):
    def __init__(self, project: Project, undo_stack: QUndoStack, parent=None) -> None:
        super().__init__(parent)
        self.undo_stack = undo_stack
        self.project = project
        self.node_id: str | None = None
        self.fields: dict[str, _Field] = {}  # the shown layer's
        self._forms: dict[str, tuple[QWidget, dict[str, _Field]]] = {}  # by kind, built when first needed
        self._form: QWidget | None = None  # the one shown
        self._unsubscribe = project.graph.subscribe(self._on_graph_event)

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.name = QLineEdit()
        self.name.editingFinished.connect(self._rename)
        self.form_host = QWidget()
        self.form_stack = QVBoxLayout(self.form_host)
        self.form_stack.setContentsMargins(0, 0, 0, 0)
        self.facts = QLabel()
        self.facts.setWordWrap(True)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d1242f;")
        self.problems = QLabel()
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #d1242f;")
        contents = QWidget()
        layout = QVBoxLayout(contents)
        layout.addWidget(self.title)
        self.name_row = QFormLayout()
        self.name_row.addRow("Name", self.name)
        layout.addLayout(self.name_row)
        layout.addWidget(self.form_host)
        layout.addWidget(self.error)
        layout.addWidget(self.facts)
        layout.addWidget(self.problems)
        layout.addStretch(1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(layout_barrier(contents))  # rows shown and hidden do not lay out the whole window
        self.show_layers([])

    def set_project(self, project: Project) -> None:
        self._unsubscribe()
        self.project = project
        self._unsubscribe = project.graph.subscribe(self._on_graph_event)
        self.show_layers([])

    # --- which layer -----------------------------------------------------------------------

    def show_layers(self, node_ids: list[str]) -> None:
        """Inspect the one selected layer; with none or several, say so."""
        self.error.clear()
        self.node_id = node_ids[0] if len(node_ids) == 1 else None
        editing = self.node_id is not None
        self._show_form(self.project.graph.kind(self.node_id) if editing else None)
        self.name.setVisible(editing)
        self.name_row.labelForField(self.name).setVisible(editing)
        if not editing:
            self.title.setText("Select a layer to see its parameters." if not node_ids
                               else f"{len(node_ids)} layers selected.")
            self.facts.clear()
            self.problems.clear()
            return
        self._show_values()

    def _show_form(self, kind_name: str | None) -> None:
        """Show the parameter fields of this kind of layer (none for None).

        Each kind's form is built the first time and then hidden and shown:
        building the widgets again each time a layer was selected or added
        took longer than the rest of the edit.
        """
        form, self.fields = None, {}
        if kind_name is not None:
            if kind_name not in self._forms:
                self._forms[kind_name] = self._build_form(kind_name)
            form, self.fields = self._forms[kind_name]
        if form is not self._form:
            if self._form is not None:
                self._form.hide()
            if form is not None:
                form.show()
            self._form = form

    def _build_form(self, kind_name: str) -> tuple[QWidget, dict[str, _Field]]:
        form = QWidget()
        form.hide()
        rows = QFormLayout(form)
        rows.setContentsMargins(0, 0, 0, 0)
        fields = {}
        kind = layer_kind(kind_name)
        for param in kind.params if kind is not None else ():
            field = _Field(param, self._set_param)
            field.widget.setToolTip(f"{param.help} ({param.describe()})")
            rows.addRow(param.name.replace("_", " "), field.widget)
            fields[param.name] = field
        self.form_stack.addWidget(form)
        return form, fields

    def _show_values(self) -> None:
        graph = self.project.graph
        node_id = self.node_id
        kind = layer_kind(graph.kind(node_id))
        description = kind.description if kind else "A kind NN Designer does not know."
        self.title.setText(f"<b>{graph.kind(node_id)}</b><br><span style='color:#5d6670'>{description}</span>")
        self.name.setText(graph.name(node_id))
        params = graph.params(node_id)
        for name, field in self.fields.items():
            field.show(params.get(name))
        row = layer_row(graph, node_id)
        shape = format_shape(row.output_shape) if row.output_shape is not None else "unknown"
        count = f"{row.params:,}" if row.params is not None else "unknown"
        self.facts.setText(f"Output shape: {shape}\nParameters: {count}")
        self.problems.setText("\n".join(p.message for p in graph.analysis().problems_of(node_id)))

    def _on_graph_event(self, event: GraphEvent) -> None:
        if self.node_id is None:
            return
        if event.type == EventType.NODE_REMOVED and event.node == self.node_id:
            self.show_layers([])
        elif event.type != EventType.NODE_MOVED:
            self._show_values()

    # --- edits --------------------------------------------------------------------------------

    def _set_param(self, name: str, value: Any) -> None:
        if self.node_id is None:
            return
        kind = layer_kind(self.project.graph.kind(self.node_id))
        param = kind.param(name)
        reason = param.problem(value)
        if reason:
            self.error.setText(f"{name.replace('_', ' ')} {reason}; {value!r:.40} was not applied.")
            self.fields[name].show(self.project.graph.params(self.node_id).get(name))
            return
        self.error.clear()
        if self.project.graph.params(self.node_id).get(name) != value:
            self.undo_stack.push(SetParamsCommand(self.project, self.node_id, {name: value}))

    def _rename(self) -> None:
        if self.node_id is None:
            return
        graph = self.project.graph
        new = self.name.text().strip()
        if new == graph.name(self.node_id):
            return
        reason = check_name(new)
        if reason is None and graph.find(new) is not None:
            reason = f"a layer is already called {new}"
        if reason:
            self.error.setText(f"{reason[0].upper()}{reason[1:]}.")
            self.name.setText(graph.name(self.node_id))
            return
        self.error.clear()
        self.undo_stack.push(RenameCommand(self.project, self.node_id, new))
