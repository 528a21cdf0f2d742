"""Scenario requests: what a mission asks of the network."""

from datetime import timedelta
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, field_serializer, model_validator

from scheduler.inputs.downlink import (
    DELTA_DOR_NO_DATA,
    VOLUME_NEEDS_DOWNLINK,
    VOLUME_NOT_CONTINUOUS,
    VOLUME_NOT_SPLIT,
    DownlinkSpec,
    parse_volume,
)
from scheduler.inputs.fields import (
    Identifier,
    NonNegativeDuration,
    PositiveDuration,
    Strict,
    TimeWindow,
)
from scheduler.text import Label


class SplitSpec(Strict):
    """A track may be split into segments across passes or antennas."""

    min_segment: PositiveDuration = Field(description="shortest segment; each has its own setup and teardown")


Volume = Annotated[int, BeforeValidator(parse_volume)]


class SpreadSpec(Strict):
    """In each accounting period, the request's tracks lie on at least `complexes` complexes."""

    complexes: int = Field(ge=2, le=8, description="distinct complexes per period (navigation baselines)")


class AfterSpec(Strict):
    """Each track starts between `min` and `max` after the end of a track of `request` (one each)."""

    request: Identifier = Field(description="the request whose tracks come first (e.g. the uplink)")
    min: NonNegativeDuration = Field(default=timedelta(0), description="from the end of that track to this start")
    max: PositiveDuration = Field(description="from the end of that track to this start, at most")

    @model_validator(mode="after")
    def _ordered(self) -> "AfterSpec":
        if self.min > self.max:
            raise ValueError("after.min must not exceed after.max")
        return self


class RequestSpec(Strict):
    """What a mission asks for: how much time, how often, where, how important."""

    id: Identifier
    mission: Identifier
    agency: Label = Field(default="OTHER", min_length=1, max_length=32)
    target: str = Field(min_length=1)
    priority: int = Field(default=5, ge=1, le=10)
    duration: PositiveDuration | None = None
    min_duration: PositiveDuration | None = None
    max_duration: PositiveDuration | None = None
    tracks: int = Field(default=1, ge=1, le=1000)
    per: Literal["day", "week", "horizon"] = "horizon"
    stations: tuple[str, ...] | None = None
    setup: NonNegativeDuration | None = None
    teardown: NonNegativeDuration | None = None
    window: TimeWindow | None = None
    min_gap: NonNegativeDuration | None = Field(default=None, description="between the end of one track and the next")
    split: SplitSpec | None = None
    array: int | None = Field(default=None, ge=2, le=8, description="N antennas on the target at once")
    mspa: Identifier | None = Field(
        default=None, description="requests sharing this tag may share one antenna at the same time"
    )
    complexes: int | None = Field(
        default=None, ge=2, le=4, description="ΔDOR: simultaneous tracks from N different complexes"
    )
    continuous: bool = Field(default=False, description="cover the whole window without gaps, with handovers")
    handover: NonNegativeDuration | None = Field(
        default=None, description="overlap of consecutive tracks in continuous coverage (default 5m)"
    )
    max_gap: PositiveDuration | None = Field(
        default=None, description="longest stretch of the window (or horizon) without one of the tracks on target"
    )
    spread: SpreadSpec | None = None
    after: AfterSpec | None = None
    band: str | None = Field(
        default=None,
        min_length=1,
        max_length=16,
        pattern=r"^[A-Za-z]+$",
        description="frequency band (S, X, K, Ka, optical): only antennas whose catalog bands include it",
    )
    critical: bool = Field(default=False, description="must be met in full; outranks every other request")
    concurrent: bool = Field(
        default=False,
        description="its tracks may be on target while the mission's other tracks are (e.g. an uplink on one "
        "antenna beside a downlink on another); by default a mission is tracked by one antenna at a time",
    )
    note: str = Field(default="", max_length=2000, description="free text for people; planning ignores it")
    downlink: DownlinkSpec | None = Field(default=None, description="the spacecraft's downlink: data rates per track")
    volume: Volume | None = Field(
        default=None, description="data to return per period (40Gbit, 2.5GB) instead of hours; needs downlink"
    )
    inserted: Literal["emergency", "late-add"] | None = Field(
        default=None,
        description="set by `jointtrack insert`: the tier it was inserted at; an emergency's tracks are never "
        "displaced by a later insertion",
    )

    @field_serializer("volume")
    def _volume_text(self, volume: int | None) -> str | None:
        """Dumped as the scenario file writes it (`300000000000bit`), so a dump validates again."""
        return None if volume is None else f"{volume}bit"

    @model_validator(mode="after")
    def _durations(self) -> "RequestSpec":
        if self.duration is not None:
            if self.min_duration is not None or self.max_duration is not None:
                raise ValueError("give either duration or min_duration+max_duration, not both")
            object.__setattr__(self, "min_duration", self.duration)
            object.__setattr__(self, "max_duration", self.duration)
        elif self.min_duration is None or self.max_duration is None:
            raise ValueError("give duration, or both min_duration and max_duration")
        elif self.min_duration > self.max_duration:
            raise ValueError("min_duration must not exceed max_duration")
        if self.continuous and self.window is None:
            raise ValueError("continuous coverage needs a window to cover")
        if self.handover is not None and not self.continuous:
            raise ValueError("handover applies only to continuous coverage")
        if sum(x is not None for x in (self.array, self.complexes, self.split)) > 1:
            raise ValueError("combine at most one of array, complexes and split in one request")
        self._semantics()
        return self

    def _semantics(self) -> None:
        """Combinations that have no meaning (or no model)."""
        if self.split is not None:
            if self.split.min_segment > self.shortest:
                raise ValueError("split.min_segment is longer than min_duration; no track could be split")
            if self.min_gap is not None:
                raise ValueError("min_gap cannot be combined with split (segments of one track have no gap)")
        if self.continuous:
            if self.tracks != 1 or self.per != "horizon":
                raise ValueError("continuous coverage chains as many tracks as the window needs; remove tracks/per")
            if self.split is not None or self.min_gap is not None:
                raise ValueError("continuous coverage cannot be combined with split or min_gap")
            if self.handover is not None and self.handover >= self.shortest:
                raise ValueError("handover must be shorter than min_duration")
            if self.max_gap is not None or self.spread is not None or self.after is not None:
                raise ValueError("continuous coverage cannot be combined with max_gap, spread or after")
        self._operations()
        self._data_return()

    def _operations(self) -> None:
        """Combinations of the operations keys that have no meaning."""
        if self.spread is not None and self.split is None and self.spread.complexes > self.tracks:
            raise ValueError("spread.complexes needs at least that many tracks per period")
        if self.after is not None:
            if self.after.request == self.id:
                raise ValueError("a request cannot follow itself (after.request)")
            if self.split is not None:
                raise ValueError("after cannot be combined with split (a split track has several starts)")

    def _data_return(self) -> None:
        """A volume needs a downlink to compute rates, and asks for data only where tracks return it."""
        if self.downlink is not None and self.complexes is not None:
            raise ValueError(DELTA_DOR_NO_DATA)
        if self.volume is None:
            return
        if self.downlink is None:
            raise ValueError(VOLUME_NEEDS_DOWNLINK)
        if self.continuous:
            raise ValueError(VOLUME_NOT_CONTINUOUS)
        if self.split is not None:
            raise ValueError(VOLUME_NOT_SPLIT)

    @property
    def shortest(self) -> timedelta:
        assert self.min_duration is not None
        return self.min_duration

    @property
    def longest(self) -> timedelta:
        assert self.max_duration is not None
        return self.max_duration
