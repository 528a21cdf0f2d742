"""Which stations a scenario, a request or a downtime entry means: catalog picks, overrides, inline ones."""

from collections.abc import Iterable, Mapping

from pydantic import ValidationError

from scheduler.errors import InputError
from scheduler.inputs.messages import fix_for
from scheduler.inputs.requests import RequestSpec
from scheduler.inputs.spec import ScenarioSpec
from scheduler.inputs.view_period_csv import ARRAY_JOIN
from stations import Station, load_catalog, resolve_stations
from stations.model import StationOverride, apply_override
from stations.selectors import SelectorError


def scenario_stations(spec: ScenarioSpec, source: str) -> tuple[Station, ...]:
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
        for station in select_stations([entry], catalog.values(), source, f"stations[{index}]", fix):
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
                fix_for(error["type"], error["msg"], field_name),
            ) from None
    return stations


def request_station_ids(
    request: RequestSpec, stations: tuple[Station, ...], source: str, where: str
) -> tuple[str, ...]:
    """Ids of the stations a request may use alone (all of the scenario's when it names none)."""
    if request.stations is None:
        return tuple(s.id for s in stations)
    selectors = [s for s in request.stations if ARRAY_JOIN not in s]
    if not selectors:
        return ()
    fix = "name stations listed under the scenario's stations: key"
    picked = select_stations(selectors, stations, source, f"{where}.stations", fix, " among the scenario's stations")
    return tuple(s.id for s in picked)


def request_arrays(
    request: RequestSpec, stations: tuple[Station, ...], source: str, where: str
) -> tuple[tuple[str, ...], ...]:
    """The explicit arrays a request lists among its stations ("DSS-34+DSS-35"), members sorted."""
    known = {s.id for s in stations}
    arrays: list[tuple[str, ...]] = []
    for index, entry in enumerate(request.stations or ()):
        if ARRAY_JOIN not in entry:
            continue
        members = tuple(m.strip() for m in entry.split(ARRAY_JOIN))
        field_name = f"{where}.stations[{index}]"
        unknown = [m for m in members if m not in known]
        if unknown:
            raise InputError(
                source, field_name, f"array member {unknown[0]!r} is not a scenario station", "name scenario stations"
            )
        if len(set(members)) != len(members):
            raise InputError(source, field_name, f"array {entry!r} names an antenna twice", "name each member once")
        if request.array is not None or request.complexes is not None:
            raise InputError(
                source,
                field_name,
                "an explicit array cannot be combined with array: or complexes:",
                "list the arrays the request may use, or give array:/complexes: and plain stations",
            )
        arrays.append(tuple(sorted(members)))
    return tuple(dict.fromkeys(arrays))


def select_stations(
    selectors: Iterable[str], pool: Iterable[Station], source: str, field_name: str, fix: str, context: str = ""
) -> list[Station]:
    """`resolve_stations`, with a selector that matches nothing reported as an InputError on `field_name`."""
    try:
        return resolve_stations(selectors, pool)
    except SelectorError as exc:
        raise InputError(source, field_name, str(exc).split(";")[0] + context, fix) from None
