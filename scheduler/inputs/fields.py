"""Types shared by the scenario models: strict base model, UTC times, durations, windows.

Every model forbids unknown keys so that a typo is an error naming the key, not a silently
ignored setting.
"""

from datetime import datetime, timedelta
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    model_validator,
)

from scheduler.text import Label
from scheduler.timeutil import parse_duration, parse_time
from stations.model import Duration

UtcTime = Annotated[datetime, BeforeValidator(parse_time)]
Identifier = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]


def _positive(value: timedelta) -> timedelta:
    if value <= timedelta(0):
        raise ValueError("must be a positive duration")
    return value


def _not_negative(value: timedelta) -> timedelta:
    if value < timedelta(0):
        raise ValueError("must not be negative")
    return value


PositiveDuration = Annotated[timedelta, BeforeValidator(parse_duration), AfterValidator(_positive)]
NonNegativeDuration = Annotated[timedelta, BeforeValidator(parse_duration), AfterValidator(_not_negative)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class TimeWindow(Strict):
    """A closed UTC interval."""

    start: UtcTime
    end: UtcTime

    @model_validator(mode="after")
    def _ordered(self) -> "TimeWindow":
        if self.end <= self.start:
            raise ValueError("end must be after start")
        return self


class DowntimeSpec(TimeWindow):
    """An antenna unavailable for anything (maintenance, weather, failure) over start..end."""

    station: str = Field(min_length=1)
    reason: Label = ""


__all__ = [
    "DowntimeSpec",
    "Duration",
    "Identifier",
    "NonNegativeDuration",
    "PositiveDuration",
    "Strict",
    "TimeWindow",
    "UtcTime",
]
