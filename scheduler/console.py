"""What a person sees in the terminal: progress of long steps and the plan's summary tables."""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table


@contextmanager
def step_progress(console: Console, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """Yield a `progress(message)` callback: each message starts a step shown with a spinner
    and its elapsed time, and marks the step before it done. Silent with `quiet` or when the
    console is not a terminal, so pipes and logs get no control characters."""
    if quiet or not console.is_terminal:
        yield lambda _message: None
        return
    columns = (SpinnerColumn(finished_text="[green]✓"), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=console) as progress:
        current: list[TaskID] = []

        def step(message: str) -> None:
            if current:
                progress.update(current[-1], total=1, completed=1)
            current.append(progress.add_task(message, total=None))

        yield step
        if current:
            progress.update(current[-1], total=1, completed=1)


def _hours(value: float) -> str:
    return f"{value:.1f}"


def facts_table(facts: dict, directory: Path) -> Table:
    table = Table(title=f"jointtrack plan — {facts['scenario']}", show_header=False, title_justify="left")
    for label, value in [
        ("status", f"{facts['status']} (gap {facts['gap']:.2%})" if facts["gap"] is not None else facts["status"]),
        ("tracks", facts["tracks"]),
        ("requests satisfied", f"{facts['satisfied_requests']} / {facts['requests']}"),
        ("hours scheduled / requested", f"{facts['scheduled_hours']:.1f} / {facts['requested_hours']:.1f}"),
        ("U_max / U_rms", f"{facts['U_max']:.3f} / {facts['U_rms']:.3f}"),
        ("wall time", f"{facts['wall_s']:.1f} s"),
        ("outputs", str(directory)),
    ]:
        table.add_row(label, str(value))
    return table


def missions_table(facts: dict) -> Table:
    table = Table(title="Missions", title_justify="left")
    table.add_column("mission")
    table.add_column("scheduled h", justify="right")
    table.add_column("requested h", justify="right")
    table.add_column("unsatisfied", justify="right")
    for mission, row in sorted(facts["missions"].items(), key=lambda item: -item[1]["unsatisfied_fraction"]):
        short = row["unsatisfied_fraction"] > 0
        table.add_row(
            mission,
            _hours(row["scheduled_h"]),
            _hours(row["requested_h"]),
            f"[yellow]{row['unsatisfied_fraction']:.0%}" if short else "0%",
        )
    return table


def ledger_table(ledger: pd.DataFrame) -> Table:
    """Hours on target: rows are the antennas' agencies, columns the missions' agencies."""
    table = Table(
        title="Cross support (hours on target)",
        caption="rows: the antennas' agency; columns: the missions' agency",
        title_justify="left",
        caption_justify="left",
    )
    users = sorted(ledger.user_agency.unique())
    table.add_column("antennas of")
    for user in users:
        table.add_column(user, justify="right")
    table.add_column("given to others", justify="right")
    hours = ledger.pivot_table(index="provider_agency", columns="user_agency", values="on_target_h", aggfunc="sum")
    for provider in sorted(ledger.provider_agency.unique()):
        cells = []
        for user in users:
            value = hours.loc[provider].get(user, float("nan"))
            text = "" if pd.isna(value) else _hours(value)
            cells.append(f"[dim]{text}" if user == provider and text else text)
        given = hours.loc[provider].drop(provider, errors="ignore").sum()
        table.add_row(provider, *cells, f"[bold]{_hours(given)}")
    return table


def print_plan_summary(console: Console, facts: dict, ledger: pd.DataFrame, directory: Path) -> None:
    console.print(facts_table(facts, directory))
    if facts.get("missions"):
        console.print(missions_table(facts))
    if not ledger.empty:
        console.print(ledger_table(ledger))
