"""jointtrack: an open scheduler for an international deep-space tracking network."""

from scheduler import offline as _offline

__version__ = "0.1.0"

_offline.configure()
