"""IDX files, the format MNIST ships in: raw or gzip-compressed (told apart by their first bytes).

An IDX file is a 4-byte magic number (two zero bytes, a type code, the number
of dimensions), one big-endian 32-bit size per dimension, then the values,
big-endian, in C order. Every size is checked against the file's length
before anything is allocated, so a damaged or hostile header costs a message,
not memory.
"""

from __future__ import annotations

import gzip
import math
import struct
import zlib
from pathlib import Path
from typing import IO

import numpy as np

from .dataset import CLASSIFICATION, Dataset
from .errors import DataError, require_file

TYPES = {
    0x08: np.dtype(">u1"),
    0x09: np.dtype(">i1"),
    0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"),
    0x0D: np.dtype(">f4"),
    0x0E: np.dtype(">f8"),
}
MAX_BYTES = 2 * 1024**3  # four times the MNIST training images; more is refused rather than allocated
GZIP_MAGIC = b"\x1f\x8b"


def read_idx(path: str | Path) -> np.ndarray:
    """The array an IDX file holds, in native byte order; DataError with one sentence for any fault."""
    path = Path(path)
    require_file(path)
    name = path.name
    with open(path, "rb") as raw:
        compressed = raw.read(2) == GZIP_MAGIC
        raw.seek(0)
        try:
            if compressed:
                with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                    return _read(stream, name)
            return _read(raw, name)
        except (EOFError, zlib.error, gzip.BadGzipFile):
            raise DataError(f"{name} is a damaged or truncated gzip file.") from None


def is_idx_file(path: str | Path) -> bool:
    """Whether a file starts like an IDX file (after gunzipping), judged from its first four bytes."""
    try:
        with open(path, "rb") as raw:
            start = raw.read(4)
            if start[:2] == GZIP_MAGIC:
                raw.seek(0)
                with gzip.GzipFile(fileobj=raw, mode="rb") as stream:
                    start = stream.read(4)
    except (OSError, EOFError, zlib.error):
        return False
    return len(start) == 4 and start[:2] == b"\0\0" and start[2] in TYPES and start[3] > 0


def _read(stream: IO[bytes], name: str) -> np.ndarray:
    magic = stream.read(4)
    if len(magic) < 4 or magic[:2] != b"\0\0":
        raise DataError(f"{name} is not an IDX file (it does not start with the IDX magic number).")
    code, ndim = magic[2], magic[3]
    if code not in TYPES:
        raise DataError(f"{name} has the IDX type code 0x{code:02X}, which is not one of 08, 09, 0B, 0C, 0D or 0E.")
    if ndim == 0:
        raise DataError(f"{name} says its array has no dimensions.")
    header = stream.read(4 * ndim)
    if len(header) < 4 * ndim:
        raise DataError(f"{name} is truncated: it ends inside the sizes of its {ndim} dimensions.")
    shape = struct.unpack(f">{ndim}I", header)
    dtype = TYPES[code]
    size = math.prod(shape) * dtype.itemsize
    if size > MAX_BYTES:
        raise DataError(f"{name} says it holds {size:,} bytes of data, more than the {MAX_BYTES:,} this app reads.")
    data = stream.read(size + 1)
    if len(data) < size:
        raise DataError(
            f"{name} is truncated: its header promises {size:,} bytes of data for shape {shape}, "
            f"but only {len(data):,} follow."
        )
    if len(data) > size:
        raise DataError(f"{name} is longer than its header says: more than {size:,} bytes of data follow it.")
    return np.frombuffer(data, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def save_idx(path: str | Path, array: np.ndarray) -> None:
    """Write an array as an IDX file, gzip-compressed when the name ends in .gz.

    IDX holds uint8, int8, int16, int32, float32 and float64; booleans are
    written as uint8, other integers as int32 when their values fit.
    """
    path = Path(path)
    array = np.asarray(array)
    if array.dtype == np.bool_:
        array = array.astype(np.uint8)
    elif array.dtype.kind in "iu" and array.dtype.newbyteorder(">") not in TYPES.values():
        if array.size and (array.min() < -(2**31) or array.max() >= 2**31):
            raise DataError(f"{path.name} cannot hold {array.dtype} values beyond the int32 range.")
        array = array.astype(np.int32)
    codes = {dtype: code for code, dtype in TYPES.items()}
    dtype = array.dtype.newbyteorder(">")
    if dtype not in codes:
        raise DataError(
            f"{path.name} cannot hold {array.dtype} values; IDX holds uint8, int8, int16, int32, float32 or float64."
        )
    if not 1 <= array.ndim <= 255 or any(n >= 2**32 for n in array.shape):
        raise DataError(f"{path.name} cannot hold an array of shape {array.shape}.")
    header = bytes([0, 0, codes[dtype], array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "wb") as stream:
        stream.write(header)
        stream.write(np.ascontiguousarray(array, dtype=dtype).tobytes())


def load_idx(images_path: str | Path, labels_path: str | Path | None = None) -> Dataset:
    """MNIST-style images (N, height, width) and optional labels (N,) as a classification Dataset.

    Images become (N, 1, H, W) float32 in [0, 1]: bytes are divided by 255,
    other types scaled by the file's smallest and largest values. Without a
    labels file every image gets the one class "unlabelled".
    """
    images_path = Path(images_path)
    images = read_idx(images_path)
    if images.ndim != 3:
        raise DataError(
            f"{images_path.name} holds a {images.ndim}-dimensional array; "
            "images need 3 dimensions (count, height, width)."
        )
    if not images.shape[0] or not images.shape[1] or not images.shape[2]:
        raise DataError(f"{images_path.name} holds no images (its shape is {images.shape}).")
    notes = []
    if images.dtype == np.uint8:
        X = images.astype(np.float32) / 255
    else:
        low, high = float(images.min()), float(images.max())
        X = ((images.astype(np.float64) - low) / ((high - low) or 1)).astype(np.float32)
        notes.append(f"Pixel values from {low:g} to {high:g} scaled to 0 to 1.")
    X = X[:, None, :, :]
    source = images_path.name
    if labels_path is None:
        y, classes = np.zeros(len(X), dtype=np.int64), ["unlabelled"]
        notes.append("No labels file: every image has the class 'unlabelled'.")
    else:
        labels_path = Path(labels_path)
        y, classes = _labels(read_idx(labels_path), labels_path.name, images_path.name, len(X))
        source += f" with labels from {labels_path.name}"
    stem = images_path.name.removesuffix(".gz")
    return Dataset(X=X, y=y, kind=CLASSIFICATION, classes=classes, name=stem, source=source, notes=notes)


def _labels(labels: np.ndarray, name: str, images_name: str, count: int) -> tuple[np.ndarray, list[str]]:
    if labels.ndim != 1:
        raise DataError(f"{name} holds a {labels.ndim}-dimensional array; labels need 1 dimension.")
    if labels.dtype.kind not in "iu":
        raise DataError(f"{name} holds {labels.dtype} values; labels must be whole numbers.")
    if len(labels) != count:
        raise DataError(f"{name} has {len(labels):,} labels but {images_name} has {count:,} images.")
    values = np.unique(labels)
    return np.searchsorted(values, labels).astype(np.int64), [str(int(v)) for v in values]
