"""Where the app keeps its settings (window layout, recent files) and its recovery files.

NN_DESIGNER_CONFIG_DIR, when set, replaces the platform's configuration
folder: tests point it at a temporary folder so they never touch a real
user's settings.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths

MAX_RECENT = 10


def config_dir() -> Path:
    folder = os.environ.get("NN_DESIGNER_CONFIG_DIR")
    if folder:
        path = Path(folder)
    else:
        base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)
        path = Path(base or Path.home() / ".config") / "nn-designer"
    path.mkdir(parents=True, exist_ok=True)
    return path


def settings() -> QSettings:
    return QSettings(str(config_dir() / "settings.ini"), QSettings.Format.IniFormat)


def recovery_dir() -> Path:
    path = config_dir() / "recovery"
    path.mkdir(parents=True, exist_ok=True)
    return path


def recent_files() -> list[str]:
    value = settings().value("recent_files", [])
    if isinstance(value, str):
        value = [value]
    return [str(v) for v in value or []]


def remember_recent(path: str) -> list[str]:
    files = [path] + [p for p in recent_files() if p != path]
    files = files[:MAX_RECENT]
    store = settings()
    store.setValue("recent_files", files)
    store.sync()
    return files
