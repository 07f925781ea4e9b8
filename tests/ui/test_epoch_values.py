"""The plots over epochs turn only the epochs a frame adds into arrays, and draw the same as from the whole history."""

from __future__ import annotations

import numpy as np

from designer.ui.panels.curves import CurvesPanel
from designer.ui.panels.epoch_values import EpochValues


def test_epoch_values_grow_by_the_new_epochs_and_start_afresh_on_a_shorter_curve():
    values = EpochValues()
    values.take([None, 0.5, 0.25])
    epochs, known = values.points()
    assert list(epochs) == [2, 3] and list(known) == [0.5, 0.25]  # an epoch without a value is left out
    history = [None, 0.5, 0.25] + [1.0 / n for n in range(4, 200)]
    values.take(history)
    epochs, known = values.points()
    assert list(epochs) == list(range(2, 200)) and known[-1] == 1.0 / 199
    values.take([0.0, 2.0])  # another run's, shorter
    assert values.count == 2 and list(values.points()[1]) == [0.0, 2.0]
    assert list(values.points(positive=True)[0]) == [2]  # a norm of zero has no place on a log scale


def test_the_curves_followed_frame_by_frame_equal_the_curves_drawn_whole(qtbot):
    rng = np.random.default_rng(0)
    history = {"loss": list(rng.random(500)), "val_loss": [None] * 100 + list(rng.random(400)),
               "accuracy": list(rng.random(500)), "val_accuracy": [None] * 500}
    followed, whole = CurvesPanel(), CurvesPanel()
    qtbot.addWidget(followed)
    qtbot.addWidget(whole)
    for end in (1, 7, 120, 121, 500):
        followed.follow({key: values[:end] for key, values in history.items()})
    whole.show_history(history)
    for key in history:
        a, b = followed.curves[key], whole.curves[key]
        np.testing.assert_array_equal(a.xData if a.xData is not None else [], b.xData if b.xData is not None else [])
        np.testing.assert_array_equal(a.yData if a.yData is not None else [], b.yData if b.yData is not None else [])
    assert followed.points("val_loss") == 400 and followed.points("val_accuracy") == 0
