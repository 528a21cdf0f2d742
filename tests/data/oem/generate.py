"""Regenerate the OEM test trajectories in this folder: `python tests/data/oem/generate.py`.

Each trajectory is propagated with point-mass gravity of the Earth, the Moon and the Sun
(and Jupiter for the heliocentric cruise), body positions from JPL DE421 (the `skyfield-data`
package) through astropy, integrated with scipy's DOP853 at tight tolerances. The states are
written as CCSDS OEM 2.0 KVN; the XML versions are made from the KVN by the `oem` library's
own converter, so both encodings hold the same states.

Gravitational parameters (km^3/s^2): DE421 values as published with the kernel
(Folkner et al. 2008, IPN Progress Report 42-178, Table 8).
"""

from pathlib import Path

import astropy.units as u
import numpy as np
from astropy.coordinates import get_body_barycentric
from astropy.time import Time
from oem import OrbitEphemerisMessage
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline

from scheduler.sky.ephemeris import DE421_PATH

HERE = Path(__file__).parent
GM = {"earth": 398600.436, "moon": 4902.800, "sun": 132712440040.9, "jupiter": 126712767.9}
ORIGINATOR = "jointtrack test fixtures (tests/data/oem/generate.py)"
CREATED = "2026-11-01T00:00:00"


class Bodies:
    """Barycentric positions (km) of the gravitating bodies, splined on a one-hour TDB grid."""

    def __init__(self, start: Time, days: float, names: list[str]) -> None:
        self.start = start
        seconds = np.arange(-3600.0, days * 86400.0 + 7200.0, 3600.0)
        times = start + seconds * u.s
        self.splines = {
            name: CubicSpline(
                seconds, get_body_barycentric(name, times, ephemeris=str(DE421_PATH)).xyz.to_value(u.km).T, axis=0
            )
            for name in names
        }

    def at(self, name: str, seconds: float) -> np.ndarray:
        return self.splines[name](seconds)


def propagate(bodies: Bodies, center: str, state: np.ndarray, seconds: np.ndarray, perturbers: list[str]) -> np.ndarray:
    """States (n, 6) relative to `center` at `seconds` after the start (TDB), ICRF axes."""

    def derivative(t: float, y: np.ndarray) -> np.ndarray:
        r = y[:3]
        accel = -GM[center] * r / np.linalg.norm(r) ** 3
        origin = bodies.at(center, t)
        for name in perturbers:
            d = bodies.at(name, t) - origin
            accel += GM[name] * ((d - r) / np.linalg.norm(d - r) ** 3 - d / np.linalg.norm(d) ** 3)
        return np.concatenate([y[3:], accel])

    solution = solve_ivp(
        derivative, (0.0, seconds[-1]), state, method="DOP853", rtol=1e-12, atol=1e-9, dense_output=True
    )
    return solution.sol(seconds).T


def kvn(
    name: str, center: str, frame: str, time_system: str, segments: list[tuple[list[str], np.ndarray]], interp: str
) -> str:
    method, degree = interp.split()
    lines = ["CCSDS_OEM_VERS = 2.0", f"CREATION_DATE = {CREATED}", f"ORIGINATOR = {ORIGINATOR}", ""]
    for epochs, states in segments:
        lines += [
            "META_START",
            f"OBJECT_NAME = {name}",
            f"OBJECT_ID = {name}",
            f"CENTER_NAME = {center}",
            f"REF_FRAME = {frame}",
            f"TIME_SYSTEM = {time_system}",
            f"START_TIME = {epochs[0]}",
            f"STOP_TIME = {epochs[-1]}",
            f"INTERPOLATION = {method}",
            f"INTERPOLATION_DEGREE = {degree}",
            "META_STOP",
            "",
        ]
        lines += [f"{e} " + " ".join(f"{v: .12e}" for v in s) for e, s in zip(epochs, states, strict=True)]
        lines.append("")
    return "\n".join(lines)


def stamps(start: Time, seconds: np.ndarray, scale: str) -> list[str]:
    times = getattr(start + seconds * u.s, scale)
    return [t[:23] for t in times.isot]


def to_frame(states: np.ndarray, frame: str) -> np.ndarray:
    """ICRF states expressed in `frame` (EME2000 = mean J2000 equator/equinox, IERS frame bias)."""
    if frame != "EME2000":
        return states
    import erfa

    bias, _, _ = erfa.bp00(2451545.0, 0.0)
    return np.hstack([states[:, :3] @ bias.T, states[:, 3:] @ bias.T])


def lunar_transfer() -> None:
    """A translunar coast from a 200 km perigee, aimed at where the Moon will be in 4 days:
    dense states near Earth (60 s for 6 h), then 10 min steps, in two OEM segments."""
    start = Time("2026-12-07T00:00:00", scale="utc").tdb
    bodies = Bodies(start, 4.0, ["earth", "moon", "sun"])
    aim = bodies.at("moon", 4 * 86400.0) - bodies.at("earth", 4 * 86400.0)
    moon_now = bodies.at("moon", 0.0) - bodies.at("earth", 0.0)
    normal = np.cross(moon_now, bodies.at("moon", 3600.0) - bodies.at("earth", 3600.0))
    normal /= np.linalg.norm(normal)
    radius = 6378.137 + 200.0
    position = -aim / np.linalg.norm(aim) * radius
    along = np.cross(normal, position) / radius
    apogee = 405_000.0
    speed = np.sqrt(GM["earth"] * (2 / radius - 2 / (radius + apogee)))
    near = np.arange(0.0, 6 * 3600.0 + 1, 60.0)
    far = np.arange(6 * 3600.0, 3 * 86400.0 + 1, 600.0)
    states = propagate(
        bodies, "earth", np.concatenate([position, along * speed]), np.concatenate([near, far[1:]]), ["moon", "sun"]
    )
    first, second = states[: near.size], states[near.size - 1 :]
    for scale, suffix in (("utc", "oem"), ("tt", "tt.oem")):
        text = kvn(
            "TRANSLUNAR-1",
            "EARTH",
            "EME2000",
            scale.upper(),
            [
                (stamps(start, near, scale), to_frame(first, "EME2000")),
                (stamps(start, far, scale), to_frame(second, "EME2000")),
            ],
            "LAGRANGE 7",
        )
        (HERE / f"lunar-transfer.{suffix}").write_text(text)
    OrbitEphemerisMessage.convert(HERE / "lunar-transfer.tt.oem", HERE / "lunar-transfer.xml", "xml")
    (HERE / "lunar-transfer.tt.oem").unlink()


def lunar_orbiter() -> None:
    """A 100 km polar orbit about the Moon, Moon-centred ICRF, Hermite degree 5, TDB."""
    start = Time("2026-12-07T00:00:00", scale="tdb")
    bodies = Bodies(start, 1.0, ["earth", "moon", "sun"])
    radius = 1737.4 + 100.0
    speed = np.sqrt(GM["moon"] / radius)
    seconds = np.arange(0.0, 86400.0 + 1, 120.0)
    state = np.array([radius, 0.0, 0.0, 0.0, 0.0, speed])
    states = propagate(bodies, "moon", state, seconds, ["earth", "sun"])
    text = kvn("LUNAR-ORBITER", "MOON", "ICRF", "TDB", [(stamps(start, seconds, "tdb"), states)], "HERMITE 5")
    kvn_path = HERE / "lunar-orbiter.kvn.tmp"
    kvn_path.write_text(text)
    OrbitEphemerisMessage.convert(kvn_path, HERE / "lunar-orbiter.xml", "xml")
    kvn_path.unlink()


def l2_transfer() -> None:
    """A transfer toward the Sun-Earth L2 point (as Gaia's or JWST's), from a 200 km perigee
    aimed at the anti-Sun direction: in the night sky, so optical stations can track it.
    One segment with uneven steps (60 s near perigee, then 5 and 20 minutes), GPS time,
    ICRF, Hermite degree 7."""
    start = Time("2026-12-07T00:00:00", scale="utc").tdb
    bodies = Bodies(start, 3.0, ["earth", "moon", "sun"])
    sun = bodies.at("sun", 0.0) - bodies.at("earth", 0.0)
    aim = -sun / np.linalg.norm(sun)
    radius = 6378.137 + 200.0
    position = -aim * radius
    along = np.array([0.0, 0.0, 1.0]) - aim * aim[2]  # perigee velocity: northward, across the radius
    along /= np.linalg.norm(along)
    speed = np.sqrt(GM["earth"] * (2 / radius - 2 / (radius + 1.4e6)))
    seconds = np.unique(
        np.concatenate(
            [np.arange(0, 7200, 60.0), np.arange(7200, 43200, 300.0), np.arange(43200, 3 * 86400 + 1, 1200.0)]
        )
    )
    states = propagate(bodies, "earth", np.concatenate([position, along * speed]), seconds, ["moon", "sun"])
    gps = Time(start.tai - 19 * u.s, format="isot", scale="tai")  # GPS = TAI - 19 s; labels written as GPS
    text = kvn("L2-TRANSFER", "EARTH", "ICRF", "GPS", [(stamps(gps, seconds, "tai"), states)], "HERMITE 7")
    (HERE / "l2-transfer.oem").write_text(text)


def mars_cruise() -> None:
    """A heliocentric coast two months after an Earth departure (v-infinity 3.2 km/s),
    Sun-centred EME2000, Lagrange degree 5, two-hour steps, TDB."""
    launch = Time("2026-10-05T00:00:00", scale="tdb")
    bodies = Bodies(launch, 72.0, ["earth", "moon", "sun", "jupiter"])
    earth = bodies.at("earth", 0.0) - bodies.at("sun", 0.0)
    earth_velocity = (bodies.at("earth", 1.0) - bodies.at("earth", -1.0)) / 2.0 - (
        bodies.at("sun", 1.0) - bodies.at("sun", -1.0)
    ) / 2.0
    along = earth_velocity / np.linalg.norm(earth_velocity)
    state = np.concatenate([earth + along * 1.5e6, earth_velocity + along * 3.2])
    first = 61 * 86400.0
    seconds = np.arange(first, first + 10 * 86400.0 + 1, 7200.0)
    states = propagate(bodies, "sun", state, np.concatenate([[0.0], seconds]), ["earth", "moon", "jupiter"])[1:]
    text = kvn(
        "MARS-CRUISER",
        "SUN",
        "EME2000",
        "TDB",
        [(stamps(launch, seconds, "tdb"), to_frame(states, "EME2000"))],
        "LAGRANGE 5",
    )
    (HERE / "mars-cruise.oem").write_text(text)


if __name__ == "__main__":
    from scheduler import offline

    offline.configure()
    lunar_transfer()
    lunar_orbiter()
    l2_transfer()
    mars_cruise()
    print(f"wrote the OEM files in {HERE}")
