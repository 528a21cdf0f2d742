"""What the commands share: option types, the two consoles, exit codes, scenarios by path or name,
and output directories checked before any work (docs/design.md: Command line, Exit codes)."""

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from scheduler.cli.console import step_progress
from scheduler.errors import InputError
from scheduler.interrupts import test_step

if TYPE_CHECKING:
    from datetime import datetime

    from rich.console import RenderableType

    from scheduler.inputs import Scenario

EXIT_VIOLATIONS, EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL = 1, 2, 3, 70

# Markup off: names from scenarios and schedules (`A[/]B`) print as themselves, never as console markup.
err = Console(stderr=True, markup=False, emoji=False)
out = Console(markup=False, emoji=False)

ScenarioArg = Annotated[str, typer.Argument(help="Scenario YAML file, or the name of a bundled scenario.")]
# Ranges are checked by SolverSettings (scheduler/settings.py), the one place the API and the service share.
TimeLimit = Annotated[float, typer.Option("--time-limit", help="Solver time limit, seconds.")]
Workers = Annotated[int, typer.Option("--workers", help="Solver threads.")]
Seed = Annotated[int, typer.Option("--seed", help="Random seed; same seed, same schedule.")]
ChangePenalty = Annotated[
    float, typer.Option("--change-penalty", help="Cost of moving or dropping a planned track, × its weighted time.")
]
Quiet = Annotated[bool, typer.Option("--quiet", "-q", help="No progress display.")]
Force = Annotated[
    bool, typer.Option("--force", help="Write into an existing directory jointtrack did not make (its files are kept).")
]


def scenario_from(argument: str) -> "Scenario":
    """A scenario from a file path, or a bundled scenario by name."""
    from scheduler.api import load_scenario

    return load_scenario(argument)


def parse_now(now: str | None) -> "datetime | None":
    """`--now` as a UTC datetime (None: the clock)."""
    from scheduler.timeutil import TIME_HINT, parse_time

    if now is None:
        return None
    try:
        return parse_time(now)
    except ValueError:
        raise InputError("--now", "", f"{now!r} is not an ISO-8601 time", TIME_HINT) from None


def output_directory(given: Path | None, default: str, force: bool = False) -> Path:
    """`--out`, or `./default`, with symlinks followed: failing before any work when it cannot be
    written, or when writing it could cost the user a file (docs/design.md: Outputs)."""
    from scheduler.outputs.output_dir import destination

    directory = destination(given or Path(default), force).directory
    parent = next((p for p in [directory, *directory.parents] if p.exists()), Path("."))
    if not os.access(parent, os.W_OK):
        raise InputError("--out", "", f"{parent} is not writable", "choose a directory you can write to")
    return directory


@contextmanager
def planning_run(
    scenario: str, out_dir: Path | None, command: str, quiet: bool, force: bool = False
) -> Iterator[tuple["Scenario", Path, Callable[[str], None]]]:
    """The scenario, the checked output directory (default `./<command>-<name>`), locked for this
    run alone, and a progress report for the run's steps: what `plan`, `repair` and `sweep` all
    start with."""
    from scheduler.outputs.run_lock import output_lock

    loaded = scenario_from(scenario)
    directory = output_directory(out_dir, f"{command}-{loaded.name}", force)
    with output_lock(directory), step_progress(err, quiet) as report:

        def step(message: str) -> None:
            test_step(message)
            report(message)

        yield loaded, directory, step


def print_wide(renderable: "RenderableType", width: int = 160) -> None:
    """Print to stdout; piped, at a fixed width that keeps table rows on one line."""
    (out if out.is_terminal else Console(width=width, markup=False, emoji=False)).print(renderable)


def write_text(out_file: Path | None, text: str) -> None:
    """`text` to standard output (no `--out`, or `-`), else to `out_file` as `write_file` does:
    through a device or FIFO, atomically to a file or a symlink's target."""
    if out_file is None:
        sys.stdout.write(text)
        return
    from scheduler.outputs.atomic import write_file

    write_file(out_file, text)
