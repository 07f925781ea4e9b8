"""Projects and their .nnproj files.

A .nnproj file is a ZIP container, like .docx: `project.json` (the format
marker, version, title, description, graph, data set, training settings and
view), `weights.npz` (arrays keyed `<layer name>.<param>`, never pickled),
optionally `history.json` (training curves) and optionally `timeline.npz`
(the weights at past epochs, keyed `epoch_<n>/<layer name>.<param>`, the one
member compressed). Writes are atomic; reads check
everything and turn any fault into one ProjectFileError sentence naming the
file, so a damaged or hostile file costs the user nothing but a message.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import numpy as np

from . import migrations
from .container import (
    MAX_EXPANSION, SMALL_MEMBER, ContainerError, numeric_arrays, open_archive, read_arrays, read_member, write_arrays,
)
from .network import NAME_PATTERN, NetworkGraph
from .serialise import GraphDataError, graph_from_data, graph_to_data
from .wording import short

FORMAT = "nn-designer"
PROJECT_MEMBER = "project.json"
WEIGHTS_MEMBER = "weights.npz"
HISTORY_MEMBER = "history.json"
TIMELINE_MEMBER = "timeline.npz"
MAX_PROJECT_JSON = 32 * 1024**2
MAX_HISTORY_JSON = 64 * 1024**2
MAX_WEIGHTS_BYTES = 4 * 1024**3 + 1024**2  # arrays plus their headers
MAX_JSON_DEPTH = 32
MAX_TITLE = 200
MAX_DESCRIPTION = 20_000
MAX_HISTORY_POINTS = 1_000_000
MAX_TIMELINE_BYTES = MAX_WEIGHTS_BYTES
EPOCH_KEY = re.compile(r"epoch_(0|[1-9][0-9]{0,8})/(.*)")  # a timeline array: "epoch_12/dense_1.W"


class ProjectFileError(ValueError):
    """A project file that cannot be read (or written); the message is one sentence naming the file."""


@dataclass
class Project:
    graph: NetworkGraph = field(default_factory=NetworkGraph)
    dataset: dict[str, Any] | None = None
    training: dict[str, Any] | None = None
    view: dict[str, Any] | None = None
    weights: dict[str, np.ndarray] | None = None
    history: dict[str, list[float | None]] | None = None
    timeline: dict[int, dict[str, np.ndarray]] | None = None  # epoch -> weights at its end
    title: str = ""
    description: str = ""

    def to_document(self) -> dict[str, Any]:
        """The project.json object."""
        return {
            "format": FORMAT,
            "version": migrations.CURRENT_VERSION,
            "title": self.title,
            "description": self.description,
            "graph": graph_to_data(self.graph),
            "dataset": self.dataset,
            "training": self.training,
            "view": self.view,
        }

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the project atomically: a temporary file in the same folder, then a rename.

        What is written is checked as a reader would check it, so a saved
        project always opens again.
        """
        path = Path(path)
        document = self.to_document()
        try:
            _check_document(_parse_json(json.dumps(document, allow_nan=False).encode(), PROJECT_MEMBER))
            weights = numeric_arrays(self.weights or {})
            _check_weight_names(weights, self.graph)
            text = json.dumps(document, indent=1, allow_nan=False)
            history = None
            if self.history is not None:
                history = json.dumps(_check_history(self.history), allow_nan=False)
            timeline = _timeline_arrays(self.timeline or {}, self.graph)
        except (GraphDataError, ValueError, TypeError, OverflowError) as error:
            raise ProjectFileError(f"{path.name} cannot be saved: {_phrase(error)}.") from None
        try:
            _write_atomically(path, text, history, weights, timeline)
        except OSError as error:
            raise ProjectFileError(f"{path.name} cannot be saved: {error.strerror or error}.") from None

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Project:
        """Read a project file; any fault raises ProjectFileError with one sentence."""
        path = Path(path)
        name = path.name
        if not path.is_file():
            raise ProjectFileError(f"{name} does not exist or is not a file.")
        if _starts_like_a_zip(path) and not _ends_like_a_zip(path):
            raise ProjectFileError(f"{name} is damaged: it ends before its table of contents (the file was cut short).")
        try:
            archive = open_archive(str(path), name)
        except ContainerError as error:
            if _starts_like_a_zip(path):
                raise ProjectFileError(f"{name} is damaged: {_phrase(error)}.") from None
            raise ProjectFileError(f"{name} is not a NN Designer project (it is not a ZIP container).") from None
        with archive:
            try:
                text = read_member(archive, PROJECT_MEMBER, MAX_PROJECT_JSON)
                if text is None:
                    raise ProjectFileError(f"{name} is not a NN Designer project (no {PROJECT_MEMBER} inside).")
                document = _parse_json(text, PROJECT_MEMBER)
                document = _bring_up_to_date(document, name)
                project = _project_from_document(document)
                history = read_member(archive, HISTORY_MEMBER, MAX_HISTORY_JSON)
                if history is not None:
                    project.history = _check_history(_parse_json(history, HISTORY_MEMBER))
                weights = read_member(archive, WEIGHTS_MEMBER, MAX_WEIGHTS_BYTES)
                if weights is not None:
                    project.weights = read_arrays(weights, WEIGHTS_MEMBER)
                    _check_weight_names(project.weights, project.graph)
                timeline = read_member(archive, TIMELINE_MEMBER, MAX_TIMELINE_BYTES)
                if timeline is not None:
                    project.timeline = _timeline_from_arrays(read_arrays(timeline, TIMELINE_MEMBER), project.graph)
            except ProjectFileError:
                raise
            except (ContainerError, GraphDataError, ValueError, OverflowError) as error:
                raise ProjectFileError(f"{name} is damaged: {_phrase(error)}.") from None
        return project


def _write_atomically(path: Path, text: str, history: str | None, weights: dict[str, np.ndarray],
                      timeline: dict[str, np.ndarray]) -> None:
    """Write the container to a temporary file beside `path`, then rename it over `path`.

    The new file keeps the permissions of the file it replaces (or the usual
    ones for a new file), not the owner-only ones of a temporary file. The
    timeline is deflated, unless it compresses so well that a reader would
    take it for a zip bomb; then the container is written again with it stored.
    """
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~_umask()
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            for timeline_compression in (zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED):
                stream.seek(0)
                stream.truncate()
                if _write_container(stream, text, history, weights, timeline, timeline_compression):
                    break
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _write_container(stream: IO[bytes], text: str, history: str | None, weights: dict[str, np.ndarray],
                     timeline: dict[str, np.ndarray], timeline_compression: int) -> bool:
    """Write the ZIP container into `stream`; False if the timeline expands more than readers accept."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(PROJECT_MEMBER, text)
        if history is not None:
            archive.writestr(HISTORY_MEMBER, history)
        # weights are stored, not deflated: they hardly compress, and readers refuse members that expand a lot
        for name, arrays, compression in ((WEIGHTS_MEMBER, weights, zipfile.ZIP_STORED),
                                          (TIMELINE_MEMBER, timeline, timeline_compression)):
            if not arrays:
                continue
            member = zipfile.ZipInfo(name, date_time=time.localtime()[:6])
            member.compress_type = compression
            with archive.open(member, "w", force_zip64=True) as stream_in_zip:
                write_arrays(stream_in_zip, arrays)
        if timeline:
            info = archive.getinfo(TIMELINE_MEMBER)
            return info.file_size <= SMALL_MEMBER or info.file_size <= MAX_EXPANSION * info.compress_size
    return True


def _umask() -> int:
    current = os.umask(0o022)
    os.umask(current)
    return current


def _starts_like_a_zip(path: Path) -> bool:
    """True for a file that begins as a ZIP archive does, so that a truncated one is called damaged."""
    try:
        with open(path, "rb") as stream:
            return stream.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def _ends_like_a_zip(path: Path) -> bool:
    """True if the file ends with a ZIP end-of-directory record, as every file this app writes does.

    Without this check a truncated project could be misread: zipfile searches
    backwards for the record and may find the one of the weights.npz stored
    inside, then report a foreign archive rather than a damaged one.
    """
    try:
        with open(path, "rb") as stream:
            stream.seek(-22, os.SEEK_END)
            return stream.read(4) == b"PK\x05\x06"
    except OSError:
        return False


def _phrase(error: Exception) -> str:
    """An error's message as a phrase to continue a sentence: no trailing full stop."""
    return str(error).rstrip(".")


def _parse_json(data: bytes, member: str) -> Any:
    def refuse_constant(constant: str) -> None:
        raise ValueError(f"{member} holds {constant}, which is not a number JSON allows")

    try:
        value = json.loads(data.decode("utf-8"), parse_constant=refuse_constant)
    except RecursionError:
        raise ValueError(f"{member} is nested too deeply") from None
    except UnicodeDecodeError:
        raise ValueError(f"{member} is not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{member} is not valid JSON (line {error.lineno}, column {error.colno})") from None
    if _depth(value) > MAX_JSON_DEPTH:
        raise ValueError(f"{member} is nested more than {MAX_JSON_DEPTH} levels deep")
    return value


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in a JSON value, found without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def _bring_up_to_date(document: Any, name: str) -> dict[str, Any]:
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        found = document.get("format") if isinstance(document, dict) else None
        detail = f"its {PROJECT_MEMBER} has the format {short(found)}" if isinstance(found, str) else f"its {PROJECT_MEMBER} does not say it is one"
        raise ProjectFileError(f"{name} is not a NN Designer project ({detail}).")
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ProjectFileError(f"{name} is damaged: its format version {short(version)} is not a version this app ever wrote.")
    if version > migrations.CURRENT_VERSION:
        raise ProjectFileError(
            f"{name} was written by a newer NN Designer (format {version}; "
            f"this one reads up to {migrations.CURRENT_VERSION})."
        )
    return migrations.migrate(document)


def _check_document(document: dict[str, Any]) -> NetworkGraph:
    """Check the types and ranges of a project.json object; return the graph it describes."""
    for key, limit in (("title", MAX_TITLE), ("description", MAX_DESCRIPTION)):
        value = document.get(key, "")
        if not isinstance(value, str) or len(value) > limit:
            raise ValueError(f"its {key} is not a text of at most {limit:,} characters")
    for key in ("dataset", "training", "view"):
        value = document.get(key)
        if value is not None and not isinstance(value, dict):
            raise ValueError(f"its {key} settings are not a JSON object")
    if "graph" not in document:
        raise ValueError("it has no graph")
    return graph_from_data(document["graph"])


def _project_from_document(document: dict[str, Any]) -> Project:
    graph = _check_document(document)
    return Project(
        graph=graph,
        dataset=document.get("dataset"),
        training=document.get("training"),
        view=document.get("view"),
        title=document.get("title", ""),
        description=document.get("description", ""),
    )


def _check_history(history: Any) -> dict[str, list[float | None]]:
    if not isinstance(history, dict):
        raise ValueError(f"{HISTORY_MEMBER} is not a JSON object")
    for key, values in history.items():
        if not isinstance(values, list) or len(values) > MAX_HISTORY_POINTS:
            raise ValueError(f"the history of {short(key)} is not a list of at most {MAX_HISTORY_POINTS:,} numbers")
        if not all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
            raise ValueError(f"the history of {short(key)} holds something that is not a number")
    return history


def _check_weight_names(weights: dict[str, np.ndarray], graph: NetworkGraph) -> None:
    for key in weights:
        layer, dot, param = key.rpartition(".") if isinstance(key, str) else ("", "", "")
        if not dot or not NAME_PATTERN.fullmatch(param) or not NAME_PATTERN.fullmatch(layer):
            raise ValueError(f"the weights hold {short(key)}, which is not named <layer>.<parameter>")
        if graph.find(layer) is None:
            raise ValueError(f"the weights hold {short(key)}, but there is no layer named {layer}")


def _timeline_arrays(timeline: dict[int, dict[str, np.ndarray]], graph: NetworkGraph) -> dict[str, np.ndarray]:
    """The timeline as flat arrays keyed "epoch_<n>/<layer>.<param>", checked as a reader checks them.

    Arrays of layers no longer in the graph (deleted or renamed since) are left out.
    """
    arrays = {}
    for epoch, weights in timeline.items():
        if not isinstance(epoch, int) or isinstance(epoch, bool) or not EPOCH_KEY.fullmatch(f"epoch_{epoch}/"):
            raise ValueError(
                f"the timeline holds the epoch {short(epoch)}, which is not a whole number from 0 to 999,999,999")
        weights = numeric_arrays({key: array for key, array in weights.items()
                                  if not isinstance(key, str) or graph.find(key.rpartition(".")[0]) is not None})
        _check_weight_names(weights, graph)
        arrays.update({f"epoch_{epoch}/{key}": array for key, array in weights.items()})
    return arrays


def _timeline_from_arrays(arrays: dict[str, np.ndarray], graph: NetworkGraph) -> dict[int, dict[str, np.ndarray]]:
    timeline: dict[int, dict[str, np.ndarray]] = {}
    for key, array in arrays.items():
        match = EPOCH_KEY.fullmatch(key)
        if match is None:
            raise ValueError(f"the timeline holds {short(key)}, which is not named epoch_<n>/<layer>.<parameter>")
        timeline.setdefault(int(match.group(1)), {})[match.group(2)] = array
    for weights in timeline.values():
        _check_weight_names(weights, graph)
    return dict(sorted(timeline.items()))
