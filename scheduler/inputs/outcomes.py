"""The outcomes of tracks that ran, for `jointtrack feedback` (README: Feedback): a CSV file, or the
same rows as data.

    track_id,state,actual_start,actual_end,cause
    T0003,completed,2026-12-01T02:05:00Z,2026-12-01T05:58:00Z,
    T0004,failed,,,station
    T0007,aborted,2026-12-01T09:00:00Z,2026-12-01T09:40:00Z,preempted

States: completed | partial | failed | aborted | not_attempted | bad_data; causes: station |
spacecraft | weather | preempted | procedural | unknown (may be empty). `actual_start` and
`actual_end` bound the time on target that really ran: required for completed and partial,
optional for the others, inside the scenario's horizon. One row per track id.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pandas as pd

from scheduler.errors import InputError
from scheduler.timeutil import TIME_HINT, format_time, parse_time

STATES = ("completed", "partial", "failed", "aborted", "not_attempted", "bad_data")
CAUSES = ("station", "spacecraft", "weather", "preempted", "procedural", "unknown")
COLUMNS = ("track_id", "state", "actual_start", "actual_end", "cause")
NEEDS_TIMES = ("completed", "partial")


@dataclass(frozen=True)
class Outcome:
    """What became of one track: its state, the time on target that really ran, the cause."""

    track_id: str
    state: str
    start: datetime | None
    end: datetime | None
    cause: str
    row: int  # line of the file (the header is line 1)

    @property
    def ran_s(self) -> int:
        """Seconds on target that really ran (0 without actual times)."""
        return 0 if self.start is None or self.end is None else round((self.end - self.start).total_seconds())


def read_outcomes(path: str | Path, horizon: tuple[datetime, datetime]) -> tuple[Outcome, ...]:
    """The outcomes file, every row checked; a problem is an `InputError` naming row and column."""
    source = str(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputError(source, "", "no such outcomes file", "give the path of an outcomes CSV") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        problem = f"not a readable CSV ({exc})".splitlines()[0]
        raise InputError(source, "", problem, f"write the header {','.join(COLUMNS)}") from None
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        fix = f"the header must be {','.join(COLUMNS)}"
        raise InputError(source, "header", f"missing columns {', '.join(missing)}", fix)
    return outcomes_from_rows(frame.to_dict("records"), source, horizon)


def outcomes_from_rows(
    rows: Iterable[Mapping[str, object]], source: str, horizon: tuple[datetime, datetime]
) -> tuple[Outcome, ...]:
    """Outcomes from rows with the file's columns (times as ISO text or empty)."""
    found: list[Outcome] = []
    seen: set[str] = set()
    for number, row in enumerate(rows, start=2):
        extra = sorted(set(row) - set(COLUMNS))
        if extra:
            raise InputError(source, f"row {number}", f"unknown columns {', '.join(extra)}", f"use {','.join(COLUMNS)}")
        value = {c: str(row.get(c) or "").strip() for c in COLUMNS}
        where = f"row {number}"
        if not value["track_id"]:
            raise InputError(source, f"{where} track_id", "is empty", "name a track_id of the schedule")
        if value["track_id"] in seen:
            raise InputError(
                source, f"{where} track_id", f"{value['track_id']} has a second outcome", "give one row per track"
            )
        seen.add(value["track_id"])
        if value["state"] not in STATES:
            raise InputError(
                source, f"{where} state", f"unknown state {value['state']!r}", f"use one of {', '.join(STATES)}"
            )
        if value["cause"] and value["cause"] not in CAUSES:
            fix = f"use one of {', '.join(CAUSES)}, or leave it empty"
            raise InputError(source, f"{where} cause", f"unknown cause {value['cause']!r}", fix)
        start, end = (_time(value[c], source, f"{where} {c}") for c in ("actual_start", "actual_end"))
        _check_times(value["state"], start, end, horizon, source, where)
        found.append(Outcome(value["track_id"], value["state"], start, end, value["cause"], number))
    return tuple(found)


def _time(text: str, source: str, field: str) -> datetime | None:
    if not text:
        return None
    try:
        return parse_time(text)
    except ValueError:
        raise InputError(source, field, f"{text!r} is not an ISO-8601 time", TIME_HINT) from None


def _check_times(
    state: str,
    start: datetime | None,
    end: datetime | None,
    horizon: tuple[datetime, datetime],
    source: str,
    where: str,
) -> None:
    if (start is None) != (end is None):
        raise InputError(source, where, "gives only one of actual_start and actual_end", "give both, or neither")
    if start is None or end is None:
        if state in NEEDS_TIMES:
            raise InputError(source, where, f"a {state} track without actual times", "give actual_start and actual_end")
        return
    if end <= start:
        raise InputError(source, f"{where} actual_end", "is not after actual_start", "give the times the track ran")
    if start < horizon[0] or end > horizon[1]:
        span = f"{format_time(horizon[0])}..{format_time(horizon[1])}"
        raise InputError(source, where, f"actual times outside the horizon {span}", "give times inside the scenario")
