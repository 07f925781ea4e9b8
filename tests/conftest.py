import importlib.util

import pytest


def pytest_collection_modifyitems(config, items):
    """Tests marked `torch` need the optional extra; without it they are skipped, not failed."""
    if importlib.util.find_spec("torch") is not None:
        return
    skip = pytest.mark.skip(reason="PyTorch is not installed (pip install -e '.[torch]')")
    for item in items:
        if "torch" in item.keywords:
            item.add_marker(skip)
