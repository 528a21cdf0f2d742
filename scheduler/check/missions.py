"""The mission rule, re-checked from the schedule rows (README: Validator): a spacecraft is
tracked by one antenna at a time, so no two tracks of one mission are on target at once.

A track is the rows of one request sharing a `group` (an array or ΔDOR track, a split track's
segments) or one row alone; a continuous request's tracks are one chain, whose handovers overlap
by design. A `concurrent` request's rows are exempt.
"""

import pandas as pd

from scheduler.check.violation import TIME_TOLERANCE_S, Violation, seconds_between
from scheduler.inputs import RequestSpec
from scheduler.timeutil import format_time


def _track_of(request: RequestSpec, row) -> tuple[str, ...]:
    """Which track a row belongs to, for the rule: rows of one track may overlap each other."""
    if request.continuous:
        return ("chain", request.id)
    if row.group:
        return ("group", request.id, row.group)
    return ("row", row.track_id)


def check_mission_overlap(requests: dict[str, RequestSpec], rows: pd.DataFrame) -> list[Violation]:
    """One violation per pair of tracks of one mission on target together (more than the time
    tolerance), naming both tracks, the mission and when."""
    by_mission: dict[str, list[tuple[pd.Timestamp, pd.Timestamp, tuple[str, ...], str]]] = {}
    for row in rows.itertuples():
        request = requests[row.request_id]
        if not request.concurrent:
            by_mission.setdefault(request.mission, []).append(
                (row.start, row.end, _track_of(request, row), str(row.track_id))
            )
    found, seen = [], set()
    for mission, items in sorted(by_mission.items()):
        items.sort(key=lambda item: (item[0], item[1], item[3]))
        for index, (start, end, track, name) in enumerate(items):
            for other_start, other_end, other_track, other in items[index + 1 :]:
                if seconds_between(other_start, end) <= TIME_TOLERANCE_S:
                    break
                if other_track == track or (track, other_track) in seen:
                    continue
                seen.add((track, other_track))
                when = f"{format_time(max(start, other_start))}..{format_time(min(end, other_end))}"
                detail = f"{mission} on target with {name} too, {when} (one antenna at a time)"
                found.append(Violation(other, "mission overlap", detail))
    return found
