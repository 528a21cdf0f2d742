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
    """An ISO-8601 instant as an aware UTC datetime; naive input is taken as UTC."""
    if isinstance(value, datetime):
        stamp = value
    elif isinstance(value, str) and value.strip():
        try:
            stamp = datetime.fromisoformat(value.strip().replace("z", "Z").replace("Z", "+00:00"))
        except ValueError as exc:
            raise ValueError(f"not an ISO-8601 time: {value!r}") from exc
    else:
        raise ValueError(f"not an ISO-8601 time: {value!r}")
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC)


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
