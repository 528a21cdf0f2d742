"""`stations`, `scenarios`, `schema`, `generate`: what the network and the scenario format offer."""

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.options import Seed, err, out, print_wide, write_text
from scheduler.errors import InputError
from scheduler.settings import SEED


def stations(
    agency: Annotated[str | None, typer.Option("--agency", help="Only this agency (e.g. NASA, ESA).")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="radio or optical.")] = None,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", help="Selector as in scenarios (DSS-*, band:Ka, aperture>=34); repeatable."),
    ] = None,
    output: Annotated[str, typer.Option("--format", help="table, csv or json.")] = "table",
) -> None:
    """List the station catalog: position, aperture, bands, limits and the source of each entry."""
    from scheduler.cli.console import stations_table
    from stations import load_catalog, resolve_stations
    from stations.records import stations_csv, stations_json
    from stations.selectors import SelectorError

    if output not in ("table", "csv", "json"):
        raise InputError("--format", "", f"unknown format {output!r}", "use table, csv or json")
    if kind is not None and kind not in ("radio", "optical"):
        raise InputError("--kind", "", f"unknown kind {kind!r}", "use radio or optical")
    chosen = list(load_catalog().values())
    for option, selectors in (("--select", select or []), ("--agency", [f"agency:{agency}"] if agency else [])):
        try:
            chosen = resolve_stations(selectors, chosen) if selectors else chosen
        except SelectorError as exc:
            raise InputError(option, "", str(exc).split(";")[0], "see `jointtrack stations` for the catalog") from None
    chosen = [s for s in chosen if kind is None or s.kind == kind]
    if output == "csv":
        sys.stdout.write(stations_csv(chosen))
    elif output == "json":
        sys.stdout.write(stations_json(chosen))
    else:
        print_wide(stations_table(chosen), width=200)


def scenarios() -> None:
    """List the bundled scenarios."""
    from scenarios import bundled_names, describe

    for name in bundled_names():
        out.print(f"{name:<20} {describe(name)}", markup=False, highlight=False, soft_wrap=True)


def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    from scheduler.inputs import ScenarioSpec

    sys.stdout.write(json.dumps(ScenarioSpec.model_json_schema(), indent=2) + "\n")


def generate(
    seed: Seed = SEED,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=52, help="Weeks to plan.")] = 1,
    out_file: Annotated[Path | None, typer.Option("--out", help="Scenario YAML to write; default: stdout.")] = None,
) -> None:
    """Write a synthetic DSN-scale scenario; the same seed gives the same file."""
    from scheduler.synthetic.scenario_file import scenario_text, summary_line

    write_text(out_file, scenario_text(seed, weeks))
    err.print(summary_line(seed, weeks), markup=False, highlight=False, soft_wrap=True)
