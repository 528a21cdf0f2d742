"""The restricted master MIP: one of its columns (or none) per antenna, chosen by CP-SAT so that the
master's rows hold in whole numbers — a grid schedule to turn into a real one (`realise`).

Variables: x_ak per column; w_p per array piece (demand, opportunity, S, E) that every member of
the array has in some column, at most each member's chosen columns with it; u_r per split demand
(its pieces only when it gets at least min_duration in all). Rows: one column per antenna; pieces
per demand ≤ N_r; the mission rule at each step (a piece holds [S, E) as in the master);
seconds that count: z_r ≤ min(cap_r − L_r, Σ its pieces' seconds). Objective: priority-weighted
seconds plus each mission's floor seconds (`problem.scoring`), deterministic work only.
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.interrupts import stoppable
from scheduler.problem.scoring import FLOOR_WEIGHT, mission_floors
from scheduler.problem.types import Problem, priority_weight
from scheduler.solvers.bound.pricing import Placement
from scheduler.solvers.bound.requests import RequestSide
from scheduler.solvers.bound.steps import Grid, Job

Piece = tuple[int, int, int, int]  # (demand, opportunity, S, E)


def restricted_mip(
    problem: Problem, grid: Grid, side: RequestSide, columns: list[list[tuple[Placement, ...]]],
    incumbent: dict[int, tuple[Placement, ...]], work: float, wall_s: float, seed: int, workers: int,
) -> list[tuple[int, Job, int, int]]:  # fmt: skip
    """The chosen pieces as (antenna index, job, S, E); arrays once per member."""
    model = cp_model.CpModel()
    chosen = [[model.NewBoolVar("") for _ in found] for found in columns]
    for found in chosen:
        model.AddAtMostOne(found)
    holders: dict[tuple[int, Piece], list[cp_model.IntVar]] = defaultdict(list)  # (member, piece) -> columns
    singles: list[tuple[Job, int, int, cp_model.IntVar]] = []
    credits: dict[Piece, float] = {}
    for a, found in enumerate(columns):
        for column, x in zip(found, chosen[a], strict=True):
            for k, start, end in column:
                job = grid.jobs[a][k]
                if job.share > 1:
                    holders[(job.link, (job.demand, job.opportunity, start, end))].append(x)
                    credits[(job.demand, job.opportunity, start, end)] = job.credit
                else:
                    singles.append((job, start, end, x))
    pieces = [(j.demand, s, e, x, j.key, j.credit) for j, s, e, x in singles]
    arrays: dict[Piece, cp_model.IntVar] = {}
    members = {link: g.links for g in grid.arrays for link in g.links}
    key_of = {j.demand: j.key for jobs in grid.jobs for j in jobs}
    held_by: dict[Piece, set[int]] = defaultdict(set)
    for link, piece in holders:
        held_by[piece].add(link)
    for piece in sorted(held_by):
        links = members[min(held_by[piece])]
        if set(links) <= held_by[piece]:
            w = arrays[piece] = model.NewBoolVar("")
            for link in links:
                model.Add(w <= sum(holders[(link, piece)]))
            pieces.append((piece[0], piece[2], piece[3], w, key_of[piece[0]], credits[piece]))
    _rows(model, problem, grid, side, pieces)
    for a, found in enumerate(columns):
        for column, x in zip(found, chosen[a], strict=True):
            model.AddHint(x, incumbent.get(a) == column)
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers, params.interleave_search, params.random_seed = max(1, workers), True, seed
    params.max_deterministic_time, params.max_time_in_seconds = max(0.05, work), max(0.5, wall_s)
    stoppable(solver)
    if solver.Solve(model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return []
    placed = []
    for a, found in enumerate(columns):
        for column, x in zip(found, chosen[a], strict=True):
            if solver.Value(x):
                for k, start, end in column:
                    job = grid.jobs[a][k]
                    if job.share == 1 or solver.Value(arrays.get((job.demand, job.opportunity, start, end), 0)):
                        placed.append((a, job, start, end))
    return placed


def _rows(model: cp_model.CpModel, problem: Problem, grid: Grid, side: RequestSide, pieces) -> None:
    """Counts, the mission rule, split minimums and the objective over (demand, S, E, var, key, credit)
    pieces."""
    by_demand: dict[int, list[tuple[int, cp_model.IntVar]]] = defaultdict(list)
    cells: dict[tuple[int, int], list[cp_model.IntVar]] = defaultdict(list)
    for demand, start, end, var, key, credit in pieces:
        seconds = int(min((end - start + credit) * grid.step, problem.demands[demand].max_duration))
        by_demand[demand].append((seconds, var))
        if key >= 0:
            for t in range(start, end):
                cells[(key, t)].append(var)
    for (key, t), found in cells.items():
        if (key, t) in grid.full:
            model.Add(sum(found) == 0)
        elif len(found) > 1:
            model.AddAtMostOne(found)
    floors = mission_floors(problem)
    mission_time: dict[str, list] = defaultdict(list)
    objective = []
    for r, found in by_demand.items():
        demand = problem.demands[r]
        model.Add(sum(var for _, var in found) * 1000 <= round(side.tracks[r] * 1000))
        room = max(0, int(side.cap[r] - side.locked[r]))
        counted = model.NewIntVar(0, room, "")
        model.Add(counted <= sum(s * var for s, var in found))
        if demand.min_segment and demand.tracks == 1:
            used = model.NewBoolVar("")
            model.Add(sum(s * var for s, var in found) >= demand.min_duration * used)
            for _, var in found:
                model.AddImplication(var, used)
        objective.append(priority_weight(demand.priority) * counted)
        mission_time[demand.mission].append(counted)
    for mission, found in mission_time.items():
        held = int(sum(side.locked[i] for i, d in enumerate(problem.demands) if d.mission == mission))
        floor = model.NewIntVar(0, max(0, floors[mission] - held), "")
        model.Add(floor <= sum(found))
        objective.append(FLOOR_WEIGHT * floor)
    model.Maximize(sum(objective))
