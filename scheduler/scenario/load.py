"""Reading a scenario file into a validated, cross-checked `Scenario`.

Every problem becomes an `InputError` naming the file, the field and the fix.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd
import yaml
from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.external_view_periods import read_view_periods
from scheduler.scenario.model import ScenarioSpec
from scheduler.scenario.requests import RequestSpec
from scheduler.scenario.targets import TargetSpec
from scheduler.timeutil import DURATION_HINT, TIME_HINT, format_duration, format_time
from scheduler.trajectory import Trajectory, TrajectoryError, read_oem
from stations import Station, load_catalog, resolve_stations
from stations.model import StationOverride, apply_override
from stations.selectors import SelectorError

MAX_FILE_BYTES = 50_000_000


class _TextTimesLoader(yaml.SafeLoader):
    """Safe YAML that leaves timestamps as text, so that time validation names the field."""


_TextTimesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(text: str) -> object:
    """Parse YAML safely, timestamps kept as strings."""
    return yaml.load(text, Loader=_TextTimesLoader)  # a SafeLoader subclass: safe


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


def load_scenario(path: str | Path) -> Scenario:
    """Read, validate and resolve a scenario file."""
    file = Path(path)
    if not file.is_file():
        raise InputError(str(path), "", "no such scenario file", "give the path of a scenario YAML file")
    if file.stat().st_size > MAX_FILE_BYTES:
        raise InputError(str(path), "", "file is larger than 50 MB", "split the scenario")
    try:
        text = file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(str(path), "", "not UTF-8 text", "save the scenario as UTF-8 YAML") from None
    return load_scenario_text(text, str(path))


def load_scenario_text(text: str, source: str = "<scenario>") -> Scenario:
    """Validate scenario YAML text; `source` names it in error messages."""
    data = _parse_yaml(text, source)
    try:
        spec = ScenarioSpec.model_validate(data)
    except ValidationError as exc:
        raise _input_error(exc, data, source) from None
    return _resolve(spec, source)


def _parse_yaml(text: str, source: str) -> dict:
    try:
        data = read_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise InputError(
            source, where, f"YAML syntax error: {problem}", "fix the YAML syntax (indentation, colons, quotes)"
        ) from None
    if data is None:
        raise InputError(
            source, "", "the file is empty", "write a scenario with name, start, end, stations, targets, requests"
        )
    if not isinstance(data, dict):
        raise InputError(
            source,
            "",
            f"expected a mapping of keys, got {type(data).__name__}",
            "start the file with keys such as name:, start:, end:",
        )
    return data


_UNION_TAGS = frozenset({"str", "Station", "selector", "inline", "override"})


def _location(loc: tuple, data: object) -> str:
    """`requests[2] (MRO-daily).duration` from a pydantic error location."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int):
            label = f"[{item}]"
            node = node[item] if isinstance(node, list | tuple) and item < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                label += f" ({node['id']})"
            parts.append(label)
        elif isinstance(node, dict) and item in node:
            parts.append(f".{item}")
            node = node[item]
        elif item in _UNION_TAGS or "[" in str(item) or "-" in str(item):
            continue  # a union branch or validator tag, not a key the user wrote
        else:
            parts.append(f".{item}")
            node = None
    return "".join(parts).lstrip(".") or "(top level)"


_TYPE_FIXES = {
    "extra_forbidden": "remove or correct this key; `jointtrack schema` lists the allowed keys",
    "missing": "add this key",
    "tuple_type": "write a YAML list (one '- item' per line, or [a, b])",
    "list_type": "write a YAML list (one '- item' per line, or [a, b])",
    "too_short": "give at least one entry",
    "dict_type": "write a mapping of key: value pairs",
    "model_type": "write a mapping of key: value pairs",
    "model_attributes_type": "write a mapping of key: value pairs",
    "int_parsing": "write a whole number",
    "int_type": "write a whole number",
    "int_from_float": "write a whole number",
    "float_parsing": "write a number",
    "float_type": "write a number",
    "bool_parsing": "write true or false",
    "bool_type": "write true or false",
    "string_type": "write text (quote it if YAML reads it as something else)",
    "literal_error": "use one of the values listed",
    "string_pattern_mismatch": "use ASCII letters, digits, '-', '_' or '.' (names: lowercase, digits, '-')",
    "string_too_long": "shorten it",
}


def _fix_for(kind: str, message: str, field_name: str) -> str:
    lowered = message.lower()
    if kind in _TYPE_FIXES:
        return _TYPE_FIXES[kind]
    if "duration" in lowered or field_name in ("duration", "min_duration", "max_duration", "setup", "teardown"):
        return DURATION_HINT
    if "iso-8601" in lowered or "after start" in lowered:
        return TIME_HINT + ", with end after start"
    if "longer than a year" in lowered:
        return "plan at most a year at a time"
    if kind.startswith(("greater", "less")):
        return "use a value in the allowed range"
    if "mask point" in lowered:
        return "write the mask as [azimuth_deg, elevation_deg] pairs, azimuth 0..360, elevation -5..90"
    return "correct the value"


def _input_error(exc: ValidationError, data: object, source: str) -> InputError:
    error = _most_specific(exc.errors())
    where = _location(tuple(error["loc"]), data)
    message = error["msg"].removeprefix("Value error, ")
    got = error.get("input")
    if (
        error["type"] not in ("missing", "model_type")
        and isinstance(got, str | int | float)
        and repr(got) not in message
    ):
        message += f" (got {got!r})"
    last = next((str(p) for p in reversed(error["loc"]) if isinstance(p, str)), "")
    return InputError(source, where, message, _fix_for(error["type"], message, last))


def _most_specific(errors: list[dict]) -> dict:
    """The error the user most likely made; union branches that failed on type go last."""

    def rank(error: dict) -> int:
        if error["type"] == "extra_forbidden":
            return -1  # a misspelt key also shows up as the missing key it was meant to be
        return 1 if error["type"] in ("string_type", "model_type", "dict_type") else 0

    return sorted(errors, key=rank)[0]


def _resolve(spec: ScenarioSpec, source: str) -> Scenario:
    stations = _scenario_stations(spec, source)
    _check_unique([t.id for t in spec.targets], "targets", source)
    _check_unique([r.id for r in spec.requests], "requests", source)
    target_ids = {t.id for t in spec.targets}
    horizon = spec.end - spec.start
    request_stations: dict[str, tuple[str, ...]] = {}
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
        _check_resolution(request, spec.resolution, source, where)
        request_stations[request.id] = _request_stations(request, stations, source, where)
        _check_together(request, [s for s in stations if s.id in request_stations[request.id]], source, where)
        _check_window(request, spec, source, where)
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
        picked = _select(locked.stations, stations, source, f"{where}.stations", fix, " among the scenario's stations")
        locked_stations.append(tuple(s.id for s in picked))
    downtime = []
    for index, outage in enumerate(spec.downtime):
        fix = "name a station of this scenario (id or selector)"
        picked = _select([outage.station], stations, source, f"downtime[{index}].station", fix)
        downtime.append(tuple(s.id for s in picked))
    return Scenario(
        spec,
        source,
        stations,
        request_stations,
        tuple(downtime),
        _trajectories(spec, source),
        tuple(locked_stations),
        _external_view_periods(spec, source, stations),
    )


def _external_view_periods(spec: ScenarioSpec, source: str, stations: tuple[Station, ...]) -> pd.DataFrame | None:
    if spec.view_periods is None:
        return None
    base = Path(source).parent if Path(source).is_file() else Path.cwd()
    ids, targets = {s.id for s in stations}, {t.id for t in spec.targets}
    return read_view_periods(base / spec.view_periods, source, ids, targets, (spec.start, spec.end))


def _trajectories(spec: ScenarioSpec, source: str) -> dict[str, Trajectory]:
    """Each OEM target's file, read once; paths are relative to the scenario file."""
    base = Path(source).parent if Path(source).is_file() else Path.cwd()
    found = {}
    for index, target in enumerate(spec.targets):
        if target.oem is None:
            continue
        where = f"targets[{index}] ({target.id}).oem"
        path = base / target.oem
        if not path.is_file():
            raise InputError(
                source, where, f"no such file {str(path)!r}", "give the OEM path relative to the scenario file"
            )
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


def _scenario_stations(spec: ScenarioSpec, source: str) -> tuple[Station, ...]:
    """Catalog stations picked by selectors, with any overrides applied, and inline stations, each once."""
    catalog = load_catalog()
    overridden = _overridden_catalog(spec, catalog, source)
    chosen: dict[str, Station] = {}
    inline_ids: set[str] = set()
    for index, entry in enumerate(spec.stations):
        if isinstance(entry, Station):
            if entry.id in inline_ids:
                raise InputError(
                    source,
                    f"stations[{index}].id",
                    f"duplicate station id {entry.id!r}",
                    "give each inline station its own id",
                )
            inline_ids.add(entry.id)
            chosen[entry.id] = entry
            continue
        if isinstance(entry, StationOverride):
            chosen.setdefault(entry.id, overridden[entry.id])
            continue
        fix = "use a catalog id (see `jointtrack stations`), a glob like DSS-*, or a selector like agency:ESA"
        for station in _select([entry], catalog.values(), source, f"stations[{index}]", fix):
            chosen.setdefault(station.id, overridden[station.id])
    return tuple(chosen.values())


def _overridden_catalog(spec: ScenarioSpec, catalog: Mapping[str, Station], source: str) -> dict[str, Station]:
    """The catalog with the scenario's overrides (entries without a position) applied."""
    stations = dict(catalog)
    seen: set[str] = set()
    for index, entry in enumerate(spec.stations):
        if not isinstance(entry, StationOverride):
            continue
        where = f"stations[{index}] ({entry.id})"
        if entry.id not in catalog:
            raise InputError(
                source,
                f"{where}.id",
                f"{entry.id!r} is not a catalog station, and an entry without lat_deg/lon_deg/height_m "
                "can only change a catalog station",
                "use a catalog id (see `jointtrack stations`), or define a new station with kind, lat_deg, "
                "lon_deg and height_m",
            )
        if entry.id in seen:
            raise InputError(source, f"{where}.id", f"second override of {entry.id!r}", "merge the two entries")
        seen.add(entry.id)
        try:
            stations[entry.id] = apply_override(catalog[entry.id], entry)
        except ValidationError as exc:
            error = exc.errors()[0]
            field_name = ".".join(str(p) for p in error["loc"] if isinstance(p, str))
            raise InputError(
                source,
                f"{where}.{field_name}",
                error["msg"].removeprefix("Value error, "),
                _fix_for(error["type"], error["msg"], field_name),
            ) from None
    return stations


def _request_stations(request: RequestSpec, stations: tuple[Station, ...], source: str, where: str) -> tuple[str, ...]:
    if request.stations is None:
        return tuple(s.id for s in stations)
    fix = "name stations listed under the scenario's stations: key"
    picked = _select(request.stations, stations, source, f"{where}.stations", fix, " among the scenario's stations")
    return tuple(s.id for s in picked)


def _select(
    selectors: Iterable[str], pool: Iterable[Station], source: str, field_name: str, fix: str, context: str = ""
) -> list[Station]:
    """`resolve_stations`, with a selector that matches nothing reported as an InputError on `field_name`."""
    try:
        return resolve_stations(selectors, pool)
    except SelectorError as exc:
        raise InputError(source, field_name, str(exc).split(";")[0] + context, fix) from None


def _check_resolution(request: RequestSpec, resolution: timedelta, source: str, where: str) -> None:
    """Scheduled times snap to the resolution, so some multiple of it must lie in min..max duration."""
    step = resolution.total_seconds()
    shortest, longest = request.shortest.total_seconds(), request.longest.total_seconds()
    if -(-shortest // step) * step > longest:
        raise InputError(
            source,
            f"{where}.duration",
            f"no track length in {format_duration(shortest)}..{format_duration(longest)} is a multiple of the "
            f"resolution ({format_duration(step)})",
            "use durations that are multiples of the resolution, or a finer resolution",
        )


def _check_together(request: RequestSpec, allowed: list[Station], source: str, where: str) -> None:
    """Arraying needs N of the request's antennas in one complex; ΔDOR needs N complexes."""
    complexes: dict[str, int] = {}
    for station in allowed:
        complexes[station.complex] = complexes.get(station.complex, 0) + 1
    if request.array is not None and max(complexes.values(), default=0) < request.array:
        raise InputError(
            source,
            f"{where}.array",
            f"no complex has {request.array} of the request's stations",
            "allow more antennas of one complex in stations, or lower array",
        )
    if request.complexes is not None and len(complexes) < request.complexes:
        raise InputError(
            source,
            f"{where}.complexes",
            f"the request's stations span {len(complexes)} complexes, fewer than {request.complexes}",
            "allow stations of more complexes, or lower complexes",
        )


def _check_window(request: RequestSpec, spec: ScenarioSpec, source: str, where: str) -> None:
    window = request.window
    if window is None:
        return
    if window.end <= spec.start or window.start >= spec.end:
        raise InputError(
            source, f"{where}.window", "lies outside the planning horizon", "move the window inside start..end"
        )
    usable = min(window.end, spec.end) - max(window.start, spec.start)
    if usable < request.shortest:
        raise InputError(
            source, f"{where}.window", "is shorter than the requested duration", "widen the window or shorten the track"
        )


def _check_unique(ids: list[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(ids):
        if item in seen:
            raise InputError(source, f"{what}[{index}].id", f"duplicate id {item!r}", "give each entry its own id")
        seen.add(item)


def horizon_seconds(scenario: Scenario) -> float:
    return (scenario.end - scenario.start) / timedelta(seconds=1)
