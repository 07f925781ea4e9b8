"""Work off the GUI thread: a `Job` runs one function in a QThread and hands its value back by a queued signal.

The function never touches a widget. It may look at `job.cancelled` between
steps, or call `job.check()`, which ends the job quietly (no `done`, no
`failed`) once it was cancelled; whoever started it keeps it until its
`finished` and, before closing, cancels it and waits for it.
"""

from __future__ import annotations

import threading
from typing import Any, Callable

from PySide6.QtCore import QThread, Signal

OUT_OF_MEMORY = "There is not enough memory for this."


class Cancelled(Exception):
    """Raised by `Job.check` in a cancelled job's function, to end it early."""


class Job(QThread):
    """Run `function(job)` in a thread; `done(value)` or `failed(sentence)` arrive on the GUI thread."""

    done = Signal(object)
    failed = Signal(str)
    progress = Signal(object)

    def __init__(self, function: Callable[["Job"], Any], parent=None, out_of_memory: str = OUT_OF_MEMORY) -> None:
        super().__init__(parent)
        self.function = function
        self.out_of_memory = out_of_memory  # the sentence when the work does not fit into memory
        self.cancelled = threading.Event()

    def run(self) -> None:
        try:
            value = self.function(self)
        except Cancelled:
            return
        except (ValueError, ArithmeticError) as error:
            self.failed.emit(str(error))
            return
        except MemoryError:
            self.failed.emit(self.out_of_memory)
            return
        except Exception as error:  # a bug: still one sentence in the window, never a silent stall
            self.failed.emit(f"Internal error ({type(error).__name__}: {error}); please report it.")
            return
        self.done.emit(value)

    def cancel(self) -> None:
        self.cancelled.set()

    def check(self, *args) -> None:
        """End the job here if it was cancelled (any arguments, so that it can serve as a progress callback)."""
        if self.cancelled.is_set():
            raise Cancelled
