"""A training session: a project, its data and its settings, made ready to train, and the results kept.

The command line and the window train the same way through this: load the
data set the project names (or one given), split it, fit the normaliser on
the training part only and keep it in the project, compile the graph, put
back the weights the project already has where they still fit (and say which
were reset), train, and store the weights and the history in the project.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Callable, Iterable

import numpy as np

from ..data import CLASSIFICATION, DataError, Dataset, DatasetSpec, Normaliser, Splits
from ..graph import Project, format_shape
from .model import CompileError, Model, compile_graph
from .settings import SettingsError, TrainingSettings
from .trainer import Callback, History, Trainer


class SessionError(ValueError):
    """The project cannot be trained as it is; the message is one sentence that says why."""


def _normalised(splits: Splits, normaliser: Normaliser) -> Splits:
    """The splits with the normaliser fitted on the training part and applied to every part."""
    normaliser.fit(splits.train.X)
    if normaliser.method == "none":
        return splits
    return Splits(*(replace(part, X=normaliser.transform(part.X).astype(np.float32)) for part in splits))


def _check_fit(model: Model, data: Dataset, graph_input: str, graph_output: str, targets: bool) -> None:
    """The data's samples fit the Input and, when `targets`, its classes fit the output."""
    if data.sample_shape != model.input_shape:
        raise SessionError(
            f"The data set's samples have shape {format_shape(data.sample_shape)}, but {graph_input} expects "
            f"{format_shape(model.input_shape)}; set the Input shape to {format_shape(data.sample_shape)}."
        )
    outputs = int(np.prod(model.output_shape))
    binary_with_one_output = data.n_outputs == 2 and outputs == 1
    if targets and data.kind == CLASSIFICATION and outputs != data.n_outputs and not binary_with_one_output:
        raise SessionError(
            f"The data set has {data.n_outputs} classes, but {graph_output} gives {outputs} outputs; "
            f"give it {data.n_outputs} units."
        )


def joined_history(earlier: dict[str, list] | None, later: dict[str, list]) -> dict[str, list]:
    """Two runs' curves one after the other; a curve only one of them has (a layer's gradient norm, say) is
    None where the other run was."""
    earlier = earlier or {}
    before, after = len(earlier.get("loss") or []), len(later.get("loss") or [])
    return {key: list(earlier.get(key) or [None] * before) + list(later.get(key) or [None] * after)
            for key in {**earlier, **later}}


@dataclass
class TrainingSession:
    project: Project
    settings: TrainingSettings
    spec: DatasetSpec
    splits: Splits
    model: Model
    trainer: Trainer
    reset_weights: list[str] = field(default_factory=list)  # saved weights that no longer fit, and were reset

    @classmethod
    def prepare(cls, project: Project, project_dir: str | Path | None = None,
                progress: Callable[[float], None] | None = None, to_train: bool = True) -> TrainingSession:
        """Everything needed to train `project`; SessionError with one sentence when something is missing.

        `project_dir` is where relative data paths start (the project file's folder). With `to_train` False the
        session is for running the data through the network only (the window's panels), so the targets need
        not fit its outputs: a picture run through fixed filters has no labels to learn.
        """
        if not project.dataset:
            raise SessionError("The project has no data set; choose one before training.")
        try:
            settings = TrainingSettings.from_dict(project.training)
            spec = DatasetSpec.from_dict(project.dataset)
            splits = _normalised(spec.load_splits(project_dir, progress), spec.normaliser)
            model = compile_graph(project.graph, seed=settings.seed)
        except (DataError, SettingsError, CompileError) as error:
            raise SessionError(str(error)) from None
        graph = project.graph
        _check_fit(model, splits.train, graph.name(model.input_node.id), graph.name(model.output_node.id), to_train)
        saved = project.weights or {}
        kept = model.set_weights(saved)
        reset = sorted(key for key in kept if key in saved)
        trainer = Trainer(model, **settings.trainer_options())
        return cls(project, settings, spec, splits, model, trainer, reset)

    def run(self, epochs: int | None = None, callbacks: Iterable[Callback] = ()) -> History:
        """Train on the training part, checking on the validation part after each epoch."""
        validation = self.splits.validation
        has_validation = len(validation) > 0
        return self.trainer.fit(
            self.splits.train.X, self.splits.train.y, epochs or self.settings.epochs,
            validation=(validation.X, validation.y) if has_validation else None,
            validation_split=0.0 if has_validation else self.settings.validation_split,
            callbacks=callbacks,
        )

    def test_scores(self) -> dict[str, float] | None:
        test = self.splits.test
        return self.trainer.evaluate(test.X, test.y) if len(test) else None

    def store(self, history: History) -> None:
        """Keep the trained weights, the fitted normaliser and the curves (added to earlier runs') in the project."""
        project = self.project
        project.weights = self.model.get_weights()
        project.dataset = self.spec.to_dict()
        project.history = joined_history(project.history, history.to_dict())

    def summary(self, history: History, seconds: float) -> dict[str, Any]:
        """What `nn-designer train --json` prints."""
        last = history.last()
        result: dict[str, Any] = {
            "epochs": history.epochs, "loss": last["loss"], "accuracy": last["accuracy"],
            "val_loss": last["val_loss"], "val_accuracy": last["val_accuracy"],
            "stopped_early": history.stopped_early, "seconds": round(seconds, 3),
        }
        scores = self.test_scores()
        if scores is not None:
            result["test_loss"] = scores["loss"]
            if "accuracy" in scores:
                result["test_accuracy"] = scores["accuracy"]
        return result


def predict_project(project: Project, samples: np.ndarray, project_dir: str | Path | None = None) -> dict[str, Any]:
    """Run a trained project on raw samples (normalised as in training); outputs, and classes for classifiers.

    `samples` is (N, values) with the values of each sample in the Input's
    shape, flattened.
    """
    if not project.weights:
        raise SessionError("The project has no trained weights; train it first.")
    try:
        settings = TrainingSettings.from_dict(project.training)
        spec = DatasetSpec.from_dict(project.dataset) if project.dataset else None
        model = compile_graph(project.graph, seed=settings.seed)
    except (DataError, SettingsError, CompileError) as error:
        raise SessionError(str(error)) from None
    missing = [key for key in model.set_weights(project.weights) if key in model.params]
    if missing:
        raise SessionError(f"The saved weights do not fit the network ({missing[0]} among them); train it again.")
    size = int(np.prod(model.input_shape))
    samples = np.asarray(samples, dtype=np.float64)
    if samples.ndim != 2 or samples.shape[1] != size:
        got = samples.shape[1] if samples.ndim == 2 else samples.size
        raise SessionError(
            f"Each input needs {size} numbers (the Input shape is {format_shape(model.input_shape)}), not {got}."
        )
    X = samples.reshape((len(samples),) + model.input_shape)
    if spec is not None and spec.normaliser.fitted:
        X = spec.normaliser.transform(X)
    outputs = model.forward(X.astype(np.float32)).reshape(len(samples), -1)
    rows: list[dict[str, Any]] = [{"outputs": [float(v) for v in row]} for row in outputs]
    if settings.loss in ("cross_entropy", "binary_cross_entropy"):
        names = _class_names(spec, project_dir)
        for row, values in zip(rows, outputs):
            index = int(values.argmax()) if len(values) > 1 else int(values[0] > 0.5)
            row["class"] = index
            if names and index < len(names):
                row["class_name"] = names[index]
    return {"samples": rows}


def _class_names(spec: DatasetSpec | None, project_dir: str | Path | None) -> list[str]:
    """The data set's class names, if it can still be loaded (a prediction does not need them)."""
    if spec is None:
        return []
    try:
        return spec.load(project_dir).classes
    except DataError:
        return []
