"""Precomputed view periods given by a scenario (`view_periods: FILE.csv`) instead of computed ones.

The file has docs/design.md's columns `station,target,start,end,max_elevation_deg` (max elevation may
be empty). A station cell names one scenario station, or an array of them joined by `+`
(`DSS-34+DSS-35`): the interval in which the array as a whole may track the target, every
member antenna being occupied by a track on it. Rows are clipped to the planning horizon.
"""

from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from scheduler.csv_cells import restored
from scheduler.errors import InputError
from scheduler.inputs.paths import checked_file, what_it_is
from scheduler.timeutil import parse_time_column

COLUMNS = ["station", "target", "start", "end", "max_elevation_deg"]
ARRAY_JOIN = "+"
MAX_FILE_BYTES = 200_000_000
FLOOR_TOLERANCE_DEG = 0.01  # rounding of the elevation written


def array_members(station: str) -> tuple[str, ...]:
    """The antennas a view-period station cell names: one, or the members of an array."""
    return tuple(station.split(ARRAY_JOIN))


def read_view_periods(
    path: Path, source: str, stations: dict[str, float], targets: set[str], horizon: tuple[datetime, datetime]
) -> pd.DataFrame:
    """The file's view periods, checked against the scenario (`stations`: each station's lowest
    elevation floor, its min_elevation_deg); bad content raises `InputError`."""
    field = "view_periods"
    fix = "give a CSV with columns station,target,start,end,max_elevation_deg (times ISO-8601 UTC)"
    if what_it_is(path) == "no such file":
        raise InputError(source, field, f"no such file {str(path)!r}", "give the CSV path relative to the scenario")
    checked_file(path, source, field, "a view-period CSV", MAX_FILE_BYTES, "split the horizon")
    try:
        text = {"station": str, "target": str, "max_elevation_deg": str}
        table = restored(pd.read_csv(path, dtype=text, keep_default_na=False))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(source, field, f"{path.name} is not a readable CSV ({exc})".splitlines()[0], fix) from None
    missing = [c for c in COLUMNS[:4] if c not in table.columns]
    if missing:
        raise InputError(source, field, f"{path.name} lacks column {missing[0]!r}", fix)
    if "max_elevation_deg" not in table.columns:
        table["max_elevation_deg"] = float("nan")
    for column in ("start", "end"):
        try:
            table[column] = parse_time_column(table[column])
        except ValueError as error:
            at, why = error.args
            where = f"{field} ({path.name} line {at + 2})"
            raise InputError(source, where, f"{column} {why}", "write times like 2026-12-01T06:30:00Z") from None
    given = table.max_elevation_deg.astype(str).str.strip()
    try:
        table["max_elevation_deg"] = pd.to_numeric(given.where(given != "")).astype(float)
    except (ValueError, TypeError):
        table["max_elevation_deg"] = float("inf")  # refused below
    if not np.isfinite(table.max_elevation_deg[given != ""]).all():
        raise InputError(source, field, f"{path.name}: max_elevation_deg must be a number or empty (finite)", fix)
    _check_rows(table, path.name, source, stations, targets)
    _check_overlaps(table, path.name, source)
    start, end = pd.Timestamp(horizon[0]), pd.Timestamp(horizon[1])
    table["start"] = table.start.clip(lower=start)
    table["end"] = table.end.clip(upper=end)
    table = table[table.end > table.start]
    return table[COLUMNS].sort_values(["station", "target", "start"], kind="stable").reset_index(drop=True)


def _check_rows(table: pd.DataFrame, name: str, source: str, stations: set[str], targets: set[str]) -> None:
    for row, item in enumerate(table.itertuples(index=False), start=2):
        where = f"view_periods ({name} line {row})"
        unknown = [m for m in array_members(str(item.station)) if m not in stations]
        if unknown:
            raise InputError(
                source,
                where,
                f"station {unknown[0]!r} is not a scenario station",
                f"list it under stations:, or join array members with {ARRAY_JOIN!r} (DSS-34+DSS-35)",
            )
        if len(set(array_members(str(item.station)))) != len(array_members(str(item.station))):
            raise InputError(source, where, f"array {item.station!r} names an antenna twice", "name each member once")
        if item.target not in targets:
            raise InputError(source, where, f"unknown target {item.target!r}", "use a target id of the scenario")
        if item.end <= item.start:
            raise InputError(source, where, "end is not after start", "fix or drop the row")
        elevation = item.max_elevation_deg
        floor = min(stations[m] for m in array_members(str(item.station)))
        if elevation == elevation and not floor - FLOOR_TOLERANCE_DEG <= elevation <= 90.0:
            problem = (
                f"max_elevation_deg {elevation:g} is above the zenith"
                if elevation > 90.0
                else f"max_elevation_deg {elevation:g} is below {item.station}'s lowest floor ({floor:g} deg): "
                "the target is never usable in this period"
            )
            raise InputError(source, where, problem, "give the period's highest elevation (degrees), or leave it empty")


def _check_overlaps(table: pd.DataFrame, name: str, source: str) -> None:
    """Periods of one station (or array) and target are disjoint: an overlap means the file is wrong."""
    ordered = table.assign(line=table.index + 2).sort_values(["station", "target", "start"], kind="stable")
    for (station, target), rows in ordered.groupby(["station", "target"], sort=False):
        overlapping = rows.start.to_numpy()[1:] < rows.end.to_numpy()[:-1]
        if overlapping.any():
            at = int(overlapping.argmax())
            first, second = rows.line.iloc[at], rows.line.iloc[at + 1]
            where = f"view_periods ({name} line {second})"
            problem = f"overlaps the period of line {first} for {station} and {target}"
            raise InputError(source, where, problem, "merge overlapping periods into one row")
