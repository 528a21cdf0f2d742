"""`jointtrack satnet solve|verify|to-scenario`: real DSN weeks in the SatNet format."""

import json
from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.bounds import BoundFile, compare, print_bound, read_bound, say, write_bound
from scheduler.cli.console import step_progress
from scheduler.cli.options import EXIT_VIOLATIONS, Force, Quiet, Seed, Workers, err, out, output_directory
from scheduler.settings import SATNET_TIME_LIMIT_S, SEED, WORKERS

app = typer.Typer(no_args_is_help=True, help="Real DSN weeks in the SatNet benchmark format.")

ProblemArg = Annotated[Path, typer.Argument(help="SatNet week (JSON array of requests), e.g. W10_2018.json.")]
MaintenanceOpt = Annotated[
    Path | None, typer.Option("--maintenance", help="The week's maintenance CSV (week,year,starttime,endtime,antenna).")
]


def _metrics_lines(facts: dict) -> list[str]:
    lines = [
        f"T_S / T_R      {facts['T_S']:.1f} / {facts['T_R']:.1f} h",
        f"satisfied      {facts['satisfied']} / {facts['requests']}",
        f"U_RMS / U_MAX  {facts['U_RMS']:.3f} / {facts['U_MAX']:.3f}",
    ]
    if "upper_bound" in facts:
        lines.append(f"bound on T_S   {facts['upper_bound']:.1f} h (gap {facts['gap']:.1%})")
        lines.append(f"solve time     {facts['solve_s']:.1f} s")
    return lines


@app.command()
def solve(
    problem: ProblemArg,
    maintenance: MaintenanceOpt = None,
    out_dir: Annotated[Path | None, typer.Option("--out", help="Output directory; default ./satnet-<week>.")] = None,
    time_limit: Annotated[
        float, typer.Option("--time-limit", help="Seconds for the whole solve.")
    ] = SATNET_TIME_LIMIT_S,
    workers: Workers = WORKERS,
    seed: Seed = SEED,
    bound_only: Annotated[
        bool, typer.Option("--bound-only", help="Only the relaxation bound on T_S: print its curve, write bound.json.")
    ] = False,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Plan a week; write solution.json (benchmark format), schedule files, summary.json and bound.json."""
    from scheduler.outputs.output_dir import write_all
    from scheduler.satnet.files import week_files
    from scheduler.satnet.plan import plan_week
    from scheduler.satnet.week import read_week
    from scheduler.solvers import SolverSettings

    week = read_week(problem, maintenance)
    directory = output_directory(out_dir, f"satnet-{week.name}", force)
    if bound_only:
        _bound_only(week, directory, time_limit, quiet, force)
        return
    with step_progress(err, quiet) as report:
        result = plan_week(week, SolverSettings(time_limit_s=time_limit, workers=workers, seed=seed), report)
        report(f"writing {directory}")
        files = week_files(result)
        write_all(directory, files, force)
    facts = json.loads(files["summary.json"])
    if not quiet:
        for line in _metrics_lines(facts):
            out.print(line, markup=False, highlight=False)


@app.command()
def verify(
    problem: ProblemArg,
    solution: Annotated[Path, typer.Argument(help="Solution JSON (RESOURCE, SC, START_TIME, … TRACK_ID).")],
    maintenance: MaintenanceOpt = None,
) -> None:
    """Check every rule of the benchmark independently; print violations and metrics; exit 1 on any."""
    from scheduler.satnet.solution import read_solution
    from scheduler.satnet.verify import metrics, verify
    from scheduler.satnet.week import read_week

    week = read_week(problem, maintenance)
    entries = read_solution(solution)
    violations = verify(week, entries)
    for violation in violations:
        out.print(str(violation), markup=False, highlight=False)
    for line in _metrics_lines(metrics(week, entries)):
        out.print(line, markup=False, highlight=False)
    if violations:
        err.print(f"{len(violations)} violation(s)", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS)
    out.print("solution valid: 0 violations", markup=False)


@app.command("to-scenario")
def to_scenario(
    problem: ProblemArg,
    out_file: Annotated[
        Path, typer.Option("--out", help="Scenario YAML to write; its view-period CSV goes beside it.")
    ],
    maintenance: MaintenanceOpt = None,
) -> None:
    """Write the week as an ordinary scenario with external view periods, which `plan` accepts."""
    from scheduler.outputs.atomic import write_file
    from scheduler.satnet.scenario import check_convertible, scenario_files
    from scheduler.satnet.week import read_week

    week = read_week(problem, maintenance)
    check_convertible(week, str(problem))
    for path, text in scenario_files(week, out_file).items():
        write_file(path, text)
        out.print(f"wrote {path}", markup=False, highlight=False)


def _bound_only(week, directory: Path, time_limit: float, quiet: bool, force: bool) -> None:
    """The week's relaxation bound alone, printed in hours on target with its curve."""
    from scheduler.satnet.convert import SATNET_PRIORITY, to_problem
    from scheduler.solvers.bound.relaxation import bound_only
    from scheduler.solvers.greedy import solve_greedy_tracks

    problem = to_problem(week)
    with step_progress(err, quiet) as report:
        relaxed = bound_only(problem, time_limit, solve_greedy_tracks(problem), report, time_only=True)
        document = write_bound(directory, problem, relaxed, force)
    print_bound(document, unit="time")
    hours = document["weighted_time_bound_s"]
    per_hour = 3600 * (11 - SATNET_PRIORITY)
    say(f"bound on T_S    {'T_R' if hours is None else f'{hours / per_hour:.1f} h'}")


@app.command("check-bound")
def check_bound(problem: ProblemArg, bound_file: BoundFile, maintenance: MaintenanceOpt = None) -> None:
    """Recompute a week's relaxation bound from the prices in its bound.json; exit 1 if it differs."""
    from scheduler.satnet.convert import to_problem
    from scheduler.satnet.week import read_week
    from scheduler.solvers.bound.report import read_document

    week = read_week(problem, maintenance)
    compare(to_problem(week), read_bound(bound_file, read_document))
