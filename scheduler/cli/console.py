"""What a person sees in the terminal: progress of long steps and the plan's summary tables."""

import math
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from scheduler.timeutil import format_duration

if TYPE_CHECKING:
    import pandas as pd


@contextmanager
def step_progress(console: Console, quiet: bool = False) -> Iterator[Callable[[str], None]]:
    """Yield a `progress(message)` callback: each message starts a step shown with a spinner
    and its elapsed time, and marks the step before it done. Silent with `quiet` or when the
    console is not a terminal, so pipes and logs get no control characters."""
    if quiet or not console.is_terminal:
        yield lambda _message: None
        return
    done = Text("✓", style="green")
    columns = (SpinnerColumn(finished_text=done), TextColumn("{task.description}", markup=False), TimeElapsedColumn())
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
            Text(f"{row['unsatisfied_fraction']:.0%}", style="yellow") if short else "0%",
        )
    return table


def ledger_table(ledger: "pd.DataFrame") -> Table:
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
            text = "" if math.isnan(value) else _hours(value)
            cells.append(Text(text, style="dim") if user == provider and text else text)
        given = hours.loc[provider].drop(provider, errors="ignore").sum()
        table.add_row(provider, *cells, Text(_hours(given), style="bold"))
    return table


def print_plan_summary(console: Console, facts: dict, ledger: "pd.DataFrame", directory: Path) -> None:
    """The plan's figures, its missions and the cross-support ledger."""
    console.print(facts_table(facts, directory))
    if facts.get("missions"):
        console.print(missions_table(facts))
    if not ledger.empty:
        console.print(ledger_table(ledger))


def diff_table(diff: "pd.DataFrame", limit: int = 40, command: str = "repair") -> Table:
    """The diff as a rich table: changes first, kept tracks after them, at most `limit` rows."""
    counts = diff.change.value_counts()
    title = f"{command} — " + ", ".join(f"{counts.get(c, 0)} {c}" for c in ("kept", "moved", "dropped", "added"))
    table = Table(title=title, title_justify="left", header_style="bold")
    for column in ("change", "request", "old", "new", "reason"):
        table.add_column(column, no_wrap=column != "reason")
    style = {"kept": "dim", "moved": "yellow", "dropped": "red", "added": "green"}
    for row in diff.head(limit).itertuples():
        old = _short(row.old_stations, row.old_start, row.old_end)
        new = _short(row.new_stations, row.new_start, row.new_end)
        table.add_row(row.change, row.demand_id, old, new, row.reason, style=style[row.change])
    if len(diff) > limit:
        table.caption = f"{len(diff) - limit} more rows in diff.csv"
    return table


def displaced_table(displaced: "pd.DataFrame", limit: int = 40) -> Table:
    """displaced.csv as a rich table: each displaced track, its change, old and new place, time lost."""
    table = Table(title=f"displaced — {len(displaced)} tracks", title_justify="left", header_style="bold")
    for column in ("track", "request", "agency", "change", "old", "new", "lost"):
        table.add_column(column, no_wrap=True)
    style = {"shortened": "yellow", "moved": "cyan", "dropped": "red"}
    for row in displaced.head(limit).itertuples():
        old = _short(row.stations, row.start, row.end)
        new = _short(row.new_stations, row.new_start, row.new_end)
        lost = format_duration(row.lost_seconds) if row.lost_seconds else "0"
        table.add_row(row.track, row.request_id, row.agency, row.change, old, new, lost, style=style[row.change])
    if len(displaced) > limit:
        table.caption = f"{len(displaced) - limit} more rows in displaced.csv"
    return table


def parties_view(parties: "pd.DataFrame", respond_by: str) -> Table:
    """The party table: who must consent (by `respond_by`), who is only told."""
    asked = int(parties.must_consent.sum())
    title = f"parties — {asked} must consent by {respond_by}, {len(parties) - asked} told"
    table = Table(title=title, title_justify="left", header_style="bold")
    columns = ("agency", "must consent", "hours before", "hours after", "moved", "shortened", "dropped", "new pairs")
    for column in columns:
        table.add_column(column, justify="left" if column == "agency" else "right", no_wrap=True)
    for row in parties.itertuples():
        figures = (row.moved, row.shortened, row.dropped, row.new_pairs)
        style = "yellow" if row.must_consent else "green"
        consent = "yes" if row.must_consent else "no"
        hours = (f"{row.hours_before:.1f}", f"{row.hours_after:.1f}")
        table.add_row(row.agency, consent, *hours, *map(str, figures), style=style)
    return table


def _short(stations: str, start: str, end: str) -> str:
    """`DSS-43 12-07 04:15-07:15` from ISO times (the end's date when it differs)."""
    if not stations:
        return ""
    finish = end[11:16] if end[:10] == start[:10] else f"{end[5:10]} {end[11:16]}"
    return f"{stations} {start[5:10]} {start[11:16]}-{finish}"


def sweep_table(table: "pd.DataFrame", limit: int = 30) -> Table:
    """The sweep results as a rich table (first `limit` variants)."""
    agencies = [c for c in table.columns if c.endswith("_h") and c != "scheduled_h"]  # hours per agency
    shown = Table(title=f"jointtrack sweep — {len(table)} variants", title_justify="left", header_style="bold")
    for column in ("variant", "satisfied", "U_max", *(a.removesuffix("_h") + " h" for a in agencies)):
        shown.add_column(column, justify="left" if column == "variant" else "right", no_wrap=True)
    for row in table.head(limit).itertuples(index=False):
        values = row._asdict()
        shown.add_row(
            row.variant,
            f"{row.satisfaction:.1%}",
            f"{row.U_max:.3f}",
            *(f"{values[a]:.1f}" for a in agencies),
        )
    if len(table) > limit:
        shown.caption = f"{len(table) - limit} more rows in sweep.csv"
    return shown


def stations_table(chosen: list) -> Table:
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
    return table
