"""The model of a designed network: layers, wiring, shapes, problems and project files. No Qt."""

from .catalogue import CATALOGUE, categories, format_shape, layer_kind
from .events import Edge, EventType, GraphEvent
from .inference import Analysis, Problem
from .layer_kind import ArraySpec, LayerKind, Ports
from .network import CycleError, GraphEditError, Layer, NetworkGraph
from .project import Project, ProjectFileError
from .serialise import GraphDataError, graph_from_data, graph_to_data

__all__ = [
    "CATALOGUE", "categories", "format_shape", "layer_kind",
    "Edge", "EventType", "GraphEvent",
    "Analysis", "Problem",
    "ArraySpec", "LayerKind", "Ports",
    "CycleError", "GraphEditError", "Layer", "NetworkGraph",
    "Project", "ProjectFileError",
    "GraphDataError", "graph_from_data", "graph_to_data",
]
