"""Reading a SatNet week (requests JSON + maintenance CSV) into plain data.

Times stay Unix seconds here; `convert.py` turns them into a `Problem`.
"""

import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from scheduler.errors import InputError
from scheduler.inputs.paths import read_capped
from scheduler.satnet.solution import finite_only
from scheduler.satnet.values import (
    ARRAY_SEPARATOR,
    hours,
    minutes,
    name,
    resource_antennas,
    unix_time,
    whole,
)

MAX_FILE_BYTES = 50_000_000  # a SatNet week is about 2 MB
SPLIT_FROM_S = 8 * 3600  # requests this long or longer may be split …
SEGMENT_MIN_S = 4 * 3600  # … into tracks at least this long
MAINTENANCE_COLUMNS = ("starttime", "endtime", "antenna")
REQUEST_KEYS = (
    "subject",
    "track_id",
    "duration",
    "duration_min",
    "setup_time",
    "teardown_time",
    "time_window_start",
    "time_window_end",
    "resource_vp_dict",
)


@dataclass(frozen=True)
class ViewPeriod:
    """[trx_on, trx_off]: when a resource may be on target for a request (Unix seconds)."""

    trx_on: int
    trx_off: int


@dataclass(frozen=True)
class Request:
    """One SatNet request; durations, setup and teardown in seconds."""

    track_id: str
    subject: int
    duration: int
    duration_min: int
    setup: int
    teardown: int
    window: tuple[int, int]
    view_periods: dict[str, tuple[ViewPeriod, ...]]  # by resource name

    @property
    def splittable(self) -> bool:
        return self.duration >= SPLIT_FROM_S


@dataclass(frozen=True)
class Maintenance:
    antenna: str
    start: int
    end: int


@dataclass(frozen=True)
class Week:
    name: str
    requests: tuple[Request, ...]
    maintenance: tuple[Maintenance, ...]

    @property
    def antennas(self) -> tuple[str, ...]:
        found = {a for r in self.requests for res in r.view_periods for a in antennas_of(res)}
        return tuple(sorted(found | {m.antenna for m in self.maintenance}))

    def request(self, track_id: str) -> Request:
        return self._by_id()[track_id]

    def _by_id(self) -> dict[str, Request]:
        return {r.track_id: r for r in self.requests}


def antennas_of(resource: str) -> tuple[str, ...]:
    """The antennas a resource occupies: one, or every member of an array (checked on reading)."""
    return tuple(resource.split(ARRAY_SEPARATOR))


def read_week(problem_file: str | Path, maintenance_file: str | Path | None) -> Week:
    """A week's requests and (optionally) its maintenance; bad files raise `InputError`."""
    requests = read_requests(problem_file)
    maintenance = read_maintenance(maintenance_file) if maintenance_file is not None else ()
    return Week(Path(problem_file).stem, requests, maintenance)


def read_requests(path: str | Path) -> tuple[Request, ...]:
    source = str(path)
    data = _load_json(path, "a SatNet week (JSON array of requests)")
    if not isinstance(data, list):
        raise InputError(
            source, "", "expected a JSON array of requests", "give a SatNet week file such as W10_2018.json"
        )
    requests = [_request(item, index, source) for index, item in enumerate(data)]
    seen: set[str] = set()
    for index, request in enumerate(requests):
        if request.track_id in seen:
            raise InputError(
                source, f"[{index}].track_id", f"duplicate track_id {request.track_id!r}", "make ids unique"
            )
        seen.add(request.track_id)
    return tuple(requests)


def _load_json(path: str | Path, what: str) -> object:
    data = read_capped(Path(path), str(path), "file", MAX_FILE_BYTES, "split the week")
    try:
        return json.loads(data.decode("utf-8"), parse_constant=finite_only)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(str(path), "", f"not valid JSON ({exc})".splitlines()[0], f"give {what}") from None


def _request(item: object, index: int, source: str) -> Request:
    where = f"[{index}]"
    if not isinstance(item, dict):
        raise InputError(source, where, "a request must be a JSON object", "see the SatNet README for its keys")
    missing = [k for k in REQUEST_KEYS if k not in item]
    if missing:
        raise InputError(source, f"{where}.{missing[0]}", "missing key", "add it (see the SatNet README)")
    track_id = name(item["track_id"], f"{where}.track_id", source, "track_id")
    where = f"[{index}] ({track_id})"
    duration, duration_min = hours(item, "duration", where, source), hours(item, "duration_min", where, source)
    if duration_min > duration:
        raise InputError(source, f"{where}.duration_min", "must be at most duration", "fix the hours")
    setup, teardown = minutes(item, "setup_time", where, source), minutes(item, "teardown_time", where, source)
    window = unix_time(item, "time_window_start", where, source), unix_time(item, "time_window_end", where, source)
    if window[1] < window[0]:
        fix = "swap or fix the times"
        raise InputError(source, f"{where}.time_window_end", "is before time_window_start", fix)
    vp_dict = item["resource_vp_dict"]
    if not isinstance(vp_dict, dict):
        raise InputError(source, f"{where}.resource_vp_dict", "expected an object of resource → view periods", "fix it")
    view_periods = {}
    for resource, vps in vp_dict.items():
        here = f"{where}.resource_vp_dict.{resource}"
        resource_antennas(name(resource, here, source, "resource"), here, source)
        if not isinstance(vps, list):
            raise InputError(source, here, "expected a JSON array of view periods", "write [{...}, ...]")
        view_periods[resource] = tuple(_view_period(vp, f"{here}[{n}]", source) for n, vp in enumerate(vps))
    subject = whole(item, "subject", where, source)
    return Request(track_id, subject, duration, duration_min, setup, teardown, window, view_periods)


def _view_period(vp: object, where: str, source: str) -> ViewPeriod:
    if not isinstance(vp, dict) or "TRX ON" not in vp or "TRX OFF" not in vp:
        raise InputError(source, where, "a view period needs 'TRX ON' and 'TRX OFF'", "give Unix seconds for both")
    on, off = unix_time(vp, "TRX ON", where, source), unix_time(vp, "TRX OFF", where, source)
    if off < on:
        raise InputError(source, where, "TRX OFF is before TRX ON", "swap or fix the times")
    return ViewPeriod(on, off)


def read_maintenance(path: str | Path) -> tuple[Maintenance, ...]:
    source = str(path)
    data = read_capped(Path(path), source, "file", MAX_FILE_BYTES, "split the maintenance file")
    try:
        frame = pd.read_csv(io.StringIO(data.decode("utf-8")), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(
            source, "", f"not a CSV file ({exc})", "give week,year,starttime,endtime,antenna rows"
        ) from None
    missing = [c for c in MAINTENANCE_COLUMNS if c not in frame.columns]
    if missing:
        raise InputError(source, missing[0], "missing column", "give week,year,starttime,endtime,antenna columns")
    rows = []
    for index, row in enumerate(frame.to_dict(orient="records")):
        where = f"row {index + 2}"
        times = {}
        for key in ("starttime", "endtime"):
            try:
                times[key] = float(row[key])
            except ValueError:
                raise InputError(source, f"{where}.{key}", f"{row[key]!r} is not Unix seconds", "fix it") from None
        start, end = unix_time(times, "starttime", where, source), unix_time(times, "endtime", where, source)
        if end < start:
            raise InputError(source, where, "endtime is before starttime", "swap or fix the times")
        rows.append(Maintenance(name(row["antenna"], f"{where}.antenna", source, "antenna"), start, end))
    return tuple(rows)
