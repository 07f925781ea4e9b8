"""The layer catalogue: one entry per kind of layer the designer knows.

Each entry is a `LayerKind` (see layer_kind.py): parameters with their types,
defaults and ranges; input ports; the shape rule; the weight arrays (whose
shapes give the parameter count); the multiply-add rule; a palette category
and a one-line description. Adding a kind is one entry here plus its engine
code.

Shapes never include the batch axis. Images are (channels, height, width),
sequences (steps, features), vectors (features,). Multiply-adds count the
multiply-accumulate operations of one sample's forward pass; layers that only
compare, copy or add (pooling, activations, reshapes, merges) count as 0, and
BatchNorm counts one scale-and-shift per element.
"""

from __future__ import annotations

import math
from typing import Sequence

from .layer_kind import ArraySpec, LayerInput, LayerKind, Params, Ports, Shape, ShapeProblem
from .params import BoolParam, ChoiceParam, FloatParam, IntParam, PaddingParam, ShapeParam

ACTIVATIONS = ("linear", "relu", "sigmoid", "tanh", "leaky_relu", "softmax")
INITIALISERS = ("default", "glorot_uniform", "glorot_normal", "he_uniform", "he_normal", "zeros")


def format_shape(shape: Sequence[int]) -> str:
    """(16,) and (1, 28, 28), written the way Python and Keras write them."""
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def _single(inputs: Sequence[LayerInput]) -> Shape:
    return inputs[0].shape


def _identity(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    return _single(inputs)


def _reshape_hint(shape: Shape) -> str:
    """Suggest an image shape for a flat input when one is obvious."""
    if len(shape) == 1:
        side = math.isqrt(shape[0])
        if side * side == shape[0]:
            return f"set the Input shape to (1, {side}, {side}) or put a Reshape to (1, {side}, {side}) before it"
    return "set the Input shape to (channels, height, width) or put a Reshape before it"


def _image_input(inputs: Sequence[LayerInput]) -> Shape:
    shape = _single(inputs)
    if len(shape) != 3:
        raise ShapeProblem(
            f"needs an image input (channels, height, width) but gets {format_shape(shape)}; "
            + _reshape_hint(shape) + "."
        )
    return shape


def _flat_input(inputs: Sequence[LayerInput]) -> Shape:
    shape = _single(inputs)
    if len(shape) != 1:
        raise ShapeProblem(f"needs a flat input but gets {format_shape(shape)}; put a Flatten before it.")
    return shape


def _window_output(size: int, window: int, stride: int, padding: int) -> int:
    return (size + 2 * padding - window) // stride + 1


def _resolve_padding(params: Params, window: int, stride: int, what: str) -> int:
    padding = params["padding"]
    if padding == "valid":
        return 0
    if padding == "same":
        if stride != 1 or window % 2 == 0:
            raise ShapeProblem(
                f"uses padding 'same', which keeps the size only with stride 1 and an odd {what} size; "
                f"use a padding number or 'valid' instead."
            )
        return (window - 1) // 2
    return padding


def _windowed_shape(channels: int, image: Shape, window: int, stride: int, padding: int, what: str) -> Shape:
    _, height, width = image
    if height + 2 * padding < window or width + 2 * padding < window:
        padded = f" (padded by {padding})" if padding else ""
        raise ShapeProblem(
            f"has a {window}x{window} {what} but its input is only {height}x{width}{padded}; "
            f"use a smaller {what} or more padding."
        )
    return (channels, _window_output(height, window, stride, padding), _window_output(width, window, stride, padding))


# --- Input -----------------------------------------------------------------

def _input_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    return tuple(params["shape"])


INPUT = LayerKind(
    name="Input",
    category="Input",
    description="Where data enters: the shape of one sample, without the batch.",
    params=(
        ShapeParam("shape", (2,), "Shape of one sample: (features,), (channels, height, width) or (steps, features)."),
    ),
    inputs=Ports(0, 0),
    output_shape=_input_shape,
)


# --- Dense -----------------------------------------------------------------

def _activation_param() -> ChoiceParam:
    return ChoiceParam("activation", "linear", "Activation applied to the output.", ACTIVATIONS)


def _init_param() -> ChoiceParam:
    return ChoiceParam("init", "default", "How the weights start: PyTorch's default, Glorot, He or zeros.", INITIALISERS)


def _dense_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    _flat_input(inputs)
    return (params["units"],)


def _dense_arrays(params: Params, inputs: Sequence[Shape], output: Shape) -> dict[str, ArraySpec]:
    arrays = {"W": ArraySpec((inputs[0][0], params["units"]))}
    if params["use_bias"]:
        arrays["b"] = ArraySpec((params["units"],))
    return arrays


DENSE = LayerKind(
    name="Dense",
    category="Core",
    description="Fully connected layer: every output is a weighted sum of every input.",
    params=(
        IntParam("units", 16, "Number of outputs (neurons).", minimum=1, maximum=1_000_000),
        _activation_param(),
        BoolParam("use_bias", True, "Add a learned bias to each output."),
        _init_param(),
    ),
    output_shape=_dense_shape,
    arrays=_dense_arrays,
    mult_adds=lambda params, inputs, output: inputs[0][0] * params["units"],
)


# --- Convolution and pooling -----------------------------------------------

def _conv_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    image = _image_input(inputs)
    kernel, stride = params["kernel_size"], params["stride"]
    padding = _resolve_padding(params, kernel, stride, "kernel")
    return _windowed_shape(params["filters"], image, kernel, stride, padding, "kernel")


def _conv_arrays(params: Params, inputs: Sequence[Shape], output: Shape) -> dict[str, ArraySpec]:
    k = params["kernel_size"]
    arrays = {"W": ArraySpec((params["filters"], inputs[0][0], k, k))}
    if params["use_bias"]:
        arrays["b"] = ArraySpec((params["filters"],))
    return arrays


def _conv_mult_adds(params: Params, inputs: Sequence[Shape], output: Shape) -> int:
    return math.prod(output) * inputs[0][0] * params["kernel_size"] ** 2


CONV2D = LayerKind(
    name="Conv2D",
    category="Convolution",
    description="2-D convolution: slides learned filters over an image (channels, height, width).",
    params=(
        IntParam("filters", 8, "Number of filters, which is the number of output channels.", minimum=1, maximum=65_536),
        IntParam("kernel_size", 3, "Side of each square filter, in pixels.", minimum=1, maximum=255),
        IntParam("stride", 1, "Step between filter positions, in pixels.", minimum=1, maximum=255),
        PaddingParam("padding", 0, "Zeros added on every side: a number of pixels, 'same' or 'valid' (none)."),
        _activation_param(),
        BoolParam("use_bias", True, "Add a learned bias to each output channel."),
        _init_param(),
    ),
    output_shape=_conv_shape,
    arrays=_conv_arrays,
    mult_adds=_conv_mult_adds,
)


def _pool_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    image = _image_input(inputs)
    size = params["pool_size"]
    stride = params["stride"] if params["stride"] is not None else size
    padding = _resolve_padding(params, size, stride, "pool")
    if padding > size // 2:
        raise ShapeProblem(
            f"pads by {padding}, more than half its {size}x{size} pool; use a padding from 0 to {size // 2}."
        )
    return _windowed_shape(image[0], image, size, stride, padding, "pool")


def _pool_params() -> tuple:
    return (
        IntParam("pool_size", 2, "Side of the square window, in pixels.", minimum=1, maximum=255),
        IntParam("stride", None, "Step between windows, in pixels (None: the pool size).",
                 minimum=1, maximum=255, optional=True),
        PaddingParam("padding", 0, "Padding on every side: a number of pixels, 'same' or 'valid' (none)."),
    )


MAXPOOL2D = LayerKind(
    name="MaxPool2D",
    category="Pooling",
    description="Keeps the largest value of each window, shrinking the image.",
    params=_pool_params(),
    output_shape=_pool_shape,
)

AVGPOOL2D = LayerKind(
    name="AvgPool2D",
    category="Pooling",
    description="Keeps the mean of each window, shrinking the image.",
    params=_pool_params(),
    output_shape=_pool_shape,
)


# --- Shape changes -----------------------------------------------------------

FLATTEN = LayerKind(
    name="Flatten",
    category="Core",
    description="Unrolls any input into one flat vector of features.",
    params=(),
    output_shape=lambda params, inputs: (math.prod(_single(inputs)),),
)


def _reshape_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    source = _single(inputs)
    target = tuple(params["shape"])
    total = math.prod(source)
    known = math.prod(s for s in target if s != -1)
    if -1 in target:
        if total % known:
            raise ShapeProblem(
                f"cannot reshape {format_shape(source)} ({total} values) to {format_shape(target)}: "
                f"{total} is not a multiple of {known}; choose sizes whose product divides {total}."
            )
        return tuple(total // known if s == -1 else s for s in target)
    if known != total:
        raise ShapeProblem(
            f"cannot reshape {format_shape(source)} ({total} values) to {format_shape(target)} "
            f"({known} values); choose sizes whose product is {total}."
        )
    return target


RESHAPE = LayerKind(
    name="Reshape",
    category="Core",
    description="Rearranges the values into a new shape with the same number of elements.",
    params=(
        ShapeParam("shape", (-1,), "New shape of one sample; one size may be -1 for 'whatever is left'.",
                   allow_infer=True),
    ),
    output_shape=_reshape_shape,
)


# --- Regularisation and normalisation ------------------------------------------

DROPOUT = LayerKind(
    name="Dropout",
    category="Core",
    description="During training, zeroes a random fraction of its inputs (and rescales the rest).",
    params=(
        FloatParam("rate", 0.5, "Fraction of inputs dropped during training.", minimum=0.0, maximum=1.0,
                   include_maximum=False),
    ),
    output_shape=_identity,
)


def _batchnorm_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    shape = _single(inputs)
    if len(shape) not in (1, 3):
        raise ShapeProblem(
            f"normalises features (features,) or channels (channels, height, width) but gets "
            f"{format_shape(shape)}; put a Flatten before it."
        )
    return shape


def _batchnorm_arrays(params: Params, inputs: Sequence[Shape], output: Shape) -> dict[str, ArraySpec]:
    channels = (inputs[0][0],)
    return {
        "gamma": ArraySpec(channels),
        "beta": ArraySpec(channels),
        "running_mean": ArraySpec(channels, trainable=False),
        "running_var": ArraySpec(channels, trainable=False),
    }


BATCHNORM = LayerKind(
    name="BatchNorm",
    category="Normalisation",
    description="Normalises each feature or channel over the batch, then scales and shifts it.",
    params=(
        FloatParam("momentum", 0.1, "Weight of each new batch in the running statistics (PyTorch's convention).",
                   minimum=0.0, maximum=1.0),
        FloatParam("eps", 1e-5, "Small number added to the variance to avoid dividing by zero.",
                   minimum=1e-12, maximum=1.0),
    ),
    output_shape=_batchnorm_shape,
    arrays=_batchnorm_arrays,
    mult_adds=lambda params, inputs, output: math.prod(output),
)


ACTIVATION = LayerKind(
    name="Activation",
    category="Core",
    description="Applies a non-linear function to every value.",
    params=(
        ChoiceParam("function", "relu", "The function applied to every value.", ACTIVATIONS),
        FloatParam("negative_slope", 0.01, "Slope for negative inputs of leaky_relu.", minimum=0.0, maximum=1.0),
    ),
    output_shape=_identity,
)


# --- Merges ----------------------------------------------------------------------

def _add_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    first = inputs[0]
    for other in inputs[1:]:
        if other.shape != first.shape:
            raise ShapeProblem(
                f"adds inputs of different shapes: {format_shape(first.shape)} from {first.source} and "
                f"{format_shape(other.shape)} from {other.source}; make them the same shape."
            )
    return first.shape


ADD = LayerKind(
    name="Add",
    category="Merge",
    description="Adds two or more inputs of the same shape, as in a skip connection.",
    params=(),
    inputs=Ports(2, None),
    output_shape=_add_shape,
)


def _concat_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    first = inputs[0]
    for other in inputs[1:]:
        if len(other.shape) != len(first.shape) or other.shape[1:] != first.shape[1:]:
            raise ShapeProblem(
                f"joins {format_shape(first.shape)} from {first.source} and {format_shape(other.shape)} from "
                f"{other.source}, which differ outside the first axis (features or channels); make them match."
            )
    return (sum(i.shape[0] for i in inputs),) + first.shape[1:]


CONCAT = LayerKind(
    name="Concat",
    category="Merge",
    description="Joins two or more inputs along features (vectors) or channels (images).",
    params=(),
    inputs=Ports(2, None),
    output_shape=_concat_shape,
)


# --- Recurrent -----------------------------------------------------------------------

def _rnn_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    shape = _single(inputs)
    if len(shape) != 2:
        raise ShapeProblem(
            f"needs a sequence input (steps, features) but gets {format_shape(shape)}; "
            f"set the Input shape to (steps, features)."
        )
    return (shape[0], params["units"]) if params["return_sequences"] else (params["units"],)


def _rnn_arrays(params: Params, inputs: Sequence[Shape], output: Shape) -> dict[str, ArraySpec]:
    features, units = inputs[0][1], params["units"]
    return {"W": ArraySpec((features, units)), "U": ArraySpec((units, units)), "b": ArraySpec((units,))}


def _rnn_mult_adds(params: Params, inputs: Sequence[Shape], output: Shape) -> int:
    steps, features = inputs[0]
    units = params["units"]
    return steps * (features * units + units * units)


SIMPLE_RNN = LayerKind(
    name="SimpleRNN",
    category="Recurrent",
    description="Elman recurrent layer: h_t = tanh(x_t W + h_(t-1) U + b) over the steps of a sequence.",
    params=(
        IntParam("units", 16, "Size of the hidden state.", minimum=1, maximum=100_000),
        BoolParam("return_sequences", False, "Output the hidden state of every step, not only the last."),
    ),
    output_shape=_rnn_shape,
    arrays=_rnn_arrays,
    mult_adds=_rnn_mult_adds,
)


# --- Classic networks ------------------------------------------------------------------

def _rbf_shape(params: Params, inputs: Sequence[LayerInput]) -> Shape:
    _flat_input(inputs)
    return (params["units"],)


RBF = LayerKind(
    name="RBF",
    category="Classic",
    description="Radial basis functions: each unit answers by how close the input is to its centre.",
    params=(IntParam("units", 10, "Number of Gaussian units (centres).", minimum=1, maximum=100_000),),
    output_shape=_rbf_shape,
    arrays=lambda params, inputs, output: {
        "centers": ArraySpec((params["units"], inputs[0][0])),
        "widths": ArraySpec((params["units"],)),
    },
    mult_adds=lambda params, inputs, output: params["units"] * inputs[0][0],
)


def _hopfield_neurons(params: Params) -> int:
    return math.prod(params["shape"])


HOPFIELD = LayerKind(
    name="Hopfield",
    category="Classic",
    description="Hopfield associative memory: a whole network of +-1 neurons that settles into stored patterns.",
    params=(
        ShapeParam("shape", (10, 10), "Rows and columns of the pattern grid; one neuron per cell.",
                   min_length=2, max_length=2, maximum=128),
        ChoiceParam("rule", "hebbian", "How patterns are stored in the weights.", ("hebbian", "storkey", "pseudoinverse")),
    ),
    inputs=Ports(0, 0),
    has_output=False,
    output_shape=lambda params, inputs: tuple(params["shape"]),
    # Stored, not trained by gradient descent, so not "trainable" in the optimiser's sense.
    arrays=lambda params, inputs, output: {
        "weights": ArraySpec((_hopfield_neurons(params),) * 2, trainable=False),
    },
    mult_adds=lambda params, inputs, output: _hopfield_neurons(params) ** 2,
)


CATALOGUE: dict[str, LayerKind] = {
    kind.name: kind
    for kind in (
        INPUT, DENSE, CONV2D, MAXPOOL2D, AVGPOOL2D, FLATTEN, RESHAPE, DROPOUT,
        BATCHNORM, ACTIVATION, ADD, CONCAT, SIMPLE_RNN, RBF, HOPFIELD,
    )
}


def layer_kind(name: str) -> LayerKind | None:
    """The catalogue entry for a kind name, or None if the designer does not know it."""
    return CATALOGUE.get(name)


def categories() -> dict[str, list[LayerKind]]:
    """Kinds grouped by palette category, in catalogue order."""
    grouped: dict[str, list[LayerKind]] = {}
    for kind in CATALOGUE.values():
        grouped.setdefault(kind.category, []).append(kind)
    return grouped
