"""The check every schedule passes before `plan`, `repair` or `sweep` writes it: a violation is
our bug, raised as `InvalidSchedule` (exit 70, nothing written).

A plan is checked against its scenario by the validator's rules (counts, durations, windows,
overlaps, downtime, locked tracks, request semantics, data volumes), and its tracks against the allocation
problem (each inside one of its opportunities, i.e. inside a view period). The validator's
astropy re-computation of elevations and angles is left to `jointtrack validate`: it costs more
than a plan (4.9 s on the default week, 6.6 s on dsn-week, against 0.4 s and 0.6 s for this
check). A sweep variant, which changes the problem and has no scenario of its own, is checked
against its problem alone.
"""

from scheduler.check.allocation import check_allocation
from scheduler.check.validator import validate_schedule
from scheduler.check.violation import Violation
from scheduler.errors import InvalidSchedule
from scheduler.inputs import Scenario
from scheduler.outputs.plan_outputs import PlanResult
from scheduler.problem.types import Problem, Track


def require_valid(violations: list[Violation]) -> None:
    """Raise `InvalidSchedule` naming the first violation, if any."""
    if violations:
        first = violations[0]
        raise InvalidSchedule(first.rule, first.track_id, first.detail)


def check_plan(scenario: Scenario, plan: PlanResult) -> None:
    """A plan's schedule against its scenario, its tracks against its problem."""
    require_valid(validate_schedule(scenario, plan.schedule, visibility=False))
    require_valid(check_allocation(plan.problem, plan.solution.tracks))


def check_tracks(problem: Problem, tracks: tuple[Track, ...]) -> None:
    """Solver tracks against the problem they were planned for (sweep variants)."""
    require_valid(check_allocation(problem, tracks))
