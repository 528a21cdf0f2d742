"""Proposals: a candidate next baseline, re-planned from the current requests with as few changes
as it takes, and who must consent to it (README: Proposals).

The baseline's tracks become the problem's previous plan (each one moved or dropped costs the
change penalty, each agency with a changed track the consent weight); a baseline track whose
activity begins before now + `negotiation.freeze_before` is frozen: locked exactly as it is, and
no other track begins before that time. The result carries the plan, its diff against the
baseline and the party table, each ready to be written or stored as it is.
"""

import time
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from scheduler.csv_cells import csv_text
from scheduler.errors import InputError
from scheduler.inputs import Scenario
from scheduler.outputs.coordination import coordination_table
from scheduler.outputs.output_dir import write_all
from scheduler.outputs.parties import new_pairs, party_table
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.outputs.schedule_table import schedule_frame
from scheduler.problem.build import build_problem
from scheduler.problem.changes import Change, track_changes
from scheduler.problem.types import Problem, Track
from scheduler.problem.windows import with_locked
from scheduler.settings import CHANGE_PENALTY
from scheduler.sky.visibility import compute_view_periods
from scheduler.solvers import SolverSettings, solve
from scheduler.solvers.critical import require_critical
from scheduler.solvers.interface import Progress, no_progress
from scheduler.timeutil import format_time
from scheduler.workflows.before_write import check_plan
from scheduler.workflows.frozen import after_freeze, check_frozen, fits, frozen_tracks
from scheduler.workflows.plan import run_facts
from scheduler.workflows.repair import diff_frame, previous_tracks


@dataclass(frozen=True)
class ProposalResult:
    """A proposal: its plan (`.plan.schedule` and the other tables), the baseline it was made
    against, the diff between them, the party table (`parties.csv`'s columns), the new
    coordination pairs (`coordination.csv`'s columns), when it was made, when answers are due and
    how many baseline tracks were frozen."""

    plan: PlanResult
    baseline: pd.DataFrame
    diff: pd.DataFrame
    parties: pd.DataFrame
    pairs: pd.DataFrame
    now: datetime
    respond_by: datetime
    frozen: int

    @property
    def asked(self) -> list[str]:
        """The agencies that must consent, by name."""
        return self.parties.agency[self.parties.must_consent].tolist()

    def files(self) -> dict[str, str]:
        """The plan's files (its schedule.xml PROVISIONAL, activities TENTATIVE), diff.csv and parties.csv."""
        return {
            **self.plan.files(),
            "diff.csv": csv_text(self.diff),
            "parties.csv": csv_text(self.parties),
        }

    def write(self, directory: str | Path, force: bool = False) -> list[Path]:
        """Every file, written into `directory` as one atomic step (as `PlanResult.write`)."""
        return write_all(Path(directory), self.files(), force)


def propose(
    scenario: Scenario,
    baseline: pd.DataFrame,
    settings: SolverSettings,
    now: datetime | None = None,
    source: str = "<baseline>",
    progress: Progress = no_progress,
    change_penalty: float = CHANGE_PENALTY,
    withdrawn: frozenset[str] = frozenset(),
) -> ProposalResult:
    """The proposal for `scenario`'s current requests against the `baseline` schedule, as of `now`
    (default: the clock). `withdrawn` names requests no longer in the scenario whose baseline
    tracks are dropped; any other baseline row of an unknown request is an `InputError`."""
    began = time.perf_counter()
    now = now or datetime.now(UTC).replace(microsecond=0)
    negotiation = scenario.spec.negotiation
    still = {r.id for r in scenario.requests} & withdrawn
    if still:
        listed = ", ".join(sorted(still))
        raise InputError("withdrawn", "", f"{listed} still in the scenario", "withdraw only requests it no longer has")
    fix = "give the baseline of this scenario's requests, or name a request withdrawn since (--withdrawn ID)"
    old = previous_tracks(scenario, baseline, source, withdrawn, fix)
    progress("computing view periods")
    view_periods = compute_view_periods(scenario)
    problem = build_problem(scenario, view_periods)
    demands = {d.id for d in problem.demands}
    frozen = frozen_tracks(problem, old, now, negotiation.freeze_before, withdrawn)
    cutoff = now + negotiation.freeze_before
    check_frozen(problem, frozen, source, cutoff)
    previous = tuple(t for t in old if t.demand_id in demands)
    problem = after_freeze(replace(problem, previous=previous, change_penalty=change_penalty), cutoff)
    problem = with_locked(problem, frozen)
    progress(f"proposing for {len(problem.demands)} demands against {len(old)} baseline tracks, {len(frozen)} frozen")
    one_model = replace(settings, window_s=0)  # baseline tracks are priced on the whole horizon
    solution = solve(problem, one_model, progress)
    require_critical(problem, solution)
    facts = run_facts(problem, solution, one_model, time.perf_counter() - began)
    plan = PlanResult.of(scenario, view_periods, problem, solution, facts)
    check_plan(scenario, plan)  # a violation is our bug (exit 70): nothing is written
    progress("finding who must consent")
    gone = {r.request_id: r.agency for r in baseline.itertuples() if r.request_id in withdrawn}
    parties, pairs = consent(scenario, problem, old, solution.tracks, gone)
    diff = diff_frame(problem, old, solution.tracks, set(), _reason(problem, withdrawn))
    respond_by = now + negotiation.respond_within
    proposal = {
        "now": format_time(now),
        "freeze_before_s": int(negotiation.freeze_before.total_seconds()),
        "frozen_tracks": len(frozen),
        "respond_by": format_time(respond_by),
        "silence": negotiation.silence,
        "must_consent": parties.agency[parties.must_consent].tolist(),
        "told": parties.agency[~parties.must_consent].tolist(),
        "new_pairs": len(pairs),
        "wall_s": round(time.perf_counter() - began, 3),
    }
    plan = replace(plan, summary={**plan.summary, "proposal": proposal})
    return ProposalResult(plan, baseline, diff, parties, pairs, now, respond_by, len(frozen))


def consent(
    scenario: Scenario,
    problem: Problem,
    old: tuple[Track, ...],
    tracks: tuple[Track, ...],
    withdrawn: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The party table of `tracks` (a plan of `problem`) against the baseline's tracks `old`, and
    the new coordination pairs; `withdrawn` maps requests gone from the scenario to their agency."""
    agencies = {r.id: r.agency for r in scenario.requests} | (withdrawn or {})
    known = {d.id for d in problem.demands}
    before = schedule_frame(problem, tuple(t for t in old if t.demand_id in known))
    after = schedule_frame(problem, tracks)
    pairs = new_pairs(coordination_table(scenario, before), coordination_table(scenario, after))
    return party_table(track_changes(old, tracks), pairs, lambda demand: agencies[demand.split("#")[0]]), pairs


def _reason(problem: Problem, withdrawn: frozenset[str]):
    """Why each baseline track changed: its request was withdrawn, no longer fits it (the request
    changed), or the re-plan moved it (made room, or found better)."""
    requests = {d.id: d.request_id for d in problem.demands}

    def why(change: Change) -> str:
        if change.kind == "kept":
            return ""
        if change.kind == "added":
            return "re-planned"
        track = change.track
        if track.demand_id.split("#")[0] in withdrawn:
            return "request withdrawn"
        if track.demand_id not in requests or not fits(problem, track):
            return "request changed"
        return "re-planned"

    return why
