"""What became of the tracks that began before `--now` (README: Feedback): each planned track
matched to its outcome and judged by the scenario's `feedback` rules. A split track has begun
when its first segment has: its later segments are history too, kept as planned.

A track is *done* when the time on target that really ran reaches `complete_at` of its planned
time (a split track: its segments together) and its data is good; it stays in the schedule as it
ran. Any other reported track is *re-opened*: it leaves the schedule and its request asks for it
again. A re-opened track is a *failure* of its request unless its cause is `preempted`. A track
without an outcome is taken as planned. A track the scenario locks stays as locked whatever its
outcome (its outcome is reported, nothing is re-queued).
"""

from collections import defaultdict
from dataclasses import dataclass, replace

import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs import Scenario
from scheduler.inputs.outcomes import Outcome
from scheduler.problem.types import Problem, Track
from scheduler.timeutil import format_time
from scheduler.workflows.previous import PlannedTrack

DELIVERING = ("completed", "partial", "aborted")  # their actual times count as time on target delivered
CONTACT = (*DELIVERING, "bad_data")  # their actual times were a pass with the spacecraft


@dataclass(frozen=True)
class Ran:
    """A planned track that began before --now and what became of it."""

    planned: PlannedTrack
    outcome: Outcome | None  # None: not reported, taken as planned
    contact: tuple[int, int] | None  # seconds on target a pass really lasted (None: no contact)
    delivered_s: int
    done: bool
    failure: bool
    locked: bool = False  # locked by the scenario: kept as given

    @property
    def track(self) -> Track:
        return self.planned.track

    @property
    def recorded(self) -> Track | None:
        """The track as the schedule keeps it: as it ran when done, as planned when unreported or
        locked, None when re-opened (or a segment of a done split track that did not run)."""
        if self.locked or (self.done and self.outcome is None):
            return self.track
        if not self.done or self.contact is None:
            return None
        return replace(self.track, start=self.contact[0], end=self.contact[1])

    @property
    def preempted(self) -> bool:
        return not self.done and self.outcome is not None and self.outcome.cause == "preempted"


def judge(
    scenario: Scenario,
    problem: Problem,
    planned: tuple[PlannedTrack, ...],
    outcomes: tuple[Outcome, ...],
    now: int,
    source: str,
) -> tuple[Ran, ...]:
    """Every track begun before `now` with its outcome, judged; outcomes naming unknown tracks,
    tracks not begun by `now` or a second outcome of one track are errors naming `source`."""
    epoch = pd.Timestamp(scenario.start)
    owner = {row_id: number for number, p in enumerate(planned) for row_id in p.row_ids}
    given: dict[int, Outcome] = {}
    for outcome in outcomes:
        where = f"row {outcome.row} track_id"
        number = owner.get(outcome.track_id)
        if number is None:
            raise InputError(source, where, f"unknown track {outcome.track_id!r}", "name a track_id of the schedule")
        track = planned[number].track
        if track.start - track.setup >= now:
            began = format_time(epoch + pd.Timedelta(seconds=track.start - track.setup))
            fix = "report tracks begun before --now, or give a later --now"
            raise InputError(
                source, where, f"{outcome.track_id} has not begun by --now (its setup starts {began})", fix
            )
        if outcome.end is not None and outcome.end > (epoch + pd.Timedelta(seconds=now)).to_pydatetime():
            fix = "report what ran before --now, or give a later --now"
            raise InputError(source, f"row {outcome.row} actual_end", "is after --now", fix)
        if number in given:
            fix = "give one outcome per track (its rows share the group and times)"
            raise InputError(
                source, where, f"{outcome.track_id} is a row of a track reported in row {given[number].row}", fix
            )
        given[number] = outcome
    rules = scenario.spec.feedback
    locked = {(t.demand_id, t.antennas, t.start, t.end) for t in problem.locked}
    begun_groups = {
        (p.track.demand_id, p.track.group)
        for p in planned
        if p.track.group and problem.demand(p.track.demand_id).min_segment and p.track.start - p.track.setup < now
    }
    found = []
    for number, item in enumerate(planned):
        track = item.track
        if track.start - track.setup >= now and (track.demand_id, track.group) not in begun_groups:
            continue
        outcome = given.get(number)
        contact = _contact(outcome, epoch) if outcome is not None else (track.start, track.end)
        delivered = 0 if outcome is None or outcome.state not in DELIVERING else outcome.ran_s
        if outcome is None:
            delivered = track.duration
        fixed = (track.demand_id, track.antennas, track.start, track.end) in locked
        done = (
            outcome is None
            or fixed
            or (outcome.state in DELIVERING and delivered >= rules.complete_at * track.duration)
        )
        failure = not done and outcome is not None and outcome.cause != "preempted"
        found.append(Ran(item, outcome, contact, delivered, done, failure, fixed))
    return _split_tracks_whole(problem, tuple(found), rules.complete_at)


def _contact(outcome: Outcome, epoch: pd.Timestamp) -> tuple[int, int] | None:
    if outcome.state not in CONTACT or outcome.start is None or outcome.end is None:
        return None
    start = round((pd.Timestamp(outcome.start) - epoch).total_seconds())
    return start, round((pd.Timestamp(outcome.end) - epoch).total_seconds())


def _split_tracks_whole(problem: Problem, found: tuple[Ran, ...], complete_at: float) -> tuple[Ran, ...]:
    """A split track is done or re-opened whole: done when its segments together deliver enough."""
    groups: dict[tuple[str, str], list[Ran]] = defaultdict(list)
    for ran in found:
        if problem.demand(ran.track.demand_id).min_segment and ran.track.group:
            groups[(ran.track.demand_id, ran.track.group)].append(ran)
    verdict = {
        key: sum(r.delivered_s for r in members) >= complete_at * sum(r.track.duration for r in members)
        and all(r.outcome is None or r.outcome.state != "bad_data" for r in members)
        for key, members in groups.items()
    }
    out = []
    for ran in found:
        key = (ran.track.demand_id, ran.track.group)
        if key in verdict and ran.done != verdict[key]:
            reported = ran.outcome is not None and ran.outcome.cause != "preempted"
            ran = replace(ran, done=verdict[key], failure=not verdict[key] and reported)
        out.append(ran)
    return tuple(out)


def failures_by_request(problem: Problem, ran: tuple[Ran, ...]) -> dict[str, int]:
    """Failed tracks per request id (a split track's segments count once)."""
    counted: dict[str, set] = defaultdict(set)
    for item in ran:
        if item.failure:
            demand = problem.demand(item.track.demand_id)
            counted[demand.request_id].add(item.track.group if demand.min_segment else item.planned.track_id)
    return {request: len(tracks) for request, tracks in counted.items()}
