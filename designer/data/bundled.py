"""The real data sets shipped in resources/data, each with its provenance (see the README there).

The files are found relative to this package, which works from a source
checkout and from an editable install (pip install -e .).
"""

from __future__ import annotations

from pathlib import Path

from .csv_loader import load_csv
from .dataset import Dataset
from .errors import MissingDataError

RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "data"
DIGITS_SOURCE = 'UCI "Optical Recognition of Handwritten Digits" (Alpaydin & Kaynak, 1998), CC BY 4.0'
IRIS_SOURCE = "Fisher's Iris data (Fisher, 1936) from the UCI Machine Learning Repository, CC BY 4.0"


def digits(*, flat: bool) -> Dataset:
    """1,797 handwritten digits, 8x8 pixels: (N, 1, 8, 8) images in [0, 1], or (N, 64) when `flat`."""
    data = load_csv(_resource("digits.csv.gz"), target="digit")
    X = data.X / 16
    if not flat:
        X = X.reshape(-1, 1, 8, 8)
    return Dataset(
        X=X, y=data.y, kind=data.kind, classes=data.classes, feature_names=data.feature_names if flat else [],
        name="digits", source=DIGITS_SOURCE, notes=["Pixel values 0 to 16 scaled to 0 to 1."],
    )


def iris() -> Dataset:
    """150 iris flowers: four measurements in cm and the species (setosa, versicolor, virginica)."""
    data = load_csv(_resource("iris.csv"), target="species")
    return Dataset(X=data.X, y=data.y, kind=data.kind, classes=data.classes, feature_names=data.feature_names,
                   name="iris", source=IRIS_SOURCE)


def _resource(name: str) -> Path:
    path = RESOURCES / name
    if not path.is_file():
        raise MissingDataError(path, "bundled data file")
    return path
