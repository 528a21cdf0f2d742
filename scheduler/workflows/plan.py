"""A planning run end to end: scenario → view periods → problem → solution → tables."""

import time
from typing import TYPE_CHECKING

from scheduler.inputs import Scenario
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.outputs.report import summary
from scheduler.problem.build import build_problem
from scheduler.problem.limits import check_model_size
from scheduler.problem.types import Problem
from scheduler.sky.visibility import compute_view_periods
from scheduler.solvers import Solution, SolverSettings, solve
from scheduler.solvers.critical import require_critical
from scheduler.solvers.interface import Progress, no_progress
from scheduler.solvers.rolling import planned_windows
from scheduler.version import __version__
from scheduler.workflows.before_write import check_plan

if TYPE_CHECKING:
    from scheduler.solvers.bound import RelaxationBound


def run_plan(scenario: Scenario, settings: SolverSettings, progress: Progress = no_progress) -> PlanResult:
    """Plan `scenario` with `settings` (long horizons roll as `settings.window_s` says)."""
    began = time.perf_counter()
    progress("computing view periods")
    view_periods = compute_view_periods(scenario)
    problem = build_problem(scenario, view_periods)
    check_model_size(planned_windows(problem, settings.window_s), scenario.source)
    progress(f"solving {len(problem.demands)} demands")
    solution = solve(problem, settings, progress)
    require_critical(problem, solution)
    facts = run_facts(problem, solution, settings, time.perf_counter() - began)
    result = PlanResult.of(scenario, view_periods, problem, solution, facts)
    check_plan(scenario, result)  # no invalid schedule ever leaves: a violation is our bug (exit 70)
    return result


def run_facts(problem: Problem, solution: Solution, settings: SolverSettings, wall_s: float) -> dict:
    """summary.json's figures of a run: the plan's summary, the tool and the settings."""
    facts = summary(problem, solution, wall_s)
    facts.update(
        {
            "tool": "jointtrack",
            "version": __version__,
            "seed": settings.seed,
            "solver_requested": settings.solver,
            "time_limit_s": settings.time_limit_s,
            "workers": settings.workers,
        }
    )
    return facts


def run_bound(
    scenario: Scenario, time_limit_s: float, progress: Progress = no_progress
) -> tuple[Problem, "RelaxationBound"]:
    """The scenario's problem and its relaxation bound alone (no schedule), within `time_limit_s`."""
    from scheduler.solvers.bound.relaxation import bound_only
    from scheduler.solvers.greedy import solve_greedy_tracks

    progress("computing view periods")
    problem = build_problem(scenario, compute_view_periods(scenario))
    progress(f"bounding {len(problem.demands)} demands")
    return problem, bound_only(problem, time_limit_s, solve_greedy_tracks(problem), progress)
