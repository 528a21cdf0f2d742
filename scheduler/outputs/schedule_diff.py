"""Two schedules compared track by track, in diff.csv's columns (docs/design.md: Outputs): what
was kept where it was, moved, dropped or added, from the schedule tables alone.

A track is a schedule's rows of one request that share a group (or a row alone): its antennas,
start and end. Tracks of a request in the same place in both are kept; the rest are paired in
time order as moved, and what is left over is dropped or added.
"""

from collections import defaultdict
from collections.abc import Callable

import pandas as pd

from scheduler.timeutil import format_time

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
ORDER = {"moved": 0, "dropped": 1, "added": 2, "kept": 3}
Place = tuple[str, pd.Timestamp, pd.Timestamp]  # antennas, start, end


def tracks_of(schedule: pd.DataFrame) -> dict[str, list[Place]]:
    """Each request's tracks, in time order."""
    found: dict[str, list[Place]] = defaultdict(list)
    for (request_id, _), rows in schedule.groupby(
        [schedule.request_id, schedule.group.where(schedule.group.astype(str) != "", schedule.track_id)], sort=False
    ):
        stations = " ".join(sorted(str(s) for s in rows.station.unique()))
        found[str(request_id)].append((stations, rows.start.min(), rows.end.max()))
    return {r: sorted(places, key=lambda p: (p[1], p[0])) for r, places in found.items()}


def schedule_diff(
    old: pd.DataFrame,
    new: pd.DataFrame,
    demand_of: Callable[[str, pd.Timestamp], str],
    withdrawn: set[str] = frozenset(),  # type: ignore[assignment]
    added: set[str] = frozenset(),  # type: ignore[assignment]
) -> pd.DataFrame:
    """The rows of diff.csv from `old` to `new`; `withdrawn` and `added` name requests that left
    or came between them (the reasons), `demand_of(request, start)` names a track's demand."""
    before, after = tracks_of(old), tracks_of(new)
    rows = []

    def place(track: Place | None) -> tuple[str, str, str]:
        return ("", "", "") if track is None else (track[0], format_time(track[1]), format_time(track[2]))

    def add(change: str, request: str, was: Place | None, now: Place | None, reason: str) -> None:
        track = was or now
        assert track is not None
        rows.append((change, request, demand_of(request, track[1]), *place(was), *place(now), reason))

    for request in sorted(set(before) | set(after)):
        was, now = list(before.get(request, [])), list(after.get(request, []))
        kept = [t for t in was if t in now]
        for track in kept:
            was.remove(track)
            now.remove(track)
            add("kept", request, track, track, "")
        for old_track, new_track in zip(was, now, strict=False):
            add("moved", request, old_track, new_track, "re-planned")
        for old_track in was[len(now) :]:
            add("dropped", request, old_track, None, "request withdrawn" if request in withdrawn else "re-planned")
        for new_track in now[len(was) :]:
            add("added", request, None, new_track, "new request" if request in added else "re-planned")
    return diff_rows(rows)


def diff_rows(rows: list[tuple[str, ...]]) -> pd.DataFrame:
    """diff.csv's frame from rows in DIFF_COLUMNS order: moved, dropped, added, then kept, each by time."""
    frame = pd.DataFrame(rows, columns=DIFF_COLUMNS)
    return frame.sort_values(
        ["change", "old_start", "new_start"], key=lambda c: c.map(ORDER) if c.name == "change" else c, kind="stable"
    ).reset_index(drop=True)
