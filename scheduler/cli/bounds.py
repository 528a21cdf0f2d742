"""The relaxation bound on the command line: `plan --bound-only` and `satnet solve --bound-only`
print it with its convergence curve and write bound.json; `check-bound` (and `satnet check-bound`)
recompute a saved bound from its prices (docs/design.md: The relaxation bound)."""

from pathlib import Path
from typing import Annotated

import typer

from scheduler.cli.options import EXIT_VIOLATIONS, ScenarioArg, err, out, scenario_from

BoundFile = Annotated[Path, typer.Argument(help="bound.json written by plan, satnet solve or --bound-only.")]
TOLERANCE = 1e-6  # relative: a recomputed bound this close to the saved one agrees


def say(line: str) -> None:
    out.print(line, markup=False, highlight=False, soft_wrap=True)


def print_bound(document: dict, unit: str = "objective", scale: float = 1.0) -> None:
    """The curve (phase, iteration, seconds, master value, bound) and the bounds, one line each."""
    say(f"{'phase':<9} {'iter':>5} {'seconds':>8} {'master':>14} {'bound':>14}")
    for point in document["curve"]:
        say(f"{point['phase']:<9} {point['iteration']:>5} {point['seconds']:>8.1f} {point['master'] / scale:>14.6g}"
            f" {point['bound'] / scale:>14.6g}")  # fmt: skip
    say(f"method          {document['method']}")
    say(f"iterations      {document['iterations']} in {document['seconds']:.1f} s"
        f" ({'converged' if document['converged'] else 'not converged'})")  # fmt: skip
    if document["cut"]:
        say(f"cut             {document['cut']}")
    if unit == "objective":
        say(f"bound           {document['objective_bound']}")
    weighted = document["weighted_time_bound_s"]
    say(f"weighted time   {'none below the requested total' if weighted is None else f'{weighted:.0f} s'}")


def check_bound(scenario: ScenarioArg, bound_file: BoundFile) -> None:
    """Recompute a plan's relaxation bound from the prices in its bound.json; exit 1 if it differs."""
    from scheduler import api
    from scheduler.problem.build import build_problem
    from scheduler.solvers.bound.report import read_document

    loaded = scenario_from(scenario)
    document = read_bound(bound_file, read_document)
    problem = build_problem(loaded, api.view_periods(loaded))
    compare(problem, document)


def read_bound(path: Path, read_document) -> dict:
    from scheduler.errors import InputError

    try:
        return read_document(path.read_text(encoding="utf-8"), str(path))
    except (OSError, ValueError) as exc:
        raise InputError(
            str(path), "", f"cannot read a bound file ({exc})", "give the bound.json a run wrote"
        ) from None


def compare(problem, document: dict) -> None:
    """Print each phase's saved and recomputed bound; exit 1 when one differs."""
    from scheduler.solvers.bound.report import recompute

    found = recompute(problem, document)
    differ = False
    for phase, saved in document.get("values", {}).items():
        again = found.get(phase)
        agree = again is not None and abs(saved - again) <= TOLERANCE * max(1.0, abs(saved))
        differ |= not agree
        say(f"{phase:<10} saved {saved:.9g}  recomputed {again if again is None else format(again, '.9g')}  "
            f"{'agrees' if agree else 'DIFFERS'}")  # fmt: skip
    if differ or not document.get("values"):
        err.print("the recomputed bound differs from the saved one", markup=False)
        raise typer.Exit(EXIT_VIOLATIONS)


def write_bound(directory: Path, problem, bound, force: bool = False) -> dict:
    """bound.json into `directory` (created if needed, as every output directory); its contents."""
    from scheduler.outputs.json_text import json_text
    from scheduler.outputs.output_dir import write_all
    from scheduler.solvers.bound.report import bound_document

    document = bound_document(problem, bound)
    write_all(directory, {"bound.json": json_text(document, indent=1)}, force)
    return document
