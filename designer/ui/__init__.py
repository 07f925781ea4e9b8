"""Everything Qt: the main window, canvas, palette, inspector and docks."""

from .main_window import MainWindow

__all__ = ["MainWindow", "run"]


def run(path: str | None = None) -> int:
    """Open the window (on `path`, if given) and run until it closes."""
    import sys

    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("NN Designer")
    app.setOrganizationName("NN Designer")
    window = MainWindow()
    window.show()
    if path:
        window.open_file(path, ask=False)
    else:
        window.offer_recovery()
    return app.exec()
