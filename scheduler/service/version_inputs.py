"""What the engine needs of a stored version to change it (urgent insertion, feedback): its
scenario, schedule and view periods, read back from the version's files, so that nothing is
computed again (the view periods of a week take far longer than an insertion's decision)."""

import io
from typing import Any

import pandas as pd

from scheduler.inputs import Scenario, load_scenario_text
from scheduler.outputs.exports import FORMATS, context_from_scenario
from scheduler.outputs.plan_outputs import PlanResult, plan_tables
from scheduler.outputs.schedule_table import read_schedule_text
from scheduler.timeutil import parse_time_column

SCENARIO_FILE = "scenario.yaml"
INPUT_FILES = (SCENARIO_FILE, "schedule.csv", "view_periods.csv")


def view_periods_table(text: str) -> pd.DataFrame:
    """view_periods.csv as the planner's table (times as UTC timestamps)."""
    table = pd.read_csv(io.StringIO(text), dtype={"station": str, "target": str}, keep_default_na=False)
    for column in ("start", "end"):
        table[column] = parse_time_column(table[column])
    table["max_elevation_deg"] = pd.to_numeric(table.max_elevation_deg, errors="coerce").astype(float)
    return table


def version_inputs(files: dict[str, str], source: str) -> tuple[Scenario, pd.DataFrame, pd.DataFrame]:
    """(scenario, schedule, view periods) of a version's files."""
    scenario = load_scenario_text(files[SCENARIO_FILE], source)
    schedule = read_schedule_text(files["schedule.csv"], source)
    return scenario, schedule, view_periods_table(files["view_periods.csv"])


def version_files_of(plan: PlanResult, scenario_text: str, **more: str) -> dict[str, str]:
    """The files a version keeps of a plan (as a plan job stores them), and `more`."""
    schedule = FORMATS["csv"].write(plan.schedule, context_from_scenario(plan.scenario))
    return {SCENARIO_FILE: scenario_text, "schedule.csv": schedule, **plan_tables(plan), **more}


def summary_of(files: dict[str, str]) -> dict[str, Any]:
    import json

    return json.loads(files["summary.json"])
