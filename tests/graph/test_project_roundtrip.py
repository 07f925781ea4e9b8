"""Saving and loading .nnproj files: what goes in comes back out, saves are atomic and checked."""

from __future__ import annotations

import json
import os
import zipfile

import numpy as np
import pytest

from designer.graph import NetworkGraph, Project, ProjectFileError, graph_to_data
from designer.graph import migrations
from designer.graph import project as project_module


# --- helpers -----------------------------------------------------------------


def build_graph() -> NetworkGraph:
    """A graph with a little of everything: tuples, 'same', None, a two-input Add, odd positions."""
    g = NetworkGraph()
    g.add_layer("Input", "image", (0.0, 0.0), node_id="in", shape=(1, 28, 28))
    g.add_layer("Conv2D", "conv_a", (220.5, -13.25), node_id="ca", filters=4, kernel_size=5, padding="same",
                activation="relu", init="he_normal", use_bias=False)
    g.add_layer("Conv2D", "conv_b", (220.5, 140.0), node_id="cb", filters=4, kernel_size=3, padding=1)
    g.add_layer("Add", "merge", (440.0, 60.0), node_id="add")
    g.add_layer("MaxPool2D", "pool", (660.0, 60.0), node_id="mp", pool_size=2, stride=None, padding="valid")
    g.add_layer("Flatten", "flat", (880.0, 60.0), node_id="fl")
    g.add_layer("Dropout", "drop", (1100.0, 60.0), node_id="dr", rate=0.25)
    g.add_layer("Dense", "out", (1320.0, 1e6), node_id="de", units=10, activation="softmax", init="glorot_uniform")
    g.add_layer("Reshape", "reshape", (-5.5, 7.125), node_id="rs", shape=(-1, 2))
    g.add_layer("Hopfield", "memory", (0.0, 500.0), node_id="hop", shape=(5, 7), rule="storkey")
    g.add_layer("BatchNorm", "bn", (3.0, 4.0), node_id="bn", momentum=0.01, eps=1e-3)
    g.connect("in", "ca")
    g.connect("in", "cb")
    g.connect("ca", "add", 0)
    g.connect("cb", "add", 1)
    g.connect("add", "mp")
    g.connect("mp", "fl")
    g.connect("fl", "dr")
    g.connect("dr", "de")
    return g


def build_weights() -> dict[str, np.ndarray]:
    rng = np.random.default_rng(7)
    return {
        "conv_a.W": rng.standard_normal((4, 1, 5, 5)).astype(np.float32),
        "conv_b.W": rng.standard_normal((4, 1, 3, 3)),  # float64
        "conv_b.b": np.array([np.nan, np.inf, -np.inf, -0.0], dtype=np.float64),
        "out.W": np.asfortranarray(rng.standard_normal((3136, 10)).astype(np.float32)),
        "out.b": np.arange(10, dtype=np.int64) - 5,
        "memory.mask": rng.random((5, 7)) > 0.5,  # bool
        "bn.num_batches": np.array(42, dtype=np.int64),  # 0-d
        "bn.empty": np.zeros((0, 3), dtype=np.float32),  # empty
        "pool.small": np.array([1, 2, 3], dtype=np.uint8),
        "drop.half": np.array([1.5, -2.25], dtype=np.float16),
        "flat.big_endian": np.array([1.0, 2.0], dtype=">f4"),
    }


def build_project() -> Project:
    return Project(
        graph=build_graph(),
        dataset={"name": "MNIST", "split": [0.8, 0.1, 0.1], "normalise": True, "nested": {"a": None}},
        training={"epochs": 3, "lr": 0.001, "optimizer": "adam", "batch_size": 64},
        view={"zoom": 1.25, "centre": [10.5, -3.0], "collapsed": []},
        weights=build_weights(),
        history={"loss": [2.3, 1.1, None, 0.5], "val_accuracy": [None, None, 0.9, 0.95], "empty": []},
        title="Small CNN — ünïcode title",
        description="Two lines\nof description, with \"quotes\" and a tab\t.",
    )


def assert_same_graph(a: NetworkGraph, b: NetworkGraph) -> None:
    assert a.nodes() == b.nodes()
    for node_id in a.nodes():
        la, lb = a.layer(node_id), b.layer(node_id)
        assert (la.id, la.kind, la.name, la.pos) == (lb.id, lb.kind, lb.name, lb.pos)
        assert la.params == lb.params
        for key, value in la.params.items():
            assert type(lb.params[key]) is type(value), (node_id, key)
    assert sorted(a.edges()) == sorted(b.edges())


def assert_same_arrays(a: dict[str, np.ndarray], b: dict[str, np.ndarray]) -> None:
    assert set(a) == set(b)
    for key in a:
        x, y = np.asarray(a[key]), np.asarray(b[key])
        assert y.dtype == x.dtype, key
        assert y.shape == x.shape, key
        assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), key
        # Bit-identical, NaN payloads and signed zeros included.
        assert np.ascontiguousarray(x).tobytes() == np.ascontiguousarray(y).tobytes(), key


def write_document(path, document, **members) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.json", json.dumps(document))
        for name, data in members.items():
            archive.writestr(name, data)


def folder_listing(folder) -> list[str]:
    return sorted(os.listdir(folder))


# --- round trip ----------------------------------------------------------------


def test_round_trip_keeps_everything(tmp_path):
    original = build_project()
    path = tmp_path / "net.nnproj"
    original.save(path)
    loaded = Project.load(path)

    assert_same_graph(original.graph, loaded.graph)
    assert loaded.title == original.title
    assert loaded.description == original.description
    assert loaded.dataset == original.dataset
    assert loaded.training == original.training
    assert loaded.view == original.view
    assert loaded.history == original.history
    assert_same_arrays(original.weights, loaded.weights)


def test_round_trip_parameter_values_and_types(tmp_path):
    path = tmp_path / "params.nnproj"
    build_project().save(path)
    g = Project.load(path).graph
    assert g.params("in") == {"shape": (1, 28, 28)}
    assert isinstance(g.params("in")["shape"], tuple)
    assert g.params("ca")["padding"] == "same"
    assert g.params("cb")["padding"] == 1
    assert g.params("mp") == {"pool_size": 2, "stride": None, "padding": "valid"}
    assert g.params("rs")["shape"] == (-1, 2)
    assert g.params("hop") == {"shape": (5, 7), "rule": "storkey"}
    assert g.params("dr") == {"rate": 0.25}
    assert g.params("bn") == {"momentum": 0.01, "eps": 1e-3}
    assert g.params("de") == {"units": 10, "activation": "softmax", "use_bias": True, "init": "glorot_uniform"}
    assert g.params("ca")["use_bias"] is False
    assert g.pos("ca") == (220.5, -13.25)
    assert g.pos("de") == (1320.0, 1e6)
    assert g.pos("rs") == (-5.5, 7.125)


def test_round_trip_keeps_two_wires_from_one_source_into_ports_0_and_1(tmp_path):
    g = NetworkGraph()
    g.add_layer("Input", "x", node_id="a", shape=(4,))
    g.add_layer("Add", "double", node_id="b")
    g.connect("a", "b", 0)
    g.connect("a", "b", 1)
    path = tmp_path / "double.nnproj"
    Project(graph=g).save(path)
    loaded = Project.load(path).graph
    assert [(e.src, e.dst, e.dst_port) for e in loaded.inputs("b")] == [("a", "b", 0), ("a", "b", 1)]
    assert len(loaded.edges()) == 2


def test_weight_edge_cases_are_bit_identical(tmp_path):
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    weights = {
        "d.f32": np.array([1.0, -0.0, np.float32(1e-45), np.nan], dtype=np.float32),
        "d.f64": np.array([[np.pi, -np.e], [1e308, 5e-324]]),
        "d.i64": np.array([np.iinfo(np.int64).min, -1, 0, np.iinfo(np.int64).max], dtype=np.int64),
        "d.bool": np.array([[True, False], [False, True]]),
        "d.scalar": np.array(3.5, dtype=np.float32),
        "d.empty": np.array([], dtype=np.float64),
        "d.empty2d": np.empty((3, 0), dtype=np.int64),
        "d.fortran": np.asfortranarray(np.arange(24, dtype=np.float64).reshape(2, 3, 4)),
    }
    path = tmp_path / "w.nnproj"
    Project(graph=g, weights=weights).save(path)
    loaded = Project.load(path).weights
    assert_same_arrays(weights, loaded)
    assert loaded["d.scalar"].shape == ()
    assert loaded["d.empty"].shape == (0,)
    assert loaded["d.fortran"][1, 2, 3] == 23.0
    # Loaded arrays are owned, writable copies, not views of the file's bytes.
    assert all(array.flags.writeable for array in loaded.values())


def test_weights_given_as_lists_are_saved_as_arrays(tmp_path):
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    path = tmp_path / "lists.nnproj"
    Project(graph=g, weights={"d.W": [[1, 2], [3, 4]], "d.b": 2.5}).save(path)
    loaded = Project.load(path).weights
    assert np.array_equal(loaded["d.W"], np.array([[1, 2], [3, 4]]))
    assert loaded["d.b"].shape == () and loaded["d.b"] == 2.5


def test_project_without_weights_or_history_loads_with_none(tmp_path):
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    path = tmp_path / "plain.nnproj"
    Project(graph=g).save(path)
    loaded = Project.load(path)
    assert loaded.weights is None
    assert loaded.history is None
    assert loaded.dataset is None and loaded.training is None and loaded.view is None
    assert loaded.title == "" and loaded.description == ""
    with zipfile.ZipFile(path) as archive:
        assert archive.namelist() == ["project.json"]


def test_empty_graph_round_trips(tmp_path):
    path = tmp_path / "empty.nnproj"
    Project().save(path)
    loaded = Project.load(path)
    assert len(loaded.graph) == 0
    assert loaded.graph.edges() == []


def test_file_layout_matches_the_design(tmp_path):
    path = tmp_path / "layout.nnproj"
    build_project().save(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert set(names) == {"project.json", "weights.npz", "history.json"}
        document = json.loads(archive.read("project.json"))
        assert document["format"] == "nn-designer"
        assert document["version"] == migrations.CURRENT_VERSION
        assert set(document["graph"]) == {"nodes", "edges"}
        node = document["graph"]["nodes"][0]
        assert set(node) == {"id", "kind", "name", "params", "pos"}
        assert node["params"]["shape"] == [1, 28, 28]
        assert set(document["graph"]["edges"][0]) == {"src", "dst", "dst_port"}
        with zipfile.ZipFile(archive.open("weights.npz")) as npz:
            assert "conv_a.W.npy" in npz.namelist()


def test_saving_twice_gives_the_same_graph(tmp_path):
    first, second = tmp_path / "one.nnproj", tmp_path / "two.nnproj"
    build_project().save(first)
    once = Project.load(first)
    once.save(second)
    twice = Project.load(second)
    assert_same_graph(once.graph, twice.graph)
    assert graph_to_data(once.graph) == graph_to_data(twice.graph)
    assert_same_arrays(once.weights, twice.weights)
    assert twice.history == once.history
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert a.read("project.json") == b.read("project.json")
        assert a.read("history.json") == b.read("history.json")


def test_saving_over_an_existing_file_replaces_it(tmp_path):
    path = tmp_path / "over.nnproj"
    build_project().save(path)
    g = NetworkGraph()
    g.add_layer("Dense", "only")
    Project(graph=g, title="second").save(path)
    loaded = Project.load(path)
    assert loaded.title == "second"
    assert [loaded.graph.name(n) for n in loaded.graph.nodes()] == ["only"]
    assert loaded.weights is None


# --- atomic saving -------------------------------------------------------------


def test_no_temporary_file_left_after_a_normal_save(tmp_path):
    path = tmp_path / "clean.nnproj"
    build_project().save(path)
    build_project().save(path)
    assert folder_listing(tmp_path) == ["clean.nnproj"]
    assert not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))


def test_failed_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "keep.nnproj"
    build_project().save(path)
    before = path.read_bytes()

    real_write_arrays = project_module.write_arrays

    def write_half_then_fail(stream, arrays):
        first = dict(list(arrays.items())[:2])
        real_write_arrays(stream, first)
        stream.write(b"\0" * 1000)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(project_module, "write_arrays", write_half_then_fail)
    replacement = build_project()
    replacement.title = "never written"
    with pytest.raises((OSError, ProjectFileError)):
        replacement.save(path)

    assert path.read_bytes() == before
    assert folder_listing(tmp_path) == ["keep.nnproj"]
    assert Project.load(path).title == build_project().title


def test_failed_first_write_creates_no_file(tmp_path, monkeypatch):
    path = tmp_path / "new.nnproj"

    def fail(stream, arrays):
        stream.write(b"partial")
        raise KeyboardInterrupt  # even an interrupt must not leave a temporary file

    monkeypatch.setattr(project_module, "write_arrays", fail)
    with pytest.raises(KeyboardInterrupt):
        build_project().save(path)
    assert folder_listing(tmp_path) == []


# --- what cannot be saved ------------------------------------------------------


def assert_cannot_be_saved(tmp_path, project: Project, name: str = "bad.nnproj") -> str:
    path = tmp_path / name
    with pytest.raises(ProjectFileError) as caught:
        project.save(path)
    message = str(caught.value)
    assert message.startswith(f"{name} cannot be saved")
    assert message.endswith(".") and "\n" not in message
    assert folder_listing(tmp_path) == []
    return message


def test_out_of_range_parameter_cannot_be_saved(tmp_path):
    g = NetworkGraph()
    g.add_layer("Dense", units=0)
    message = assert_cannot_be_saved(tmp_path, Project(graph=g))
    assert "units" in message


def test_out_of_range_parameter_does_not_touch_an_existing_file(tmp_path):
    path = tmp_path / "exists.nnproj"
    build_project().save(path)
    before = path.read_bytes()
    g = NetworkGraph()
    g.add_layer("Dense", units=0)
    with pytest.raises(ProjectFileError, match="cannot be saved"):
        Project(graph=g).save(path)
    assert path.read_bytes() == before
    assert folder_listing(tmp_path) == ["exists.nnproj"]


def test_object_weights_cannot_be_saved(tmp_path):
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    weights = {"d.W": np.array([1, "two", None], dtype=object)}
    message = assert_cannot_be_saved(tmp_path, Project(graph=g, weights=weights))
    assert "d.W" in message


@pytest.mark.parametrize("value", [np.array(["a", "b"]), np.array([1 + 2j]), np.array(["2020-01-01"], dtype="M8[D]")])
def test_non_numeric_weights_cannot_be_saved(tmp_path, value):
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    assert_cannot_be_saved(tmp_path, Project(graph=g, weights={"d.W": value}))


@pytest.mark.parametrize("key", ["nolayer.W", "d", "d.", "ghost.d.W"])
def test_weights_of_no_layer_cannot_be_saved(tmp_path, key):
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    assert_cannot_be_saved(tmp_path, Project(graph=g, weights={key: np.zeros(2)}))


def test_unknown_kind_cannot_be_saved(tmp_path):
    g = NetworkGraph()
    g.add_layer("Foo", "mystery")
    message = assert_cannot_be_saved(tmp_path, Project(graph=g))
    assert "Foo" in message


def test_unknown_parameter_cannot_be_saved(tmp_path):
    g = NetworkGraph()
    g.add_layer("Dense", "d", colour="red")
    assert_cannot_be_saved(tmp_path, Project(graph=g))


def test_too_long_title_cannot_be_saved(tmp_path):
    assert_cannot_be_saved(tmp_path, Project(title="x" * 201))


def test_non_finite_history_cannot_be_saved(tmp_path):
    assert_cannot_be_saved(tmp_path, Project(history={"loss": [1.0, float("nan")]}))


def test_settings_that_are_not_objects_cannot_be_saved(tmp_path):
    assert_cannot_be_saved(tmp_path, Project(training=[1, 2]))  # type: ignore[arg-type]


def _with_dense(**fields) -> Project:
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    return Project(graph=g, **fields)


def _nested(levels: int) -> dict:
    value: dict = {}
    for _ in range(levels):
        value = {"a": value}
    return value


@pytest.mark.parametrize(
    "make",
    [
        # History the reader's _check_history would refuse: Project.save must refuse it too (an
        # earlier project.py wrote these and then could not open them).
        pytest.param(lambda: Project(history={"loss": 1.0}), id="history-not-lists"),  # type: ignore[dict-item]
        pytest.param(lambda: Project(history={"loss": [1.0, True]}), id="history-bool"),
        pytest.param(lambda: Project(history=[1.0, 2.0]), id="history-a-list"),  # type: ignore[arg-type]
        # Deeper than the reader's MAX_JSON_DEPTH (32).
        pytest.param(lambda: Project(view=_nested(40)), id="view-too-deep"),
        # Weight keys that would make unsafe or odd member names inside weights.npz.
        pytest.param(lambda: _with_dense(weights={"d.a/b": np.zeros(1)}), id="weight-key-slash"),
        pytest.param(lambda: _with_dense(weights={"d.a\\..\\b": np.zeros(1)}), id="weight-key-backslash"),
        pytest.param(lambda: _with_dense(weights={"d.W.npy": np.zeros(1)}), id="weight-key-npy"),
        pytest.param(lambda: _with_dense(weights={1: np.zeros(1)}), id="weight-key-int"),
    ],
)
def test_a_saved_project_always_opens_again(tmp_path, make):
    """What save accepts, load must accept: otherwise the user's work is lost at the next open."""
    path = tmp_path / "reopen.nnproj"
    project = make()
    try:
        project.save(path)
    except ProjectFileError as error:
        assert "cannot be saved" in str(error)
        assert not path.exists()
        return
    Project.load(path)


def test_weight_key_with_nul_byte_is_refused_or_round_trips(tmp_path):
    # zipfile cuts member names at a NUL byte, so such a key cannot come back; save must refuse it
    # (an earlier project.py saved it and then refused its own file: "weights.npz holds 'd.W'").
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    path = tmp_path / "nul.nnproj"
    project = Project(graph=g, weights={"d.W\x00x": np.zeros(2)})
    try:
        project.save(path)
    except ProjectFileError:
        return
    assert set(Project.load(path).weights) == {"d.W\x00x"}


# --- older files and migrations --------------------------------------------------


def test_older_file_missing_optional_params_loads_with_defaults(tmp_path):
    document = {
        "format": "nn-designer",
        "version": 1,
        "graph": {
            "nodes": [
                {"id": "a", "kind": "Input", "name": "x", "params": {"shape": [8]}, "pos": [0, 0]},
                {"id": "b", "kind": "Dense", "name": "hidden", "params": {"units": 5}, "pos": [200, 0]},
                {"id": "c", "kind": "MaxPool2D", "name": "pool", "params": {}},
                {"id": "d", "kind": "Conv2D", "name": "conv"},
            ],
            "edges": [{"src": "a", "dst": "b"}],
        },
    }
    path = tmp_path / "old.nnproj"
    write_document(path, document)
    loaded = Project.load(path)
    g = loaded.graph
    assert g.params("b") == {"units": 5, "activation": "linear", "use_bias": True, "init": "default"}
    assert g.params("c") == {"pool_size": 2, "stride": None, "padding": 0}
    assert g.params("d")["filters"] == 8 and g.params("d")["init"] == "default"
    assert g.params("a") == {"shape": (8,)}
    assert g.pos("c") == (0.0, 0.0)
    assert [(e.src, e.dst, e.dst_port) for e in g.edges()] == [("a", "b", 0)]
    assert loaded.title == "" and loaded.description == ""
    assert loaded.dataset is None and loaded.training is None and loaded.view is None
    assert loaded.weights is None and loaded.history is None


def test_migration_chain_runs_on_an_older_file(tmp_path, monkeypatch):
    calls = []

    def step(document):
        calls.append(document["version"])
        document = dict(document)
        for node in document["graph"]["nodes"]:
            if node["kind"] == "Dense" and "size" in node["params"]:
                node["params"]["units"] = node["params"].pop("size")
        document["title"] = document.pop("name", "")
        return document

    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {1: step})
    old = {
        "format": "nn-designer",
        "version": 1,
        "name": "renamed in version 2",
        "graph": {"nodes": [{"id": "n1", "kind": "Dense", "name": "d", "params": {"size": 7}, "pos": [1, 2]}]},
    }
    path = tmp_path / "v1.nnproj"
    write_document(path, old)
    loaded = Project.load(path)
    assert calls == [1]
    assert loaded.graph.params("n1")["units"] == 7
    assert loaded.title == "renamed in version 2"

    # A file of the current version (2) is not migrated again, and a save writes version 2.
    saved = tmp_path / "v2.nnproj"
    loaded.save(saved)
    with zipfile.ZipFile(saved) as archive:
        assert json.loads(archive.read("project.json"))["version"] == 2
    Project.load(saved)
    assert calls == [1]


def test_migrate_with_a_missing_step_raises_value_error():
    def step(document):
        return document

    with pytest.raises(ValueError, match="format 2"):
        migrations.migrate({"version": 1}, current=3, steps={1: step})
    with pytest.raises(ValueError):
        migrations.migrate({"version": 1}, current=2, steps={})


def test_migrate_runs_every_step_in_order():
    seen = []

    def make(n):
        def step(document):
            seen.append((n, document["version"]))
            document["trail"] = document.get("trail", []) + [n]
            return document
        return step

    original = {"version": 1}
    result = migrations.migrate(original, current=4, steps={1: make(1), 2: make(2), 3: make(3)})
    assert seen == [(1, 1), (2, 2), (3, 3)]
    assert result["version"] == 4 and result["trail"] == [1, 2, 3]
    assert original == {"version": 1}  # the caller's document is not changed in place


def test_load_with_a_missing_migration_step_is_a_project_file_error(tmp_path, monkeypatch):
    monkeypatch.setattr(migrations, "CURRENT_VERSION", 2)
    monkeypatch.setattr(migrations, "MIGRATIONS", {})
    path = tmp_path / "gap.nnproj"
    write_document(path, {"format": "nn-designer", "version": 1, "graph": {"nodes": []}})
    with pytest.raises(ProjectFileError) as caught:
        Project.load(path)
    message = str(caught.value)
    assert message.startswith("gap.nnproj ") and message.endswith(".") and "\n" not in message


def test_huge_integer_float_parameter_cannot_be_saved(tmp_path):
    # Regression (fixed): FloatParam.problem (designer/graph/params.py:78) calls math.isfinite(10**400), which raises
    g = NetworkGraph()
    g.add_layer("Dropout", rate=10**400)
    assert_cannot_be_saved(tmp_path, Project(graph=g))


def test_saving_into_a_missing_folder_is_one_sentence(tmp_path):
    with pytest.raises(ProjectFileError) as caught:
        Project(graph=NetworkGraph()).save(tmp_path / "no such folder" / "p.nnproj")
    assert str(caught.value).startswith("p.nnproj cannot be saved: ")
    assert "\n" not in str(caught.value)


def test_saving_over_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "shared.nnproj"
    Project(graph=NetworkGraph()).save(path)
    path.chmod(0o640)
    Project(graph=NetworkGraph(), title="again").save(path)
    assert path.stat().st_mode & 0o777 == 0o640
    assert Project.load(path).title == "again"


def test_a_new_file_gets_the_usual_permissions_not_a_temporary_files(tmp_path):
    current = os.umask(0o022)
    try:
        path = tmp_path / "new.nnproj"
        Project(graph=NetworkGraph()).save(path)
    finally:
        os.umask(current)
    assert path.stat().st_mode & 0o777 == 0o644


def test_weights_are_stored_uncompressed(tmp_path):
    g = NetworkGraph()
    g.add_layer("Dense", "d")
    path = tmp_path / "w.nnproj"
    Project(graph=g, weights={"d.W": np.zeros((100, 100), np.float32)}).save(path)
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("weights.npz").compress_type == zipfile.ZIP_STORED
        assert archive.getinfo("project.json").compress_type == zipfile.ZIP_DEFLATED
