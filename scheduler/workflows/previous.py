"""A schedule table read back as tracks of a scenario's problem: what repair, insert and feedback
start from. Rows of one multi-antenna track (same group, same times) become one track, matched to
its demand by request id and request period; each keeps the ids of its rows. Also `--now` in
seconds, and the scenario prepared once (view periods, problem, planned tracks)."""

import math
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs import Scenario
from scheduler.problem.build import build_problem
from scheduler.problem.periods import demand_id, period_spans
from scheduler.problem.types import Problem, Track
from scheduler.sky.visibility import compute_view_periods
from scheduler.timeutil import format_time


@dataclass(frozen=True)
class PlannedTrack:
    """A track of the schedule and the `track_id`s of its rows (one per antenna)."""

    track: Track
    row_ids: tuple[str, ...]

    @property
    def track_id(self) -> str:
        return self.row_ids[0]


def planned_tracks(
    scenario: Scenario,
    schedule: pd.DataFrame,
    source: str,
    withdrawn: frozenset[str] = frozenset(),
    fix: str = "give the schedule planned for this scenario",
) -> tuple[PlannedTrack, ...]:
    """The schedule's tracks in order of start (then antennas, then demand); a track of a
    `withdrawn` request (no longer in the scenario) keeps its request id as demand id."""
    requests = {r.id: r for r in scenario.requests}
    epoch = pd.Timestamp(scenario.start)
    horizon = int((scenario.end - scenario.start).total_seconds())
    grouped: dict[tuple, list] = defaultdict(list)
    for index, row in enumerate(schedule.sort_values("track_id", kind="stable").itertuples(index=False)):
        if row.request_id not in requests and row.request_id not in withdrawn:
            raise InputError(
                source, f"row {index + 2} request_id", f"request {row.request_id!r} is not in the scenario", fix
            )
        key = (row.request_id, row.group or row.track_id, row.start, row.end)
        grouped[key].append(row)
    found = []
    for (request_id, _, start, end), rows in grouped.items():
        first = rows[0]
        stations = [r.station for r in rows]
        twice = next((r for k, r in enumerate(rows) if r.station in stations[:k]), None)
        if twice is not None:
            raise InputError(
                source,
                f"track {twice.track_id}",
                f"is a second row of {first.track_id}'s track on {twice.station} (same request, group and times)",
                "give each antenna of a track one row; drop the repeated row",
            )
        on = int((start - epoch).total_seconds())
        spans = period_spans(requests[request_id].per, horizon) if request_id in requests else [(0, horizon)]
        number = next((n for n, (a, b) in enumerate(spans) if a <= on < b), None)
        if number is None:
            raise InputError(
                source,
                f"track {first.track_id}",
                f"starts at {format_time(start)}, outside the scenario's horizon",
                "give the schedule planned for this scenario",
            )
        track = Track(
            demand_id(request_id, number, len(spans)),
            tuple(r.station for r in rows),
            on,
            int((end - epoch).total_seconds()),
            int((start - first.setup_start).total_seconds()),
            int((first.teardown_end - end).total_seconds()),
            first.group,
        )
        found.append(PlannedTrack(track, tuple(str(r.track_id) for r in rows)))
    return tuple(sorted(found, key=lambda p: (p.track.start, p.track.antennas, p.track.demand_id)))


def previous_tracks(
    scenario: Scenario,
    schedule: pd.DataFrame,
    source: str,
    withdrawn: frozenset[str] = frozenset(),
    fix: str = "give the schedule planned for this scenario",
) -> tuple[Track, ...]:
    """The schedule's tracks alone (see `planned_tracks`)."""
    return tuple(p.track for p in planned_tracks(scenario, schedule, source, withdrawn, fix))


@dataclass(frozen=True)
class Prepared:
    """What insert and feedback start from: the scenario, its view periods and problem, the planned tracks."""

    scenario: Scenario
    view_periods: pd.DataFrame
    problem: Problem
    planned: tuple[PlannedTrack, ...]


def prepare(
    scenario: Scenario, schedule: pd.DataFrame, source: str, view_periods: pd.DataFrame | None = None
) -> Prepared:
    """The scenario's view periods (computed unless given), problem and planned tracks."""
    periods = compute_view_periods(scenario) if view_periods is None else view_periods
    return Prepared(scenario, periods, build_problem(scenario, periods), planned_tracks(scenario, schedule, source))


def seconds_at(scenario: Scenario, now: datetime | None) -> int:
    """`--now` (default: the clock) in seconds from the scenario start, at least 0."""
    stamp = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    if stamp >= pd.Timestamp(scenario.end):
        fix = "give a --now inside the scenario's horizon"
        raise InputError("--now", "", f"{format_time(stamp)} is at or after the scenario's end", fix)
    return max(0, math.ceil((stamp - pd.Timestamp(scenario.start)).total_seconds()))
