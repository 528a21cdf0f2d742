"""The schedule table (docs/design.md: Outputs), built from a solution."""

import pandas as pd

from scheduler.csv_cells import csv_text
from scheduler.inputs.schedule_file import (
    OPTIONAL_COLUMNS,
    SCHEDULE_COLUMNS,
    TIME_COLUMNS,
    read_schedule_csv,
    read_schedule_text,
    with_optional_columns,
)
from scheduler.problem.types import Problem, Track
from scheduler.problem.volume import KBIT, track_kbit
from scheduler.timeutil import format_time


def schedule_frame(problem: Problem, tracks: tuple[Track, ...]) -> pd.DataFrame:
    """One row per antenna per track. Antennas of one multi-antenna track, segments of one split
    track and links of one coverage chain share a group. `bits` is the data the track returns
    (every row of an array carries the whole array's), empty without a downlink; `band` is the
    request's (or its downlink's), empty without one."""
    demands = {d.id: d for d in problem.demands}
    epoch = pd.Timestamp(problem.epoch)
    rows = []
    ordered = sorted(tracks, key=lambda t: (t.start, t.antennas, t.demand_id))
    groups: dict[str, str] = {}
    for number, track in enumerate(ordered, start=1):
        demand = demands[track.demand_id]
        group = ""
        if track.group:
            group = groups.setdefault(track.group, f"G{number:04d}")
        elif len(track.antennas) > 1:
            group = f"G{number:04d}"
        bits = "" if demand.rates is None else str(track_kbit(demand, track) * KBIT)
        for member, antenna in enumerate(track.antennas, start=1):
            suffix = f"-{member}" if len(track.antennas) > 1 else ""
            rows.append(
                {
                    "track_id": f"T{number:04d}{suffix}",
                    "request_id": demand.request_id,
                    "mission": demand.mission,
                    "agency": demand.agency,
                    "target": demand.target,
                    "station": antenna,
                    "setup_start": epoch + pd.Timedelta(seconds=track.start - track.setup),
                    "start": epoch + pd.Timedelta(seconds=track.start),
                    "end": epoch + pd.Timedelta(seconds=track.end),
                    "teardown_end": epoch + pd.Timedelta(seconds=track.end + track.teardown),
                    "group": group,
                    "bits": bits,
                    "band": demand.band,
                }
            )
    return pd.DataFrame(rows, columns=SCHEDULE_COLUMNS)


def schedule_csv(frame: pd.DataFrame) -> str:
    out = with_optional_columns(frame)[SCHEDULE_COLUMNS].copy()
    for column in TIME_COLUMNS:
        out[column] = out[column].map(format_time)
    return csv_text(out)


__all__ = [
    "OPTIONAL_COLUMNS",
    "SCHEDULE_COLUMNS",
    "TIME_COLUMNS",
    "read_schedule_csv",
    "read_schedule_text",
    "schedule_csv",
    "schedule_frame",
    "with_optional_columns",
]
