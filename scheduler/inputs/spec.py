"""The scenario file format (docs/design.md: Scenario file) as one pydantic model.

Cross-references (targets, stations) are checked in `scenario.py` and `checks.py`.
"""

from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from scheduler.inputs.fields import DowntimeSpec, NonNegativeDuration, PositiveDuration, Strict, TimeWindow, UtcTime
from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.targets import TargetSpec
from stations.model import COORDINATE_KEYS, Station, StationOverride

# JPL DE421 spans JED 2414864.5..2471184.5; a day of margin each side for light time
DE421_SPAN = (datetime(1900, 1, 27, tzinfo=UTC), datetime(2053, 10, 8, tzinfo=UTC))


def _station_entry_kind(value: Any) -> str:
    """A string selects catalog stations; a mapping with a position defines a station; one without
    a position overrides fields of the catalog station with that id."""
    if isinstance(value, str):
        return "selector"
    if isinstance(value, dict):
        return "inline" if COORDINATE_KEYS & value.keys() else "override"
    return "override" if isinstance(value, StationOverride) else "inline"


StationEntry = Annotated[
    Annotated[str, Tag("selector")] | Annotated[Station, Tag("inline")] | Annotated[StationOverride, Tag("override")],
    Discriminator(_station_entry_kind),
]


class LockedTrack(TimeWindow):
    """A track fixed in advance (already negotiated or in progress) on target over start..end;
    the plan keeps it as given."""

    request: str = Field(min_length=1)
    stations: tuple[str, ...] = Field(min_length=1)


class ObjectiveWeights(Strict):
    """How the objective trades priority-weighted time against fairness and agency balance.

    Each weight scales its term relative to the total priority-weighted requested time.
    """

    time: float = Field(default=1.0, ge=0, le=1000)
    fairness: float = Field(
        default=0.05, ge=0, le=1000, description="weight on U_max, the worst mission's unmet fraction"
    )
    agency_balance: float = Field(
        default=0.01, ge=0, le=1000, description="weight on the worst agency's unmet fraction"
    )
    floor: float = Field(
        default=0.1,
        ge=0,
        le=1,
        description="share of each mission's requested time whose seconds count as much again as priority 1's",
    )
    rules: float = Field(
        default=1.0,
        ge=0,
        le=1000,
        description="cost of an unmet max_gap or spread, times the weighted requested time it applies to",
    )
    consent: float = Field(
        default=30.0,
        ge=0,
        le=86400,
        description="repair and proposals: priority-weighted seconds each agency whose previous (baseline) tracks "
        "change costs; the default, less than a minute of the least important track, picks among plans of equal "
        "time the one that needs fewer agencies to consent",
    )


class RfiSpec(Strict):
    """Radio-frequency interference: same-band targets closer than `separation_deg` (seen from a
    complex) are never tracked at the same time from that complex, unless they share an MSPA tag."""

    separation_deg: float = Field(default=2.0, gt=0, le=30, description="angular separation, degrees")


def _within_a_year(value: timedelta) -> timedelta:
    if value > timedelta(days=366):
        raise ValueError("must be at most 366 days")
    return value


class NegotiationSpec(Strict):
    """How proposals are negotiated (README: Proposals): which baseline tracks no proposal may move,
    how long the asked agencies have to answer, and what their silence counts as."""

    freeze_before: Annotated[NonNegativeDuration, AfterValidator(_within_a_year)] = Field(
        default=timedelta(days=8),
        description="a baseline track whose activity (setup) begins within this of now is frozen: kept as it is",
    )
    respond_within: Annotated[PositiveDuration, AfterValidator(_within_a_year)] = Field(
        default=timedelta(hours=72), description="the asked agencies answer a proposal within this"
    )
    silence: Literal["reject", "concur"] = Field(
        default="reject", description="what an agency that has not answered by then is taken to say"
    )


class ComplexRuleSpec(Strict):
    """Operations limits of one complex; unset keys keep the defaults (stations/complexes.yaml)."""

    start_spacing: NonNegativeDuration | None = Field(
        default=None, description="no two activities (setup starts) at the complex closer than this; 0 for none"
    )
    max_links: int | None = Field(default=None, ge=1, le=100, description="at most this many tracks at once")


class FeedbackSpec(Strict):
    """How outcomes of tracks count (README: Feedback): a track is done when its time on target
    reaches `complete_at` of what was planned; a request that failed `max_failures` times is left out."""

    complete_at: float = Field(default=0.9, gt=0, le=1, description="share of a track's planned time that completes it")
    max_failures: int = Field(default=3, ge=1, le=1000, description="failed tracks after which a request is left out")


class ScenarioSpec(Strict):
    """A whole scenario file."""

    name: Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]
    description: str = ""
    start: UtcTime
    end: UtcTime
    stations: tuple[StationEntry, ...] = Field(min_length=1)
    downtime: tuple[DowntimeSpec, ...] = ()
    targets: tuple[TargetSpec, ...] = Field(min_length=1)
    requests: tuple[RequestSpec, ...] = ()
    locked: tuple[LockedTrack, ...] = ()
    objective: ObjectiveWeights = ObjectiveWeights()
    resolution: PositiveDuration = timedelta(minutes=1)
    view_periods: str | None = Field(
        default=None,
        min_length=1,
        description="precomputed view periods (CSV: station,target,start,end,max_elevation_deg; station may be "
        "an array DSS-34+DSS-35), used instead of computing them; path relative to the scenario file",
    )
    refraction: bool = False
    rfi: RfiSpec | None = None
    negotiation: NegotiationSpec = NegotiationSpec()
    complex_rules: dict[str, ComplexRuleSpec] = Field(
        default_factory=dict, description="operations limits per complex name, over the defaults"
    )
    feedback: FeedbackSpec = FeedbackSpec()
    ephemeris: Literal["builtin", "de421"] | None = Field(
        default=None,
        description="Sun, Moon and planets: JPL DE421 (installed, offline; the default inside its span "
        "1900-2053) or astropy's built-in theory (the default outside it)",
    )

    @model_validator(mode="after")
    def _horizon(self) -> "ScenarioSpec":
        # Times are planned in whole seconds: a fraction of a second at either end of the
        # horizon is dropped inward, so that no track can start before it or end after it.
        if self.start.microsecond:
            object.__setattr__(self, "start", self.start.replace(microsecond=0) + timedelta(seconds=1))
        object.__setattr__(self, "end", self.end.replace(microsecond=0))
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > timedelta(days=366):
            raise ValueError("the planning horizon is longer than a year")
        if self.ephemeris == "de421" and not DE421_SPAN[0] <= self.start < self.end <= DE421_SPAN[1]:
            raise ValueError("ephemeris de421 covers 1900-01-27..2053-10-08 only; use builtin outside it")
        return self

    @property
    def ephemeris_source(self) -> str:
        """The ephemeris in use: the one named, else DE421 where it covers the horizon."""
        if self.ephemeris is not None:
            return self.ephemeris
        return "de421" if DE421_SPAN[0] <= self.start < self.end <= DE421_SPAN[1] else "builtin"
