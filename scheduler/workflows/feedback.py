"""Feedback end to end (README: Feedback): outcomes of the tracks that ran folded back into the
plan. Tracks begun before `--now` are history: done ones stay as they ran, re-opened ones leave
and their time is asked for again in the rest of the horizon by a minimal-change repair (the
tracks not yet begun are its previous plan); requests that failed `max_failures` times are left
out. The plan is checked like every plan, history aside: what ran is a fact, not a plan, so a
rule only a history track breaks (a done track shorter than its minimum, one that ran late into
the next) is no violation; every rule between history and the new plan holds.
"""

import math
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pandas as pd

from scheduler.check.allocation import check_allocation, track_name
from scheduler.check.validator import validate_schedule
from scheduler.csv_cells import csv_text
from scheduler.inputs import Scenario
from scheduler.inputs.outcomes import Outcome, outcomes_from_rows, read_outcomes
from scheduler.outputs.execution import execution_table
from scheduler.outputs.exports import context_from_scenario
from scheduler.outputs.json_text import json_text
from scheduler.outputs.ledger import ledger_summary, support_ledger
from scheduler.outputs.output_dir import write_all
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.outputs.schedule_table import schedule_frame
from scheduler.problem.scoring import SCALE, critical_unmet, score
from scheduler.problem.types import Problem, Track
from scheduler.problem.windows import from_now, with_locked
from scheduler.settings import CHANGE_PENALTY
from scheduler.solvers import SolverSettings, solve
from scheduler.solvers.interface import Progress, no_progress
from scheduler.timeutil import format_time
from scheduler.workflows.before_write import require_valid
from scheduler.workflows.history import Ran, failures_by_request, judge
from scheduler.workflows.plan import run_facts
from scheduler.workflows.previous import Prepared, prepare, seconds_at
from scheduler.workflows.repair import diff_frame
from scheduler.workflows.requeue import History, left_out, requeue_problem
from scheduler.workflows.run_record import execution_rows, history_reasons

Outcomes = tuple[Outcome, ...] | list[dict] | str | Path


@dataclass(frozen=True)
class FeedbackResult:
    """The new plan, its diff against the schedule given, and execution.csv's table."""

    plan: PlanResult
    diff: pd.DataFrame
    execution: pd.DataFrame
    ran: tuple[Ran, ...]
    ledger: pd.DataFrame  # delivered time included

    def files(self) -> dict[str, str]:
        """The plan's files (ledger and summary counting delivered time), diff.csv and execution.csv."""
        summary = {**self.plan.summary, "cross_support": ledger_summary(self.ledger)}
        return {
            **self.plan.files(),
            "ledger.csv": csv_text(self.ledger),
            "summary.json": json_text(summary),
            "diff.csv": csv_text(self.diff),
            "execution.csv": csv_text(self.execution),
        }

    def write(self, directory: str | Path, force: bool = False) -> list[Path]:
        """Every file, written into `directory` as one atomic step (as `PlanResult.write`)."""
        return write_all(Path(directory), self.files(), force)


def load_outcomes(scenario: Scenario, outcomes: Outcomes) -> tuple[tuple[Outcome, ...], str]:
    """Outcomes from a CSV file or rows of data, checked; and the source naming them in errors."""
    horizon = (scenario.start, scenario.end)
    if isinstance(outcomes, str | Path):
        return read_outcomes(outcomes, horizon), str(outcomes)
    if outcomes and not isinstance(outcomes[0], Outcome):
        return outcomes_from_rows(outcomes, "<outcomes>", horizon), "<outcomes>"  # type: ignore[arg-type]
    return tuple(outcomes), "<outcomes>"  # type: ignore[arg-type]


def feedback(
    scenario: Scenario,
    schedule: pd.DataFrame,
    outcomes: Outcomes,
    now: datetime | None,
    settings: SolverSettings,
    schedule_source: str = "<schedule>",
    progress: Progress = no_progress,
    view_periods: pd.DataFrame | None = None,
    change_penalty: float = CHANGE_PENALTY,
) -> FeedbackResult:
    """The plan after the outcomes: history as it ran, what is missing re-queued."""
    began = time.perf_counter()
    at = seconds_at(scenario, now)
    reported, source = load_outcomes(scenario, outcomes)
    progress("computing view periods" if view_periods is None else "reading the schedule")
    prepared = prepare(scenario, schedule, schedule_source, view_periods)
    ran = judge(scenario, prepared.problem, prepared.planned, reported, at, source)
    limit = scenario.spec.feedback.max_failures
    limited = {r for r, n in failures_by_request(prepared.problem, ran).items() if n >= limit}
    recorded = tuple(r.recorded for r in ran if r.recorded is not None)
    begun = {r.track for r in ran}
    future = tuple(p.track for p in prepared.planned if p.track not in begun)
    problem = requeue_problem(
        prepared.problem, recorded, what_ran(prepared.problem, ran), at, limited, future, change_penalty
    )
    progress(f"re-planning {len(problem.demands)} demands from --now around {len(recorded)} tracks that ran")
    one_model = replace(settings, window_s=0)
    solution = solve(problem, one_model, progress)  # a critical request reality made unmeetable is reported
    tracks = tuple({place(t): t for t in (*recorded, *solution.tracks)}.values())
    report = with_locked(left_out(from_now(prepared.problem, at), limited), recorded)
    result = replace(
        solution, tracks=tracks, objective=score(report, tracks) / SCALE, bound=math.inf, time_bound=math.inf
    )
    facts = run_facts(report, result, one_model, time.perf_counter() - began)
    plan = PlanResult.of(scenario, prepared.view_periods, report, result, facts)
    check_with_history(scenario, plan, at)
    plan = replace(plan, summary=feedback_summary(plan, prepared, ran, limited, at))
    diff = diff_frame(report, tuple(p.track for p in prepared.planned), tracks, set())
    diff["reason"] = history_reasons(prepared, ran, diff, plan.problem, limited)
    execution = execution_table(execution_rows(prepared, ran), limited)
    return FeedbackResult(plan, diff, execution, ran, delivered_ledger(plan, ran))


def place(track: Track) -> tuple:
    return (track.demand_id, track.antennas, track.start, track.end)


def what_ran(problem: Problem, ran: tuple[Ran, ...]) -> History:
    """Per request the end of its last pass that really ran (a contact, whatever came of it); per
    complex the beginning of its last activity (every begun track's setup start, as it ran)."""
    passes: dict[str, int] = {}
    activities: dict[str, int] = {}
    for item in ran:
        track = item.track
        if item.contact is not None:
            request = problem.demand(track.demand_id).request_id
            passes[request] = max(passes.get(request, item.contact[1]), item.contact[1])
        begin = (item.contact[0] if item.contact is not None else track.start) - track.setup
        for name in {problem.complex_of(a) for a in track.antennas}:
            activities[name] = max(activities.get(name, begin), begin)
    return History(passes, activities)


def check_with_history(scenario: Scenario, plan: PlanResult, now: int) -> None:
    """The check before writing, history aside: violations that name only a track begun before
    `now` are facts of what ran, and so is a critical request left unmet (summary.json names it);
    any other is our bug (exit 70, nothing written)."""
    stamp = pd.Timestamp(scenario.start) + pd.Timedelta(seconds=now)
    history = set(plan.schedule.track_id[plan.schedule.setup_start < stamp])
    found = validate_schedule(scenario, plan.schedule, visibility=False)
    require_valid([v for v in found if v.track_id not in history and v.rule != "critical not met"])
    names = {track_name(t) for t in plan.solution.tracks if t.start - t.setup < now}
    require_valid([v for v in check_allocation(plan.problem, plan.solution.tracks) if v.track_id not in names])


def delivered_ledger(plan: PlanResult, ran: tuple[Ran, ...]) -> pd.DataFrame:
    """The cross-support ledger of the plan, with the time re-opened tracks did deliver."""
    partial = tuple(
        replace(r.track, start=r.contact[0], end=r.contact[1])
        for r in ran
        if r.recorded is None and r.contact is not None and r.delivered_s
    )
    rows = plan.schedule
    if partial:
        rows = pd.concat([rows, schedule_frame(plan.problem, partial)], ignore_index=True)
    return support_ledger(rows, context_from_scenario(plan.scenario).antenna_agency)


def feedback_summary(plan: PlanResult, prepared: Prepared, ran: tuple[Ran, ...], limited: set[str], now: int) -> dict:
    """summary.json with `now` and the outcomes' figures."""
    rules = prepared.scenario.spec.feedback
    epoch = pd.Timestamp(prepared.scenario.start)
    return {
        **plan.summary,
        "now": format_time(epoch + pd.Timedelta(seconds=now)),
        "feedback": {
            "complete_at": rules.complete_at,
            "max_failures": rules.max_failures,
            "tracks_begun": len(ran),
            "reported": sum(r.outcome is not None for r in ran),
            "done": sum(r.done for r in ran),
            "reopened": sum(not r.done for r in ran),
            "failures": sum(r.failure for r in ran),
            "preempted": sum(r.preempted for r in ran),
            "delivered_hours": round(sum(r.delivered_s for r in ran) / 3600, 3),
            "planned_hours_begun": round(sum(r.track.duration for r in ran) / 3600, 3),
            "failure_limit": sorted(limited),
            "critical_unmet": sorted({d.request_id for d in critical_unmet(plan.problem, plan.solution.tracks)}),
        },
    }
