"""The Hopfield workspace: draw patterns, store them, corrupt them, and watch recall settle, flip by flip."""

from .launcher import HopfieldLauncher
from .memory import MAX_SIDE
from .workspace import HopfieldWorkspace

__all__ = ["HopfieldLauncher", "HopfieldWorkspace", "MAX_SIDE"]
