"""Large-neighbourhood improvement of a schedule: batches of rounds on disjoint neighbourhoods.

Each batch draws up to `workers` regions of one kind (`scheduler.solvers.cpsat.neighbourhoods`) and
solves their rounds concurrently, one CP-SAT worker each (CP-SAT releases the GIL while it
searches). Results merge in the batch's order: a round's changes are applied when the whole
problem's objective (`scheduler.problem.scoring.score`) rises — a second change of a batch only
when the model confirms the merged schedule is still feasible — so the schedule never gets
worse. The number of batches and each round's work are fixed before the search starts and the
regions follow a seeded sequence: the same inputs, settings and seed give the same schedule,
unless the wall-clock safety net ends the search first (`Search.stopped_by` says which).

A round whose model is infeasible is a bug (the current schedule solves it): it is logged at
ERROR with "BUG" and discarded, never fatal.
"""

import logging
import random
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from scheduler.problem.operations import after_links, mission_overlaps
from scheduler.problem.scoring import score
from scheduler.problem.types import Problem, Track
from scheduler.solvers.cpsat.neighbourhoods import KINDS, PRICED_KINDS, Aim, Round, batch
from scheduler.solvers.interface import Progress, no_progress
from scheduler.solvers.policy import POLICY

log = logging.getLogger(__name__)

Feasible = Callable[[Problem, tuple[Track, ...]], bool]


@dataclass(frozen=True)
class Outcome:
    """A round's tracks (the locked ones included; None when its model was infeasible) and the
    deterministic work it cost."""

    tracks: tuple[Track, ...] | None
    work: float


RoundSolver = Callable[[Round, int], Outcome]


@dataclass(frozen=True)
class Batches:
    """How long the search runs: batches of up to `workers` rounds until their deterministic work
    reaches `work`; `deadline_s` is the wall-clock safety net (seconds from the start)."""

    work: float
    workers: int
    seed: int
    target_tracks: int
    deadline_s: float
    aims: tuple[Aim, ...] = ()  # where the relaxation's prices say the schedule loses value


@dataclass(frozen=True)
class Search:
    """What the search did: rounds run and accepted, and what ended it (`budget` or `clock`)."""

    tracks: tuple[Track, ...]
    rounds: int = 0
    accepted: int = 0
    stopped_by: str = "budget"


def improve(
    problem: Problem,
    tracks: tuple[Track, ...],
    plan: Batches,
    solve_round: RoundSolver,
    feasible: Feasible,
    progress: Progress = no_progress,
) -> Search:
    """A schedule at least as good as `tracks` once the rounds have spent `plan.work`."""
    began = time.perf_counter()
    chooser = random.Random(plan.seed)
    current, best = tuple(tracks), score(problem, tracks)
    rounds = accepted = number = 0
    spent = 0.0
    with ThreadPoolExecutor(max(1, plan.workers)) as pool:
        while spent < plan.work:
            if time.perf_counter() - began > plan.deadline_s:
                return Search(current, rounds, accepted, "clock")
            kinds = PRICED_KINDS if plan.aims else KINDS
            kind = kinds[number % len(kinds)]
            found = batch(problem, current, kind, plan.workers, chooser, plan.target_tracks, plan.aims)
            seeds = [plan.seed + number * plan.workers + k for k in range(len(found))]
            outcomes = list(pool.map(solve_round, found, seeds))
            merged = 0
            for job, outcome in zip(found, outcomes, strict=True):
                rounds += 1
                spent += outcome.work
                if outcome.tracks is None:
                    log.error("BUG: %s round %s of %s infeasible, discarded", job.region.kind, job.region, problem.name)
                    continue
                candidate = _merge(current, job, outcome.tracks)
                value = score(problem, candidate)
                if value <= best or not rules_hold(problem, candidate):
                    continue
                if merged and not feasible(problem, candidate):
                    continue
                current, best, merged = candidate, value, merged + 1
            accepted += merged
            number += 1
            spent += 0.0 if found else POLICY.round_cost  # a batch with nothing to free still counts
            progress(f"improving: {min(1.0, spent / plan.work):.0%} of the rounds' budget")
    return Search(current, rounds, accepted, "budget")


def _merge(current: tuple[Track, ...], work: Round, result: tuple[Track, ...]) -> tuple[Track, ...]:
    """`current` with the tracks of the demands the round claimed as the round left them (the
    other demands' tracks were locked in the round, so they stand as they are)."""
    mine = [t for t in result if t.demand_id in work.claims]
    others = [t for t in current if t.demand_id not in work.claims]
    return tuple(sorted(others + mine, key=lambda t: (t.start, t.antennas, t.demand_id)))


def rules_hold(problem: Problem, tracks: tuple[Track, ...]) -> bool:
    """A cheap safety net for the rules a merge could break across its regions' edges: every
    `after` track follows a track (should a round fall back on a schedule that missed it), and no
    two rounds of a batch put one mission on target twice at once (regions on different antennas
    may share their times). A round's problem holds every kept track, so within one round spacing,
    links, interference and the mission rule hold; the model check of a merge (`feasible`)
    confirms the rest."""
    if mission_overlaps(problem, tracks):
        return False
    return not problem.has_operations or not after_links(problem, tracks)[1]
