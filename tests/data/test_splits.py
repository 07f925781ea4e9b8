"""Splits: sizes, stratification, reproducibility by seed, every class in train, bad fractions."""

import numpy as np
import pytest

from designer.data import CLASSIFICATION, DataError, Dataset, load_builtin, split


def labelled(counts):
    """A classification set with the given number of samples per class; X[i] = i so samples can be traced."""
    y = np.repeat(np.arange(len(counts)), counts).astype(np.int64)
    return Dataset(X=np.arange(len(y), dtype=np.float32)[:, None], y=y, kind=CLASSIFICATION, name="toy")


def ids(part):
    return part.X[:, 0].astype(int).tolist()


def test_parts_cover_every_sample_once_with_rounded_sizes():
    data = labelled([60, 30, 10])
    parts = split(data, 0.7, 0.15, 0.15, seed=0)
    assert [len(p) for p in parts] == [70, 15, 15]
    assert sorted(ids(parts.train) + ids(parts.validation) + ids(parts.test)) == list(range(100))
    train, validation, test = parts
    assert train.name == "toy (train)" and validation.name == "toy (validation)" and test.name == "toy (test)"


def test_stratified_by_default_keeping_class_shares():
    data = labelled([600, 300, 100])
    parts = split(data, seed=5)
    for part in parts:
        shares = part.class_counts() / len(part)
        assert np.allclose(shares, [0.6, 0.3, 0.1], atol=2 / len(part))
    assert parts.train.class_counts().tolist() == [420, 210, 70]


def test_reproducible_by_seed():
    data = load_builtin("iris")
    first, again, other = split(data, seed=7), split(data, seed=7), split(data, seed=8)
    for a, b in zip(first, again):
        assert np.array_equal(a.X, b.X) and np.array_equal(a.y, b.y)
    assert not np.array_equal(first.train.X, other.train.X)


def test_every_class_reaches_train_when_possible():
    for seed in range(20):
        parts = split(labelled([50, 1, 1, 2]), 0.5, 0.25, 0.25, seed=seed)
        assert set(parts.train.y.tolist()) == {0, 1, 2, 3}


def test_regression_is_shuffled_not_stratified():
    data = load_builtin("sine", n_samples=40)
    parts = split(data, 0.5, 0.5, 0.0, seed=1)
    assert [len(p) for p in parts] == [20, 20, 0]
    assert parts.test.X.shape == (0, 1)
    with pytest.raises(DataError) as error:
        split(data, stratify=True)
    assert str(error.value) == "sine is a regression data set, so it has no classes to stratify by."


def test_unstratified_classification_and_tiny_sets():
    parts = split(labelled([5, 5]), 0.8, 0.2, 0.0, stratify=False)
    assert [len(p) for p in parts] == [8, 2, 0]
    tiny = split(load_builtin("single_neuron"), seed=0)
    assert [len(p) for p in tiny] == [2, 1, 1]
    alone = split(labelled([1]), 0.5, 0.5, 0.0)
    assert [len(p) for p in alone] == [1, 0, 0]


@pytest.mark.parametrize("fractions, message", [
    ((0.7, 0.2, 0.2), "The split fractions 0.7, 0.2 and 0.2 add up to 1.1; they must add up to 1."),
    ((0.0, 0.5, 0.5), "The train fraction must be more than 0."),
    ((1.2, -0.1, -0.1), "The train fraction must be a number from 0 to 1, not 1.2."),
    ((0.5, "0.5", 0.0), "The validation fraction must be a number from 0 to 1, not '0.5'."),
    ((0.5, 0.5, float("nan")), "The test fraction must be a number from 0 to 1, not nan."),
    ((True, 0.0, 0.0), "The train fraction must be a number from 0 to 1, not True."),
])
def test_bad_fractions(sentence, fractions, message):
    with pytest.raises(DataError) as error:
        split(labelled([5, 5]), *fractions)
    assert sentence(error) == message
