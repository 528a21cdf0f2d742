"""The restricted master MIP: a real schedule made only of the pieces the master's columns hold.

Every distinct piece of every column (an array piece once, when every member holds it) becomes one
real track candidate at its grid place (`realise.placed_track`: on the model's resolution grid,
inside its opportunity). CP-SAT then chooses among them, exactly: antennas do one thing at a time
(setup and teardown, downtime and locked tracks included); a mission's tracks of different groups
never overlap on target (the mission rule; a concurrent request only keeps its own tracks apart);
a request's tracks keep min_gap; a demand gets at most its tracks, a split track its segments
totalling min_duration..max_duration or nothing. Objective: priority-weighted counted seconds plus
each mission's floor seconds (`problem.scoring`). Deterministic work only; the schedule is valid
by construction.
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.interrupts import stoppable
from scheduler.problem.downtime import merged_downtime
from scheduler.problem.scoring import FLOOR_WEIGHT, mission_floors
from scheduler.problem.track_groups import split_group
from scheduler.problem.types import Problem, Track, priority_weight
from scheduler.solvers.bound.pricing import Placement
from scheduler.solvers.bound.realise import placed_track
from scheduler.solvers.bound.requests import RequestSide
from scheduler.solvers.bound.steps import Grid, mission_key


def restricted_schedule(
    problem: Problem, grid: Grid, side: RequestSide, columns: list[list[tuple[Placement, ...]]],
    work: float, wall_s: float, seed: int, workers: int, start: tuple[Track, ...] = (),
) -> tuple[Track, ...]:  # fmt: skip
    """The locked tracks and the best schedule of the columns' pieces and the tracks of `start` (a
    valid schedule, where the search begins) CP-SAT finds within `work`."""
    locked = set(problem.locked)
    begun = {track: None for track in start if track not in locked}
    candidates = list({**begun, **dict.fromkeys(_candidates(problem, grid, columns))})
    model = cp_model.CpModel()
    present = [model.NewBoolVar("") for _ in candidates]
    _rules(model, problem, candidates, present, set(begun))
    _objective(model, problem, side, candidates, present)
    for track, var in zip(candidates, present, strict=True):
        model.AddHint(var, track in begun)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers, params.interleave_search, params.random_seed = max(1, workers), True, seed
    params.max_deterministic_time, params.max_time_in_seconds = max(0.05, work), max(0.5, wall_s)
    stoppable(solver)
    chosen: list[Track] = []
    if solver.Solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [track for track, var in zip(candidates, present, strict=True) if solver.Value(var)]
    return tuple(
        sorted((*problem.locked, *_grouped(problem, chosen)), key=lambda t: (t.start, t.antennas, t.demand_id))
    )


def _candidates(problem: Problem, grid: Grid, columns: list[list[tuple[Placement, ...]]]) -> list[Track]:
    """Distinct real tracks of the columns' pieces; an array piece only when all its members hold it."""
    holders: dict[tuple, set[str]] = defaultdict(set)
    for antenna, found in enumerate(columns):
        for column in found:
            for k, start, end in column:
                job = grid.jobs[antenna][k]
                holders[(job.demand, job.opportunity, start, job.counted(start, end))].add(grid.antennas[antenna])
    tracks: dict[Track, None] = {}  # distinct, in a fixed order
    for (r, number, start, counted), antennas in sorted(holders.items()):
        opportunity = problem.demands[r].opportunities[number]
        if set(opportunity.antennas) <= antennas:
            track = placed_track(problem, r, number, start, counted, grid.step)
            if track is not None:
                tracks[track] = None
    return list(tracks)


def _rules(
    model: cp_model.CpModel, problem: Problem, candidates: list[Track], present: list, begun: set[Track]
) -> None:
    """Antennas, the mission rule, min_gap and track counts (split tracks: see the module; several
    split tracks of one demand stay as the start has them)."""
    busy: dict[str, list] = defaultdict(list)
    held: dict[str, list] = defaultdict(list)
    spaced: dict[str, list] = defaultdict(list)
    for antenna, spans in merged_downtime(problem).items():
        busy[antenna] += [model.NewIntervalVar(a, b - a, b, "") for a, b in spans]
    for track in problem.locked:
        demand = problem.demand(track.demand_id)
        for antenna in track.antennas:
            busy[antenna].append(_interval(model, track.start - track.setup, track.end + track.teardown))
        held[mission_key(demand)].append(_interval(model, track.start, track.end))
        spaced[demand.request_id].append(_interval(model, track.start, track.end + demand.min_gap))
    by_demand: dict[str, list] = defaultdict(list)
    for track, var in zip(candidates, present, strict=True):
        demand = problem.demand(track.demand_id)
        for antenna in track.antennas:
            busy[antenna].append(_interval(model, track.start - track.setup, track.end + track.teardown, var))
        held[mission_key(demand)].append(_interval(model, track.start, track.end, var))
        spaced[demand.request_id].append(_interval(model, track.start, track.end + demand.min_gap, var))
        by_demand[demand.id].append((track, var))
    for intervals in (*busy.values(), *held.values(), *spaced.values()):
        if len(intervals) > 1:
            model.AddNoOverlap(intervals)
    locked = defaultdict(int)
    for track in problem.locked:
        locked[track.demand_id] += 1
    for demand_id, found in by_demand.items():
        demand = problem.demand(demand_id)
        if not demand.min_segment:
            model.Add(sum(var for _, var in found) <= max(0, demand.tracks - locked[demand_id]))
            continue
        if demand.tracks != 1 or locked[demand_id]:  # several split tracks: as the start has them
            for track, var in found:
                model.Add(var == int(track in begun))
            continue
        used = model.NewBoolVar("")
        total = sum(track.duration * var for track, var in found)
        model.Add(total >= demand.min_duration * used)
        model.Add(total <= demand.max_duration * used)
        for _, var in found:
            model.AddImplication(var, used)


def _objective(model: cp_model.CpModel, problem: Problem, side: RequestSide, candidates: list[Track], present) -> None:
    index = {d.id: i for i, d in enumerate(problem.demands)}
    seconds: dict[int, list] = defaultdict(list)
    for track, var in zip(candidates, present, strict=True):
        seconds[index[track.demand_id]].append(track.duration * var)
    floors = mission_floors(problem)
    missions: dict[str, list] = defaultdict(list)
    terms = []
    for r, found in seconds.items():
        demand = problem.demands[r]
        counted = model.NewIntVar(0, max(0, int(side.cap[r] - side.locked[r])), "")
        model.Add(counted <= sum(found))
        terms.append(priority_weight(demand.priority) * counted)
        missions[demand.mission].append(counted)
    for mission, found in missions.items():
        held = int(sum(side.locked[i] for i, d in enumerate(problem.demands) if d.mission == mission))
        floor = model.NewIntVar(0, max(0, floors[mission] - held), "")
        model.Add(floor <= sum(found))
        terms.append(FLOOR_WEIGHT * floor)
    model.Maximize(sum(terms))


def _interval(model: cp_model.CpModel, start: int, end: int, present=None) -> cp_model.IntervalVar:
    if present is None:
        return model.NewIntervalVar(start, end - start, end, "")
    return model.NewOptionalIntervalVar(start, end - start, end, present, "")


def _grouped(problem: Problem, tracks: list[Track]) -> list[Track]:
    """Split demands' new segments in one group (their one track)."""
    out = []
    for track in tracks:
        demand = problem.demand(track.demand_id)
        group = track.group or (split_group(demand, 0) if demand.min_segment else "")  # the start keeps its own
        out.append(Track(track.demand_id, track.antennas, track.start, track.end, track.setup, track.teardown, group))
    return out
