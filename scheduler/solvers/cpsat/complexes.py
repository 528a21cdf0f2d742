"""Constraint families of the complex-level operations rules, one function each: start spacing
(`AddNoOverlap` of each activity's first `start_spacing` at a complex; an antenna's MSPA session
is one activity; locked activities before any free one can begin are left out), simultaneous
links (`AddCumulative`), and RFI between same-band requests (`AddNoOverlap` of their time on
target at a complex while their targets are close).
"""

from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.problem.types import Interference, Problem
from scheduler.solvers.cpsat.candidates import Candidate, Option
from scheduler.solvers.cpsat.operations import at_complex, bounds


def _interval(model: cp_model.CpModel, start, size: int | cp_model.LinearExprT, end, present, name: str):
    if isinstance(present, int):
        return model.NewIntervalVar(start, size, end, name)
    return model.NewOptionalIntervalVar(start, size, end, present, name)


def _touching(problem: Problem, candidates: Sequence[Candidate], name: str) -> list[tuple[Candidate, Option]]:
    return [(c, o) for c in candidates for o in c.options if any(problem.complex_of(a) == name for a in o.antennas)]


def start_spacing(model: cp_model.CpModel, problem: Problem, candidates: Sequence[Candidate], unit: int) -> None:
    """No two activities at a complex begin (setup start) less than its start_spacing apart: each
    activity holds the complex's first `start_spacing` from its setup start. The antennas of one
    track begin one activity; the tracks of one MSPA tag on one antenna are one session (they
    hold it together: a cumulative per session, as MSPA partners share an antenna)."""
    for limits in problem.complex_limits:
        if not limits.start_spacing:
            continue
        spacing = -(-limits.start_spacing // unit)
        ways: dict[tuple, list] = defaultdict(list)  # one interval per candidate, setup and session
        for candidate, option in _touching(problem, candidates, limits.complex):
            tag = candidate.demand.mspa
            session = (option.antennas[0], tag) if tag is not None and len(option.antennas) == 1 else None
            ways[(candidate, option.setup, session)].append((candidate, option))
        held = []
        for (_, setup, session), options in ways.items():
            candidate = options[0][0]
            begin = candidate.start - setup
            name = f"spacing[{candidate.demand.id}/{candidate.slot}@{limits.complex}]"
            present = options[0][1].chosen
            if len(options) > 1:
                present = model.NewBoolVar(f"begins[{candidate.demand.id}/{candidate.slot}@{limits.complex}]")
                model.Add(present == sum(o.chosen for _, o in options))
            low, high = bounds(model, candidate.start)
            interval = _interval(model, begin, spacing, begin + spacing, present, name)
            held.append((interval, session, (low - setup, high - setup), candidate.locked is not None))
        _spaced(model, _reachable(held, spacing), spacing)


def _reachable(held: list, spacing: int) -> list:
    """The held intervals without the locked ones no free activity can begin near: those only
    constrain each other, and what really ran (feedback's history) need not keep the rule."""
    free = [span[0] for _, _, span, locked in held if not locked]
    first = min(free, default=None)
    return [
        (interval, session, span)
        for interval, session, span, locked in held
        if not locked or (first is not None and span[1] + spacing > first)
    ]


def _spaced(model: cp_model.CpModel, held: list, spacing: int) -> None:
    """No two held intervals overlap unless they belong to one session: each session's cumulative
    keeps the lone activities off its members, and members of two sessions are kept apart pair by
    pair where their begins can come that close (a cumulative cannot keep two groups apart while
    letting each overlap itself)."""
    alone = [interval for interval, session, _ in held if session is None]
    grouped: dict[tuple, list] = defaultdict(list)
    for interval, session, span in held:
        if session is not None:
            grouped[session].append((interval, span))
    if not grouped:
        model.AddNoOverlap(alone)
        return
    if len(alone) > 1:
        model.AddNoOverlap(alone)
    sessions = sorted(grouped)
    for session in sessions:
        members = [interval for interval, _ in grouped[session]]
        size = len(members)
        model.AddCumulative(members + alone, [1] * size + [size] * len(alone), size)
    for index, first in enumerate(sessions):
        for second in sessions[index + 1 :]:
            for a, (a_low, a_high) in grouped[first]:
                for b, (b_low, b_high) in grouped[second]:
                    if a_low < b_high + spacing and b_low < a_high + spacing:
                        model.AddNoOverlap([a, b])


def _fixed(literal: object) -> bool:
    return isinstance(literal, int)


def max_links(model: cp_model.CpModel, problem: Problem, candidates: Sequence[Candidate]) -> None:
    """At most max_links tracks at a complex at once, setup to teardown."""
    for limits in problem.complex_limits:
        if not limits.max_links:
            continue
        busy = [
            _interval(
                model,
                c.start - o.setup,
                c.duration + o.setup + o.teardown,
                c.end + o.teardown,
                o.chosen,
                f"link[{c.demand.id}/{c.slot}@{limits.complex}]",
            )
            for c, o in _touching(problem, candidates, limits.complex)
        ]
        if len(busy) > limits.max_links:
            model.AddCumulative(busy, [1] * len(busy), limits.max_links)


def interference(model: cp_model.CpModel, problem: Problem, candidates: Sequence[Candidate], unit: int) -> None:
    """Requests that interfere at a complex are never on target there at once while their targets
    are close: their time on target, clipped to each such span, does not overlap."""
    by_request: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        by_request[candidate.demand.request_id].append(candidate)
    for rule in problem.interference:
        for low, high in rule.spans:
            span = (low // unit, -(-high // unit))
            first = _clipped(model, problem, by_request[rule.first], rule, span)
            second = _clipped(model, problem, by_request[rule.second], rule, span)
            if not first or not second:
                continue
            chained = any(c.demand.coverage is not None for c in by_request[rule.first] + by_request[rule.second])
            if chained:  # coverage links overlap each other by design: keep pairs apart
                for a in first:
                    for b in second:
                        model.AddNoOverlap([a, b])
            else:
                model.AddNoOverlap(first + second)


def _clipped(
    model: cp_model.CpModel, problem: Problem, candidates: list[Candidate], rule: Interference, span: tuple[int, int]
) -> list[cp_model.IntervalVar]:
    """Time on target of each candidate at the rule's complex, within `span` (units)."""
    low, high = span
    found = []
    for candidate in candidates:
        here = at_complex(model, problem, candidate, rule.complex)
        if here is None:
            continue
        start_low, start_high = bounds(model, candidate.start)
        end_low, end_high = bounds(model, candidate.end)
        if end_high <= low or start_low >= high:
            continue
        name = f"rfi[{candidate.demand.id}/{candidate.slot}@{rule.complex}]"
        if low <= start_low and end_high <= high:
            found.append(_interval(model, candidate.start, candidate.duration, candidate.end, here, name))
            continue
        meets = model.NewBoolVar(f"meets[{name}]")
        model.Add(candidate.start <= high - 1).OnlyEnforceIf(meets)
        model.Add(candidate.end >= low + 1).OnlyEnforceIf(meets)
        if not _fixed(here):
            model.AddImplication(meets, here)
        before = model.NewBoolVar(f"before[{name}]")  # ends by the span's start, or starts at its end
        model.Add(candidate.end <= low).OnlyEnforceIf(before)
        after = model.NewBoolVar(f"after[{name}]")
        model.Add(candidate.start >= high).OnlyEnforceIf(after)
        absent = [] if _fixed(here) else [here.Not()]
        model.AddBoolOr([meets, before, after, *absent])
        begin = model.NewIntVar(min(low, start_low), max(high, start_high), f"from[{name}]")
        model.AddMaxEquality(begin, [candidate.start, low])
        finish = model.NewIntVar(min(low, end_low), max(high, end_high), f"to[{name}]")
        model.AddMinEquality(finish, [candidate.end, high])
        found.append(model.NewOptionalIntervalVar(begin, finish - begin, finish, meets, name))
    return found
