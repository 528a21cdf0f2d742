"""A planning run end to end: scenario → view periods → problem → solution → tables."""

import json
import time
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from scheduler import __version__
from scheduler.demand import build_problem
from scheduler.gantt import gantt_html
from scheduler.problem import Problem
from scheduler.report import summary, unsatisfied_table
from scheduler.scenario import Scenario
from scheduler.schedule import schedule_csv, schedule_frame
from scheduler.solve import Solution, SolverSettings, solve_cpsat
from scheduler.timeutil import format_time
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


def run_plan(scenario: Scenario, settings: SolverSettings, progress: Progress = lambda _: None) -> PlanResult:
    began = time.perf_counter()
    progress("computing view periods")
    view_periods = compute_view_periods(scenario)
    problem = build_problem(scenario, view_periods)
    progress(f"solving {len(problem.demands)} demands")
    solution = solve_cpsat(problem, settings)
    schedule = schedule_frame(problem, solution.tracks)
    facts = summary(problem, solution, time.perf_counter() - began)
    facts.update(
        {
            "tool": "jointtrack",
            "version": __version__,
            "seed": settings.seed,
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


def schedule_json(result: PlanResult) -> str:
    """Scenario metadata, tool version and every track."""
    records = result.schedule.copy()
    for column in ("setup_start", "start", "end", "teardown_end"):
        records[column] = records[column].map(format_time)
    document = {
        "tool": "jointtrack",
        "version": __version__,
        "scenario": {
            "name": result.scenario.name,
            "start": format_time(result.scenario.start),
            "end": format_time(result.scenario.end),
        },
        "tracks": records.to_dict(orient="records"),
    }
    return json.dumps(document, indent=2) + "\n"


def plan_files(result: PlanResult) -> dict[str, str]:
    """Every file a plan writes, by name (DESIGN.md: Outputs)."""
    return {
        "schedule.csv": schedule_csv(result.schedule),
        "schedule.json": schedule_json(result),
        "view_periods.csv": view_periods_csv(result.view_periods),
        "unsatisfied.csv": result.unsatisfied.to_csv(index=False),
        "summary.json": json.dumps(result.summary, indent=2) + "\n",
        "gantt.html": gantt_html(result.schedule, f"jointtrack — {result.scenario.name}"),
    }
