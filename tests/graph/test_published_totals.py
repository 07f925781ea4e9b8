"""Acceptance numbers: published networks built through the API give their published sizes.

Parameter counts are summed from the catalogue's weight arrays (kind.arrays), the
same place the summary table, the engine and the exporters take them from.
"""

from __future__ import annotations

import math

import pytest

from designer.graph import CATALOGUE, NetworkGraph
from tests.graph.published_networks import keras_mnist_cnn, lenet5, vgg16


def layer_params(g: NetworkGraph) -> dict[str, int]:
    """{layer name: number of values in its weight arrays}, read from the catalogue."""
    analysis = g.analysis()
    shapes = g.infer_shapes()
    counts = {}
    for node in g.topological_order():
        kind = CATALOGUE[g.kind(node)]
        arrays = kind.arrays(g.params(node), analysis.input_shapes[node], shapes[node])
        counts[g.name(node)] = sum(spec.size for spec in arrays.values())
    return counts


def shapes_by_name(g: NetworkGraph) -> dict[str, tuple[int, ...]]:
    shapes = g.infer_shapes()
    return {g.name(n): shapes[n] for n in g.topological_order()}


def test_keras_mnist_cnn_shapes_and_parameters():
    g = keras_mnist_cnn()
    assert g.validate() == []
    shapes = shapes_by_name(g)
    assert shapes == {
        "input_1": (1, 28, 28),
        "conv2d_1": (32, 26, 26),      # 28 - 3 + 1
        "conv2d_2": (64, 24, 24),      # 26 - 3 + 1
        "maxpool2d_1": (64, 12, 12),   # 24 / 2
        "dropout_1": (64, 12, 12),
        "flatten_1": (9216,),          # 64 * 12 * 12
        "dense_1": (128,),
        "dropout_2": (128,),
        "dense_2": (10,),
    }
    counts = layer_params(g)
    assert counts["conv2d_1"] == 320          # 32*1*3*3 + 32
    assert counts["conv2d_2"] == 18_496       # 64*32*3*3 + 64
    assert counts["dense_1"] == 1_179_776     # 9216*128 + 128
    assert counts["dense_2"] == 1_290         # 128*10 + 10
    assert sum(counts.values()) == 1_199_882  # the Keras example's "Total params"


@pytest.mark.parametrize("padding", ["same", 1])
def test_vgg16_parameters(padding):
    g = vgg16(padding)
    assert g.validate() == []
    counts = layer_params(g)
    assert len([n for n in g.nodes() if g.kind(n) == "Conv2D"]) == 13
    assert counts["conv2d_1"] == 1_792                # 64*3*9 + 64
    assert counts["conv2d_13"] == 2_359_808           # 512*512*9 + 512
    assert counts["dense_1"] == 102_764_544           # 25088*4096 + 4096, 25088 = 512*7*7
    assert counts["dense_2"] == 16_781_312            # 4096*4096 + 4096
    assert counts["dense_3"] == 4_097_000             # 4096*1000 + 1000
    assert sum(counts.values()) == 138_357_544
    shapes = shapes_by_name(g)
    assert shapes["maxpool2d_5"] == (512, 7, 7)
    assert shapes["flatten_1"] == (25_088,)
    assert shapes["dense_3"] == (1000,)


def test_vgg16_activation_elements_per_image():
    g = vgg16()
    total = sum(math.prod(shape) for shape in g.infer_shapes().values())
    # input 3*224*224                       150,528
    # block 1: 2 x 64*224*224 + pool 64*112*112     6,422,528 + 802,816
    # block 2: 2 x 128*112*112 + pool 128*56*56     3,211,264 + 401,408
    # block 3: 3 x 256*56*56 + pool 256*28*28       2,408,448 + 200,704
    # block 4: 3 x 512*28*28 + pool 512*14*14       1,204,224 + 100,352
    # block 5: 3 x 512*14*14 + pool 512*7*7           301,056 +  25,088
    # flatten 25,088; dense 4096 + 4096 + 1000
    assert total == 15_262_696
    assert 15.1e6 < total < 15.3e6


def test_lenet5_shapes_and_parameters():
    g = lenet5()
    assert g.validate() == []
    shapes = shapes_by_name(g)
    assert shapes["conv2d_1"] == (6, 28, 28)     # 28 + 2*2 - 5 + 1
    assert shapes["maxpool2d_1"] == (6, 14, 14)
    assert shapes["conv2d_2"] == (16, 10, 10)    # 14 - 5 + 1
    assert shapes["maxpool2d_2"] == (16, 5, 5)
    assert shapes["flatten_1"] == (400,)
    counts = layer_params(g)
    assert counts["conv2d_1"] == 156    # 6*1*25 + 6
    assert counts["conv2d_2"] == 2_416  # 16*6*25 + 16
    assert counts["dense_1"] == 48_120  # 400*120 + 120
    assert counts["dense_2"] == 10_164  # 120*84 + 84
    assert counts["dense_3"] == 850     # 84*10 + 10
    assert sum(counts.values()) == 61_706


def test_published_networks_are_fresh_graphs():
    # Each call builds a new graph, so a test that edits one cannot disturb another.
    a, b = lenet5(), lenet5()
    assert a is not b
    a.set_params(a.find("dense_3"), units=5)
    assert b.infer_shapes()[b.find("dense_3")] == (10,)
