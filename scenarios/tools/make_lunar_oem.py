"""Write scenarios/lunar-transfer.oem, the trajectory of the `lunar-campaign` probe:
`python scenarios/tools/make_lunar_oem.py`.

A translunar injection from a 200 km perigee, a 4.5-day coast to a 100 km perilune, an impulsive
lunar orbit insertion (LOI) into a 100 km x 5,000 km orbit about the Moon, and two and a half days
in that orbit. Dynamics as in tests/data/oem/generate.py: point-mass gravity of the Earth, the Moon
and the Sun, body positions from JPL DE421 (the `skyfield-data` package) through astropy,
integrated with scipy's DOP853 at tight tolerances. The transfer is targeted by differential
correction: the injection velocity is solved (scipy least_squares) so that the coast passes the
aim point 100 km above the Moon, abeam of the incoming asymptote, at the planned LOI time.

The file is CCSDS OEM 2.0 KVN, Earth-centred EME2000, UTC, Lagrange degree 7, in two segments
split at the LOI burn (a velocity discontinuity, which CCSDS 502.0-B asks to start a new
segment): 60 s steps for the first 6 h and around LOI, 10 min in the coast, 60 s in lunar orbit.
Gravitational parameters (km^3/s^2): DE421 values (Folkner et al. 2008, IPN PR 42-178, Table 8).
"""

from pathlib import Path

import astropy.units as u
import erfa
import numpy as np
from astropy.coordinates import get_body_barycentric
from astropy.time import Time
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline
from scipy.optimize import least_squares

from scheduler.sky.ephemeris import DE421_PATH

OUT = Path(__file__).resolve().parent.parent / "lunar-transfer.oem"
GM = {"earth": 398600.436, "moon": 4902.800, "sun": 132712440040.9}
R_EARTH, R_MOON = 6378.137, 1737.4
TLI = "2026-12-14T06:00:00"  # UTC
COAST_S = 4.5 * 86400.0  # TLI to LOI
ORBIT_S = 2.5 * 86400.0  # in lunar orbit after LOI
PERILUNE_KM = R_MOON + 100.0
APOLUNE_KM = R_MOON + 5000.0
ORIGINATOR = "jointtrack scenarios (scenarios/tools/make_lunar_oem.py)"


class Bodies:
    """Geocentric positions (km) of the Moon and the Sun, splined on a one-hour TDB grid."""

    def __init__(self, start: Time, days: float) -> None:
        seconds = np.arange(-3600.0, days * 86400.0 + 7200.0, 3600.0)
        times = start + seconds * u.s
        earth = get_body_barycentric("earth", times, ephemeris=str(DE421_PATH)).xyz.to_value(u.km).T
        self.splines = {
            name: CubicSpline(
                seconds,
                get_body_barycentric(name, times, ephemeris=str(DE421_PATH)).xyz.to_value(u.km).T - earth,
                axis=0,
            )
            for name in ("moon", "sun")
        }

    def at(self, name: str, seconds: float | np.ndarray) -> np.ndarray:
        return self.splines[name](seconds)


def propagate(bodies: Bodies, state: np.ndarray, t0: float, seconds: np.ndarray) -> np.ndarray:
    """Geocentric ICRF states (n, 6) at `seconds` (TDB after the start), from `state` at `t0`."""

    def derivative(t: float, y: np.ndarray) -> np.ndarray:
        r = y[:3]
        accel = -GM["earth"] * r / np.linalg.norm(r) ** 3
        for name in ("moon", "sun"):
            d = bodies.at(name, t)
            accel = accel + GM[name] * ((d - r) / np.linalg.norm(d - r) ** 3 - d / np.linalg.norm(d) ** 3)
        return np.concatenate([y[3:], accel])

    solution = solve_ivp(
        derivative, (t0, seconds[-1]), state, method="DOP853", rtol=1e-12, atol=1e-9, dense_output=True
    )
    return solution.sol(seconds).T


def moon_relative(bodies: Bodies, states: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    moon = bodies.at("moon", seconds)
    velocity = (bodies.at("moon", seconds + 1.0) - bodies.at("moon", seconds - 1.0)) / 2.0
    return states - np.hstack([moon, velocity])


def injection(bodies: Bodies) -> np.ndarray:
    """The post-TLI state whose coast reaches a 100 km perilune at the planned LOI time."""
    moon_at_loi = bodies.at("moon", COAST_S)
    normal = np.cross(bodies.at("moon", 0.0), bodies.at("moon", 3600.0))
    normal /= np.linalg.norm(normal)
    position = -moon_at_loi / np.linalg.norm(moon_at_loi) * (R_EARTH + 200.0)  # perigee opposite the aim
    along = np.cross(normal, position) / np.linalg.norm(position)
    speed = np.sqrt(GM["earth"] * (2 / (R_EARTH + 200.0) - 2 / (R_EARTH + 200.0 + 400_000.0)))

    def arrival(velocity: np.ndarray) -> np.ndarray:
        state = propagate(bodies, np.concatenate([position, velocity]), 0.0, np.array([0.0, COAST_S]))[-1]
        return moon_relative(bodies, state[None, :], np.array([COAST_S]))[0]

    velocity = along * speed
    for _ in range(3):  # re-aim abeam of the latest incoming velocity until the aim point settles
        incoming = arrival(velocity)[3:]
        abeam = np.cross(np.cross(incoming, normal), incoming)
        aim = -abeam / np.linalg.norm(abeam) * PERILUNE_KM
        fit = least_squares(lambda v, aim=aim: arrival(v)[:3] - aim, velocity, x_scale=1e-3, xtol=1e-14)
        velocity = fit.x
    return np.concatenate([position, velocity])


def insertion(relative: np.ndarray) -> np.ndarray:
    """The Moon-relative velocity change at perilune into the 100 km x 5,000 km orbit."""
    r = np.linalg.norm(relative[:3])
    semi_major = (r + APOLUNE_KM) / 2.0
    target = np.sqrt(GM["moon"] * (2 / r - 1 / semi_major))
    v = relative[3:]
    return v / np.linalg.norm(v) * target - v


def stamps(start: Time, seconds: np.ndarray) -> list[str]:
    return [t[:23] for t in (start + seconds * u.s).utc.isot]


def eme2000(states: np.ndarray) -> np.ndarray:
    """ICRF states in mean J2000 equator and equinox axes (IERS frame bias)."""
    bias, _, _ = erfa.bp00(2451545.0, 0.0)
    return np.hstack([states[:, :3] @ bias.T, states[:, 3:] @ bias.T])


def kvn(segments: list[tuple[list[str], np.ndarray, str]]) -> str:
    lines = ["CCSDS_OEM_VERS = 2.0", "CREATION_DATE = 2026-11-15T00:00:00", f"ORIGINATOR = {ORIGINATOR}", ""]
    for epochs, states, comment in segments:
        lines += [
            "META_START",
            "OBJECT_NAME = LUNAR-PROBE",
            "OBJECT_ID = 2026-999A",
            "CENTER_NAME = EARTH",
            "REF_FRAME = EME2000",
            "TIME_SYSTEM = UTC",
            f"START_TIME = {epochs[0]}",
            f"STOP_TIME = {epochs[-1]}",
            "INTERPOLATION = LAGRANGE",
            "INTERPOLATION_DEGREE = 7",
            "META_STOP",
            f"COMMENT {comment}",
            "",
        ]
        lines += [f"{e} " + " ".join(f"{v: .12e}" for v in s) for e, s in zip(epochs, states, strict=True)]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    start = Time(TLI, scale="utc").tdb
    bodies = Bodies(start, (COAST_S + ORBIT_S) / 86400.0)
    coast = np.unique(
        np.concatenate(
            [
                np.arange(0.0, 6 * 3600.0, 60.0),
                np.arange(6 * 3600.0, COAST_S - 3 * 3600.0, 600.0),
                np.arange(COAST_S - 3 * 3600.0, COAST_S + 1.0, 60.0),
            ]
        )
    )
    first = propagate(bodies, injection(bodies), 0.0, coast)
    relative = moon_relative(bodies, first[-1:], np.array([COAST_S]))[0]
    burned = first[-1].copy()
    burned[3:] += insertion(relative)
    orbit = np.arange(COAST_S, COAST_S + ORBIT_S + 1.0, 60.0)
    second = propagate(bodies, burned, COAST_S, orbit)
    radius = np.linalg.norm(moon_relative(bodies, second, orbit)[:, :3], axis=1)
    print(
        f"perilune {np.linalg.norm(relative[:3]) - R_MOON:.1f} km at LOI {stamps(start, np.array([COAST_S]))[0]}, "
        f"LOI dv {np.linalg.norm(insertion(relative)) * 1000:.0f} m/s, "
        f"orbit altitude {radius.min() - R_MOON:.0f}..{radius.max() - R_MOON:.0f} km"
    )
    OUT.write_text(
        kvn(
            [
                (stamps(start, coast), eme2000(first), "translunar coast from TLI to the LOI burn"),
                (stamps(start, orbit), eme2000(second), "lunar orbit after the LOI burn"),
            ]
        )
    )
    print(f"wrote {OUT}")


if __name__ == "__main__":
    from scheduler import offline

    offline.configure()
    main()
