"""The data set dialog, driven through its real widgets offscreen: previews, errors, undo, missing files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog

from designer import NetworkGraph, Project
from designer.data import DataError, load_csv
from designer.ui.data_dialog import DataDialog, fit_edits
from designer.ui.train_panel import FROM_FILE

LOAD_TIMEOUT_MS = 10_000


@pytest.fixture(autouse=True)
def settings_in_tmp(tmp_path, monkeypatch):
    monkeypatch.setenv("NN_DESIGNER_CONFIG_DIR", str(tmp_path / "settings"))


def network(input_shape=(2,), hidden=8, outputs=2, softmax=False) -> Project:
    graph = NetworkGraph()
    x = graph.add_layer("Input", shape=input_shape)
    h = graph.add_layer("Dense", units=hidden, activation="relu")
    o = graph.add_layer("Dense", units=outputs)
    graph.connect(x, h)
    graph.connect(h, o)
    if softmax:
        graph.connect(o, graph.add_layer("Activation", function="softmax"))
    return Project(graph=graph)


def params(project: Project, name: str) -> dict:
    return project.graph.params(project.graph.find(name))


def wait_loaded(qtbot, dialog: DataDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.loading, timeout=LOAD_TIMEOUT_MS)


@pytest.fixture
def make_dialog(qtbot):
    """Open data set dialogs on a project; each waits for its first load; all are closed (threads ended) after."""
    made = []

    def make(project: Project, project_dir: Path | None = None, stack: QUndoStack | None = None) -> DataDialog:
        dialog = DataDialog(project, stack or QUndoStack(), project_dir)
        qtbot.addWidget(dialog)
        made.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        wait_loaded(qtbot, dialog)
        return dialog

    yield make
    for dialog in made:
        dialog.done(0)


def choose_file(qtbot, monkeypatch, dialog: DataDialog, field, path: Path, button=None) -> None:
    """Press a path field's Browse... button (or `button`) and pick `path` in the (replaced) file chooser."""
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kwargs: (str(path), "")))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(lambda *args, **kwargs: str(path)))
    QTest.mouseClick(button or field.browse_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, dialog)


def use_source(qtbot, dialog: DataDialog, key: str) -> None:
    dialog.source.setCurrentIndex(dialog.source.findData(key))
    wait_loaded(qtbot, dialog)


def pick(qtbot, dialog: DataDialog, combo, text: str) -> None:
    """Choose an entry of a combo box as a person does (the `activated` signal, not only the current index)."""
    index = combo.findText(text)
    assert index >= 0, f"{text!r} is not offered"
    combo.setCurrentIndex(index)
    combo.activated.emit(index)
    wait_loaded(qtbot, dialog)


def write_csv(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


WINE = "alcohol,acid,grade,colour\n" + "".join(
    f"{12 + i % 5 * 0.5},{3 + i % 3 * 0.25},{i % 3},{['red', 'white'][i % 2]}\n" for i in range(30)
)
NUMERIC_WINE = WINE.replace("red", "0").replace("white", "1")


# --- CSV ----------------------------------------------------------------------------------------------


def test_a_csv_shows_its_first_rows_class_counts_and_target_choices(qtbot, monkeypatch, tmp_path, make_dialog):
    csv = write_csv(tmp_path / "wine.csv", WINE)
    dialog = make_dialog(network())
    use_source(qtbot, dialog, "csv")
    assert "Choose a CSV file" in dialog.message.text() and not dialog.ok_button.isEnabled()

    choose_file(qtbot, monkeypatch, dialog, dialog.csv_path, csv)

    assert dialog.error == "" and dialog.dataset is not None
    preview = dialog.preview
    assert preview.column_names() == ["alcohol", "acid", "grade", "colour"]
    rows = preview.row_texts()
    assert len(rows) == 20  # the first rows of 30
    assert rows[0] == ["12", "3", "0", "red"] and rows[1] == ["12.5", "3.25", "1", "white"]
    assert preview.class_counts() == {"red": 15, "white": 15}
    assert [dialog.csv_target.itemText(i) for i in range(dialog.csv_target.count())] == \
        ["alcohol", "acid", "grade", "colour"]
    assert dialog.csv_target.currentText() == "colour"
    assert preview.plot_kind == ""  # 3 features: no scatter
    assert dialog.ok_button.isEnabled()


def test_choosing_another_target_column_reloads(qtbot, monkeypatch, tmp_path, make_dialog):
    csv = write_csv(tmp_path / "wine.csv", NUMERIC_WINE)
    dialog = make_dialog(network())
    use_source(qtbot, dialog, "csv")
    choose_file(qtbot, monkeypatch, dialog, dialog.csv_path, csv)
    assert dialog.preview.class_counts() == {"0": 15, "1": 15}

    pick(qtbot, dialog, dialog.csv_target, "grade")

    assert dialog.dataset.feature_names == ["alcohol", "acid", "colour"]
    assert dialog.preview.column_names() == ["alcohol", "acid", "colour", "grade"]
    assert dialog.preview.class_counts() == {"0": 10, "1": 10, "2": 10}
    assert dialog.csv_target.currentText() == "grade"
    assert dialog.loading_spec().options["target"] == "grade"


def test_a_bad_cell_is_said_inline_in_one_sentence_and_ok_stays_disabled(qtbot, monkeypatch, tmp_path, make_dialog):
    csv = write_csv(tmp_path / "bad.csv", "a,b,label\n1,2,x\n3,n/a,y\n5,6,x\n")
    dialog = make_dialog(network())
    use_source(qtbot, dialog, "csv")
    choose_file(qtbot, monkeypatch, dialog, dialog.csv_path, csv)

    sentence = 'bad.csv, row 3, column "b": "n/a" is not a number.'
    with pytest.raises(DataError) as raised:
        load_csv(csv)
    assert str(raised.value) == sentence
    assert dialog.message.text() == sentence and dialog.message.isVisible()
    assert "Traceback" not in dialog.message.text()
    assert not dialog.ok_button.isEnabled()
    assert dialog.preview.dataset is None
    assert dialog.csv_target.count() == 3  # the target can still be chosen

    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.project.dataset is None

    dialog.csv_drop.click()  # the remedy the dialog offers: drop incomplete rows
    wait_loaded(qtbot, dialog)
    assert dialog.error == "" and len(dialog.dataset) == 2 and dialog.ok_button.isEnabled()
    assert "1 incomplete row dropped (row 3)." in dialog.preview.notes.text()


def test_a_big_csv_reports_progress_and_a_load_can_be_stopped(qtbot, monkeypatch, tmp_path, make_dialog):
    rows = np.random.default_rng(0).random((60_000, 3))
    csv = tmp_path / "big.csv"
    np.savetxt(csv, np.column_stack([rows, np.arange(60_000) % 2]), delimiter=",", fmt="%.5f",
               header="a,b,c,label", comments="")
    dialog = make_dialog(network())
    use_source(qtbot, dialog, "csv")
    values = []
    dialog.progress.valueChanged.connect(values.append)
    choose_file(qtbot, monkeypatch, dialog, dialog.csv_path, csv)
    assert len(dialog.dataset) == 60_000
    assert values and max(values) == 1000

    dialog.reload()
    assert dialog.loading and dialog.progress.isVisible() and dialog.cancel_load_button.isVisible()
    QTest.mouseClick(dialog.cancel_load_button, Qt.MouseButton.LeftButton)
    assert not dialog.loading and dialog.dataset is None
    assert "Loading stopped" in dialog.message.text()
    for thread in dialog._threads:  # the dropped load ends, and its result is ignored
        thread.wait()
    qtbot.wait(20)
    assert dialog.dataset is None and not dialog.ok_button.isEnabled()
    QTest.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    wait_loaded(qtbot, dialog)
    assert len(dialog.dataset) == 60_000


# --- built-in sets ----------------------------------------------------------------------------------


def test_a_builtin_2d_set_shows_a_scatter_coloured_by_class_and_its_options(qtbot, make_dialog):
    dialog = make_dialog(network())
    assert dialog.builtin.currentText() == "moons"  # the default for a project without data
    assert dialog.preview.plot_kind == "scatter"
    assert dialog.preview.scatter_points() == 200
    assert len(dialog.preview.scatter_items) == 2  # one colour per class
    assert dialog.preview.class_counts() == {"upper": 100, "lower": 100}

    samples = dialog._builtin_fields["n_samples"].widget
    samples.setValue(120)  # an option widget made from the Option description
    wait_loaded(qtbot, dialog)
    assert dialog.preview.scatter_points() == 120

    pick(qtbot, dialog, dialog.builtin, "blobs")
    assert set(dialog._builtin_fields) == {"n_samples", "classes", "noise", "seed"}
    assert len(dialog.preview.scatter_items) == 3 and dialog.preview.scatter_points() == 300


def test_digits_shows_a_grid_of_sample_images(qtbot, make_dialog):
    dialog = make_dialog(network())
    pick(qtbot, dialog, dialog.builtin, "digits")
    preview = dialog.preview
    assert preview.plot_kind == "images"
    image = preview.image_item.image
    assert image is not None and image.ndim == 3 and image.shape[2] == 3
    assert image.shape[1] == 10 * 9 - 1  # a column of 8x8 pictures per class, one pixel apart
    assert [label.toPlainText() for label in preview.image_labels] == [str(d) for d in range(10)]
    assert sum(preview.class_counts().values()) == 1797
    assert preview.rows_table.isHidden()


def test_idx_files_show_their_images_and_labels(qtbot, monkeypatch, tmp_path, make_dialog):
    from designer.data import save_idx

    images = (np.random.default_rng(1).random((12, 6, 5)) * 255).astype(np.uint8)
    save_idx(tmp_path / "images-idx3-ubyte.gz", images)
    save_idx(tmp_path / "labels-idx1-ubyte", np.arange(12, dtype=np.uint8) % 3)
    dialog = make_dialog(network())
    use_source(qtbot, dialog, "idx")
    choose_file(qtbot, monkeypatch, dialog, dialog.idx_images, tmp_path / "images-idx3-ubyte.gz")
    assert dialog.preview.class_counts() == {"unlabelled": 12}
    choose_file(qtbot, monkeypatch, dialog, dialog.idx_labels, tmp_path / "labels-idx1-ubyte")
    assert dialog.preview.plot_kind == "images"
    assert dialog.preview.class_counts() == {"0": 4, "1": 4, "2": 4}
    assert "input_1's shape from (2,) to (1, 6, 5)" in dialog.fit_network.text()


def test_an_image_folder_shows_its_pictures_by_class(qtbot, monkeypatch, tmp_path, make_dialog):
    from PIL import Image

    for name, colour in (("cats", (200, 40, 40)), ("dogs", (40, 40, 200))):
        (tmp_path / "pets" / name).mkdir(parents=True)
        for i in range(3):
            Image.new("RGB", (9, 7), colour).save(tmp_path / "pets" / name / f"{i}.png")
    dialog = make_dialog(network())
    use_source(qtbot, dialog, "images")
    dialog.image_height.setValue(8)
    dialog.image_width.setValue(8)
    pick(qtbot, dialog, dialog.image_color, "rgb")
    choose_file(qtbot, monkeypatch, dialog, dialog.images_path, tmp_path / "pets")
    assert dialog.dataset.sample_shape == (3, 8, 8)
    assert dialog.preview.plot_kind == "images" and dialog.preview.class_counts() == {"cats": 3, "dogs": 3}
    assert [label.toPlainText() for label in dialog.preview.image_labels] == ["cats", "dogs"]


# --- OK ------------------------------------------------------------------------------------------------


def test_ok_sets_the_data_set_input_shape_and_output_units_as_one_undo_step(qtbot, make_dialog):
    project = network(outputs=2, softmax=True)
    stack = QUndoStack()
    shown = []
    dialog = make_dialog(project, stack=stack)
    dialog.shown = lambda: shown.append(True)
    pick(qtbot, dialog, dialog.builtin, "iris")
    dialog.normaliser.setCurrentIndex(dialog.normaliser.findData("standardise"))
    dialog.seed.setValue(7)
    assert dialog.fit_network.isChecked() and dialog.fit_network.isEnabled()
    assert "input_1's shape from (2,) to (4,)" in dialog.fit_network.text()
    assert "dense_2's units from 2 to 3" in dialog.fit_network.text()  # past the softmax Activation

    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    assert not dialog.isVisible()
    assert project.dataset["source"] == "builtin" and project.dataset["name"] == "iris"
    assert project.dataset["normaliser"] == {"method": "standardise"}
    assert project.dataset["split"] == {"train": 0.7, "validation": 0.15, "test": 0.15, "seed": 7}
    assert tuple(params(project, "input_1")["shape"]) == (4,)
    assert params(project, "dense_2")["units"] == 3
    assert stack.count() == 1 and shown

    stack.undo()
    assert project.dataset is None
    assert tuple(params(project, "input_1")["shape"]) == (2,)
    assert params(project, "dense_2")["units"] == 2
    stack.redo()
    assert project.dataset["name"] == "iris" and params(project, "dense_2")["units"] == 3


def test_without_the_checkbox_only_the_data_set_changes(qtbot, make_dialog):
    project = network()
    stack = QUndoStack()
    dialog = make_dialog(project, stack=stack)
    pick(qtbot, dialog, dialog.builtin, "iris")
    dialog.fit_network.setChecked(False)
    dialog.accept()
    assert project.dataset["name"] == "iris" and stack.count() == 1
    assert tuple(params(project, "input_1")["shape"]) == (2,)


def test_fit_edits_keep_one_output_for_two_classes_and_leave_a_fitting_network_alone(qtbot):
    from designer.data import load_builtin

    moons = load_builtin("moons")
    assert fit_edits(network(outputs=1).graph, moons) == []
    assert fit_edits(network(outputs=2).graph, moons) == []
    project = network(outputs=5)
    assert fit_edits(project.graph, moons) == [(project.graph.find("dense_2"), {"units": 2})]


def test_a_file_is_kept_relative_to_the_project_folder(qtbot, monkeypatch, tmp_path, make_dialog):
    folder = tmp_path / "project"
    csv = write_csv(folder / "data" / "wine.csv", NUMERIC_WINE)
    project = network()
    dialog = make_dialog(project, project_dir=folder)
    use_source(qtbot, dialog, "csv")
    choose_file(qtbot, monkeypatch, dialog, dialog.csv_path, csv)
    pick(qtbot, dialog, dialog.csv_target, "grade")
    dialog.accept()
    assert project.dataset["source"] == "csv"
    assert project.dataset["path"] == "data/wine.csv"
    assert project.dataset["options"] == {"target": "grade"}
    assert tuple(params(project, "input_1")["shape"]) == (3,) and params(project, "dense_2")["units"] == 3


def test_splits_that_leave_nothing_to_train_on_disable_ok(qtbot, make_dialog):
    dialog = make_dialog(network())
    dialog.validation.setValue(0.5)
    dialog.test.setValue(0.5)
    assert not dialog.ok_button.isEnabled()
    assert "nothing to train on" in dialog.split_sizes.text()
    dialog.test.setValue(0.2)
    assert dialog.ok_button.isEnabled()
    assert "(60 train, 100 validation, 40 test samples)" in dialog.split_sizes.text()


# --- a moved data file -----------------------------------------------------------------------------


def test_a_moved_file_is_shown_missing_and_can_be_pointed_to_again(qtbot, monkeypatch, tmp_path, make_window):
    folder = tmp_path / "project"
    csv = write_csv(folder / "data" / "wine.csv", WINE)
    project = network()
    project.dataset = {"source": "csv", "path": "data/wine.csv", "options": {"target": "colour"},
                       "split": {"train": 0.6, "validation": 0.2, "test": 0.2, "seed": 3},
                       "normaliser": {"method": "min-max"}}
    path = folder / "wine.nnproj"
    project.save(path)
    moved = folder / "elsewhere" / "wine.csv"
    moved.parent.mkdir()
    csv.rename(moved)

    window = make_window(path=None)
    assert window.open_file(path)  # the project opens though its data went
    expected = folder / "data" / "wine.csv"
    assert "missing" in window.train_panel.data_label.text() and str(expected) in window.train_panel.data_label.text()

    window.choose_data_action.trigger()  # Data > Choose Data Set...
    dialog = window.train_panel.data_dialog
    assert dialog is not None and dialog.isVisible()
    wait_loaded(qtbot, dialog)
    assert dialog.source.currentData() == "csv"
    assert dialog.missing_path == str(expected)
    assert f"The data file {expected} is missing." in dialog.message.text()
    assert "point to it again" in dialog.message.text()
    assert not dialog.ok_button.isEnabled() and dialog.locate_button.isVisible()
    assert dialog.seed.value() == 3 and dialog.normaliser.currentData() == "min-max"  # the rest is kept

    choose_file(qtbot, monkeypatch, dialog, dialog.csv_path, moved, button=dialog.locate_button)
    assert dialog.error == "" and dialog.csv_target.currentText() == "colour"
    assert not dialog.locate_button.isVisible() and dialog.csv_path.text() == str(moved)
    dialog.fit_network.setChecked(False)
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    data = window.project.dataset
    assert data["path"] == "elsewhere/wine.csv" and data["options"] == {"target": "colour"}
    assert data["split"]["seed"] == 3 and data["normaliser"] == {"method": "min-max"}
    assert "missing" not in window.train_panel.data_label.text()
    assert window.dirty
    window.undo_stack.undo()
    assert window.project.dataset["path"] == "data/wine.csv"


def test_the_train_panel_choose_button_opens_the_dialog(qtbot, window):
    QTest.mouseClick(window.train_panel.choose_data_button, Qt.MouseButton.LeftButton)
    dialog = window.train_panel.data_dialog
    assert dialog is not None and dialog.isVisible()
    wait_loaded(qtbot, dialog)
    pick(qtbot, dialog, dialog.builtin, "circles")
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.project.dataset["name"] == "circles"
    assert window.train_panel.data_choice.currentText() == "circles"
    assert window.undo_stack.count() == 1


def test_a_file_chosen_from_the_train_panel_opens_in_the_dialog_and_loads_off_the_gui_thread(
        qtbot, monkeypatch, tmp_path, window):
    csv = write_csv(tmp_path / "wine.csv", WINE)
    panel = window.train_panel
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *args, **kwargs: (str(csv), "")))
    panel._data_chosen(panel.data_choice.findText(FROM_FILE))  # as the combo box's "From a file..." does
    dialog = panel.data_dialog
    assert dialog is not None and dialog.isVisible() and dialog.source_key == "csv"
    assert dialog.csv_path.text() == str(csv) and dialog.loading  # loading in its own thread, not done here
    assert window.project.dataset is None and panel.data_choice.currentText() != FROM_FILE  # nothing taken yet
    wait_loaded(qtbot, dialog)
    assert dialog.preview.class_counts() == {"red": 15, "white": 15}
    QTest.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert window.project.dataset["source"] == "csv" and window.project.dataset["path"].endswith("wine.csv")
    assert panel.data_choice.currentText() == FROM_FILE and window.undo_stack.count() == 1


def test_ok_on_the_same_data_keeps_the_fitted_normaliser_and_adds_no_step(qtbot, make_dialog):
    project = network()
    fitted = {"method": "standardise", "offset": [0.5, 0.25], "scale": [0.9, 0.5]}
    project.dataset = {"source": "builtin", "name": "moons", "options": {"n_samples": 200, "noise": 0.1, "seed": 0},
                       "split": {"train": 0.7, "validation": 0.15, "test": 0.15, "seed": 0}, "normaliser": fitted}
    stack = QUndoStack()
    dialog = make_dialog(project, stack=stack)
    assert dialog.normaliser.currentData() == "standardise"
    assert not dialog.fit_network.isEnabled()  # (2,) in, 2 out: it fits already
    dialog.accept()
    assert project.dataset["normaliser"] == fitted and stack.count() == 0


def test_damaged_data_settings_are_said_and_another_set_can_be_chosen(qtbot, make_dialog):
    project = network()
    project.dataset = {"source": "builtin", "name": "no_such_set"}
    dialog = make_dialog(project)
    assert dialog.message.text().startswith("The project's data set cannot be used: There is no built-in data set")
    assert dialog.preview.plot_kind == "scatter"  # the default set is shown instead
    dialog.accept()
    assert project.dataset["name"] == "moons"
