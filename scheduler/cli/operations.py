"""`insert` and `feedback`: the commands of a network's day, changing a planned schedule as
operations happen — an urgent request placed at once, outcomes of tracks folded back into the
plan (docs/design.md: Command line). Thin layers over `scheduler.api`."""

from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.console import displaced_table
from scheduler.cli.options import (
    ChangePenalty,
    Force,
    Quiet,
    ScenarioArg,
    Seed,
    TimeLimit,
    Workers,
    out,
    parse_now,
    planning_run,
    print_wide,
)
from scheduler.cli.planning import OutDir
from scheduler.errors import InputError
from scheduler.settings import CHANGE_PENALTY, SEED, TIME_LIMIT_S, WORKERS

Now = Annotated[
    str | None, typer.Option("--now", help="UTC time; tracks begun before it stay as they are. Default: the clock.")
]


def insert(
    scenario: ScenarioArg,
    schedule_csv: Annotated[Path, typer.Argument(help="The planned schedule.csv.")],
    request: Annotated[Path, typer.Option("--request", help="Request YAML: one request (and its new target).")],
    tier: Annotated[str, typer.Option("--tier", help="emergency (displaces others) or late-add (displaces nobody).")],
    now: Now = None,
    out_dir: OutDir = None,
    slack: Annotated[
        str, typer.Option("--slack", help="An emergency starts at most this long after its earliest start.")
    ] = "30m",
    no_repair: Annotated[
        bool, typer.Option("--no-repair", help="Write the decision alone; no repair of what it displaced.")
    ] = False,
    time_limit: TimeLimit = TIME_LIMIT_S,
    workers: Workers = WORKERS,
    seed: Seed = SEED,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Insert an urgent request into a planned schedule at once; write the plan, displaced.csv,
    diff.csv and scenario.yaml. Exit 3 when it cannot be placed (a late-add that would displace anyone)."""
    from scheduler import api
    from scheduler.timeutil import DURATION_HINT, parse_duration

    if tier not in ("emergency", "late-add"):
        raise InputError("--tier", "", f"unknown tier {tier!r}", "use emergency or late-add")
    try:
        slack_s = int(parse_duration(slack).total_seconds())
    except ValueError:
        slack_s = -1
    if slack_s < 0:
        raise InputError("--slack", "", f"{slack!r} is not a duration", DURATION_HINT)
    at = parse_now(now)
    with planning_run(scenario, out_dir, "insert", quiet, force) as (loaded, directory, report):
        result = api.insert(
            loaded,
            schedule_csv,
            request,
            tier=tier,  # type: ignore[arg-type]
            now=at,  # type: ignore[arg-type]
            slack_s=slack_s,
            repair=not no_repair,
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            progress=report,
        )
        report(f"writing {directory}")
        result.write(directory, force)
    summary = result.plan.summary
    placed = summary["insertion"]
    out.print(
        f"{placed['request_id']} ({tier}) on {' '.join(placed['stations'])} {placed['start']}..{placed['end']}, "
        f"decided in {summary['decision_s']:.3f} s; wrote {directory}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    if len(result.displaced):
        print_wide(displaced_table(result.displaced))


def feedback(
    scenario: ScenarioArg,
    schedule_csv: Annotated[Path, typer.Argument(help="The planned schedule.csv.")],
    outcomes: Annotated[
        Path, typer.Option("--outcomes", help="Outcomes CSV: track_id,state,actual_start,actual_end,cause.")
    ],
    now: Now = None,
    out_dir: OutDir = None,
    change_penalty: ChangePenalty = CHANGE_PENALTY,
    time_limit: TimeLimit = TIME_LIMIT_S,
    workers: Workers = WORKERS,
    seed: Seed = SEED,
    quiet: Quiet = False,
    force: Force = False,
) -> None:
    """Fold outcomes of tracks that ran into the plan: history as it ran, what is missing re-queued;
    write the plan, diff.csv and execution.csv."""
    from scheduler import api
    from scheduler.cli.console import diff_table

    at = parse_now(now)
    with planning_run(scenario, out_dir, "feedback", quiet, force) as (loaded, directory, report):
        result = api.feedback(
            loaded,
            schedule_csv,
            outcomes,
            now=at,  # type: ignore[arg-type]
            change_penalty=change_penalty,
            time_limit_s=time_limit,
            workers=workers,
            seed=seed,
            progress=report,
        )
        report(f"writing {directory}")
        result.write(directory, force)
    figures = result.plan.summary["feedback"]
    out.print(
        f"{figures['tracks_begun']} tracks begun by --now: {figures['done']} done, {figures['reopened']} re-opened "
        f"({figures['failures']} failures); {figures['delivered_hours']} h delivered; wrote {directory}",
        markup=False,
        highlight=False,
        soft_wrap=True,
    )
    print_wide(diff_table(result.diff[result.diff.change != "kept"]))
