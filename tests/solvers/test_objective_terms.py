"""The model's objective reads like README "Objective": one named term per term of the formula,
each worth, at the optimum, exactly what `scoring.objective_terms` computes from the tracks."""

from datetime import UTC, datetime

from ortools.sat.python import cp_model

from scheduler.problem.scoring import objective_terms, score
from scheduler.problem.types import Demand, Opportunity, Problem, Track
from scheduler.solvers.cpsat.model import build_model
from scheduler.solvers.cpsat.readback import read_tracks

H = 3600
README_TERMS = ["time", "floor", "fairness", "agency_balance", "change", "consent", "rules", "critical"]


def _every_term() -> Problem:
    """One antenna, contested: a critical landing within 01:00-05:00 takes the previous track's
    place, so the timer request (two tracks of 1-2 h in 8 h, max_gap 1h30m) gets 3 of its 4 h and
    loses its timer; two missions of two agencies."""
    landing = Demand(
        "LAND", "LAND", "M1", "X", "M1", 1, 1, 2 * H, 4 * H, (Opportunity(("A1",), H, 3 * H, 5 * H, 0, 0),),
        critical=True,
    )  # fmt: skip
    timer = Demand(
        "TIMER", "TIMER", "M2", "Y", "M2", 5, 2, H, 2 * H, (Opportunity(("A1",), 0, 6 * H, 8 * H, 0, 0),),
        max_gap=90 * 60, gap_window=(0, 8 * H),
    )  # fmt: skip
    previous = (Track("TIMER", ("A1",), 2 * H, 4 * H, 0, 0),)
    return Problem("terms", datetime(2026, 12, 1, tzinfo=UTC), 8 * H, 600, ("A1",), (landing, timer), previous=previous)


def test_model_terms_are_the_readme_terms_and_equal_the_scored_terms_at_the_optimum() -> None:
    problem = _every_term()
    allocation = build_model(problem)
    assert list(allocation.terms) == README_TERMS
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    assert solver.Solve(allocation.model) == cp_model.OPTIMAL
    tracks = read_tracks(allocation, problem, solver)
    scored = objective_terms(problem, tracks)
    solved = {
        name: solver.Value(term) if not isinstance(term, int) else term for name, term in allocation.terms.items()
    }
    assert solved == scored
    assert sum(scored.values()) == score(problem, tracks) == round(solver.ObjectiveValue())
    assert scored["critical"] == 0 and scored["change"] < 0 and scored["rules"] < 0
    assert all(scored[name] for name in ("time", "floor", "fairness", "agency_balance"))
