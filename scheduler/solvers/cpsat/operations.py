"""Constraint families of the request-level operations rules (README: Request semantics), one
function each: `after` links, `max_gap`, `spread`, `critical`. `after` is hard; max_gap and spread
are soft (a literal each, true when met, with a penalty when false); a critical demand's literal
carries a penalty above every other term (or is required, to prove a demand impossible).
Each takes the model context (`context.py`).
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ortools.sat.python import cp_model

from scheduler.problem.operations import gap_window
from scheduler.problem.scoring import coefficients, rule_weights
from scheduler.problem.track_groups import locked_groups
from scheduler.problem.types import Demand, Problem
from scheduler.solvers.cpsat.candidates import Candidate
from scheduler.solvers.cpsat.context import ModelContext

LinearExpr = cp_model.LinearExprT


def bounds(model: cp_model.CpModel, value: cp_model.IntVar | int) -> tuple[int, int]:
    """The domain's lowest and highest value of a variable (or a constant)."""
    if isinstance(value, int):
        return value, value
    domain = list(model.Proto().variables[value.Index()].domain)
    return domain[0], domain[-1]


def _true(literal: object) -> bool:
    return isinstance(literal, int) and literal == 1


def after_links(ctx: ModelContext) -> None:
    """Each track of a request with `after` starts least..most after the end of a track of the
    request it follows, a different one for each track (one link variable per pair that can meet)."""
    model, problem, by_demand, unit = ctx.model, ctx.problem, ctx.by_demand, ctx.unit
    serving: dict[tuple[str, Candidate], list[cp_model.IntVar]] = defaultdict(list)
    for demand in problem.demands:
        if demand.after is None:
            continue
        after = demand.after
        earlier = [c for d in problem.demands if d.request_id == after.request_id for c in by_demand[d.id]]
        least, most = -(-after.least // unit), after.most // unit
        for later in by_demand[demand.id]:
            start_low, start_high = bounds(model, later.start)
            links = []
            for first in earlier:
                end_low, end_high = bounds(model, first.end)
                if start_high < end_low + least or start_low > end_high + most:
                    continue
                link = model.NewBoolVar(f"after[{demand.id}/{later.slot}<{first.demand.id}/{first.slot}]")
                if not _true(first.present):
                    model.AddImplication(link, first.present)
                model.Add(later.start - first.end >= least).OnlyEnforceIf(link)
                model.Add(later.start - first.end <= most).OnlyEnforceIf(link)
                serving[(demand.request_id, first)].append(link)
                links.append(link)
            model.Add(sum(links) == later.present)
    for links in serving.values():
        if len(links) > 1:
            model.AddAtMostOne(links)


def gap_met(
    model: cp_model.CpModel, problem: Problem, demands: Sequence[Demand], candidates: list[Candidate], unit: int
):
    """A literal true only if no stretch of the request's gap window longer than max_gap lacks one
    of its tracks: some track starts within max_gap of the window's start, and after every track
    either the window ends within max_gap or another track starts within max_gap and ends later."""
    first = demands[0]
    low, high = gap_window(problem, first)
    met = model.NewBoolVar(f"gap_met[{first.request_id}]")
    if high - low <= first.max_gap:
        model.Add(met == 1)
        return met
    gap = first.max_gap // unit
    first_start = (low + first.max_gap) // unit
    last_end = -(-(high - first.max_gap) // unit)
    opening = []
    for candidate in candidates:
        if bounds(model, candidate.start)[0] <= first_start:
            opening.append(_witness(model, candidate, [candidate.start <= first_start], "opens"))
    model.AddBoolOr([met.Not(), *opening])
    for track in candidates:
        end_low, end_high = bounds(model, track.end)
        ways = []
        if end_high >= last_end:
            ways.append(_witness(model, track, [track.end >= last_end], "closes", present=False))
        for other in candidates:
            if other is track:
                continue
            start_low, _ = bounds(model, other.start)
            if start_low <= end_high + gap and bounds(model, other.end)[1] >= end_low + 1:
                ways.append(
                    _witness(model, other, [other.start - track.end <= gap, other.end - track.end >= 1], "next")
                )
        model.AddBoolOr([met.Not(), *([] if _true(track.present) else [track.present.Not()]), *ways])
    return met


def _witness(model: cp_model.CpModel, candidate: Candidate, conditions: list, name: str, present: bool = True):
    """A literal that, when true, makes `conditions` hold (and the candidate present)."""
    literal = model.NewBoolVar(f"{name}[{candidate.demand.id}/{candidate.slot}]")
    if present and not _true(candidate.present):
        model.AddImplication(literal, candidate.present)
    for condition in conditions:
        model.Add(condition).OnlyEnforceIf(literal)
    return literal


def spread_met(model: cp_model.CpModel, problem: Problem, demand: Demand, candidates: list[Candidate]):
    """A literal true only if the demand's tracks use at least `spread` complexes."""
    used = []
    names = sorted({problem.complex_of(a) for c in candidates for o in c.options for a in o.antennas})
    for name in names:
        here = [at_complex(model, problem, c, name) for c in candidates]
        here = [h for h in here if h is not None]
        if any(_true(h) for h in here):
            used.append(1)
            continue
        flag = model.NewBoolVar(f"uses[{demand.id}@{name}]")
        model.AddBoolOr([flag.Not(), *here])
        used.append(flag)
    met = model.NewBoolVar(f"spread_met[{demand.id}]")
    model.Add(sum(used) >= demand.spread).OnlyEnforceIf(met)
    return met


def at_complex(model: cp_model.CpModel, problem: Problem, candidate: Candidate, name: str):
    """True when the candidate is placed at complex `name` (None when it never can be)."""
    options = [o for o in candidate.options if any(problem.complex_of(a) == name for a in o.antennas)]
    if not options:
        return None
    if len(options) == 1:
        return options[0].chosen
    here = model.NewBoolVar(f"at[{candidate.demand.id}/{candidate.slot}@{name}]")
    model.Add(here == sum(o.chosen for o in options))
    return here


def critical_met(ctx: ModelContext, demand: Demand):
    """A literal true only if the demand is met in full (its tracks; its coverage window)."""
    model, candidates, counted = ctx.model, ctx.by_demand[demand.id], ctx.counted[demand.id]
    met = model.NewBoolVar(f"critical_met[{demand.id}]")
    locked = [c.locked for c in candidates if c.locked is not None]
    if demand.coverage is not None or demand.volume_bits is not None:  # the window covered; the volume returned
        model.Add(counted >= demand.requested).OnlyEnforceIf(met)
    elif demand.min_segment:
        whole = sum(sum(t.duration for t in g) >= demand.min_duration for g in locked_groups(locked))
        model.Add(sum(ctx.split_used.get(demand.id, [])) + whole >= demand.tracks).OnlyEnforceIf(met)
    else:
        whole = sum(t.duration >= demand.min_duration for t in locked if t is not None)
        free = [c.present for c in candidates if c.locked is None]
        model.Add(sum(free) + whole >= demand.tracks).OnlyEnforceIf(met)
    return met


@dataclass(frozen=True)
class RulePenalties:
    """The objective's cost of the request rules, in objective units: unmet max_gap and spread
    (README "Objective": rules · Σ w·r(unmet)), unmet critical demands (C · (critical unmet))."""

    rules: LinearExpr = 0
    critical: LinearExpr = 0


def request_rules(ctx: ModelContext, require_critical: bool = False) -> RulePenalties:
    """Every request-level operations rule; returns what their unmet literals cost."""
    model, problem, by_demand, unit = ctx.model, ctx.problem, ctx.by_demand, ctx.unit
    after_links(ctx)
    coef = coefficients(problem)
    weights = rule_weights(problem)
    unmet_rules: list[LinearExpr] = []
    critical: list[LinearExpr] = []
    gaps: dict[str, cp_model.IntVar] = {}
    spreads: dict[str, cp_model.IntVar] = {}
    requests: dict[str, list[Demand]] = defaultdict(list)
    for demand in problem.demands:
        requests[demand.request_id].append(demand)
    for request_id, demands in requests.items():
        if demands[0].max_gap:
            candidates = [c for d in demands for c in by_demand[d.id]]
            gaps[request_id] = gap_met(model, problem, demands, candidates, unit)
            unmet_rules.append(coef.rules * weights["gap:" + request_id] * (1 - gaps[request_id]))
    for demand in problem.demands:
        if demand.spread:
            spreads[demand.id] = spread_met(model, problem, demand, by_demand[demand.id])
            unmet_rules.append(coef.rules * weights["spread:" + demand.id] * (1 - spreads[demand.id]))
        if demand.critical:
            met = critical_met(ctx, demand)
            for rule in (gaps.get(demand.request_id), spreads.get(demand.id)):
                if rule is not None:
                    model.AddImplication(met, rule)
            if require_critical:
                model.Add(met == 1)
            critical.append(coef.critical * (1 - met))
    return RulePenalties(sum(unmet_rules), sum(critical))
