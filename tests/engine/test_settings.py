"""Training settings as a project stores them: defaults, round trip, and one sentence for every bad value."""

import json

import pytest

from designer.engine import Trainer, compile_graph
from designer.engine.settings import SettingsError, TrainingSettings

from .gradcheck import chain


def test_defaults_from_nothing():
    assert TrainingSettings.from_dict(None) == TrainingSettings()
    assert TrainingSettings.from_dict({}) == TrainingSettings()


def test_round_trip_through_json():
    settings = TrainingSettings.from_dict({
        "loss": "mse", "optimizer": "adam", "lr": 0.003, "batch_size": 8, "epochs": 50, "weight_decay": 1e-4,
        "clip_norm": 5.0, "validation_split": 0.2, "seed": 7,
        "schedule": {"kind": "step", "step_size": 5, "gamma": 0.5},
        "early_stopping": {"monitor": "val_loss", "patience": 3},
    })
    again = TrainingSettings.from_dict(json.loads(json.dumps(settings.to_dict())))
    assert again == settings
    assert again.schedule.kind == "step" and again.early_stopping.patience == 3


def test_settings_configure_a_trainer():
    settings = TrainingSettings.from_dict({"loss": "mse", "optimizer": "adam", "lr": 0.5,
                                           "schedule": {"kind": "exponential", "gamma": 0.5}, "epochs": 3})
    model = compile_graph(chain((2,), [("Dense", dict(units=1))]))
    trainer = Trainer(model, **settings.trainer_options())
    history = trainer.fit([[0.0, 1.0], [1.0, 0.0]], [1.0, 0.0], epochs=settings.epochs)
    assert history.lr == [0.5, 0.25, 0.125]
    assert type(trainer.optimizer).__name__ == "Adam"


@pytest.mark.parametrize("data, fragment", [
    ([], "not a JSON object"),
    ({"lr": -1}, "lr must be a number above 0"),
    ({"lr": "fast"}, "lr must be a number, not 'fast'"),
    ({"lr": float("nan")}, "lr must be a number"),
    ({"batch_size": 0}, "batch_size must be a whole number from 1"),
    ({"batch_size": 2.5}, "batch_size must be a whole number"),
    ({"epochs": True}, "epochs must be a whole number"),
    ({"loss": "hinge"}, "loss must be one of mse, binary_cross_entropy, cross_entropy"),
    ({"optimizer": "lbfgs"}, "optimizer must be one of sgd"),
    ({"nesterov": "yes"}, "nesterov must be true or false"),
    ({"validation_split": 0.95}, "validation_split must be a number from 0 to 0.9"),
    ({"turbo": True}, "'turbo', which is not a setting"),
    ({"schedule": {"kind": "linear"}}, "schedule.kind must be one of constant"),
    ({"schedule": []}, "schedule must be a JSON object"),
    ({"early_stopping": {"monitor": "f1"}}, "early_stopping.monitor must be one of"),
    ({"early_stopping": {"patience": 0}}, "early_stopping.patience must be a whole number from 1"),
    ({"early_stopping": {"wait": 3}}, "'wait', which is not a setting"),
    ({"lr": "x" * 10_000}, "lr must be a number"),
])
def test_bad_settings_are_one_short_sentence(data, fragment):
    with pytest.raises(SettingsError) as caught:
        TrainingSettings.from_dict(data)
    message = str(caught.value)
    assert fragment in message
    assert message.endswith(".") and "\n" not in message and len(message) < 200
