"""One target as the visibility search sees it: its path, the shared scene and every constraint,
judged for many stations and instants at once (usable or not, and by how much)."""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce

import numpy as np

from scheduler.inputs import Scenario
from scheduler.sky.constraints import AngularLimit, Constraint, During, TimeLimit, station_constraints
from scheduler.sky.ephemeris import TargetPath, densify, target_paths
from scheduler.sky.scene import Scene, Sky

SCAN_STEP_S = 120.0
SCAN_CHORD_RAD = np.radians(1.0)  # the scan grid is refined where the target moves faster, seen from the geocentre


@dataclass(frozen=True)
class Observer:
    """Everything needed to judge usability of one target from all stations."""

    scene: Scene
    path: TargetPath
    constraints: Sequence[Constraint]

    def sky(self, seconds: np.ndarray, station_index: np.ndarray) -> Sky:
        return Sky(self.scene, self.path, np.asarray(seconds, dtype=float), np.asarray(station_index))

    def limits(self, sky: Sky) -> tuple[np.ndarray, np.ndarray | None]:
        """The smallest angular margin of all angular limits, and where every time limit holds
        (None: no time limits)."""
        margin = reduce(np.minimum, [c.margin_deg(sky) for c in self.constraints if isinstance(c, AngularLimit)])
        timed = [c.satisfied(sky) for c in self.constraints if not isinstance(c, AngularLimit)]
        return margin, (reduce(np.logical_and, timed) if timed else None)

    def usable(self, sky: Sky) -> np.ndarray:
        return usable(*self.limits(sky))

    def usable_at(self, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        return self.usable(self.sky(seconds, station_index))

    def margin_at(self, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        return self.limits(self.sky(seconds, station_index))[0]

    def elevation_at(self, seconds: np.ndarray, station_index: np.ndarray) -> np.ndarray:
        return self.sky(seconds, station_index).elevation_deg

    def time_edges_s(self) -> np.ndarray:
        """Every instant at which a time limit (downtime, a trajectory's span) may switch."""
        edges = [c.edges_s() for c in self.constraints if isinstance(c, TimeLimit)]
        return np.concatenate([np.empty(0), *edges])

    def scan_grid(self, horizon_s: float, step_s: float = SCAN_STEP_S) -> np.ndarray:
        """From 0 to the horizon's end inclusive: every `step_s`, finer where the target moves
        faster than SCAN_CHORD_RAD per step, and every instant a time limit may switch."""
        base = np.unique(np.append(np.arange(0.0, horizon_s, step_s), horizon_s))
        geocentric = self.scene.earth.to_itrs(base, self.path.position_km(base))
        edges = self.time_edges_s()
        edges = edges[(edges > 0.0) & (edges < horizon_s)]
        return np.unique(np.concatenate([densify(base, geocentric, SCAN_CHORD_RAD), edges]))


def usable(margin: np.ndarray, timed: np.ndarray | None) -> np.ndarray:
    """Usable where every angular limit holds (the smallest margin is not negative) and every time limit."""
    return margin >= 0.0 if timed is None else (margin >= 0.0) & timed


def observers(scenario: Scenario, scene: Scene, horizon_s: float) -> list[Observer]:
    """One observer per target, each target's ephemeris computed once."""
    shared = station_constraints(scenario.stations, outages(scenario))
    paths = target_paths(scenario.targets, scenario.trajectories, scene.ephemerides)
    return [Observer(scene, path, [*shared, During(path.coverage)] if path.coverage else shared) for path in paths]


def outages(scenario: Scenario) -> list[tuple[int, float, float]]:
    """Downtime as (station index, start, end) seconds from the scenario start."""
    index = {s.id: k for k, s in enumerate(scenario.stations)}
    return [
        (index[station], (o.start - scenario.start).total_seconds(), (o.end - scenario.start).total_seconds())
        for o, ids in zip(scenario.spec.downtime, scenario.downtime_stations, strict=True)
        for station in ids
    ]
