"""LiveSummary: after any edits, its rows are exactly summary()'s, and it reports only the rows that changed."""

import random

from designer import NetworkGraph
from designer.analysis import LiveSummary, summary


def chain():
    """Input (4,) -> Dense 8 -> Dense 3."""
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    h = g.add_layer("Dense", units=8)
    y = g.add_layer("Dense", units=3)
    g.connect(x, h)
    g.connect(h, y)
    return g, x, h, y


def following(g):
    live = LiveSummary(g)
    g.subscribe(live.note)
    live.update()
    return live


def test_an_unwired_layer_adds_its_row_and_changes_no_other():
    g, x, h, y = chain()
    live = following(g)
    new = g.add_layer("Dense", units=5)
    changes = live.update()
    assert changes.added == {new} and not changes.removed and not changes.changed
    assert live.rows == summary(g).rows
    g.remove_layer(new)
    changes = live.update()
    assert changes.removed == {new} and not changes.added and not changes.changed
    assert live.rows == summary(g).rows


def test_an_edit_changes_the_rows_downstream_whose_numbers_change():
    g, x, h, y = chain()
    live = following(g)
    g.set_params(h, units=16)  # dense_1's shape and count, and dense_2's count
    changes = live.update()
    assert changes.changed == {h, y} and changes.before == changes.after
    assert live.rows == summary(g).rows
    g.set_params(h, activation="relu")  # no number changes, but the row is worked out again
    assert live.update().changed == set()


def test_a_rename_changes_the_rows_that_list_it_as_an_input():
    g, x, h, y = chain()
    live = following(g)
    g.rename(h, "hidden")
    assert live.update().changed == {h, y}
    assert [row.inputs for row in live.rows] == [(), ("input_1",), ("hidden",)]


def test_wiring_a_layer_added_later_before_an_earlier_one_reorders_the_rows():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    first = g.add_layer("Dense", units=8)
    later = g.add_layer("Dense", units=2)
    live = following(g)
    g.connect(x, later)
    g.connect(later, first)
    changes = live.update()
    assert changes.before == (x, first, later) and changes.after == (x, later, first)
    assert changes.changed == {first, later}
    assert live.rows == summary(g).rows


def test_random_edits_keep_the_rows_and_totals_equal_to_a_fresh_summary():
    rng = random.Random(7)
    g = NetworkGraph()
    live = following(g)
    kinds = ["Dense", "Dense", "Add", "Flatten", "Dropout", "Input", "Concat"]
    for step in range(400):
        nodes = g.nodes()
        action = rng.random()
        if action < 0.3 or len(nodes) < 3:
            params = {"units": rng.choice([2, 3, 8])} if rng.random() < 0.5 else {}
            kind = rng.choice(kinds)
            g.add_layer(kind, **(params if kind == "Dense" else {}))
        elif action < 0.6:
            src, dst = rng.choice(nodes), rng.choice(nodes)
            port = g.free_port(dst)
            if g.can_connect(src, dst, port) is None:
                g.connect(src, dst, port)
        elif action < 0.7 and g.edges():
            g.disconnect(*rng.choice(g.edges()))
        elif action < 0.8:
            dense = [n for n in nodes if g.kind(n) == "Dense"]
            if dense:
                g.set_params(rng.choice(dense), units=rng.choice([1, 4, 9]))
        elif action < 0.9:
            node = rng.choice(nodes)
            g.rename(node, f"layer_{step}")
        else:
            g.remove_layer(rng.choice(nodes))
        if rng.random() < 0.5:  # sometimes several edits come between two updates
            continue
        before = [row.id for row in live.rows]
        changes = live.update()
        fresh = summary(g)
        assert changes.before == tuple(before)
        assert live.rows == fresh.rows, f"step {step}"
        shown = live.summary()
        assert (shown.total_params, shown.mult_adds, shown.activations, shown.complete) == \
            (fresh.total_params, fresh.mult_adds, fresh.activations, fresh.complete)
