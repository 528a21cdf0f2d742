"""One CP-SAT search of an allocation model: complete the greedy hint first, then improve it.

A greedy schedule hints only the candidates it uses; CP-SAT would spend much of its budget
finding a first solution on its own. So the search runs in two deterministic stages:

1. completion — one worker, every hinted variable fixed to its hint: the rest (the model's
   auxiliary variables) follows in a short presolve and a few propagations;
2. improvement — the full model hinted with that complete solution, searched by interleaved
   (deterministic) workers. Small models get CP-SAT's full portfolio plus a full-LP worker;
   large ones (DSN weeks) one full LP solver for the bound and CP-SAT's LNS for the rest
   (with more full solvers the interleaved batches never reach LNS), and no presolve probing
   (it took most of the budget, for little).

Each stage has a deterministic-time budget (the same problem, seed and workers give the same
schedule on any machine); wall-clock limits are only a safety net.
"""

from ortools.sat.python import cp_model

from scheduler.interrupts import stoppable
from scheduler.solvers.policy import POLICY


def _params(solver: cp_model.CpSolver, workers: int, seed: int, deterministic_s: float, wall_s: float) -> None:
    """Every CP-SAT call's parameters, set here alone."""
    params = solver.parameters
    params.num_workers = max(1, workers)
    params.random_seed = seed
    params.interleave_search = True  # deterministic parallel search
    params.max_deterministic_time = max(POLICY.min_work, deterministic_s)
    params.max_time_in_seconds = max(POLICY.min_wall_s, wall_s)
    stoppable(solver)  # on the command line, Ctrl-C aborts the run, not just this search


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


def is_large(model: cp_model.CpModel) -> bool:
    """A DSN-scale model: searched with DSN-scale parameters."""
    return len(model.Proto().variables) >= POLICY.large_model


def ended_by_clock(solver: cp_model.CpSolver) -> bool:
    """Whether the wall-clock safety net, not the work budget or a proof, ended the search."""
    response, params = solver.response_proto, solver.parameters
    if response.status == cp_model.OPTIMAL or response.status == cp_model.INFEASIBLE:
        return False
    return response.deterministic_time < 0.98 * params.max_deterministic_time and (
        response.wall_time >= 0.98 * params.max_time_in_seconds
    )


def search(
    model: cp_model.CpModel, workers: int, seed: int, deterministic_s: float, wall_s: float
) -> cp_model.CpSolver:
    """Run the two stages; the returned solver holds the status, the best solution (if any,
    else the hint stands) and the best proved bound."""
    completion_s = deterministic_s * POLICY.completion_share
    hinted = bool(model.Proto().solution_hint.vars)
    completed = _complete(model, seed, completion_s, wall_s * POLICY.completion_share) if hinted else None
    if completed is not None:
        _hint_all(model, completed)
    solver = cp_model.CpSolver()
    _params(solver, workers, seed, deterministic_s - (completion_s if hinted else 0.0), wall_s)
    if is_large(model):
        solver.parameters.cp_model_probing_level = 0
        solver.parameters.subsolvers.append("default_lp")  # one full solver (the bound); LNS does the rest
    else:
        solver.parameters.extra_subsolvers.append("max_lp")  # full LP relaxation: proves tight bounds early
    solver.Solve(model)
    return solver
