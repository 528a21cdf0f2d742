"""The model context: what the constraint families of one CP-SAT model share while it is built.

One typed object instead of loose dictionaries: the model, its problem and grid, each demand's
candidates, and the expressions a family makes that later families and the objective reuse
(a candidate's units on target, a demand's counted seconds, a split demand's track literals).
"""

from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from scheduler.problem.types import Problem
from scheduler.solvers.cpsat.candidates import Candidate

LinearExpr = cp_model.LinearExprT
Membership = dict[Candidate, list[tuple[int, cp_model.IntVar]]]


@dataclass
class ModelContext:
    """One model under construction. Candidates are keyed by identity (each is one set of
    variables), demands by id."""

    model: cp_model.CpModel
    problem: Problem
    unit: int  # seconds per model time unit: the problem's resolution
    by_demand: dict[str, list[Candidate]]  # demand id → its candidates (locked tracks first)
    # Filled by the families, in the order build_model calls them:
    counted: dict[str, LinearExpr] = field(default_factory=dict)  # demand id → seconds on target it counts
    units_on_target: dict[Candidate, LinearExpr] = field(default_factory=dict)  # 0 when the candidate is absent
    split_used: dict[str, list[cp_model.IntVar]] = field(default_factory=dict)  # split demand → a literal per track
    membership: Membership = field(default_factory=dict)  # split segment → (track number, literal) it may join

    @property
    def candidates(self) -> list[Candidate]:
        """Every candidate of the model, demand by demand."""
        return [c for made in self.by_demand.values() for c in made]
