"""Build the example projects in this folder: `python resources/examples/build.py`.

The examples are generated, not edited by hand, so that they can be made
again whenever the file format changes. Each one is a network from the
classic teaching material, with a title and a description that says what it
teaches and what to expect.
"""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import numpy as np

from designer import NetworkGraph, Project
from designer.data import DatasetSpec, Normaliser
from designer.engine.settings import TrainingSettings
from designer.graph.layout import layered_layout

HERE = Path(__file__).resolve().parent
INDEX = "index.json"  # the examples in teaching order, for the start page's gallery


def laid_out(graph: NetworkGraph) -> NetworkGraph:
    """The graph with its layers placed by the app's own auto layout (left to right)."""
    for node_id, pos in layered_layout(graph).items():
        graph.move(node_id, pos)
    return graph


def chain(input_shape: tuple[int, ...], layers: list[tuple[str, dict]]) -> NetworkGraph:
    """A graph of layers wired one after another, laid out left to right."""
    graph = NetworkGraph()
    previous = graph.add_layer("Input", shape=input_shape)
    for kind, params in layers:
        node = graph.add_layer(kind, **params)
        graph.connect(previous, node)
        previous = node
    return laid_out(graph)


def builtin_data(name: str, train: float = 0.7, validation: float = 0.15, test: float = 0.15,
                 normalise: str = "none", **options) -> dict:
    """A project's data set: a built-in set, its split (seed 0) and its normaliser, checked as the app checks it."""
    spec = DatasetSpec(source="builtin", name=name, options=options, train=train, validation=validation, test=test,
                       normaliser=Normaliser(normalise))
    return spec.to_dict()


def training(**settings) -> dict:
    """A project's training settings, every one written out (checked as the app checks them)."""
    return TrainingSettings.from_dict(settings).to_dict()


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
            "feature map, while the convolutions that do most of the arithmetic own fewer than 19,000.\n\n"
            "It has no data set yet: MNIST is not bundled. To train it, download the MNIST training files "
            "(train-images-idx3-ubyte.gz and train-labels-idx1-ubyte.gz), choose them as the data set "
            "(Data > Choose Data Set) and start training; the settings are the Keras example's batch of 128 "
            "and 12 epochs, with Adam. Expect about 99% test accuracy, and expect it to take a while on a CPU: "
            "each image costs 12 million multiply-adds going forward and about twice that going back."
        ),
        training=training(loss="cross_entropy", optimizer="adam", lr=0.001, batch_size=128, epochs=12),
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
            "parameters, because pooling shrinks the image before the dense layers.\n\n"
            "Like the Keras CNN it has no data set until you choose the MNIST IDX files (images and labels) "
            "as its data set; then it trains with Adam in 10 epochs to about 98-99% test accuracy. "
            "For a LeNet that trains in seconds on bundled data, open Digits LeNet."
        ),
        training=training(loss="cross_entropy", optimizer="adam", lr=0.001, batch_size=64, epochs=10),
    )


def hopfield_letters() -> Project:
    import numpy as np

    from designer.data.letters import pattern
    from designer.engine.hopfield import HopfieldNetwork, store_in_project

    letters = "AJLTX"
    graph = NetworkGraph()
    graph.add_layer("Hopfield", name="letters", pos=(0.0, 0.0), shape=(10, 10), rule="hebbian")
    project = Project(
        graph=graph,
        title="Hopfield letters",
        description=(
            "A Hopfield network of 100 neurons (a 10 x 10 grid) holding five letters, A, J, L, T and X, "
            "stored with the Hebbian rule. Its workspace opens with the project. Double-click a stored "
            "letter to put it in the editor, set the noise to 20% and press Corrupt, then Recall: the state "
            "slides downhill in energy, flip by flip, and about 49 starts in 50 end on the letter again "
            "(overlap 1). At 40% noise fewer than half do; the others end in a mixture of letters or a "
            "spurious state, which the run's last line names. Mask the bottom half of the A and recall a few "
            "times: about half the runs complete the A, the others settle into a mixture of A, J and L "
            "(the random order of the updates decides). Then add C, E and O (Letter..., Add current) and recall the clean "
            "A: eight letters that share strokes overload the Hebbian memory, and the A falls into the O. "
            "Switch the rule to pseudoinverse and every letter is a fixed point again. The Capacity tab "
            "shows the same collapse for random patterns near 0.138 N."
        ),
    )
    store_in_project(project, HopfieldNetwork(100, (10, 10)), np.stack([pattern(c) for c in letters]))
    return project


def perceptron() -> Project:
    graph = chain((3,), [("Dense", dict(units=1, activation="sigmoid", use_bias=False))])
    return Project(
        graph=graph,
        title="Perceptron: one neuron",
        description=(
            "The smallest network there is: one sigmoid neuron with three weights and no bias, as in the "
            "\"neural network in 9 lines of Python\" lesson. Its four training samples have three inputs "
            "each, and the answer is always the first input; the third input is always 1, so its weight "
            "plays the part of a bias.\n\n"
            "Train it (mean squared error, SGD with learning rate 2.0, all four samples in one batch, "
            "10,000 epochs; under a second). The loss falls below 0.0001. Then ask it about [1, 0, 0], a "
            "sample it has never seen: it answers above 0.99, because it has learnt that the first input "
            "decides (nn-designer predict FILE --input 1,0,0). Look at the weights: the first is large and "
            "positive (about 9.7), the second close to 0, and the third (the bias) negative (about -4.6)."
        ),
        dataset=builtin_data("single_neuron", train=1.0, validation=0.0, test=0.0),
        training=training(loss="mse", optimizer="sgd", lr=2.0, batch_size=4, epochs=10_000),
    )


def gender() -> Project:
    graph = chain((2,), [
        ("Dense", dict(units=2, activation="sigmoid")),
        ("Dense", dict(units=1, activation="sigmoid")),
    ])
    return Project(
        graph=graph,
        title="Gender: a first hidden layer (2-2-1)",
        description=(
            "The 2-2-1 network of \"an introduction to neural networks\": two inputs (weight and height, "
            "shifted toward zero), a hidden layer of two sigmoid neurons and one sigmoid output that says "
            "female (1) or male (0). It is trained by backpropagation on six people, one at a time.\n\n"
            "Train it (mean squared error, SGD with learning rate 0.1, batch 1, 1000 epochs; about a "
            "second). The loss ends near 0.002. Then ask about two new people: Emily [47, 11] comes out "
            "above 0.9 (female) and Frank [-23, -5] below 0.1 (male) "
            "(nn-designer predict FILE --input 47,11 --input=-23,-5). Try a learning rate of 1 or 0.01 "
            "and watch how the loss curve changes."
        ),
        dataset=builtin_data("gender", train=1.0, validation=0.0, test=0.0),
        training=training(loss="mse", optimizer="sgd", lr=0.1, batch_size=1, epochs=1000),
    )


def xor() -> Project:
    graph = chain((2,), [
        ("Dense", dict(units=4, activation="tanh")),
        ("Dense", dict(units=1, activation="sigmoid")),
    ])
    return Project(
        graph=graph,
        title="XOR: why hidden layers",
        description=(
            "XOR is 1 when exactly one of its two inputs is 1. No single neuron can learn it, because no "
            "straight line separates the two 1s from the two 0s (Minsky and Papert, 1969); a hidden layer of "
            "four tanh neurons bends the boundary.\n\n"
            "Train it (binary cross-entropy, SGD with learning rate 0.5, 1000 epochs; a fraction of a "
            "second): it reaches 100% accuracy on the four cases. Watch the Decision Boundary panel while it "
            "trains: the plane splits into two bands. Then try: delete the hidden layer and wire the input "
            "straight to the output; it never gets past 75%."
        ),
        dataset=builtin_data("logic_gate", train=1.0, validation=0.0, test=0.0, gate="xor", kind="classification"),
        training=training(loss="binary_cross_entropy", optimizer="sgd", lr=0.5, batch_size=4, epochs=1000),
    )


def spirals() -> Project:
    graph = chain((2,), [
        ("Dense", dict(units=16, activation="tanh")),
        ("Dense", dict(units=16, activation="tanh")),
        ("Dense", dict(units=2, activation="softmax")),
    ])
    return Project(
        graph=graph,
        title="Two spirals",
        description=(
            "The two-spiral problem (Lang and Witbrock, 1988): 400 points on two spirals wound around each "
            "other, one class each. A network needs two hidden layers to draw a boundary that winds between "
            "them; here each has 16 tanh neurons.\n\n"
            "Train it (cross-entropy, Adam with learning rate 0.02, 300 epochs; about a second) and watch "
            "the Decision Boundary panel: first a straight cut, then a wave, then two interlocking arms. "
            "Expect a test accuracy of about 100%. Try one hidden layer instead of two, or 4 neurons instead "
            "of 16, and see the boundary fail to wind."
        ),
        dataset=builtin_data("spirals", normalise="standardise"),
        training=training(loss="cross_entropy", optimizer="adam", lr=0.02, batch_size=32, epochs=300),
    )


def rbf_sine() -> Project:
    graph = chain((1,), [("RBF", dict(units=10)), ("Dense", dict(units=1))])
    return Project(
        graph=graph,
        title="RBF network: fitting a sine",
        description=(
            "A radial basis function network: ten Gaussian bumps, each answering by how close x is to its "
            "centre, added up by one linear neuron. Centres, widths and output weights all learn. The data "
            "are 200 noisy samples of y = sin(x) for x from -pi to pi (noise 0.1).\n\n"
            "Train it (mean squared error, Adam with learning rate 0.05, 200 epochs; under a second). The "
            "test loss ends near 0.013, about the noise's own variance (0.01): the curve is fitted and the "
            "noise is not. Look at the RBF layer's weights to see where the centres settled; try 3 units "
            "(too few bumps for a whole wave) or 50."
        ),
        dataset=builtin_data("sine", normalise="standardise"),
        training=training(loss="mse", optimizer="adam", lr=0.05, batch_size=16, epochs=200),
    )


def digits_mlp() -> Project:
    graph = chain((64,), [
        ("Dense", dict(units=128, activation="relu")),
        ("Dense", dict(units=256, activation="relu")),
        ("Dense", dict(units=10, activation="softmax")),
    ])
    return Project(
        graph=graph,
        title="Digits MLP",
        description=(
            "The MNIST multilayer perceptron of the classic tutorials (hidden layers of 128 and 256 ReLU "
            "neurons, a softmax output, cross-entropy and plain SGD), on the bundled 8x8 handwritten digits "
            "given as vectors of 64 pixels, standardised.\n\n"
            "Train it (SGD with learning rate 0.1, batch 32, 30 epochs; a few seconds). Training accuracy "
            "reaches 100% and test accuracy about 97% (at least 95%). The gap between the two is "
            "overfitting: 43,914 parameters for 1,257 training images. Try a learning rate of 0.01, or "
            "compare with Digits LeNet, which sees the pixels as an image."
        ),
        dataset=builtin_data("digits", normalise="standardise", flat=True),
        training=training(loss="cross_entropy", optimizer="sgd", lr=0.1, batch_size=32, epochs=30),
    )


def residual_mlp() -> Project:
    graph = NetworkGraph()
    inputs = graph.add_layer("Input", shape=(64,))
    stem = graph.add_layer("Dense", units=64, activation="relu")
    inner = graph.add_layer("Dense", units=64, activation="relu")
    outer = graph.add_layer("Dense", units=64)
    add = graph.add_layer("Add")
    relu = graph.add_layer("Activation", function="relu")
    output = graph.add_layer("Dense", units=10, activation="softmax")
    for src, dst in ((inputs, stem), (stem, inner), (inner, outer), (add, relu), (relu, output)):
        graph.connect(src, dst)
    graph.connect(stem, add, 0)  # the skip connection
    graph.connect(outer, add, 1)
    laid_out(graph)
    for node in (inner, outer):  # the block's branch one row down, so the skip wire runs clear above it
        x, y = graph.pos(node)
        graph.move(node, (x, y + 110.0))
    return Project(
        graph=graph,
        title="Skip connection (residual block)",
        description=(
            "A residual block as in ResNet (He et al., 2015), in an MLP: the two Dense layers in the middle "
            "learn only a correction F(x), and the Add layer gives x + F(x) by a wire that skips them. The "
            "skip lets gradients reach the early layers undiminished, which is what lets very deep networks "
            "train. Add needs both inputs to have the same shape, so the block keeps 64 features.\n\n"
            "Train it on the 8x8 digits (cross-entropy, Adam with learning rate 0.001, 20 epochs; about a "
            "second): test accuracy about 97%. Try: delete the skip wire and wire the second Dense straight "
            "on; stack more blocks and watch the Gradients panel."
        ),
        dataset=builtin_data("digits", normalise="standardise", flat=True),
        training=training(loss="cross_entropy", optimizer="adam", lr=0.001, batch_size=32, epochs=20),
    )


def digits_lenet() -> Project:
    graph = chain((1, 8, 8), [
        ("Conv2D", dict(filters=16, kernel_size=3, padding=1, activation="relu")),
        ("MaxPool2D", dict(pool_size=2)),
        ("Conv2D", dict(filters=32, kernel_size=3, padding=1, activation="relu")),
        ("Flatten", {}),
        ("Dense", dict(units=120, activation="relu")),
        ("Dense", dict(units=84, activation="relu")),
        ("Dense", dict(units=10, activation="softmax")),
    ])
    return Project(
        graph=graph,
        title="Digits LeNet",
        description=(
            "A LeNet-style convolutional network made for the bundled 8x8 digits: 3x3 convolutions (padded, "
            "so an 8x8 image stays 8x8), one max pooling to 4x4 (a second would leave only 2x2) and LeNet's "
            "dense layers of 120 and 84. The convolutions share their weights across the image, so it "
            "learns strokes wherever they are.\n\n"
            "Train it (cross-entropy, SGD with momentum 0.9, learning rate 0.02 falling on a cosine, 20 "
            "epochs; a few seconds): test accuracy about 98-99% (at least 97%), above the Digits MLP's. "
            "Select the first Conv2D and look at its filters and its feature maps for a digit in the Filters "
            "panel."
        ),
        dataset=builtin_data("digits", normalise="standardise"),
        training=training(loss="cross_entropy", optimizer="sgd", lr=0.02, momentum=0.9, batch_size=32, epochs=20,
                          schedule={"kind": "cosine"}),
    )


def elman_sine() -> Project:
    graph = chain((20, 1), [("SimpleRNN", dict(units=16)), ("Dense", dict(units=1))])
    return Project(
        graph=graph,
        title="Elman network: the next value of a wave",
        description=(
            "An Elman recurrent network (Elman, 1990): a hidden state of 16 tanh units is fed back into "
            "itself at every step, so after reading 20 values of a sine wave it holds the wave's phase and "
            "frequency, and a linear neuron reads off the next value. Each sample is a window of a sine wave "
            "of its own phase and frequency.\n\n"
            "Train it (mean squared error, Adam with learning rate 0.01, 20 epochs; a second or so): the "
            "test loss falls below 0.001, an error of a few hundredths on values from -1 to 1. Try windows "
            "of 3 steps (set the data set's length and the Input shape to (3, 1)), or the parity data set, "
            "which a small Elman network finds very hard."
        ),
        dataset=builtin_data("sine_next", length=20),
        training=training(loss="mse", optimizer="adam", lr=0.01, batch_size=32, epochs=20),
    )


EDGE_FOLDER = "edge_detection_image"  # an image-folder data set: one class folder holding the picture
EDGE_IMAGE = f"{EDGE_FOLDER}/shapes/shapes.png"
EDGE_SIZE = (120, 160)  # height, width


def shapes_image() -> np.ndarray:
    """The edge detector's test picture, (height, width, 3) bytes: a few flat-coloured shapes on a
    soft background, drawn here (4x supersampled) so that the picture is ours to ship."""
    scale = 4
    height, width = EDGE_SIZE[0] * scale, EDGE_SIZE[1] * scale
    y, x = np.mgrid[0:height, 0:width] / scale + 0.5 / scale  # pixel centres in output pixels
    image = np.empty((height, width, 3))
    image[:] = np.array([0.80, 0.88, 0.97])  # pale sky
    image[y > 88] = np.array([0.42, 0.62, 0.35])  # grass
    sun = (x - 128) ** 2 + (y - 26) ** 2 < 15 ** 2
    image[sun] = np.array([0.98, 0.80, 0.20])
    house = (x > 22) & (x < 70) & (y > 52) & (y < 100)
    image[house] = np.array([0.78, 0.30, 0.25])
    roof = (y > 28) & (y <= 52) & (np.abs(x - 46) < (y - 28) * 1.1)
    image[roof] = np.array([0.35, 0.22, 0.18])
    door = (x > 40) & (x < 52) & (y > 76) & (y < 100)
    image[door] = np.array([0.20, 0.16, 0.30])
    window = (x > 28) & (x < 38) & (y > 60) & (y < 70)
    image[window] = np.array([0.95, 0.95, 0.85])
    tree = (x - 108) ** 2 / 14 ** 2 + (y - 62) ** 2 / 20 ** 2 < 1
    image[tree] = np.array([0.15, 0.45, 0.20])
    trunk = (x > 105) & (x < 111) & (y > 80) & (y < 98)
    image[trunk] = np.array([0.45, 0.30, 0.15])
    image = image.reshape(EDGE_SIZE[0], scale, EDGE_SIZE[1], scale, 3).mean(axis=(1, 3))
    return np.round(image * 255).astype(np.uint8)


def png_bytes(pixels: np.ndarray) -> bytes:
    """An RGB PNG of (height, width, 3) bytes, written with the standard library only."""
    height, width, _ = pixels.shape

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\0" + pixels[row].tobytes() for row in range(height))  # filter 0 on every row
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def edge_kernels(size: int = 9, sigma: float = 2.0, gain: float = 2.0) -> np.ndarray:
    """Two size x size edge filters, (2, 3, size, size): Sobel's idea (smooth across, differentiate along)
    grown to 9x9 as derivatives of a Gaussian. Filter 0 answers to vertical edges (left to right changes),
    filter 1 to horizontal ones; each takes the same kernel on the red, green and blue channels, scaled so
    that a full step from black to white gives about +-3 * gain before the sigmoid."""
    r = np.arange(size) - size // 2
    gauss = np.exp(-(r ** 2) / (2 * sigma ** 2))
    across = gauss / gauss.sum()
    along = -r * gauss  # a smoothed derivative: negative on the left, positive on the right
    along = along / along[r > 0].sum() * gain
    vertical = np.outer(across, along)  # rows: smoothing; columns: derivative
    kernels = np.stack([vertical, vertical.T])
    return np.repeat(kernels[:, None], 3, axis=1).astype(np.float32)


def edge_detection() -> Project:
    graph = chain((3,) + EDGE_SIZE, [("Conv2D", dict(filters=2, kernel_size=9, padding=4, activation="sigmoid"))])
    conv = graph.layers()[1].name
    spec = DatasetSpec(source="images", path=EDGE_FOLDER, options={"size": list(EDGE_SIZE), "color": "rgb"},
                       train=1.0, validation=0.0, test=0.0)
    return Project(
        graph=graph,
        title="Edge detection with convolution",
        description=(
            "What a convolution does to a picture: one Conv2D layer with two 9x9 filters over the red, green "
            "and blue channels of a 160x120 image, and a sigmoid. The filters are not learnt; they are set "
            "to edge detectors (Sobel's idea, grown to 9x9): the first subtracts the pixels on the left of "
            "each point from those on the right, the second those above from those below.\n\n"
            "The data set is the picture: a house, a tree and the sun, drawn for this example. Select the "
            "Conv2D layer to see the two filters and the two filtered images (its feature maps) in the "
            "Filters panel. Where the picture is flat both maps sit at 0.5, the middle of their range, since "
            "sigmoid(0) = 0.5. The first map is high (near 1) where the picture gets brighter from left to "
            "right and low (near 0) where it gets darker, so it outlines the house's walls, the door and "
            "the tree trunk; the second does the same from top to bottom, so it traces the horizon, the "
            "window's sills and the roof. The frame along the border comes from the zero padding: beyond "
            "the picture all is black, and that is an edge too. Edit a filter's weights, or add a third "
            "one, to see other patterns picked out."
        ),
        dataset=spec.to_dict(),
        weights={f"{conv}.W": edge_kernels(), f"{conv}.b": np.zeros(2, dtype=np.float32)},
    )


EXAMPLES = {  # in teaching order: the start page's gallery shows them so
    "perceptron.nnproj": perceptron,
    "gender.nnproj": gender,
    "xor.nnproj": xor,
    "spirals.nnproj": spirals,
    "rbf_sine.nnproj": rbf_sine,
    "digits_mlp.nnproj": digits_mlp,
    "residual_mlp.nnproj": residual_mlp,
    "digits_lenet.nnproj": digits_lenet,
    "edge_detection.nnproj": edge_detection,
    "elman_sine.nnproj": elman_sine,
    "keras_mnist_cnn.nnproj": keras_mnist_cnn,
    "vgg16.nnproj": vgg16,
    "lenet5.nnproj": lenet5,
    "hopfield_letters.nnproj": hopfield_letters,
}


# Files the examples need besides themselves: {path in this folder: a function making its bytes}
ASSETS = {
    EDGE_IMAGE: lambda: png_bytes(shapes_image()),
    f"{EDGE_FOLDER}/README.md": lambda: (
        "# The edge detection example's picture\n\n"
        "`shapes/shapes.png` (160x120, RGB) is generated by `resources/examples/build.py` (`shapes_image`): "
        "a house, a tree and the sun drawn as flat-coloured shapes. It is not a photograph and copies no "
        "one's work; it is part of NN Designer and under the same licence (MIT).\n\n"
        "It sits in a class folder (`shapes/`) because the example reads it as an image-folder data set.\n"
    ).encode(),
}


def holds(path: Path, project: Project) -> bool:
    """True when the file already holds this project, so that it is left alone (a ZIP written again differs
    in its time stamps only, which would show as a change in git)."""
    try:
        old = Project.load(path)
    except ValueError:
        return False
    new_weights, old_weights = project.weights or {}, old.weights or {}
    return (
        json.dumps(old.to_document(), sort_keys=True) == json.dumps(project.to_document(), sort_keys=True)
        and old.history == project.history
        and sorted(new_weights) == sorted(old_weights)
        and all(np.array_equal(np.asarray(new_weights[key]), old_weights[key]) for key in new_weights)
    )


def write(path: Path, data: bytes) -> None:
    if path.is_file() and path.read_bytes() == data:
        print(f"unchanged {path.relative_to(HERE)}")
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path.relative_to(HERE)}")


def main() -> None:
    for name, make in ASSETS.items():
        write(HERE / name, make())
    for filename, build in EXAMPLES.items():
        project = build()
        if holds(HERE / filename, project):
            print(f"unchanged {filename}")
            continue
        project.save(HERE / filename)
        print(f"wrote {filename}")
    write(HERE / INDEX, (json.dumps(list(EXAMPLES), indent=1) + "\n").encode())


if __name__ == "__main__":
    main()
