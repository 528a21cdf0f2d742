"""The relaxation beside the search: its restricted master's schedule seeds the search, its prices
aim the improvement rounds, and its bound is grown last, with the time the search leaves.

Before the search, column generation and the restricted master MIP run on deterministic work
alone (the seed, hence the schedule, does not depend on the machine); after it, the bound gets
its work budget and whatever wall time is left, so a slow machine cuts the bound first.
"""

import logging
import time
from dataclasses import dataclass, replace

from scheduler.problem.scoring import score
from scheduler.problem.types import Problem, Track
from scheduler.solvers.bound import Relaxation, RelaxationBound
from scheduler.solvers.bound.steps import build_grid, priced_demands
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.interface import Progress
from scheduler.solvers.policy import POLICY, RELAXATION, Budget

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Seeded:
    """The search's starting schedule, what it came from, and the relaxation (None: none ran)."""

    tracks: tuple[Track, ...]
    source: str
    relaxation: Relaxation | None
    cut: tuple[str, ...] = ()


def seed_search(
    problem: Problem, greedy: tuple[Track, ...], budget: Budget, seed: int, workers: int, holds, deadline: float,
    progress: Progress,
) -> Seeded:  # fmt: skip
    """The better of the greedy schedule and the restricted master's (completed by greedy for the
    demands the relaxation does not price), as long as the model accepts it; none for a problem with
    operations rules (the restricted MIP does not keep them). A seed budget too
    small for `RELAXATION.least_seed_rounds` rounds of columns skips the seed (and builds nothing:
    the bound after the search builds its relaxation then)."""
    if not priced_demands(problem) or problem.has_operations:  # the restricted MIP keeps no operations rule
        return Seeded(greedy, "greedy", None)
    grid = build_grid(problem, RELAXATION.step_s)
    if not any(grid.jobs) or budget.seed_work < RELAXATION.least_seed_rounds * grid.work():
        return Seeded(greedy, "greedy", None)  # the bound after the search builds its own relaxation
    progress("relaxing: columns for the seed")
    relaxation = Relaxation(problem)
    relaxation.add_schedule(greedy)
    began = time.perf_counter()
    cut = ("seed",) if relaxation.grow(budget.seed_work, False, max(0.5, deadline - began)) else ()
    progress("relaxing: the restricted master MIP")
    wall = min(max(0.5, deadline - time.perf_counter()), POLICY.wall_s(budget.seed_mip_work, POLICY.mip_rate, workers))
    found = relaxation.seed(budget.seed_mip_work, wall, seed, workers, greedy)
    filled = _completed(problem, found)
    if score(problem, filled) <= score(problem, greedy):
        return Seeded(greedy, "greedy", relaxation, cut)
    if not holds(problem, filled):
        log.error("BUG: the restricted master's schedule of %s breaks the model; greedy kept", problem.name)
        return Seeded(greedy, "greedy", relaxation, cut)
    return Seeded(filled, "restricted master", relaxation, cut)


def _completed(problem: Problem, tracks: tuple[Track, ...]) -> tuple[Track, ...]:
    """`tracks` and greedy's tracks for the demands the relaxation does not price."""
    priced = set(priced_demands(problem))
    rest = tuple(d if i not in priced else replace(d, opportunities=()) for i, d in enumerate(problem.demands))
    return solve_greedy_tracks(replace(problem, demands=rest, locked=tracks))


def grow_bound(
    relaxation: Relaxation | None, problem: Problem, tracks: tuple[Track, ...], budget: Budget, left_s: float,
    progress: Progress,
) -> tuple[RelaxationBound | None, tuple[str, ...]]:  # fmt: skip
    """The bound after the search (`relaxation`: the seed's, else a new one): the rest of the
    objective's columns, then weighted time's, within `budget.bound_work` or `left_s` wall seconds;
    (the bound, what the clock cut), (None, ()) when the relaxation has nothing to price."""
    if relaxation is None:
        if not priced_demands(problem):
            return None, ()
        relaxation = Relaxation(problem)
        if not relaxation.useful:
            return None, ()
    progress("bounding")
    relaxation.add_schedule(tracks)
    deadline = time.perf_counter() + left_s
    time_work = budget.bound_work * RELAXATION.time_share
    middle = deadline - left_s * RELAXATION.time_share  # each phase its share of the wall time too
    cut = relaxation.grow(budget.bound_work - time_work, False, max(0.0, middle - time.perf_counter()))
    cut |= relaxation.grow(time_work, True, max(0.0, deadline - time.perf_counter()))
    return relaxation.result(), ("bound",) if cut else ()
