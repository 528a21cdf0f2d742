"""How CP-SAT searches an allocation model: complete the greedy hint first, then improve it.

A greedy schedule hints only the candidates it uses; CP-SAT would spend much of its budget
finding a first solution on its own. So the search runs in two deterministic stages:

1. completion — one worker, every hinted variable fixed to its hint: the rest (the model's
   auxiliary variables) follows in a short presolve and a few propagations;
2. improvement — the full model hinted with that complete solution, searched by interleaved
   (deterministic) workers. Small models get CP-SAT's full portfolio plus a full-LP worker;
   large ones (DSN weeks) one full LP solver for the bound and CP-SAT's LNS for the rest
   (with more full solvers the interleaved batches never reach LNS), and no presolve probing
   (it took most of the budget, for little).

A large problem (a DSN week) then spends most of its time limit on time-window rounds
(`scheduler.lns`): half a day's demands re-solved at a time, each a small model CP-SAT searches
well, where the whole model's own LNS moves slowly; the whole model still proves the bound.

Each stage has a deterministic-time budget (the same problem, seed and workers give the same
schedule on any machine); wall-clock limits are only a safety net.
"""

from ortools.sat.python import cp_model

from scheduler.problem import Problem, Track

COMPLETION_SHARE = 0.15  # of the deterministic budget, for stage 1
LARGE_MODEL = 15_000  # variables: from here on, the DSN-scale settings of stage 2 and window rounds
WHOLE_MODEL_SHARE = 0.3  # of a large problem's time limit for the whole model (the bound); the rest: windows
MIN_WINDOW_SEARCH_S = 20.0  # shorter limits: the whole model only
WINDOW_S = 12 * 3600  # half a day: on generated DSN weeks +3.4% objective in 60 s (one day: +0.2%, 8 h: +0.3%)
ROUND_TIME_S = 2.0  # nominal limit of one window round: its deterministic budget follows from it
ROUND_WALL_FACTOR = 3.0  # a round's wall-clock safety net, in nominal limits
SECONDS_PER_ROUND = 1.5  # wall time to plan for per round on 2 shared cores (typically 0.5-1 s): a margin for load


def _params(solver: cp_model.CpSolver, workers: int, seed: int, deterministic_s: float, wall_s: float) -> None:
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.interleave_search = True  # deterministic parallel search
    params.max_deterministic_time = max(0.05, deterministic_s)
    params.max_time_in_seconds = max(0.5, wall_s)


def _complete(model: cp_model.CpModel, seed: int, deterministic_s: float, wall_s: float) -> list[int] | None:
    """A full assignment extending the model's hint, or None when the hint can't be completed."""
    solver = cp_model.CpSolver()
    _params(solver, 1, seed, deterministic_s, wall_s)
    solver.parameters.fix_variables_to_their_hinted_value = True
    solver.parameters.stop_after_first_solution = True
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [solver.Value(v) for v in _variables(model)]


def _variables(model: cp_model.CpModel) -> list[cp_model.IntVar]:
    return [model.GetIntVarFromProtoIndex(i) for i in range(len(model.Proto().variables))]


def _hint_all(model: cp_model.CpModel, values: list[int]) -> None:
    model.ClearHints()
    for variable, value in zip(_variables(model), values, strict=True):
        model.AddHint(variable, value)


def search(
    model: cp_model.CpModel, workers: int, seed: int, deterministic_s: float, wall_s: float
) -> cp_model.CpSolver:
    """Run the two stages; the returned solver holds the status, the best solution (if any,
    else the hint stands) and the best proved bound."""
    completion_s = deterministic_s * COMPLETION_SHARE
    hinted = bool(model.Proto().solution_hint.vars)
    completed = _complete(model, seed, completion_s, wall_s * COMPLETION_SHARE) if hinted else None
    if completed is not None:
        _hint_all(model, completed)
    solver = cp_model.CpSolver()
    _params(solver, workers, seed, deterministic_s - (completion_s if hinted else 0.0), wall_s)
    if len(model.Proto().variables) >= LARGE_MODEL:
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.subsolvers.append("default_lp")  # one full solver (the bound); LNS does the rest
    else:
        solver.parameters.extra_subsolvers.append("max_lp")  # full LP relaxation: proves tight bounds early
    solver.Solve(model)
    return solver


def is_large(model: cp_model.CpModel) -> bool:
    return len(model.Proto().variables) >= LARGE_MODEL


def window_rounds(time_limit_s: float) -> int:
    """How many time-window rounds a large problem gets: fixed by the time limit alone (not by
    the clock), so the same settings give the same rounds; none for short limits."""
    if time_limit_s < MIN_WINDOW_SEARCH_S:
        return 0
    return int(time_limit_s * (1 - WHOLE_MODEL_SHARE) / SECONDS_PER_ROUND)


def improve_by_windows(
    problem: Problem, tracks: tuple[Track, ...], rounds: int, workers: int, seed: int, wall_s: float
) -> tuple[Track, ...]:
    """A schedule at least as good as `tracks`: `rounds` re-solves of half a day's demands each
    (`scheduler.lns`), every round a small model CP-SAT searches well."""
    from scheduler.lns import LnsSettings, improve  # both import scheduler.solve, which imports this
    from scheduler.solve import solve_window

    settings = LnsSettings(rounds, WINDOW_S, ROUND_TIME_S, wall_s, workers, seed)
    return improve(problem, tracks, settings, solver=solve_window)
