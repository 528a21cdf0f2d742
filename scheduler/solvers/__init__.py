"""Solvers: one interface (`solve(problem, settings) -> Solution`) over the greedy baseline, the
CP-SAT model with its improvement rounds and relaxation bound, and rolling windows for long
horizons. The one search policy (how time is spent) lives in `policy.py` alone."""

from scheduler.solvers.dispatch import solve
from scheduler.solvers.interface import Solution, Solver, SolverSettings
from scheduler.solvers.policy import SearchPolicy

__all__ = ["SearchPolicy", "Solution", "Solver", "SolverSettings", "solve"]
