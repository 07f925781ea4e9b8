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

    export = commands.add_parser("export-diagram", help="draw a project's network as SVG, PNG or PDF (no window needed)")
    export.add_argument("project", type=Path, help="a .nnproj file")
    export.add_argument("output", type=Path, help="the drawing to write: .svg, .png or .pdf")
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


def _export_diagram(args: argparse.Namespace) -> int:
    project = Project.load(args.project)
    _use_offscreen_without_display()
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QApplication

    from .ui.canvas.scene import CanvasScene
    from .ui.diagram import DiagramError, export_scene

    QApplication.instance() or QApplication([PROG])
    scene = CanvasScene(project, QUndoStack())
    try:
        export_scene(scene, args.output)
    except DiagramError as error:
        print(f"{PROG}: {error}", file=sys.stderr)
        return 1
    finally:
        scene.detach()
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


COMMANDS = {"summary": _summary, "validate": _validate, "layers": _layers, "export-diagram": _export_diagram}


def main(argv: Sequence[str] | None = None) -> int:
    """`nn-designer [FILE.nnproj]` opens the window; `nn-designer COMMAND ...` works headless."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or (len(argv) == 1 and argv[0].endswith(".nnproj")):
        return _open_window(argv[0] if argv else None)
    parser = build_parser()
    args = parser.parse_args(argv)
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
