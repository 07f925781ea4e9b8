"""The data set a project trains on, as a JSON-ready reference kept in the project file.

A spec names a built-in set and its options, or a CSV file, IDX files or an
image folder by a path relative to the project file, plus the split
fractions and seed and the normaliser. Its dict form:

    {"source": "builtin", "name": "moons", "options": {"n_samples": 200, "noise": 0.1, "seed": 0},
     "split": {"train": 0.7, "validation": 0.15, "test": 0.15, "seed": 0},
     "normaliser": {"method": "standardise", "offset": [...], "scale": [...]}}
    {"source": "csv", "path": "data/wine.csv", "options": {"target": "quality"}, ...}
    {"source": "idx", "path": "train-images-idx3-ubyte.gz", "labels_path": "train-labels-idx1-ubyte.gz", ...}
    {"source": "images", "path": "photos", "options": {"size": [28, 28], "color": "rgb"}, ...}

A dict from a project file may be hostile, so `from_dict` checks every type,
value and length and answers with one sentence. A file that has gone missing
is not a fault of the project: `load` raises MissingDataError, naming the full
path it expected, so the app can open the project and mark the data missing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from .builtin import BUILTIN, load_builtin
from .csv_loader import load_csv
from .dataset import KINDS, Dataset
from .errors import DataError, MissingDataError, shown
from .idx import is_idx_file, load_idx
from .images import COLORS, MAX_SIZE, load_image_folder
from .normalise import Normaliser
from .splits import Splits, check_fractions, split

SOURCES = ("builtin", "csv", "idx", "images")
MAX_PATH = 4096
MAX_TEXT = 1000
MAX_SEED = 2**32 - 1
KEYS = {"source", "name", "path", "labels_path", "options", "split", "normaliser"}
SPLIT_KEYS = ("train", "validation", "test", "seed")


@dataclass
class DatasetSpec:
    """Where a project's data comes from and how it is split and normalised; checked on construction.

    For a built-in set `options` is stored complete (defaults filled in), so
    the project gets the same data even if a default changes later.
    """

    source: str
    name: str = ""
    path: str = ""
    labels_path: str = ""
    options: dict[str, Any] = field(default_factory=dict)
    train: float = 0.7
    validation: float = 0.15
    test: float = 0.15
    seed: int = 0
    normaliser: Normaliser = field(default_factory=lambda: Normaliser("none"))

    def __post_init__(self) -> None:
        if self.source not in SOURCES or not isinstance(self.source, str):
            raise DataError(f"The data set's source must be one of {', '.join(SOURCES)}, not {shown(self.source)}.")
        if not isinstance(self.options, dict):
            raise DataError("The data set's options are not a JSON object.")
        if self.source == "builtin":
            if not isinstance(self.name, str) or self.name not in BUILTIN:
                raise DataError(f"There is no built-in data set called {shown(self.name)}.")
            if self.path or self.labels_path:
                raise DataError("A built-in data set has no path.")
            self.options = BUILTIN[self.name].check_options(self.options)
        else:
            if self.name:
                raise DataError("Only built-in data sets have a name; files are known by their path.")
            _check_path(self.path, "path")
            if self.labels_path:
                _check_path(self.labels_path, "labels_path")
            _OPTION_CHECKS[self.source](self.options)
        if self.labels_path and self.source != "idx":
            raise DataError("Only IDX data sets have a labels_path.")
        check_fractions(self.train, self.validation, self.test)
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or not 0 <= self.seed <= MAX_SEED:
            raise DataError(f"The split seed must be a whole number from 0 to {MAX_SEED}, not {shown(self.seed)}.")
        if not isinstance(self.normaliser, Normaliser):
            raise DataError("The data set's normaliser must be a Normaliser.")

    @classmethod
    def for_path(cls, path: str | Path, project_dir: str | Path | None = None, **options: Any) -> DatasetSpec:
        """A spec for a file or folder, its kind told by what it is: a folder of images, an IDX file, else CSV.

        The path is stored relative to `project_dir` when one is given.
        """
        path = Path(path)
        if not path.exists():
            raise MissingDataError(path)
        source = "images" if path.is_dir() else "idx" if is_idx_file(path) else "csv"
        labels = options.pop("labels_path", None)
        return cls(
            source=source, path=_stored(path, project_dir), labels_path=_stored(labels, project_dir) if labels else "",
            options=options,
        )

    def load(self, project_dir: str | Path | None = None, progress: Callable[[float], None] | None = None) -> Dataset:
        """The whole data set, unsplit and not normalised; MissingDataError when its file has gone."""
        if self.source == "builtin":
            return load_builtin(self.name, **self.options)
        path = _resolve(self.path, project_dir)
        if self.source == "csv":
            return load_csv(path, progress=progress, **self.options)
        if self.source == "idx":
            labels = _resolve(self.labels_path, project_dir) if self.labels_path else None
            return load_idx(path, labels)
        return load_image_folder(path, progress=progress, **self.options)

    def load_splits(
        self, project_dir: str | Path | None = None, progress: Callable[[float], None] | None = None
    ) -> Splits:
        """The data set split as this spec says (normalising is left to the caller, fitted on the train part)."""
        return split(self.load(project_dir, progress), self.train, self.validation, self.test, self.seed)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"source": self.source}
        if self.source == "builtin":
            data["name"] = self.name
        else:
            data["path"] = self.path
        if self.labels_path:
            data["labels_path"] = self.labels_path
        options = dict(self.options)
        if "size" in options:
            options["size"] = list(options["size"])
        data["options"] = options
        data["split"] = {"train": self.train, "validation": self.validation, "test": self.test, "seed": self.seed}
        data["normaliser"] = self.normaliser.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: Any) -> DatasetSpec:
        """The spec a dict from a project file describes; DataError with one sentence for any fault."""
        if not isinstance(data, dict):
            raise DataError("The data set settings are not a JSON object.")
        unknown = sorted(set(data) - KEYS, key=str)
        if unknown:
            raise DataError(f"The data set settings have an unknown key {shown(unknown[0])}.")
        fractions = data.get("split", {})
        if not isinstance(fractions, dict):
            raise DataError("The data set's split settings are not a JSON object.")
        unknown = sorted(set(fractions) - set(SPLIT_KEYS), key=str)
        if unknown:
            raise DataError(f"The data set's split settings have an unknown key {shown(unknown[0])}.")
        normaliser = Normaliser.from_dict(data.get("normaliser", {"method": "none"}))
        return cls(
            source=data.get("source"),
            name=data.get("name", ""),
            path=data.get("path", ""),
            labels_path=data.get("labels_path", ""),
            options=data.get("options", {}),
            normaliser=normaliser,
            **{key: fractions[key] for key in SPLIT_KEYS if key in fractions},
        )


def _stored(path: str | Path, project_dir: str | Path | None) -> str:
    """A path as a spec keeps it: relative to the project's folder when there is one, with forward slashes."""
    path = Path(path)
    if project_dir is not None:
        try:
            path = Path(os.path.relpath(path.resolve(), Path(project_dir).resolve()))
        except ValueError:  # on another drive (Windows): keep it absolute
            path = path.resolve()
    return path.as_posix()


def _resolve(path: str, project_dir: str | Path | None) -> Path:
    """A stored path as a real one: relative paths are taken from the project's folder."""
    return Path(project_dir or ".") / PurePath(path)


def _check_path(path: Any, key: str) -> None:
    if not isinstance(path, str) or not 1 <= len(path) <= MAX_PATH or "\0" in path:
        raise DataError(f"The data set's {key} must be a file path of 1 to {MAX_PATH:,} characters, not {shown(path)}.")


def _check_known(options: dict[str, Any], known: tuple[str, ...], what: str) -> None:
    for key in options:
        if key not in known:
            listed = ", ".join(known) if known else "none"
            raise DataError(f"{what} has no option {shown(key)} (its options: {listed}).")


def _check_csv_options(options: dict[str, Any]) -> None:
    _check_known(options, ("target", "has_header", "delimiter", "kind", "drop_incomplete"), "A CSV data set")
    target = options.get("target")
    if target is not None and not (
        (isinstance(target, str) and 1 <= len(target) <= MAX_TEXT)
        or (isinstance(target, int) and not isinstance(target, bool) and abs(target) <= 1_000_000)
    ):
        raise DataError(f"The CSV target must be a column name, a column number or null, not {shown(target)}.")
    for key in ("has_header", "drop_incomplete"):
        value = options.get(key)
        if value is not None and not isinstance(value, bool):
            raise DataError(f"The CSV option {key} must be true or false, not {shown(value)}.")
    delimiter = options.get("delimiter")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n'):
        raise DataError(f"The CSV delimiter must be one character such as ',', ';' or a tab, not {shown(delimiter)}.")
    kind = options.get("kind")
    if kind is not None and kind not in KINDS:
        raise DataError(f"The CSV kind must be 'classification', 'regression' or null, not {shown(kind)}.")


def _check_idx_options(options: dict[str, Any]) -> None:
    _check_known(options, (), "An IDX data set")


def _check_image_options(options: dict[str, Any]) -> None:
    _check_known(options, ("size", "color"), "An image folder")
    size = options.get("size", (28, 28))
    if (
        not isinstance(size, (tuple, list)) or len(size) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_SIZE for n in size)
    ):
        raise DataError(
            f"The image size must be [height, width], two whole numbers from 1 to {MAX_SIZE}, not {shown(size)}."
        )
    color = options.get("color", "grayscale")
    if not isinstance(color, str) or color not in COLORS:
        raise DataError(f"The image color must be 'grayscale' or 'rgb', not {shown(color)}.")


_OPTION_CHECKS = {"csv": _check_csv_options, "idx": _check_idx_options, "images": _check_image_options}
