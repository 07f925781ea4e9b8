"""A guard against PySide6's refcount aborts: many moves of a card (its itemChange override runs each time).

PySide6 6.12.0 on Python 3.11 aborts the process ("Fatal Python error:
none_dealloc") after about 5,000 moves of an item that overrides itemChange.
The moves run in a child process, so an abort fails this test instead of
killing the test run.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    from PySide6.QtCore import QPointF
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    from designer.ui import MainWindow

    window = MainWindow()
    window.show()
    graph = window.project.graph
    x = graph.add_layer("Input", pos=(0, 0), shape=(4,))
    dense = graph.add_layer("Dense", pos=(300, 0))
    graph.connect(x, dense)
    card = window.canvas.node_items()[dense]
    wire = window.canvas.edge_items()[(x, dense, 0)]
    for i in range(20_000):
        card.setPos(QPointF(300 + i % 200, (i * 7) % 300))
        if i % 1000 == 999:
            app.processEvents()
    end = wire.path().elementAt(wire.path().elementCount() - 1)
    assert (end.x, end.y) == (card.input_port_pos(0).x(), card.input_port_pos(0).y()), "the wire did not follow"
    window.undo_stack.setClean()
    window.close()
    print("moved 20000 times")
""")


def test_twenty_thousand_moves_of_a_card_do_not_crash(tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", NN_DESIGNER_CONFIG_DIR=str(tmp_path / "config"))
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"exit code {result.returncode}\n{result.stderr[-3000:]}"
    assert "moved 20000 times" in result.stdout
