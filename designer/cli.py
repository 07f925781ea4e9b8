"""The `nn-designer` command.

With no arguments, or a project file, it opens the window. Sub-commands
work headless and never import Qt (export-diagram draws with Qt offscreen).
Errors are one sentence on
stderr with exit code 1 (2 for a command line argparse cannot read), never a
traceback; set NN_DESIGNER_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .analysis import OPTIMIZER_SLOTS, summary
from .graph import Project, ProjectFileError
from .graph.reference import reference_table

PROG = "nn-designer"
NEGATIVE_VALUES = re.compile(r"^-[\d.]")  # a sample whose first number is negative, such as "-23,-5"


def _bounded(kind: type, low: float | None = None, high: float | None = None, below_high: bool = False):
    """An argparse type: a whole number (kind=int) or a finite number within bounds, else a usage error."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"{text!r} is not a {'whole number' if kind is int else 'number'}") from None
        if value != value or value in (float("inf"), float("-inf")):
            raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
        too_high = high is not None and (value >= high if below_high else value > high)
        if (low is not None and value < low) or too_high:
            upper = "" if high is None else f" {'up to (not including)' if below_high else 'to'} {high:g}"
            raise argparse.ArgumentTypeError(f"{value:g} is not from {low:g}{upper}" if upper else
                                             f"{value:g} is not at least {low:g}")
        return value

    return parse


_positive_int = _bounded(int, 1)
_whole = _bounded(int, 0)
_fraction = _bounded(float, 0.0, 1.0)
_non_negative = _bounded(float, 0.0)
_momentum = _bounded(float, 0.0, 1.0, below_high=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Design, train and understand neural networks. Sub-commands work without a window.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    show = commands.add_parser("summary", help="print each layer's shape, parameters and costs, with totals")
    show.add_argument("project", type=Path, help="a .nnproj file")
    show.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    show.add_argument("--batch-size", type=_positive_int, help="also estimate training memory for this batch size")
    show.add_argument("--optimizer", choices=list(OPTIMIZER_SLOTS), default="sgd",
                      help="optimizer for the training memory estimate (default: sgd)")
    show.add_argument("--momentum", type=_momentum, default=0.0,
                      help="momentum of sgd, which adds one array per parameter (default: 0)")

    check = commands.add_parser("validate", help="print 'ok' or the problems that stop the network from compiling")
    check.add_argument("project", type=Path, help="a .nnproj file")

    commands.add_parser("layers", help="print the layer kinds with their parameters and defaults")

    train = commands.add_parser("train", help="train a project on its data set and save the trained project")
    train.add_argument("project", type=Path, help="a .nnproj file")
    train.add_argument("--epochs", type=_positive_int, help="epochs to train (default: the project's setting)")
    train.add_argument("--out", type=Path, help="where to save the trained project (default: over the input)")
    train.add_argument("--data", help="train on this CSV file, IDX file, image folder or built-in data set instead")
    train.add_argument("--target", help="with --data and a CSV file: the target column's name or number")
    train.add_argument("--labels", help="with --data and an IDX images file: the IDX labels file")
    train.add_argument("--json", action="store_true", help="finish with one JSON line of results on stdout")
    train.add_argument("--quiet", action="store_true", help="no progress bar on stderr")

    predict = commands.add_parser("predict", help="run a trained project on inputs and print its outputs")
    predict.add_argument("project", type=Path, help="a trained .nnproj file")
    predict.add_argument("--input", action="append", required=True, metavar="VALUES",
                         help="one sample as comma-separated numbers; repeat for several samples")
    predict.add_argument("--json", action="store_true", help="print one JSON object")

    info = commands.add_parser("data-info", help="show what a data set holds before training on it")
    info.add_argument("data", help="a CSV file, IDX file, image folder or built-in data set name")
    info.add_argument("--target", help="for a CSV file: the target column's name or number")
    info.add_argument("--labels", help="for an IDX images file: the IDX labels file")
    info.add_argument("--json", action="store_true", help="print one JSON object")

    export = commands.add_parser("export-diagram", help="draw a project's network as SVG, PNG or PDF (no window needed)")
    export.add_argument("project", type=Path, help="a .nnproj file")
    export.add_argument("output", type=Path, help="the drawing to write: .svg, .png or .pdf")
    export.add_argument("--style", choices=("graph", "neurons"), default="graph",
                        help="graph: the layers as on the canvas (default); neurons: a chain of Dense layers "
                             "drawn as neurons and connections, coloured by the trained weights if any")
    hopfield = commands.add_parser(
        "hopfield-recall", help="recall a stored pattern of a Hopfield project from a noisy copy, and say where it ended")
    hopfield.add_argument("project", type=Path, help="a .nnproj file with one Hopfield layer and stored patterns")
    hopfield.add_argument("--pattern", type=_whole, default=0, metavar="K",
                          help="which stored pattern to start from, counting from 0 (default: 0)")
    hopfield.add_argument("--noise", type=_fraction, default=0.2,
                          help="the fraction of its pixels to flip first, from 0 to 1 (default: 0.2)")
    hopfield.add_argument("--seed", type=int, help="makes the noise and the update order repeatable")
    hopfield.add_argument("--mode", choices=("async", "sync"), default="async",
                          help="async: one neuron at a time (default); sync: all at once")
    hopfield.add_argument("--temperature", type=_non_negative, default=0.0,
                          help="0 for deterministic updates (default); above 0 for stochastic (Glauber) ones")
    hopfield.add_argument("--max-sweeps", type=_positive_int, default=100, help="the most sweeps (default: 100)")
    hopfield.add_argument("--json", action="store_true", help="print one JSON object")
    return parser


def _summary(args: argparse.Namespace) -> int:
    project = Project.load(args.project)
    result = summary(project.graph, title=project.title or args.project.stem)
    if args.json:
        print(json.dumps(result.to_dict(args.batch_size, args.optimizer, args.momentum)))
    else:
        print(result.to_text(args.batch_size, args.optimizer, args.momentum))
    return 0


def _validate(args: argparse.Namespace) -> int:
    project = Project.load(args.project)
    problems = project.graph.validate()
    if not problems:
        print("ok")
        return 0
    for problem in problems:
        print(problem)
    return 1


def _layers(args: argparse.Namespace) -> int:
    print(reference_table())
    return 0


def _data_spec(data: str, target: str | None, labels: str | None, project_dir: Path | None):
    from .data import BUILTIN, DatasetSpec

    if data in BUILTIN:
        return DatasetSpec(source="builtin", name=data)
    options = {}
    if target is not None:
        options["target"] = int(target) if target.lstrip("-").isdigit() else target
    if labels is not None:
        options["labels_path"] = Path(labels).resolve()
    return DatasetSpec.for_path(Path(data).resolve(), project_dir, **options)


class _ProgressBar:
    """A text progress bar on stderr, redrawn at most ten times a second; a log file gets a line now and then."""

    WIDTH = 24

    def __init__(self, stream) -> None:
        self.stream = stream
        self.live = stream.isatty()
        self.last = 0.0

    def __call__(self, event) -> None:
        import time

        if event.kind == "epoch":
            every = 1 if self.live else max(1, event.epochs // 20)  # a log file gets about 20 lines
            if (event.epoch + 1) % every == 0 or event.epoch + 1 == event.epochs:
                self._draw(event, final=True)
            return
        now = time.monotonic()
        if self.live and now - self.last >= 0.1:
            self.last = now
            self._draw(event, final=False)

    def _draw(self, event, final: bool) -> None:
        done = (event.batch + 1) / event.batches
        bar = "#" * round(done * self.WIDTH)
        rate = event.samples_seen / event.elapsed if event.elapsed > 0 else 0.0
        epochs_left = event.epochs - event.epoch - done
        per_epoch = event.elapsed / (event.epoch + done)
        text = f"epoch {event.epoch + 1}/{event.epochs} [{bar:<{self.WIDTH}}] loss {event.loss:.4f}"
        if event.accuracy is not None:
            text += f" acc {event.accuracy:.3f}"
        if final and event.metrics.get("val_loss") is not None:
            text += f" val_loss {event.metrics['val_loss']:.4f}"
            if event.metrics.get("val_accuracy") is not None:
                text += f" val_acc {event.metrics['val_accuracy']:.3f}"
        text += f" {rate:,.0f} samples/s, {epochs_left * per_epoch:.0f}s left"
        if self.live:
            self.stream.write("\r" + text.ljust(110) + ("\n" if final else ""))
        elif final:
            self.stream.write(text + "\n")
        self.stream.flush()


def _train(args: argparse.Namespace) -> int:
    import time

    from .engine import TrainingDiverged
    from .engine.session import SessionError, TrainingSession

    project = Project.load(args.project)
    project_dir = args.project.resolve().parent
    try:
        if args.data:
            project.dataset = _data_spec(args.data, args.target, args.labels, project_dir).to_dict()
        session = TrainingSession.prepare(project, project_dir)
    except (SessionError, ValueError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    if session.reset_weights:
        print(f"{PROG}: these saved weights no longer fit the network and start afresh: "
              f"{', '.join(session.reset_weights)}.", file=sys.stderr)
    callbacks = [] if args.quiet else [_ProgressBar(sys.stderr)]
    start = time.perf_counter()
    try:
        history = session.run(args.epochs, callbacks)
    except TrainingDiverged as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    session.store(history)
    out = args.out or args.project
    project.save(out)
    result = session.summary(history, seconds)
    if args.json:
        print(json.dumps(result))
    else:
        lines = [f"trained {result['epochs']} epochs in {result['seconds']:.1f} s: loss {result['loss']:.4f}"]
        if result.get("accuracy") is not None:
            lines[0] += f", accuracy {result['accuracy']:.3f}"
        if result.get("test_accuracy") is not None:
            lines.append(f"test accuracy {result['test_accuracy']:.3f}")
        lines.append(f"saved {out}")
        print("\n".join(lines))
    return 0


def _predict(args: argparse.Namespace) -> int:
    import numpy as np

    from .engine.session import SessionError, predict_project

    project = Project.load(args.project)
    try:
        samples = [[float(v) for v in text.replace(";", ",").split(",") if v.strip()] for text in args.input]
    except ValueError:
        print(f"{PROG}: --input takes numbers separated by commas, such as \"1,0,0\".", file=sys.stderr)
        return 1
    try:
        result = predict_project(project, np.array(samples, dtype=np.float64), args.project.resolve().parent)
    except (SessionError, ValueError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(result))
        return 0
    for row in result["samples"]:
        outputs = ", ".join(f"{v:.6g}" for v in row["outputs"])
        label = f"  class {row['class']}" + (f" ({row['class_name']})" if row.get("class_name") else "") if "class" in row else ""
        print(f"[{outputs}]{label}")
    return 0


def _data_info(args: argparse.Namespace) -> int:
    from .data import DataError, describe, describe_dict

    try:
        dataset = _data_spec(args.data, args.target, args.labels, None).load()
    except DataError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    print(json.dumps(describe_dict(dataset)) if args.json else describe(dataset))
    return 0


def _export_diagram(args: argparse.Namespace) -> int:
    project = Project.load(args.project)
    _use_offscreen_without_display()
    from PySide6.QtWidgets import QApplication

    from .ui.diagram import DiagramError, export_diagram

    QApplication.instance() or QApplication([PROG])
    try:
        export_diagram(project, args.output, args.style)
    except DiagramError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    return 0


def _hopfield_recall(args: argparse.Namespace) -> int:
    from .engine.hopfield import network_from_project
    from .engine.hopfield_analysis import recall_report

    project = Project.load(args.project)
    name = args.project.name
    try:
        network = network_from_project(project)
    except ValueError as error:
        print(f"{PROG}: {name}: {str(error)[0].lower()}{str(error)[1:]}", file=sys.stderr)
        return 1
    count = len(network.patterns)
    if count == 0:
        print(f"{PROG}: {name} has no stored patterns; store some in the Hopfield workspace first.", file=sys.stderr)
        return 1
    if args.pattern >= count:
        print(f"{PROG}: there is no pattern {args.pattern}: {name} stores {count} "
              f"(numbered 0 to {count - 1}).", file=sys.stderr)
        return 1
    try:
        report = recall_report(network, network.patterns, args.pattern, args.noise, args.seed, mode=args.mode,
                               temperature=args.temperature, max_sweeps=args.max_sweeps)
    except ValueError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(report))
        return 0
    found = report["classification"]
    indices = ", ".join(str(i) for i in found["indices"])
    kind = {
        "pattern": f"stored pattern {indices}",
        "inverse": f"the inverse of pattern {indices}",
        "mixture": f"a mixture of patterns {indices}",
        "spurious": "a spurious state",
    }[found["kind"]]
    ending = "a 2-cycle" if report["cycle"] else "converged" if report["converged"] else "did not settle"
    print(f"pattern {args.pattern} with {report['flipped_bits']} of {network.n_neurons} bits flipped "
          f"(noise {args.noise:g})\n"
          f"overlap: {report['overlap_before']:.3f} -> {report['overlap_after']:.3f}\n"
          f"energy: {report['energy_before']:.4g} -> {report['energy_after']:.4g} "
          f"(drop {report['energy_drop']:.4g})\n"
          f"sweeps: {report['sweeps']} ({ending})\n"
          f"final state: {kind} (overlap {found['overlap']:.3f})")
    return 0


def _has_display() -> bool:
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM")
                or sys.platform in ("win32", "darwin"))


def _use_offscreen_without_display() -> None:
    """Headless commands draw with Qt; without a screen they draw offscreen."""
    if not _has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"


def _open_window(path: str | None) -> int:
    if not _has_display():
        print(f"{PROG}: there is no display to open the window on; "
              f"the sub-commands work without one ('{PROG} --help' lists them).", file=sys.stderr)
        return 1
    if path is not None and not Path(path).is_file():
        print(f"{PROG}: {Path(path).name} does not exist or is not a file.", file=sys.stderr)
        return 1
    from .ui import run

    return run(path)


COMMANDS = {
    "summary": _summary, "validate": _validate, "layers": _layers, "train": _train, "predict": _predict,
    "data-info": _data_info, "export-diagram": _export_diagram, "hopfield-recall": _hopfield_recall,
}


def _negative_values_attached(argv: list[str]) -> list[str]:
    """`--input -23,-5` as `--input=-23,-5`: argparse would take "-23,-5" for an option and stop."""
    joined: list[str] = []
    for token in argv:
        if joined and joined[-1] == "--input" and NEGATIVE_VALUES.match(token):
            joined[-1] = f"--input={token}"
        else:
            joined.append(token)
    return joined


def main(argv: Sequence[str] | None = None) -> int:
    """`nn-designer [FILE.nnproj]` opens the window; `nn-designer COMMAND ...` works headless."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (len(argv) == 1 and argv[0].endswith(".nnproj")):
        return _open_window(argv[0] if argv else None)
    parser = build_parser()
    args = parser.parse_args(_negative_values_attached(argv))
    if args.command is None:
        parser.print_usage()
        return 2
    try:
        return COMMANDS[args.command](args)
    except (ProjectFileError, OSError) as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: still one sentence, unless asked for the traceback
        if os.environ.get("NN_DESIGNER_DEBUG"):
            raise
        print(f"{PROG}: internal error ({type(error).__name__}: {error}); "
              f"run again with NN_DESIGNER_DEBUG=1 to see where, and please report it.", file=sys.stderr)
        return 1
