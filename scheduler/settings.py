"""Run settings: one default each, checked in one place (docs/design.md: Settings).

The command line, the Python API and the service all build `SolverSettings`, which calls
`check_solver_settings` on construction, so a bad setting is an `InputError` before any work;
the change penalty of repairs is checked by `check_change_penalty`. Light on purpose: the
command line reads its option defaults from here without importing the solvers.
"""

import math
from typing import Literal, get_args

from scheduler.errors import InputError

SolverName = Literal["cpsat", "greedy"]
SOLVERS: tuple[str, ...] = get_args(SolverName)

TIME_LIMIT_S = 25.0  # plan, repair, the Python API and the service
SWEEP_TIME_LIMIT_S = 10.0  # each variant of a sweep
SATNET_TIME_LIMIT_S = 300.0  # a SatNet week, as the benchmark's papers run it
WORKERS = 2
SEED = 0
CHANGE_PENALTY = 1.0  # a moved or dropped track costs this × its priority-weighted time on target

MAX_TIME_LIMIT_S = 30 * 86400.0
MAX_WORKERS = 64
MAX_SEED = 2**31 - 1  # CP-SAT's random seed is a 32-bit signed integer
MIN_WINDOW_S = 3600  # rolling windows: at least an hour (and at least the longest track, checked with the problem)
MAX_CHANGE_PENALTY = 1000.0

SETTING = "settings"  # InputError's "file" for a setting; the field names the CLI option too


def _bad(field: str, problem: str, fix: str) -> InputError:
    return InputError(SETTING, field, problem, fix)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def check_solver_settings(
    time_limit_s: object, workers: object, seed: object, solver: object, window_s: object
) -> None:
    """InputError naming the first setting out of its range (the fix gives the range)."""
    if not _number(time_limit_s) or not math.isfinite(time_limit_s) or not 0 < time_limit_s <= MAX_TIME_LIMIT_S:
        raise _bad(
            "time_limit_s (--time-limit)",
            f"{time_limit_s!r} is not a time limit",
            f"give a number of seconds above 0 and at most {MAX_TIME_LIMIT_S:.0f} (30 days)",
        )
    if not isinstance(workers, int) or isinstance(workers, bool) or not 1 <= workers <= MAX_WORKERS:
        raise _bad("workers (--workers)", f"{workers!r} is not a worker count", f"give a whole number 1..{MAX_WORKERS}")
    if not isinstance(seed, int) or isinstance(seed, bool) or not 0 <= seed <= MAX_SEED:
        raise _bad("seed (--seed)", f"{seed!r} is not a seed", f"give a whole number 0..{MAX_SEED}")
    if solver not in SOLVERS:
        raise _bad("solver (--solver)", f"unknown solver {solver!r}", f"use {' or '.join(SOLVERS)}")
    if window_s is not None and (
        not isinstance(window_s, int) or isinstance(window_s, bool) or (window_s != 0 and window_s < MIN_WINDOW_S)
    ):
        raise _bad(
            "window_s (--window)",
            f"{window_s!r} is not a rolling window",
            f"give None (automatic), 0 (one model) or at least {MIN_WINDOW_S} seconds (e.g. --window 7d)",
        )


def check_change_penalty(change_penalty: object) -> float:
    """The repair change penalty as a float, or InputError."""
    if (
        not _number(change_penalty)
        or not math.isfinite(change_penalty)
        or not 0 <= change_penalty <= MAX_CHANGE_PENALTY
    ):
        raise _bad(
            "change_penalty (--change-penalty)",
            f"{change_penalty!r} is not a change penalty",
            f"give a number 0..{MAX_CHANGE_PENALTY:.0f} (1: a moved track costs its own weighted time)",
        )
    return float(change_penalty)
