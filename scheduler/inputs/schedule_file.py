"""A schedule given to `validate`, `export` or `repair` (schedule.csv, or a DataFrame in Python),
checked before any rule sees it: every problem one `InputError` naming the row and the column.

A schedule holds docs/design.md's columns (`bits` and `band` may be missing): a unique
non-empty `track_id`, text without control characters, four times in order (setup_start ≤
start < end ≤ teardown_end, ISO-8601 UTC within the span jointtrack plans), `bits` empty or a
whole number of bits. A file is at most MAX_FILE_BYTES of UTF-8 text; read from a device or a
pipe, no more than that is ever read.
"""

import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from scheduler.csv_cells import restored
from scheduler.errors import InputError
from scheduler.inputs.paths import read_capped
from scheduler.text import CONTROL_CHARACTERS
from scheduler.timeutil import parse_time_column

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
TEXT_COLUMNS = [c for c in SCHEDULE_COLUMNS if c not in TIME_COLUMNS]
OPTIONAL_COLUMNS = {"bits": "", "band": ""}  # schedules without data volumes or bands may leave them out
REQUIRED_TEXT = ("track_id", "request_id", "station")
MAX_FILE_BYTES = 50_000_000  # about 300,000 rows: a year of a whole network's tracks several times over
MAX_BITS = 2**63 - 1
FIX = "give a schedule.csv written by jointtrack plan"


def with_optional_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every optional column it lacks, empty."""
    missing = {c: d for c, d in OPTIONAL_COLUMNS.items() if c not in frame.columns}
    return frame.assign(**missing) if missing else frame


def read_schedule_csv(path: str | Path) -> pd.DataFrame:
    """schedule.csv read back and checked, times as UTC timestamps, escaped cells restored
    (`scheduler.csv_cells`)."""
    source = str(path)
    return read_schedule_text(_schedule_text(Path(path), source), source)


def read_schedule_text(text: str, source: str = "<schedule>") -> pd.DataFrame:
    """schedule.csv's text (kept by the service, say) read and checked as `read_schedule_csv` does."""
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(source, "", f"not a readable CSV ({exc})".splitlines()[0], FIX) from None
    return checked_schedule(restored(frame), source, lambda position: f"line {position + 2}")


def _schedule_text(path: Path, source: str) -> str:
    """The file's text: at most MAX_FILE_BYTES read (a pipe included), UTF-8, no NUL."""
    data = read_capped(path, source, "schedule file", MAX_FILE_BYTES, "split the schedule")
    if b"\0" in data:
        raise InputError(source, "", "is not a text file (it holds NUL bytes)", FIX)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(source, "", "is not UTF-8 text", "save the schedule as UTF-8 CSV") from None


def checked_schedule(
    frame: object, source: str = "<schedule>", row_name: Callable[[int], str] | None = None
) -> pd.DataFrame:
    """A copy of `frame` with every column a schedule needs, text as `str`, times as UTC
    timestamps; `InputError` naming the row (`row_name(position)`) and column of the first problem."""
    if not isinstance(frame, pd.DataFrame):
        given = type(frame).__name__
        raise InputError(source, "", f"expected a pandas DataFrame or a schedule.csv path, got {given}", FIX)
    name = row_name or (lambda position: f"row {frame.index[position]!r}")
    frame = with_optional_columns(frame.reset_index(drop=True))
    missing = [c for c in SCHEDULE_COLUMNS if c not in frame.columns]
    if missing:
        fix = f"the header must be {','.join(SCHEDULE_COLUMNS)}"
        raise InputError(source, "header", f"missing columns {', '.join(missing)}", fix)
    out = frame[SCHEDULE_COLUMNS].copy()
    for column in TEXT_COLUMNS:
        out[column] = _text(out[column], column, source, name)
    for column in TIME_COLUMNS:
        out[column] = _times(out[column], column, source, name)
    _check_ids(out, source, name)
    _check_order(out, source, name)
    _check_bits(out, source, name)
    return out


def _bad(source: str, where: str, problem: str, fix: str) -> InputError:
    return InputError(source, where, problem, fix)


def _text(values: pd.Series, column: str, source: str, name: Callable[[int], str]) -> pd.Series:
    text = values.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else str(v))
    found = text.str.contains(CONTROL_CHARACTERS)
    if found.any():
        at = int(found.to_numpy().argmax())
        problem = f"{text.iloc[at]!r} holds a control character (a newline, tab or the like)"
        raise _bad(source, f"{name(at)} {column}", problem, "write the value on one line, without control characters")
    if column in REQUIRED_TEXT and (text.str.strip() == "").any():
        at = int((text.str.strip() == "").to_numpy().argmax())
        raise _bad(source, f"{name(at)} {column}", "is empty", f"give every row its {column}")
    return text.astype(object)


def _times(values: pd.Series, column: str, source: str, name: Callable[[int], str]) -> pd.Series:
    if pd.api.types.is_datetime64_any_dtype(values):
        values = values.dt.tz_localize("UTC") if values.dt.tz is None else values.dt.tz_convert("UTC")
        values = values.map(lambda t: "" if pd.isna(t) else t.isoformat())
    elif values.map(lambda v: isinstance(v, pd.Timestamp)).any():
        values = values.map(lambda v: v.isoformat() if isinstance(v, pd.Timestamp) else v)
    try:
        return parse_time_column(values.map(lambda v: "" if v is None or pd.isna(v) else str(v)))
    except ValueError as error:
        at, why = error.args
        raise _bad(source, f"{name(at)} {column}", why, "write times like 2026-12-01T06:30:00Z") from None


def _check_ids(frame: pd.DataFrame, source: str, name: Callable[[int], str]) -> None:
    repeated = frame.track_id.duplicated(keep="first")
    if repeated.any():
        at = int(repeated.to_numpy().argmax())
        first = int((frame.track_id == frame.track_id.iloc[at]).to_numpy().argmax())
        problem = f"track_id {frame.track_id.iloc[at]!r} is also on {name(first)}"
        raise _bad(source, f"{name(at)} track_id", problem, "give every row a unique track_id")


def _check_order(frame: pd.DataFrame, source: str, name: Callable[[int], str]) -> None:
    ordered = (frame.setup_start <= frame.start) & (frame.start < frame.end) & (frame.end <= frame.teardown_end)
    if not ordered.all():
        at = int((~ordered).to_numpy().argmax())
        row = frame.iloc[at]
        what = "end is not after start" if row.end <= row.start else "setup_start, start, end, teardown_end disordered"
        where = f"{name(at)} ({row.track_id})"
        raise _bad(source, where, what, "give setup_start <= start < end <= teardown_end")


def _check_bits(frame: pd.DataFrame, source: str, name: Callable[[int], str]) -> None:
    bits = frame.bits.str.strip()
    whole = bits.str.fullmatch(r"\d{1,19}")
    bad = (bits != "") & ~(whole & (bits.map(lambda b: int(b) if b.isdigit() else 0) <= MAX_BITS))
    if bad.any():
        at = int(bad.to_numpy().argmax())
        raise _bad(
            source,
            f"{name(at)} bits",
            f"{frame.bits.iloc[at]!r} is not a number of bits",
            "write a whole number of bits (at most 9223372036854775807), or leave it empty",
        )
    frame["bits"] = bits
