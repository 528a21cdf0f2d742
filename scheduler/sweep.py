"""What-if sweeps on Dask distributed (README: Sweeps).

The scenario's view periods and problem are built once and scattered to every worker; each
variant (`variants.py`) is planned as one task with a single solver thread. Results come back
as one table row per variant: satisfaction, U_max, U_rms and hours per agency.
"""

import logging
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
from distributed import Client, LocalCluster, as_completed
from plotly.subplots import make_subplots
from rich.table import Table

from scheduler.demand import build_problem
from scheduler.errors import InputError
from scheduler.outputs import write_all
from scheduler.problem import Problem
from scheduler.report import summary
from scheduler.rolling import solve_horizon
from scheduler.scenario import Scenario
from scheduler.solve import SolverSettings
from scheduler.variants import KINDS, Variant, apply_variant, variants
from scheduler.visibility import compute_view_periods

BASE_COLUMNS = ["variant", "kind", "run", "seed", "satisfaction", "U_max", "U_rms", "scheduled_h", "tracks", "status"]
Progress = Callable[[str], None]
ADDRESS_FIX = "start one with `dask scheduler` and `dask worker ADDRESS`, or leave out --address"


def plan_variant(problem: Problem, variant: Variant, optical: frozenset[str], settings: SolverSettings) -> dict:
    """One row of the sweep table: plan the variant, measure it."""
    began = time.perf_counter()
    changed = apply_variant(problem, variant, optical)
    solution = solve_horizon(changed, settings)
    facts = summary(changed, solution, time.perf_counter() - began)
    return {
        "variant": variant.name,
        "kind": variant.kind,
        "run": variant.run,
        "seed": variant.seed,
        "satisfaction": facts["satisfied_fraction"],
        "U_max": facts["U_max"],
        "U_rms": facts["U_rms"],
        "scheduled_h": facts["scheduled_hours"],
        "tracks": facts["tracks"],
        "status": facts["status"],
        **{f"{agency}_h": row["scheduled_h"] for agency, row in facts["agencies"].items()},
    }


@contextmanager
def dask_client(address: str | None, workers: int | None) -> Iterator[Client]:
    """A client of the cluster at `address`, or of a local cluster of worker processes (one
    solver thread each, no dashboard: nothing listens on a public port)."""
    if address is not None:
        with Client(address, timeout="10s") as client:
            yield client
        return
    count = workers or max(1, os.cpu_count() or 1)
    with (
        LocalCluster(
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def run_sweep(
    scenario: Scenario,
    kinds: tuple[str, ...],
    runs: int,
    settings: SolverSettings,
    client: Client,
    progress: Progress = lambda _: None,
) -> pd.DataFrame:
    """The sweep table: the baseline and `runs` variants of each kind, planned on `client`."""
    progress("computing view periods (once for all variants)")
    problem = build_problem(scenario, compute_view_periods(scenario))
    optical = frozenset(s.id for s in scenario.stations if s.kind == "optical")
    chosen = variants(kinds, runs, settings.seed)
    one_thread = replace(settings, workers=1)
    shared = client.scatter(problem, broadcast=True)
    futures = [client.submit(plan_variant, shared, v, optical, one_thread, key=f"variant-{v.name}") for v in chosen]
    rows = []
    for done, future in enumerate(as_completed(futures), start=1):
        rows.append(future.result())
        progress(f"planned {done}/{len(chosen)} variants")
    order = {v.name: n for n, v in enumerate(chosen)}
    table = pd.DataFrame(rows).sort_values("variant", key=lambda c: c.map(order)).reset_index(drop=True)
    agencies = sorted(c for c in table.columns if c not in BASE_COLUMNS)
    return table[BASE_COLUMNS + agencies].fillna({a: 0.0 for a in agencies})


def sweep_html(table: pd.DataFrame, title: str) -> str:
    """Satisfaction and U_max of every variant by kind, and mean hours per agency by kind."""
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=("satisfied requests and U_max per variant", "mean hours per agency")
    )
    for column, colour in (("satisfaction", "#1f77b4"), ("U_max", "#d62728")):
        figure.add_trace(
            go.Box(
                x=table.kind,
                y=table[column],
                name=column,
                boxpoints="all",
                marker_color=colour,
                text=table.variant,
                hovertemplate="%{text}: %{y:.3f}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    agencies = [c for c in table.columns if c not in BASE_COLUMNS]
    means = table.groupby("kind", sort=False)[agencies].mean()
    for agency in agencies:
        figure.add_trace(go.Bar(x=means.index, y=means[agency], name=agency.removesuffix("_h")), row=1, col=2)
    figure.update_layout(title=title, boxmode="group", barmode="stack", template="plotly_white")
    figure.update_yaxes(title_text="fraction", row=1, col=1)
    figure.update_yaxes(title_text="hours on target", row=1, col=2)
    return figure.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})


def sweep_table(table: pd.DataFrame, limit: int = 30) -> Table:
    """The sweep results as a rich table (first `limit` variants)."""
    agencies = [c for c in table.columns if c not in BASE_COLUMNS]
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


def sweep_command(
    scenario: Scenario,
    kinds: tuple[str, ...],
    runs: int,
    settings: SolverSettings,
    address: str | None,
    directory: Path,
    progress: Progress = lambda _: None,
) -> Table:
    """`jointtrack sweep`: run the sweep, write sweep.csv and sweep.html atomically."""
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        given = f"unknown variation {unknown[0]!r}" if unknown else "no --vary given"
        raise InputError("--vary", "", given, f"use --vary {' | '.join(KINDS)} (repeatable)")
    progress("starting Dask" if address is None else f"connecting to {address}")
    try:
        with dask_client(address, None) as client:
            table = run_sweep(scenario, tuple(dict.fromkeys(kinds)), runs, settings, client, progress)
    except OSError as exc:  # includes timeouts reaching a scheduler
        raise InputError("--address", "", f"cannot reach a Dask scheduler at {address} ({exc})", ADDRESS_FIX) from None
    progress(f"writing {directory}")
    title = f"jointtrack sweep — {scenario.name}: {runs} runs of {', '.join(kinds)}"
    write_all(directory, {"sweep.csv": table.to_csv(index=False), "sweep.html": sweep_html(table, title)})
    return sweep_table(table)
