"""Bringing project documents written by older versions of the app up to date.

Each step turns a document of format version n into version n + 1; loading
runs the chain from the file's version to CURRENT_VERSION, so a file from any
older version still opens. Version 1 is the first, so the chain is empty for
now: the next change to the format adds `MIGRATIONS[1]` and bumps the version.
"""

from __future__ import annotations

from typing import Any, Callable

CURRENT_VERSION = 1

Migration = Callable[[dict[str, Any]], dict[str, Any]]

# MIGRATIONS[n] turns a version-n document into a version-(n + 1) document.
MIGRATIONS: dict[int, Migration] = {}


def migrate(document: dict[str, Any], current: int | None = None, steps: dict[int, Migration] | None = None) -> dict[str, Any]:
    """Run the migration chain on a document whose version is at most `current`."""
    current = CURRENT_VERSION if current is None else current
    steps = MIGRATIONS if steps is None else steps
    version = document["version"]
    while version < current:
        if version not in steps:
            raise ValueError(f"format {version} cannot be brought up to date (no migration from it)")
        document = steps[version](dict(document))
        version += 1
        document["version"] = version
    return document
