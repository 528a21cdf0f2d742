"""The schedule table (docs/design.md: Outputs), built from a solution."""

import pandas as pd

from scheduler.errors import InputError
from scheduler.problem.types import Problem, Track
from scheduler.problem.volume import KBIT, track_kbit
from scheduler.timeutil import format_time

SCHEDULE_COLUMNS = [
    "track_id",
    "request_id",
    "mission",
    "agency",
    "target",
    "station",
    "setup_start",
    "start",
    "end",
    "teardown_end",
    "group",
    "bits",
    "band",
]
TIME_COLUMNS = ["setup_start", "start", "end", "teardown_end"]
OPTIONAL_COLUMNS = {"bits": "", "band": ""}  # schedules without data volumes or bands may leave them out


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


def with_optional_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every optional column it lacks, empty."""
    missing = {c: d for c, d in OPTIONAL_COLUMNS.items() if c not in frame.columns}
    return frame.assign(**missing) if missing else frame


def schedule_csv(frame: pd.DataFrame) -> str:
    out = with_optional_columns(frame)[SCHEDULE_COLUMNS].copy()
    for column in TIME_COLUMNS:
        out[column] = out[column].map(format_time)
    return out.to_csv(index=False)


def read_schedule_csv(path: str) -> pd.DataFrame:
    """Read schedule.csv back, times as UTC timestamps."""
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(path, "", "no such schedule file", "give the path of a schedule.csv") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(
            path, "", f"not a readable CSV ({exc})".splitlines()[0], "give a schedule.csv written by jointtrack plan"
        ) from None
    frame = with_optional_columns(frame)
    missing = [c for c in SCHEDULE_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(
            path, "header", f"missing columns {', '.join(missing)}", f"the header must be {','.join(SCHEDULE_COLUMNS)}"
        )
    for column in TIME_COLUMNS:
        try:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        except (ValueError, TypeError):
            raise InputError(
                path, column, "has a value that is not an ISO-8601 UTC time", "write times like 2026-12-01T06:30:00Z"
            ) from None
    return frame
