"""describe and describe_dict: the facts, and the problems worth a warning."""

import json

import numpy as np

from designer.data import CLASSIFICATION, Dataset, describe, describe_dict, load_builtin


def test_iris_described():
    text = describe(load_builtin("iris"))
    assert text.splitlines()[:5] == [
        "iris (Fisher's Iris data (Fisher, 1936) from the UCI Machine Learning Repository, CC BY 4.0)",
        "rows: 150",
        "sample shape: (4,), 4 values: sepal_length, sepal_width, petal_length, petal_width",
        "kind: classification, 3 classes",
        "  setosa: 50",
    ]
    assert text.endswith("problems: none")


def test_the_dict_form_is_json_ready():
    for name in ("digits", "sine", "parity"):
        info = describe_dict(load_builtin(name))
        assert json.loads(json.dumps(info, allow_nan=False)) == info
    digits = describe_dict(load_builtin("digits"))
    assert digits["rows"] == 1797 and digits["sample_shape"] == [1, 8, 8] and digits["features"] == 64
    assert [c["count"] for c in digits["classes"]][:2] == [178, 182]
    sine = describe_dict(load_builtin("sine", noise=0.0))
    assert sine["kind"] == "regression" and -1 <= sine["target"]["min"][0] < sine["target"]["max"][0] <= 1


def test_problems_are_found():
    X = np.float32([[i, 5, i * 1000] for i in range(30)])
    y = np.array([0] * 29 + [1], dtype=np.int64)
    problems = describe_dict(Dataset(X=X, y=y, kind=CLASSIFICATION, classes=["common", "rare", "none"]))["problems"]
    assert problems == [
        "The class 'rare' has only one row, so it cannot be both trained on and tested.",
        "The class 'none' has no rows.",
        "The classes are imbalanced: the largest has 29 times the rows of the smallest.",
        "These features have the same value in every row: feature 2.",
        "The features' spreads differ up to 1,000 times; standardise them.",
    ]
    tiny = describe(load_builtin("logic_gate"))
    assert "problem: It has only 4 rows, too few to keep some back for validation and testing." in tiny
    flat = Dataset(X=X, y=np.ones(30, dtype=np.float32), kind="regression")
    assert "The target has the same value in every row, so there is nothing to learn." in describe_dict(flat)["problems"]
    empty = Dataset(X=np.zeros((0, 2), dtype=np.float32), y=np.zeros(0, dtype=np.int64), kind=CLASSIFICATION, classes=["a"])
    assert describe_dict(empty)["problems"] == ["It has no rows."]
