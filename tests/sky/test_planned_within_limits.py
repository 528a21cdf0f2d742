"""Plans the validator accepts (issue 28 §2): view-period edges rounded inward, so a fast low orbit
planned on a 1 s grid never starts or ends a track below the floor; one refraction model
(Saemundsson's, scheduler/sky/refraction.py) on both sides, so `refraction: true` with a 0°
floor plans what validates."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scheduler.check import validate_schedule
from scheduler.inputs import load_scenario
from scheduler.sky.refraction import refracted_deg
from scheduler.sky.visibility import compute_view_periods, inward_seconds
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan

MU_KM3_S2 = 398600.4418
GREEDY = SolverSettings(time_limit_s=5, workers=1, seed=0, solver="greedy")


def low_orbit_oem(start: datetime, hours: float, altitude_km: float = 500.0, step_s: float = 30.0) -> str:
    """A circular 500 km orbit at 51.6° (the ISS's), as a CCSDS OEM in KVN."""
    radius = 6378.137 + altitude_km
    rate = np.sqrt(MU_KM3_S2 / radius**3)
    tilt = np.radians(51.6)
    seconds = np.arange(0.0, hours * 3600 + step_s, step_s)
    angle = rate * seconds
    position = radius * np.stack([np.cos(angle), np.sin(angle) * np.cos(tilt), np.sin(angle) * np.sin(tilt)], 1)
    velocity = radius * rate * np.stack([-np.sin(angle), np.cos(angle) * np.cos(tilt), np.cos(angle) * np.sin(tilt)], 1)
    stamp = "%Y-%m-%dT%H:%M:%S.000"
    end = start + timedelta(seconds=float(seconds[-1]))
    lines = [
        "CCSDS_OEM_VERS = 2.0", "CREATION_DATE = 2026-11-01T00:00:00", "ORIGINATOR = jointtrack tests", "META_START",
        "OBJECT_NAME = LEO", "OBJECT_ID = 2026-000A", "CENTER_NAME = EARTH", "REF_FRAME = GCRF", "TIME_SYSTEM = UTC",
        f"START_TIME = {start:{stamp}}", f"STOP_TIME = {end:{stamp}}", "INTERPOLATION = LAGRANGE",
        "INTERPOLATION_DEGREE = 7", "META_STOP",
    ]  # fmt: skip
    for k, offset in enumerate(seconds):
        at = start + timedelta(seconds=float(offset))
        state = " ".join(f"{v:.6f}" for v in position[k]) + " " + " ".join(f"{v:.9f}" for v in velocity[k])
        lines.append(f"{at:{stamp}} {state}")
    return "\n".join(lines) + "\n"


LOW_ORBIT = """name: low-orbit
start: 2026-12-01T00:00:00Z
end: 2026-12-02T00:00:00Z
resolution: 1s
stations: [DSS-14, DSS-43, DSS-63]
targets:
  - {id: leo, oem: leo.oem}
requests:
  - {id: L, mission: LEO, agency: NASA, target: leo, priority: 1, min_duration: 1m, max_duration: 12m,
     tracks: 20, per: day, setup: 0s, teardown: 0s}
"""


@pytest.mark.slow
def test_a_fast_low_orbit_planned_to_the_second_validates(tmp_path: Path) -> None:
    """Edges rounded to the nearest second put track ends up to 0.5 s outside the pass: 0.03°
    below the floor for a low orbit, which the validator rejected."""
    (tmp_path / "leo.oem").write_text(low_orbit_oem(datetime(2026, 12, 1, tzinfo=UTC), 24.5))
    (tmp_path / "low-orbit.yaml").write_text(LOW_ORBIT)
    scenario = load_scenario(tmp_path / "low-orbit.yaml")
    plan = run_plan(scenario, GREEDY)
    assert len(plan.schedule) >= 10
    starts_at_edges = plan.schedule.start.isin(plan.view_periods.start).sum()
    assert starts_at_edges >= 5  # tracks begin right at a pass's edge: the case that matters
    assert validate_schedule(scenario, plan.schedule) == []


def test_edges_are_rounded_inward_and_exact_ones_kept() -> None:
    start, end = inward_seconds(np.array([0.0, 10.2, 10.996, 7200.0]), np.array([5.4, 20.6, 30.004, 86400.0]), 86400.0)
    assert start.tolist() == [0.0, 11.0, 12.0, 7200.0]  # 10.996 could be 11.001: the next whole second is 12
    assert end.tolist() == [5.0, 20.0, 29.0, 86400.0]  # 30.004 could be 29.999


REFRACTED = """name: refracted
start: 2026-12-07T00:00:00Z
end: 2026-12-08T00:00:00Z
refraction: true
resolution: 1s
stations:
  - {id: LOW, kind: radio, lat_deg: 40.0, lon_deg: -4.0, height_m: 800, min_elevation_deg: 0, agency: X}
targets:
  - {id: moon, body: moon}
requests:
  - {id: M, mission: M, agency: X, target: moon, priority: 1, min_duration: 5m, max_duration: 10m, tracks: 2,
     per: day, setup: 0s, teardown: 0s}
"""


def test_refraction_at_the_horizon_plans_what_validates(tmp_path: Path) -> None:
    """The planner refracted by 0.48° at the horizon, the validator (astropy's model) by 0.18°."""
    (tmp_path / "refracted.yaml").write_text(REFRACTED)
    scenario = load_scenario(tmp_path / "refracted.yaml")
    plan = run_plan(scenario, GREEDY)
    assert plan.schedule.start.min() == plan.view_periods.start.min()  # a track from moonrise itself
    assert validate_schedule(scenario, plan.schedule) == []


@pytest.mark.parametrize(("true_deg", "apparent_deg"), [(0.0, 0.483), (-0.5, 0.061), (10.0, 10.090), (45.0, 45.017)])
def test_refraction_is_saemundssons_standard_atmosphere(true_deg: float, apparent_deg: float) -> None:
    """Meeus, Astronomical Algorithms, eq. 16.4 at 10 °C and 1010 hPa; none below -1°."""
    assert float(refracted_deg(true_deg)) == pytest.approx(apparent_deg, abs=0.001)
    assert float(refracted_deg(-2.0)) == -2.0


def test_validator_and_planner_see_the_same_refracted_elevation(tmp_path: Path) -> None:
    from astropy.coordinates import solar_system_ephemeris

    from scheduler.check.sampling import look, samples_at
    from scheduler.sky.ephemeris import DE421_PATH

    (tmp_path / "refracted.yaml").write_text(REFRACTED)
    scenario = load_scenario(tmp_path / "refracted.yaml")
    periods = compute_view_periods(scenario)
    instants = [pd.Timestamp(t) + pd.Timedelta(seconds=s) for t in periods.start for s in (1, 600)]
    with solar_system_ephemeris.set(str(DE421_PATH)):
        seen = look(scenario, scenario.target("moon"), samples_at(scenario, [("", "LOW", t) for t in instants]))
    assert seen.elevation_deg.min() >= -0.01  # just after moonrise the validator agrees it is up
    assert seen.elevation_deg[0] < 0.1  # and that it is that low: refracted as the planner refracts
