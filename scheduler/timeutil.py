"""Parsing and formatting of UTC instants and durations (docs/design.md: Times and units)."""

import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

_DURATION = re.compile(
    r"^\s*(?:(?P<d>\d+(?:\.\d+)?)d)?\s*(?:(?P<h>\d+(?:\.\d+)?)h)?\s*"
    r"(?:(?P<m>\d+(?:\.\d+)?)m(?:in)?)?\s*(?:(?P<s>\d+(?:\.\d+)?)s)?\s*$"
)
_ISO_DURATION = re.compile(
    r"^P(?:(?P<d>\d+(?:\.\d+)?)D)?(?:T(?:(?P<h>\d+(?:\.\d+)?)H)?"
    r"(?:(?P<m>\d+(?:\.\d+)?)M)?(?:(?P<s>\d+(?:\.\d+)?)S)?)?$"
)
HOUR = 3600  # seconds
DAY = 86_400
WEEK = 7 * DAY
DURATION_HINT = "write a duration like 4h, 90m, 1h30m, 45s or PT4H"
TIME_HINT = "write a UTC time like 2026-12-01T06:30:00Z"
# Every instant we read lies here: the span of pandas' nanosecond timestamps, which the planner's
# time arithmetic uses (1677-09-21..2262-04-11), cut to whole days.
EARLIEST = datetime(1678, 1, 1, tzinfo=UTC)
LATEST = datetime(2262, 4, 11, tzinfo=UTC)
SPAN_TEXT = "1678-01-01..2262-04-11"
_LEAP_SECOND = re.compile(r"(?<=[T ]\d\d:\d\d:)60(?=$|[.,Z+-])", re.IGNORECASE)
LEAP_SECOND_RULE = "second 60 exists only as a leap second, 23:59:60 UTC at the end of a month"


def parse_duration(value: object) -> timedelta:
    """`4h`, `90m`, `1h30m`, `45s`, `PT4H`, or a number of seconds, as a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r}")
    try:
        return _duration(value)
    except OverflowError:
        raise ValueError(f"not a duration of a plannable length: {value!r}") from None


def _duration(value: object) -> timedelta:
    if isinstance(value, int | float):
        if value != value:  # NaN
            raise ValueError(f"not a duration: {value!r}")
        return timedelta(seconds=float(value))  # ±inf raises OverflowError
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"not a duration: {value!r}")
    text = value.strip()
    negative = text.startswith("-")
    body = text[1:] if negative else text
    match = _ISO_DURATION.match(body.upper()) if body[:1] in "Pp" else _DURATION.match(body.lower())
    if not match or not any(match.groupdict().values()):
        raise ValueError(f"not a duration: {value!r}")
    parts = {k: float(v) if v else 0.0 for k, v in match.groupdict().items()}
    delta = timedelta(days=parts["d"], hours=parts["h"], minutes=parts["m"], seconds=parts["s"])
    return -delta if negative else delta


def parse_time(value: object) -> datetime:
    """An ISO-8601 instant as an aware UTC datetime; naive input is taken as UTC. A leap second
    (`23:59:60Z`) is read as the next second, as POSIX time does: our times count no leap seconds.
    Instants outside EARLIEST..LATEST are refused."""
    if isinstance(value, datetime):
        stamp = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    elif isinstance(value, str) and value.strip():
        text = value.strip().replace("z", "Z").replace("Z", "+00:00")
        leap = _LEAP_SECOND.search(text) is not None
        try:
            stamp = datetime.fromisoformat(_LEAP_SECOND.sub("59", text) if leap else text)
        except ValueError as exc:
            raise ValueError(f"not an ISO-8601 time: {value!r}") from exc
        stamp = stamp.replace(tzinfo=UTC) if stamp.tzinfo is None else stamp.astimezone(UTC)
        if leap:
            stamp += timedelta(seconds=1)
            if (stamp.day, stamp.hour, stamp.minute, stamp.second) != (1, 0, 0, 0):
                raise ValueError(f"not a time: {value!r} ({LEAP_SECOND_RULE})")
    else:
        raise ValueError(f"not an ISO-8601 time: {value!r}")
    if not EARLIEST <= stamp <= LATEST:
        raise ValueError(f"{value!r} lies outside {SPAN_TEXT}, the span of times jointtrack can plan")
    return stamp


def parse_time_column(values: "pd.Series") -> "pd.Series":
    """Text cells as UTC timestamps (nanoseconds), as `parse_time` reads one; ValueError naming the
    first cell (its position from 0, and why) that is empty, not ISO-8601, a false leap second or
    outside EARLIEST..LATEST."""
    import pandas as pd

    text = values.astype(str).str.strip().str.replace(r"[zZ]$", "+00:00", regex=True)
    leap = text.str.contains(_LEAP_SECOND)
    text = text.where(~leap, text.str.replace(_LEAP_SECOND, "59", regex=True))
    stamps = pd.to_datetime(text, utc=True, format="ISO8601", errors="coerce")
    stamps = stamps.where(~leap, stamps + pd.Timedelta(seconds=1))
    false_leap = leap & ~((stamps.dt.day == 1) & (stamps.dt.floor("s") == stamps.dt.floor("D")))
    outside = (stamps < pd.Timestamp(EARLIEST)) | (stamps > pd.Timestamp(LATEST))
    bad = stamps.isna() | false_leap | outside
    if bad.any():
        at = int(bad.to_numpy().argmax())
        cell = str(values.iloc[at])
        if not cell.strip():
            why = "is empty"
        elif false_leap.iloc[at]:
            why = f"is not a time ({LEAP_SECOND_RULE}): {cell!r}"
        elif outside.iloc[at]:
            why = f"lies outside {SPAN_TEXT}, the span of times jointtrack can plan: {cell!r}"
        else:
            why = f"is not an ISO-8601 UTC time: {cell!r}"
        raise ValueError(at, why)
    return stamps.dt.as_unit("ns")


def format_time(value: "datetime | pd.Timestamp") -> str:
    """`2026-12-01T06:30:00Z`: whole seconds, UTC, with Z."""
    import pandas as pd  # here, not at import: the command line starts without pandas

    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp.tz_convert("UTC")
    return stamp.round("s").strftime("%Y-%m-%dT%H:%M:%SZ")


def format_duration(seconds: float) -> str:
    """Seconds as a compact duration such as `1h30m`."""
    total = round(seconds)
    hours, rest = divmod(abs(total), 3600)
    minutes, secs = divmod(rest, 60)
    text = "".join(f"{v}{u}" for v, u in ((hours, "h"), (minutes, "m"), (secs, "s")) if v)
    return ("-" if total < 0 else "") + (text or "0s")
