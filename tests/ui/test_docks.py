"""The summary and problems docks follow the graph, and a click on a row selects its layer."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint
from PySide6.QtGui import QImage
from PySide6.QtTest import QAbstractItemModelTester, QTest
from PySide6.QtWidgets import QApplication

from designer.analysis import format_bytes, summary
from designer.graph import format_shape
from designer.ui.commands import ConnectCommand, RenameCommand, SetParamsCommand
from designer.ui.summary_table import NODE_ROLE, SteadyScrollBar

from .helpers import LEFT, NO_KEYS


def broken_network(window):
    """An Input wired into a Conv2D (which needs an image), and a Dense wired to nothing."""
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(10,))
    conv = graph.add_layer("Conv2D", pos=(260, 0))
    dense = graph.add_layer("Dense", pos=(520, 0))
    graph.connect(x, conv)
    return x, conv, dense


def click_row(widget, rect) -> None:
    QTest.mouseClick(widget.viewport(), LEFT, NO_KEYS, rect.center())
    QApplication.processEvents()


def test_the_problems_list_shows_validates_sentences(window):
    x, conv, dense = broken_network(window)
    expected = [p.message for p in window.project.graph.validate()]
    assert len(expected) >= 2
    assert window.problems.messages() == expected
    window.project.graph.remove_layer(conv)
    window.project.graph.remove_layer(dense)
    assert window.problems.messages() == ["No problems: the network can be compiled."]
    window.undo_stack.clear()


def test_clicking_a_problem_selects_its_layer(window):
    x, conv, dense = broken_network(window)
    window.problems_dock.raise_()
    QApplication.processEvents()
    problems = window.project.graph.validate()
    listing = window.problems.list
    for row, problem in enumerate(problems):
        click_row(listing, listing.visualItemRect(listing.item(row)))
        assert window.canvas.selected_node_ids() == [n for n in window.project.graph.nodes() if n in problem.nodes]
        selected = [i for i in window.canvas.scene.selectedItems()]
        assert {i.node_id for i in selected} == set(problem.nodes)
    # the inspector follows the selection made from the dock
    conv_problem = next(i for i, p in enumerate(problems) if tuple(p.nodes) == (conv,))
    click_row(listing, listing.visualItemRect(listing.item(conv_problem)))
    assert window.inspector.name.text() == "conv2d_1"
    assert window.undo_stack.count() == 0


def test_clicking_a_summary_row_selects_that_layer(window):
    x, conv, dense = broken_network(window)
    window.summary_dock.raise_()
    QApplication.processEvents()
    table = window.summary.table
    assert [texts[0] for texts in window.summary.rows_shown()] == ["input_1", "conv2d_1", "dense_1"]
    for row, node_id in enumerate([x, conv, dense]):
        click_row(table, table.visualRect(table.model().index(row, 1)))
        assert window.canvas.selected_node_ids() == [node_id]
        assert window.inspector.name.text() == window.project.graph.name(node_id)


def test_the_summary_follows_edits(window):
    x, conv, dense = broken_network(window)
    window.project.graph.set_params(x, shape=(1, 8, 8))
    assert window.summary.rows_shown()[1][:4] == ["conv2d_1", "Conv2D", "(8, 6, 6)", "80"]
    assert "<b>80</b> parameters" in window.summary.totals.text()
    window.project.graph.rename(conv, "features")
    assert window.summary.rows_shown()[1][0] == "features"
    window.project.graph.remove_layer(dense)
    assert len(window.summary.rows_shown()) == 2


# --- the summary stays current, edit by edit ---------------------------------------------------------


def expected_rows(graph) -> list[list[str]]:
    """The summary's texts worked out afresh from the graph."""
    def count(value):
        return "?" if value is None else f"{value:,}"

    return [[row.name, row.kind, "?" if row.output_shape is None else format_shape(row.output_shape),
             count(row.params), count(row.mult_adds),
             "?" if row.activations is None else format_bytes(row.activations * 4)]
            for row in summary(graph).rows]


def assert_summary_is_current(window) -> None:
    graph = window.project.graph
    assert window.summary.rows_shown() == expected_rows(graph)
    fresh = summary(graph)
    totals = window.summary.totals.text()
    assert f"<b>{fresh.total_params:,}</b> parameters ({format_bytes(fresh.param_bytes)})" in totals
    assert f"{fresh.trainable_params:,} trainable" in totals
    assert f"{fresh.mult_adds:,} mult-adds" in totals
    assert f"activations {format_bytes(fresh.activation_bytes)} per sample" in totals
    assert f"training about <b>{format_bytes(fresh.training_bytes(32, 'adam'))}</b>" in totals
    assert ("incomplete" in totals) == (not fresh.complete)


def checked_model(window, qtlog):
    """Qt's model tester watches every signal of the summary's model; it logs 'FAIL!' on a broken promise."""
    tester = QAbstractItemModelTester(window.summary.table.model(),
                                      QAbstractItemModelTester.FailureReportingMode.Warning)

    def no_failures():
        assert not [r.message for r in qtlog.records if "FAIL" in r.message]

    return tester, no_failures


def mlp(window):
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(4,))
    hidden = graph.add_layer("Dense", pos=(260, 0), units=8)
    out = graph.add_layer("Dense", pos=(520, 0), units=3)
    graph.connect(x, hidden)
    graph.connect(hidden, out)
    return x, hidden, out


def test_the_summary_is_current_after_each_edit_and_its_undo_and_redo(window, qtlog):
    x, hidden, out = mlp(window)
    tester, no_failures = checked_model(window, qtlog)
    stack = window.undo_stack
    stack.clear()
    assert_summary_is_current(window)
    new = window.canvas.add_layer("Dense", (780, 0), units=5)  # unwired: its own row, and the totals
    assert window.summary.rows_shown()[-1][:4] == ["dense_3", "Dense", "?", "?"]
    assert_summary_is_current(window)
    stack.push(ConnectCommand(window.project, out, new, 0))  # now it has a shape and a count
    assert window.summary.rows_shown()[-1][:4] == ["dense_3", "Dense", "(5,)", "20"]
    assert_summary_is_current(window)
    stack.push(SetParamsCommand(window.project, hidden, {"units": 16}))  # dense_1 and dense_2 change
    assert window.summary.rows_shown()[1][3] == "80" and window.summary.rows_shown()[2][3] == "51"
    assert_summary_is_current(window)
    stack.push(RenameCommand(window.project, out, "logits"))
    assert_summary_is_current(window)
    window.canvas.select([hidden])
    window.canvas.delete_selected()  # its wires go too: the layers after it lose their shapes
    assert [texts[0] for texts in window.summary.rows_shown()] == ["input_1", "logits", "dense_3"]
    assert_summary_is_current(window)
    edits = stack.count()
    for _ in range(edits):
        stack.undo()
        assert_summary_is_current(window)
    assert [texts[0] for texts in window.summary.rows_shown()] == ["input_1", "dense_1", "dense_2"]
    for _ in range(edits):
        stack.redo()
        assert_summary_is_current(window)
    no_failures()


def test_when_the_order_changes_the_rows_follow_and_the_selection_stays_on_its_layer(window, qtlog):
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(4,))
    first = graph.add_layer("Dense", pos=(520, 0), units=8)
    later = graph.add_layer("Dense", pos=(260, 0), units=2)
    tester, no_failures = checked_model(window, qtlog)
    table = window.summary.table
    table.selectionModel().select(table.model().index(1, 0),
                                  QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
    window.undo_stack.push(ConnectCommand(window.project, x, later, 0))
    window.undo_stack.push(ConnectCommand(window.project, later, first, 0))  # dense_2 now runs before dense_1
    assert [texts[0] for texts in window.summary.rows_shown()] == ["input_1", "dense_2", "dense_1"]
    assert_summary_is_current(window)
    assert [i.data(NODE_ROLE) for i in table.selectionModel().selectedRows()] == [first]
    window.undo_stack.undo()
    assert [texts[0] for texts in window.summary.rows_shown()] == ["input_1", "dense_1", "dense_2"]
    assert_summary_is_current(window)
    assert [i.data(NODE_ROLE) for i in table.selectionModel().selectedRows()] == [first]
    no_failures()


def test_a_closed_summary_catches_up_when_shown_again(window):
    x, hidden, out = mlp(window)
    window.summary_dock.close()
    QApplication.processEvents()
    assert not window.summary.isVisible()
    new = window.canvas.add_layer("Dense", (780, 0))
    window.undo_stack.push(ConnectCommand(window.project, out, new, 0))
    window.undo_stack.push(SetParamsCommand(window.project, x, {"shape": (6,)}))
    assert len(window.summary.rows_shown()) == 3  # not redrawn while closed
    window.summary_dock.show()
    QApplication.processEvents()
    assert_summary_is_current(window)
    assert len(window.summary.rows_shown()) == 4


# --- the summary repaints only what an edit changed ----------------------------------------------------


class PaintRecorder(QObject):
    """The paint events a widget receives, as their rectangles."""

    def __init__(self, widget) -> None:
        super().__init__()
        self.rects = []
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.rects.append(event.rect())
        return False


def on_screen(widget) -> QImage:
    """What the window shows of this widget now: its pixels in the window's backing store, not painted afresh."""
    window = widget.window()
    top_left = widget.mapTo(window, QPoint(0, 0))
    pixels = QApplication.primaryScreen().grabWindow(window.winId(), top_left.x(), top_left.y(),
                                                      widget.width(), widget.height())
    return pixels.toImage().convertToFormat(QImage.Format.Format_RGB32)


def painted_afresh(widget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)


def settle() -> None:
    """Let the window finish what it had to do (paint, lay out) before the edit being watched."""
    for _ in range(3):
        QApplication.processEvents()


def unwired_layers(window, count: int) -> list[str]:
    """Layers wired to nothing, so that the summary lists them in the order they were added."""
    graph = window.project.graph
    return [graph.add_layer("Dense", pos=(260.0 * i, 0.0), units=i + 1) for i in range(count)]


def test_a_row_added_below_the_rows_shown_repaints_none_of_them(window):
    unwired_layers(window, 60)
    window.summary_dock.raise_()
    settle()
    table = window.summary.table
    assert table.rowAt(table.viewport().height() - 1) < 59  # the last rows are below the dock's bottom edge
    paints = PaintRecorder(table.viewport())
    window.canvas.add_layer("Dense", (0.0, 400.0))
    settle()
    assert len(window.summary.rows_shown()) == 61
    assert paints.rects == []
    window.undo_stack.undo()
    settle()
    assert len(window.summary.rows_shown()) == 60
    assert paints.rects == []
    assert on_screen(table.viewport()) == painted_afresh(table.viewport())


def test_what_the_summary_shows_on_screen_is_what_a_fresh_paint_shows_after_each_edit(window):
    layers = unwired_layers(window, 40)
    graph = window.project.graph
    window.summary_dock.raise_()
    settle()
    table, stack = window.summary.table, window.undo_stack
    viewport = table.viewport()

    def check(rows: int, edit) -> list:
        """Make the edit; return the rectangles of the table repainted (the screen is checked against a fresh paint)."""
        settle()
        paints = PaintRecorder(viewport)
        edit()
        settle()
        viewport.removeEventFilter(paints)
        assert len(window.summary.rows_shown()) == rows
        assert_summary_is_current(window)
        assert on_screen(viewport) == painted_afresh(viewport)
        assert on_screen(table.verticalScrollBar()) == painted_afresh(table.verticalScrollBar())
        return paints.rects

    assert check(41, lambda: window.canvas.add_layer("Dense", (0.0, 400.0))) == []  # a row at the end, not shown
    window.canvas.select([layers[2]])
    third_row = table.rowViewportPosition(2)
    repainted = check(40, window.canvas.delete_selected)  # a row removed among those shown: the rows below move up
    assert repainted and all(rect.top() >= third_row for rect in repainted)
    check(41, stack.undo)  # and back
    check(41, lambda: stack.push(ConnectCommand(window.project, layers[5], layers[1], 0)))  # dense_2 moves down
    table.scrollToBottom()
    check(41, lambda: None)
    check(40, lambda: (stack.undo(), stack.undo(), stack.undo()))  # the last row goes while the end is shown
    assert graph.find("dense_41") is None
    table.scrollToTop()
    check(40, lambda: None)


def test_the_summary_scroll_bar_repaints_when_its_look_changes_and_only_then(qtbot):
    bar = SteadyScrollBar()
    qtbot.addWidget(bar)
    bar.resize(16, 200)
    bar.setRange(0, 1000)
    bar.setPageStep(10)
    bar.show()
    qtbot.waitExposed(bar)
    settle()
    paints = PaintRecorder(bar)
    bar.setRange(0, 1001)  # the handle is at its smallest already, and at the top: nothing moves
    settle()
    assert paints.rects == []
    bar.setRange(0, 20)  # a bigger handle
    settle()
    assert len(paints.rects) == 1
    assert on_screen(bar) == painted_afresh(bar)
    bar.setValue(20)
    settle()
    bar.setRange(0, 21)  # the handle, at the end of the range, moves up
    settle()
    assert on_screen(bar) == painted_afresh(bar)
