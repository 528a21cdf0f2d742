"""The CP-SAT allocation model.

Variables: one optional interval per candidate track, placed inside one opportunity.
Constraints: at most `tracks` tracks per demand; on each antenna, setup + track + teardown
of all tracks and its downtime never overlap. Objective: priority-weighted time on target.
Times in the model are integer multiples of the problem's resolution.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.problem import Demand, Opportunity, Problem


@dataclass(frozen=True)
class Candidate:
    """A track the solver may place: `present` decides, start/duration/end position it."""

    demand: Demand
    opportunity: Opportunity
    present: cp_model.IntVar
    start: cp_model.IntVar
    duration: cp_model.IntVar
    end: cp_model.IntVar
    on_target: cp_model.IntervalVar
    setup: int
    teardown: int
    shortest: int
    longest: int


@dataclass(frozen=True)
class AllocationModel:
    model: cp_model.CpModel
    candidates: tuple[Candidate, ...]
    resolution: int


def priority_weight(priority: int) -> int:
    """Weight per unit of time on target: priority 1 counts 10, priority 10 counts 1."""
    return 11 - priority


def build_model(problem: Problem) -> AllocationModel:
    model = cp_model.CpModel()
    unit = problem.resolution
    candidates: list[Candidate] = []
    occupied: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)

    # Candidate tracks: optional intervals inside their opportunity, in order within it.
    for demand in problem.demands:
        for opportunity in demand.opportunities:
            for candidate in _candidates(model, demand, opportunity, unit):
                busy = model.NewOptionalIntervalVar(
                    candidate.start - candidate.setup,
                    candidate.duration + candidate.setup + candidate.teardown,
                    candidate.end + candidate.teardown,
                    candidate.present,
                    f"busy[{demand.id}]",
                )
                for antenna in opportunity.antennas:
                    occupied[antenna].append(busy)
                candidates.append(candidate)

    # Each demand receives at most its requested number of tracks.
    by_demand: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_demand[candidate.demand.id].append(candidate)
    for demand in problem.demands:
        model.Add(sum(c.present for c in by_demand[demand.id]) <= demand.tracks)

    # A request's tracks never overlap each other in time (one spacecraft, one link at a time).
    by_request: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for candidate in candidates:
        by_request[candidate.demand.request_id].append(candidate.on_target)
    for intervals in by_request.values():
        model.AddNoOverlap(intervals)

    # Downtime blocks its antenna for everything.
    for outage in problem.downtime:
        start, end = outage.start // unit, -(-outage.end // unit)
        occupied[outage.antenna].append(model.NewIntervalVar(start, end - start, end, f"down[{outage.antenna}]"))

    # An antenna does one thing at a time, setup and teardown included.
    for intervals in occupied.values():
        model.AddNoOverlap(intervals)

    # Objective: priority-weighted time on target.
    model.Maximize(sum(priority_weight(c.demand.priority) * _scheduled(model, c) for c in candidates))
    return AllocationModel(model, tuple(candidates), unit)


def _candidates(model: cp_model.CpModel, demand: Demand, opportunity: Opportunity, unit: int) -> list[Candidate]:
    shortest = math.ceil(demand.min_duration / unit)
    longest = max(shortest, demand.max_duration // unit)
    earliest = math.ceil(opportunity.earliest_start / unit)
    latest_end = opportunity.latest_end // unit
    latest_start = min(opportunity.latest_start // unit, latest_end - shortest)
    if latest_start < earliest:
        return []
    setup, teardown = math.ceil(opportunity.setup / unit), math.ceil(opportunity.teardown / unit)
    fits = (latest_end - earliest + setup + teardown) // (shortest + setup + teardown)
    made: list[Candidate] = []
    for _ in range(max(1, min(demand.tracks, fits))):
        present = model.NewBoolVar(f"present[{demand.id}]")
        start = model.NewIntVar(earliest, latest_start, f"start[{demand.id}]")
        longest_here = min(longest, latest_end - earliest)
        duration = model.NewIntVar(shortest, longest_here, f"duration[{demand.id}]")
        end = model.NewIntVar(earliest + shortest, latest_end, f"end[{demand.id}]")
        on_target = model.NewOptionalIntervalVar(start, duration, end, present, f"track[{demand.id}]")
        if made:  # symmetry: candidates in one opportunity are used in order, one after another
            before = made[-1]
            model.AddImplication(present, before.present)
            model.Add(start - setup >= before.end + before.teardown).OnlyEnforceIf(present)
        made.append(
            Candidate(
                demand, opportunity, present, start, duration, end, on_target, setup, teardown, shortest, longest_here
            )
        )
    return made


def _scheduled(model: cp_model.CpModel, candidate: Candidate) -> cp_model.LinearExprT:
    """Time on target that counts: the duration when present, else zero."""
    if candidate.shortest == candidate.longest:
        return candidate.shortest * candidate.present
    counted = model.NewIntVar(0, candidate.longest, f"counted[{candidate.demand.id}]")
    model.Add(counted == candidate.duration).OnlyEnforceIf(candidate.present)
    model.Add(counted <= candidate.longest * candidate.present)  # also tightens the LP relaxation
    return counted
