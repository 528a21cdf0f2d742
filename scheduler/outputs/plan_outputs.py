"""A plan's result, and every file it writes by name (docs/design.md: Outputs)."""

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scheduler.csv_cells import csv_text
from scheduler.inputs import Scenario
from scheduler.outputs.coordination import coordination_table
from scheduler.outputs.exports import FORMATS, context_from_scenario
from scheduler.outputs.gantt import gantt_html
from scheduler.outputs.json_text import json_text
from scheduler.outputs.ledger import ledger_summary, support_ledger
from scheduler.outputs.output_dir import write_all
from scheduler.outputs.report import unsatisfied_table
from scheduler.outputs.schedule_table import schedule_frame
from scheduler.problem.types import Problem
from scheduler.sky.visibility import view_periods_csv
from scheduler.solvers.bound.report import bound_document
from scheduler.solvers.interface import Solution


@dataclass(frozen=True)
class PlanResult:
    """Everything a plan produced: the inputs it used, the solution and its tables."""

    scenario: Scenario
    view_periods: pd.DataFrame
    problem: Problem
    solution: Solution
    schedule: pd.DataFrame
    unsatisfied: pd.DataFrame
    summary: dict

    @classmethod
    def of(
        cls, scenario: Scenario, view_periods: pd.DataFrame, problem: Problem, solution: Solution, facts: dict
    ) -> "PlanResult":
        """A plan's result with its schedule and unsatisfied tables made from the solution."""
        schedule = schedule_frame(problem, solution.tracks)
        unsatisfied = unsatisfied_table(problem, solution.tracks, solution)
        return cls(scenario, view_periods, problem, solution, schedule, unsatisfied, facts)

    def files(self) -> dict[str, str]:
        """Every output file by name (see `plan_files`)."""
        return plan_files(self)

    def write(self, directory: str | Path, force: bool = False) -> list[Path]:
        """Write every output file into `directory` as one atomic step. An existing directory that
        is not a previous output (and not empty) is refused unless `force`; the user's files in it
        are always kept (docs/design.md: Outputs)."""
        return write_all(Path(directory), self.files(), force)


def cross_support(result: PlanResult) -> pd.DataFrame:
    """The plan's cross-support ledger (antenna agency from the scenario's stations)."""
    return support_ledger(result.schedule, context_from_scenario(result.scenario).antenna_agency)


def plan_tables(result: PlanResult) -> dict[str, str]:
    """The plan's files other than the schedule's exports and the Gantt chart: view periods,
    reports, ledger, coordination pairs and summary (what a service stores beside schedule.csv)."""
    ledger = cross_support(result)
    return {
        "view_periods.csv": view_periods_csv(result.view_periods),
        "unsatisfied.csv": csv_text(result.unsatisfied),
        "ledger.csv": csv_text(ledger),
        "coordination.csv": csv_text(coordination_table(result.scenario, result.schedule)),
        "summary.json": json_text({**result.summary, "cross_support": ledger_summary(ledger)}),
    }


def plan_files(result: PlanResult) -> dict[str, str]:
    """The schedule in every export format, view periods, reports, ledger and Gantt chart."""
    context = context_from_scenario(result.scenario)
    schedule = result.schedule
    title = (
        f"jointtrack — {result.scenario.name}: {len(schedule)} tracks, "
        f"{result.scenario.start:%Y-%m-%d} to {result.scenario.end:%Y-%m-%d} UTC"
    )
    return {
        **{f"schedule{form.suffix}": form.write(schedule, context) for form in FORMATS.values()},
        **plan_tables(result),
        "gantt.html": gantt_html(
            schedule, result.view_periods, result.scenario.stations, title, (result.scenario.start, result.scenario.end)
        ),
        **bound_files(result.problem, result.solution),
    }


def bound_files(problem: Problem, solution: Solution) -> dict[str, str]:
    """bound.json, when the relaxation ran: the bound, its curve and the prices that prove it."""
    if solution.relaxation is None:
        return {}
    return {"bound.json": json_text(bound_document(problem, solution.relaxation), indent=1)}
