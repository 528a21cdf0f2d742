"""What-if sweeps on Dask distributed (README: Sweeps).

The scenario's view periods and problem are built once and shared by every variant's task;
each variant (`variants.py`) is planned as one task with a single solver thread, a pure
function of (problem, variant, settings): a task lost with a worker process is run again
elsewhere by Dask and gives the same row. Results come back as one table row per variant:
satisfaction, U_max, U_rms and hours per agency.
"""

import time
import warnings
from dataclasses import replace
from pathlib import Path

import pandas as pd
from distributed import Client, as_completed

from scheduler.csv_cells import csv_text
from scheduler.errors import InputError
from scheduler.inputs import Scenario
from scheduler.outputs.output_dir import write_all
from scheduler.outputs.report import summary
from scheduler.outputs.sweep_chart import BASE_COLUMNS, sweep_html
from scheduler.problem.build import build_problem
from scheduler.problem.types import Problem
from scheduler.sky.visibility import compute_view_periods
from scheduler.solvers import SolverSettings, solve
from scheduler.solvers.interface import Progress, no_progress
from scheduler.workflows.before_write import check_tracks
from scheduler.workflows.cluster import TlsFiles, check_address, cluster_security, connection_error, dask_client
from scheduler.workflows.variants import KINDS, Variant, apply_variant, variants


def plan_variant(problem: Problem, variant: Variant, optical: frozenset[str], settings: SolverSettings) -> dict:
    """One row of the sweep table: plan the variant, measure it."""
    began = time.perf_counter()
    changed = apply_variant(problem, variant, optical)
    solution = solve(changed, settings)
    check_tracks(changed, solution.tracks)  # a violation is our bug (exit 70): the sweep writes nothing
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


def held(value: object) -> object:
    """The value itself, as a task result Dask can recompute if the workers holding it are lost."""
    return value


def run_sweep(
    scenario: Scenario,
    kinds: tuple[str, ...],
    runs: int,
    settings: SolverSettings,
    client: Client,
    progress: Progress = no_progress,
) -> pd.DataFrame:
    """The sweep table: the baseline and `runs` variants of each kind, planned on `client`."""
    progress("computing view periods (once for all variants)")
    problem = build_problem(scenario, compute_view_periods(scenario))
    optical = frozenset(s.id for s in scenario.stations if s.kind == "optical")
    chosen = variants(kinds, runs, settings.seed)
    one_thread = replace(settings, workers=1)
    # a task (not scattered data): should every worker holding the problem die, Dask recomputes it
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Sending large graph", UserWarning)  # a DSN week's problem is MBs: meant
        shared = client.submit(held, problem, key="sweep-problem", pure=False)
    futures = [client.submit(plan_variant, shared, v, optical, one_thread, key=f"variant-{v.name}") for v in chosen]
    rows = []
    for done, future in enumerate(as_completed(futures), start=1):
        rows.append(future.result())
        progress(f"planned {done}/{len(chosen)} variants")
    order = {v.name: n for n, v in enumerate(chosen)}
    table = pd.DataFrame(rows).sort_values("variant", key=lambda c: c.map(order)).reset_index(drop=True)
    agencies = sorted(c for c in table.columns if c not in BASE_COLUMNS)
    return table[BASE_COLUMNS + agencies].fillna({a: 0.0 for a in agencies})


def sweep_files(
    scenario: Scenario,
    kinds: tuple[str, ...],
    runs: int,
    settings: SolverSettings,
    address: str | None,
    directory: Path,
    progress: Progress = no_progress,
    tls: TlsFiles = (None, None, None),
    force: bool = False,
) -> pd.DataFrame:
    """`jointtrack sweep`: run the sweep (on the scheduler at `address`, over TLS with the `tls`
    files for a tls:// address), write sweep.csv and sweep.html atomically (an existing directory
    as `PlanResult.write` with `force`), return the table."""
    unknown = [k for k in kinds if k not in KINDS]
    if unknown or not kinds:
        given = f"unknown variation {unknown[0]!r}" if unknown else "no --vary given"
        raise InputError("--vary", "", given, f"use --vary {' | '.join(KINDS)} (repeatable)")
    if "missions" in kinds and not scenario.requests:
        fix = "add requests to the scenario, or vary outages or weather"
        raise InputError("--vary", "", "missions copies a request of the scenario, which has none", fix)
    check_address(address)
    progress("starting Dask" if address is None else f"connecting to {address}")
    try:
        with dask_client(address, None, cluster_security(address, tls)) as client:
            table = run_sweep(scenario, tuple(dict.fromkeys(kinds)), runs, settings, client, progress)
    except OSError as exc:  # includes timeouts reaching a scheduler, and refused certificates
        raise connection_error(address, exc) from None
    progress(f"writing {directory}")
    title = f"jointtrack sweep — {scenario.name}: {runs} runs of {', '.join(kinds)}"
    write_all(directory, {"sweep.csv": csv_text(table), "sweep.html": sweep_html(table, title)}, force)
    return table
