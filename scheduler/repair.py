"""Repair: re-plan after an event while keeping unaffected tracks where they were.

The old schedule's tracks are read back as tracks of the modified scenario's problem and
become its `previous` plan: each one moved or dropped costs the objective `change_penalty`
times its priority-weighted time, so tracks move only when that buys more — a track an outage
hit, room for an urgent request. With `freeze`, the tracks the event leaves untouched are
locked instead. Tracks of withdrawn requests are dropped. The diff says, per track, whether it
was kept, moved, dropped or added, and why.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
from rich.table import Table

from scheduler import __version__
from scheduler.demand import build_problem, periods
from scheduler.errors import InputError
from scheduler.events import EventSpec, apply_event, load_event
from scheduler.outputs import write_all
from scheduler.pipeline import PlanResult, Progress, plan_files
from scheduler.problem import Downtime, Problem, Track
from scheduler.report import summary, unsatisfied_table
from scheduler.rolling import with_locked
from scheduler.scenario import Scenario
from scheduler.schedule import read_schedule_csv, schedule_frame
from scheduler.solve import SolverSettings, solve
from scheduler.timeutil import format_time
from scheduler.visibility import compute_view_periods

CHANGE_PENALTY = 1.0  # per priority-weighted second of a previous track moved or dropped
DIFF_COLUMNS = [
    "change",
    "request_id",
    "demand_id",
    "old_stations",
    "old_start",
    "old_end",
    "new_stations",
    "new_start",
    "new_end",
    "reason",
]


@dataclass(frozen=True)
class RepairResult:
    plan: PlanResult
    diff: pd.DataFrame


def previous_tracks(scenario: Scenario, schedule: pd.DataFrame, source: str) -> tuple[Track, ...]:
    """The schedule's tracks, each matched to its demand by request id and request period.

    Rows of one multi-antenna track (same group, same times) become one track."""
    requests = {r.id: r for r in scenario.requests}
    epoch = pd.Timestamp(scenario.start)
    horizon = int((scenario.end - scenario.start).total_seconds())
    grouped: dict[tuple, list] = defaultdict(list)
    for index, row in enumerate(schedule.sort_values("track_id", kind="stable").itertuples(index=False)):
        if row.request_id not in requests:
            raise InputError(
                source,
                f"row {index + 2} request_id",
                f"request {row.request_id!r} is not in the scenario",
                "give the schedule planned for this scenario",
            )
        key = (row.request_id, row.group or row.track_id, row.start, row.end)
        grouped[key].append(row)
    tracks = []
    for (request_id, _, start, end), rows in grouped.items():
        first = rows[0]
        on = int((start - epoch).total_seconds())
        spans = periods(requests[request_id], horizon)
        number = next((n for n, (a, b) in enumerate(spans) if a <= on < b), None)
        if number is None:
            raise InputError(
                source,
                f"track {first.track_id}",
                f"starts at {format_time(start)}, outside the scenario's horizon",
                "give the schedule planned for this scenario",
            )
        demand_id = request_id if len(spans) == 1 else f"{request_id}#{number + 1}"
        tracks.append(
            Track(
                demand_id,
                tuple(r.station for r in rows),
                on,
                int((end - epoch).total_seconds()),
                int((start - first.setup_start).total_seconds()),
                int((first.teardown_end - end).total_seconds()),
                first.group,
            )
        )
    return tuple(sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id)))


def _meets(track: Track, outages: tuple[Downtime, ...]) -> bool:
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
    progress: Progress = lambda _: None,
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
    view_periods = compute_view_periods(modified)
    problem = build_problem(modified, view_periods)
    demands = {d.id for d in problem.demands}
    current = tuple(t for t in old if t.demand_id in demands)  # the others' requests were withdrawn
    problem = replace(problem, previous=current, change_penalty=change_penalty)
    if freeze:  # unaffected tracks must stay exactly
        unaffected = (t for t in current if not _meets(t, problem.downtime))
        problem = with_locked(problem, tuple(unaffected))
    progress(f"re-planning {len(problem.demands)} demands around {len(current)} previous tracks")
    solution = solve(problem, settings)
    facts = summary(problem, solution, time.perf_counter() - began)
    facts.update({"tool": "jointtrack", "version": __version__, "seed": settings.seed, "repair": True})
    plan = PlanResult(
        modified,
        view_periods,
        problem,
        solution,
        schedule_frame(problem, solution.tracks),
        unsatisfied_table(problem, solution.tracks, solution),
        facts,
    )
    diff = diff_frame(problem, old, solution.tracks, {r.id for r in event.requests})
    return RepairResult(plan, diff)


def diff_frame(
    problem: Problem, old: tuple[Track, ...], new: tuple[Track, ...], new_requests: set[str]
) -> pd.DataFrame:
    """One row per old or new track: kept (same place), moved (old and new place of one demand's
    track), dropped or added, with the reason."""
    request_of = {d.id: d.request_id for d in problem.demands}
    epoch = pd.Timestamp(problem.epoch)

    def place(track: Track | None) -> tuple[str, str, str]:
        if track is None:
            return ("", "", "")
        at = (epoch + pd.Timedelta(seconds=s) for s in (track.start, track.end))
        return (" ".join(track.antennas), *(format_time(t) for t in at))

    def why(track: Track) -> str:
        if request_of.get(track.demand_id) is None:
            return "request withdrawn"
        return "outage" if _meets(track, problem.downtime) else "re-planned"

    rows: list[tuple] = []

    def add(change: str, before: Track | None, after: Track | None, reason: str) -> None:
        track = before or after
        assert track is not None
        request = request_of.get(track.demand_id, track.demand_id.split("#")[0])
        rows.append((change, request, track.demand_id, *place(before), *place(after), reason))

    def place_key(track: Track) -> tuple:
        return (track.demand_id, track.antennas, track.start, track.end)

    same = {place_key(t) for t in old} & {place_key(t) for t in new}
    for track in sorted((t for t in new if place_key(t) in same), key=lambda t: t.start):
        add("kept", track, track, "")
    unmatched: dict[str, list[Track]] = defaultdict(list)
    for track in sorted((t for t in new if place_key(t) not in same), key=lambda t: t.start):
        unmatched[track.demand_id].append(track)
    for track in sorted((t for t in old if place_key(t) not in same), key=lambda t: t.start):
        if unmatched[track.demand_id]:
            add("moved", track, unmatched[track.demand_id].pop(0), why(track))
        else:
            add("dropped", track, None, why(track))
    for tracks in unmatched.values():
        for track in tracks:
            urgent = request_of[track.demand_id] in new_requests
            add("added", None, track, "new request" if urgent else "time freed by the event")
    frame = pd.DataFrame(rows, columns=DIFF_COLUMNS)
    order = {"moved": 0, "dropped": 1, "added": 2, "kept": 3}
    return frame.sort_values(
        ["change", "old_start", "new_start"], key=lambda c: c.map(order) if c.name == "change" else c, kind="stable"
    ).reset_index(drop=True)


def diff_table(diff: pd.DataFrame, limit: int = 40) -> Table:
    """The diff as a rich table: changes first, kept tracks after them, at most `limit` rows."""
    counts = diff.change.value_counts()
    title = "repair — " + ", ".join(f"{counts.get(c, 0)} {c}" for c in ("kept", "moved", "dropped", "added"))
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in ("change", "request", "old", "new", "reason"):
        table.add_column(column, no_wrap=column != "reason")
    style = {"kept": "dim", "moved": "yellow", "dropped": "red", "added": "green"}
    for row in diff.head(limit).itertuples():
        old = _short(row.old_stations, row.old_start, row.old_end)
        new = _short(row.new_stations, row.new_start, row.new_end)
        table.add_row(row.change, row.demand_id, old, new, row.reason, style=style[row.change])
    if len(diff) > limit:
        table.caption = f"{len(diff) - limit} more rows in diff.csv"
    return table


def repair_command(
    scenario: Scenario,
    schedule_csv: Path,
    event_file: Path,
    directory: Path,
    settings: SolverSettings,
    progress: Progress = lambda _: None,
    change_penalty: float = CHANGE_PENALTY,
    freeze: bool = False,
) -> Table:
    """`jointtrack repair`: repair, write the plan files and diff.csv atomically, return the diff table."""
    event = load_event(event_file)
    schedule = read_schedule_csv(str(schedule_csv))
    sources = (str(schedule_csv), str(event_file))
    result = repair(scenario, schedule, event, settings, sources, progress, change_penalty, freeze)
    progress(f"writing {directory}")
    write_all(directory, {**plan_files(result.plan), "diff.csv": result.diff.to_csv(index=False)})
    return diff_table(result.diff)


def _short(stations: str, start: str, end: str) -> str:
    """`DSS-43 12-07 04:15-07:15` from ISO times (the end's date when it differs)."""
    if not stations:
        return ""
    finish = end[11:16] if end[:10] == start[:10] else f"{end[5:10]} {end[11:16]}"
    return f"{stations} {start[5:10]} {start[11:16]}-{finish}"
