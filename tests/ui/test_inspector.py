"""The inspector: the selected layer's parameters and name, edited through real widgets."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QSpinBox

from designer.graph import CATALOGUE, format_shape, layer_kind

from . import helpers
from .helpers import LEFT, NO_KEYS, item, show_all, snapshot, type_into


def click(window, node_id):
    show_all(window)
    helpers.click(window, node_id)
    assert window.canvas.selected_node_ids() == [node_id]


def summary_row(window, name: str) -> dict[str, str]:
    model = window.summary.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    for texts in window.summary.rows_shown():
        if texts[0] == name:
            return dict(zip(headers, texts))
    raise AssertionError(f"no summary row for {name}")


def mlp(window):
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(4,))
    dense = graph.add_layer("Dense", pos=(280, 0))
    out = graph.add_layer("Dense", pos=(560, 0), units=3)
    graph.connect(x, dense)
    graph.connect(dense, out)
    return x, dense, out


def test_selecting_a_layer_shows_its_parameters(window):
    x, dense, out = mlp(window)
    inspector = window.inspector
    assert inspector.title.text() == "Select a layer to see its parameters."
    assert not inspector.name.isVisibleTo(window)
    click(window, dense)
    assert "Dense" in inspector.title.text() and layer_kind("Dense").description in inspector.title.text()
    assert inspector.name.text() == "dense_1" and inspector.name.isVisibleTo(window)
    assert set(inspector.fields) == {p.name for p in layer_kind("Dense").params}
    assert all(field.widget.isVisible() for field in inspector.fields.values())
    assert inspector.fields["units"].widget.value() == 16
    assert inspector.fields["activation"].widget.currentText() == "linear"
    assert inspector.fields["use_bias"].widget.isChecked()
    assert "Output shape: (16,)" in inspector.facts.text() and "Parameters: 80" in inspector.facts.text()
    click(window, x)
    assert set(inspector.fields) == {"shape"}
    assert inspector.fields["shape"].widget.text() == "(4,)"
    window.canvas.select_all()
    assert inspector.title.text() == "3 layers selected."
    assert inspector.fields == {}


def test_every_kind_can_be_inspected(window):
    graph = window.project.graph
    kinds = CATALOGUE.values()
    for kind in kinds:
        node_id = graph.add_layer(kind.name, pos=(0, 200.0 * len(graph)))
        window.canvas.select([node_id])
        fields = window.inspector.fields
        assert set(fields) == {p.name for p in kind.params}
        for param in kind.params:
            widget, value = fields[param.name].widget, graph.params(node_id)[param.name]
            if isinstance(widget, QCheckBox):
                assert widget.isChecked() == value
            elif isinstance(widget, QComboBox):
                assert widget.currentText() == value
            elif isinstance(widget, QSpinBox):
                assert widget.text() == ("auto" if value is None else str(value))
            elif isinstance(widget, QDoubleSpinBox):
                assert widget.value() == value
            else:
                assert isinstance(widget, QLineEdit)
                assert widget.text() == (format_shape(value) if isinstance(value, tuple) else str(value))
    assert window.undo_stack.count() == 0


def test_changing_units_changes_the_model_the_card_and_the_summary_in_one_step(window):
    x, dense, out = mlp(window)
    before = snapshot(window.project.graph)
    click(window, dense)
    spin = window.inspector.fields["units"].widget
    type_into(spin, "32")
    graph = window.project.graph
    assert graph.params(dense)["units"] == 32
    assert item(window, dense).look.shape == "(32,)"
    assert item(window, dense).look.brief == "Dense 32"
    assert item(window, dense).look.count == "160 params"
    assert item(window, out).look.count == "99 params"  # the next layer's weights follow
    assert summary_row(window, "dense_1")["Output shape"] == "(32,)"
    assert summary_row(window, "dense_1")["Params"] == "160"
    assert summary_row(window, "dense_2")["Params"] == "99"
    assert "Parameters: 160" in window.inspector.facts.text()
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert snapshot(graph) == before
    assert spin.value() == 16  # the inspector shows the model, also after undo
    assert item(window, dense).look.shape == "(16,)"
    assert summary_row(window, "dense_1")["Params"] == "80"


def test_choice_and_check_box_edits_are_undo_steps(window):
    x, dense, out = mlp(window)
    click(window, dense)
    combo = window.inspector.fields["activation"].widget
    combo.setFocus()
    QTest.keyClicks(combo, "relu")  # typing a choice's name picks it
    graph = window.project.graph
    assert graph.params(dense)["activation"] == "relu"
    assert item(window, dense).look.brief == "Dense 16 relu"
    check = window.inspector.fields["use_bias"].widget
    assert check.isVisible()
    QTest.mouseClick(check, LEFT, NO_KEYS, QPoint(7, check.height() // 2))  # on the box (it has no label)
    assert graph.params(dense)["use_bias"] is False
    assert item(window, dense).look.count == "64 params"
    window.undo_stack.undo()
    assert graph.params(dense)["use_bias"] is True
    assert check.isChecked()
    assert window.undo_stack.count() == 2 and window.undo_stack.index() == 1  # two edits, two steps
    window.undo_stack.undo()
    assert graph.params(dense)["activation"] == "linear" and combo.currentText() == "linear"


def test_a_bad_input_shape_is_refused_with_the_reason_and_the_model_unchanged(window):
    x, dense, out = mlp(window)
    before = snapshot(window.project.graph)
    click(window, x)
    field = window.inspector.fields["shape"].widget
    type_into(field, "1, 0, 28")
    assert snapshot(window.project.graph) == before
    assert window.undo_stack.count() == 0
    error = window.inspector.error.text()
    assert error == "shape must be a tuple of 1 to 3 sizes from 1 to 1000000; (1, 0, 28) was not applied."
    assert window.inspector.error.isVisibleTo(window)
    assert field.text() == "(4,)"  # the field shows the model's value again
    type_into(field, "not a shape")
    assert snapshot(window.project.graph) == before
    assert "'not a shape' was not applied" in window.inspector.error.text()
    type_into(field, "(1, 28, 28)")
    assert window.project.graph.params(x)["shape"] == (1, 28, 28)
    assert window.inspector.error.text() == ""
    assert item(window, x).look.shape == "(1, 28, 28)"
    assert window.undo_stack.count() == 1


def test_renaming_renames_the_layer_and_its_weights(window):
    x, dense, out = mlp(window)
    W = np.arange(64, dtype=np.float32).reshape(4, 16)
    window.project.weights = {"dense_1.W": W, "dense_1.b": np.ones(16, np.float32), "dense_2.W": np.zeros((16, 3))}
    click(window, dense)
    type_into(window.inspector.name, "hidden")
    graph = window.project.graph
    assert graph.name(dense) == "hidden" and graph.find("hidden") == dense
    assert item(window, dense).look.name == "hidden"
    assert summary_row(window, "hidden")["Kind"] == "Dense"
    assert sorted(window.project.weights) == ["dense_2.W", "hidden.W", "hidden.b"]
    assert window.project.weights["hidden.W"] is W
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert graph.name(dense) == "dense_1" and window.inspector.name.text() == "dense_1"
    assert sorted(window.project.weights) == ["dense_1.W", "dense_1.b", "dense_2.W"]
    window.undo_stack.redo()
    assert sorted(window.project.weights) == ["dense_2.W", "hidden.W", "hidden.b"]


def test_renaming_to_a_name_in_use_is_refused_with_a_message(window):
    x, dense, out = mlp(window)
    before = snapshot(window.project.graph)
    click(window, dense)
    type_into(window.inspector.name, "dense_2")
    assert snapshot(window.project.graph) == before
    assert window.inspector.error.text() == "A layer is already called dense_2."
    assert window.inspector.name.text() == "dense_1"
    type_into(window.inspector.name, "2 bad names")
    assert snapshot(window.project.graph) == before
    assert "cannot name a layer" in window.inspector.error.text()
    assert window.undo_stack.count() == 0


def test_the_inspector_follows_undo_of_a_deleted_layer(window):
    x, dense, out = mlp(window)
    click(window, dense)
    window.canvas.delete_selected()
    assert window.inspector.title.text() == "Select a layer to see its parameters."
    window.undo_stack.undo()
    assert dense in window.project.graph


def test_a_value_changed_and_changed_back_leaves_no_step_and_no_unsaved_mark(window):
    x, dense, out = mlp(window)
    window.undo_stack.setClean()  # as if just opened
    click(window, dense)
    spin = window.inspector.fields["units"].widget
    type_into(spin, "32")
    type_into(spin, "48")
    assert window.undo_stack.count() == 1  # edits of one parameter in a row are one step
    assert window.windowTitle() == "Untitled* - NN Designer"
    type_into(spin, "16")
    assert window.project.graph.params(dense)["units"] == 16
    assert window.undo_stack.count() == 0
    assert not window.dirty and window.windowTitle() == "Untitled - NN Designer"
    type_into(spin, "20")
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert window.project.graph.params(dense)["units"] == 16


def test_a_tiny_number_is_shown_and_edited_in_scientific_notation(window):
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(4,))
    norm = graph.add_layer("BatchNorm", pos=(280, 0))
    graph.connect(x, norm)
    click(window, norm)
    field = window.inspector.fields["eps"].widget
    assert isinstance(field, QLineEdit) and field.text() == "1e-05"
    type_into(field, "1e-7")
    assert graph.params(norm)["eps"] == 1e-7
    window.undo_stack.undo()
    assert graph.params(norm)["eps"] == 1e-5 and field.text() == "1e-05"
    type_into(field, "tiny")
    assert graph.params(norm)["eps"] == 1e-5
    assert "eps must be a number" in window.inspector.error.text()


def test_showing_another_layer_lays_out_only_the_inspector(window):
    # the inspector's rows appear, vanish and rewrap as the selection changes; laying out the whole
    # window again each time cost more than the edit itself
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtWidgets import QApplication

    class LayoutRequests(QObject):
        count = 0

        def eventFilter(self, watched, event):
            if event.type() == QEvent.Type.LayoutRequest:
                self.count += 1
            return False

    x, dense, out = mlp(window)
    window.show()
    QApplication.processEvents()
    requests = LayoutRequests()
    window.inspector_dock.installEventFilter(requests)
    for selection in ([dense], [], [x], [x, dense], [out], []):
        window.canvas.select(selection)
        QApplication.processEvents()
    assert requests.count == 0
    assert window.inspector.title.text() == "Select a layer to see its parameters."
    window.canvas.select([dense])
    QApplication.processEvents()
    assert window.inspector.fields["units"].widget.isVisible() and window.inspector.name.isVisible()
