"""The two exceptions of the data package.

Every message is one sentence that a person can act on, naming the file (and
the row and column when there is one), so the app and the command line can
show it as it is.
"""

from __future__ import annotations

from pathlib import Path


class DataError(ValueError):
    """Data that cannot be loaded or used; the message is one sentence."""


class MissingDataError(DataError):
    """The file or folder a data set needs is not there.

    A project whose data went missing must still open, so the app catches this
    one apart from other faults and marks the data set missing; `path` is the
    full path that was expected.
    """

    def __init__(self, path: str | Path, what: str = "data file"):
        self.path = Path(path)
        super().__init__(f"The {what} {self.path} is missing.")


def require_file(path: Path) -> None:
    """Raise MissingDataError if `path` does not exist, DataError if it is not a file."""
    if not path.exists():
        raise MissingDataError(path)
    if not path.is_file():
        raise DataError(f"{path.name} is not a file.")


def shown(value: object) -> str:
    """A value for a message: its repr, cut short, since a hostile file may hold a huge one."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
