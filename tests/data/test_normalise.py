"""Normaliser: fitted on train only, per feature / channel, inverse, and its dict form checked on the way in."""

import json

import numpy as np
import pytest

from designer.data import DataError, Normaliser, load_builtin, split


def test_standardise_is_fitted_on_the_training_part_only():
    train, validation, _ = split(load_builtin("iris"), seed=0)
    normaliser = Normaliser("standardise").fit(train.X)
    assert np.allclose(normaliser.offset, train.X.mean(axis=0))
    assert not np.allclose(normaliser.offset, load_builtin("iris").X.mean(axis=0), atol=1e-4)
    scaled = normaliser.transform(train.X)
    assert scaled.dtype == np.float32
    assert np.allclose(scaled.mean(axis=0), 0, atol=1e-5) and np.allclose(scaled.std(axis=0), 1, atol=1e-5)
    assert not np.allclose(normaliser.transform(validation.X).mean(axis=0), 0, atol=1e-3)


def test_min_max_and_constant_features():
    X = np.array([[1, 5, 2], [3, 5, 4], [2, 5, 8]], dtype=np.float32)
    normaliser = Normaliser("min-max").fit(X)
    assert np.allclose(normaliser.transform(X), [[0, 0, 0], [1, 0, 1 / 3], [0.5, 0, 1]])
    standard = Normaliser("standardise").fit(X)
    assert np.all(np.isfinite(standard.transform(X))) and np.all(standard.transform(X)[:, 1] == 0)


def test_images_per_channel_sequences_per_feature_and_target_vectors():
    images = np.random.default_rng(0).normal(size=(20, 3, 4, 4)).astype(np.float32) + np.float32([[[[0]], [[5]], [[-5]]]])
    normaliser = Normaliser().fit(images)
    assert len(normaliser.offset) == 3 and np.allclose(normaliser.offset, images.mean(axis=(0, 2, 3)))
    assert np.allclose(normaliser.transform(images).mean(axis=(0, 2, 3)), 0, atol=1e-5)
    sequences = load_builtin("sine_next", n_samples=30).X
    assert len(Normaliser().fit(sequences).offset) == 1
    y = np.float32([10, 20, 30])
    target = Normaliser().fit(y)
    assert np.allclose(target.inverse_transform(target.transform(y)), y)


def test_none_leaves_data_alone():
    X = np.float32([[1, 2], [3, 4]])
    normaliser = Normaliser("none").fit(X)
    assert normaliser.fitted and np.array_equal(normaliser.transform(X), X)
    assert normaliser.to_dict() == {"method": "none"}


def test_misuse_is_one_sentence(sentence):
    with pytest.raises(DataError) as error:
        Normaliser("standardise").transform(np.zeros((2, 2)))
    assert sentence(error) == "The standardise normaliser has not been fitted; fit it on the training data first."
    with pytest.raises(DataError) as error:
        Normaliser().fit(np.zeros((3, 2))).transform(np.zeros((3, 5)))
    assert sentence(error) == "The normaliser was fitted on 2 features but the data has 5."
    with pytest.raises(DataError) as error:
        Normaliser("z-score")
    assert sentence(error) == "The normaliser method must be one of none, standardise, min-max, not 'z-score'."
    with pytest.raises(DataError):
        Normaliser().fit(np.zeros((0, 2)))


@pytest.mark.parametrize("method", ["none", "standardise", "min-max"])
def test_dict_round_trip_through_json(method):
    X = load_builtin("iris").X
    normaliser = Normaliser(method).fit(X)
    back = Normaliser.from_dict(json.loads(json.dumps(normaliser.to_dict(), allow_nan=False)))
    assert back.method == method and np.array_equal(back.transform(X), normaliser.transform(X))
    unfitted = Normaliser.from_dict({"method": method})
    assert unfitted.fitted == (method == "none")


@pytest.mark.parametrize("data, message", [
    ([], "The normaliser settings are not a JSON object."),
    ({"method": "standardise", "offset": [0], "scale": [1], "code": "x"}, "The normaliser settings have an unknown key 'code'."),
    ({}, "The normaliser method must be one of none, standardise, min-max, not None."),
    ({"method": ["standardise"]}, "The normaliser method must be one of none, standardise, min-max, not ['standardise']."),
    ({"method": "none", "offset": [0], "scale": [1]}, "The normaliser 'none' has no offset or scale."),
    ({"method": "standardise", "offset": [0]}, "The normaliser's scale must be a list of 1 to 1,000,000 numbers."),
    ({"method": "standardise", "offset": "0", "scale": [1]}, "The normaliser's offset must be a list of 1 to 1,000,000 numbers."),
    ({"method": "standardise", "offset": [], "scale": []}, "The normaliser's offset must be a list of 1 to 1,000,000 numbers."),
    ({"method": "standardise", "offset": [0] * 1_000_001, "scale": [1]}, "The normaliser's offset must be a list of 1 to 1,000,000 numbers."),
    ({"method": "standardise", "offset": [0, 1], "scale": [1]}, "The normaliser has 2 offsets but 1 scales."),
    ({"method": "min-max", "offset": [float("inf")], "scale": [1]}, "The normaliser's offset holds something that is not a finite number."),
    ({"method": "min-max", "offset": [True], "scale": [1]}, "The normaliser's offset holds something that is not a finite number."),
    ({"method": "min-max", "offset": ["1"], "scale": [1]}, "The normaliser's offset holds something that is not a finite number."),
    ({"method": "min-max", "offset": [0], "scale": [0]}, "The normaliser's scales must all be more than 0."),
    ({"method": "min-max", "offset": [0], "scale": [-2]}, "The normaliser's scales must all be more than 0."),
])
def test_hostile_dicts_are_refused(sentence, data, message):
    with pytest.raises(DataError) as error:
        Normaliser.from_dict(data)
    assert sentence(error) == message
