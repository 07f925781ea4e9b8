"""IDX files written by the test: round trips raw and gzip, and damaged files answered with one sentence."""

import gzip
import struct

import numpy as np
import pytest

from designer.data import CLASSIFICATION, DataError, MissingDataError, load_idx, read_idx, save_idx


@pytest.fixture
def mnist_like(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(12, 5, 4), dtype=np.uint8)
    labels = np.array([3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8], dtype=np.uint8)
    return images, labels


@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_images_and_labels_round_trip(tmp_path, mnist_like, suffix):
    images, labels = mnist_like
    images_path, labels_path = tmp_path / f"images-idx3-ubyte{suffix}", tmp_path / f"labels-idx1-ubyte{suffix}"
    save_idx(images_path, images)
    save_idx(labels_path, labels)
    if suffix:
        assert images_path.read_bytes()[:2] == b"\x1f\x8b"
    data = load_idx(images_path, labels_path)
    assert data.kind == CLASSIFICATION
    assert data.X.shape == (12, 1, 5, 4) and data.X.dtype == np.float32
    assert np.array_equal(data.X[:, 0], images / np.float32(255))
    assert data.classes == ["1", "2", "3", "4", "5", "6", "8", "9"]
    assert [data.classes[i] for i in data.y] == [str(v) for v in labels]
    assert data.name == "images-idx3-ubyte"


def test_the_header_is_the_mnist_layout(tmp_path):
    path = tmp_path / "t.idx"
    save_idx(path, np.zeros((2, 3), dtype=np.uint8))
    assert path.read_bytes() == b"\0\0\x08\x02" + struct.pack(">II", 2, 3) + bytes(6)


@pytest.mark.parametrize("array", [
    np.arange(-5, 5, dtype=np.int8),
    np.arange(12, dtype=np.int16).reshape(3, 4) * -300,
    np.arange(6, dtype=np.int32) * 100_000,
    np.linspace(-1, 1, 8, dtype=np.float32).reshape(2, 2, 2),
    np.array([1e-300, -2.5, 3e300]),
])
def test_every_idx_type_round_trips(tmp_path, array):
    save_idx(tmp_path / "a.idx.gz", array)
    back = read_idx(tmp_path / "a.idx.gz")
    assert back.dtype == array.dtype and np.array_equal(back, array)


def test_other_arrays_are_written_as_the_nearest_idx_type(tmp_path, sentence):
    save_idx(tmp_path / "b.idx", np.array([True, False]))
    assert read_idx(tmp_path / "b.idx").dtype == np.uint8
    save_idx(tmp_path / "i.idx", np.array([1, 2**31 - 1], dtype=np.int64))
    assert read_idx(tmp_path / "i.idx").dtype == np.int32
    with pytest.raises(DataError) as error:
        save_idx(tmp_path / "big.idx", np.array([2**40]))
    assert sentence(error) == "big.idx cannot hold int64 values beyond the int32 range."
    with pytest.raises(DataError) as error:
        save_idx(tmp_path / "c.idx", np.array([1j]))
    assert "IDX holds uint8" in sentence(error)


def test_float_images_are_scaled_and_no_labels_means_one_class(tmp_path):
    save_idx(tmp_path / "f.idx", np.array([[[-2.0, 0.0]], [[2.0, 1.0]]], dtype=np.float32))
    data = load_idx(tmp_path / "f.idx")
    assert data.X.reshape(2, 2).tolist() == [[0.0, 0.5], [1.0, 0.75]]
    assert data.classes == ["unlabelled"] and data.y.tolist() == [0, 0]
    assert any("scaled" in note for note in data.notes)


def damaged(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def valid_bytes(shape=(3, 2, 2)):
    return b"\0\0\x08" + bytes([len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + bytes(int(np.prod(shape)))


@pytest.mark.parametrize("content, message", [
    (b"", "x.idx is not an IDX file (it does not start with the IDX magic number)."),
    (b"\x89PNG\r\n\x1a\n", "x.idx is not an IDX file (it does not start with the IDX magic number)."),
    (b"\0\0\x0a\x01" + struct.pack(">I", 1) + b"\0", "x.idx has the IDX type code 0x0A, which is not one of 08, 09, 0B, 0C, 0D or 0E."),
    (b"\0\0\x08\x00", "x.idx says its array has no dimensions."),
    (b"\0\0\x08\x03" + struct.pack(">I", 3), "x.idx is truncated: it ends inside the sizes of its 3 dimensions."),
    (valid_bytes()[:-5], "x.idx is truncated: its header promises 12 bytes of data for shape (3, 2, 2), but only 7 follow."),
    (valid_bytes() + b"\0", "x.idx is longer than its header says: more than 12 bytes of data follow it."),
    (b"\0\0\x0d\x03" + struct.pack(">III", 60000, 60000, 60000), "x.idx says it holds 864,000,000,000,000 bytes of data, more than the 2,147,483,648 this app reads."),
])
def test_damaged_files(tmp_path, sentence, content, message):
    with pytest.raises(DataError) as error:
        read_idx(damaged(tmp_path, "x.idx", content))
    assert sentence(error) == message


def test_damaged_gzip(tmp_path, sentence):
    whole = gzip.compress(valid_bytes())
    with pytest.raises(DataError) as error:
        read_idx(damaged(tmp_path, "x.idx.gz", whole[: len(whole) // 2]))
    assert sentence(error) == "x.idx.gz is a damaged or truncated gzip file."
    with pytest.raises(DataError) as error:
        read_idx(damaged(tmp_path, "y.idx.gz", gzip.compress(valid_bytes()[:-3])))
    assert "is truncated" in sentence(error)


def test_images_and_labels_that_do_not_fit(tmp_path, sentence):
    save_idx(tmp_path / "images.idx", np.zeros((4, 2, 2), dtype=np.uint8))
    save_idx(tmp_path / "flat.idx", np.zeros((4, 4), dtype=np.uint8))
    save_idx(tmp_path / "labels.idx", np.zeros(5, dtype=np.uint8))
    save_idx(tmp_path / "grid.idx", np.zeros((4, 1), dtype=np.uint8))
    save_idx(tmp_path / "float.idx", np.zeros(4, dtype=np.float32))
    save_idx(tmp_path / "empty.idx", np.zeros((0, 2, 2), dtype=np.uint8))
    cases = [
        (("flat.idx",), "flat.idx holds a 2-dimensional array; images need 3 dimensions (count, height, width)."),
        (("images.idx", "labels.idx"), "labels.idx has 5 labels but images.idx has 4 images."),
        (("images.idx", "grid.idx"), "grid.idx holds a 2-dimensional array; labels need 1 dimension."),
        (("images.idx", "float.idx"), "float.idx holds float32 values; labels must be whole numbers."),
        (("empty.idx",), "empty.idx holds no images (its shape is (0, 2, 2))."),
    ]
    for names, message in cases:
        with pytest.raises(DataError) as error:
            load_idx(*(tmp_path / name for name in names))
        assert sentence(error) == message


def test_a_missing_labels_file(tmp_path):
    save_idx(tmp_path / "images.idx", np.zeros((4, 2, 2), dtype=np.uint8))
    with pytest.raises(MissingDataError) as error:
        load_idx(tmp_path / "images.idx", tmp_path / "labels.idx")
    assert error.value.path == tmp_path / "labels.idx"
