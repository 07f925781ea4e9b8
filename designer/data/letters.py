"""Capital letters as 10x10 patterns of +1 (ink) and -1 (paper), for Hopfield networks.

Drawn here for NN Designer. A Hopfield network of 100 neurons stores roughly
14 random patterns; letters are far from random (they share strokes), so a
handful is what a Hebbian network recalls reliably, and adding more letters
shows the memory breaking down.
"""

from __future__ import annotations

import numpy as np

from .dataset import CLASSIFICATION, Dataset
from .errors import DataError

DEFAULT_LETTERS = "AJLTX"  # five that a Hebbian network recalls from 10% noise every time
DRAWINGS = {
    "A": """
....##....
...####...
..##..##..
.##....##.
.##....##.
.########.
.########.
.##....##.
.##....##.
.##....##.
""",
    "C": """
..######..
.########.
.##....##.
.##.......
.##.......
.##.......
.##.......
.##....##.
.########.
..######..
""",
    "E": """
.########.
.########.
.##.......
.##.......
.######...
.######...
.##.......
.##.......
.########.
.########.
""",
    "H": """
.##....##.
.##....##.
.##....##.
.##....##.
.########.
.########.
.##....##.
.##....##.
.##....##.
.##....##.
""",
    "J": """
...######.
...######.
.......##.
.......##.
.......##.
.......##.
.##....##.
.##....##.
.########.
..######..
""",
    "L": """
.##.......
.##.......
.##.......
.##.......
.##.......
.##.......
.##.......
.##.......
.########.
.########.
""",
    "O": """
..######..
.########.
.##....##.
.##....##.
.##....##.
.##....##.
.##....##.
.##....##.
.########.
..######..
""",
    "T": """
.########.
.########.
....##....
....##....
....##....
....##....
....##....
....##....
....##....
....##....
""",
    "X": """
.##....##.
.##....##.
..##..##..
...####...
....##....
....##....
...####...
..##..##..
.##....##.
.##....##.
""",
    "Z": """
.########.
.########.
......##..
.....##...
....##....
...##.....
..##......
.##.......
.########.
.########.
""",
}


def letters(*, letters: str, flat: bool) -> Dataset:
    """The chosen letters, one sample each: (N, 10, 10), or (N, 100) when `flat`; class i is letter i."""
    unknown = sorted(set(letters) - set(DRAWINGS))
    if not letters or unknown or len(set(letters)) != len(letters):
        raise DataError(f"letters must be different letters from {''.join(DRAWINGS)}, not {letters!r}.")
    X = np.stack([pattern(letter) for letter in letters])
    return Dataset(
        X=X.reshape(len(letters), -1) if flat else X, y=np.arange(len(letters), dtype=np.int64), kind=CLASSIFICATION,
        classes=list(letters), name="letters", source="letters drawn for NN Designer",
    )


def pattern(letter: str) -> np.ndarray:
    """One letter as a (10, 10) float32 array of +1 and -1."""
    return np.array([[1.0 if c == "#" else -1.0 for c in row] for row in DRAWINGS[letter].split()], dtype=np.float32)
