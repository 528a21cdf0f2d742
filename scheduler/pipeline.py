"""A planning run end to end: scenario → view periods → problem → solution → tables."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from scheduler import __version__
from scheduler.demand import build_problem
from scheduler.export import FORMATS, context_from_scenario
from scheduler.gantt import gantt_html
from scheduler.ledger import ledger_summary, support_ledger
from scheduler.limits import check_model_size
from scheduler.problem import Problem
from scheduler.report import summary, unsatisfied_table
from scheduler.rolling import solve_horizon
from scheduler.scenario import Scenario
from scheduler.schedule import schedule_frame
from scheduler.solve import Solution, SolverSettings
from scheduler.visibility import compute_view_periods, view_periods_csv

Progress = Callable[[str], None]


@dataclass(frozen=True)
class PlanResult:
    scenario: Scenario
    view_periods: pd.DataFrame
    problem: Problem
    solution: Solution
    schedule: pd.DataFrame
    unsatisfied: pd.DataFrame
    summary: dict


def run_plan(
    scenario: Scenario, settings: SolverSettings, progress: Progress = lambda _: None, window: int | None = None
) -> PlanResult:
    """`window`: rolling-window length in seconds for long horizons (0: off; None: automatic)."""
    began = time.perf_counter()
    progress("computing view periods")
    view_periods = compute_view_periods(scenario)
    problem = build_problem(scenario, view_periods)
    check_model_size(problem, scenario.source)
    progress(f"solving {len(problem.demands)} demands")
    solution = solve_horizon(problem, settings, window, progress)
    schedule = schedule_frame(problem, solution.tracks)
    facts = summary(problem, solution, time.perf_counter() - began)
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
    return PlanResult(
        scenario,
        view_periods,
        problem,
        solution,
        schedule,
        unsatisfied_table(problem, solution.tracks, solution),
        facts,
    )


def cross_support(result: PlanResult) -> pd.DataFrame:
    """The plan's cross-support ledger (antenna agency from the scenario's stations)."""
    return support_ledger(result.schedule, context_from_scenario(result.scenario).antenna_agency)


def plan_files(result: PlanResult) -> dict[str, str]:
    """Every file a plan writes, by name (DESIGN.md: Outputs, plus exports and the ledger)."""
    context = context_from_scenario(result.scenario)
    ledger = cross_support(result)
    schedule = result.schedule
    title = (
        f"jointtrack — {result.scenario.name}: {len(schedule)} tracks, "
        f"{result.scenario.start:%Y-%m-%d} to {result.scenario.end:%Y-%m-%d} UTC"
    )
    return {
        **{f"schedule{form.suffix}": form.write(schedule, context) for form in FORMATS.values()},
        "view_periods.csv": view_periods_csv(result.view_periods),
        "unsatisfied.csv": result.unsatisfied.to_csv(index=False),
        "ledger.csv": ledger.to_csv(index=False),
        "summary.json": json.dumps({**result.summary, "cross_support": ledger_summary(ledger)}, indent=2) + "\n",
        "gantt.html": gantt_html(
            schedule, result.view_periods, result.scenario.stations, title, (result.scenario.start, result.scenario.end)
        ),
    }
