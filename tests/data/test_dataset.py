"""Dataset construction: what is checked, in one sentence each; and its small helpers."""

import numpy as np
import pytest

from designer.data import CLASSIFICATION, REGRESSION, DataError, Dataset

X = np.zeros((3, 2), dtype=np.float32)
LABELS = np.array([0, 1, 1], dtype=np.int64)


def test_a_good_dataset_and_its_helpers():
    data = Dataset(X=X, y=LABELS, kind=CLASSIFICATION, classes=["no", "yes"], feature_names=["a", "b"],
                   sample_names=["p", "q", "r"])
    assert len(data) == 3 and data.sample_shape == (2,) and data.n_outputs == 2
    assert data.class_counts().tolist() == [1, 2]
    part = data.subset([2, 0], name="part")
    assert part.y.tolist() == [1, 0] and part.sample_names == ["r", "p"] and part.name == "part"
    assert part.classes == data.classes and part.classes is not data.classes


def test_classes_default_to_the_indices_as_text():
    assert Dataset(X=X, y=np.array([0, 2, 1]), kind=CLASSIFICATION).classes == ["0", "1", "2"]


def test_regression_outputs():
    one = Dataset(X=X, y=np.zeros(3, dtype=np.float32), kind=REGRESSION)
    two = Dataset(X=np.zeros((3, 4, 1), dtype=np.float32), y=np.zeros((3, 2), dtype=np.float32), kind=REGRESSION)
    assert one.n_outputs == 1 and two.n_outputs == 2 and two.sample_shape == (4, 1)
    with pytest.raises(DataError):
        one.class_counts()


@pytest.mark.parametrize("fields, message", [
    (dict(kind="clustering"), "kind must be 'classification' or 'regression', not 'clustering'."),
    (dict(X=[[0.0]]), "X and y must be NumPy arrays, not list and ndarray."),
    (dict(X=np.zeros((3, 2))), "X must hold float32 numbers, not float64; convert it with X.astype(np.float32)."),
    (dict(X=np.zeros(3, dtype=np.float32)), "X must have 2 to 4 axes, batch first ((N, features), (N, steps, features) or (N, channels, height, width)), but it has 1."),
    (dict(X=np.zeros((2, 2), dtype=np.float32)), "y has 3 samples but X has 2."),
    (dict(X=np.float32([[0, 1], [np.nan, 0], [0, 0]])), "X holds NaN or infinite values; remove or replace them first."),
    (dict(y=np.array([0, 1, 1], dtype=np.int32)), "y must hold int64 class indices of shape (N,) for classification, not int32 (3,)."),
    (dict(y=np.array([0, 1, 2])), "y holds the class index 2, but the classes are numbered 0 to 1."),
    (dict(y=np.array([0, -1, 1])), "y holds the class index -1, but the classes are numbered 0 to 1."),
    (dict(classes=["a", "a"]), "The class names must all be different."),
    (dict(classes="ab"), "classes must be a list of texts."),
    (dict(classes=[0, 1]), "classes must be a list of texts."),
    (dict(feature_names=["a"]), "There are 1 feature names for 2 features."),
    (dict(sample_names=["a"]), "There are 1 sample names for 3 samples."),
    (dict(name=None), "name and source must be texts."),
    (dict(kind=REGRESSION, classes=[]), "y must be float32 of shape (N,) or (N, outputs) for regression, not int64 (3,)."),
    (dict(kind=REGRESSION, classes=[], y=np.float32([0, np.inf, 1])), "y holds NaN or infinite values; remove or replace them first."),
    (dict(kind=REGRESSION, y=np.zeros(3, dtype=np.float32)), "A regression data set has no classes; leave classes empty."),
])
def test_bad_construction_is_one_sentence(sentence, fields, message):
    arguments = dict(X=X, y=LABELS, kind=CLASSIFICATION, classes=["no", "yes"]) | fields
    with pytest.raises(DataError) as error:
        Dataset(**arguments)
    assert sentence(error) == message
