"""Files a scenario points at, read once: probe trajectories (CCSDS OEM) and given view periods."""

from datetime import timedelta
from pathlib import Path

import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs.paths import checked_file, what_it_is
from scheduler.inputs.spec import ScenarioSpec
from scheduler.inputs.trajectory import Trajectory, TrajectoryError, read_oem
from scheduler.inputs.view_period_csv import read_view_periods
from scheduler.timeutil import format_time
from stations import Station

MAX_OEM_BYTES = 500_000_000  # about four million states: a month at 1 s, more than any plan needs
OEM_TOO_LARGE = "keep fewer states (they are interpolated: one a minute is plenty for a probe far from Earth)"


def external_view_periods(spec: ScenarioSpec, source: str, stations: tuple[Station, ...]) -> pd.DataFrame | None:
    """The view periods of `view_periods: FILE.csv`, relative to the scenario file; None without one."""
    if spec.view_periods is None:
        return None
    base = Path(source).parent if Path(source).is_file() else Path.cwd()
    floors, targets = {s.id: s.min_elevation_deg for s in stations}, {t.id for t in spec.targets}
    return read_view_periods(base / spec.view_periods, source, floors, targets, (spec.start, spec.end))


def trajectories(spec: ScenarioSpec, source: str) -> dict[str, Trajectory]:
    """Each OEM target's file, read once; paths are relative to the scenario file."""
    base = Path(source).parent if Path(source).is_file() else Path.cwd()
    found = {}
    for index, target in enumerate(spec.targets):
        if target.oem is None:
            continue
        where = f"targets[{index}] ({target.id}).oem"
        path = base / target.oem
        if what_it_is(path) == "no such file":
            raise InputError(
                source,
                where,
                f"no such file {str(path)!r}",
                "give the OEM path relative to the file that names it (scenario or event)",
            )
        checked_file(path, source, where, "a CCSDS OEM file", MAX_OEM_BYTES, OEM_TOO_LARGE)
        try:
            trajectory = read_oem(path, spec.start)
        except TrajectoryError as exc:
            raise InputError(source, where, f"{target.oem}: {exc.problem}", exc.fix) from None
        horizon = (spec.end - spec.start).total_seconds()
        if not any(min(stop, horizon) - max(start, 0.0) >= 1.0 for start, stop in trajectory.coverage):
            first, last = trajectory.coverage[0][0], trajectory.coverage[-1][1]
            raise InputError(
                source,
                where,
                f"{target.oem} covers {format_time(spec.start + timedelta(seconds=first))}.."
                f"{format_time(spec.start + timedelta(seconds=last))}, outside the planning horizon",
                "give a trajectory that covers part of start..end, or move the horizon",
            )
        found[target.id] = trajectory
    return found
