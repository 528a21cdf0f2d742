"""A ground station: where it is, what it can do, and its observing limits."""

from datetime import timedelta
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model, field_validator, model_validator

from scheduler.text import Label
from scheduler.timeutil import parse_duration
from stations.receive import Band, ReceiveBand

if TYPE_CHECKING:
    import numpy as np

Duration = Annotated[timedelta, BeforeValidator(parse_duration)]
StationId = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$")]


class Station(BaseModel):
    """One antenna or telescope. Only id, kind and position are required."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    id: StationId
    kind: Literal["radio", "optical"]
    lat_deg: float = Field(ge=-90, le=90)
    lon_deg: float = Field(ge=-180, le=360)
    height_m: float = Field(ge=-500, le=9000)
    name: Label = ""
    agency: Label = "OTHER"
    complex: Label = ""
    country: Label = ""
    aperture_m: float = Field(default=0.0, ge=0)
    bands: tuple[str, ...] = ()
    receive: dict[Band, ReceiveBand] = Field(
        default_factory=dict, description="G/T per band (S, X, Ka) and its elevation model: stations/receive.py"
    )
    min_elevation_deg: float = Field(default=10.0, ge=-5, le=90)
    horizon_mask: tuple[tuple[float, float], ...] = ()
    setup: Duration = timedelta(0)
    teardown: Duration = timedelta(0)
    sun_max_elevation_deg: float | None = Field(default=None, ge=-90, le=90)
    min_sun_separation_deg: float | None = Field(default=None, ge=0, le=180)
    min_moon_separation_deg: float = Field(default=0.0, ge=0, le=180)
    itrf_m: tuple[float, float, float] | None = None
    itrf_frame: str | None = None
    source: Label = ""

    @field_validator("setup", "teardown")
    @classmethod
    def _not_negative(cls, value: timedelta) -> timedelta:
        if value < timedelta(0):
            raise ValueError("must not be negative")
        return value

    @field_validator("horizon_mask")
    @classmethod
    def _mask_in_range(cls, mask: tuple[tuple[float, float], ...]) -> tuple[tuple[float, float], ...]:
        for az, el in mask:
            if not (0 <= az <= 360 and -5 <= el <= 90):
                raise ValueError(f"mask point [{az}, {el}] is outside azimuth 0..360, elevation -5..90")
        return tuple(sorted(mask))

    @field_validator("receive")
    @classmethod
    def _complete_receive(cls, receive: dict[Band, ReceiveBand]) -> dict[Band, ReceiveBand]:
        return {band: entry.completed(band) for band, entry in receive.items()}

    @model_validator(mode="after")
    def _fill_defaults(self) -> "Station":
        unserved = sorted(set(self.receive) - set(self.bands))
        if unserved:
            raise ValueError(f"receive names band {unserved[0]}, which is not among the station's bands")
        if not self.complex:
            object.__setattr__(self, "complex", self.id)
        if not self.name:
            object.__setattr__(self, "name", self.id)
        if self.kind == "optical" and self.sun_max_elevation_deg is None:
            object.__setattr__(self, "sun_max_elevation_deg", -12.0)
        if self.min_sun_separation_deg is None:
            object.__setattr__(self, "min_sun_separation_deg", 3.0 if self.kind == "radio" else 0.0)
        return self

    @property
    def effective_lon_deg(self) -> float:
        """Longitude in -180..180."""
        return (self.lon_deg + 180.0) % 360.0 - 180.0

    def mask_elevation_deg(self, azimuth_deg: "np.ndarray") -> "np.ndarray":
        """Lowest usable elevation at each azimuth: the minimum elevation or the horizon mask,
        whichever is higher; the mask is interpolated linearly and wraps around north."""
        import numpy as np  # here: the catalog loads without numpy

        floor = np.full(np.shape(azimuth_deg), self.min_elevation_deg, dtype=float)
        if not self.horizon_mask:
            return floor
        az = np.array([p[0] for p in self.horizon_mask], dtype=float)
        el = np.array([p[1] for p in self.horizon_mask], dtype=float)
        mask = np.interp(np.mod(azimuth_deg, 360.0), az, el, period=360.0)
        return np.maximum(floor, mask)


COORDINATE_KEYS = frozenset({"lat_deg", "lon_deg", "height_m", "itrf_m", "itrf_frame"})


def _optional(annotation: Any, metadata: list[Any]) -> Any:
    """`annotation | None`, keeping its constraints and parsers (they apply when a value is given)."""
    return (Annotated[annotation, *metadata] if metadata else annotation) | None


def _override_model() -> type[BaseModel]:
    """Every `Station` field but id, kind and position, all optional: a scenario's partial entry
    for a catalog station."""
    fields: dict[str, Any] = {
        name: (_optional(info.annotation, info.metadata), None)
        for name, info in Station.model_fields.items()
        if name not in COORDINATE_KEYS | {"id", "kind"}
    }
    return create_model(
        "StationOverride",
        __config__=ConfigDict(extra="forbid", frozen=True),
        __doc__="A catalog station with some fields replaced (e.g. its horizon mask); it keeps the catalog position.",
        id=(StationId, ...),
        **fields,
    )


StationOverride = _override_model()


def apply_override(station: Station, override: BaseModel) -> Station:
    """`station` with the fields the override sets; validated again as a whole."""
    changes = override.model_dump(exclude_unset=True, exclude={"id"})
    return Station.model_validate({**station.model_dump(exclude_defaults=True), **changes})
