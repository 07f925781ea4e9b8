"""The source material's worked examples, trained with the engine as a user would set them up."""

import numpy as np
import pytest

from designer.engine import Trainer, compile_graph

from .gradcheck import chain


def test_single_sigmoid_neuron_without_bias_learns_the_first_column():
    # the output is the first input column; after training, the unseen [1, 0, 0] must come out as 1
    X = np.array([[0, 0, 1], [1, 1, 1], [1, 0, 1], [0, 1, 1]], dtype=float)
    y = np.array([0, 1, 1, 0], dtype=float)
    model = compile_graph(chain((3,), [("Dense", dict(units=1, activation="sigmoid", use_bias=False))]))
    assert set(model.params) == {"dense_1.W"}
    trainer = Trainer(model, loss="mse", optimizer="sgd", lr=2.0, batch_size=4)
    history = trainer.fit(X, y, epochs=10_000)
    assert history.loss[-1] < history.loss[0]
    assert trainer.predict(np.array([[1.0, 0.0, 0.0]]))[0, 0] > 0.99
    predictions = trainer.predict(X)[:, 0]
    assert np.all(predictions[y == 1] > 0.95) and np.all(predictions[y == 0] < 0.05)


def test_two_two_one_sigmoid_network_tells_emily_from_frank():
    X = np.array([[0, 0], [27, 17], [19, 12], [-13, -13], [27, 10], [-13, 0]], dtype=float)
    y = np.array([0, 1, 1, 0, 1, 0], dtype=float)
    model = compile_graph(chain((2,), [("Dense", dict(units=2, activation="sigmoid")),
                                       ("Dense", dict(units=1, activation="sigmoid"))]))
    trainer = Trainer(model, loss="mse", optimizer="sgd", lr=0.1, batch_size=1)
    history = trainer.fit(X, y, epochs=1000)
    assert history.loss[-1] < 0.01
    emily, frank = trainer.predict(np.array([[47.0, 11.0], [-23.0, -5.0]]))[:, 0]
    assert emily > 0.9
    assert frank < 0.1


XOR_X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
XOR_Y = np.array([0, 1, 1, 0])


@pytest.mark.parametrize("optimizer, lr, epochs", [("sgd", 0.5, 1000), ("adam", 0.05, 300)])
def test_xor_with_softmax_and_cross_entropy(optimizer, lr, epochs):
    model = compile_graph(chain((2,), [("Dense", dict(units=4, activation="tanh")),
                                       ("Dense", dict(units=2, activation="softmax"))]))
    trainer = Trainer(model, loss="cross_entropy", optimizer=optimizer, lr=lr, batch_size=4)
    assert trainer.fused
    history = trainer.fit(XOR_X, XOR_Y, epochs=epochs)
    assert history.accuracy[-1] == 1.0
    assert trainer.evaluate(XOR_X, XOR_Y)["accuracy"] == 1.0
    probabilities = trainer.predict(XOR_X)
    np.testing.assert_array_equal(probabilities.argmax(axis=1), XOR_Y)
    np.testing.assert_allclose(probabilities.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("optimizer, lr, epochs", [("sgd", 0.5, 1000), ("adam", 0.05, 300)])
def test_xor_with_a_sigmoid_and_binary_cross_entropy(optimizer, lr, epochs):
    model = compile_graph(chain((2,), [("Dense", dict(units=4, activation="tanh")),
                                       ("Dense", dict(units=1, activation="sigmoid"))]))
    trainer = Trainer(model, loss="binary_cross_entropy", optimizer=optimizer, lr=lr, batch_size=4)
    assert trainer.fused
    history = trainer.fit(XOR_X, XOR_Y, epochs=epochs)
    assert history.accuracy[-1] == 1.0
    assert trainer.evaluate(XOR_X, XOR_Y)["accuracy"] == 1.0
    probabilities = trainer.predict(XOR_X)[:, 0]
    assert np.all((probabilities > 0) & (probabilities < 1))
    np.testing.assert_array_equal(probabilities > 0.5, XOR_Y == 1)
