"""Build the example projects in this folder: `python resources/examples/build.py`.

The examples are generated, not edited by hand, so that they can be made
again whenever the file format changes. Each one is a network from the
classic teaching material, with a title and a description that says what it
teaches and what to expect.
"""

from __future__ import annotations

from pathlib import Path

from designer import NetworkGraph, Project

HERE = Path(__file__).resolve().parent
SPACING = 220.0


def chain(input_shape: tuple[int, ...], layers: list[tuple[str, dict]]) -> NetworkGraph:
    """A graph of layers wired one after another, laid out left to right."""
    graph = NetworkGraph()
    previous = graph.add_layer("Input", pos=(0.0, 0.0), shape=input_shape)
    for step, (kind, params) in enumerate(layers, start=1):
        node = graph.add_layer(kind, pos=(step * SPACING, 0.0), **params)
        graph.connect(previous, node)
        previous = node
    return graph


def keras_mnist_cnn() -> Project:
    graph = chain((1, 28, 28), [
        ("Conv2D", dict(filters=32, kernel_size=3, activation="relu")),
        ("Conv2D", dict(filters=64, kernel_size=3, activation="relu")),
        ("MaxPool2D", dict(pool_size=2)),
        ("Dropout", dict(rate=0.25)),
        ("Flatten", {}),
        ("Dense", dict(units=128, activation="relu")),
        ("Dropout", dict(rate=0.5)),
        ("Dense", dict(units=10, activation="softmax")),
    ])
    return Project(
        graph=graph,
        title="Keras MNIST CNN",
        description=(
            "The convolutional network of the Keras MNIST example: two 3x3 convolutions, max pooling, "
            "dropout and two dense layers. Open the summary to see where its 1,199,882 parameters live: "
            "1,179,776 of them (98%) sit in the first Dense layer, after the Flatten of a (64, 12, 12) "
            "feature map, while the convolutions that do most of the arithmetic own fewer than 19,000."
        ),
    )


def vgg16() -> Project:
    layers: list[tuple[str, dict]] = []
    for filters, repeats in ((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)):
        layers += [("Conv2D", dict(filters=filters, kernel_size=3, padding="same", activation="relu"))] * repeats
        layers.append(("MaxPool2D", dict(pool_size=2)))
    layers += [
        ("Flatten", {}),
        ("Dense", dict(units=4096, activation="relu")),
        ("Dense", dict(units=4096, activation="relu")),
        ("Dense", dict(units=1000, activation="softmax")),
    ]
    return Project(
        graph=chain((3, 224, 224), layers),
        title="VGG16",
        description=(
            "VGG16 (Simonyan and Zisserman, 2014) for its cost accounting, as in the CS231n notes: "
            "138,357,544 parameters, 102,764,544 of them in the first Dense layer, and about 15.2 million "
            "activation values (61 MB at float32) for one 224x224 image going forward, most of them in the "
            "early convolutions. Set a batch size in the summary to see what training would need. "
            "It is not meant to be trained here."
        ),
    )


def lenet5() -> Project:
    graph = chain((1, 28, 28), [
        ("Conv2D", dict(filters=6, kernel_size=5, padding=2, activation="tanh")),
        ("AvgPool2D", dict(pool_size=2)),
        ("Conv2D", dict(filters=16, kernel_size=5, activation="tanh")),
        ("AvgPool2D", dict(pool_size=2)),
        ("Flatten", {}),
        ("Dense", dict(units=120, activation="tanh")),
        ("Dense", dict(units=84, activation="tanh")),
        ("Dense", dict(units=10, activation="softmax")),
    ])
    return Project(
        graph=graph,
        title="LeNet-5",
        description=(
            "LeCun's LeNet-5 on 28x28 digits (the first convolution padded by 2 to give the original 32x32 "
            "field): 61,706 parameters. Compare its summary with the Keras CNN's: twenty times fewer "
            "parameters, because pooling shrinks the image before the dense layers."
        ),
    )


EXAMPLES = {
    "keras_mnist_cnn.nnproj": keras_mnist_cnn,
    "vgg16.nnproj": vgg16,
    "lenet5.nnproj": lenet5,
}


def main() -> None:
    for filename, build in EXAMPLES.items():
        build().save(HERE / filename)
        print(f"wrote {filename}")


if __name__ == "__main__":
    main()
