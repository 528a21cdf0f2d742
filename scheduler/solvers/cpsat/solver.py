"""The CP-SAT solver: the whole allocation model seeded with the greedy schedule, then, for large
problems, improvement rounds on time windows (`scheduler.solvers.lns`), each a small model
CP-SAT searches well where the whole model's own LNS moves slowly; the whole model still proves
the bound. Never returns a schedule worse than greedy's; deterministic for a given seed.
"""

import math
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.errors import InfeasibleError
from scheduler.problem.scoring import SCALE, score
from scheduler.problem.types import Problem, Track
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.cpsat.readback import read_tracks
from scheduler.solvers.cpsat.search import is_large, search
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.interface import Progress, Solution, SolverSettings, no_progress
from scheduler.solvers.lns import Rounds, favour_lagging, improve


def solve_cpsat(problem: Problem, settings: SolverSettings, progress: Progress = no_progress) -> Solution:
    """Best schedule CP-SAT finds within the limits, starting from the greedy one. If CP-SAT ends
    with nothing better, the greedy schedule stands."""
    policy = settings.policy
    deterministic_s = settings.time_limit_s * policy.deterministic_per_s
    return _solve(problem, settings, deterministic_s, settings.time_limit_s, progress, rounds_allowed=True)


def solve_round(problem: Problem, settings: SolverSettings) -> Solution:
    """One improvement round: the deterministic budget of `settings.time_limit_s`, with a wall-clock
    safety net of `round_wall_factor` limits so that the budget, not the clock, ends the round."""
    policy = settings.policy
    deterministic_s = settings.time_limit_s * policy.deterministic_per_s
    wall_s = settings.time_limit_s * policy.round_wall_factor
    return _solve(problem, settings, deterministic_s, wall_s, no_progress, rounds_allowed=False)


def _solve(
    problem: Problem,
    settings: SolverSettings,
    deterministic_s: float,
    wall_s: float,
    progress: Progress,
    rounds_allowed: bool,
) -> Solution:
    began = time.perf_counter()
    policy = settings.policy
    greedy = solve_greedy_tracks(problem)
    allocation = build_model(problem, greedy)
    # The deterministic budgets normally end the search first (the same seed then gives the same
    # schedule on any machine); the wall-clock limits are a safety net.
    improvable = rounds_allowed and (policy.improve_small or is_large(allocation.model, policy))
    rounds = policy.rounds(settings.time_limit_s) if improvable else 0
    share = policy.whole_model_share if rounds else 1.0
    whole_wall_s = max(0.5, wall_s * share - (time.perf_counter() - began))
    solver = search(allocation.model, settings.workers, settings.seed, deterministic_s * share, whole_wall_s, policy)
    status = solver.response_proto.status
    if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
        raise InfeasibleError(
            f"CP-SAT: {solver.StatusName(status).lower()} model; the locked tracks cannot all be kept as given"
        )
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    # With rounds to follow, the whole model (cut by the clock at this scale) gives the bound;
    # its schedule only when proven optimal, so the rounds start from the same place.
    found_used = found and (status == cp_model.OPTIMAL or not rounds)
    tracks = read_tracks(allocation, problem, solver) if found_used else ()
    name = "cpsat"
    if not found_used or score(problem, tracks) < score(problem, greedy):
        tracks, name = greedy, "cpsat (greedy kept)"
    if rounds and status != cp_model.OPTIMAL:
        left = max(0.0, wall_s - (time.perf_counter() - began))
        before = score(problem, tracks)
        tracks = improve_by_rounds(problem, tracks, settings, rounds, left, progress)
        if score(problem, tracks) > before:
            name, status = "cpsat+windows", cp_model.FEASIBLE
    value = score(problem, tracks) / SCALE
    status_name = "INFEASIBLE" if status == cp_model.INFEASIBLE else solver.StatusName(status) if found else "FEASIBLE"
    return Solution(tracks, status_name, value, proved_bound(solver, found, value), time.perf_counter() - began, name)


def improve_by_rounds(
    problem: Problem,
    tracks: tuple[Track, ...],
    settings: SolverSettings,
    count: int,
    wall_s: float,
    progress: Progress = no_progress,
) -> tuple[Track, ...]:
    """`count` rounds of the policy's improvement search, accepted on the policy's objective."""
    policy = settings.policy
    judged = problem
    if policy.acceptance_fairness is not None:
        judged = replace(problem, weights=replace(problem.weights, fairness=policy.acceptance_fairness))
    rounds = Rounds(count, policy.window_s, policy.round_time_s, wall_s, settings.workers, settings.seed)
    reshape = favour_lagging(policy.favour_lagging) if policy.favour_lagging is not None else (lambda p, _t: p)

    def round_solver(sub: Problem, round_settings: SolverSettings) -> Solution:
        return solve_round(sub, replace(round_settings, policy=policy))

    return improve(judged, tracks, rounds, round_solver, progress, reshape)


def proved_bound(solver: cp_model.CpSolver, found: bool, value: float) -> float:
    """CP-SAT's proved bound; infinite (gap unknown) when it proved none above a schedule it never
    found itself — the greedy schedule's value is no bound."""
    bound = solver.BestObjectiveBound() / SCALE
    if not math.isfinite(bound) or (not found and bound <= value):
        return math.inf
    return max(value, bound)
