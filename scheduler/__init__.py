"""jointtrack: an open scheduler for an international deep-space tracking network.

`from scheduler import plan, load_scenario, …` gives the Python API (`scheduler.api`, README:
Python API); its names load on first use, so the command line starts fast.
"""

from importlib import import_module
from typing import Any

from scheduler.version import __version__

__all__ = ["__version__"]


def __getattr__(name: str) -> Any:
    """The Python API's names (`scheduler.api.__all__`), imported when first asked for."""
    api = import_module("scheduler.api")
    if name in api.__all__:
        return getattr(api, name)
    raise AttributeError(f"module 'scheduler' has no attribute {name!r}")
