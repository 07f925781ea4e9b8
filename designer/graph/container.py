"""Reading and writing the ZIP container of a project without trusting it.

A project file may be damaged, foreign or made to attack the reader. So the
reader never extracts to disk, refuses members with unsafe or repeated names,
checks every member's declared size (and how far it claims to expand) before
reading it, reads at most that many bytes, and parses arrays from .npy
headers it has checked (never pickles). Faults raise ContainerError with a
phrase about the member; the project layer adds the file's name.

Arrays are written uncompressed (weights hardly compress), so a real
weights member never expands much; a member that claims to is refused before
anything is inflated.
"""

from __future__ import annotations

import io
import math
import zipfile
import zlib
from typing import IO, Mapping

import numpy as np

from .wording import short

MAX_MEMBERS = 64
MAX_ARRAYS = 100_000
MAX_ARRAY_BYTES = 4 * 1024**3  # VGG16's weights are 0.55 GB; leave room beyond
MAX_EXPANSION = 200  # uncompressed / compressed size; text compresses about 10x, stored arrays 1x
SMALL_MEMBER = 1024**2  # members below this size may expand as they like
ALLOWED_DTYPE_KINDS = "biuf"  # bool, signed and unsigned integers, floats
READ_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError)


class ContainerError(ValueError):
    """The container cannot be read safely; the message is a phrase naming the problem."""


def open_archive(source: str | IO[bytes], what: str, max_members: int = MAX_MEMBERS) -> zipfile.ZipFile:
    """Open a ZIP archive and check its table of contents; `what` names it in messages."""
    try:
        archive = zipfile.ZipFile(source)
    except READ_ERRORS:
        raise ContainerError(f"{what} is not a readable ZIP container") from None
    infos = archive.infolist()
    if len(infos) > max_members:
        raise ContainerError(f"{what} holds {len(infos):,} members, more than it ever has")
    seen = set()
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":"):
            raise ContainerError(f"{what} holds a member with an unsafe path ({short(name)})")
        if name in seen:
            raise ContainerError(f"{what} holds two members named {short(name)}")
        seen.add(name)
    return archive


def _check_size(info: zipfile.ZipInfo, limit: int) -> None:
    name = short(info.filename)
    if info.file_size > limit:
        raise ContainerError(f"{name} declares {info.file_size:,} bytes, more than the {limit:,} allowed")
    if info.file_size > SMALL_MEMBER and info.file_size > MAX_EXPANSION * max(info.compress_size, 1):
        raise ContainerError(
            f"{name} claims to expand from {info.compress_size:,} to {info.file_size:,} bytes, "
            f"which no project does"
        )


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """The bytes of one member, or None if there is none; never more than `limit` bytes."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    _check_size(info, limit)
    try:
        with archive.open(info) as stream:
            data = stream.read(limit + 1)
    except READ_ERRORS:
        raise ContainerError(f"{name} cannot be read") from None
    if len(data) > limit:
        raise ContainerError(f"{name} is larger than the {limit:,} bytes allowed")
    return data


def numeric_arrays(arrays: Mapping[str, object]) -> dict[str, np.ndarray]:
    """The arrays as NumPy arrays of numbers; anything else (objects, text) raises ValueError."""
    result = {}
    for key, value in arrays.items():
        array = np.asarray(value)
        if array.dtype.kind not in ALLOWED_DTYPE_KINDS:
            raise ValueError(f"the weight {short(key)} holds {array.dtype} values; only numbers can be saved")
        result[key] = array
    return result


def write_arrays(stream: IO[bytes], arrays: Mapping[str, np.ndarray]) -> None:
    """Write numeric arrays as an .npz archive (one .npy per array, no pickles) into a writable stream."""
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as npz:
        for key, array in arrays.items():
            with npz.open(f"{key}.npy", "w", force_zip64=True) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def read_arrays(data: bytes, what: str) -> dict[str, np.ndarray]:
    """Parse an .npz archive held in memory, checking each .npy header before trusting it."""
    archive = open_archive(io.BytesIO(data), what, MAX_ARRAYS)
    total = sum(info.file_size for info in archive.infolist())
    if total > MAX_ARRAY_BYTES:
        raise ContainerError(f"{what} declares {total:,} bytes of arrays, more than the {MAX_ARRAY_BYTES:,} allowed")
    arrays = {}
    for info in archive.infolist():
        if not info.filename.endswith(".npy"):
            raise ContainerError(f"{what} holds {short(info.filename)}, which is not an array")
        key = info.filename[: -len(".npy")]
        try:
            raw = read_member(archive, info.filename, MAX_ARRAY_BYTES)
        except ContainerError as error:
            raise ContainerError(f"in {what}, {error}") from None
        arrays[key] = _parse_npy(raw, f"the array {short(key)} in {what}")
    return arrays


def _parse_npy(raw: bytes, label: str) -> np.ndarray:
    stream = io.BytesIO(raw)
    try:
        version = np.lib.format.read_magic(stream)
        if version == (1, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_1_0(stream)
        elif version == (2, 0):
            shape, fortran, dtype = np.lib.format.read_array_header_2_0(stream)
        else:
            raise ContainerError(f"{label} uses an .npy version this app does not read")
    except ContainerError:
        raise
    except READ_ERRORS:
        raise ContainerError(f"{label} is damaged") from None
    if dtype.hasobject or dtype.kind not in ALLOWED_DTYPE_KINDS:
        kind = "pickled objects" if dtype.hasobject else f"{dtype} values"
        raise ContainerError(f"{label} holds {kind}, which NN Designer never loads")
    if not all(isinstance(size, int) and 0 <= size <= MAX_ARRAY_BYTES for size in shape):
        raise ContainerError(f"{label} is damaged (its header gives the sizes {short(shape)})")
    count = math.prod(shape)
    if count * dtype.itemsize != len(raw) - stream.tell():
        raise ContainerError(f"{label} is damaged (its size does not match its header)")
    array = np.frombuffer(raw, dtype=dtype, count=count, offset=stream.tell())
    return array.reshape(shape, order="F" if fortran else "C").copy()
