"""The allocation problem: what the CP-SAT model and the greedy baseline both solve.

Plain data, independent of where it came from (a scenario with computed view periods, or a
SatNet week). All times are integer seconds from `Problem.epoch`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from scheduler.settings import CHANGE_PENALTY


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
class After:
    """Each track starts `least`..`most` seconds after the end of a track of request `request_id`;
    each of those tracks serves at most one track of the following request."""

    request_id: str
    least: int
    most: int


@dataclass(frozen=True)
class RateProfile:
    """The data rate one set of antennas receives from a target, per slot of `unit` seconds:
    segment (first, bps) gives the rate over [(first + k)·unit, (first + k + 1)·unit), one segment
    per view period; no data elsewhere (problem/volume.py integrates it)."""

    unit: int
    segments: tuple[tuple[int, np.ndarray], ...] = ()


@dataclass(frozen=True)
class Demand:
    """Up to `tracks` tracks of `min_duration`..`max_duration` each for one request period.

    With `min_segment` set, a track may be split into segments of at least `min_segment`
    seconds each, across opportunities (passes or antennas), each segment with its own setup
    and teardown; `min_duration`..`max_duration` then bound the total of a track's segments.
    `min_gap` separates the end of one track of the request from the start of the next.
    Demands sharing an `mspa` tag may use one antenna at the same time.
    With `coverage` = (start, end) the demand asks for that window covered without gaps by a
    chain of tracks (each `min_duration`..`max_duration`), consecutive tracks overlapping by at
    least `handover`; `tracks` is then not a limit.
    Operations rules (README: Request semantics): `max_gap` bounds every stretch of `gap_window`
    without a track of the request on target; `spread` asks the period's tracks on that many
    complexes (both soft: unmet, the request is unsatisfied); `after` links each track to a track
    of another request (hard); a `critical` demand must be met in full and outranks every other.
    The mission rule: a mission's tracks are never on target at once, except the tracks of one
    group (split segments, the links of one coverage chain) and a `concurrent` demand's tracks.
    `rates` (per antenna set) are the data rates of a request with a downlink; with `volume_bits`
    the demand asks for that much data, tracks still `min_duration`..`max_duration` each.
    """

    id: str  # unique: the request id, with the period's number when the request has several periods
    request_id: str  # the scenario request (or SatNet request) this demand is a period of
    mission: str  # the spacecraft: its identity for fairness (U_max, floors) and the mission rule
    agency: str  # whose mission: agency balance and the cross-support ledger
    target: str  # what the antennas point at (a target id of the scenario)
    priority: int  # 1 most important … 10; weighs its seconds by 11 − priority
    tracks: int  # at most this many tracks in the period (a coverage demand: no limit)
    min_duration: int  # seconds on target of each track at least (a split track: its segments together)
    max_duration: int  # … and at most; counted time stops here
    opportunities: tuple[Opportunity, ...]  # every way to place a track: antennas and times
    min_segment: int | None = None  # set: a track may be split into segments of at least this
    min_gap: int = 0  # seconds from the end of one of the request's tracks to the start of the next
    mspa: str | None = None  # MSPA tag: demands sharing it may use one antenna at once
    coverage: tuple[int, int] | None = None  # set: cover [start, end) with a chain of tracks
    handover: int = 300  # a coverage chain's consecutive tracks overlap by at least this
    period: tuple[int, int] | None = None  # tracks start in [period); None: the whole horizon
    unreachable: str = ""  # why there are no opportunities, when there are none
    band: str = ""  # frequency band of the request ("" when not given)
    max_gap: int = 0  # longest stretch of `gap_window` without a track of the request on target; 0: no limit
    gap_window: tuple[int, int] | None = None  # where max_gap applies; None: the whole horizon
    spread: int = 0  # complexes the period's tracks lie on at least; 0: no rule
    after: After | None = None  # each track follows a track of another request (an uplink before it)
    critical: bool = False  # must be met in full; outranks every other demand
    volume_bits: int | None = None  # set: the data asked for in the period, instead of hours
    concurrent: bool = False  # may be on target beside the mission's other tracks (the mission rule's exception)
    rates: Mapping[tuple[str, ...], RateProfile] | None = field(default=None, compare=False, repr=False)  # data rates

    @property
    def requested(self) -> int:
        """Seconds on target asked for: all tracks at full length, or the window to cover. A
        volume demand stands for the same time S, and counts S times its delivered fraction."""
        if self.coverage is not None:
            return self.coverage[1] - self.coverage[0]
        return self.tracks * self.max_duration

    @property
    def shortest_piece(self) -> int:
        """The shortest track (or segment of a split track) that may be placed."""
        return self.min_segment or self.min_duration


@dataclass(frozen=True)
class Downtime:
    """An antenna unavailable for anything in [start, end)."""

    antenna: str
    start: int
    end: int


@dataclass(frozen=True)
class Weights:
    """Objective weights (scenario `objective:`): time counts scheduled weighted time; `floor` is
    the share of each mission's requested time whose seconds count FLOOR_WEIGHT more (so that no
    mission is left with nothing); fairness penalises U_max (the worst mission's unsatisfied
    fraction) and agency_balance the worst agency's, each relative to the total priority-weighted
    requested time. With previous tracks (repair, proposals), `consent` is what each agency whose
    previous tracks do not all stay in place costs, in priority-weighted seconds."""

    time: float = 1.0
    fairness: float = 0.05
    agency_balance: float = 0.01
    floor: float = 0.1
    rules: float = 1.0  # an unmet max_gap or spread costs this times the weighted time it applies to
    consent: float = 30.0  # priority-weighted seconds per agency whose previous tracks change (repair, proposals)


@dataclass(frozen=True)
class ComplexLimits:
    """Operations limits of a complex: activities (setup starts) at least `start_spacing` seconds
    apart; at most `max_links` tracks (setup to teardown) at once (0: no limit)."""

    complex: str
    start_spacing: int = 0
    max_links: int = 0


@dataclass(frozen=True)
class Interference:
    """RFI: requests `first` and `second` are never on target at once from `complex` during
    `spans` (when their targets are closer than the scenario's separation there)."""

    first: str
    second: str
    complex: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Track:
    """A scheduled track: on target over [start, end), antennas busy over
    [start - setup, end + teardown). Segments of one split track and the links of one
    continuous-coverage chain share a non-empty `group`."""

    demand_id: str
    antennas: tuple[str, ...]
    start: int
    end: int
    setup: int
    teardown: int
    group: str = ""

    @property
    def duration(self) -> int:
        return self.end - self.start

    def same_place(self, other: "Track") -> bool:
        """Same demand, antennas and times on target (setup, teardown and group aside)."""
        return (self.demand_id, self.antennas, self.start, self.end) == (
            other.demand_id,
            other.antennas,
            other.start,
            other.end,
        )


@dataclass(frozen=True)
class Problem:
    """Demands competing for antennas over [0, horizon) seconds from `epoch`.

    `locked` tracks are kept exactly as given and block their antennas. `previous` tracks
    are a former plan (repair): each one moved or dropped costs `change_penalty` times its
    own priority-weighted time on target in the objective.
    """

    name: str
    epoch: datetime
    horizon: int
    resolution: int
    antennas: tuple[str, ...]
    demands: tuple[Demand, ...]
    downtime: tuple[Downtime, ...] = ()
    locked: tuple[Track, ...] = ()
    previous: tuple[Track, ...] = ()
    change_penalty: float = CHANGE_PENALTY
    weights: Weights = Weights()
    complexes: tuple[tuple[str, str], ...] = ()  # (antenna, complex); an antenna not listed is its own complex
    complex_limits: tuple[ComplexLimits, ...] = ()
    interference: tuple[Interference, ...] = ()

    def complex_of(self, antenna: str) -> str:
        found = self.__dict__.get("_complex_of")
        if found is None:
            found = dict(self.complexes)
            object.__setattr__(self, "_complex_of", found)
        return found.get(antenna, antenna)

    @property
    def has_operations(self) -> bool:
        """Whether any operations rule applies (README: Request semantics)."""
        return bool(self.complex_limits or self.interference) or any(
            d.max_gap or d.spread or d.after or d.critical for d in self.demands
        )

    def demand(self, demand_id: str) -> Demand:
        return self._by_id()[demand_id]

    def _by_id(self) -> dict[str, Demand]:
        cached = self.__dict__.get("_demands_by_id")
        if cached is None:
            cached = {d.id: d for d in self.demands}
            object.__setattr__(self, "_demands_by_id", cached)
        return cached


def priority_weight(priority: int) -> int:
    """Weight per unit of time on target: priority 1 counts 10, priority 10 counts 1."""
    return 11 - priority
