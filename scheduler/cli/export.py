"""`export`: a schedule as CSV, JSON, iCalendar or CCSDS Simple Schedule XML (README: Exports)."""

from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.options import scenario_from, write_text
from scheduler.errors import InputError

SUFFIXES = {".csv": "csv", ".json": "json", ".ics": "ics", ".xml": "xml"}


def export(
    schedule_csv: Annotated[Path, typer.Argument(help="schedule.csv to convert.")],
    form: Annotated[
        str | None, typer.Option("--format", help="csv, json, ics or xml; default: from the --out file's suffix.")
    ] = None,
    out_file: Annotated[Path | None, typer.Option("--out", help="File to write; default: standard output.")] = None,
    scenario: Annotated[
        str | None,
        typer.Option(
            "--scenario",
            help="The schedule's scenario (file or bundled name): its name, horizon and stations. "
            "Default: antennas are looked up in the station catalog.",
        ),
    ] = None,
    by: Annotated[str, typer.Option("--by", help="Group calendar events by station or mission.")] = "station",
    status: Annotated[
        str,
        typer.Option(
            "--status", help="provisional (a plan or proposal) or operational (the agreed baseline): XML and iCalendar."
        ),
    ] = "provisional",
) -> None:
    """Convert a schedule to CSV, JSON, iCalendar or CCSDS Simple Schedule XML."""
    from scheduler import api

    name = form or (SUFFIXES.get(out_file.suffix.lower()) if out_file else None)
    if name not in SUFFIXES.values():
        given = f"unknown format {form!r}" if form else "no --format, and no --out suffix that names one"
        raise InputError("--format", "", given, f"use --format {', '.join(SUFFIXES.values())}")
    if by not in ("station", "mission"):
        raise InputError("--by", "", f"unknown grouping {by!r}", "use --by station or --by mission")
    if status not in ("provisional", "operational"):
        raise InputError("--status", "", f"unknown status {status!r}", "use --status provisional or operational")
    context = None if scenario is None else scenario_from(scenario)
    text = api.export(schedule_csv, name, scenario=context, by=by, status=status)  # type: ignore[arg-type]
    write_text(out_file, text)
