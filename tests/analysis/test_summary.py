"""The summary table: per-layer costs, totals and memory, checked against hand-computed numbers."""

import pytest

from designer import NetworkGraph
from designer.analysis import format_bytes, summary


def mlp_with_batchnorm():
    """Input (4,) -> Dense 8 -> BatchNorm -> Dense 3."""
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    h = g.add_layer("Dense", units=8, activation="relu")
    n = g.add_layer("BatchNorm")
    y = g.add_layer("Dense", units=3, use_bias=False)
    g.connect(x, h)
    g.connect(h, n)
    g.connect(n, y)
    return g


def test_rows_in_execution_order_with_costs():
    g = mlp_with_batchnorm()
    rows = {row.name: row for row in summary(g).rows}
    assert list(rows) == ["input_1", "dense_1", "batchnorm_1", "dense_2"]
    assert rows["dense_1"].output_shape == (8,)
    assert (rows["dense_1"].trainable_params, rows["dense_1"].non_trainable_params) == (40, 0)  # 4*8 + 8
    assert (rows["batchnorm_1"].trainable_params, rows["batchnorm_1"].non_trainable_params) == (16, 16)
    assert rows["dense_2"].params == 24  # 8*3, no bias
    assert rows["dense_1"].mult_adds == 32
    assert rows["batchnorm_1"].mult_adds == 8
    assert rows["dense_1"].inputs == ("input_1",)


def test_totals_and_bytes():
    s = summary(mlp_with_batchnorm())
    assert (s.total_params, s.trainable_params, s.non_trainable_params) == (96, 80, 16)
    assert s.mult_adds == 32 + 8 + 24
    assert s.activations == 4 + 8 + 8 + 3
    assert s.param_bytes == 96 * 4
    assert s.activation_bytes == 23 * 4
    assert s.complete and s.problems == []


@pytest.mark.parametrize("optimizer, momentum, slots", [
    ("sgd", 0.0, 0), ("sgd", 0.9, 1), ("adam", 0.0, 2), ("adamw", 0.0, 2), ("rmsprop", 0.0, 1), ("adagrad", 0.0, 1),
])
def test_training_memory(optimizer, momentum, slots):
    s = summary(mlp_with_batchnorm())
    # all 96 weights, gradients and optimizer slots for the 80 trainable ones, 23 activations per sample
    expected = (96 + 80 * (1 + slots) + 23 * 32) * 4
    assert s.training_bytes(32, optimizer, momentum) == expected
    assert s.to_dict(32, optimizer, momentum)["training_bytes"] == expected


def test_unknown_optimizer_and_bad_batch_are_sentences():
    s = summary(mlp_with_batchnorm())
    with pytest.raises(ValueError, match="'lbfgs' is not an optimizer NN Designer knows; choose one of sgd"):
        s.training_bytes(32, "lbfgs")
    with pytest.raises(ValueError, match="batch size must be at least 1"):
        s.training_bytes(0)


def test_incomplete_graph_marks_unknown_rows_and_lists_problems():
    g = NetworkGraph()
    x = g.add_layer("Input", shape=(3, 8, 8))
    d = g.add_layer("Dense", units=4)
    g.connect(x, d)
    s = summary(g)
    row = s.rows[1]
    assert row.output_shape is None and row.params is None and row.mult_adds is None
    assert not s.complete
    assert s.total_params == 0 and s.activations == 3 * 8 * 8
    assert s.problems == ["dense_1 needs a flat input but gets (3, 8, 8); put a Flatten before it."]
    text = s.to_text()
    assert "dense_1 (Dense)" in text and "Incomplete" in text and "put a Flatten before it" in text
    assert s.to_dict()["layers"][1]["output_shape"] is None


def test_cyclic_graph_still_summarises():
    g = NetworkGraph()
    a = g.add_layer("Dense")
    b = g.add_layer("Dense")
    g.connect(a, b)
    g.connect(b, a)
    s = summary(g)
    assert [r.name for r in s.rows] == ["dense_1", "dense_2"]
    assert any("loop" in p for p in s.problems)


def test_text_table_for_a_chain_and_for_a_branched_graph():
    chain_text = summary(mlp_with_batchnorm(), "mlp").to_text(batch_size=8, optimizer="adam")
    lines = chain_text.splitlines()
    assert lines[0] == 'Model: "mlp"'
    assert "Connected to" not in chain_text
    assert any(line.startswith("Training memory (batch 8, adam): about") for line in lines)
    assert "Total params: 96 (384 B)" in chain_text

    g = NetworkGraph()
    x = g.add_layer("Input", shape=(4,))
    a = g.add_layer("Dense", units=4)
    s = g.add_layer("Add")
    g.connect(x, a)
    g.connect(x, s, 0)
    g.connect(a, s, 1)
    branched = summary(g).to_text()
    assert "Connected to" in branched
    add_line = next(line for line in branched.splitlines() if line.strip().startswith("add_1"))
    assert add_line.rstrip().endswith("input_1, dense_1")


def test_columns_line_up():
    lines = summary(mlp_with_batchnorm()).to_text().splitlines()
    header = lines[2]
    rows = lines[4:8]
    column = header.index("Param #") + len("Param #")
    for row in rows:  # numbers are right-aligned under their header
        assert row[column - 1].isdigit()


@pytest.mark.parametrize("count, text", [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (61_050_784, "61.1 MB"),
                                         (553_430_176, "553.4 MB"), (4 * 10**12, "4.0 TB")])
def test_format_bytes(count, text):
    assert format_bytes(count) == text
