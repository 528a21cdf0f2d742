"""Tracks as plain records and back: the common ground of every export and its reader."""

from collections.abc import Iterable, Mapping

import pandas as pd

from scheduler.outputs.schedule_table import SCHEDULE_COLUMNS, TIME_COLUMNS, with_optional_columns
from scheduler.timeutil import format_time


def track_records(schedule: pd.DataFrame) -> list[dict[str, str | int | None]]:
    """One dict per schedule row, docs/design.md's columns, times as ISO-8601 UTC text, bits a
    number (None without a downlink)."""
    out = with_optional_columns(schedule)[SCHEDULE_COLUMNS].copy()
    for column in TIME_COLUMNS:
        out[column] = out[column].map(format_time)
    out["group"] = out["group"].fillna("").astype(str)
    records = out.to_dict(orient="records")
    for record in records:
        bits = str(record["bits"]) if pd.notna(record["bits"]) else ""
        record["bits"] = int(bits) if bits else None
    return records


def schedule_from_records(records: Iterable[Mapping[str, object]]) -> pd.DataFrame:
    """A schedule frame (docs/design.md columns, UTC timestamps) from records read back from a file."""
    frame = pd.DataFrame(list(records), columns=SCHEDULE_COLUMNS)
    for column in TIME_COLUMNS:
        frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    for column in (c for c in SCHEDULE_COLUMNS if c not in TIME_COLUMNS):
        frame[column] = frame[column].map(lambda v: "" if v is None or pd.isna(v) else str(v))
    return frame
