"""The CP-SAT allocation model: variables, one constraint family per request semantic, the objective.

Read top to bottom like the formula (README "Objective", "Request semantics"). Variables:
optional intervals for tracks, split-track segments and coverage links, each inside an
opportunity (`candidates.py`). Constraints: antenna use, request spacing, demand counts and
capacity cuts (`semantics.py`; data volume in `volume.py`), the mission rule (`missions.py`),
the complexes' rules (`complexes.py`) and the request rules (`operations.py`). Objective:
`_objective` below, term by term (a repair's or proposal's moved tracks and agencies
asked to consent among them). The families share one typed `ModelContext` (`context.py`);
a hint is read in `readback.py`. Times in the model are integer multiples of the resolution.
"""

from collections import defaultdict

from ortools.sat.python import cp_model

from scheduler.problem.grid import chain_count, snap
from scheduler.problem.scoring import FLOOR_WEIGHT, FRACTION_SCALE, Coefficients, coefficients, mission_floors
from scheduler.problem.track_groups import by_demand, tracks_held
from scheduler.problem.types import Demand, Problem, Track, priority_weight
from scheduler.solvers.cpsat import candidates as cand
from scheduler.solvers.cpsat import complexes, missions, operations, semantics
from scheduler.solvers.cpsat.candidates import AllocationModel, Candidate
from scheduler.solvers.cpsat.context import LinearExpr, ModelContext
from scheduler.solvers.cpsat.operations import RulePenalties
from scheduler.solvers.cpsat.readback import add_hint
from scheduler.solvers.cpsat.volume import volume_tracks

__all__ = ["AllocationModel", "Candidate", "build_model"]


def build_model(problem: Problem, hint: tuple[Track, ...] = (), require_critical: bool = False) -> AllocationModel:
    """The model of `problem`; `hint` (e.g. the greedy schedule) seeds the search. With
    `require_critical`, critical demands must be met (to prove that they cannot be)."""
    ctx = ModelContext(cp_model.CpModel(), problem, problem.resolution, {})
    model, unit = ctx.model, ctx.unit
    locked = by_demand(problem.locked)
    hinted_links = {demand_id: len(mine) for demand_id, mine in by_demand(hint).items()}

    # Candidates: fixed locked tracks, then optional tracks/segments per opportunity or chain links.
    for demand in problem.demands:
        made = [cand.locked_track(model, demand, t, unit) for t in locked[demand.id]]
        if demand.coverage is not None:
            count = chain_count(demand, unit, hinted_links.get(demand.id, 0))
            made += cand.coverage_links(model, demand, unit, count)
        else:
            slots = demand.tracks - tracks_held(demand, locked[demand.id])
            for opportunity in demand.opportunities:
                if slots > 0:
                    made += cand.in_opportunity(model, demand, opportunity, unit, slots)
        ctx.by_demand[demand.id] = made

    # Antennas: one use at a time (MSPA partners excepted), setup, teardown and downtime included.
    semantics.antenna_use(ctx)
    # Requests: own tracks never overlap and keep min_gap apart.
    semantics.request_spacing(ctx)
    # Missions: a spacecraft is tracked by one antenna at a time (concurrent demands aside).
    missions.one_antenna_at_a_time(ctx)
    # Demands: how many tracks, split segments or coverage; seconds that count.
    for demand in problem.demands:
        if demand.coverage is not None:
            ctx.counted[demand.id] = semantics.coverage(ctx, demand)
        elif demand.volume_bits is not None:
            ctx.counted[demand.id] = volume_tracks(model, demand, ctx.by_demand[demand.id], unit)
        elif demand.min_segment:
            ctx.counted[demand.id] = semantics.split_tracks(ctx, demand)
        else:
            ctx.counted[demand.id] = semantics.whole_tracks(ctx, demand)

    # Redundant: antenna time in each stretch of overlapping opportunities (a tight LP bound).
    semantics.capacity_cuts(ctx)

    # Operations rules: complexes' start spacing and links, RFI; after links, max_gap, spread, critical.
    everything = ctx.candidates
    complexes.start_spacing(model, problem, everything, unit)
    complexes.max_links(model, problem, everything)
    complexes.interference(model, problem, everything, unit)
    penalties = operations.request_rules(ctx, require_critical)

    terms = _objective(ctx, penalties)
    allocation = AllocationModel(model, tuple(everything), unit, ctx.membership, terms)
    if hint:
        add_hint(allocation, problem, hint)
    return allocation


def _objective(ctx: ModelContext, penalties: RulePenalties) -> dict[str, LinearExpr]:
    """Maximise README "Objective", one named term each, in objective units
    (`scoring.objective_terms` computes each for any schedule). Returns the terms by name."""
    problem, coef = ctx.problem, coefficients(ctx.problem)
    moved, asked = _previous(ctx, coef) if problem.previous and (coef.change or coef.consent) else (0, 0)
    terms: dict[str, LinearExpr] = {
        # time · Σ w·t — priority-weighted seconds on target
        "time": coef.time * sum(priority_weight(d.priority) * ctx.counted[d.id] for d in problem.demands),
        # time · 10 · Σ_m min(t_m, floor · r_m) — each mission's floor: no starved mission
        "floor": coef.time * FLOOR_WEIGHT * sum(_floors(ctx)) if coef.time else 0,
        # − fairness · R · U_max — the worst mission's unsatisfied fraction
        "fairness": -coef.fairness * _worst(ctx, "mission") if coef.fairness else 0,
        # − agency_balance · R · A_max — the worst agency's unsatisfied fraction
        "agency_balance": -coef.agency_balance * _worst(ctx, "agency") if coef.agency_balance else 0,
        # − change_penalty · Σ w·t(moved) — a repair's previous tracks moved or dropped
        "change": -moved,
        # − consent · (agencies asked) — agencies whose previous tracks change must consent
        "consent": -coef.consent * asked,
        # − rules · Σ w·r(unmet) — unmet max_gap and spread
        "rules": -penalties.rules,
        # − C · (critical demands not met)
        "critical": -penalties.critical,
    }
    ctx.model.Maximize(sum(terms.values()))
    return terms


def _floors(ctx: ModelContext) -> list[cp_model.IntVar]:
    """min(t_m, floor · r_m) per mission with a floor: at most both, so maximising makes it tight."""
    members: dict[str, list[Demand]] = defaultdict(list)
    for demand in ctx.problem.demands:
        members[demand.mission].append(demand)
    lifted = []
    for mission, floor in mission_floors(ctx.problem).items():
        if floor > 0:
            value = ctx.model.NewIntVar(0, floor, f"floor[{mission}]")
            ctx.model.Add(value <= sum(ctx.counted[d.id] for d in members[mission]))
            lifted.append(value)
    return lifted


def _worst(ctx: ModelContext, key: str) -> cp_model.IntVar:
    """Thousandths of the largest unsatisfied fraction over groups of demands sharing `key`."""
    worst = ctx.model.NewIntVar(0, FRACTION_SCALE, f"worst[{key}]")
    groups: dict[str, list[Demand]] = defaultdict(list)
    for demand in ctx.problem.demands:
        groups[getattr(demand, key)].append(demand)
    for members in groups.values():
        requested = sum(d.requested for d in members)
        if requested > 0:
            got = sum(ctx.counted[d.id] for d in members)
            ctx.model.Add(worst * requested >= FRACTION_SCALE * requested - FRACTION_SCALE * got)
    return worst


def _previous(ctx: ModelContext, coef: Coefficients) -> tuple[LinearExpr, LinearExpr]:
    """A repair's or proposal's previous plan: (Σ change × w·t of each previous track that leaves
    its place, the number of agencies with such a track), each literal made once."""
    problem = ctx.problem
    kept = [_kept(ctx.model, track, ctx.by_demand[track.demand_id], ctx.unit) for track in problem.previous]
    moved = sum(
        coef.change * priority_weight(problem.demand(track.demand_id).priority) * track.duration * (1 - stays)
        for track, stays in zip(problem.previous, kept, strict=True)
    )
    asked = _agencies_asked(ctx.model, problem, kept) if coef.consent else 0
    return moved, asked


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
