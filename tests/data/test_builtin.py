"""Every built-in data set: documented shapes, exact classic values, reproducible by seed, options checked."""

import inspect

import numpy as np
import pytest

from designer.data import BUILTIN, CLASSIFICATION, REGRESSION, DataError, list_builtins, load_builtin
from designer.data.letters import DRAWINGS

# name: (samples, sample shape, kind, classes) with default options
SHAPES = {
    "single_neuron": (4, (3,), REGRESSION, 0),
    "gender": (6, (2,), REGRESSION, 0),
    "logic_gate": (4, (2,), REGRESSION, 0),
    "circles": (200, (2,), CLASSIFICATION, 2),
    "moons": (200, (2,), CLASSIFICATION, 2),
    "spirals": (400, (2,), CLASSIFICATION, 2),
    "blobs": (300, (2,), CLASSIFICATION, 3),
    "gaussian_xor": (200, (2,), CLASSIFICATION, 2),
    "sine": (200, (1,), REGRESSION, 0),
    "parity": (1000, (6, 1), CLASSIFICATION, 2),
    "sine_next": (1000, (20, 1), REGRESSION, 0),
    "digits": (1797, (1, 8, 8), CLASSIFICATION, 10),
    "iris": (150, (4,), CLASSIFICATION, 3),
    "letters": (5, (10, 10), CLASSIFICATION, 5),
}
SEEDED = [name for name, b in BUILTIN.items() if "seed" in b.defaults()]


def test_every_built_in_set_is_listed_with_a_description_and_a_source():
    assert set(SHAPES) == set(BUILTIN)
    for name, description in list_builtins():
        assert description.endswith(".") and "\n" not in description
        assert BUILTIN[name].source


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_each_loads_with_its_documented_shape(name):
    samples, shape, kind, classes = SHAPES[name]
    data = load_builtin(name)
    assert len(data) == samples and data.sample_shape == shape and data.kind == kind
    assert len(data.classes) == classes
    assert data.X.dtype == np.float32
    assert data.y.dtype == (np.int64 if kind == CLASSIFICATION else np.float32)
    if kind == CLASSIFICATION:
        assert set(data.y.tolist()) == set(range(classes))  # every class has samples
    assert data.source


@pytest.mark.parametrize("name", sorted(SHAPES))
def test_options_are_the_loader_keywords(name):
    builtin = BUILTIN[name]
    parameters = inspect.signature(builtin.loader).parameters
    assert list(parameters) == list(builtin.defaults())
    for option in builtin.options:
        assert option.problem(option.default) is None


@pytest.mark.parametrize("name", SEEDED)
def test_generated_sets_are_reproducible_by_seed(name):
    first, again, other = load_builtin(name, seed=3), load_builtin(name, seed=3), load_builtin(name, seed=4)
    assert np.array_equal(first.X, again.X) and np.array_equal(first.y, again.y)
    assert not np.array_equal(first.X, other.X)


@pytest.mark.parametrize("name", ["circles", "moons", "spirals", "blobs", "gaussian_xor", "sine", "parity", "sine_next"])
def test_sample_count_and_options_are_honoured(name):
    data = load_builtin(name, n_samples=37, seed=1)
    assert len(data) == 37
    if data.kind == CLASSIFICATION:
        counts = data.class_counts()
        assert counts.max() - counts.min() <= 1 or name == "parity"


def test_noise_free_toys_lie_on_their_curves():
    circles = load_builtin("circles", noise=0.0, factor=0.3)
    radius = np.hypot(*circles.X.T)
    assert np.allclose(radius[circles.y == 0], 1, atol=1e-6) and np.allclose(radius[circles.y == 1], 0.3, atol=1e-6)
    sine = load_builtin("sine", noise=0.0)
    assert np.allclose(sine.y, np.sin(sine.X[:, 0]), atol=1e-6)
    xor = load_builtin("gaussian_xor", noise=0.0)
    assert np.array_equal(xor.y, (np.sign(xor.X[:, 0]) != np.sign(xor.X[:, 1])).astype(int))
    blobs = load_builtin("blobs", classes=4, noise=0.0)
    assert len(np.unique(blobs.X, axis=0)) == 4


def test_sequence_targets():
    parity = load_builtin("parity", length=5, n_samples=50)
    assert np.array_equal(parity.y, parity.X[:, :, 0].sum(axis=1).astype(int) % 2)
    assert set(np.unique(parity.X).tolist()) <= {0.0, 1.0} and parity.classes == ["even", "odd"]
    nxt = load_builtin("sine_next", length=8, n_samples=20)
    x = nxt.X[:, :, 0].astype(np.float64)
    # a sampled sine obeys x[t+1] = 2 cos(w) x[t] - x[t-1]; the target continues the window
    two_cos = (x[:, 2] + x[:, 0]) / np.where(np.abs(x[:, 1]) > 1e-3, x[:, 1], np.nan)
    predicted = two_cos * x[:, -1] - x[:, -2]
    good = np.isfinite(predicted) & (np.abs(x[:, 1]) > 0.1)
    assert np.allclose(predicted[good], nxt.y[good], atol=1e-3)


def test_the_classic_sets_exactly():
    neuron = load_builtin("single_neuron")
    assert neuron.X.tolist() == [[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]]
    assert neuron.y.tolist() == [0, 1, 1, 0] and neuron.y.shape == (4,)
    gender = load_builtin("gender")
    assert gender.X.tolist() == [[0, 0], [27, 17], [19, 12], [-13, -13], [27, 10], [-13, 0]]
    assert gender.y.tolist() == [0, 1, 1, 0, 1, 0]
    assert gender.sample_names == ["Adam", "Beth", "Clara", "David", "Grace", "Henry"]
    assert "Emily [47, 11]" in gender.notes[0] and "Frank [-23, -5]" in gender.notes[0]
    as_classes = load_builtin("gender", kind="classification")
    assert as_classes.classes == ["male", "female"] and as_classes.y.dtype == np.int64
    assert [as_classes.classes[i] for i in as_classes.y] == ["male", "female", "female", "male", "female", "male"]


@pytest.mark.parametrize("gate, outputs", [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor", [0, 1, 1, 0]), ("nand", [1, 1, 1, 0])])
def test_logic_gates(gate, outputs):
    data = load_builtin("logic_gate", gate=gate)
    assert data.X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert data.y.tolist() == outputs
    assert load_builtin("logic_gate", gate=gate, kind="classification").y.tolist() == outputs


def test_digits_and_iris_are_the_real_files():
    digits = load_builtin("digits")
    assert digits.X.shape == (1797, 1, 8, 8) and digits.classes == [str(d) for d in range(10)]
    assert digits.X.min() == 0 and digits.X.max() == 1
    assert digits.class_counts().tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    flat = load_builtin("digits", flat=True)
    assert flat.X.shape == (1797, 64) and flat.feature_names[:2] == ["p0", "p1"]
    assert np.array_equal(flat.X.reshape(-1, 1, 8, 8), digits.X)
    iris = load_builtin("iris")
    assert iris.classes == ["setosa", "versicolor", "virginica"] and iris.class_counts().tolist() == [50, 50, 50]
    assert iris.feature_names == ["sepal_length", "sepal_width", "petal_length", "petal_width"]
    assert "Alpaydin" in digits.source and "CC BY 4.0" in iris.source


def test_letters_are_plus_minus_one_and_the_default_ones_are_stored_by_a_hebbian_network():
    every = load_builtin("letters", letters="".join(DRAWINGS))
    assert every.X.shape == (len(DRAWINGS), 10, 10) and set(np.unique(every.X).tolist()) == {-1.0, 1.0}
    assert len(np.unique(every.X.reshape(len(DRAWINGS), -1), axis=0)) == len(DRAWINGS)
    patterns = load_builtin("letters", flat=True).X.astype(np.float64)
    weights = patterns.T @ patterns
    np.fill_diagonal(weights, 0)
    assert np.array_equal(np.where(patterns @ weights >= 0, 1.0, -1.0), patterns)
    assert load_builtin("letters", letters="XA").classes == ["X", "A"]


@pytest.mark.parametrize("name, options, message", [
    ("moons", dict(n_samples=3), "The option n_samples of the built-in data set moons must be a whole number from 4 to 100000, not 3."),
    ("moons", dict(n_samples=True), "The option n_samples of the built-in data set moons must be a whole number from 4 to 100000, not True."),
    ("moons", dict(noise=float("nan")), "The option noise of the built-in data set moons must be a number from 0 to 2, not nan."),
    ("moons", dict(colour="red"), "The built-in data set moons has no option 'colour' (its options: n_samples, noise, seed)."),
    ("iris", dict(flat=True), "The built-in data set iris has no option 'flat' (its options: none)."),
    ("logic_gate", dict(gate="xnor"), "The option gate of the built-in data set logic_gate must be one of 'and', 'or', 'xor', 'nand', not 'xnor'."),
    ("letters", dict(letters="AQ"), "The option letters of the built-in data set letters must be different letters from ACEHJLOTXZ, not 'AQ'."),
    ("letters", dict(letters="AA"), "letters must be different letters from ACEHJLOTXZ, not 'AA'."),
    ("mnist", {}, "There is no built-in data set called 'mnist'; the built-in sets are " + ", ".join(BUILTIN) + "."),
])
def test_bad_names_and_options(sentence, name, options, message):
    with pytest.raises(DataError) as error:
        load_builtin(name, **options)
    assert sentence(error) == message


def test_numpy_numbers_are_accepted_as_options():
    assert len(load_builtin("moons", n_samples=np.int64(10), noise=np.float32(0.5))) == 10
