"""Decision variables: the tracks, segments and coverage links the solver may place.

A candidate is one optional interval on target. It is placed inside one of its options
(opportunities); a chosen option's antennas are busy from setup to teardown. Times are in
units of the problem's resolution.
"""

import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.problem.grid import snap, units
from scheduler.problem.types import Demand, Opportunity, Track

Bool = cp_model.IntVar | int


@dataclass(frozen=True)
class Option:
    """An opportunity the candidate may use; `chosen` is true when it does."""

    antennas: tuple[str, ...]
    chosen: Bool
    setup: int
    teardown: int
    opportunity: Opportunity | None = None  # None for a locked track


@dataclass(frozen=True, eq=False)
class Candidate:
    """One track, segment or coverage link the model may place. Compared and hashed by identity:
    each is its own set of variables."""

    demand: Demand
    slot: int  # order among the demand's candidates in one opportunity, or link number
    present: Bool
    start: cp_model.IntVar | int
    duration: cp_model.IntVar | int
    end: cp_model.IntVar | int
    on_target: cp_model.IntervalVar
    options: tuple[Option, ...]
    shortest: int
    longest: int
    locked: Track | None = None


def in_opportunity(
    model: cp_model.CpModel, demand: Demand, opportunity: Opportunity, unit: int, slots: int
) -> list[Candidate]:
    """Up to `slots` candidates inside one opportunity, used in order one after another."""
    shortest, longest = units(demand, unit)
    grid = snap(opportunity, shortest, unit)
    if grid is None or longest < shortest:
        return []
    fits = grid.fits(shortest)
    longest_here = min(longest, grid.length)
    made: list[Candidate] = []
    for slot in range(max(1, min(slots, fits))):
        name = f"{demand.id}@{opportunity.antennas}:{grid.earliest}/{slot}"
        present = model.NewBoolVar(f"present[{name}]")
        start = model.NewIntVar(grid.earliest, grid.latest_start, f"start[{name}]")
        duration = model.NewIntVar(shortest, longest_here, f"duration[{name}]")
        end = model.NewIntVar(grid.earliest + shortest, grid.latest_end, f"end[{name}]")
        on_target = model.NewOptionalIntervalVar(start, duration, end, present, f"track[{name}]")
        if made:  # symmetry: slots of one opportunity are used in order, one after another
            before = made[-1]
            model.AddImplication(present, before.present)
            model.Add(start - grid.setup >= before.end + grid.teardown).OnlyEnforceIf(present)
        option = Option(opportunity.antennas, present, grid.setup, grid.teardown, opportunity)
        made.append(
            Candidate(demand, slot, present, start, duration, end, on_target, (option,), shortest, longest_here)
        )
    return made


def coverage_links(model: cp_model.CpModel, demand: Demand, unit: int, count: int) -> list[Candidate]:
    """`count` ordered links of a coverage chain, each placed in one opportunity of its choice."""
    shortest, longest = units(demand, unit)
    grids = [(o, g) for o in demand.opportunities if (g := snap(o, shortest, unit)) is not None]
    if not grids or longest < shortest:
        return []
    low = min(g.earliest for _, g in grids)
    high = max(g.latest_end for _, g in grids)
    links: list[Candidate] = []
    for slot in range(count):
        name = f"{demand.id}/link{slot}"
        present = model.NewBoolVar(f"present[{name}]")
        start = model.NewIntVar(low, high - shortest, f"start[{name}]")
        duration = model.NewIntVar(shortest, longest, f"duration[{name}]")
        end = model.NewIntVar(low + shortest, high, f"end[{name}]")
        on_target = model.NewOptionalIntervalVar(start, duration, end, present, f"track[{name}]")
        options = []
        for number, (opportunity, grid) in enumerate(grids):
            chosen = model.NewBoolVar(f"uses[{name},{number}]")
            model.Add(start >= grid.earliest).OnlyEnforceIf(chosen)
            model.Add(start <= grid.latest_start).OnlyEnforceIf(chosen)
            model.Add(end <= grid.latest_end).OnlyEnforceIf(chosen)
            options.append(Option(opportunity.antennas, chosen, grid.setup, grid.teardown, opportunity))
        model.AddExactlyOne([present.Not(), *(o.chosen for o in options)])
        links.append(
            Candidate(demand, slot, present, start, duration, end, on_target, tuple(options), shortest, longest)
        )
    return links


def locked_track(model: cp_model.CpModel, demand: Demand, track: Track, unit: int) -> Candidate:
    """A track kept exactly as given: always present, fixed in time."""
    start, end = track.start // unit, math.ceil(track.end / unit)
    setup = start - (track.start - track.setup) // unit
    teardown = math.ceil((track.end + track.teardown) / unit) - end
    on_target = model.NewIntervalVar(start, end - start, end, f"locked[{demand.id}@{track.start}]")
    option = Option(track.antennas, 1, setup, teardown)
    return Candidate(demand, 0, 1, start, end - start, end, on_target, (option,), end - start, end - start, track)


@dataclass
class AllocationModel:
    """A built model and its candidates; `membership` maps a split segment to the tracks it may
    join; `terms` are the objective's terms by name (README "Objective", `scoring.objective_terms`)."""

    model: cp_model.CpModel
    candidates: tuple[Candidate, ...]
    resolution: int
    membership: dict[Candidate, list[tuple[int, cp_model.IntVar]]] = field(default_factory=dict)
    terms: dict[str, cp_model.LinearExprT] = field(default_factory=dict)
