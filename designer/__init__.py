"""NN Designer: design, train and understand neural networks visually.

The public scripting API lives here; see the README for a tour.
"""

__version__ = "0.1.0"

from .engine import compile_graph
from .graph import NetworkGraph, Project, ProjectFileError

__all__ = ["NetworkGraph", "Project", "ProjectFileError", "compile_graph", "__version__"]
