"""`solve`: the single entry every workflow calls — greedy or CP-SAT by `settings.solver`, over
rolling windows when the horizon is long (docs/design.md: Solvers)."""

from scheduler.problem.types import Problem
from scheduler.solvers.cpsat.solver import solve_cpsat
from scheduler.solvers.greedy import solve_greedy
from scheduler.solvers.interface import Progress, Solution, Solver, SolverSettings, no_progress
from scheduler.solvers.rolling import rolling_length, rolling_overlap, solve_rolling

SOLVERS: dict[str, Solver] = {"cpsat": solve_cpsat, "greedy": solve_greedy}


def solve(problem: Problem, settings: SolverSettings, progress: Progress = no_progress) -> Solution:
    """The schedule of the solver `settings.solver` names, rolled past a long horizon."""
    solver = SOLVERS[settings.solver]
    length = rolling_length(problem.horizon, settings.window_s)
    if length:
        return solve_rolling(problem, settings, solver, length, rolling_overlap(length), progress)
    return solver(problem, settings, progress)
