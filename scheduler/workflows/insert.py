"""Urgent insertion end to end (README: Urgent insertion): a request placed into a planned
schedule at once, then the displaced tracks re-placed by a normal repair.

The *decision* is timed (`decision_s`): from reading the request file to the schedule decided
(the urgent track placed; the tracks in its way shortened, moved or dropped), the scenario's
view periods and problem already at hand. The *repair* that follows is the minimal-change
re-plan `repair` makes, the urgent track and every untouchable track locked, nothing new before
`--now`: it may put dropped tracks back and improve on the quick moves. Tracks whose setup
started before `--now`, the tracks of earlier emergencies (requests marked `inserted:
emergency`), locked tracks and critical requests' tracks are untouchable.
"""

import math
import time
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path

import pandas as pd

from scheduler.csv_cells import csv_text
from scheduler.errors import InfeasibleError
from scheduler.inputs import Scenario
from scheduler.inputs.urgent import Tier, UrgentSpec, load_urgent, urgent_from_data, with_urgent
from scheduler.outputs.displaced import displaced_table
from scheduler.outputs.output_dir import write_all
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.outputs.scenario_file import scenario_yaml
from scheduler.problem.scoring import SCALE, score
from scheduler.problem.types import Problem
from scheduler.problem.windows import from_now, with_locked
from scheduler.solvers import Solution, SolverSettings
from scheduler.solvers.insertion import Decision, decide
from scheduler.solvers.interface import Progress, no_progress
from scheduler.timeutil import format_time
from scheduler.workflows.before_write import check_plan
from scheduler.workflows.plan import run_facts
from scheduler.workflows.previous import Prepared, prepare, seconds_at
from scheduler.workflows.repair import diff_frame, replan
from scheduler.workflows.urgent import urgent_problem

SLACK_S = 1800  # an emergency starts at most this long after the earliest start its rules allow


@dataclass(frozen=True)
class Insertion:
    """The timed decision and the scenario and problem it was made in."""

    scenario: Scenario  # with the urgent request (and target)
    problem: Problem
    view_periods: pd.DataFrame  # the scenario's and the urgent target's
    request_id: str
    tier: Tier
    now: int  # seconds from the scenario start
    fixed: frozenset[int]  # untouchable planned tracks, by number
    decision: Decision
    decision_s: float


@dataclass(frozen=True)
class InsertResult:
    """The plan after the insertion (and the repair), what was displaced, and the diff."""

    plan: PlanResult
    displaced: pd.DataFrame
    diff: pd.DataFrame
    insertion: Insertion

    @property
    def scenario(self) -> Scenario:
        return self.insertion.scenario

    def files(self) -> dict[str, str]:
        """The plan's files, displaced.csv, diff.csv and scenario.yaml (the scenario with the request)."""
        note = f"{self.scenario.name} with {self.insertion.request_id} inserted ({self.insertion.tier}) by jointtrack"
        return {
            **self.plan.files(),
            "displaced.csv": csv_text(self.displaced),
            "diff.csv": csv_text(self.diff),
            "scenario.yaml": scenario_yaml(self.scenario, note),
        }

    def write(self, directory: str | Path, force: bool = False) -> list[Path]:
        """Every file, written into `directory` as one atomic step (as `PlanResult.write`)."""
        return write_all(Path(directory), self.files(), force)


def untouchable(prepared: Prepared, now: int) -> frozenset[int]:
    """Planned tracks an insertion may not change: begun before `now`, of an earlier emergency,
    locked by the scenario, or of a critical request."""
    emergencies = {r.id for r in prepared.scenario.requests if r.inserted == "emergency"}
    locked = {(t.demand_id, t.antennas, t.start, t.end) for t in prepared.problem.locked}
    found = set()
    for number, planned in enumerate(prepared.planned):
        track = planned.track
        demand = prepared.problem.demand(track.demand_id)
        place = (track.demand_id, track.antennas, track.start, track.end)
        if track.start - track.setup < now or demand.request_id in emergencies or place in locked or demand.critical:
            found.add(number)
    return frozenset(found)


def decide_insertion(
    prepared: Prepared,
    request: UrgentSpec | dict | str | Path,
    tier: Tier,
    now: int,
    slack_s: int = SLACK_S,
    source: str = "<request>",
) -> Insertion:
    """The timed decision: the request read, its demand built, its track placed and the planned
    tracks in its way shortened, moved or dropped. A request that cannot be placed (a late-add
    that would displace anyone) raises `InfeasibleError` naming what blocks it."""
    began = time.perf_counter()
    if isinstance(request, dict):
        request = urgent_from_data(request, source)
    elif not isinstance(request, UrgentSpec):
        source = str(request)
        request = load_urgent(request)
    scenario = with_urgent(prepared.scenario, request, tier, source)
    urgent = urgent_problem(scenario, request.request.id, prepared.problem, source)
    fixed = untouchable(prepared, now)
    tracks = tuple(p.track for p in prepared.planned)
    decision = decide(urgent.problem, tracks, set(fixed), urgent.demand, now, slack_s, tier)
    elapsed = time.perf_counter() - began
    if decision.placed is None:
        raise InfeasibleError(refusal(prepared, urgent.problem, urgent.demand, decision, tier))
    new_targets = ~urgent.view_periods.target.isin(set(prepared.view_periods.target))
    periods = pd.concat([prepared.view_periods, urgent.view_periods[new_targets]], ignore_index=True)
    return Insertion(scenario, urgent.problem, periods, request.request.id, tier, now, fixed, decision, elapsed)


def refusal(prepared: Prepared, problem: Problem, demand, decision: Decision, tier: Tier) -> str:
    """One line: why the request was not placed."""
    if decision.blocking:
        named = ", ".join(
            f"{prepared.planned[n].track_id} ({problem.demand(prepared.planned[n].track.demand_id).request_id}, "
            f"{problem.demand(prepared.planned[n].track.demand_id).agency})"
            for n in decision.blocking
        )
        return f"late-add {demand.request_id} would displace other tracks wherever it goes; at least {named}"
    if not demand.opportunities:
        return f"{tier} {demand.request_id} cannot be placed: {demand.unreachable or 'no view period'}"
    return (
        f"{tier} {demand.request_id} cannot be placed: from --now on, its view periods are taken by untouchable "
        "tracks (begun, earlier emergencies, locked or critical) or downtime"
    )


def insert(
    scenario: Scenario,
    schedule: pd.DataFrame,
    request: UrgentSpec | dict | str | Path,
    tier: Tier,
    now: datetime | None,
    settings: SolverSettings,
    schedule_source: str = "<schedule>",
    progress: Progress = no_progress,
    view_periods: pd.DataFrame | None = None,
    slack_s: int = SLACK_S,
    repair: bool = True,
) -> InsertResult:
    """Insert the request into `schedule`; with `repair`, re-place what it displaced."""
    began = time.perf_counter()
    at = seconds_at(scenario, now)
    progress("computing view periods" if view_periods is None else "reading the schedule")
    prepared = prepare(scenario, schedule, schedule_source, view_periods)
    progress(f"inserting ({tier})")
    insertion = decide_insertion(prepared, request, tier, at, slack_s)
    decision = insertion.decision
    assert decision.placed is not None
    keep = (*(prepared.planned[n].track for n in insertion.fixed), decision.placed)
    problem = with_locked(from_now(insertion.problem, at), keep)
    decided = decided_plan(insertion, problem, settings, time.perf_counter() - began)
    plan = decided
    if repair and decision.changes:
        repairing = replace(problem, previous=decision.tracks, change_penalty=1.0)
        plan = replan(insertion.scenario, insertion.view_periods, repairing, settings, progress, began)
    plan = replace(plan, summary=insertion_summary(plan, insertion, prepared, repair and bool(decision.changes)))
    old = tuple(p.track for p in prepared.planned)
    diff = diff_frame(problem, old, plan.solution.tracks, {insertion.request_id})
    rows = [(prepared.planned[n].track_id, c.change, c.track, c.new) for n, c in decision.changes]
    displaced = displaced_table(problem, rows)
    hit = set(zip(displaced.request_id, displaced.start, strict=True))
    why = f"displaced by {tier} {insertion.request_id}"
    diff["reason"] = [
        why if (r.request_id, r.old_start) in hit and r.change != "kept" else r.reason for r in diff.itertuples()
    ]
    return InsertResult(plan, displaced, diff, insertion)


def decided_plan(insertion: Insertion, problem: Problem, settings: SolverSettings, wall_s: float) -> PlanResult:
    """The schedule as decided, checked like every plan (a violation is our bug: exit 70)."""
    tracks = insertion.decision.tracks
    solution = Solution(tracks, "FEASIBLE", score(problem, tracks) / SCALE, math.inf, insertion.decision_s, "insert")
    facts = run_facts(problem, solution, settings, wall_s)
    plan = PlanResult.of(insertion.scenario, insertion.view_periods, problem, solution, facts)
    check_plan(insertion.scenario, plan)
    return plan


def insertion_summary(plan: PlanResult, insertion: Insertion, prepared: Prepared, repaired: bool) -> dict:
    """summary.json with `decision_s`, `now` and the insertion's figures."""
    decision = insertion.decision
    assert decision.placed is not None
    epoch = pd.Timestamp(prepared.scenario.start)
    placed = decision.placed
    changes = [c for _, c in decision.changes]
    weight = {d.id: 11 - d.priority for d in insertion.problem.demands}
    return {
        **plan.summary,
        "decision_s": round(insertion.decision_s, 4),
        "now": format_time(epoch + pd.Timedelta(seconds=insertion.now)),
        "insertion": {
            "request_id": insertion.request_id,
            "tier": insertion.tier,
            "stations": list(placed.antennas),
            "start": format_time(epoch + pd.Timedelta(seconds=placed.start)),
            "end": format_time(epoch + pd.Timedelta(seconds=placed.end)),
            "displaced_tracks": len(changes),
            "shortened": sum(c.change == "shortened" for c in changes),
            "moved": sum(c.change == "moved" for c in changes),
            "dropped": sum(c.change == "dropped" for c in changes),
            "displaced_s": sum(c.displaced_seconds for c in changes),
            "weighted_displaced_s": sum(weight[c.track.demand_id] * c.displaced_seconds for c in changes),
            "lost_s": sum(c.lost_seconds for c in changes),
            "repaired": repaired,
        },
    }
