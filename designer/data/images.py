"""Image folders: one sub-folder per class, each holding that class's pictures.

Decoding PNG and JPEG needs Pillow, which is imported only here and only when
a folder is loaded, so the rest of the app works without it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np

from .dataset import CLASSIFICATION, Dataset
from .errors import DataError, MissingDataError

EXTENSIONS = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
COLORS = {"grayscale": "L", "rgb": "RGB"}
MAX_SIZE = 1024
LAYOUT = "put the images of each class in a sub-folder named after the class"


def load_image_folder(
    path: str | Path,
    size: tuple[int, int] = (28, 28),
    color: str = "grayscale",
    progress: Callable[[float], None] | None = None,
) -> Dataset:
    """Images from `path/<class name>/<image>`, resized to `size` (height, width), channels-first in [0, 1].

    Classes are the sub-folders sorted by name; hidden files and files that
    are not images by their extension are ignored. Pictures with transparency
    are laid on white first. `color` is "grayscale" (1 channel) or "rgb" (3).
    """
    path = Path(path)
    if color not in COLORS:
        raise DataError(f"color must be 'grayscale' or 'rgb', not {color!r}.")
    if (
        not isinstance(size, (tuple, list)) or len(size) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= MAX_SIZE for n in size)
    ):
        raise DataError(f"size must be (height, width), two whole numbers from 1 to {MAX_SIZE}, not {size!r}.")
    if not path.exists():
        raise MissingDataError(path, "image folder")
    if not path.is_dir():
        raise DataError(f"{path.name} is not a folder; {LAYOUT}.")
    files = _files_by_class(path)
    try:
        from PIL import Image, ImageOps
    except ImportError:
        raise DataError("Loading images needs the Pillow library (pip install pillow).") from None
    height, width = size
    channels = 1 if color == "grayscale" else 3
    total = sum(len(names) for names in files.values())
    X = np.empty((total, channels, height, width), dtype=np.float32)
    y = np.empty(total, dtype=np.int64)
    names = []
    for label, (cls, class_files) in enumerate(files.items()):
        for file in class_files:
            i = len(names)
            try:
                with Image.open(file) as image:
                    picture = _on_white(ImageOps.exif_transpose(image)).convert(COLORS[color])
                    picture = picture.resize((width, height), Image.Resampling.BILINEAR)
            except (OSError, ValueError, Image.DecompressionBombError) as error:
                raise DataError(f"{cls}/{file.name} in {path.name} cannot be read as an image ({error}).") from None
            pixels = np.asarray(picture, dtype=np.float32) / 255
            X[i] = pixels[None] if channels == 1 else pixels.transpose(2, 0, 1)
            y[i] = label
            names.append(f"{cls}/{file.name}")
            if progress is not None and (i + 1) % 100 == 0:
                progress((i + 1) / total)
    if progress is not None:
        progress(1.0)
    return Dataset(
        X=X, y=y, kind=CLASSIFICATION, classes=list(files), name=path.name,
        source=f"image folder {path.name}", sample_names=names,
        notes=[f"{total} images resized to {height}x{width}, {color}."],
    )


def _files_by_class(path: Path) -> dict[str, list[Path]]:
    folders = sorted(p for p in path.iterdir() if p.is_dir() and not p.name.startswith("."))
    if not folders:
        raise DataError(f"{path.name} has no sub-folders; {LAYOUT}.")
    files = {}
    for folder in folders:
        images = sorted(
            p for p in folder.iterdir()
            if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in EXTENSIONS
        )
        if not images:
            raise DataError(f"The class folder {folder.name} in {path.name} holds no images.")
        files[folder.name] = images
    return files


def _on_white(image):
    """The picture laid on a white background if it has transparency, else as it is."""
    from PIL import Image

    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(background, rgba)
    return image
