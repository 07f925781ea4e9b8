"""Tables of numbers from CSV files (plain or gzip-compressed), read as a stream.

Conventions a user sees in messages and settings:

- Rows are numbered as a spreadsheet shows them: the file's first record is
  row 1, so in a file with a header row the first data row is row 2. A quoted
  cell that spans several lines is one row; blank rows count in the numbering
  and are skipped.
- Columns are named by their header (`column "alcohol"`) or, in a file without
  one, counted from 1 (`column 3`). The `target` argument is a header name or a
  Python index (0 is the first column, -1 the last).
- Class names are the distinct labels sorted (numerically when every label is
  a number, else alphabetically), so shuffling a file's rows never changes
  which index a class gets.

Reading is done in chunks of records. Each chunk first goes through
`np.loadtxt`, which parses and converts in C; a chunk it refuses (a bad cell,
a ragged row, a non-finite number) is read again cell by cell, which is what
finds the row and column to name, or drops the incomplete rows. Both paths
convert text with the same rules, so the result does not depend on which one
read a chunk.
"""

from __future__ import annotations

import csv
import gzip
import io
import math
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from .dataset import CLASSIFICATION, KINDS, REGRESSION, Dataset
from .errors import DataError, require_file

DELIMITERS = (",", ";", "\t")
MAX_CLASSES_GUESS = 20  # more distinct whole numbers than this in a numeric target mean regression
SAMPLE_CHARS = 64 * 1024  # what header and delimiter detection look at
MAX_SAMPLE_CHARS = 16 * 1024**2  # detection needs a few whole records, even of very wide tables
CHUNK_RECORDS = 20_000
GZIP_MAGIC = b"\x1f\x8b"


def load_csv(
    path: str | Path,
    target: str | int | None = None,
    has_header: bool | None = None,
    delimiter: str | None = None,
    kind: str | None = None,
    drop_incomplete: bool = False,
    progress: Callable[[float], None] | None = None,
) -> Dataset:
    """Load a CSV file whose columns are numeric features plus one target column.

    `target` is a header name or a column index (default: the last column).
    The header row and the delimiter (comma, semicolon or tab) are detected
    unless `has_header` / `delimiter` say. Text labels make a classification
    data set; a numeric target is regression when it has non-whole values or
    more than 20 distinct ones, else classification, unless `kind` says.
    A cell that is not a number stops the load with a DataError naming the
    row and column, unless `drop_incomplete` is true: then such rows are
    dropped and counted in the result's `source` and `notes`. Messages number
    rows as a spreadsheet does, the header being row 1 (see the module notes).
    `progress(fraction)` is called now and then with the share of bytes read.
    """
    path = Path(path)
    _check_arguments(target, has_header, delimiter, kind)
    require_file(path)
    table = _Table.detect(path, target, has_header, delimiter, kind)
    return table.read(drop_incomplete, progress)


def _check_arguments(target, has_header, delimiter, kind) -> None:
    if target is not None and (isinstance(target, bool) or not isinstance(target, (str, int))):
        raise DataError(f"target must be a column name, a column index or None, not {target!r}.")
    if has_header is not None and not isinstance(has_header, bool):
        raise DataError(f"has_header must be True, False or None, not {has_header!r}.")
    if delimiter is not None and (not isinstance(delimiter, str) or len(delimiter) != 1 or delimiter in '"\r\n'):
        raise DataError(f"delimiter must be one character (not a quote or a line break), not {delimiter!r}.")
    if kind is not None and kind not in KINDS:
        raise DataError(f"kind must be 'classification', 'regression' or None, not {kind!r}.")


@contextmanager
def _open_text(path: Path) -> Iterator[tuple[IO[str], IO[bytes], int]]:
    """The file as text (UTF-8, gunzipped when it starts with the gzip magic), its binary file and size.

    The binary file's position is how many bytes have been read, for progress.
    """
    with open(path, "rb") as binary:
        compressed = binary.read(2) == GZIP_MAGIC
        binary.seek(0)
        stream = gzip.GzipFile(fileobj=binary, mode="rb") if compressed else binary
        with io.TextIOWrapper(stream, encoding="utf-8-sig", newline="") as text:
            try:
                yield text, binary, path.stat().st_size
            except UnicodeDecodeError:
                raise DataError(
                    f"{path.name} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in a spreadsheet)."
                ) from None
            except (EOFError, zlib.error, gzip.BadGzipFile):
                raise DataError(f"{path.name} is a damaged or truncated gzip file.") from None


def _number(cell: str) -> float:
    """A finite number from a cell, or ValueError. The one conversion rule both reading paths follow."""
    value = float(cell)
    if not math.isfinite(value):
        raise ValueError(cell)
    return value


def _is_number(cell: str) -> bool:
    try:
        _number(cell)
    except ValueError:
        return False
    return True


def _is_blank(cells: list[str]) -> bool:
    return not any(cell.strip() for cell in cells)


class _Target:
    """Converts target cells: to numbers, or to label codes in order of first appearance.

    The codes become sorted class indices once the whole file has been read;
    an empty cell raises ValueError in both modes, so it counts as incomplete.
    """

    def __init__(self, numeric: bool):
        self.numeric = numeric
        self.codes: dict[str, int] = {}

    def __call__(self, cell: str) -> float:
        text = cell.strip()
        if self.numeric:
            return _number(text)
        if not text:
            raise ValueError(cell)
        code = self.codes.get(text)
        if code is None:
            code = self.codes[text] = len(self.codes)
        return code


@dataclass
class _Table:
    """What detection found out about a file; `read()` then streams it."""

    path: Path
    delimiter: str
    has_header: bool
    header_row: int  # row number of the header, or of the first non-blank row
    names: list[str]  # one per column: the header cell, or "" when there is none
    target: int
    kind: str | None
    numeric_target: bool  # target cells are numbers (else text labels)

    @property
    def file(self) -> str:
        return self.path.name

    def column(self, index: int) -> str:
        """A column as messages name it."""
        name = self.names[index]
        return f'column "{name}"' if name else f"column {index + 1}"

    @classmethod
    def detect(cls, path: Path, target, has_header, delimiter, kind) -> _Table:
        name = path.name
        sample, complete = _read_sample(path)
        try:
            delimiter = delimiter or _guess_delimiter(sample, complete)
            numbered = list(enumerate(_records(sample, complete, delimiter), 1))
        except csv.Error as error:
            raise DataError(f"{name} cannot be read as CSV ({error}).") from None
        rows = [cells for _, cells in numbered if not _is_blank(cells)]
        if not rows and not complete:
            raise DataError(f"{name} has no line break in its first {len(sample):,} characters, so it is not a table.")
        if not rows:
            raise DataError(f"{name} is empty.")
        if has_header is None:
            has_header = _guess_header(rows, sample)
        if len(rows[0]) < 2:
            raise DataError(
                f"{name} has only one column; a data set needs feature columns and a target column "
                "(separated by commas, semicolons or tabs)."
            )
        if has_header and len(rows) == 1 and complete:
            raise DataError(f"{name} has a header row but no data rows.")
        names = [cell.strip() for cell in rows[0]] if has_header else [""] * len(rows[0])
        table = cls(
            path=path,
            delimiter=delimiter,
            has_header=has_header,
            header_row=next(number for number, cells in numbered if not _is_blank(cells)),
            names=names,
            target=0,
            kind=kind,
            numeric_target=kind == REGRESSION,
        )
        table.target = table._target_index(target)
        if kind is None:
            table.numeric_target = table._numbers_in_target(rows[1:] if has_header else rows)
        return table

    def _target_index(self, target: str | int | None) -> int:
        count = len(self.names)
        if target is None:
            return count - 1
        if isinstance(target, int):
            index = target + count if target < 0 else target
            if not 0 <= index < count:
                raise DataError(
                    f"{self.file} has {count} columns, so there is no column {target} to use as the target "
                    f"(columns are numbered from 0 to {count - 1})."
                )
            return index
        if not self.has_header:
            raise DataError(
                f'{self.file} has no header row, so the target "{target}" must be given as a column number '
                "(0 is the first column)."
            )
        matches = [i for i, name in enumerate(self.names) if name == target.strip()]
        if not matches:
            matches = [i for i, name in enumerate(self.names) if name.casefold() == target.strip().casefold()]
        if len(matches) > 1:
            raise DataError(
                f'{self.file} has {len(matches)} columns called "{target}"; give the target as a column number.'
            )
        if not matches:
            shown = ", ".join(self.column(i).removeprefix("column ") for i in range(min(count, 12)))
            more = f" and {count - 12} more" if count > 12 else ""
            raise DataError(f'{self.file} has no column called "{target}"; its columns are {shown}{more}.')
        return matches[0]

    def _numbers_in_target(self, rows: list[list[str]]) -> bool:
        """Whether most target cells in the sample's data rows are numbers (else they are text labels)."""
        cells = [row[self.target] for row in rows if len(row) == len(self.names)]
        numbers = sum(_is_number(cell) for cell in cells)
        return numbers >= len(cells) - numbers

    def read(self, drop_incomplete: bool, progress: Callable[[float], None] | None) -> Dataset:
        target = _Target(self.numeric_target)
        dropped: list[int] = []
        features, targets = [], []
        keep = [i for i in range(len(self.names)) if i != self.target]
        with _open_text(self.path) as (text, binary, size):
            skip = self.header_row if self.has_header else self.header_row - 1
            for first_row, lines in _chunks(text, skip):
                block = self._chunk(lines, first_row, target, dropped if drop_incomplete else None)
                features.append(block[:, keep].astype(np.float32))
                targets.append(block[:, self.target])
                if progress is not None:
                    progress(min(binary.tell() / max(size, 1), 1.0))
        if not sum(map(len, targets)):
            if dropped:
                raise DataError(
                    f"{self.file} has no complete rows: all {len(dropped)} of its rows have an empty cell "
                    "or one that is not a number."
                )
            if self.has_header:
                raise DataError(f"{self.file} has a header row but no data rows.")
            raise DataError(f"{self.file} is empty.")
        if progress is not None:
            progress(1.0)
        return self._dataset(np.concatenate(features), np.concatenate(targets), target, dropped)

    def _chunk(self, lines: list[str], first_row: int, target: _Target, dropped: list[int] | None) -> np.ndarray:
        """The numbers of a chunk of records: fast when np.loadtxt takes it, else cell by cell."""
        width = len(self.names)
        if not any(line.strip() for line in lines):
            return np.empty((0, width))
        try:
            block = np.loadtxt(
                lines, delimiter=self.delimiter, quotechar='"', comments=None, dtype=np.float64, ndmin=2,
                converters=None if target.numeric else {self.target: target},
            )
            if block.shape[1] == width and np.isfinite(block).all():
                return block
        except ValueError:
            pass
        return self._careful_chunk(lines, first_row, target, dropped)

    def _careful_chunk(
        self, lines: list[str], first_row: int, target: _Target, dropped: list[int] | None
    ) -> np.ndarray:
        width = len(self.names)
        values: list[list[float]] = []
        row = first_row - 1
        try:
            for row, cells in enumerate(csv.reader(lines, delimiter=self.delimiter), first_row):
                if _is_blank(cells):
                    continue
                if len(cells) != width:
                    other = "the header" if self.has_header else f"row {self.header_row}"
                    raise DataError(f"{self.file}, row {row} has {len(cells)} cells but {other} has {width}.")
                numbers = self._row_numbers(cells, row, target, dropped)
                if numbers is not None:
                    values.append(numbers)
        except csv.Error as error:
            raise DataError(f"{self.file}, row {row + 1} cannot be read as CSV ({error}).") from None
        return np.array(values, dtype=np.float64).reshape(-1, width)

    def _row_numbers(
        self, cells: list[str], row: int, target: _Target, dropped: list[int] | None
    ) -> list[float] | None:
        numbers = []
        for index, cell in enumerate(cells):
            try:
                numbers.append(target(cell) if index == self.target else _number(cell))
            except ValueError:
                if dropped is None:
                    raise DataError(f"{self.file}, row {row}, {self.column(index)}{_cell_problem(cell)}.") from None
                dropped.append(row)
                return None
        return numbers

    def _dataset(self, X: np.ndarray, values: np.ndarray, target: _Target, dropped: list[int]) -> Dataset:
        stem = self.path.name.removesuffix(".gz").removesuffix(".csv").removesuffix(".tsv").removesuffix(".txt")
        features = [self.names[i] or f"column {i + 1}" for i in range(len(self.names)) if i != self.target]
        notes, source = [], self.file
        if dropped:
            rows = ", ".join(map(str, dropped[:10])) + (", ..." if len(dropped) > 10 else "")
            plural = "s" if len(dropped) > 1 else ""
            notes.append(f"{len(dropped)} incomplete row{plural} dropped (row{plural} {rows}).")
            source += f", {len(dropped)} incomplete row{plural} dropped"
        common = dict(feature_names=features, name=stem, source=source, notes=notes)
        if target.numeric:
            whole = bool(np.all(values == np.round(values)))
            levels = np.unique(values)
            if self.kind == REGRESSION or (self.kind is None and (not whole or len(levels) > MAX_CLASSES_GUESS)):
                return Dataset(X=X, y=values.astype(np.float32), kind=REGRESSION, **common)
            classes = [_number_name(v) for v in levels]
            y = np.searchsorted(levels, values).astype(np.int64)
            return Dataset(X=X, y=y, kind=CLASSIFICATION, classes=classes, **common)
        y, classes = _sorted_classes(values.astype(np.int64), list(target.codes))
        return Dataset(X=X, y=y, kind=CLASSIFICATION, classes=classes, **common)


def _sorted_classes(codes: np.ndarray, labels: list[str]) -> tuple[np.ndarray, list[str]]:
    """Class indices and names from label codes: labels sorted, by value when all are numbers.

    Labels that were seen only in dropped rows are left out; labels that are
    the same number written differently ("1" and "1.0") are one class.
    """
    used = np.unique(codes)
    numbers = all(_is_number(labels[code]) for code in used)
    keys = {code: _number(labels[code]) if numbers else labels[code] for code in used}
    order = sorted(set(keys.values()))
    index = {key: i for i, key in enumerate(order)}
    lookup = np.zeros(len(labels), dtype=np.int64)
    for code, key in keys.items():
        lookup[code] = index[key]
    return lookup[codes], [_number_name(key) if numbers else key for key in order]


def _number_name(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(float(value))


def _cell_problem(cell: str) -> str:
    """The end of the sentence about a cell that is not a finite number."""
    text = cell.strip()
    if not text:
        return " is empty"
    shown = text if len(text) <= 40 else text[:37] + "..."
    what = "a finite number" if _is_float(text) else "a number"
    return f': "{shown}" is not {what}'


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _read_sample(path: Path) -> tuple[str, bool]:
    """The start of the file as text, long enough to hold a few whole records; and whether it is all of it."""
    with _open_text(path) as (text, _, _):
        sample = text.read(SAMPLE_CHARS)
        while len(sample) < MAX_SAMPLE_CHARS and sample.count("\n") < 3:
            more = text.read(SAMPLE_CHARS)
            if not more:
                return sample, True
            sample += more
        return sample, not text.read(1)


def _records(sample: str, complete: bool, delimiter: str) -> list[list[str]]:
    """The sample's records; the last one is left out when the sample may have cut it short."""
    rows = list(csv.reader(io.StringIO(sample), delimiter=delimiter))
    return rows if complete else rows[:-1]


def _guess_delimiter(sample: str, complete: bool) -> str:
    """Comma, semicolon or tab: csv.Sniffer's guess if it splits the sample into steady rows, else the best that does.

    A delimiter is sane when it gives more than one column and nine in ten
    non-blank rows have the most common number of cells.
    """
    try:
        sniffed = csv.Sniffer().sniff(sample[:SAMPLE_CHARS], delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    candidates = ([sniffed] if sniffed in DELIMITERS else []) + [d for d in DELIMITERS if d != sniffed]
    best, best_score = DELIMITERS[0], (0.0, 1)
    for delimiter in candidates:
        counts = [len(row) for row in _records(sample, complete, delimiter) if not _is_blank(row)]
        if not counts:
            continue
        width, times = Counter(counts).most_common(1)[0]
        score = (times / len(counts), width)
        if width > 1 and score[0] >= 0.9:
            return delimiter
        if width > 1 and score > best_score:
            best, best_score = delimiter, score
    return best


def _guess_header(rows: list[list[str]], sample: str) -> bool:
    """Whether the first non-blank row is a header.

    It is when, in some column, it holds text where most rows below hold
    numbers. A table with no numeric column at all is left to csv.Sniffer; a
    lone row is a header only if none of its cells is a number.
    """
    first, rest = rows[0], rows[1:]
    if not rest:
        return not any(_is_number(cell) for cell in first)
    for index, cell in enumerate(first):
        below = [row[index] for row in rest if index < len(row)]
        if not _is_number(cell) and below and sum(map(_is_number, below)) * 2 > len(below):
            return True
    if any(_is_number(cell) for cell in first):
        return False
    try:
        return csv.Sniffer().has_header(sample[:SAMPLE_CHARS])
    except csv.Error:
        return False


def _chunks(text: IO[str], skip: int) -> Iterator[tuple[int, list[str]]]:
    """The lines of the file in chunks of whole records, each with the row number of its first record.

    The first `skip` records (the header and blank rows before it) are
    skipped. A record ends at a line end outside quotes; counting quote
    characters per line tells which, since CSV escapes a quote by doubling it.
    """
    lines: list[str] = []
    records, inside, row = 0, False, 1
    for line in text:
        if '"' in line and line.count('"') % 2:
            inside = not inside
        if skip:
            if not inside:
                skip -= 1
                row += 1
            continue
        lines.append(line)
        if not inside:
            records += 1
            if records == CHUNK_RECORDS:
                yield row, lines
                row += records
                lines, records = [], 0
    if lines:
        yield row, lines
