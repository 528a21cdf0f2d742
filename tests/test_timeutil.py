from datetime import UTC, datetime, timedelta

import pytest

from scheduler.timeutil import format_duration, format_time, parse_duration, parse_time


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("4h", 14400),
        ("90m", 5400),
        ("1h30m", 5400),
        ("45s", 45),
        ("PT4H", 14400),
        ("PT1H30M", 5400),
        ("1d", 86400),
        (120, 120),
        ("2h 15m", 8100),
    ],
)
def test_durations_parse_every_documented_form(text: object, seconds: int) -> None:
    assert parse_duration(text) == timedelta(seconds=seconds)


@pytest.mark.parametrize("text", ["", "four hours", "4x", "h", True, None, "P"])
def test_malformed_durations_are_rejected(text: object) -> None:
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)


def test_negative_duration_parses_negative_so_validation_can_name_it() -> None:
    assert parse_duration("-4h") == timedelta(hours=-4)


def test_times_are_utc_and_format_with_z() -> None:
    assert parse_time("2026-12-01T06:30:00Z") == datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    assert parse_time("2026-12-01T07:30:00+01:00") == datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    assert format_time(datetime(2026, 12, 1, 6, 30, 0, 400000, tzinfo=UTC)) == "2026-12-01T06:30:00Z"
    assert format_duration(5400) == "1h30m"
