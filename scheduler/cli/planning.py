"""`plan`, `visibility`, `validate`, `repair`, `propose`, `sweep`: the commands that plan, each a thin layer over
`scheduler.api` and the workflows (docs/design.md: Command line)."""

from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.bounds import print_bound, write_bound
from scheduler.cli.console import diff_table, parties_view, print_plan_summary, step_progress, sweep_table
from scheduler.cli.options import (
    EXIT_VIOLATIONS,
    ChangePenalty,
    Force,
    Quiet,
    ScenarioArg,
    Seed,
    TimeLimit,
    Workers,
    err,
    out,
    parse_now,
    planning_run,
    print_wide,
    scenario_from,
    write_text,
)
from scheduler.errors import InputError
from scheduler.settings import CHANGE_PENALTY, SEED, SOLVERS, SWEEP_TIME_LIMIT_S, TIME_LIMIT_S, WORKERS

DEFAULT_SCENARIO = "default"
OutDir = Annotated[Path | None, typer.Option("--out", help="Output directory; default ./<command>-<name>.")]


def plan(
    scenario: Annotated[
        str | None, typer.Argument(help="Scenario file or bundled name; default: embedded default.")
    ] = None,
    out_dir: OutDir = None,
    time_limit: TimeLimit = TIME_LIMIT_S,
    workers: Workers = WORKERS,
    seed: Seed = SEED,
    solver: Annotated[str, typer.Option("--solver", help="cpsat or greedy.")] = SOLVERS[0],
    window: Annotated[
        str | None, typer.Option("--window", help="Rolling windows for long horizons, e.g. 7d; off: one model.")
    ] = None,
    bound_only: Annotated[
        bool, typer.Option("--bound-only", help="Only the relaxation bound: print its curve, write bound.json.")
    ] = False,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Plan a scenario and write schedule, view periods, reports and a Gantt chart."""
    from scheduler import api
    from scheduler.outputs.plan_outputs import cross_support

    if bound_only:
        from scheduler.workflows.plan import run_bound

        with planning_run(scenario or DEFAULT_SCENARIO, out_dir, "bound", quiet, force) as (loaded, directory, report):
            problem, relaxed = run_bound(loaded, time_limit, report)
            document = write_bound(directory, problem, relaxed, force)
        print_bound(document)
        return
    with planning_run(scenario or DEFAULT_SCENARIO, out_dir, "plan", quiet, force) as (loaded, directory, report):
        result = api.plan(
            loaded,
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            solver=solver,  # type: ignore[arg-type]
            window_s=window_seconds(window),
            progress=report,
        )
        report(f"writing {directory}")
        result.write(directory, force)
    if not quiet:
        print_plan_summary(out, result.summary, cross_support(result), directory)


def window_seconds(window: str | None) -> int | None:
    """`--window`: None (automatic), 0 for off, else the window length in seconds."""
    from scheduler.timeutil import parse_duration

    if window is None or window == "off":
        return None if window is None else 0
    try:
        seconds = int(parse_duration(window).total_seconds())
    except (ValueError, OverflowError):
        raise InputError(
            "--window", "", f"{window!r} is not a window length", "write e.g. --window 7d, or off"
        ) from None
    return seconds


def visibility(
    scenario: ScenarioArg,
    out_file: Annotated[Path | None, typer.Option("--out", help="CSV file; default: standard output.")] = None,
    quiet: Quiet = False,
) -> None:
    """Compute view periods only (station,target,start,end,max_elevation_deg)."""
    from scheduler import api
    from scheduler.sky.visibility import view_periods_csv

    loaded = scenario_from(scenario)
    with step_progress(err, quiet) as report:
        report("computing view periods")
        text = view_periods_csv(api.view_periods(loaded))
    write_text(out_file, text)


def validate(
    scenario: ScenarioArg,
    schedule_csv: Annotated[Path, typer.Argument(help="schedule.csv to check.")],
    now: Annotated[
        str | None, typer.Option("--now", help="Rows begun before this UTC time are history: not judged alone.")
    ] = None,
) -> None:
    """Independently re-check a schedule; print each violation; exit 1 if any."""
    from scheduler import api

    loaded = scenario_from(scenario)
    violations = api.validate(loaded, schedule_csv, now=parse_now(now))  # type: ignore[arg-type]
    for violation in violations:
        out.print(str(violation), markup=False, highlight=False, soft_wrap=True)  # one line each
    for note in api.validation_notes(loaded, schedule_csv):  # soft rules: reported, not violations
        out.print(f"note: {note}", markup=False, highlight=False, soft_wrap=True)
    if violations:
        err.print(f"{len(violations)} violation(s)", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS)
    out.print("schedule valid: 0 violations", markup=False)


def repair(
    scenario: ScenarioArg,
    schedule_csv: Annotated[Path, typer.Argument(help="The schedule.csv to repair.")],
    event: Annotated[Path, typer.Option("--event", help="Event YAML: outages, requests, withdrawn (README: Repair).")],
    out_dir: OutDir = None,
    change_penalty: ChangePenalty = CHANGE_PENALTY,
    freeze: Annotated[bool, typer.Option("--freeze", help="Tracks the event leaves untouched never move.")] = False,
    time_limit: TimeLimit = TIME_LIMIT_S,
    workers: Workers = WORKERS,
    seed: Seed = SEED,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Re-plan after outages or new requests, keeping unaffected tracks; write the plan and diff.csv."""
    from scheduler import api

    with planning_run(scenario, out_dir, "repair", quiet, force) as (loaded, directory, report):
        result = api.repair(
            loaded,
            schedule_csv,
            event,
            change_penalty=change_penalty,
            freeze=freeze,
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            progress=report,
        )
        report(f"writing {directory}")
        result.write(directory, force)
    print_wide(diff_table(result.diff))


def propose(
    scenario: ScenarioArg,
    baseline_csv: Annotated[Path, typer.Argument(help="The baseline schedule.csv the agencies agreed to.")],
    out_dir: OutDir = None,
    now: Annotated[
        str | None, typer.Option("--now", help="When the proposal is made (UTC), for the freeze; default: now.")
    ] = None,
    withdrawn: Annotated[
        list[str] | None, typer.Option("--withdrawn", help="A request gone since the baseline; repeatable.")
    ] = None,
    change_penalty: ChangePenalty = CHANGE_PENALTY,
    time_limit: TimeLimit = TIME_LIMIT_S,
    workers: Workers = WORKERS,
    seed: Seed = SEED,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Propose the next baseline: re-plan the current requests with as few changes to BASELINE_CSV as
    it takes; write the plan, diff.csv and parties.csv (who must consent)."""
    from scheduler import api
    from scheduler.timeutil import format_time

    with planning_run(scenario, out_dir, "propose", quiet, force) as (loaded, directory, report):
        result = api.propose(
            loaded,
            baseline_csv,
            now=now,
            withdrawn=withdrawn or (),
            change_penalty=change_penalty,
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            progress=report,
        )
        report(f"writing {directory}")
        result.write(directory, force)
    print_wide(diff_table(result.diff, command="propose"))
    print_wide(parties_view(result.parties, format_time(result.respond_by)))


def sweep(
    scenario: ScenarioArg,
    vary: Annotated[list[str], typer.Option("--vary", help="outages, weather or missions; repeatable.")],
    runs: Annotated[int, typer.Option("--runs", min=1, max=10_000, help="Variants of each kind.")] = 8,
    address: Annotated[
        str | None,
        typer.Option("--address", help="Dask scheduler, tcp:// or tls://HOST:8786; default: local."),
    ] = None,
    tls_ca_file: Annotated[
        Path | None, typer.Option("--tls-ca-file", help="CA certificate (PEM) of a tls:// cluster.")
    ] = None,
    tls_cert: Annotated[Path | None, typer.Option("--tls-cert", help="Client certificate (PEM) the CA signed.")] = None,
    tls_key: Annotated[Path | None, typer.Option("--tls-key", help="Private key (PEM) of --tls-cert.")] = None,
    out_dir: OutDir = None,
    time_limit: TimeLimit = SWEEP_TIME_LIMIT_S,
    seed: Seed = SEED,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Plan many what-if variants in parallel on Dask; write sweep.csv and sweep.html."""
    from scheduler.solvers.interface import SolverSettings
    from scheduler.workflows.sweep import sweep_files

    with planning_run(scenario, out_dir, "sweep", quiet, force) as (loaded, directory, report):
        settings = SolverSettings(time_limit_s=time_limit, workers=1, seed=seed)
        tls = (tls_ca_file, tls_cert, tls_key)
        table = sweep_files(loaded, tuple(vary), runs, settings, address, directory, report, tls, force)
    print_wide(sweep_table(table))
