"""A request's downlink (what the spacecraft sends and what it needs to close) and data volumes.

Volumes are strict: a decimal number and one of the units bit, kbit, Mbit, Gbit, Tbit (powers of
1000) or B, kB, MB, GB, TB (bytes of 8 bits, powers of 1000): `40Gbit`, `500Mbit`, `2.5GB`.
"""

import re
from collections.abc import Iterable

from pydantic import Field, field_validator

from scheduler.errors import InputError
from scheduler.inputs.fields import Strict
from scheduler.inputs.targets import TargetSpec
from stations import Station
from stations.receive import Band

UNITS_BITS = {
    "bit": 1,
    "kbit": 10**3,
    "Mbit": 10**6,
    "Gbit": 10**9,
    "Tbit": 10**12,
    "B": 8,
    "kB": 8 * 10**3,
    "MB": 8 * 10**6,
    "GB": 8 * 10**9,
    "TB": 8 * 10**12,
}
_VOLUME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$")
VOLUME_HINT = "write a number and a unit: bit, kbit, Mbit, Gbit, Tbit, or bytes B, kB, MB, GB, TB (e.g. 40Gbit, 2.5GB)"
# Request combinations that have no meaning for data return, and their fixes (messages.fix_for).
VOLUME_NEEDS_DOWNLINK = "volume needs a downlink to compute data rates"
VOLUME_NOT_CONTINUOUS = "continuous coverage asks for time, not data"
VOLUME_NOT_SPLIT = "volume cannot be combined with split"
DELTA_DOR_NO_DATA = "ΔDOR (complexes) tracks return no data"
DATA_FIXES = {
    VOLUME_NEEDS_DOWNLINK: "add downlink: {band: X, eirp_dbw: ..., required_eb_n0_db: ...}, or ask for duration only",
    VOLUME_NOT_CONTINUOUS: "remove volume or continuous",
    VOLUME_NOT_SPLIT: "ask for tracks: N instead of split (the data of every track counts)",
    DELTA_DOR_NO_DATA: "remove downlink from the ΔDOR request",
    "is not a volume": VOLUME_HINT,
    "a volume needs a unit": VOLUME_HINT,
}


def parse_volume(value: object) -> int:
    """Bits in a volume such as `40Gbit` or `2.5GB` (decimal units; 1 GB = 8e9 bit)."""
    if not isinstance(value, str):
        raise ValueError("a volume needs a unit")
    match = _VOLUME.match(value)
    if not match or match.group(2) not in UNITS_BITS:
        raise ValueError(f"{value!r} is not a volume")
    bits = round(float(match.group(1)) * UNITS_BITS[match.group(2)])
    if bits <= 0:
        raise ValueError("a volume must be positive")
    return bits


def format_bits(bits: float) -> str:
    """`40 Gbit`, `3.2 Mbit`: the largest decimal unit that keeps the number at least 1."""
    for unit in ("Tbit", "Gbit", "Mbit", "kbit"):
        if abs(bits) >= UNITS_BITS[unit]:
            return f"{bits / UNITS_BITS[unit]:.3g} {unit}"
    return f"{bits:.0f} bit"


class DownlinkSpec(Strict):
    """The spacecraft's downlink: band, EIRP, what the decoder needs, and its selectable rates."""

    band: Band
    eirp_dbw: float = Field(ge=-50, le=150, description="spacecraft EIRP towards Earth, dBW")
    required_eb_n0_db: float = Field(ge=-5, le=30, description="Eb/N0 the coding needs, dB")
    margin_db: float = Field(default=3.0, ge=0, le=30, description="link margin kept in hand, dB")
    losses_db: float = Field(
        default=0.0, ge=0, le=30, description="pointing, polarisation and modulation losses not in the EIRP, dB"
    )
    rates_bps: tuple[float, ...] | None = Field(
        default=None, min_length=1, description="selectable rates; the highest that closes is used"
    )
    freq_hz: float | None = Field(default=None, gt=1e8, lt=1e12, description="default: the band centre")

    @field_validator("rates_bps")
    @classmethod
    def _rates(cls, rates: tuple[float, ...] | None) -> tuple[float, ...] | None:
        if rates is None:
            return None
        if any(r <= 0 for r in rates):
            raise ValueError("rates must be positive bits per second")
        if len(set(rates)) != len(rates):
            raise ValueError("rates must not repeat")
        return tuple(sorted(rates))


def check_downlink(
    downlink: DownlinkSpec, target: TargetSpec, given_view_periods: bool, source: str, where: str
) -> None:
    """Rates need the target's range and the scenario's own geometry."""
    if target.ra_deg is not None:
        raise InputError(
            source,
            f"{where}.downlink",
            f"target {target.id!r} is a fixed direction with no range",
            "give the target as a body or an OEM trajectory, or remove downlink",
        )
    if given_view_periods:
        raise InputError(
            source,
            f"{where}.downlink",
            "data rates come from computed geometry, and this scenario gives its view periods as a file",
            "remove view_periods: from the scenario, or remove downlink",
        )


def downlink_stations(
    downlink: DownlinkSpec, chosen: Iterable[Station], named: bool, source: str, where: str
) -> tuple[str, ...]:
    """The request's stations that receive the band: all of them must when the request names its
    stations; otherwise the scenario's stations that do. Each needs a G/T for the band."""
    chosen = list(chosen)
    band = downlink.band
    serving = [s for s in chosen if band in s.bands]
    lacking = [s for s in chosen if band not in s.bands]
    if named and lacking:
        raise InputError(
            source,
            f"{where}.stations",
            f"{lacking[0].id} does not receive {band} band (its bands: {', '.join(lacking[0].bands) or 'none'})",
            f"drop it, or select stations with band:{band}",
        )
    if not serving:
        raise InputError(
            source, f"{where}.downlink.band", f"no station of the request receives {band} band", "choose another band"
        )
    for station in serving:
        if band not in station.receive:
            raise InputError(
                source,
                f"{where}.downlink.band",
                f"station {station.id} has no G/T for {band} band",
                f"give it one: {{id: {station.id}, receive: {{{band}: {{gt_dbk: ...}}}}}} under stations",
            )
    return tuple(s.id for s in serving)
