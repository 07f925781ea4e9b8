"""Everything Qt: the main window, canvas, palette, inspector and docks."""

from .main_window import MainWindow

__all__ = ["MainWindow", "open_window", "run"]


def run(path: str | None = None) -> int:
    """Open the window (on `path`, if given) and run until it closes."""
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NN Designer")
    app.setOrganizationName("NN Designer")
    window = open_window(path)  # held while the app runs
    return app.exec()


def open_window(path: str | None = None) -> MainWindow:
    """The window as the app starts: on `path` if given; else on work recovered after a crash, if the
    user wants it back, or on the start page."""
    window = MainWindow()
    window.show()
    if path:
        window.open_file(path, ask=False)
    elif not window.offer_recovery():
        window.show_start_page()
    return window
