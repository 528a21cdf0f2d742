"""A guard on model size: a problem too large to solve in memory fails early with a clear line."""

from scheduler.errors import InputError
from scheduler.problem.grid import chain_count, snap, units
from scheduler.problem.types import Problem

MAX_CANDIDATES = 150_000  # about 15 KB each measured (22k candidates: 0.55 GiB peak); stays near 2 GiB


def candidate_count(problem: Problem) -> int:
    """How many optional tracks the allocation model would create (an upper estimate)."""
    unit = problem.resolution
    total = 0
    for demand in problem.demands:
        if demand.coverage is not None:
            total += chain_count(demand, unit)
            continue
        shortest, _ = units(demand, unit)
        for opportunity in demand.opportunities:
            grid = snap(opportunity, shortest, unit)
            if grid is None:
                continue
            total += max(1, min(demand.tracks, grid.fits(shortest)))
    return total


def check_model_size(problems: list[Problem], source: str, limit: int = MAX_CANDIDATES) -> int:
    """The largest candidate count of the models solved one after another (rolling windows), or
    an InputError when one would not fit in memory."""
    count = max(candidate_count(problem) for problem in problems)
    if count > limit:
        raise InputError(
            source,
            "requests",
            f"the plan would need {count:,} candidate tracks, more than the {limit:,} that fit in memory",
            "plan a shorter horizon or --window, ask for fewer or longer tracks per period, or coarsen resolution",
        )
    return count
