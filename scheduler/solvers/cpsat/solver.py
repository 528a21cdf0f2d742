"""The CP-SAT solver: the greedy schedule, the relaxation's restricted master schedule when it is
better (`seeding`), then the whole allocation model seeded with it, then improvement rounds on
neighbourhoods (`scheduler.solvers.cpsat.lns`), then the relaxation's bound (`scheduler.solvers.bound`)
beside CP-SAT's own. Each phase has a deterministic work budget fixed by the time limit
(`scheduler.solvers.policy`); the bound comes last, so the wall clock cuts it first. Never returns
a schedule worse than greedy's, and never fails where the greedy schedule is valid.
"""

import logging
import math
import time
from dataclasses import replace

from ortools.sat.python import cp_model

from scheduler.errors import InfeasibleError
from scheduler.problem.scoring import SCALE, score
from scheduler.problem.types import Problem, Track
from scheduler.solvers.cpsat.lns import Batches, Outcome, improve
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.cpsat.neighbourhoods import Round, window_length
from scheduler.solvers.cpsat.readback import read_tracks
from scheduler.solvers.cpsat.search import ended_by_clock, is_large, search
from scheduler.solvers.cpsat.seeding import grow_bound, seed_search
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.greedy.board import locked_conflict
from scheduler.solvers.interface import Progress, Solution, SolverSettings, no_progress
from scheduler.solvers.policy import POLICY

log = logging.getLogger(__name__)
FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
WRONG = (cp_model.INFEASIBLE, cp_model.MODEL_INVALID)


def solve_cpsat(problem: Problem, settings: SolverSettings, progress: Progress = no_progress) -> Solution:
    """Best schedule found within the budgets, starting from the greedy one."""
    began = time.perf_counter()
    greedy = solve_greedy_tracks(problem)
    sizing = build_model(problem, greedy)
    rules = problem.has_operations
    budget = POLICY.budget(settings.time_limit_s, settings.workers, settings.clock, rules, is_large(sizing.model))

    def left(limit: float) -> float:
        return max(POLICY.min_wall_s, min(limit, budget.deadline_s - (time.perf_counter() - began)))

    seeded = seed_search(problem, greedy, budget, settings.seed, settings.workers, holds,
                         began + budget.deadline_s, progress)  # fmt: skip
    cut = list(seeded.cut)
    allocation = sizing if seeded.tracks is greedy else build_model(problem, seeded.tracks)
    progress("searching the whole model")
    whole_wall = POLICY.wall_s(budget.whole_work, budget.whole_rate, min(2, settings.workers), settings.clock)
    solver = search(allocation.model, settings.workers, settings.seed, budget.whole_work, left(whole_wall))
    status = solver.response_proto.status
    if status in WRONG:
        return _greedy_kept(problem, greedy, solver.StatusName(status).lower(), time.perf_counter() - began)
    tracks, name = seeded.tracks, "cpsat (greedy kept)" if seeded.tracks is greedy else "cpsat (seed kept)"
    if status in FOUND:
        found = read_tracks(allocation, problem, solver)
        if score(problem, found) >= score(problem, tracks):
            tracks, name = found, "cpsat"
    stopped_by = "clock" if ended_by_clock(solver) else "budget"
    if stopped_by == "clock":
        cut.append("whole model")
    rounds = 0
    if status != cp_model.OPTIMAL and budget.rounds_work > 0:
        deadline = budget.deadline_s - (time.perf_counter() - began)
        aims = ()
        if seeded.relaxation is not None:  # rounds aimed where the relaxation's prices say value is lost
            aims = seeded.relaxation.losses(tracks, window_length(problem, tracks, POLICY.target_tracks))
        plan = Batches(budget.rounds_work, settings.workers, settings.seed, POLICY.target_tracks, deadline, aims)
        before = score(problem, tracks)
        solve_round = round_solver(budget.round_work, left, settings.clock, budget.round_rate)
        result = improve(problem, tracks, plan, solve_round, holds, progress)
        tracks, rounds = result.tracks, result.rounds
        if result.stopped_by == "clock":
            cut.append("rounds")
        stopped_by = "clock" if "clock" in (stopped_by, result.stopped_by) else "budget"
        if score(problem, tracks) > before:
            name = "cpsat+rounds"
    value = score(problem, tracks) / SCALE
    bound, method, time_bound = cpsat_bound(solver, status in FOUND, value), "CP-SAT", math.inf
    relaxed = None
    if status == cp_model.OPTIMAL and name == "cpsat":
        method = "CP-SAT (optimal)"
        relaxed = seeded.relaxation.result() if seeded.relaxation is not None else None  # its seed phase alone
    elif budget.bound_work > 0:
        left_s = left(budget.deadline_s) - 0.5
        relaxed, bound_cut = grow_bound(seeded.relaxation, problem, tracks, budget, left_s, progress)
        cut += bound_cut
        if relaxed is not None:
            time_bound = relaxed.time_bound
            if relaxed.objective < bound:
                bound, method = max(value, relaxed.objective), relaxed.method
    return Solution(
        tracks,
        "OPTIMAL" if method == "CP-SAT (optimal)" else "FEASIBLE",
        value,
        bound,
        time.perf_counter() - began,
        name,
        bound_method=method if math.isfinite(bound) else "",
        time_bound=time_bound,
        stopped_by=stopped_by,
        rounds=rounds,
        relaxation=relaxed,
        cut_by_clock=tuple(cut),
        seeded_by=seeded.source,
    )


def round_solver(work: float, left, clock: bool, rate: float = POLICY.round_rate):
    """One round: the round's model hinted with the current schedule, one worker, `work` units."""

    def solve_round(job: Round, seed: int) -> Outcome:
        allocation = build_model(job.problem, job.freed)
        solver = search(allocation.model, 1, seed, work, left(POLICY.wall_s(work, rate, 1, clock)))
        status, spent = solver.response_proto.status, solver.response_proto.deterministic_time + POLICY.round_cost
        if status in WRONG:
            return Outcome(None, spent)
        if status not in FOUND:
            return Outcome(job.problem.locked + job.freed, spent)
        return Outcome(read_tracks(allocation, job.problem, solver), spent)

    return solve_round


def holds(problem: Problem, tracks: tuple[Track, ...]) -> bool:
    """Whether `tracks` together satisfy every constraint of the model (all of them locked)."""
    frozen = replace(problem, demands=tuple(replace(d, opportunities=()) for d in problem.demands), locked=tracks)
    solver = search(build_model(frozen).model, 1, 0, POLICY.check_work, POLICY.check_wall_s)
    return solver.response_proto.status in FOUND


def _greedy_kept(problem: Problem, greedy: tuple[Track, ...], status: str, elapsed: float) -> Solution:
    """The whole model infeasible: the problem's own fault when its locked tracks conflict, else
    ours (the greedy schedule solves it) — logged as a bug, and the greedy schedule stands."""
    conflict = locked_conflict(problem)
    if conflict:
        raise InfeasibleError(f"CP-SAT: {status} model; the locked tracks cannot all be kept as given ({conflict})")
    log.error(
        "BUG: CP-SAT found the model of %s %s although its locked tracks agree; greedy kept", problem.name, status
    )
    value = score(problem, greedy) / SCALE
    return Solution(greedy, "FEASIBLE", value, math.inf, elapsed, "cpsat (greedy kept)")


def cpsat_bound(solver: cp_model.CpSolver, found: bool, value: float) -> float:
    """CP-SAT's proved bound, trusted only when it found a schedule itself (stopped earlier, e.g. in
    presolve, it reports values that bound nothing); else infinite (gap unknown)."""
    bound = solver.BestObjectiveBound() / SCALE
    if not found or not math.isfinite(bound):
        return math.inf
    return max(value, bound)
