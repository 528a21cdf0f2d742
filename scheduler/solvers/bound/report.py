"""The bound's file (bound.json) and its recomputation: any prices give a valid bound (the
Lagrangian function of `generation`), so pricing every antenna again at the saved prices and
adding the terms up checks the reported value without trusting the column generation."""

import json
import math

import numpy as np

from scheduler.problem.scoring import SCALE, coefficients
from scheduler.problem.types import Problem
from scheduler.solvers.bound.lagrangian import evaluate
from scheduler.solvers.bound.pricing import Pricer, Prices, zero_prices
from scheduler.solvers.bound.relaxation import RelaxationBound
from scheduler.solvers.bound.requests import request_side
from scheduler.solvers.bound.steps import build_grid

FORMAT = "jointtrack bound 1"


def bound_document(problem: Problem, bound: RelaxationBound) -> dict:
    """bound.json: the bounds, the convergence curve and the prices that prove each bound."""
    return {
        "format": FORMAT,
        "problem": problem.name,
        "method": bound.method,
        "step_s": bound.step_s,
        "objective_bound": _finite(bound.objective),
        "weighted_time_bound_s": _finite(bound.time_bound),
        "iterations": bound.iterations,
        "seconds": round(bound.seconds, 3),
        "converged": bound.converged,
        "cut": bound.cut,
        "curve": [
            {"phase": phase, "iteration": n, "seconds": s, "master": master, "bound": best}
            for phase, n, s, master, best in bound.curve
        ],
        "prices": {phase: _prices(p) for phase, p in bound.prices.items()},
    }


def recompute(problem: Problem, document: dict) -> dict[str, float | None]:
    """The bounds the saved prices prove on `problem`: objective (objective units, like summary.json's
    `bound`) and weighted_time_s; None where the file has no prices for one."""
    grid = build_grid(problem, int(document["step_s"]))
    side = request_side(problem)
    pricer = Pricer(grid)
    found: dict[str, float | None] = {"objective": None, "weighted_time_s": None}
    for phase, saved in document.get("prices", {}).items():
        prices = zero_prices(grid, len(problem.demands))
        for index, value in saved["links"]:
            prices.link[int(index)] = float(value)
        for index, value in saved["tracks"]:
            prices.track[int(index)] = float(value)
        for key, step, value in saved["occupancy"]:
            prices.occupancy[int(key), int(step)] = float(value)
        time_only = phase == "time"
        value, _ = evaluate(side, grid, prices, pricer.price_all(prices), time_only)
        if time_only:
            found["weighted_time_s"] = value / (coefficients(problem).time / SCALE)
        else:
            found["objective"] = value
    return found


def read_document(text: str, source: str) -> dict:
    """A bound.json's contents, or ValueError naming what is wrong."""
    document = json.loads(text)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{source} is not a bound file ({FORMAT!r})")
    return document


def _prices(prices: Prices) -> dict:
    keys, steps = np.nonzero(prices.occupancy)
    return {
        "links": [[int(i), float(prices.link[i])] for i in np.nonzero(prices.link)[0]],
        "tracks": [[int(i), float(prices.track[i])] for i in np.nonzero(prices.track)[0]],
        "occupancy": [[int(k), int(t), float(prices.occupancy[k, t])] for k, t in zip(keys, steps, strict=True)],
    }


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None
