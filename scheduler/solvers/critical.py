"""Critical demands (`critical: true`, README: Request semantics): a plan that misses one is no
plan (exit 3). What blocks it is found by checking, not guessed: small CP-SAT models that require
the demand (with the tracks it must follow, and the locked tracks) are proved infeasible or not,
with one rule relaxed at a time (the mission rule among them), then beside each other critical
demand."""

from collections.abc import Iterable
from dataclasses import replace
from datetime import timedelta

from ortools.sat.python import cp_model

from scheduler.errors import InfeasibleError
from scheduler.problem.scoring import critical_unmet
from scheduler.problem.types import Demand, Problem, Track
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.interface import Solution
from scheduler.solvers.policy import POLICY
from scheduler.timeutil import format_time


def require_critical(problem: Problem, solution: Solution) -> None:
    """Raise `InfeasibleError` (one line: the request and what blocks it) when a critical demand is unmet."""
    unmet = critical_unmet(problem, solution.tracks)
    if not unmet:
        return
    demand = unmet[0]
    raise InfeasibleError(
        f"critical request {demand.request_id}{_period(problem, demand)} cannot be met: {cause(problem, demand)}"
    )


def _period(problem: Problem, demand: Demand) -> str:
    """The demand's accounting period, when the request has several."""
    if demand.id == demand.request_id:
        return ""
    low, high = demand.period or (0, problem.horizon)
    stamps = (format_time(problem.epoch + timedelta(seconds=s)) for s in (low, high))
    return " in {}..{}".format(*stamps)


def cause(problem: Problem, demand: Demand) -> str:
    """What keeps the critical demand out: no view period, downtime, a rule, another critical request."""
    if not demand.opportunities:
        return demand.unreachable or "no view period"
    alone = _only(problem, [demand])
    if _possible(alone):
        for other in problem.demands:
            if other.critical and other.id != demand.id and not _possible(pair := _only(problem, [demand, other])):
                if other.mission == demand.mission and _possible(_free(pair, demand, concurrent=True)):
                    mission = f"{other.request_id}, critical too, tracks {demand.mission} then"
                    return f"the mission rule: {mission} (one antenna at a time)"
                return f"another critical request, {other.request_id}, needs the same time"
        return "not found within the time limit (raise --time-limit)"
    relaxed = [
        (
            f"after {demand.after.request_id}: no track of it can end in time" if demand.after else "",
            _free(alone, demand, after=None),
        ),
        ("start spacing or max_links at " + _complexes(problem, demand), replace(alone, complex_limits=())),
        ("interference (rfi) with a same-band request", replace(alone, interference=())),
        (
            f"the mission rule: locked tracks of {demand.mission} are on target then (one antenna at a time)",
            _free(alone, demand, concurrent=True),
        ),
        ("locked tracks hold the antennas or complexes it needs", replace(alone, locked=())),
        ("its own max_gap", _free(alone, demand, max_gap=0)),
        ("its own spread", _free(alone, demand, spread=0)),
    ]
    for text, problem_without in relaxed:
        if text and problem_without != alone and _possible(problem_without):
            return text
    down = sorted({o.antenna for o in problem.downtime if _near(problem, demand, o.antenna, o.start, o.end)})
    if down:
        return "blocked by downtime on " + ", ".join(down)
    windowed = demand.gap_window not in (None, (0, problem.horizon))
    return ("window too short: " if windowed else "") + "its view periods cannot hold its tracks"


def _only(problem: Problem, demands: Iterable[Demand]) -> Problem:
    """The demands, those they follow (`after`) and those with locked tracks; only the given
    demands stay critical."""
    wanted = {d.id for d in demands}
    leaders = {d.after.request_id for d in problem.demands if d.id in wanted and d.after is not None}
    holding = {t.demand_id for t in problem.locked}
    kept = tuple(
        d
        if d.id in wanted
        else replace(d, critical=False, opportunities=() if d.request_id not in leaders else d.opportunities)
        for d in problem.demands
        if d.id in wanted or d.request_id in leaders or d.id in holding
    )
    return replace(problem, demands=kept, previous=())


def _free(problem: Problem, demand: Demand, **changes: object) -> Problem:
    return replace(problem, demands=tuple(replace(d, **changes) if d.id == demand.id else d for d in problem.demands))


def _complexes(problem: Problem, demand: Demand) -> str:
    names = {problem.complex_of(a) for o in demand.opportunities for a in o.antennas}
    return ", ".join(sorted(c.complex for c in problem.complex_limits if c.complex in names)) or "its complexes"


def _near(problem: Problem, demand: Demand, antenna: str, start: int, end: int) -> bool:
    antennas = {a for o in demand.opportunities for a in o.antennas}
    low, high = demand.period or (0, problem.horizon)
    window = demand.gap_window or (0, problem.horizon)
    low, high = max(low, window[0]), min(high, window[1])
    return antenna in antennas and start < high and end > low


def _possible(problem: Problem) -> bool:
    """Whether CP-SAT finds the problem's critical demands met, or cannot prove they can't be."""
    hint: tuple[Track, ...] = solve_greedy_tracks(problem)
    allocation = build_model(problem, hint, require_critical=True)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_deterministic_time = POLICY.proof_work
    solver.parameters.max_time_in_seconds = POLICY.proof_wall_s
    return solver.Solve(allocation.model) != cp_model.INFEASIBLE
