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

FORMAT = "jointtrack bound 2"  # 2: pieces count only their view period's part of its edge steps


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
        "values": bound.values,
        "prices": {phase: _prices(p) for phase, p in bound.prices.items()},
    }


def recompute(problem: Problem, document: dict) -> dict[str, float]:
    """The Lagrangian value the saved prices of each phase (`objective`, `time`) give on `problem`,
    in objective units: each a bound on that phase's objective (weighted time alone for `time`,
    per objective unit of a priority-weighted second)."""
    grid = build_grid(problem, int(document["step_s"]))
    side = request_side(problem)
    pricer = Pricer(grid)
    found: dict[str, float] = {}
    for phase, saved in document.get("prices", {}).items():
        prices = zero_prices(grid, len(problem.demands))
        for index, value in saved["links"]:
            prices.link[int(index)] = float(value)
        for index, value in saved["tracks"]:
            prices.track[int(index)] = float(value)
        for key, step, value in saved["occupancy"]:
            prices.occupancy[int(key), int(step)] = float(value)
        found[phase], _ = evaluate(side, grid, prices, pricer.price_all(prices), phase == "time")
    return found


def time_scale(problem: Problem) -> float:
    """Objective units per priority-weighted second (the time phase's values over this are seconds)."""
    return coefficients(problem).time / SCALE


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
