"""The `jointtrack` command line (DESIGN.md: Command line)."""

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from scenarios import bundled_names, bundled_path, describe
from scheduler.console import print_plan_summary, step_progress
from scheduler.errors import InfeasibleError, InputError
from scheduler.outputs import write_all, write_atomic
from scheduler.satnet.cli import app as satnet_app
from scheduler.scenario import Scenario, ScenarioSpec, load_scenario
from scheduler.schedule import read_schedule_csv
from scheduler.solve import SolverSettings

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Plan joint tracking schedules for an international deep-space network.",
)
err = Console(stderr=True)
out = Console()

EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL = 1, 2, 3, 70
DEFAULT_SCENARIO = "default"

ScenarioArg = Annotated[str, typer.Argument(help="Scenario YAML file, or the name of a bundled scenario.")]
TimeLimit = Annotated[float, typer.Option("--time-limit", min=0.1, help="Solver time limit, seconds.")]
Workers = Annotated[int, typer.Option("--workers", min=1, max=64, help="Solver threads.")]
Seed = Annotated[int, typer.Option("--seed", min=0, help="Random seed; same seed, same schedule.")]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]


app.add_typer(satnet_app, name="satnet")


def scenario_from(argument: str) -> Scenario:
    """A scenario from a file path, or a bundled scenario by name."""
    path = Path(argument)
    if not path.is_file() and (bundled := bundled_path(argument)) is not None:
        path = bundled
    return load_scenario(path)


@app.command()
def plan(
    scenario: Annotated[
        str | None, typer.Argument(help="Scenario file or bundled name; default: embedded default.")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output directory; default ./plan-<name>.")] = None,
    time_limit: TimeLimit = 25.0,
    workers: Workers = 2,
    seed: Seed = 0,
    solver: Annotated[str, typer.Option("--solver", help="cpsat or greedy.")] = "cpsat",
    window: Annotated[
        str | None, typer.Option("--window", help="Rolling windows for long horizons, e.g. 7d; off: one model.")
    ] = None,
    quiet: Quiet = False,
) -> None:
    """Plan a scenario and write schedule, view periods, reports and a Gantt chart."""
    from scheduler.pipeline import cross_support, plan_files, run_plan

    if solver not in ("cpsat", "greedy"):
        raise InputError("--solver", "", f"unknown solver {solver!r}", "use cpsat or greedy")
    loaded = scenario_from(scenario or DEFAULT_SCENARIO)
    settings = SolverSettings(time_limit, workers, seed, solver)  # type: ignore[arg-type]
    directory = out_dir or Path(f"plan-{loaded.name}")
    check_output_directory(directory)
    with step_progress(err, quiet) as report:
        result = run_plan(loaded, settings, report, window_seconds(window))
        report(f"writing {directory}")
        write_all(directory, plan_files(result))
    if not quiet:
        print_plan_summary(out, result.summary, cross_support(result), directory)


def window_seconds(window: str | None) -> int | None:
    """`--window`: None (automatic), 0 for off, else the window length in seconds."""
    from scheduler.timeutil import parse_duration

    if window is None or window == "off":
        return None if window is None else 0
    try:
        seconds = int(parse_duration(window).total_seconds())
    except ValueError:
        seconds = 0
    if seconds < 3600:
        raise InputError("--window", "", f"{window!r} is not a window length", "write e.g. --window 7d, or off")
    return seconds


def check_output_directory(directory: Path) -> None:
    """Fail before any work when the output directory cannot be one."""
    if directory.exists() and not directory.is_dir():
        raise InputError("--out", "", f"{directory} exists and is not a directory", "give a directory path")
    parent = next((p for p in [directory, *directory.parents] if p.exists()), Path("."))
    if not os.access(parent, os.W_OK):
        raise InputError("--out", "", f"{parent} is not writable", "choose a directory you can write to")


@app.command()
def visibility(
    scenario: ScenarioArg,
    out_file: Annotated[Path | None, typer.Option("--out", help="CSV file; default: standard output.")] = None,
    quiet: Quiet = False,
) -> None:
    """Compute view periods only (station,target,start,end,max_elevation_deg)."""
    from scheduler.visibility import compute_view_periods, view_periods_csv

    loaded = scenario_from(scenario)
    with step_progress(err, quiet) as report:
        report("computing view periods")
        text = view_periods_csv(compute_view_periods(loaded))
    if out_file is None:
        sys.stdout.write(text)
    else:
        write_atomic(out_file, text)


@app.command()
def validate(
    scenario: ScenarioArg,
    schedule_csv: Annotated[Path, typer.Argument(help="schedule.csv to check.")],
) -> None:
    """Independently re-check a schedule; print each violation; exit 1 if any."""
    from scheduler.validate import validate_schedule

    loaded = scenario_from(scenario)
    violations = validate_schedule(loaded, read_schedule_csv(str(schedule_csv)))
    for violation in violations:
        out.print(str(violation), markup=False, highlight=False)
    if violations:
        err.print(f"{len(violations)} violation(s)", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS)
    out.print("schedule valid: 0 violations", markup=False)


SSF_FIX = "give every track a unique track_id, a mission and a station"


@app.command()
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
) -> None:
    """Convert a schedule to CSV, JSON, iCalendar or CCSDS Simple Schedule XML."""
    from scheduler.export import FORMATS, SsfInvalid, context_from_catalog, context_from_scenario

    suffixes = {f.suffix: name for name, f in FORMATS.items()}
    name = form or (suffixes.get(out_file.suffix.lower()) if out_file else None)
    if name not in FORMATS:
        given = f"unknown format {form!r}" if form else "no --format, and no --out suffix that names one"
        raise InputError("--format", "", given, f"use --format {', '.join(FORMATS)}")
    if by not in ("station", "mission"):
        raise InputError("--by", "", f"unknown grouping {by!r}", "use --by station or --by mission")
    schedule = read_schedule_csv(str(schedule_csv))
    if scenario is None:
        context = context_from_catalog(schedule, by)
    else:
        context = context_from_scenario(scenario_from(scenario), by)
    try:
        text = FORMATS[name].write(schedule, context)
    except SsfInvalid as invalid:
        raise InputError(
            str(schedule_csv), "", f"does not make a valid CCSDS Simple Schedule ({invalid})", SSF_FIX
        ) from None
    if out_file is None:
        sys.stdout.write(text)
    else:
        write_atomic(out_file, text)


@app.command()
def repair(
    scenario: ScenarioArg,
    schedule_csv: Annotated[Path, typer.Argument(help="The schedule.csv to repair.")],
    event: Annotated[Path, typer.Option("--event", help="Event YAML: outages, requests, withdrawn (README: Repair).")],
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output directory; default ./repair-<name>.")] = None,
    change_penalty: Annotated[
        float, typer.Option("--change-penalty", min=0, help="Cost of moving a track, × its weighted time.")
    ] = 1.0,
    freeze: Annotated[bool, typer.Option("--freeze", help="Tracks the event leaves untouched never move.")] = False,
    time_limit: TimeLimit = 30.0,
    workers: Workers = 2,
    seed: Seed = 0,
    quiet: Quiet = False,
) -> None:
    """Re-plan after outages or new requests, keeping unaffected tracks; write the plan and diff.csv."""
    from scheduler.repair import repair_command

    loaded = scenario_from(scenario)
    directory = out_dir or Path(f"repair-{loaded.name}")
    check_output_directory(directory)
    with step_progress(err, quiet) as report:
        settings = SolverSettings(time_limit, workers, seed)
        table = repair_command(loaded, schedule_csv, event, directory, settings, report, change_penalty, freeze)
    (out if out.is_terminal else Console(width=160)).print(table)  # piped: keep rows on one line


@app.command()
def sweep(
    scenario: ScenarioArg,
    vary: Annotated[list[str], typer.Option("--vary", help="outages, weather or missions; repeatable.")],
    runs: Annotated[int, typer.Option("--runs", min=1, max=10_000, help="Variants of each kind.")] = 8,
    address: Annotated[
        str | None, typer.Option("--address", help="Dask scheduler, e.g. tcp://host:8786; default: a local cluster.")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output directory; default ./sweep-<name>.")] = None,
    time_limit: TimeLimit = 10.0,
    seed: Seed = 0,
    quiet: Quiet = False,
) -> None:
    """Plan many what-if variants in parallel on Dask; write sweep.csv and sweep.html."""
    from scheduler.sweep import sweep_command

    loaded = scenario_from(scenario)
    directory = out_dir or Path(f"sweep-{loaded.name}")
    check_output_directory(directory)
    with step_progress(err, quiet) as report:
        settings = SolverSettings(time_limit, 1, seed)
        table = sweep_command(loaded, tuple(vary), runs, settings, address, directory, report)
    (out if out.is_terminal else Console(width=160)).print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the scenario format."""
    sys.stdout.write(json.dumps(ScenarioSpec.model_json_schema(), indent=2) + "\n")


@app.command()
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
        print_stations(chosen)


def print_stations(chosen: list) -> None:
    """The catalog as a table; the full source of each entry is in `--format csv|json`."""
    table = Table(title=f"jointtrack stations — {len(chosen)} entries", header_style="bold")
    numeric = ("lat", "lon", "h (m)", "min el")
    for column in ("id", "agency", "complex", "kind", *numeric[:3], "aperture", "bands", numeric[3]):
        table.add_column(column, no_wrap=True, justify="right" if column in numeric else "left")
    table.add_column("source", no_wrap=True, max_width=60, overflow="ellipsis")
    for s in chosen:
        table.add_row(
            s.id,
            s.agency,
            s.complex,
            s.kind,
            f"{s.lat_deg:.4f}",
            f"{s.effective_lon_deg:.4f}",
            f"{s.height_m:.0f}",
            f"{s.aperture_m:g} m",
            " ".join(s.bands),
            f"{s.min_elevation_deg:g}",
            s.source,
        )
    console = out if out.is_terminal else Console(width=200)  # piped: keep rows on one line
    console.print(table)


@app.command()
def generate(
    seed: Seed = 0,
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=52, help="Weeks to plan.")] = 1,
    out_file: Annotated[Path | None, typer.Option("--out", help="Scenario YAML to write; default: stdout.")] = None,
) -> None:
    """Write a synthetic DSN-scale scenario; the same seed gives the same file."""
    from scheduler.synthetic_scenario import scenario_text, summary_line

    text = scenario_text(seed, weeks)
    if out_file is None:
        sys.stdout.write(text)
    else:
        write_atomic(out_file, text)
    err.print(summary_line(seed, weeks), markup=False, highlight=False, soft_wrap=True)


@app.command()
def scenarios() -> None:
    """List the bundled scenarios."""
    for name in bundled_names():
        out.print(f"{name:<20} {describe(name)}", markup=False, highlight=False, soft_wrap=True)


def _run(entry: Callable[[], object]) -> int:
    """Run the CLI, turning our errors into one line and an exit code (DESIGN.md)."""
    try:
        entry()
    except SystemExit as exc:  # typer/click finished: usage errors already printed (exit 2)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_BAD_INPUT)
    except InputError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_BAD_INPUT
    except InfeasibleError as exc:
        err.print(f"infeasible: {exc}", markup=False, highlight=False, soft_wrap=True)
        return EXIT_INFEASIBLE
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return 130
    except OSError as exc:  # a file system refusal while writing outputs
        where = f" {exc.filename}" if exc.filename else ""
        err.print(
            f"error: cannot write{where}: {exc.strerror or exc}; fix: check the path, permissions and free space",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_BAD_INPUT
    except MemoryError:
        err.print(
            "error: out of memory; fix: plan a shorter horizon or fewer stations and requests",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_BAD_INPUT
    except Exception as exc:
        if os.environ.get("JOINTTRACK_DEBUG"):
            raise
        err.print(
            f"internal error: {type(exc).__name__}: {exc} (set JOINTTRACK_DEBUG=1 for a traceback)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        return EXIT_INTERNAL
    return 0


def main() -> None:
    sys.exit(_run(app))
