"""The NumPy engine: networks compiled from a graph, trained on the CPU; Hopfield and other classic nets. No Qt."""

from .losses import LOSSES
from .model import CompileError, Model, compile_graph
from .optimizers import OPTIMIZERS
from .schedules import Schedule
from .trainer import EarlyStopping, History, Trainer, TrainingDiverged, TrainingEvent

__all__ = [
    "LOSSES", "OPTIMIZERS", "CompileError", "Model", "compile_graph", "Schedule",
    "EarlyStopping", "History", "Trainer", "TrainingDiverged", "TrainingEvent",
]
