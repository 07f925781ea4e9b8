"""Data sets: built-in, CSV, IDX (MNIST), image folders; splits, normalisation and project references. No Qt.

Every fault is a DataError (a ValueError) whose message is one sentence; a
file that has gone missing is a MissingDataError, a kind of DataError.
"""

from .builtin import BUILTIN, Builtin, Option, list_builtins, load_builtin
from .csv_loader import load_csv
from .dataset import CLASSIFICATION, KINDS, REGRESSION, Dataset
from .describe import describe, describe_dict
from .errors import DataError, MissingDataError
from .idx import load_idx, read_idx, save_idx
from .images import load_image_folder
from .normalise import Normaliser
from .spec import DatasetSpec
from .splits import Splits, split

__all__ = [
    "BUILTIN", "Builtin", "Option", "list_builtins", "load_builtin",
    "load_csv",
    "CLASSIFICATION", "KINDS", "REGRESSION", "Dataset",
    "describe", "describe_dict",
    "DataError", "MissingDataError",
    "load_idx", "read_idx", "save_idx",
    "load_image_folder",
    "Normaliser",
    "DatasetSpec",
    "Splits", "split",
]
