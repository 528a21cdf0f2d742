"""schedule.csv: docs/design.md's columns, one row per antenna per track."""

import io

import pandas as pd

from scheduler.csv_cells import restored
from scheduler.outputs.exports.context import ExportContext
from scheduler.outputs.exports.records import schedule_from_records
from scheduler.outputs.schedule_table import schedule_csv


def write_csv(schedule: pd.DataFrame, _context: ExportContext) -> str:
    return schedule_csv(schedule)


def read_csv(text: str) -> pd.DataFrame:
    table = restored(pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False))
    return schedule_from_records(table.to_dict(orient="records"))
