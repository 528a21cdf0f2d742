"""Interrupted runs (docs/design.md: Exit codes): Ctrl-C (SIGINT) and SIGTERM abort a run at any
stage, the search included, with one line and exit 130 or 143, and nothing written.

Python runs signal handlers between bytecodes, so a handler waits while CP-SAT searches in C++
(and CP-SAT by default swallows Ctrl-C, ending the search as if its time ran out). So under the
command line's handlers searches leave SIGINT to Python and register here; a watcher thread,
woken by the signal through Python's wakeup file descriptor, stops every registered search at
once, and the handler's exception then unwinds the run (staging directories and Dask clusters
close on the way).

Test hooks (environment): `JOINTTRACK_TEST_STEPS=1` prints `step: NAME` on stderr at each step
(progress messages, each search, staged outputs); `JOINTTRACK_TEST_HOLD=NAME` then holds that
step for up to a minute, or until the file `JOINTTRACK_TEST_RELEASE` names exists, so a test
can signal a real process at a known stage.
"""

import os
import signal
import sys
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

EXIT_INTERRUPTED = 130  # 128 + SIGINT
EXIT_TERMINATED = 143  # 128 + SIGTERM
HOLD_S = 60.0


class Search(Protocol):
    parameters: Any

    def stop_search(self) -> None: ...


class Interrupted(BaseException):
    """Ctrl-C or SIGTERM: the run aborts (a BaseException, so no `except Exception` swallows it;
    not a KeyboardInterrupt, which click turns into a bare exit)."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number

    @property
    def exit_code(self) -> int:
        return EXIT_TERMINATED if self.number == signal.SIGTERM else EXIT_INTERRUPTED

    def __str__(self) -> str:
        cause = "SIGTERM" if self.number == signal.SIGTERM else "Ctrl-C"
        return f"{'terminated' if self.number == signal.SIGTERM else 'interrupted'}: stopped at {cause}"


_searches: "weakref.WeakSet[Search]" = weakref.WeakSet()


def stoppable(solver: Search) -> None:
    """A CP-SAT solver about to search. Under the command line's handlers it leaves Ctrl-C to
    them and is stopped when the run is interrupted; elsewhere (the Python API, a notebook) it
    keeps CP-SAT's own Ctrl-C: the search ends early with the best schedule found."""
    if _State.installed:
        solver.parameters.catch_sigint_signal = False
        _searches.add(solver)
    test_step("search")


class _State:
    """The command line's signal handling: installed or not, whether signals wait (outputs being
    committed), and those that came meanwhile."""

    installed = False  # the command line's handlers are in place
    active = False
    pending: list[int] = []  # noqa: RUF012 (one per process, like the signal handlers)


def _abort(number: int) -> None:
    raise Interrupted(number)


def _handle(number: int, _frame: object) -> None:
    if _State.active:
        _State.pending.append(number)
        return
    _abort(number)


def _watch(read: int) -> None:
    """Stop every registered search whenever a signal arrives (Python's handler then raises)."""
    while os.read(read, 64):
        for search in list(_searches):
            search.stop_search()


def install() -> None:
    """For the command line's process: SIGINT and SIGTERM raise `Interrupted` and stop running
    searches at once."""
    if threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)
    _State.installed = True
    read, write = os.pipe()
    os.set_blocking(write, False)
    signal.set_wakeup_fd(write, warn_on_full_buffer=False)
    threading.Thread(target=_watch, args=(read,), name="jointtrack-signals", daemon=True).start()


@contextmanager
def deferred_signals() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while a step must not be cut short (committing outputs): a signal
    that comes meanwhile aborts the run right after it (with the command line's handlers)."""
    _State.active = True
    try:
        yield
    finally:
        _State.active = False
        if _State.pending:
            number = _State.pending[0]
            _State.pending.clear()
            _abort(number)


def test_step(name: str) -> None:
    """The test hooks above: announce a step, and hold it when asked."""
    if os.environ.get("JOINTTRACK_TEST_STEPS"):
        print(f"step: {name}", file=sys.stderr, flush=True)
    if os.environ.get("JOINTTRACK_TEST_HOLD") == name:
        release = Path(os.environ.get("JOINTTRACK_TEST_RELEASE", "/nonexistent"))
        deadline = time.monotonic() + HOLD_S
        while not release.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
