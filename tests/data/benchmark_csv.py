"""Benchmark: load_csv on a generated numeric CSV, against np.loadtxt on the same file as the reference.

Run it by hand (pytest does not collect it):

    python tests/data/benchmark_csv.py [megabytes, default 100]

It writes the file to the system's temporary folder and deletes it after. It
prints seconds and MB/s for the fast path, the cell-by-cell path (the one that
names bad cells and drops incomplete rows) and text labels, each with its
ratio to np.loadtxt.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import numpy as np

from designer.data import csv_loader, load_csv


def write_table(path: Path, megabytes: float, labels: list[str]) -> None:
    rng = np.random.default_rng(0)
    header = ",".join([f"f{i}" for i in range(20)] + ["label"]) + "\n"
    with open(path, "w", newline="") as stream:
        stream.write(header)
        while stream.tell() < megabytes * 1e6:
            block = rng.normal(size=(20_000, 20)).round(6)
            names = rng.integers(0, len(labels), 20_000)
            stream.write("".join(",".join(map(repr, row)) + f",{labels[k]}\n" for row, k in zip(block.tolist(), names)))


def timed(label: str, path: Path, reference: float | None, load) -> float:
    """Load and print the time; returns seconds per MB, and compares with the reference's."""
    size = os.path.getsize(path) / 1e6
    start = time.perf_counter()
    data = load(path)
    seconds = time.perf_counter() - start
    ratio = f", {seconds / size / reference:.2f}x the time of np.loadtxt" if reference else ""
    print(f"{label:<26} {size:6.1f} MB {seconds:6.2f} s {size / seconds:6.1f} MB/s{ratio} ({len(data):,} rows)")
    return seconds / size


def main(megabytes: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        numbers, words = Path(folder) / "numbers.csv", Path(folder) / "words.csv"
        write_table(numbers, megabytes, [str(i) for i in range(5)])
        write_table(words, megabytes, ["setosa", "versicolor", "virginica"])
        print("rows of 20 numbers and a label")
        reference = timed("np.loadtxt (reference)", numbers, None, lambda path: np.loadtxt(
            path, delimiter=",", skiprows=1, dtype=np.float64, comments=None))
        timed("load_csv", numbers, reference, load_csv)
        timed("load_csv, text labels", words, reference, load_csv)
        with mock.patch.object(csv_loader.np, "loadtxt", side_effect=ValueError("benchmark: cell by cell")):
            timed("load_csv, cell by cell", numbers, reference, load_csv)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 100)
