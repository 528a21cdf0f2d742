"""The `jointtrack` command line (DESIGN.md: Command line)."""

import json
import os
import sys
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from scenarios import bundled_names, bundled_path, describe
from scheduler.errors import InfeasibleError, InputError
from scheduler.outputs import write_all, write_atomic
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


def scenario_from(argument: str) -> Scenario:
    """A scenario from a file path, or a bundled scenario by name."""
    path = Path(argument)
    if not path.exists() and (bundled := bundled_path(argument)) is not None:
        path = bundled
    return load_scenario(path)


@contextmanager
def progress(quiet: bool):
    """A spinner with a status line on a terminal; silent otherwise."""
    if quiet or not sys.stderr.isatty():
        yield lambda _message: None
        return
    with err.status("working") as status:
        yield lambda message: status.update(message)


@app.command()
def plan(
    scenario: Annotated[
        str | None, typer.Argument(help="Scenario file or bundled name; default: embedded default.")
    ] = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output directory; default ./plan-<name>.")] = None,
    time_limit: TimeLimit = 30.0,
    workers: Workers = 2,
    seed: Seed = 0,
    solver: Annotated[str, typer.Option("--solver", help="cpsat or greedy.")] = "cpsat",
    quiet: Quiet = False,
) -> None:
    """Plan a scenario and write schedule, view periods, reports and a Gantt chart."""
    from scheduler.pipeline import plan_files, run_plan

    if solver not in ("cpsat", "greedy"):
        raise InputError("--solver", "", f"unknown solver {solver!r}", "use cpsat or greedy")
    loaded = scenario_from(scenario or DEFAULT_SCENARIO)
    settings = SolverSettings(time_limit, workers, seed)
    with progress(quiet) as report:
        result = run_plan(loaded, settings, report)
    directory = out_dir or Path(f"plan-{loaded.name}")
    write_all(directory, plan_files(result))
    if not quiet:
        print_summary(result.summary, directory)


def print_summary(facts: dict, directory: Path) -> None:
    table = Table(title=f"jointtrack plan — {facts['scenario']}", show_header=False)
    for label, value in [
        ("status", f"{facts['status']} (gap {facts['gap']:.2%})"),
        ("tracks", facts["tracks"]),
        ("requests satisfied", f"{facts['satisfied_requests']} / {facts['requests']}"),
        ("hours scheduled / requested", f"{facts['scheduled_hours']:.1f} / {facts['requested_hours']:.1f}"),
        ("U_max / U_rms", f"{facts['U_max']:.3f} / {facts['U_rms']:.3f}"),
        ("wall time", f"{facts['wall_s']:.1f} s"),
        ("outputs", str(directory)),
    ]:
        table.add_row(label, str(value))
    out.print(table)


@app.command()
def visibility(
    scenario: ScenarioArg,
    out_file: Annotated[Path | None, typer.Option("--out", help="CSV file; default: standard output.")] = None,
) -> None:
    """Compute view periods only (station,target,start,end,max_elevation_deg)."""
    from scheduler.visibility import compute_view_periods, view_periods_csv

    text = view_periods_csv(compute_view_periods(scenario_from(scenario)))
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
def scenarios() -> None:
    """List the bundled scenarios."""
    for name in bundled_names():
        out.print(f"{name:<20} {describe(name)}", markup=False, highlight=False)


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
