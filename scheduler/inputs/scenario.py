"""A scenario file read into a validated, resolved `Scenario`: every problem an `InputError` naming
the file, the field and the fix (docs/design.md: Scenario file)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.inputs.attached import external_view_periods, trajectories
from scheduler.inputs.checks import check_resolution, check_together, check_unique, check_window
from scheduler.inputs.downlink import check_downlink, downlink_stations
from scheduler.inputs.messages import input_error
from scheduler.inputs.operations import band_stations, check_after, check_spread, complex_rules
from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.spec import ScenarioSpec
from scheduler.inputs.station_choice import request_arrays, request_station_ids, scenario_stations, select_stations
from scheduler.inputs.targets import TargetSpec
from scheduler.inputs.trajectory import Trajectory
from scheduler.inputs.yaml_file import parse_yaml, read_input_text
from stations import Station
from stations.complexes import ComplexRule


@dataclass(frozen=True)
class Scenario:
    """A scenario with its stations resolved to catalog or inline entries."""

    spec: ScenarioSpec
    source: str
    stations: tuple[Station, ...]
    request_stations: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    downtime_stations: tuple[tuple[str, ...], ...] = ()
    trajectories: Mapping[str, Trajectory] = field(default_factory=dict)  # OEM targets by id
    locked_stations: tuple[tuple[str, ...], ...] = ()  # resolved station ids per locked track
    view_periods: pd.DataFrame | None = field(default=None, compare=False)  # given by `view_periods:` (a CSV)
    complex_rules: Mapping[str, ComplexRule] = field(default_factory=dict)  # defaults with the scenario's over them
    request_arrays: Mapping[str, tuple[tuple[str, ...], ...]] = field(default_factory=dict)  # listed "A+B" arrays
    # True only on what `resolve_scenario` made; a copy (`dataclasses.replace`) starts False
    resolved: bool = field(default=False, init=False, compare=False, repr=False)

    def request_antennas(self, request_id: str) -> set[str]:
        """Every antenna a request's tracks may occupy: its stations and the members of its arrays."""
        members = {m for array in self.request_arrays.get(request_id, ()) for m in array}
        return set(self.request_stations[request_id]) | members

    @property
    def name(self) -> str:
        return self.spec.name

    @property
    def start(self) -> datetime:
        return self.spec.start

    @property
    def end(self) -> datetime:
        return self.spec.end

    @property
    def targets(self) -> tuple[TargetSpec, ...]:
        return self.spec.targets

    @property
    def requests(self) -> tuple[RequestSpec, ...]:
        return self.spec.requests

    def station(self, station_id: str) -> Station:
        return next(s for s in self.stations if s.id == station_id)

    def target(self, target_id: str) -> TargetSpec:
        return next(t for t in self.spec.targets if t.id == target_id)


def checked(scenario: Scenario) -> Scenario:
    """`scenario` itself if `resolve_scenario` made it; otherwise (a copy changed after loading,
    e.g. by `model_copy` or `dataclasses.replace`) its spec validated and resolved again, so that
    nothing unchecked is planned: an `InputError` names what is wrong."""
    if scenario.resolved:
        return scenario
    source = scenario.source if isinstance(scenario.source, str) else "<scenario>"
    if not isinstance(scenario.spec, ScenarioSpec):
        fix = "load scenarios with scheduler.load_scenario"
        raise InputError(source, "", f"spec is a {type(scenario.spec).__name__}, not a ScenarioSpec", fix)
    data = scenario.spec.model_dump(exclude_unset=True)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, data, source) from None
    return resolve_scenario(spec, source)


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve a scenario file."""
    return load_scenario_text(read_input_text(path, "scenario"), str(path))


def load_scenario_text(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; `source` names it in error messages."""
    data = parse_yaml(text, source)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise input_error(exc, data, source) from None
    return resolve_scenario(spec, source)


def resolve_scenario(spec: ScenarioSpec, source: str) -> Scenario:
    """Cross-check a validated spec and resolve its stations, trajectories and given view periods."""
    stations = scenario_stations(spec, source)
    check_unique([t.id for t in spec.targets], "targets", source)
    check_unique([r.id for r in spec.requests], "requests", source)
    target_ids = {t.id for t in spec.targets}
    horizon = spec.end - spec.start
    chosen_by_request: dict[str, tuple[str, ...]] = {}
    arrays_by_request: dict[str, tuple[tuple[str, ...], ...]] = {}
    for index, request in enumerate(spec.requests):
        where = f"requests[{index}] ({request.id})"
        if request.target not in target_ids:
            raise InputError(
                source,
                f"{where}.target",
                f"unknown target {request.target!r}",
                f"use one of the scenario's target ids: {', '.join(sorted(target_ids))}",
            )
        if request.shortest > horizon:
            raise InputError(
                source,
                f"{where}.duration",
                "longer than the planning horizon",
                "shorten the track or extend start..end",
            )
        check_resolution(request, spec.resolution, source, where)
        listed = request_station_ids(request, stations, source, where)
        arrays_by_request[request.id] = request_arrays(request, stations, source, where)
        chosen_by_request[request.id] = band_stations(request, [s for s in stations if s.id in listed], source, where)
        if request.downlink is not None:
            target = next(t for t in spec.targets if t.id == request.target)
            check_downlink(request.downlink, target, spec.view_periods is not None, source, where)
            chosen = [s for s in stations if s.id in chosen_by_request[request.id]]
            named = request.stations is not None
            chosen_by_request[request.id] = downlink_stations(request.downlink, chosen, named, source, where)
        allowed = [s for s in stations if s.id in chosen_by_request[request.id]]
        check_together(request, allowed, source, where)
        check_spread(request, allowed, source, where)
        check_window(request, spec, source, where)
    check_after(spec, source)
    request_ids = {r.id for r in spec.requests}
    locked_stations = []
    for index, locked in enumerate(spec.locked):
        where = f"locked[{index}]"
        if locked.request not in request_ids:
            raise InputError(
                source, f"{where}.request", f"unknown request {locked.request!r}", "name a request id of this scenario"
            )
        if locked.start < spec.start or locked.end > spec.end:
            raise InputError(
                source, where, "the locked track lies outside the planning horizon", "move it inside start..end"
            )
        fix = "name stations listed under the scenario's stations: key"
        picked = select_stations(
            locked.stations, stations, source, f"{where}.stations", fix, " among the scenario's stations"
        )
        locked_stations.append(tuple(s.id for s in picked))
    downtime = []
    for index, outage in enumerate(spec.downtime):
        fix = "name a station of this scenario (id or selector)"
        picked = select_stations([outage.station], stations, source, f"downtime[{index}].station", fix)
        downtime.append(tuple(s.id for s in picked))
    made = Scenario(
        spec,
        source,
        stations,
        chosen_by_request,
        tuple(downtime),
        trajectories(spec, source),
        tuple(locked_stations),
        external_view_periods(spec, source, stations),
        complex_rules(spec, stations, source),
        arrays_by_request,
    )
    object.__setattr__(made, "resolved", True)  # frozen: set once, here alone
    return made
