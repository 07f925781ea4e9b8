"""A project's training timeline in its file: it comes back as it went in, compressed, and a damaged or
hostile timeline.npz is answered with one sentence naming the file."""

from __future__ import annotations

import io
import json
import time
import warnings
import zipfile

import numpy as np
import pytest

from designer.graph import NetworkGraph, Project, ProjectFileError

TIME_LIMIT = 1.0


def graph() -> NetworkGraph:
    g = NetworkGraph()
    g.add_layer("Input", "x", shape=(2,))
    g.add_layer("Dense", "hidden", units=4, activation="tanh")
    g.add_layer("Dense", "out", units=1, activation="sigmoid")
    g.connect(g.find("x"), g.find("hidden"))
    g.connect(g.find("hidden"), g.find("out"))
    return g


def weights(seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    return {"hidden.W": rng.standard_normal((2, 4)).astype(np.float32), "hidden.b": rng.standard_normal(4),
            "out.W": rng.standard_normal((4, 1)).astype(np.float32), "out.b": np.zeros(1, np.float32)}


def trained_project() -> Project:
    timeline = {epoch: weights(epoch) for epoch in (0, 1, 2, 4, 12)}
    return Project(graph=graph(), weights=weights(12), history={"loss": [0.5] * 12}, timeline=timeline)


def assert_same_timeline(got: dict, expected: dict) -> None:
    assert list(got) == sorted(expected)
    for epoch, arrays in expected.items():
        assert sorted(got[epoch]) == sorted(arrays)
        for key, array in arrays.items():
            assert got[epoch][key].dtype == array.dtype
            np.testing.assert_array_equal(got[epoch][key], array)


def test_the_timeline_comes_back_as_it_went_in(tmp_path):
    project = trained_project()
    path = tmp_path / "xor.nnproj"
    project.save(path)
    loaded = Project.load(path)
    assert_same_timeline(loaded.timeline, project.timeline)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("timeline.npz")
        assert info.compress_type == zipfile.ZIP_DEFLATED
        with archive.open(info) as stream, zipfile.ZipFile(io.BytesIO(stream.read())) as arrays:
            assert "epoch_12/hidden.W.npy" in arrays.namelist()


def test_a_project_without_a_timeline_writes_none_and_old_files_still_open(tmp_path):
    project = trained_project()
    project.timeline = None
    path = tmp_path / "plain.nnproj"
    project.save(path)
    with zipfile.ZipFile(path) as archive:
        assert "timeline.npz" not in archive.namelist()
    assert Project.load(path).timeline is None


def test_arrays_of_layers_deleted_since_are_left_out(tmp_path):
    project = trained_project()
    project.timeline[12]["gone.W"] = np.ones(3, np.float32)
    path = tmp_path / "edited.nnproj"
    project.save(path)
    assert "gone.W" not in Project.load(path).timeline[12]


def test_a_timeline_that_compresses_like_a_zip_bomb_is_stored_so_that_it_opens_again(tmp_path):
    g = NetworkGraph()
    g.add_layer("Input", "x", shape=(1000,))
    g.add_layer("Dense", "wide", units=1000)
    g.connect(g.find("x"), g.find("wide"))
    zeros = {"wide.W": np.zeros((1000, 1000), np.float32), "wide.b": np.zeros(1000, np.float32)}
    project = Project(graph=g, timeline={0: zeros, 1: zeros})
    path = tmp_path / "zeros.nnproj"
    project.save(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("timeline.npz").compress_type == zipfile.ZIP_STORED
    assert_same_timeline(Project.load(path).timeline, project.timeline)


@pytest.mark.parametrize("epoch", [-1, 1.5, "3", 10**9])
def test_an_epoch_that_is_not_a_count_is_not_saved(tmp_path, epoch):
    project = trained_project()
    project.timeline[epoch] = weights(0)
    with pytest.raises(ProjectFileError, match="timeline holds the epoch"):
        project.save(tmp_path / "bad.nnproj")


# --- hostile files ------------------------------------------------------------------------------


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    stream = io.BytesIO()
    np.save(stream, array, allow_pickle=allow_pickle)
    return stream.getvalue()


def npz(members: list[tuple[str, bytes]]) -> bytes:
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; one test wants them
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return stream.getvalue()


def write_with_timeline(path, timeline_npz: bytes) -> None:
    saved = io.BytesIO()
    Project(graph=graph()).save(path)
    document = zipfile.ZipFile(path).read("project.json")
    with zipfile.ZipFile(saved, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.json", document)
        archive.writestr("timeline.npz", timeline_npz)
    path.write_bytes(saved.getvalue())


def assert_refused(path, *fragments: str) -> None:
    start = time.perf_counter()
    with pytest.raises(ProjectFileError) as caught:
        Project.load(path)
    assert time.perf_counter() - start < TIME_LIMIT
    message = str(caught.value)
    assert message.startswith(path.name + " ") and message.endswith(".") and "\n" not in message, message
    for fragment in fragments:
        assert fragment in message, (fragment, message)


W = npy(np.ones((2, 4), np.float32))


@pytest.mark.parametrize("members, fragments", [
    ([("hidden.W.npy", W)], ["hidden.W", "epoch_<n>/<layer>.<parameter>"]),
    ([("epoch_01/hidden.W.npy", W)], ["epoch_01/hidden.W", "epoch_<n>"]),
    ([("epoch_-1/hidden.W.npy", W)], ["epoch_-1/hidden.W"]),
    ([("epoch_1234567890/hidden.W.npy", W)], ["epoch_1234567890"]),
    ([("epoch_3/nowhere.W.npy", W)], ["no layer named nowhere"]),
    ([("epoch_3/hidden.npy", W)], ["not named <layer>.<parameter>"]),
    ([("epoch_3/../../hidden.W.npy", W)], ["unsafe path"]),
    ([("epoch_3/hidden.W.npy", npy(np.array([{"a": 1}], dtype=object), allow_pickle=True))], ["pickled objects"]),
    ([("epoch_3/hidden.W.npy", b"\x93NUMPY garbage")], ["damaged"]),
    ([("epoch_3/hidden.W.npy", W), ("epoch_3/hidden.W.npy", W)], ["two members"]),
    ([("epoch_3/notes.txt", b"hello")], ["not an array"]),
])
def test_a_hostile_timeline_is_refused_with_one_sentence(tmp_path, members, fragments):
    path = tmp_path / "hostile.nnproj"
    write_with_timeline(path, npz(members))
    assert_refused(path, *fragments)


def test_a_timeline_that_is_not_an_npz_archive_is_refused(tmp_path):
    path = tmp_path / "text.nnproj"
    write_with_timeline(path, json.dumps({"epoch_1": [1, 2]}).encode())
    assert_refused(path, "timeline.npz")


def test_a_timeline_claiming_to_expand_enormously_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "bomb.nnproj"
    bomb = npz([("epoch_1/hidden.W.npy", npy(np.zeros(3_000_000, np.float32)))])
    write_with_timeline(path, bomb)  # deflated to a few kB: far more than any real timeline expands
    assert_refused(path, "timeline.npz", "expand")
