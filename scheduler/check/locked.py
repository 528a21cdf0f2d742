"""Locked tracks: each must appear in the schedule exactly as the scenario fixes it."""

import pandas as pd

from scheduler.check.violation import TIME_TOLERANCE_S, Violation
from scheduler.inputs import Scenario
from scheduler.timeutil import format_time
from stations import resolve_stations


def check_locked(scenario: Scenario, schedule: pd.DataFrame) -> list[Violation]:
    """One violation per locked track without rows of its request on exactly its stations, start and end."""
    found = []
    for index, locked in enumerate(scenario.spec.locked):
        stations = {s.id for s in resolve_stations(locked.stations, scenario.stations)}
        start, end = pd.Timestamp(locked.start), pd.Timestamp(locked.end)
        same = schedule[
            (schedule.request_id == locked.request)
            & ((schedule.start - start).abs().dt.total_seconds() <= TIME_TOLERANCE_S)
            & ((schedule.end - end).abs().dt.total_seconds() <= TIME_TOLERANCE_S)
        ]
        if set(same.station) != stations:
            where = f"{locked.request} on {', '.join(sorted(stations))} {format_time(start)}..{format_time(end)}"
            got = f"; found it on {', '.join(sorted(set(same.station)))}" if len(same) else ""
            found.append(Violation(f"locked[{index}]", "locked track", f"{where} not kept as given{got}"))
    return found
