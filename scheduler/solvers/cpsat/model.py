"""The CP-SAT allocation model.

Variables: optional intervals for tracks, split-track segments and coverage links, each
inside an opportunity (candidates.py). Constraints: one family per request semantic
(semantics.py; data volume in volume.py). Objective: priority-weighted time, fairness over
missions and balance over agencies, and for a repair or proposal the cost of moving previous
tracks and of each agency asked to consent (problem/scoring.py gives its exact value). Times in
the model are integer multiples of the problem's resolution.
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.problem.grid import chain_count, snap
from scheduler.problem.scoring import (
    FLOOR_WEIGHT,
    FRACTION_SCALE,
    coefficients,
    covered_prefix,
    mission_floors,
    union_length,
)
from scheduler.problem.track_groups import locked_groups
from scheduler.problem.types import Demand, Problem, Track, priority_weight
from scheduler.solvers.cpsat import candidates as cand
from scheduler.solvers.cpsat import complexes, operations, semantics
from scheduler.solvers.cpsat.candidates import AllocationModel, Candidate
from scheduler.solvers.cpsat.readback import add_hint
from scheduler.solvers.cpsat.volume import volume_tracks

__all__ = ["AllocationModel", "Candidate", "build_model"]


def build_model(problem: Problem, hint: tuple[Track, ...] = (), require_critical: bool = False) -> AllocationModel:
    """The model of `problem`; `hint` (e.g. the greedy schedule) seeds the search. With
    `require_critical`, critical demands must be met (to prove that they cannot be)."""
    model = cp_model.CpModel()
    unit = problem.resolution
    locked: dict[str, list[Track]] = defaultdict(list)
    for track in problem.locked:
        locked[track.demand_id].append(track)
    hinted_links: dict[str, int] = defaultdict(int)
    for track in hint:
        hinted_links[track.demand_id] += 1

    # Candidates: fixed locked tracks, then optional tracks/segments per opportunity or chain links.
    by_demand: dict[str, list[Candidate]] = {}
    for demand in problem.demands:
        made = [cand.locked_track(model, demand, t, unit) for t in locked[demand.id]]
        if demand.coverage is not None:
            made += cand.coverage_links(model, demand, unit, chain_count(demand, unit, hinted_links[demand.id]))
        else:
            mine = locked[demand.id]
            slots = demand.tracks - (len(locked_groups(mine)) if demand.min_segment else len(mine))
            for opportunity in demand.opportunities:
                if slots > 0:
                    made += cand.in_opportunity(model, demand, opportunity, unit, slots)
        by_demand[demand.id] = made
    everything = [c for made in by_demand.values() for c in made]

    # Antennas: one use at a time (MSPA partners excepted), setup, teardown and downtime included.
    semantics.antenna_use(model, problem, everything, unit)
    # Requests: own tracks never overlap and keep min_gap apart.
    semantics.request_spacing(model, everything, unit)
    # Demands: how many tracks, split segments or coverage; seconds that count.
    membership: dict[int, list[tuple[int, cp_model.IntVar]]] = {}
    counted: dict[str, cp_model.LinearExprT] = {}
    memo: dict = {}
    for demand in problem.demands:
        made = by_demand[demand.id]
        if demand.coverage is not None:
            links = [c for c in made if c.locked is None]
            fixed = [c.locked for c in made if c.locked is not None]
            prefix = covered_prefix(fixed, demand.coverage)[0] // unit  # locked links from the window start
            chain = semantics.coverage_chain(model, demand, links, unit, prefix) if links else 0
            counted[demand.id] = chain + union_length([(t.start, t.end) for t in fixed], demand.coverage)
        elif demand.volume_bits is not None:
            counted[demand.id] = volume_tracks(model, demand, made, unit)
        elif demand.min_segment:
            counted[demand.id] = semantics.split_tracks(model, demand, made, unit, membership, memo)
        else:
            counted[demand.id] = semantics.whole_tracks(model, demand, made, unit, memo)

    # Redundant: antenna time in each stretch of overlapping opportunities (a tight LP bound).
    semantics.capacity_cuts(model, problem, everything, unit, memo)

    # Operations rules: complexes' start spacing and links, RFI; after links, max_gap, spread, critical.
    complexes.start_spacing(model, problem, everything, unit)
    complexes.max_links(model, problem, everything)
    complexes.interference(model, problem, everything, unit)
    penalty = operations.request_rules(model, problem, by_demand, unit, counted, memo, require_critical)

    _objective(model, problem, counted, everything, unit, penalty)
    allocation = AllocationModel(model, tuple(everything), unit, membership)
    if hint:
        add_hint(allocation, problem, hint)
    return allocation


def _worst(model: cp_model.CpModel, problem: Problem, counted: dict, key: str) -> cp_model.IntVar:
    """Thousandths of the largest unsatisfied fraction over groups of demands sharing `key`."""
    worst = model.NewIntVar(0, FRACTION_SCALE, f"worst[{key}]")
    groups: dict[str, list[Demand]] = defaultdict(list)
    for demand in problem.demands:
        groups[getattr(demand, key)].append(demand)
    for members in groups.values():
        requested = sum(d.requested for d in members)
        if requested > 0:
            got = sum(counted[d.id] for d in members)
            model.Add(worst * requested >= FRACTION_SCALE * requested - FRACTION_SCALE * got)
    return worst


def _objective(
    model: cp_model.CpModel, problem: Problem, counted: dict, candidates: list[Candidate], unit: int, penalty=0
) -> None:
    """Maximise weighted time and each mission's floor, minus unfairness over missions and agencies,
    moved tracks and the operations rules' `penalty` (unmet max_gap, spread and critical demands)."""
    coef = coefficients(problem)
    weighted = sum(priority_weight(d.priority) * counted[d.id] for d in problem.demands)
    terms = [coef.time * weighted, -penalty]
    members: dict[str, list[Demand]] = defaultdict(list)
    for demand in problem.demands:
        members[demand.mission].append(demand)
    for mission, floor in mission_floors(problem).items():
        if floor > 0 and coef.time:  # min(counted, floor): maximising makes the bound tight
            lifted = model.NewIntVar(0, floor, f"floor[{mission}]")
            model.Add(lifted <= sum(counted[d.id] for d in members[mission]))
            terms.append(coef.time * FLOOR_WEIGHT * lifted)
    if coef.fairness:
        terms.append(-coef.fairness * _worst(model, problem, counted, "mission"))
    if coef.agency_balance:
        terms.append(-coef.agency_balance * _worst(model, problem, counted, "agency"))
    if problem.previous and (coef.change or coef.consent):
        by_demand: dict[str, list[Candidate]] = defaultdict(list)
        for candidate in candidates:
            by_demand[candidate.demand.id].append(candidate)
        kept = [_kept(model, track, by_demand[track.demand_id], unit) for track in problem.previous]
        for track, stays in zip(problem.previous, kept, strict=True):
            cost = coef.change * priority_weight(problem.demand(track.demand_id).priority) * track.duration
            terms.append(-cost * (1 - stays))
        if coef.consent:
            terms.append(-coef.consent * _agencies_asked(model, problem, kept))
    model.Maximize(sum(terms))


def _agencies_asked(model: cp_model.CpModel, problem: Problem, kept: list) -> cp_model.LinearExprT:
    """The consent term's count (README: Objective): one literal per agency with previous tracks,
    1 when any of them leaves its place (moved, shortened or dropped). `kept` holds each previous
    track's literal (or constant), in `problem.previous` order."""
    moved: dict[str, list] = defaultdict(list)
    for track, stays in zip(problem.previous, kept, strict=True):
        moved[problem.demand(track.demand_id).agency].append(stays)
    asked = []
    for agency, literals in sorted(moved.items()):
        if any(isinstance(k, int) and k == 0 for k in literals):
            asked.append(1)  # a previous track that cannot stay: the agency is asked whatever the plan
            continue
        changes = [k for k in literals if not isinstance(k, int)]
        if changes:
            agency_asked = model.NewBoolVar(f"asked[{agency}]")
            for stays in changes:
                model.Add(agency_asked >= 1 - stays)
            asked.append(agency_asked)
    return sum(asked)


def _kept(model: cp_model.CpModel, track: Track, candidates: list[Candidate], unit: int) -> cp_model.LinearExprT:
    """1 when a previous track stays at exactly its place (same antennas and times); `candidates`
    are its demand's."""
    if track.start % unit or track.end % unit:
        return 0
    start, end = track.start // unit, track.end // unit
    ways = []
    for candidate in candidates:
        if candidate.locked is not None:
            if candidate.locked.same_place(track):
                return 1
            continue
        if not candidate.shortest <= end - start <= candidate.longest:
            continue
        for option in candidate.options:
            grid = option.opportunity and snap(option.opportunity, candidate.shortest, unit)
            if option.antennas != track.antennas or not grid:
                continue
            if not (grid.earliest <= start <= grid.latest_start and end <= grid.latest_end):
                continue
            here = model.NewBoolVar(f"kept[{track.demand_id}@{track.start}]")
            model.AddImplication(here, option.chosen)
            model.Add(candidate.start == start).OnlyEnforceIf(here)
            model.Add(candidate.end == end).OnlyEnforceIf(here)
            ways.append(here)
    if not ways:
        return 0
    kept = model.NewBoolVar(f"kept[{track.demand_id}@{track.start}]")
    model.Add(kept <= sum(ways))
    return kept
