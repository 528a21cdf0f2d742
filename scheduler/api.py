"""The Python API: what the command line does, for notebooks and tools (README: Python API).

Every function takes a scenario as a loaded `Scenario`, a YAML file path or a bundled name, and
returns pandas DataFrames or a result object; bad input raises `scheduler.errors.InputError`
(one line: file, field, fix). The `jointtrack` command is a thin layer over these functions.
"""

from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from scheduler.inputs import Scenario
from scheduler.progress import Progress, no_progress
from scheduler.settings import (
    CHANGE_PENALTY,
    SEED,
    TIME_LIMIT_S,
    WORKERS,
    SolverName,
    check_change_penalty,
    check_solver_settings,
)

if TYPE_CHECKING:
    from scheduler.check.violation import Violation
    from scheduler.outputs.plan_outputs import PlanResult
    from scheduler.solvers.interface import SolverSettings
    from scheduler.workflows.propose import ProposalResult
    from scheduler.workflows.repair import RepairResult

ScenarioLike = Scenario | str | Path
LAZY = {  # names re-exported for users, imported on first use (`visibility` need not load the solvers)
    "PlanResult": "scheduler.outputs.plan_outputs",
    "ProposalResult": "scheduler.workflows.propose",
    "SolverSettings": "scheduler.solvers.interface",
    "propose": "scheduler.schedule_changes",  # changes to a planned or agreed schedule
    "insert": "scheduler.schedule_changes",
    "feedback": "scheduler.schedule_changes",
}
ScheduleLike = pd.DataFrame | str | Path

__all__ = [
    "PlanResult",
    "ProposalResult",
    "Scenario",
    "SolverSettings",
    "export",
    "feedback",  # noqa: F822 (from scheduler.schedule_changes, through LAZY)
    "insert",  # noqa: F822 (from scheduler.schedule_changes, through LAZY)
    "load_scenario",
    "plan",
    "propose",  # noqa: F822 (from scheduler.schedule_changes, through LAZY)
    "repair",
    "validate",
    "validation_notes",
    "view_periods",
]


def __getattr__(name: str) -> object:
    if name in LAZY:
        return getattr(import_module(LAZY[name]), name)
    raise AttributeError(f"module 'scheduler.api' has no attribute {name!r}")


def load_scenario(source: ScenarioLike) -> Scenario:
    """A scenario from a YAML file, or a bundled scenario by name (`"default"`, `"mars-week"`, …)."""
    if isinstance(source, Scenario):
        from scheduler.inputs.scenario import checked

        return checked(source)  # changed after loading (model_copy, replace): validated again
    from scenarios import bundled_path
    from scheduler.inputs import load_scenario as load_file

    path = Path(source)
    if not path.is_file() and (bundled := bundled_path(str(source))) is not None:
        path = bundled
    return load_file(path)


def view_periods(scenario: ScenarioLike) -> pd.DataFrame:
    """When each target is usable from each station: `station,target,start,end,max_elevation_deg`."""
    from scheduler.sky.visibility import compute_view_periods

    return compute_view_periods(load_scenario(scenario))


def plan(
    scenario: ScenarioLike,
    *,
    time_limit_s: float = TIME_LIMIT_S,
    workers: int = WORKERS,
    seed: int = SEED,
    solver: SolverName = "cpsat",
    window_s: int | None = None,
    progress: Progress = no_progress,
) -> "PlanResult":
    """Plan a scenario: `.schedule`, `.unsatisfied`, `.view_periods` (DataFrames), `.summary`
    (the figures of summary.json); `.write(directory)` writes every output file atomically."""
    check_solver_settings(time_limit_s, workers, seed, solver, window_s)  # before any import or work
    from scheduler.solvers.interface import SolverSettings
    from scheduler.workflows.plan import run_plan

    settings = SolverSettings(  # checked here, before any work
        time_limit_s=time_limit_s, workers=workers, seed=seed, solver=solver, window_s=window_s
    )
    return run_plan(load_scenario(scenario), settings, progress)


def validate(
    scenario: ScenarioLike, schedule: ScheduleLike, *, now: "datetime | str | None" = None
) -> list["Violation"]:
    """Every rule the schedule breaks, re-checked independently of the planner (empty: valid).
    With `now`, rows begun before it are history (what ran, as `feedback` writes it): a
    violation that names such a row is a fact, not counted."""
    from scheduler.check import validate_schedule

    table = schedule_table(schedule)
    found = validate_schedule(load_scenario(scenario), table)
    if now is None:
        return found
    history = set(table.track_id[table.setup_start < pd.Timestamp(now_time(now))])
    return [v for v in found if v.track_id not in history]


def validation_notes(scenario: ScenarioLike, schedule: ScheduleLike) -> list["Violation"]:
    """Soft rules the schedule leaves unmet (max_gap, spread): reported, not violations."""
    from scheduler.check import schedule_notes

    return schedule_notes(load_scenario(scenario), schedule_table(schedule))


def repair(
    scenario: ScenarioLike,
    schedule: ScheduleLike,
    event: str | Path,
    *,
    change_penalty: float = CHANGE_PENALTY,
    freeze: bool = False,
    time_limit_s: float = TIME_LIMIT_S,
    workers: int = WORKERS,
    seed: int = SEED,
    progress: Progress = no_progress,
) -> "RepairResult":
    """Re-plan after the event file's outages, new requests and withdrawals, keeping unaffected
    tracks: `.plan` (a `PlanResult`) and `.diff` (kept / moved / dropped / added)."""
    check_solver_settings(time_limit_s, workers, seed, "cpsat", None)  # before any import or work
    change_penalty = check_change_penalty(change_penalty)
    from scheduler.inputs.events import load_event
    from scheduler.solvers.interface import SolverSettings
    from scheduler.workflows.repair import repair as repair_plan

    source = str(schedule) if isinstance(schedule, str | Path) else "<schedule>"
    settings = SolverSettings(time_limit_s=time_limit_s, workers=workers, seed=seed)
    sources = (source, str(event))
    loaded = load_scenario(scenario)
    return repair_plan(
        loaded, schedule_table(schedule), load_event(event), settings, sources, progress, change_penalty, freeze
    )


def export(
    schedule: ScheduleLike,
    form: Literal["csv", "json", "ics", "xml"],
    *,
    scenario: ScenarioLike | None = None,
    by: Literal["station", "mission"] = "station",
    status: Literal["provisional", "operational"] = "provisional",
) -> str:
    """The schedule as CSV, JSON, iCalendar or CCSDS Simple Schedule XML text. With `scenario`
    the export carries its name, horizon and stations; without, antennas come from the catalog.
    `status`: a plan or proposal is provisional (XML PROVISIONAL / TENTATIVE, iCalendar
    TENTATIVE), the agreed baseline operational (OPERATIONAL / COMMITTED, CONFIRMED)."""
    from scheduler.errors import InputError
    from scheduler.outputs.exports import FORMATS, STATUSES, SsfInvalid, context_from_catalog, context_from_scenario

    if form not in FORMATS:
        raise InputError("format", "", f"unknown format {form!r}", f"use one of {', '.join(FORMATS)}")
    if by not in ("station", "mission"):
        raise InputError("by", "", f"unknown grouping {by!r}", "use station or mission")
    if status not in STATUSES:
        raise InputError("status", "", f"unknown schedule status {status!r}", f"use {' or '.join(STATUSES)}")
    table = schedule_table(schedule)
    context = (
        context_from_catalog(table, by, status)
        if scenario is None
        else context_from_scenario(load_scenario(scenario), by, status)
    )
    try:
        return FORMATS[form].write(table, context)
    except SsfInvalid as invalid:
        source = str(schedule) if isinstance(schedule, str | Path) else "<schedule>"
        fix = "give every track a unique track_id, a mission and a station"
        raise InputError(source, "", f"does not make a valid CCSDS Simple Schedule ({invalid})", fix) from None


def now_time(now: "datetime | str | None") -> "datetime | None":
    """`now` as a UTC time (None: the clock); text that is no ISO-8601 time is an `InputError`."""
    from scheduler.timeutil import TIME_HINT, parse_time

    try:
        return parse_time(now) if isinstance(now, str) else now
    except ValueError:
        from scheduler.errors import InputError

        raise InputError("now", "", f"{now!r} is not an ISO-8601 time", TIME_HINT) from None


def schedule_table(schedule: ScheduleLike) -> pd.DataFrame:
    """A schedule table, read from schedule.csv when given a path; checked either way (InputError
    naming the row and column of the first problem)."""
    from scheduler.inputs.schedule_file import checked_schedule, read_schedule_csv

    if isinstance(schedule, str | Path):
        return read_schedule_csv(schedule)
    return checked_schedule(schedule, "<schedule>")
