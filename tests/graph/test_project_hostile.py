"""Damaged, foreign, too-new and hostile .nnproj files.

Every one must be answered with a ProjectFileError whose message is one sentence
starting with the file's name, quickly (the one-second bound guards against zip
bombs; it is not a benchmark), and never with any other exception.
"""

from __future__ import annotations

import copy
import io
import json
import struct
import time
import tracemalloc
import warnings
import zipfile

import numpy as np
import pytest

from designer.graph import NetworkGraph, Project, ProjectFileError

TIME_LIMIT = 1.0


# --- helpers -----------------------------------------------------------------


def check_message(message: str, name: str) -> None:
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(name + " "), message
    assert message.endswith("."), message
    assert "Traceback" not in message


def assert_refused(path, *fragments: str) -> str:
    """Load `path`; it must raise ProjectFileError (nothing else), fast, with a one-sentence message."""
    start = time.perf_counter()
    with pytest.raises(ProjectFileError) as caught:
        Project.load(path)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"refusing {path.name} took {elapsed:.2f} s"
    message = str(caught.value)
    check_message(message, path.name)
    for fragment in fragments:
        assert fragment in message, (fragment, message)
    return message


def load_or_refuse(path) -> str | None:
    """Load `path`: success or ProjectFileError are both fine, but nothing else, and quickly."""
    start = time.perf_counter()
    try:
        Project.load(path)
        message = None
    except ProjectFileError as error:
        message = str(error)
        check_message(message, path.name)
    elapsed = time.perf_counter() - start
    assert elapsed < TIME_LIMIT, f"loading {path.name} took {elapsed:.2f} s"
    return message


def base_document() -> dict:
    return {
        "format": "nn-designer",
        "version": 1,
        "title": "hostile",
        "description": "",
        "graph": {
            "nodes": [
                {"id": "n1", "kind": "Input", "name": "x", "params": {"shape": [4]}, "pos": [0, 0]},
                {"id": "n2", "kind": "Dense", "name": "hidden", "params": {"units": 3}, "pos": [200, 0]},
                {"id": "n3", "kind": "Dropout", "name": "drop", "params": {"rate": 0.5}, "pos": [400, 0]},
                {"id": "n4", "kind": "Conv2D", "name": "conv", "params": {"kernel_size": 3}, "pos": [0, 200]},
                {"id": "n5", "kind": "Add", "name": "sum", "params": {}, "pos": [0, 400]},
            ],
            "edges": [
                {"src": "n1", "dst": "n2", "dst_port": 0},
                {"src": "n2", "dst": "n3", "dst_port": 0},
            ],
        },
        "dataset": None,
        "training": None,
        "view": None,
    }


def write_zip(path, members: list[tuple[str, bytes | str]], compression=zipfile.ZIP_DEFLATED) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about duplicate names; some tests want them
        with zipfile.ZipFile(path, "w", compression=compression) as archive:
            for name, data in members:
                archive.writestr(name, data)


def write_project(path, document=None, *, text: str | bytes | None = None, extra=()) -> None:
    if text is None:
        text = json.dumps(base_document() if document is None else document)
    write_zip(path, [("project.json", text), *extra])


def npz(members: list[tuple[str, bytes]]) -> bytes:
    stream = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return stream.getvalue()


def npy(array: np.ndarray, allow_pickle: bool = False) -> bytes:
    stream = io.BytesIO()
    np.save(stream, array, allow_pickle=allow_pickle)
    return stream.getvalue()


def npy_with_header(header: dict, payload: bytes, version=(1, 0)) -> bytes:
    """An .npy file whose header says whatever we like, followed by `payload`."""
    text = "{" + "".join(f"{key!r}: {value!r}, " for key, value in header.items()) + "}"
    text = text.ljust(118 if version == (1, 0) else 116) + "\n"
    raw = text.encode("latin1")
    if version == (1, 0):
        prefix = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(raw))
    else:
        prefix = b"\x93NUMPY" + bytes(version) + struct.pack("<I", len(raw))
    return prefix + raw + payload


def write_with_weights(path, weights_npz: bytes, document=None) -> None:
    write_project(path, document, extra=[("weights.npz", weights_npz)])


def patch_declared_size(path, member: str, size: int) -> None:
    """Rewrite the uncompressed size of `member` in its local header and central directory entry."""
    data = bytearray(path.read_bytes())
    encoded = member.encode()
    patched = 0
    at = 0
    while True:
        at = data.find(b"PK\x03\x04", at)
        if at < 0:
            break
        (length,) = struct.unpack_from("<H", data, at + 26)
        if bytes(data[at + 30 : at + 30 + length]) == encoded:
            struct.pack_into("<I", data, at + 22, size)
            patched += 1
        at += 4
    at = 0
    while True:
        at = data.find(b"PK\x01\x02", at)
        if at < 0:
            break
        (length,) = struct.unpack_from("<H", data, at + 28)
        if bytes(data[at + 46 : at + 46 + length]) == encoded:
            struct.pack_into("<I", data, at + 24, size)
            patched += 1
        at += 4
    assert patched == 2
    path.write_bytes(bytes(data))


def patch_central_directory(path, member: str, offset: int, fmt: str, value: int) -> None:
    data = bytearray(path.read_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        (length,) = struct.unpack_from("<H", data, at + 28)
        if bytes(data[at + 46 : at + 46 + length]) == member.encode():
            struct.pack_into(fmt, data, at + offset, value)
            path.write_bytes(bytes(data))
            return
        at = data.find(b"PK\x01\x02", at + 4)
    raise AssertionError(f"no {member} in the central directory")


def real_project() -> Project:
    g = NetworkGraph()
    g.add_layer("Input", "image", shape=(1, 28, 28))
    g.add_layer("Conv2D", "conv", filters=8, kernel_size=3, padding="same", activation="relu")
    g.add_layer("MaxPool2D", "pool")
    g.add_layer("Flatten", "flat")
    g.add_layer("Dense", "out", units=10, activation="softmax")
    nodes = g.nodes()
    for src, dst in zip(nodes, nodes[1:]):
        g.connect(src, dst)
    rng = np.random.default_rng(1)
    weights = {
        "conv.W": rng.standard_normal((8, 1, 3, 3)).astype(np.float32),
        "conv.b": np.zeros(8, dtype=np.float32),
        "out.W": rng.standard_normal((1568, 10)).astype(np.float32),
        "out.b": rng.standard_normal(10).astype(np.float32),
    }
    return Project(graph=g, weights=weights, history={"loss": [1.0, 0.5, None]}, title="real",
                   training={"epochs": 2}, dataset={"name": "MNIST"}, view={"zoom": 1.0})


@pytest.fixture(scope="module")
def real_bytes(tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("real") / "real.nnproj"
    real_project().save(path)
    Project.load(path)  # the untouched file opens
    return path.read_bytes()


# --- not a file, not a zip, not ours, too new ----------------------------------


def test_path_that_does_not_exist(tmp_path):
    assert_refused(tmp_path / "missing.nnproj", "does not exist")


def test_directory_instead_of_a_file(tmp_path):
    folder = tmp_path / "folder.nnproj"
    folder.mkdir()
    assert_refused(folder)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.nnproj"
    path.write_bytes(b"")
    assert_refused(path, "not a NN Designer project")


def test_text_file(tmp_path):
    path = tmp_path / "notes.nnproj"
    path.write_text("These are my notes, not a project.\n" * 50)
    assert_refused(path, "not a NN Designer project")


def test_bare_json_file_is_not_a_zip(tmp_path):
    path = tmp_path / "bare.nnproj"
    path.write_text(json.dumps(base_document()))
    assert_refused(path, "not a NN Designer project")


def test_zip_without_project_json(tmp_path):
    path = tmp_path / "other.nnproj"
    write_zip(path, [("word/document.xml", "<xml/>"), ("weights.npz", b"")])
    message = assert_refused(path)
    assert message == "other.nnproj is not a NN Designer project (no project.json inside)."


def test_empty_zip(tmp_path):
    path = tmp_path / "hollow.nnproj"
    write_zip(path, [])
    assert_refused(path, "no project.json inside")


def test_another_apps_format(tmp_path):
    path = tmp_path / "foreign.nnproj"
    document = base_document()
    document["format"] = "other-app"
    write_project(path, document)
    assert_refused(path, "not a NN Designer project", "'other-app'")


@pytest.mark.parametrize("document", [{"version": 1, "graph": {"nodes": []}}, [1, 2, 3], "nn-designer", 7, None],
                         ids=["no-format", "list", "string", "number", "null"])
def test_project_json_that_does_not_say_it_is_ours(tmp_path, document):
    path = tmp_path / "unmarked.nnproj"
    write_project(path, text=json.dumps(document))
    assert_refused(path, "not a NN Designer project")


def test_future_version(tmp_path):
    path = tmp_path / "future.nnproj"
    document = base_document()
    document["version"] = 7
    document["graph"] = {"whatever": "a future app writes"}
    write_project(path, document)
    message = assert_refused(path)
    assert message == "future.nnproj was written by a newer NN Designer (format 7; this one reads up to 1)."


@pytest.mark.parametrize("version", [0, -1, "1", 1.0, True, None, [1]], ids=repr)
def test_versions_never_written(tmp_path, version):
    path = tmp_path / "version.nnproj"
    document = base_document()
    document["version"] = version
    write_project(path, document)
    assert_refused(path, "version")


def test_missing_version(tmp_path):
    path = tmp_path / "noversion.nnproj"
    document = base_document()
    del document["version"]
    write_project(path, document)
    assert_refused(path, "version")


# --- truncated and bit-flipped real projects -------------------------------------


@pytest.mark.parametrize("fraction", [0.0001, 0.1, 0.5, 0.9, 0.999, "1 byte short", "22 bytes short"])
def test_truncated_real_project(tmp_path, real_bytes, fraction):
    if fraction == "1 byte short":
        cut = len(real_bytes) - 1
    elif fraction == "22 bytes short":
        cut = len(real_bytes) - 22  # exactly the end-of-central-directory record gone
    else:
        cut = int(len(real_bytes) * fraction)
    path = tmp_path / "cut.nnproj"
    path.write_bytes(real_bytes[:cut])
    assert_refused(path, "cut.nnproj is damaged")  # it starts as a ZIP does, so it is not called foreign


RANDOM_FLIPS = 32


@pytest.mark.parametrize("number", range(RANDOM_FLIPS))
def test_random_bit_flip_in_real_project(tmp_path, real_bytes, number):
    rng = np.random.default_rng(20240531)
    bits = rng.integers(0, len(real_bytes) * 8, size=RANDOM_FLIPS)
    bit = int(bits[number])
    data = bytearray(real_bytes)
    data[bit // 8] ^= 1 << (bit % 8)
    path = tmp_path / "flipped.nnproj"
    path.write_bytes(bytes(data))
    load_or_refuse(path)


def _header_flip_positions(real: bytes) -> list[int]:
    """Bytes of every local header, central directory entry and the end record, where flips hurt most."""
    positions = []
    for signature, length in ((b"PK\x03\x04", 30), (b"PK\x01\x02", 46), (b"PK\x05\x06", 22),
                              (b"PK\x06\x06", 56), (b"PK\x06\x07", 20)):
        at = real.find(signature)
        while at >= 0:
            positions.extend(range(at, min(at + length, len(real))))
            at = real.find(signature, at + 4)
    return sorted(set(positions))


def test_bit_flips_in_zip_headers(tmp_path, real_bytes):
    """One flip in each byte of every header (a fixed bit per byte, chosen by a seeded generator)."""
    rng = np.random.default_rng(7)
    path = tmp_path / "header.nnproj"
    positions = _header_flip_positions(real_bytes)
    assert len(positions) > 100
    outcomes = {"loaded": 0, "refused": 0}
    for position in positions:
        data = bytearray(real_bytes)
        data[position] ^= 1 << int(rng.integers(0, 8))
        path.write_bytes(bytes(data))
        outcomes["refused" if load_or_refuse(path) else "loaded"] += 1
    assert outcomes["refused"] > 0


def test_bit_flip_in_project_json_text_is_refused_by_its_checksum(tmp_path, real_bytes):
    with zipfile.ZipFile(io.BytesIO(real_bytes)) as archive:
        info = archive.getinfo("project.json")
    data = bytearray(real_bytes)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data[start + info.compress_size // 2] ^= 0x10
    path = tmp_path / "crc.nnproj"
    path.write_bytes(bytes(data))
    assert_refused(path, "damaged")


# --- damaged project.json text ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "",
        "   ",
        '{"format": "nn-designer", "version": 1,}',
        '{"format": "nn-designer", "version": 1} trailing',
        b"\xff\xfe\x00{\x00}",
        b'{"format": "nn-designer", "title": "\xc3\x28"}',
        "\ufeff" + json.dumps(base_document()),
    ],
    ids=["brace", "empty", "blank", "trailing-comma", "trailing-text", "utf16", "bad-utf8", "bom"],
)
def test_invalid_json(tmp_path, text):
    path = tmp_path / "invalid.nnproj"
    write_project(path, text=text)
    assert_refused(path)


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")], ids=["lists", "objects"])
@pytest.mark.parametrize("levels", [10_000, 100_000, 900, 33])
def test_deeply_nested_json(tmp_path, opening, closing, levels):
    path = tmp_path / "deep.nnproj"
    write_project(path, text=opening * levels + "1" + closing * levels)
    assert_refused(path)


def test_deeply_nested_json_inside_the_graph(tmp_path):
    path = tmp_path / "deepgraph.nnproj"
    document = json.dumps(base_document())
    deep = "[" * 10_000 + "]" * 10_000
    write_project(path, text=document.replace('"description": ""', f'"description": {deep}'))
    assert_refused(path)


def test_deeply_nested_settings(tmp_path):
    path = tmp_path / "deepview.nnproj"
    document = base_document()
    view: dict = {}
    for _ in range(40):
        view = {"v": view}
    document["view"] = view
    write_project(path, document)
    assert_refused(path, "nested")


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_non_finite_position_written_as_raw_token(tmp_path, token):
    document = base_document()
    document["graph"]["nodes"][1]["pos"] = ["__TOKEN__", 0]
    text = json.dumps(document).replace('"__TOKEN__"', token)
    assert token in text
    path = tmp_path / "nan.nnproj"
    write_project(path, text=text)
    assert_refused(path, token)


# --- wrong types and values in the graph ----------------------------------------------


def _nodes(d):
    return d["graph"]["nodes"]


def _node(d, name):
    return next(n for n in _nodes(d) if n["name"] == name)


def _set(path_fn, value):
    def mutate(d):
        container, key = path_fn(d)
        container[key] = value
    return mutate


def _delete(path_fn):
    def mutate(d):
        container, key = path_fn(d)
        del container[key]
    return mutate


def _append_node(node):
    return lambda d: _nodes(d).append(node)


def _append_edge(edge):
    return lambda d: d["graph"]["edges"].append(edge)


def _param(name, key, value):
    return lambda d: _node(d, name)["params"].__setitem__(key, value)


BAD_DOCUMENTS = {
    # the document
    "title-number": _set(lambda d: (d, "title"), 5),
    "title-too-long": _set(lambda d: (d, "title"), "t" * 201),
    "description-list": _set(lambda d: (d, "description"), ["a"]),
    "dataset-list": _set(lambda d: (d, "dataset"), [1]),
    "training-string": _set(lambda d: (d, "training"), "fast"),
    "view-number": _set(lambda d: (d, "view"), 3),
    "no-graph": _delete(lambda d: (d, "graph")),
    # the graph's structure
    "graph-list": _set(lambda d: (d, "graph"), []),
    "graph-null": _set(lambda d: (d, "graph"), None),
    "nodes-dict": _set(lambda d: (d["graph"], "nodes"), {"n1": {}}),
    "nodes-missing": _delete(lambda d: (d["graph"], "nodes")),
    "edges-dict": _set(lambda d: (d["graph"], "edges"), {}),
    "node-string": lambda d: _nodes(d).__setitem__(1, "Dense"),
    "node-null": lambda d: _nodes(d).__setitem__(1, None),
    "params-list": lambda d: _node(d, "hidden").__setitem__("params", [3]),
    "params-null": lambda d: _node(d, "hidden").__setitem__("params", None),
    "pos-three": lambda d: _node(d, "hidden").__setitem__("pos", [0, 0, 0]),
    "pos-one": lambda d: _node(d, "hidden").__setitem__("pos", [0]),
    "pos-strings": lambda d: _node(d, "hidden").__setitem__("pos", ["1", "2"]),
    "pos-bools": lambda d: _node(d, "hidden").__setitem__("pos", [True, False]),
    "pos-dict": lambda d: _node(d, "hidden").__setitem__("pos", {"x": 1, "y": 2}),
    "pos-far": lambda d: _node(d, "hidden").__setitem__("pos", [1e300, 0]),
    # ids, names, kinds
    "id-missing": lambda d: _node(d, "hidden").pop("id"),
    "id-number": lambda d: _node(d, "hidden").__setitem__("id", 2),
    "id-empty": lambda d: _node(d, "hidden").__setitem__("id", ""),
    "id-too-long": lambda d: _node(d, "hidden").__setitem__("id", "i" * 65),
    "duplicate-id": lambda d: _node(d, "hidden").__setitem__("id", "n1"),
    "duplicate-name": lambda d: _node(d, "drop").__setitem__("name", "hidden"),
    "name-missing": lambda d: _node(d, "hidden").pop("name"),
    "name-with-dot": lambda d: _node(d, "hidden").__setitem__("name", "a.b"),
    "name-with-slash": lambda d: _node(d, "hidden").__setitem__("name", "../x"),
    "name-number": lambda d: _node(d, "hidden").__setitem__("name", 12),
    "kind-unknown": lambda d: _node(d, "hidden").__setitem__("kind", "Foo"),
    "kind-missing": lambda d: _node(d, "hidden").pop("kind"),
    "kind-number": lambda d: _node(d, "hidden").__setitem__("kind", 3),
    "kind-lowercase": lambda d: _node(d, "hidden").__setitem__("kind", "dense"),
    "unknown-param": _param("hidden", "colour", "red"),
    "dunder-param": _param("hidden", "__class__", 1),
    # parameter values
    "units-negative": _param("hidden", "units", -5),
    "units-huge": _param("hidden", "units", 10**15),
    "units-zero": _param("hidden", "units", 0),
    "units-float": _param("hidden", "units", 3.0),
    "units-string": _param("hidden", "units", "3"),
    "units-bool": _param("hidden", "units", True),
    "units-null": _param("hidden", "units", None),
    "kernel-zero": _param("conv", "kernel_size", 0),
    "padding-bad-word": _param("conv", "padding", "full"),
    "padding-negative": _param("conv", "padding", -1),
    "rate-one": _param("drop", "rate", 1.0),
    "rate-negative": _param("drop", "rate", -0.1),
    "rate-string": _param("drop", "rate", "0.5"),
    "activation-swish": _param("hidden", "activation", "swish"),
    "activation-list": _param("hidden", "activation", ["relu"]),
    "use-bias-int": _param("hidden", "use_bias", 1),
    "shape-zero": _param("x", "shape", [0]),
    "shape-empty": _param("x", "shape", []),
    "shape-four": _param("x", "shape", [1, 2, 3, 4]),
    "shape-string": _param("x", "shape", "28x28"),
    "shape-nested": _param("x", "shape", [[1, 2]]),
    "shape-minus-one": _param("x", "shape", [-1]),
    # wires
    "edge-to-missing": _append_edge({"src": "n3", "dst": "ghost", "dst_port": 0}),
    "edge-from-missing": _append_edge({"src": "ghost", "dst": "n5", "dst_port": 0}),
    "edge-src-number": _append_edge({"src": 1, "dst": "n5", "dst_port": 0}),
    "edge-string": _append_edge("n1->n5"),
    "port-negative": _append_edge({"src": "n3", "dst": "n5", "dst_port": -1}),
    "port-bool": _append_edge({"src": "n3", "dst": "n5", "dst_port": True}),
    "port-float": _append_edge({"src": "n3", "dst": "n5", "dst_port": 1.0}),
    "port-string": _append_edge({"src": "n3", "dst": "n5", "dst_port": "0"}),
    "port-huge": _append_edge({"src": "n3", "dst": "n5", "dst_port": 10**30}),
    "two-edges-one-port": _append_edge({"src": "n1", "dst": "n3", "dst_port": 0}),
    "same-edge-twice": _append_edge({"src": "n1", "dst": "n2", "dst_port": 0}),
    # limits
    "too-many-nodes": lambda d: _nodes(d).extend(
        {"id": f"m{i}", "kind": "Flatten", "name": f"f{i}", "params": {}} for i in range(10_001)
    ),
}

EXPECTED_FRAGMENTS = {
    "graph-list": "the graph is not a JSON object",
    "nodes-dict": "nodes are not a list",
    "node-string": "layer 2 is not a JSON object",
    "params-list": "parameters of layer hidden are not a JSON object",
    "pos-three": "position",
    "edge-to-missing": "does not exist",
    "port-negative": "port",
    "port-bool": "not a whole number",
    "units-negative": "units",
    "units-huge": "units",
    "kernel-zero": "kernel_size",
    "rate-one": "rate",
    "activation-swish": "activation",
    "kind-unknown": "'Foo'",
    "unknown-param": "'colour'",
    "duplicate-id": "'n1'",
    "duplicate-name": "two layers are named hidden",
    "two-edges-one-port": "already has a wire",
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_bad_graph_data(tmp_path, case):
    document = copy.deepcopy(base_document())
    BAD_DOCUMENTS[case](document)
    path = tmp_path / f"{case}.nnproj"
    write_project(path, document)
    message = assert_refused(path, "damaged")
    if case in EXPECTED_FRAGMENTS:
        assert EXPECTED_FRAGMENTS[case] in message


@pytest.mark.parametrize(
    "case",
    [
        # Regression (fixed): FloatParam.problem (designer/graph/params.py:78) calls math.isfinite on a JSON integer
        pytest.param(_param("drop", "rate", 10**400), id="rate-huge-int"),
        # Regression (fixed): the same OverflowError from the position check in designer/graph/serialise.py:106
        pytest.param(lambda d: _node(d, "hidden").__setitem__("pos", [10**400, 0]), id="pos-huge-int"),
        pytest.param(_param("hidden", "units", 10**400), id="units-huge-int"),
    ],
)
def test_huge_json_integers(tmp_path, case):
    document = copy.deepcopy(base_document())
    case(document)
    path = tmp_path / "bignum.nnproj"
    write_project(path, document)
    assert_refused(path, "damaged")


def test_the_base_document_itself_loads(tmp_path):
    """The hostile cases above are the base document with one fault; without it, it opens."""
    path = tmp_path / "good.nnproj"
    write_project(path)
    project = Project.load(path)
    assert len(project.graph) == 5


def test_a_cycle_is_held_not_refused(tmp_path):
    """A cycle is a design problem that validate() explains, not a damaged file."""
    document = base_document()
    document["graph"]["edges"].append({"src": "n3", "dst": "n5", "dst_port": 0})
    document["graph"]["edges"].append({"src": "n5", "dst": "n2", "dst_port": 1})
    path = tmp_path / "cycle.nnproj"
    write_project(path, document)
    assert load_or_refuse(path) is None


@pytest.mark.parametrize("where", ["kind", "name", "param", "format", "weight"])
def test_message_stays_short_for_huge_strings(tmp_path, where):
    # Regression (fixed): texts from the file go into the message through repr() with no length limit
    huge = "A" * 1_000_000
    document = base_document()
    extra = []
    if where == "kind":
        _node(document, "hidden")["kind"] = huge
    elif where == "name":
        _node(document, "hidden")["name"] = huge
    elif where == "param":
        _node(document, "hidden")["params"][huge] = 1
    elif where == "format":
        document["format"] = huge
    else:
        key = "B" * 60_000  # a ZIP member name has at most 65,535 bytes
        extra = [("weights.npz", npz([(f"ghost{key}.W.npy", npy(np.zeros(1)))]))]
    path = tmp_path / "long.nnproj"
    write_project(path, document, extra=extra)
    message = assert_refused(path)
    assert len(message) < 1000, f"the message is {len(message):,} characters long"


# --- history.json -------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["[1, 2]", '{"loss": 1}', '{"loss": [1, "x"]}', '{"loss": [true]}', '{"loss": [NaN]}', "{bad", "[" * 10_000],
    ids=["list", "not-lists", "string", "bool", "nan", "invalid", "deep"],
)
def test_bad_history(tmp_path, text):
    path = tmp_path / "history.nnproj"
    write_project(path, extra=[("history.json", text)])
    assert_refused(path, "damaged")


# --- weights.npz ---------------------------------------------------------------------


def test_pickled_object_array_is_refused(tmp_path):
    pickled = npy(np.array([{"run": "os.system"}, None, 3], dtype=object), allow_pickle=True)
    path = tmp_path / "pickle.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", pickled)]))
    assert_refused(path, "hidden.W", "pickled")


@pytest.mark.parametrize(
    "descr",
    ["|O", [("a", "<f8"), ("b", "|O")], "<U5", "|S4", "<c16", "<M8[s]", [("a", "<f8")], "|V8"],
    ids=["object", "struct-with-object", "unicode", "bytes", "complex", "datetime", "struct", "void"],
)
def test_header_declaring_a_refused_dtype(tmp_path, descr):
    raw = npy_with_header({"descr": descr, "fortran_order": False, "shape": (2,)}, b"\x00" * 64)
    path = tmp_path / "dtype.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", raw)]))
    assert_refused(path, "hidden.W")


def test_huge_declared_shape_is_refused_without_allocating(tmp_path):
    raw = npy_with_header({"descr": "<f8", "fortran_order": False, "shape": (10**12,)}, b"\x00" * 64)
    path = tmp_path / "shape.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", raw)]))
    tracemalloc.start()
    try:
        assert_refused(path, "hidden.W")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024**2, f"refusing the file allocated {peak:,} bytes"


@pytest.mark.parametrize(
    "header,payload",
    [
        ({"descr": "<f8", "fortran_order": False, "shape": (10, 10)}, b"\x00" * 80),  # short data
        ({"descr": "<f8", "fortran_order": False, "shape": (2,)}, b"\x00" * 24),  # too much data
        ({"descr": "<f8", "fortran_order": False, "shape": (-1, 4)}, b"\x00" * 32),
        # Regression (fixed): the next three pass the size check in _parse_npy (designer/graph/container.py:126-130)
        ({"descr": "<f8", "fortran_order": False, "shape": (-2, -2)}, b"\x00" * 32),
        ({"descr": "<f8", "fortran_order": False, "shape": (0, -1)}, b""),
        ({"descr": "<f8", "fortran_order": False, "shape": (2**64, 2**64, 0)}, b""),
        ({"descr": "<f8", "fortran_order": False, "shape": 4}, b"\x00" * 32),
        ({"descr": "<f8", "fortran_order": False, "shape": (1.5,)}, b"\x00" * 8),
        ({"descr": "<f8", "fortran_order": "yes", "shape": (1,)}, b"\x00" * 8),
        ({"descr": "<f8", "shape": (1,)}, b"\x00" * 8),
        ({"descr": "nonsense", "fortran_order": False, "shape": (1,)}, b"\x00" * 8),
        ({"descr": 5, "fortran_order": False, "shape": (1,)}, b"\x00" * 8),
    ],
    ids=["short", "long", "minus-one", "two-negatives", "zero-and-minus-one", "overflowing-zero",
         "shape-int", "shape-float", "fortran-string", "no-fortran", "descr-nonsense", "descr-int"],
)
def test_damaged_npy_header(tmp_path, header, payload):
    raw = npy_with_header(header, payload)
    path = tmp_path / "header.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", raw)]))
    assert_refused(path, "hidden.W")  # the message says which array is damaged


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x93NUMPY",
        b"not an npy file at all",
        b"\x93NUMPY\x03\x00" + struct.pack("<I", 10) + b"{}        ",
        b"\x93NUMPY\x09\x00" + b"\x00" * 100,
        b"\x93NUMPY\x01\x00\xff\xff" + b"{" * 100,
        b"\x93NUMPY\x02\x00" + struct.pack("<I", 2**31) + b"{",
        b"\x93NUMPY\x01\x00" + struct.pack("<H", 40) + b"{'descr': '<f8', 'shape': ((((((((((((",
        b"\x93NUMPY\x01\x00" + struct.pack("<H", 50) + b"__import__('os').system('false')               \n",
    ],
    ids=["empty", "magic-only", "text", "version-3", "version-9", "header-short", "header-huge", "header-syntax",
         "header-code"],
)
def test_damaged_npy_bytes(tmp_path, raw):
    path = tmp_path / "npy.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", raw)]))
    assert_refused(path, "hidden.W")


def test_weights_npz_that_is_not_a_zip(tmp_path):
    path = tmp_path / "npzjunk.nnproj"
    write_with_weights(path, b"this is not a zip")
    assert_refused(path, "weights.npz")


def test_weights_npz_member_that_is_not_an_array(tmp_path):
    path = tmp_path / "npztext.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", npy(np.zeros(3))), ("readme.txt", b"hello")]))
    assert_refused(path, "readme.txt")


def test_weights_key_of_a_layer_that_does_not_exist(tmp_path):
    path = tmp_path / "ghost.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", npy(np.zeros(3))), ("ghost.W.npy", npy(np.zeros(3)))]))
    assert_refused(path, "ghost.W", "no layer named ghost")


@pytest.mark.parametrize("member", ["hidden.npy", ".npy", "hidden..npy"], ids=["no-dot", "empty", "empty-param"])
def test_weights_key_without_a_dot(tmp_path, member):
    path = tmp_path / "nodot.nnproj"
    write_with_weights(path, npz([(member, npy(np.zeros(3)))]))
    assert_refused(path, "<layer>.<parameter>")


@pytest.mark.parametrize("member", ["../hidden.W.npy", "/hidden.W.npy", "a/../../hidden.W.npy", "C:hidden.W.npy"])
def test_weights_member_with_unsafe_path(tmp_path, member):
    path = tmp_path / "npzpath.nnproj"
    write_with_weights(path, npz([(member, npy(np.zeros(3)))]))
    assert_refused(path, "unsafe path")


def test_weights_with_two_members_of_one_name(tmp_path):
    path = tmp_path / "npztwice.nnproj"
    write_with_weights(path, npz([("hidden.W.npy", npy(np.zeros(3))), ("hidden.W.npy", npy(np.ones(3)))]))
    assert_refused(path, "two members")


def test_weights_member_declaring_a_huge_size(tmp_path):
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as archive:
        archive.writestr("hidden.W.npy", npy(np.zeros(3)))
        archive.infolist()[0].file_size = 50 * 1024**3
    path = tmp_path / "npzhuge.nnproj"
    write_with_weights(path, inner.getvalue())
    assert_refused(path, "more than")


def test_weights_npz_declaring_a_huge_size(tmp_path):
    path = tmp_path / "outerhuge.nnproj"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.json", json.dumps(base_document()))
        archive.writestr("weights.npz", npz([("hidden.W.npy", npy(np.zeros(3)))]))
        archive.getinfo("weights.npz").file_size = 50 * 1024**3
    assert_refused(path, "weights.npz", "more than")


# --- the outer container ---------------------------------------------------------------


@pytest.mark.parametrize(
    "member", ["../evil.txt", "/abs.txt", "a/../../evil.txt", "..\\evil.txt", "\\abs.txt", "C:/evil.txt", ".."]
)
def test_member_with_unsafe_path(tmp_path, member):
    path = tmp_path / "unsafe.nnproj"
    write_project(path, extra=[(member, "boo")])
    assert_refused(path, "unsafe path")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["unsafe.nnproj"]  # nothing was extracted


def test_two_members_named_project_json(tmp_path):
    path = tmp_path / "twice.nnproj"
    other = base_document()
    other["title"] = "the other one"
    write_zip(path, [("project.json", json.dumps(base_document())), ("project.json", json.dumps(other))])
    assert_refused(path, "two members named 'project.json'")


def test_too_many_members(tmp_path):
    path = tmp_path / "crowd.nnproj"
    write_project(path, extra=[(f"extra{i}.txt", "x") for i in range(100)])
    assert_refused(path, "members")


def test_project_json_declaring_50_gb(tmp_path):
    path = tmp_path / "declared.nnproj"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.json", json.dumps(base_document()))
        archive.getinfo("project.json").file_size = 50 * 1024**3  # written as a zip64 extra field
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("project.json").file_size == 50 * 1024**3
    assert_refused(path, "project.json", "more than")


def test_project_json_declaring_4_gb_in_patched_headers(tmp_path):
    path = tmp_path / "patched.nnproj"
    write_project(path)
    patch_declared_size(path, "project.json", 0xF000_0000)
    assert_refused(path, "project.json", "4,026,531,840")


def test_history_json_declaring_too_much(tmp_path):
    path = tmp_path / "longhistory.nnproj"
    write_project(path, extra=[("history.json", "{}")])
    patch_declared_size(path, "history.json", 0x7000_0000)
    assert_refused(path, "history.json")


@pytest.fixture(scope="module")
def bomb_path(tmp_path_factory):
    """A real ZIP_DEFLATED project.json of 200 MB of spaces: about 200 KB on disk."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.nnproj"
    chunk = b" " * (1 << 20)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        with archive.open("project.json", "w") as member:
            for _ in range(200):
                member.write(chunk)
    assert path.stat().st_size < 5 * 1024**2
    return path


def test_zip_bomb_refused_by_declared_size(bomb_path):
    tracemalloc.start()
    try:
        assert_refused(bomb_path, "more than the 33,554,432 allowed")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 1024**2


def test_zip_bomb_with_a_lying_small_declared_size(tmp_path, bomb_path):
    """The headers say 1,000 bytes; the data inflates to 200 MB. The reader stops at what was declared."""
    path = tmp_path / "liar.nnproj"
    path.write_bytes(bomb_path.read_bytes())
    patch_declared_size(path, "project.json", 1000)
    assert_refused(path)


def test_zip_bomb_with_a_declared_size_just_under_the_limit(tmp_path, bomb_path):
    """Declared 32 MiB (allowed); the stream holds 200 MB: at most the limit is read, then the checksum fails."""
    path = tmp_path / "edge.nnproj"
    path.write_bytes(bomb_path.read_bytes())
    patch_declared_size(path, "project.json", 32 * 1024**2)
    assert_refused(path)


def test_encrypted_member(tmp_path):
    path = tmp_path / "locked.nnproj"
    write_project(path)
    patch_central_directory(path, "project.json", 8, "<H", 0x0001)  # general purpose flag: encrypted
    assert_refused(path)


@pytest.mark.parametrize("method", [1, 6, 12, 14, 99, 0xFFFF])
def test_unsupported_compression_method(tmp_path, method):
    path = tmp_path / "method.nnproj"
    write_project(path)
    patch_central_directory(path, "project.json", 10, "<H", method)
    assert_refused(path)


def test_member_offset_pointing_outside_the_file(tmp_path):
    path = tmp_path / "offset.nnproj"
    write_project(path)
    patch_central_directory(path, "project.json", 42, "<I", 0x7FFF_FFFF)
    assert_refused(path)


def test_every_refusal_leaves_the_file_untouched(tmp_path):
    path = tmp_path / "untouched.nnproj"
    document = base_document()
    document["version"] = 7
    write_project(path, document)
    before = path.read_bytes()
    assert_refused(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["untouched.nnproj"]


def test_weights_that_claim_to_expand_far_are_refused_before_inflating(tmp_path):
    """A small file whose weights.npz inflates to 200 MB of zeros: real weights are stored, never like this."""
    path = tmp_path / "inflating.nnproj"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w", compression=zipfile.ZIP_DEFLATED) as npz:
        npz.writestr("out.W.npy", b"\0" * (200 * 1024**2))
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.json", json.dumps(base_document()))
        archive.writestr("weights.npz", inner.getvalue())
    assert path.stat().st_size < 2 * 1024**2
    assert_refused(path, "inflating.nnproj is damaged", "claims to expand")
