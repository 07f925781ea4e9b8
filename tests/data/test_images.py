"""Image folders the test draws and writes with Pillow; and the sentence when Pillow is missing."""

import sys

import numpy as np
import pytest

from designer.data import CLASSIFICATION, DataError, MissingDataError, load_image_folder


def draw_folder(root):
    Image = pytest.importorskip("PIL.Image")
    (root / "cats").mkdir(parents=True)
    (root / "dogs").mkdir()
    Image.new("L", (40, 20), 255).save(root / "cats" / "white.png")
    Image.new("RGB", (16, 16), (255, 0, 0)).save(root / "cats" / "red.jpg", quality=100)
    Image.new("RGBA", (10, 10), (0, 0, 0, 0)).save(root / "dogs" / "clear.png")  # transparent: laid on white
    Image.new("L", (8, 8), 0).save(root / "dogs" / "black.bmp")
    (root / "dogs" / "notes.txt").write_text("not an image")
    (root / "dogs" / ".hidden.png").write_bytes(b"")
    (root / ".cache").mkdir()
    return root


def test_grayscale_folder(tmp_path):
    root = draw_folder(tmp_path / "pets")
    data = load_image_folder(root, size=(6, 5))
    assert data.kind == CLASSIFICATION
    assert data.classes == ["cats", "dogs"]
    assert data.X.shape == (4, 1, 6, 5) and data.X.dtype == np.float32
    assert data.sample_names == ["cats/red.jpg", "cats/white.png", "dogs/black.bmp", "dogs/clear.png"]
    assert data.y.tolist() == [0, 0, 1, 1]
    means = data.X.mean(axis=(1, 2, 3))
    assert means[1] == pytest.approx(1) and means[2] == pytest.approx(0) and means[3] == pytest.approx(1)
    assert 0.2 < means[0] < 0.4  # red in grayscale
    assert data.name == "pets"


def test_rgb_folder(tmp_path):
    data = load_image_folder(draw_folder(tmp_path / "pets"), size=(4, 4), color="rgb")
    assert data.X.shape == (4, 3, 4, 4)
    red = data.X[0].mean(axis=(1, 2))
    assert red[0] > 0.95 and red[1] < 0.05 and red[2] < 0.05


def test_folder_problems(tmp_path, sentence):
    pytest.importorskip("PIL")
    with pytest.raises(MissingDataError) as error:
        load_image_folder(tmp_path / "gone")
    assert sentence(error) == f"The image folder {tmp_path / 'gone'} is missing."
    (tmp_path / "flat").mkdir()
    with pytest.raises(DataError) as error:
        load_image_folder(tmp_path / "flat")
    assert sentence(error) == (
        "flat has no sub-folders; put the images of each class in a sub-folder named after the class."
    )
    (tmp_path / "flat" / "empty").mkdir()
    with pytest.raises(DataError) as error:
        load_image_folder(tmp_path / "flat")
    assert sentence(error) == "The class folder empty in flat holds no images."
    (tmp_path / "flat" / "empty" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    with pytest.raises(DataError) as error:
        load_image_folder(tmp_path / "flat")
    assert sentence(error).startswith("empty/broken.png in flat cannot be read as an image (")
    for bad in (dict(size=(0, 5)), dict(size=28), dict(color="cmyk")):
        with pytest.raises(DataError):
            load_image_folder(tmp_path / "flat", **bad)


def test_without_pillow_the_sentence_says_how_to_install_it(tmp_path, monkeypatch, sentence):
    (tmp_path / "pets" / "cats").mkdir(parents=True)
    (tmp_path / "pets" / "cats" / "a.png").write_bytes(b"")
    monkeypatch.setitem(sys.modules, "PIL", None)  # makes `from PIL import ...` raise ImportError
    with pytest.raises(DataError) as error:
        load_image_folder(tmp_path / "pets")
    assert sentence(error) == "Loading images needs the Pillow library (pip install pillow)."
