"""Catalog entries as flat records for `jointtrack stations --format csv|json`.

The records use the catalog's own keys and units, so a JSON record can be pasted into a
scenario as an inline station.
"""

import csv
import io
import json
from datetime import timedelta

from scheduler.csv_cells import neutralise
from scheduler.timeutil import format_duration
from stations.model import Station

COLUMNS = (
    "id",
    "name",
    "agency",
    "complex",
    "country",
    "kind",
    "lat_deg",
    "lon_deg",
    "height_m",
    "aperture_m",
    "bands",
    "receive",
    "min_elevation_deg",
    "horizon_mask",
    "setup",
    "teardown",
    "sun_max_elevation_deg",
    "min_sun_separation_deg",
    "min_moon_separation_deg",
    "itrf_m",
    "itrf_frame",
    "source",
)


def station_record(station: Station) -> dict:
    """One station as plain JSON-ready values (durations as `45m`, mask as [[az, el], ...])."""
    record = station.model_dump(include=set(COLUMNS))
    for key, value in record.items():
        if isinstance(value, timedelta):
            record[key] = format_duration(value.total_seconds())
        elif isinstance(value, tuple):
            record[key] = [list(v) if isinstance(v, tuple) else v for v in value]
    return {key: record[key] for key in COLUMNS}


def stations_json(stations: list[Station]) -> str:
    return json.dumps([station_record(s) for s in stations], indent=2, ensure_ascii=False) + "\n"


def stations_csv(stations: list[Station]) -> str:
    """One row per station; bands separated by spaces, mask and ITRF position as JSON arrays,
    G/T per band (`receive`) as a JSON object."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for station in stations:
        record = station_record(station)
        record["bands"] = " ".join(record["bands"])
        for key in ("horizon_mask", "itrf_m", "receive"):
            record[key] = "" if record[key] in (None, {}) else json.dumps(record[key], ensure_ascii=False)
        writer.writerow({k: "" if v is None else neutralise(v) if isinstance(v, str) else v for k, v in record.items()})
    return buffer.getvalue()
