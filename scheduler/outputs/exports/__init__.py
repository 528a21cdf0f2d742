"""Exports of a schedule: CSV and JSON for programs, iCalendar for people, CCSDS Simple
Schedule XML for other networks' schedulers. Each format has a writer and a reader, so every
export can be read back into the schedule it came from."""

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from scheduler.outputs.exports.context import (
    STATUSES,
    ExportContext,
    ScheduleStatus,
    context_from_catalog,
    context_from_scenario,
    generation_time,
)
from scheduler.outputs.exports.csv_format import read_csv, write_csv
from scheduler.outputs.exports.ics import read_ics, write_ics
from scheduler.outputs.exports.json_format import read_json, write_json
from scheduler.outputs.exports.ssf import SsfInvalid, read_ssf, validate_ssf, write_ssf


@dataclass(frozen=True)
class Format:
    suffix: str
    write: Callable[[pd.DataFrame, ExportContext], str]
    read: Callable[[str], pd.DataFrame]


FORMATS: dict[str, Format] = {
    "csv": Format(".csv", write_csv, read_csv),
    "json": Format(".json", write_json, read_json),
    "ics": Format(".ics", write_ics, read_ics),
    "xml": Format(".xml", write_ssf, read_ssf),
}

__all__ = [
    "FORMATS",
    "STATUSES",
    "ExportContext",
    "Format",
    "ScheduleStatus",
    "SsfInvalid",
    "context_from_catalog",
    "context_from_scenario",
    "generation_time",
    "validate_ssf",
]
