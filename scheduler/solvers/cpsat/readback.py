"""Between tracks and model variables: reading a solution back, and hinting a known schedule."""

import itertools
from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.problem.grid import snap
from scheduler.problem.track_groups import chain_groups, split_group
from scheduler.problem.types import Demand, Problem, Track
from scheduler.solvers.cpsat.candidates import AllocationModel, Candidate, Option


def read_tracks(allocation: AllocationModel, problem: Problem, solver: cp_model.CpSolver) -> tuple[Track, ...]:
    """The placed tracks, locked ones as given, with split and chain groups (a new split track
    named after the first group its demand's locked segments do not use)."""
    unit = allocation.resolution
    by_demand: dict[str, list[Track]] = defaultdict(list)
    taken: dict[str, set[str]] = defaultdict(set)
    for candidate in allocation.candidates:
        if candidate.locked is not None:
            taken[candidate.demand.id].add(candidate.locked.group)
    names: dict[tuple[str, int], str] = {}

    def name(demand: Demand, number: int) -> str:
        if (demand.id, number) not in names:
            free = (split_group(demand, n) for n in itertools.count())
            names[(demand.id, number)] = next(g for g in free if g not in taken[demand.id])
            taken[demand.id].add(names[(demand.id, number)])
        return names[(demand.id, number)]

    for candidate in allocation.candidates:
        if candidate.locked is not None:
            by_demand[candidate.demand.id].append(candidate.locked)
            continue
        if not solver.BooleanValue(candidate.present):
            continue
        option = next(o for o in candidate.options if solver.BooleanValue(o.chosen))
        group = ""
        for number, member in allocation.membership.get(candidate, []):
            if solver.BooleanValue(member):
                group = name(candidate.demand, number)
        by_demand[candidate.demand.id].append(
            Track(
                candidate.demand.id,
                option.antennas,
                solver.Value(candidate.start) * unit,
                solver.Value(candidate.end) * unit,
                option.setup * unit,
                option.teardown * unit,
                group,
            )
        )
    tracks: list[Track] = []
    for demand in problem.demands:
        found = by_demand[demand.id]
        tracks += chain_groups(demand, found) if demand.coverage is not None else found
    return tuple(sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id)))


def _fits(option: Option, candidate: Candidate, track: Track, unit: int) -> bool:
    if option.opportunity is None or option.antennas != track.antennas:
        return False
    grid = snap(option.opportunity, candidate.shortest, unit)
    start, end = track.start // unit, track.end // unit
    return (
        grid is not None
        and grid.earliest <= start <= grid.latest_start
        and end <= grid.latest_end
        and candidate.shortest <= end - start <= candidate.longest
    )


def add_hint(allocation: AllocationModel, problem: Problem, tracks: tuple[Track, ...]) -> None:
    """Hint every decision of a known feasible schedule (tracks on the model's grid)."""
    model, unit = allocation.model, allocation.resolution
    locked = {(t.demand_id, t.antennas, t.start, t.end) for t in problem.locked}
    wanted: dict[str, list[Track]] = defaultdict(list)
    for track in sorted(tracks, key=lambda t: t.start):
        if (track.demand_id, track.antennas, track.start, track.end) not in locked:
            wanted[track.demand_id].append(track)
    split_numbers: dict[str, dict[str, int]] = defaultdict(dict)
    for demand_id, found in wanted.items():
        for track in found:
            split_numbers[demand_id].setdefault(track.group, len(split_numbers[demand_id]))
    hinted: set[int] = set()
    for candidate in allocation.candidates:
        if candidate.locked is not None:
            continue
        demand = candidate.demand
        pending = wanted.get(demand.id, [])
        match = None
        for track in pending:
            options = [o for o in candidate.options if _fits(o, candidate, track, unit)]
            if options:
                match = (track, options[0])
                break
        if match is None:
            _hint(model, candidate.present, 0, hinted)
            for option in candidate.options:
                _hint(model, option.chosen, 0, hinted)
            continue
        track, chosen = match
        pending.remove(track)
        _hint(model, candidate.present, 1, hinted)
        _hint(model, candidate.start, track.start // unit, hinted)
        _hint(model, candidate.duration, (track.end - track.start) // unit, hinted)
        _hint(model, candidate.end, track.end // unit, hinted)
        for option in candidate.options:
            _hint(model, option.chosen, int(option is chosen), hinted)
        number = split_numbers[demand.id].get(track.group)
        for index, member in allocation.membership.get(candidate, []):
            _hint(model, member, int(index == number), hinted)


def _hint(model: cp_model.CpModel, variable: object, value: int, hinted: set[int]) -> None:
    if isinstance(variable, int) or variable.Index() in hinted:
        return
    hinted.add(variable.Index())
    model.AddHint(variable, value)
