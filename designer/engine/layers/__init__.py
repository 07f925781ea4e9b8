"""Compiled layers, one class per catalogue kind that computes something."""

from .base import Identity, Layer, LayerSetup
from .conv import Conv2D
from .dense import Dense
from .dropout import Dropout
from .merge import Add, Concat
from .normalisation import BatchNorm
from .pooling import AvgPool2D, MaxPool2D
from .rbf import RBF
from .recurrent import SimpleRNN
from .reshaping import Reshape

# catalogue kind -> the class that computes it (Activation's function is applied by the model)
LAYER_CLASSES: dict[str, type[Layer]] = {
    "Input": Identity,
    "Dense": Dense,
    "Conv2D": Conv2D,
    "MaxPool2D": MaxPool2D,
    "AvgPool2D": AvgPool2D,
    "Flatten": Reshape,
    "Reshape": Reshape,
    "Dropout": Dropout,
    "BatchNorm": BatchNorm,
    "Activation": Identity,
    "Add": Add,
    "Concat": Concat,
    "SimpleRNN": SimpleRNN,
    "RBF": RBF,
}

__all__ = ["LAYER_CLASSES", "Layer", "LayerSetup"]
