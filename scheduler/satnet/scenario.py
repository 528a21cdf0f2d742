"""A SatNet week as an ordinary scenario whose view periods are given (`view_periods:`), for `plan`.

Choices, so that `plan` solves exactly the problem `satnet solve` does (`satnet.convert`):
- one target per request, named by its track_id, so that each request keeps exactly its own
  view periods; the target's direction (RA/Dec 0, 0) is a placeholder that nothing uses, since
  the view periods come from the file;
- a request's stations are its resources, each one antenna or an array written `A+B` (its
  members used together for the whole track); each resource's view periods are CSV rows of
  that station cell, so an array keeps its own, and no other combination of antennas exists;
- requests of 8 h or more get `split: {min_segment: 4h}` (segments on any of the resources);
- a request's mission is its subject (`sc-<subject>`), so the mission rule holds by default, as
  `satnet solve` keeps it (rule 5 of `satnet verify`);
- every request has the same priority (SatNet has none; T_S weighs every hour alike) and the
  objective its default weights, as in `satnet solve`;
- SatNet's rules have no start spacing at a complex: `complex_rules` switches the default off at
  every complex of the week's antennas.
"""

import math
import re
from pathlib import Path

import pandas as pd
import yaml

from scheduler.csv_cells import csv_text
from scheduler.errors import InputError
from scheduler.inputs.view_period_csv import ARRAY_JOIN, COLUMNS
from scheduler.satnet.convert import AGENCY, SATNET_PRIORITY
from scheduler.satnet.week import SEGMENT_MIN_S, Request, Week, antennas_of
from scheduler.timeutil import format_time
from stations import load_catalog

ALIGN_S = 3600
IDENTIFIER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,63}$")  # as scenario ids (inputs.fields.Identifier)


def _time(unix: int) -> str:
    return format_time(pd.Timestamp(unix, unit="s", tz="UTC"))


def _name(week: Week) -> str:
    cleaned = "".join(c if c.isalnum() else "-" for c in week.name.lower()).strip("-")
    return f"satnet-{cleaned}"[:64]


def _complexes(week: Week) -> list[str]:
    """The complexes of the week's antennas (catalog), sorted."""
    catalog = load_catalog()
    return sorted({catalog[a].complex for a in week.antennas if a in catalog})


def check_convertible(week: Week, source: str) -> None:
    """A scenario names stations by catalog id and requests by identifier: a week whose antennas
    are not DSN antennas of the catalog, or whose track ids are no identifiers, cannot become one."""
    catalog = load_catalog()
    unknown = [a for a in week.antennas if a not in catalog]
    if unknown:
        problem = f"antenna {unknown[0]!r} is not in the station catalog, so a scenario cannot name it"
        raise InputError(source, "resource_vp_dict", problem, "use DSN antenna ids (DSS-14, DSS-34_DSS-35, …)")
    bad = next((r.track_id for r in week.requests if not IDENTIFIER.match(r.track_id)), None)
    if bad is not None:
        fix = "use track ids of ASCII letters, digits, '-', '_', '.' or ':', at most 64 characters"
        raise InputError(source, "track_id", f"{bad!r} cannot be a scenario request id", fix)


def scenario_files(week: Week, yaml_path: Path) -> dict[Path, str]:
    """The scenario YAML and its view-period CSV (beside it), by path."""
    csv_path = yaml_path.with_name(f"{yaml_path.stem}_view_periods.csv")
    edges = [(vp.trx_on - r.setup, vp.trx_off + r.teardown) for r in week.requests for v in r.view_periods.values()
             for vp in v]  # fmt: skip
    start = min(a for a, _ in edges) // ALIGN_S * ALIGN_S
    end = math.ceil(max(b for _, b in edges) / ALIGN_S) * ALIGN_S
    rows: list[dict] = []
    requests = [_request(r, rows) for r in week.requests]
    spec = {
        "name": _name(week),
        "description": f"SatNet week {week.name}: {len(week.requests)} DSN requests (converted by jointtrack)",
        "start": _time(start),
        "end": _time(end),
        "stations": list(week.antennas),
        "downtime": [
            {"station": m.antenna, "start": _time(max(m.start, start)), "end": _time(min(m.end, end))}
            for m in week.maintenance
            if m.end > start and m.start < end
        ],
        "view_periods": csv_path.name,
        "complex_rules": {name: {"start_spacing": "0s"} for name in _complexes(week)},
        "targets": [{"id": r.track_id, "ra_deg": 0.0, "dec_deg": 0.0} for r in week.requests],
        "requests": requests,
    }
    table = pd.DataFrame(rows, columns=COLUMNS)
    return {yaml_path: yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), csv_path: csv_text(table)}


def _request(request: Request, rows: list[dict]) -> dict:
    """The request's scenario entry; its view-period rows are appended to `rows`."""
    resources = sorted(request.view_periods, key=lambda r: (len(antennas_of(r)), r))
    stations = [ARRAY_JOIN.join(antennas_of(r)) for r in resources]
    for resource, station in zip(resources, stations, strict=True):
        for vp in request.view_periods[resource]:
            rows.append({"station": station, "target": request.track_id, "start": _time(vp.trx_on),
                         "end": _time(vp.trx_off), "max_elevation_deg": ""})  # fmt: skip
    entry: dict = {
        "id": request.track_id,
        "mission": f"sc-{request.subject}",
        "agency": AGENCY,
        "target": request.track_id,
        "priority": SATNET_PRIORITY,
        "min_duration": f"{request.duration_min}s",
        "max_duration": f"{request.duration}s",
        "setup": f"{request.setup}s",
        "teardown": f"{request.teardown}s",
        "window": {"start": _time(request.window[0]), "end": _time(request.window[1])},
        "stations": stations,
    }
    if request.splittable:
        entry["split"] = {"min_segment": f"{SEGMENT_MIN_S}s"}
    return entry
