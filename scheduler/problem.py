"""The allocation problem: what the CP-SAT model and the greedy baseline both solve.

Plain data, independent of where it came from (a scenario with computed view periods, or a
SatNet week). All times are integer seconds from `Problem.epoch`.
"""

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Opportunity:
    """One way to place a track: antennas used together during one usable interval.

    The track's time on target starts in [earliest_start, latest_start] and ends by
    latest_end; setup and teardown occupy the antennas before and after it.
    """

    antennas: tuple[str, ...]
    earliest_start: int
    latest_start: int
    latest_end: int
    setup: int
    teardown: int


@dataclass(frozen=True)
class Demand:
    """Up to `tracks` tracks of `min_duration`..`max_duration` each for one request period.

    With `min_segment` set, a track may be split into segments of at least `min_segment`
    seconds each, across opportunities (passes or antennas), each segment with its own setup
    and teardown; `min_duration`..`max_duration` then bound the total of a track's segments.
    """

    id: str
    request_id: str
    mission: str
    agency: str
    target: str
    priority: int
    tracks: int
    min_duration: int
    max_duration: int
    opportunities: tuple[Opportunity, ...]
    min_segment: int | None = None

    @property
    def requested(self) -> int:
        return self.tracks * self.max_duration


@dataclass(frozen=True)
class Downtime:
    """An antenna unavailable for anything in [start, end)."""

    antenna: str
    start: int
    end: int


@dataclass(frozen=True)
class Problem:
    name: str
    epoch: datetime
    horizon: int
    resolution: int
    antennas: tuple[str, ...]
    demands: tuple[Demand, ...]
    downtime: tuple[Downtime, ...] = ()


@dataclass(frozen=True)
class Track:
    """A scheduled track: on target over [start, end), antennas busy over
    [start - setup, end + teardown)."""

    demand_id: str
    antennas: tuple[str, ...]
    start: int
    end: int
    setup: int
    teardown: int

    @property
    def duration(self) -> int:
        return self.end - self.start
