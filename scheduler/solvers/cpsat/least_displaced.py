"""The least priority-weighted time an urgent track must displace, proven by CP-SAT: the reference
`benchmarks/insert.py` measures the insertion heuristic (`solvers/insertion`) against.

Same question as the heuristic: the urgent track of a given length starts within `slack` of the
earliest start its rules allow; every other track near it may keep any one piece of itself of
at least its shortest length (a split track's group keeps its minimum), or give way whole.
Kept: antennas one use at a time (setup, teardown and downtime included), the complexes' start
spacing, the mission rule against the urgent track, tracks starting in their period. Scenarios
with MSPA, `after`, coverage chains, RFI or `max_links` near the track are not modelled (None).
"""

from collections import defaultdict
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.problem.downtime import merged_downtime
from scheduler.problem.grid import snap, units
from scheduler.problem.types import Demand, Problem, Track, priority_weight
from scheduler.solvers.greedy.board import board_with
from scheduler.solvers.insertion.local import mission_zones, same_mission
from scheduler.solvers.insertion.placements import earliest, stretches
from scheduler.solvers.policy import POLICY


@dataclass(frozen=True)
class Proof:
    """CP-SAT's answer: `status` (OPTIMAL, FEASIBLE, …) and the least weighted seconds found."""

    status: str
    weighted_s: int
    start: int = -1  # the urgent track's start, seconds
    changes: tuple[tuple[int, int, int], ...] = ()  # (track number, kept start, kept end); (n, 0, 0): removed


def least_displaced(
    problem: Problem,
    tracks: tuple[Track, ...],
    fixed: set[int],
    demand: Demand,
    now: int,
    slack: int,
    duration: int,
    time_limit_s: float = POLICY.least_displaced_proof_s,
) -> Proof | None:
    """The least weighted displaced seconds for an urgent track of `duration` seconds; None when
    the neighbourhood holds a rule this model leaves out, or no start is allowed at all."""
    unit = problem.resolution
    holding = tuple(t for n, t in enumerate(tracks) if n in fixed)
    board = board_with(problem, holding)
    first = earliest(
        board, demand, unit, stretches(board, demand, unit, now, mission_zones(problem, demand, list(holding), unit))
    )
    if first is None or problem.interference or any(c.max_links for c in problem.complex_limits):
        return None
    length = duration // unit
    low, high = first, first + slack // unit
    spacing = {c.complex: -(-c.start_spacing // unit) for c in problem.complex_limits if c.start_spacing}
    reach = max(spacing.values(), default=0)
    window = ((low - 48 * 3600 // unit), high + length + 48 * 3600 // unit)  # beyond any track's reach
    model = cp_model.CpModel()
    busy: dict[str, list] = defaultdict(list)
    begins: dict[str, list] = defaultdict(list)
    start = model.NewIntVar(low, high, "urgent_start")
    on_target = model.NewIntervalVar(start, length, start + length, "urgent")
    options = []
    for opportunity in demand.opportunities:
        grid = snap(opportunity, units(demand, unit)[0], unit)
        if grid is None:
            continue
        chosen = model.NewBoolVar(f"option{len(options)}")
        model.Add(start >= max(grid.earliest, -(-now // unit) + grid.setup)).OnlyEnforceIf(chosen)
        model.Add(start <= grid.latest_start).OnlyEnforceIf(chosen)
        model.Add(start + length <= grid.latest_end).OnlyEnforceIf(chosen)
        size = grid.setup + length + grid.teardown
        for antenna in opportunity.antennas:
            busy[antenna].append(
                model.NewOptionalIntervalVar(start - grid.setup, size, start + length + grid.teardown, chosen, "u")
            )
        for name in {problem.complex_of(a) for a in opportunity.antennas} & spacing.keys():
            begins[name].append(
                model.NewOptionalIntervalVar(
                    start - grid.setup, spacing[name], start - grid.setup + spacing[name], chosen, "ub"
                )
            )
        options.append(chosen)
    if not options:
        return None
    model.AddExactlyOne(options)
    displaced = []
    pieces: list[tuple] = []
    groups: dict[tuple[str, str], list] = defaultdict(list)
    for number, track in enumerate(tracks):
        other = problem.demand(track.demand_id)
        a, b = track.start // unit, -(-track.end // unit)
        setup, teardown = a - (track.start - track.setup) // unit, -(-(track.end + track.teardown) // unit) - b
        far = b + teardown + reach < window[0] or a - setup - reach > window[1]
        if other.min_segment and (far or number in fixed):  # far: may only go with its whole group
            groups[(other.id, track.group)].append(("far" if far and number not in fixed else "fixed", b - a))
        if far:
            continue
        if other.mspa or other.after or other.coverage is not None:
            return None
        if number in fixed:
            kept, first_s, last_e, size = 1, a, b, b - a
            piece = model.NewIntervalVar(a, b - a, b, f"fixed{number}")
        else:
            kept = model.NewBoolVar(f"kept{number}")
            shortest = -(-other.shortest_piece // unit)
            first_s = model.NewIntVar(a, max(a, b - shortest), f"s{number}")
            last_e = model.NewIntVar(min(b, a + shortest), b, f"e{number}")
            size = model.NewIntVar(0, b - a, f"len{number}")
            model.Add(size == last_e - first_s).OnlyEnforceIf(kept)
            model.Add(size >= shortest).OnlyEnforceIf(kept)
            model.Add(size == 0).OnlyEnforceIf(kept.Not())
            if other.period is not None:
                model.Add(first_s * unit < other.period[1]).OnlyEnforceIf(kept)
            piece = model.NewOptionalIntervalVar(first_s, size, last_e, kept, f"piece{number}")
            pieces.append((number, kept, first_s, last_e, a, b))
            displaced.append(priority_weight(other.priority) * (track.duration - size * unit))
            if other.min_segment:
                groups[(other.id, track.group)].append((kept, size))
        for antenna in track.antennas:
            busy[antenna].append(_widened(model, (first_s, size, last_e), setup, teardown, kept, number))
        for name in {problem.complex_of(x) for x in track.antennas} & spacing.keys():
            begins[name].append(_begin(model, first_s, setup, spacing[name], kept, number))
        if same_mission(other, demand):
            model.AddNoOverlap([on_target, piece])
    for (demand_id, _), members in groups.items():
        split_track_rule(model, problem.demand(demand_id), members, unit, displaced)
    for antenna, spans in merged_downtime(problem, unit).items():
        busy[antenna] += [model.NewIntervalVar(s, e - s, e, "down") for s, e in spans]
    for intervals in (*busy.values(), *begins.values()):
        model.AddNoOverlap(intervals)
    model.Minimize(sum(displaced))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 2
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Proof(solver.StatusName(status), -1)
    changes = tuple(
        (n, solver.Value(s) * unit, solver.Value(e) * unit) if solver.Value(k) else (n, 0, 0)
        for n, k, s, e, a, b in pieces
        if not solver.Value(k) or (solver.Value(s), solver.Value(e)) != (a, b)
    )
    return Proof(solver.StatusName(status), round(solver.ObjectiveValue()), solver.Value(start) * unit, changes)


def split_track_rule(model: cp_model.CpModel, demand: Demand, members: list, unit: int, displaced: list) -> None:
    """A split track keeps its minimum in total while any of it stays; segments far from the urgent
    track (or untouchable) do not shrink, the far ones may only leave with the whole track."""
    kept = [(k, size) for k, size in members if not isinstance(k, str)]
    far = sum(size for k, size in members if isinstance(k, str) and k == "far")
    fixed = sum(size for k, size in members if isinstance(k, str) and k == "fixed")
    gone = model.NewBoolVar(f"far-gone[{demand.id}]") if far else 0
    if far:
        displaced.append(priority_weight(demand.priority) * far * unit * gone)
    stays = model.NewBoolVar(f"stays[{demand.id}]")
    for k, _ in kept:
        model.AddImplication(k, stays)
    if fixed:
        model.Add(stays == 1)
    elif far:
        model.Add(stays == 1).OnlyEnforceIf(gone.Not())
    total = sum(size for _, size in kept) + fixed + (far - far * gone if far else 0)
    model.Add(total * unit >= demand.min_duration).OnlyEnforceIf(stays)


def _widened(model: cp_model.CpModel, piece: tuple, setup: int, teardown: int, kept, number: int):
    """A track's antenna time: its piece on target (start, length, end) with setup before and teardown after."""
    start, size, end = piece
    if isinstance(kept, int):
        return model.NewIntervalVar(start - setup, size + setup + teardown, end + teardown, f"busy{number}")
    return model.NewOptionalIntervalVar(start - setup, size + setup + teardown, end + teardown, kept, f"busy{number}")


def _begin(model: cp_model.CpModel, start, setup: int, spacing: int, kept, number: int):
    """A track's activity at a complex: its setup start, `spacing` long."""
    if isinstance(kept, int):
        return model.NewIntervalVar(start - setup, spacing, start - setup + spacing, f"begin{number}")
    return model.NewOptionalIntervalVar(start - setup, spacing, start - setup + spacing, kept, f"begin{number}")
