"""Progress reports: a long step calls `progress("one line")`; the command line shows it beside a
spinner, the service stores it with its job, the Python API ignores it by default."""

from collections.abc import Callable

Progress = Callable[[str], None]


def no_progress(_message: str) -> None:
    """A progress report that goes nowhere."""
