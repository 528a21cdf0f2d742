"""schedule.json: scenario metadata, tool version, the antennas used and every track."""

import json

import pandas as pd

from scheduler.outputs.exports.context import ExportContext
from scheduler.outputs.exports.records import schedule_from_records, track_records
from scheduler.timeutil import format_time
from scheduler.version import __version__


def write_json(schedule: pd.DataFrame, context: ExportContext) -> str:
    scenario = None
    if context.scenario is not None:
        scenario = {
            "name": context.scenario,
            "start": format_time(context.start) if context.start else None,
            "end": format_time(context.end) if context.end else None,
        }
    used = sorted({str(s) for s in schedule.station})
    document = {
        "tool": "jointtrack",
        "version": __version__,
        "scenario": scenario,
        "stations": {
            s: {
                "name": context.stations[s].name,
                "agency": context.stations[s].agency,
                "complex": context.stations[s].complex,
                "kind": context.stations[s].kind,
            }
            for s in used
            if s in context.stations
        },
        "tracks": track_records(schedule),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read_json(text: str) -> pd.DataFrame:
    """The schedule frame of a schedule.json document."""
    return schedule_from_records(json.loads(text)["tracks"])
