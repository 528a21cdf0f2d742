"""Repair: re-plan after an event while keeping unaffected tracks where they were.

The old schedule's tracks are read back as tracks of the modified scenario's problem and
become its `previous` plan: each one moved or dropped costs the objective `change_penalty`
times its priority-weighted time, so tracks move only when that buys more — a track an outage
hit, room for an urgent request. With `freeze`, the tracks the event leaves untouched are
locked instead. Tracks of withdrawn requests are dropped. The diff says, per track, whether it
was kept, moved, dropped or added, and why.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from scheduler.csv_cells import csv_text
from scheduler.inputs import Scenario
from scheduler.inputs.events import EventSpec, apply_event
from scheduler.outputs.output_dir import write_all
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.outputs.schedule_diff import diff_rows
from scheduler.problem.build import build_problem
from scheduler.problem.changes import Change, track_changes
from scheduler.problem.types import Downtime, Problem, Track
from scheduler.problem.windows import with_locked
from scheduler.settings import CHANGE_PENALTY
from scheduler.sky.visibility import compute_view_periods
from scheduler.solvers import SolverSettings, solve
from scheduler.solvers.critical import require_critical
from scheduler.solvers.interface import Progress, no_progress
from scheduler.timeutil import format_time
from scheduler.workflows.before_write import check_plan
from scheduler.workflows.plan import run_facts
from scheduler.workflows.previous import previous_tracks


@dataclass(frozen=True)
class RepairResult:
    """The repaired plan and its diff against the old schedule."""

    plan: PlanResult
    diff: pd.DataFrame

    def write(self, directory: str | Path, force: bool = False) -> list[Path]:
        """The plan's files and diff.csv, written into `directory` as one atomic step (as
        `PlanResult.write`)."""
        return write_all(Path(directory), {**self.plan.files(), "diff.csv": csv_text(self.diff)}, force)


def meets_downtime(track: Track, outages: tuple[Downtime, ...]) -> bool:
    """Whether the track's antenna time [setup start, teardown end) meets an outage."""
    return any(
        o.antenna in track.antennas and o.start < track.end + track.teardown and track.start - track.setup < o.end
        for o in outages
    )


def repair(
    scenario: Scenario,
    schedule: pd.DataFrame,
    event: EventSpec,
    settings: SolverSettings,
    sources: tuple[str, str] = ("<schedule>", "<event>"),
    progress: Progress = no_progress,
    change_penalty: float = CHANGE_PENALTY,
    freeze: bool = False,
) -> RepairResult:
    """The repaired plan of `scenario` after `event`, and its diff against `schedule`.

    Each previous track moved or dropped costs `change_penalty` times its priority-weighted
    time, so tracks move only when that buys more (an urgent request, a track the outage hit);
    with `freeze` every track the event leaves untouched stays exactly."""
    began = time.perf_counter()
    schedule_source, event_source = sources
    modified = apply_event(scenario, event, event_source)
    old = previous_tracks(scenario, schedule, schedule_source)
    progress("computing view periods")
    # The event's outages block antennas as the problem's downtime, not by cutting view periods:
    # a request they leave no antenna for is unsatisfied ("blocked by downtime"), not bad input.
    view_periods = compute_view_periods(apply_event(scenario, event.model_copy(update={"outages": ()}), event_source))
    problem = build_problem(modified, view_periods)
    demands = {d.id for d in problem.demands}
    current = tuple(t for t in old if t.demand_id in demands)  # the others' requests were withdrawn
    problem = replace(problem, previous=current, change_penalty=change_penalty)
    if freeze:  # unaffected tracks must stay exactly
        unaffected = (t for t in current if not meets_downtime(t, problem.downtime))
        problem = with_locked(problem, tuple(unaffected))
    plan = replan(modified, view_periods, problem, settings, progress, began)
    diff = diff_frame(problem, old, plan.solution.tracks, {r.id for r in event.requests})
    return RepairResult(plan, diff)


def replan(
    scenario: Scenario,
    view_periods: pd.DataFrame,
    problem: Problem,
    settings: SolverSettings,
    progress: Progress,
    began: float,
    check: Callable[[Scenario, PlanResult], None] = check_plan,
) -> PlanResult:
    """A problem with previous (and locked) tracks solved as one model and checked: the step
    repair, insert and feedback share. A violation is our bug (exit 70): nothing is written."""
    progress(f"re-planning {len(problem.demands)} demands around {len(problem.previous)} previous tracks")
    one_model = replace(settings, window_s=0)  # previous tracks are priced on the whole horizon
    solution = solve(problem, one_model, progress)
    require_critical(problem, solution)
    facts = {**run_facts(problem, solution, one_model, time.perf_counter() - began), "repair": True}
    plan = PlanResult.of(scenario, view_periods, problem, solution, facts)
    check(scenario, plan)
    return plan


def diff_frame(
    problem: Problem,
    old: tuple[Track, ...],
    new: tuple[Track, ...],
    new_requests: set[str],
    why: Callable[[Change], str] | None = None,
) -> pd.DataFrame:
    """One row per old or new track: kept (same place), moved (old and new place of one demand's
    track), dropped or added, with the reason (`why`, by default a repair's)."""
    request_of = {d.id: d.request_id for d in problem.demands}
    epoch = pd.Timestamp(problem.epoch)

    def place(track: Track | None) -> tuple[str, str, str]:
        if track is None:
            return ("", "", "")
        at = (epoch + pd.Timedelta(seconds=s) for s in (track.start, track.end))
        return (" ".join(track.antennas), *(format_time(t) for t in at))

    def repair_reason(change: Change) -> str:
        if change.kind == "kept":
            return ""
        if change.kind == "added":
            urgent = request_of[change.track.demand_id] in new_requests
            return "new request" if urgent else "time freed by the event"
        if request_of.get(change.track.demand_id) is None:
            return "request withdrawn"
        return "outage" if meets_downtime(change.track, problem.downtime) else "re-planned"

    rows = [
        (
            change.kind,
            request_of.get(change.track.demand_id, change.track.demand_id.split("#")[0]),
            change.track.demand_id,
            *place(change.before),
            *place(change.after),
            (why or repair_reason)(change),
        )
        for change in track_changes(old, new)
    ]
    return diff_rows(rows)
