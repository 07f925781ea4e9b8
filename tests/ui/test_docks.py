"""The summary and problems docks follow the graph, and a click on a row selects its layer."""

from __future__ import annotations

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

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
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == ["input_1", "conv2d_1", "dense_1"]
    for row, node_id in enumerate([x, conv, dense]):
        click_row(table, table.visualItemRect(table.item(row, 1)))
        assert window.canvas.selected_node_ids() == [node_id]
        assert window.inspector.name.text() == window.project.graph.name(node_id)


def test_the_summary_follows_edits(window):
    x, conv, dense = broken_network(window)
    table = window.summary.table
    window.project.graph.set_params(x, shape=(1, 8, 8))
    row = [table.item(1, c).text() for c in range(table.columnCount())]
    assert row[:4] == ["conv2d_1", "Conv2D", "(8, 6, 6)", "80"]
    assert "<b>80</b> parameters" in window.summary.totals.text()
    window.project.graph.rename(conv, "features")
    assert table.item(1, 0).text() == "features"
    window.project.graph.remove_layer(dense)
    assert table.rowCount() == 2
