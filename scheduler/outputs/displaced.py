"""displaced.csv: what an urgent insertion did to each planned track it displaced (docs/design.md:
Outputs)."""

from collections.abc import Iterable

import pandas as pd

from scheduler.problem.types import Problem, Track
from scheduler.timeutil import format_time

DISPLACED_COLUMNS = [
    "track",
    "request_id",
    "agency",
    "change",
    "lost_seconds",
    "stations",
    "start",
    "end",
    "new_stations",
    "new_start",
    "new_end",
]


def displaced_table(problem: Problem, changes: Iterable[tuple[str, str, Track, Track | None]]) -> pd.DataFrame:
    """One row per (track id, change, old track, new track or None), in the order of the old starts."""
    epoch = pd.Timestamp(problem.epoch)

    def place(track: Track | None) -> list[str]:
        if track is None:
            return ["", "", ""]
        times = (format_time(epoch + pd.Timedelta(seconds=s)) for s in (track.start, track.end))
        return [" ".join(track.antennas), *times]

    rows = []
    for track_id, change, old, new in sorted(changes, key=lambda c: (c[2].start, c[0])):
        demand = problem.demand(old.demand_id)
        lost = old.duration - (0 if new is None else new.duration)
        rows.append([track_id, demand.request_id, demand.agency, change, lost, *place(old), *place(new)])
    return pd.DataFrame(rows, columns=DISPLACED_COLUMNS)
