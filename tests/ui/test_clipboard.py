"""Copy and paste between windows: the clipboard carries the graph's JSON, and pasting trusts none of it."""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData, QPoint, QPointF
from PySide6.QtGui import QCursor, QGuiApplication

from designer.graph import Edge
from designer.ui.canvas.editor import CLIPBOARD_MIME

from .helpers import show_all, snapshot


def source_window(make_window):
    window = make_window()
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(1, 28, 28))
    conv = graph.add_layer("Conv2D", pos=(260, 0), filters=6, kernel_size=5, padding=2, activation="relu")
    pool = graph.add_layer("MaxPool2D", pos=(520, 40))
    graph.connect(x, conv)
    graph.connect(conv, pool)
    return window, (x, conv, pool)


def target_window(make_window):
    window = make_window()
    graph = window.project.graph
    graph.add_layer("Conv2D", pos=(0, 0))  # conv2d_1 is taken here
    show_all(window)
    return window


def test_copy_and_paste_between_windows_keeps_the_inner_wires_and_makes_names_unique(make_window):
    a, (x, conv, pool) = source_window(make_window)
    b = target_window(make_window)
    a.canvas.select([conv, pool])
    a.copy_action.trigger()
    assert json.loads(QGuiApplication.clipboard().mimeData().text())["edges"] == [
        {"src": conv, "dst": pool, "dst_port": 0}]  # only the wire between the copied layers
    before = snapshot(b.project.graph)
    b.canvas.view.setFocus()
    viewport = b.canvas.view.viewport()
    cursor = QPoint(300, 200)
    QCursor.setPos(viewport.mapToGlobal(cursor))
    b.paste_action.trigger()
    graph = b.project.graph
    new = graph.nodes()[1:]
    assert [graph.name(n) for n in new] == ["conv2d_2", "maxpool2d_1"]  # conv2d_1 was taken
    assert graph.params(new[0]) == a.project.graph.params(conv)
    assert graph.edges() == [Edge(new[0], new[1], 0)]
    assert set(b.canvas.edge_items()) == {Edge(new[0], new[1], 0)}
    # at the cursor: the top-left layer lands there and the others keep their places around it
    at = b.canvas.view.mapToScene(cursor)
    assert graph.pos(new[0]) == (at.x(), at.y())
    assert graph.pos(new[1]) == (at.x() + 260, at.y() + 40)
    assert b.canvas.selected_node_ids() == new
    assert b.undo_stack.count() == 1
    b.undo_stack.undo()
    assert snapshot(graph) == before
    assert set(b.canvas.node_items()) == set(graph.nodes())
    # the source is untouched
    assert [a.project.graph.name(n) for n in a.project.graph.nodes()] == ["input_1", "conv2d_1", "maxpool2d_1"]


def test_paste_with_the_cursor_off_the_canvas_offsets_from_the_copy(make_window):
    a, (x, conv, pool) = source_window(make_window)
    a.canvas.select([conv])
    a.canvas.copy()
    QCursor.setPos(a.mapToGlobal(QPoint(2, 2)))  # over the menu bar, not the canvas
    a.paste_action.trigger()
    graph = a.project.graph
    assert graph.pos(graph.nodes()[-1]) == (300.0, 40.0)


def test_pasting_twice_without_a_cursor_offsets_each_copy(make_window):
    a, (x, conv, pool) = source_window(make_window)
    a.canvas.select([conv])
    a.canvas.copy()
    first = a.canvas.paste()
    second = a.canvas.paste()
    graph = a.project.graph
    assert [graph.name(n) for n in first + second] == ["conv2d_2", "conv2d_3"]
    assert graph.pos(first[0]) == (300.0, 40.0)
    assert graph.pos(second[0]) == (340.0, 80.0)


def test_paste_into_a_name_clash_counts_on_from_the_number(make_window):
    window = make_window()
    graph = window.project.graph
    d1 = graph.add_layer("Dense")
    graph.add_layer("Dense", name="encoder")
    window.canvas.select(graph.nodes())
    window.canvas.copy()
    pasted = window.canvas.paste()
    assert [graph.name(n) for n in pasted] == ["dense_2", "encoder_2"]
    assert graph.name(d1) == "dense_1"


def put_on_clipboard(data: bytes) -> None:
    mime = QMimeData()
    mime.setData(CLIPBOARD_MIME, data)
    QGuiApplication.clipboard().setMimeData(mime)


GOOD_NODE = {"id": "a", "kind": "Dense", "name": "d", "params": {}, "pos": [0, 0]}
HOSTILE = {
    "not json": b"this is not JSON",
    "not utf-8": b"\xff\xfe\x00{",
    "empty": b"",
    "a list": b"[1, 2, 3]",
    "nodes not a list": b'{"nodes": "everything"}',
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "deeply nested object": b'{"nodes": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
    "unknown kind": json.dumps({"nodes": [dict(GOOD_NODE, kind="os.system")]}).encode(),
    "bad name": json.dumps({"nodes": [dict(GOOD_NODE, name="../../etc/passwd")]}).encode(),
    "bad parameter": json.dumps({"nodes": [dict(GOOD_NODE, params={"units": -5})]}).encode(),
    "unknown parameter": json.dumps({"nodes": [dict(GOOD_NODE, params={"__class__": 1})]}).encode(),
    "NaN position": b'{"nodes": [{"id": "a", "kind": "Dense", "name": "d", "pos": [NaN, 0]}]}',
    "huge position": b'{"nodes": [{"id": "a", "kind": "Dense", "name": "d", "pos": [1e999, 0]}]}',
    "huge number": b'{"nodes": [{"id": "a", "kind": "Dense", "name": "d", "params": {"units": 1' + b"0" * 5000 + b"}}]}",
    "wire to nowhere": json.dumps({"nodes": [GOOD_NODE], "edges": [{"src": "a", "dst": "zzz"}]}).encode(),
    "two wires into one port": json.dumps({"nodes": [GOOD_NODE, dict(GOOD_NODE, id="b", name="e")],
                                          "edges": [{"src": "a", "dst": "b"}, {"src": "b", "dst": "b"}]}).encode(),
    "bad port": json.dumps({"nodes": [GOOD_NODE], "edges": [{"src": "a", "dst": "a", "dst_port": 10**9}]}).encode(),
}


def test_pasting_garbage_shows_a_message_and_changes_nothing(window):
    graph = window.project.graph
    graph.add_layer("Dense", name="d")
    before = snapshot(graph)
    for what, data in HOSTILE.items():  # one window for all: each paste must leave it as it was
        window.statusBar().clearMessage()
        put_on_clipboard(data)
        assert window.canvas.paste(QPointF(10, 10)) == [], what
        assert snapshot(graph) == before, what
        assert window.undo_stack.count() == 0, what
        message = window.statusBar().currentMessage()
        assert message.startswith("The clipboard's layers cannot be pasted: "), what
        assert message.endswith(".") and "Traceback" not in message and len(message) < 400, what


def test_pasting_text_that_is_not_layers_says_so(window):
    QGuiApplication.clipboard().setText('{"nodes": []}')
    assert window.canvas.paste() == []
    assert window.statusBar().currentMessage() == "The clipboard holds no layers to paste."
    assert window.undo_stack.count() == 0


def test_the_app_exits_cleanly_with_layers_on_the_clipboard(tmp_path):
    """PySide6 crashes at interpreter exit when a QMimeData made in Python is still on the clipboard."""
    import os
    import subprocess
    import sys

    script = (
        "from PySide6.QtWidgets import QApplication\n"
        "app = QApplication([])\n"
        "from designer.ui import MainWindow\n"
        "window = MainWindow()\n"
        "node = window.canvas.add_layer('Dense', pos=(0, 0))\n"
        "window.canvas.select([node])\n"
        "assert window.canvas.copy()\n"
        "window.undo_stack.setClean()\n"
        "window.close()\n"
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NN_DESIGNER_CONFIG_DIR=str(tmp_path))
    result = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, (result.returncode, result.stderr[-500:])
