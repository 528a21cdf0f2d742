"""The scenario file format (DESIGN.md: Scenario file) as one pydantic model.

Cross-references (targets, stations) are checked in `load.py`.
"""

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import Field, model_validator

from scheduler.scenario.common import Downtime, PositiveDuration, Strict, UtcTime
from scheduler.scenario.requests import RequestSpec
from scheduler.scenario.targets import TargetSpec
from stations.model import Station


class ScenarioSpec(Strict):
    """A whole scenario file."""

    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
    description: str = ""
    start: UtcTime
    end: UtcTime
    stations: tuple[str | Station, ...] = Field(min_length=1)
    downtime: tuple[Downtime, ...] = ()
    targets: tuple[TargetSpec, ...] = Field(min_length=1)
    requests: tuple[RequestSpec, ...] = ()
    resolution: PositiveDuration = timedelta(minutes=1)
    refraction: bool = False
    ephemeris: Literal["builtin", "de421"] = Field(
        default="builtin",
        description="Sun, Moon and planets: astropy's built-in ephemeris, or JPL DE421 (installed, offline)",
    )

    @model_validator(mode="after")
    def _horizon(self) -> "ScenarioSpec":
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > timedelta(days=366):
            raise ValueError("the planning horizon is longer than a year")
        return self
