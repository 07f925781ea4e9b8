"""The `nn-designer` command.

Sub-commands work headless and never import Qt. Errors are one sentence on
stderr with exit code 1 (2 for a command line argparse cannot read), never a
traceback; set NN_DESIGNER_DEBUG=1 to see the traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence

from . import __version__
from .analysis import OPTIMIZER_SLOTS, summary
from .graph import Project, ProjectFileError
from .graph.reference import reference_table

PROG = "nn-designer"


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _momentum(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not 0.0 <= value < 1.0:
        raise argparse.ArgumentTypeError(f"{value:g} is not from 0 up to (not including) 1")
    return value


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


COMMANDS = {"summary": _summary, "validate": _validate, "layers": _layers}


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        print(f"{PROG}: the window is not built yet; try '{PROG} summary FILE.nnproj' ('{PROG} --help' lists the commands).")
        return 0
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
