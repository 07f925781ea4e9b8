"""DatasetSpec: JSON round trips for every source, loading relative to the project, missing files, hostile dicts."""

import json

import numpy as np
import pytest

from designer.data import DataError, DatasetSpec, MissingDataError, Normaliser, load_builtin, save_idx


def round_trip(spec):
    data = json.loads(json.dumps(spec.to_dict(), allow_nan=False))
    back = DatasetSpec.from_dict(data)
    assert back.to_dict() == spec.to_dict()
    return back


def test_builtin_round_trip_stores_every_option():
    spec = DatasetSpec(source="builtin", name="moons", options={"noise": 0.2}, train=0.8, validation=0.1, test=0.1, seed=4)
    assert spec.to_dict() == {
        "source": "builtin", "name": "moons", "options": {"n_samples": 200, "noise": 0.2, "seed": 0},
        "split": {"train": 0.8, "validation": 0.1, "test": 0.1, "seed": 4}, "normaliser": {"method": "none"},
    }
    back = round_trip(spec)
    assert np.array_equal(back.load().X, load_builtin("moons", noise=0.2).X)
    parts = back.load_splits()
    assert [len(p) for p in parts] == [160, 20, 20]


def test_a_fitted_normaliser_travels_with_the_spec():
    train = DatasetSpec(source="builtin", name="iris").load_splits().train
    spec = DatasetSpec(source="builtin", name="iris", normaliser=Normaliser("standardise").fit(train.X))
    back = round_trip(spec)
    assert np.allclose(back.normaliser.transform(train.X).mean(axis=0), 0, atol=1e-5)


def test_csv_relative_to_the_project_folder(tmp_path):
    project = tmp_path / "project"
    (project / "data").mkdir(parents=True)
    (project / "data" / "wine.csv").write_text("a;b;quality\n1;2;5.5\n3;4;6.5\n")
    spec = DatasetSpec.for_path(project / "data" / "wine.csv", project, target="quality", kind="regression")
    assert spec.source == "csv" and spec.path == "data/wine.csv"
    back = round_trip(spec)
    data = back.load(project)
    assert data.y.tolist() == [5.5, 6.5]
    (tmp_path / "other").mkdir()
    elsewhere = DatasetSpec.for_path(project / "data" / "wine.csv", tmp_path / "other")
    assert elsewhere.path == "../project/data/wine.csv"
    assert elsewhere.load(tmp_path / "other").X.tolist() == [[1, 2], [3, 4]]


def test_idx_pair_and_type_detection(tmp_path):
    save_idx(tmp_path / "images.gz", np.zeros((3, 2, 2), dtype=np.uint8))
    save_idx(tmp_path / "labels", np.array([0, 1, 0], dtype=np.uint8))
    spec = DatasetSpec.for_path(tmp_path / "images.gz", tmp_path, labels_path=tmp_path / "labels")
    assert (spec.source, spec.path, spec.labels_path) == ("idx", "images.gz", "labels")
    data = round_trip(spec).load(tmp_path)
    assert data.X.shape == (3, 1, 2, 2) and data.classes == ["0", "1"]


def test_image_folder_spec(tmp_path):
    Image = pytest.importorskip("PIL.Image")
    (tmp_path / "pics" / "a").mkdir(parents=True)
    Image.new("RGB", (5, 5), (0, 0, 255)).save(tmp_path / "pics" / "a" / "x.png")
    spec = DatasetSpec.for_path(tmp_path / "pics", tmp_path, size=(3, 2), color="rgb")
    assert spec.source == "images" and spec.to_dict()["options"] == {"size": [3, 2], "color": "rgb"}
    assert round_trip(spec).load(tmp_path).X.shape == (1, 3, 3, 2)


def test_a_missing_file_says_which_path_it_expected(tmp_path, sentence):
    spec = DatasetSpec(source="csv", path="data/wine.csv")
    with pytest.raises(MissingDataError) as error:
        spec.load(tmp_path)
    assert error.value.path == tmp_path / "data" / "wine.csv"
    assert sentence(error) == f"The data file {tmp_path / 'data' / 'wine.csv'} is missing."
    for spec in (DatasetSpec(source="idx", path="gone"), DatasetSpec(source="images", path="gone")):
        with pytest.raises(MissingDataError):
            spec.load(tmp_path)
    with pytest.raises(MissingDataError):
        DatasetSpec.for_path(tmp_path / "nowhere.csv")


GOOD = {"source": "csv", "path": "wine.csv"}


@pytest.mark.parametrize("data, message", [
    ("csv", "The data set settings are not a JSON object."),
    ({**GOOD, "script": "rm -rf"}, "The data set settings have an unknown key 'script'."),
    ({"source": "sql"}, "The data set's source must be one of builtin, csv, idx, images, not 'sql'."),
    ({"source": ["csv"]}, "The data set's source must be one of builtin, csv, idx, images, not ['csv']."),
    ({"source": "builtin", "name": "mnist"}, "There is no built-in data set called 'mnist'."),
    ({"source": "builtin", "name": "iris", "path": "x"}, "A built-in data set has no path."),
    ({"source": "builtin", "name": "moons", "options": {"n_samples": 10**12}},
     "The option n_samples of the built-in data set moons must be a whole number from 4 to 100000, not 1000000000000."),
    ({"source": "builtin", "name": "moons", "options": []}, "The data set's options are not a JSON object."),
    ({"source": "csv"}, "The data set's path must be a file path of 1 to 4,096 characters, not ''."),
    ({"source": "csv", "path": 7}, "The data set's path must be a file path of 1 to 4,096 characters, not 7."),
    ({"source": "csv", "path": "x" * 5000}, "The data set's path must be a file path of 1 to 4,096 characters, not '" + "x" * 56 + "...."),
    ({"source": "csv", "path": "a\0b"}, "The data set's path must be a file path of 1 to 4,096 characters, not 'a\\x00b'."),
    ({**GOOD, "labels_path": "y"}, "Only IDX data sets have a labels_path."),
    ({**GOOD, "name": "wine"}, "Only built-in data sets have a name; files are known by their path."),
    ({**GOOD, "options": {"sep": ";"}}, "A CSV data set has no option 'sep' (its options: target, has_header, delimiter, kind, drop_incomplete)."),
    ({**GOOD, "options": {"target": 1.5}}, "The CSV target must be a column name, a column number or null, not 1.5."),
    ({**GOOD, "options": {"target": ""}}, "The CSV target must be a column name, a column number or null, not ''."),
    ({**GOOD, "options": {"has_header": "yes"}}, "The CSV option has_header must be true or false, not 'yes'."),
    ({**GOOD, "options": {"delimiter": ";;"}}, "The CSV delimiter must be one character such as ',', ';' or a tab, not ';;'."),
    ({**GOOD, "options": {"kind": "clustering"}}, "The CSV kind must be 'classification', 'regression' or null, not 'clustering'."),
    ({"source": "idx", "path": "x", "options": {"size": 3}}, "An IDX data set has no option 'size' (its options: none)."),
    ({"source": "images", "path": "x", "options": {"size": [28]}}, "The image size must be [height, width], two whole numbers from 1 to 1024, not [28]."),
    ({"source": "images", "path": "x", "options": {"size": [28, 5000]}}, "The image size must be [height, width], two whole numbers from 1 to 1024, not [28, 5000]."),
    ({"source": "images", "path": "x", "options": {"color": "cmyk"}}, "The image color must be 'grayscale' or 'rgb', not 'cmyk'."),
    ({**GOOD, "split": [0.7]}, "The data set's split settings are not a JSON object."),
    ({**GOOD, "split": {"train": 0.7, "shuffle": True}}, "The data set's split settings have an unknown key 'shuffle'."),
    ({**GOOD, "split": {"train": 0.9}}, "The split fractions 0.9, 0.15 and 0.15 add up to 1.2; they must add up to 1."),
    ({**GOOD, "split": {"train": "all"}}, "The train fraction must be a number from 0 to 1, not 'all'."),
    ({**GOOD, "split": {"seed": -1}}, "The split seed must be a whole number from 0 to 4294967295, not -1."),
    ({**GOOD, "split": {"seed": 0.5}}, "The split seed must be a whole number from 0 to 4294967295, not 0.5."),
    ({**GOOD, "normaliser": {"method": "magic"}}, "The normaliser method must be one of none, standardise, min-max, not 'magic'."),
])
def test_hostile_dicts_are_refused_with_one_sentence(sentence, data, message):
    with pytest.raises(DataError) as error:
        DatasetSpec.from_dict(data)
    assert sentence(error) == message
