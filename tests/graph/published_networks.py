"""Builders for published networks whose sizes are well known, for tests in any folder.

Each function returns a fresh NetworkGraph made through the public API, wired as
one chain from its Input to its last layer, with the automatic layer names
(`conv2d_1`, `dense_2`, ...). Import them in a test as

    from tests.graph.published_networks import keras_mnist_cnn, lenet5, vgg16

which works because pytest's importlib mode imports every test module as a
part of the `tests` namespace package rooted at the repository (see the
`--import-mode=importlib` in pyproject.toml); no `pythonpath` setting is needed.

Published totals (trainable parameters, all layers):
    keras_mnist_cnn  1,199,882   (Keras example "mnist_cnn")
    vgg16          138,357,544   (Simonyan & Zisserman, configuration D; Keras VGG16 with top)
    lenet5              61,706   (LeCun et al. 1998 as usually rebuilt for 28x28 MNIST)
"""

from __future__ import annotations

from typing import Any

from designer.graph import NetworkGraph


def chain(g: NetworkGraph, layers: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Add the layers in order, wiring each into the next; returns their node ids."""
    ids: list[str] = []
    for kind, params in layers:
        node = g.add_layer(kind, **params)
        if ids:
            g.connect(ids[-1], node)
        ids.append(node)
    return ids


def keras_mnist_cnn() -> NetworkGraph:
    """Input (1, 28, 28) -> Conv 32 3x3 -> Conv 64 3x3 -> MaxPool 2 -> Dropout -> Flatten -> Dense 128 -> Dropout -> Dense 10."""
    g = NetworkGraph()
    chain(g, [
        ("Input", {"shape": (1, 28, 28)}),
        ("Conv2D", {"filters": 32, "kernel_size": 3, "activation": "relu"}),
        ("Conv2D", {"filters": 64, "kernel_size": 3, "activation": "relu"}),
        ("MaxPool2D", {"pool_size": 2}),
        ("Dropout", {"rate": 0.25}),
        ("Flatten", {}),
        ("Dense", {"units": 128, "activation": "relu"}),
        ("Dropout", {"rate": 0.5}),
        ("Dense", {"units": 10, "activation": "softmax"}),
    ])
    return g


def vgg16(padding: int | str = "same") -> NetworkGraph:
    """VGG16 with its classifier on (3, 224, 224): 13 3x3 convolutions in 5 blocks, then 4096, 4096, 1000."""
    g = NetworkGraph()
    layers: list[tuple[str, dict[str, Any]]] = [("Input", {"shape": (3, 224, 224)})]
    for filters, convs in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        for _ in range(convs):
            layers.append(("Conv2D", {"filters": filters, "kernel_size": 3, "padding": padding,
                                      "activation": "relu"}))
        layers.append(("MaxPool2D", {"pool_size": 2}))
    layers += [
        ("Flatten", {}),
        ("Dense", {"units": 4096, "activation": "relu"}),
        ("Dense", {"units": 4096, "activation": "relu"}),
        ("Dense", {"units": 1000, "activation": "softmax"}),
    ]
    chain(g, layers)
    return g


def lenet5() -> NetworkGraph:
    """LeNet-5 on 28x28 MNIST: the first convolution pads by 2 to see the paper's 32x32."""
    g = NetworkGraph()
    chain(g, [
        ("Input", {"shape": (1, 28, 28)}),
        ("Conv2D", {"filters": 6, "kernel_size": 5, "padding": 2, "activation": "tanh"}),
        ("MaxPool2D", {"pool_size": 2}),
        ("Conv2D", {"filters": 16, "kernel_size": 5, "activation": "tanh"}),
        ("MaxPool2D", {"pool_size": 2}),
        ("Flatten", {}),
        ("Dense", {"units": 120, "activation": "tanh"}),
        ("Dense", {"units": 84, "activation": "tanh"}),
        ("Dense", {"units": 10, "activation": "softmax"}),
    ])
    return g
