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


def test_a_leap_second_is_read_as_the_next_second() -> None:
    """23:59:60 exists in UTC at the end of a month with a leap second; our times count none, as
    POSIX time does (issue 28 §6)."""
    assert parse_time("2016-12-31T23:59:60Z") == datetime(2017, 1, 1, tzinfo=UTC)
    assert parse_time("2015-06-30T23:59:60.250Z") == datetime(2015, 7, 1, 0, 0, 0, 250000, tzinfo=UTC)
    assert parse_time("2016-12-31T18:59:60-05:00") == datetime(2017, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize("text", ["2026-12-01T12:00:60Z", "2016-12-30T23:59:60Z", "2016-12-31T23:58:60Z"])
def test_a_second_60_that_is_no_leap_second_says_why(text: str) -> None:
    with pytest.raises(ValueError, match="second 60 exists only as a leap second, 23:59:60 UTC at the end of a month"):
        parse_time(text)


@pytest.mark.parametrize("text", ["1677-12-31T23:59:59Z", "2262-04-12T00:00:00Z", "9999-01-01T00:00:00Z"])
def test_times_outside_the_span_we_plan_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"lies outside 1678-01-01\.\.2262-04-11"):
        parse_time(text)
