"""Constraint families of the allocation model, one function per request semantic.

Each takes the model context (`context.py`) and returns nothing or the expressions later terms
need (counted seconds per demand); what later families reuse goes into the context.
"""

from collections import defaultdict
from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.problem.downtime import merged_downtime
from scheduler.problem.grid import snap
from scheduler.problem.scoring import covered_prefix, union_length
from scheduler.problem.track_groups import locked_groups
from scheduler.problem.types import Demand
from scheduler.solvers.cpsat.candidates import Candidate
from scheduler.solvers.cpsat.context import ModelContext

LinearExpr = cp_model.LinearExprT


def busy_intervals(model: cp_model.CpModel, candidate: Candidate) -> list[tuple[str, cp_model.IntervalVar]]:
    """(antenna, interval) pairs: what each option occupies, setup to teardown."""
    found = []
    for option in candidate.options:
        name = f"busy[{candidate.demand.id}/{candidate.slot}]"
        if isinstance(option.chosen, int):
            start = candidate.start - option.setup
            size = candidate.duration + option.setup + option.teardown
            interval = model.NewIntervalVar(start, size, start + size, name)
        else:
            interval = model.NewOptionalIntervalVar(
                candidate.start - option.setup,
                candidate.duration + option.setup + option.teardown,
                candidate.end + option.teardown,
                option.chosen,
                name,
            )
        found += [(antenna, interval) for antenna in option.antennas]
    return found


def antenna_use(ctx: ModelContext) -> None:
    """An antenna does one thing at a time, setup, teardown and downtime included, except that
    tracks of different requests sharing an MSPA tag may overlap each other there."""
    model, problem, candidates, unit = ctx.model, ctx.problem, ctx.candidates, ctx.unit
    occupied: dict[str, list[tuple[cp_model.IntervalVar, str | None, str]]] = defaultdict(list)
    for candidate in candidates:
        for antenna, interval in busy_intervals(model, candidate):
            occupied[antenna].append((interval, candidate.demand.mspa, candidate.demand.request_id))
    for antenna, spans in merged_downtime(problem, unit).items():  # overlapping outages would conflict
        for start, end in spans:
            occupied[antenna].append((model.NewIntervalVar(start, end - start, end, f"down[{antenna}]"), None, ""))
    for items in occupied.values():
        tags = {tag for _, tag, _ in items if tag is not None}
        if not tags:
            model.AddNoOverlap([interval for interval, _, _ in items])
            continue
        # Shared aperture: for each tag, its tracks take one unit of a capacity that any other use
        # (untagged, another tag's, downtime) fills, so only same-tag tracks overlap.
        intervals = [interval for interval, _, _ in items]
        by_request: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
        for interval, tag, request in items:
            if tag is not None:
                by_request[request].append(interval)
        for own in by_request.values():  # a request's own tracks never share the antenna
            if len(own) > 1:
                model.AddNoOverlap(own)
        for tag in sorted(tags):
            sharing = len({r for _, t, r in items if t == tag})
            model.AddCumulative(intervals, [1 if t == tag else sharing for _, t, _ in items], sharing)


def request_spacing(ctx: ModelContext) -> None:
    """A request's tracks never overlap in time, and consecutive ones are `min_gap` apart.
    Links of a coverage chain are exempt: they overlap by design."""
    model, candidates, unit = ctx.model, ctx.candidates, ctx.unit
    by_request: dict[str, list[cp_model.IntervalVar]] = defaultdict(list)
    for candidate in candidates:
        demand = candidate.demand
        if demand.coverage is not None:
            continue
        gap = -(-demand.min_gap // unit)
        if gap == 0:
            by_request[demand.request_id].append(candidate.on_target)
            continue
        by_request[demand.request_id].append(
            model.NewOptionalIntervalVar(
                candidate.start,
                candidate.duration + gap,
                candidate.end + gap,
                candidate.present,
                f"spaced[{demand.id}/{candidate.slot}]",
            )
            if not isinstance(candidate.present, int)
            else model.NewIntervalVar(
                candidate.start, candidate.duration + gap, candidate.end + gap, f"spaced[{demand.id}]"
            )
        )
    for intervals in by_request.values():
        if len(intervals) > 1:
            model.AddNoOverlap(intervals)


def time_if_present(ctx: ModelContext, candidate: Candidate) -> LinearExpr:
    """Units on target: the duration when present, else zero (one variable per candidate)."""
    if candidate not in ctx.units_on_target:
        if candidate.shortest == candidate.longest:
            ctx.units_on_target[candidate] = candidate.shortest * candidate.present
        else:
            model = ctx.model
            value = model.NewIntVar(0, candidate.longest, f"counted[{candidate.demand.id}/{candidate.slot}]")
            model.Add(value == candidate.duration).OnlyEnforceIf(candidate.present)
            model.Add(value <= candidate.longest * candidate.present)  # zero when absent; tight LP relaxation
            ctx.units_on_target[candidate] = value
    return ctx.units_on_target[candidate]


def counted(ctx: ModelContext, candidate: Candidate) -> LinearExpr:
    """Seconds on target a candidate contributes."""
    if candidate.locked is not None:
        return min(candidate.locked.duration, candidate.demand.max_duration)
    return ctx.unit * time_if_present(ctx, candidate)


def capacity_cuts(ctx: ModelContext) -> None:
    """Redundant cuts for a tight LP bound: on each antenna, the tracks whose opportunities lie
    in one stretch of overlapping opportunities, with their setup and teardown, fit in it."""
    model, problem, candidates, unit = ctx.model, ctx.problem, ctx.candidates, ctx.unit
    spans: dict[str, list[tuple[int, int, LinearExpr]]] = defaultdict(list)
    for candidate in candidates:
        if candidate.demand.mspa is not None or len(candidate.options) != 1:
            continue  # shared apertures overlap; chain links choose their antenna
        option = candidate.options[0]
        if candidate.locked is not None:
            low, high = candidate.start - option.setup, candidate.end + option.teardown
            busy = high - low
        else:
            grid = snap(option.opportunity, candidate.shortest, unit)
            low, high = grid.earliest - grid.setup, grid.latest_end + grid.teardown
            busy = time_if_present(ctx, candidate) + (grid.setup + grid.teardown) * candidate.present
        for antenna in option.antennas:
            spans[antenna].append((low, high, busy))
    down = merged_downtime(problem, unit)
    for antenna, items in spans.items():
        items.sort(key=lambda item: (item[0], item[1]))
        stretch: list[LinearExpr] = []
        low = high = None
        for start, end, busy in [*items, (None, None, 0)]:
            if start is None or (high is not None and start >= high):
                if len(stretch) > 1:
                    blocked = sum(max(0, min(b, high) - max(a, low)) for a, b in down.get(antenna, ()))
                    model.Add(sum(stretch) <= high - low - blocked)
                stretch, low, high = [], start, end
            if start is not None:
                low = start if low is None else low
                high = end if high is None else max(high, end)
                stretch.append(busy)


def whole_tracks(ctx: ModelContext, demand: Demand) -> LinearExpr:
    """Unsplit tracks: at most `tracks` per demand; returns the counted seconds."""
    candidates = ctx.by_demand[demand.id]
    ctx.model.Add(sum(c.present for c in candidates) <= demand.tracks)
    return sum(counted(ctx, c) for c in candidates)


def split_tracks(ctx: ModelContext, demand: Demand) -> LinearExpr:
    """Split tracks: each segment belongs to one of the demand's tracks; a used track's segments
    total min_duration..max_duration. Locked segments sharing a group are one locked track.
    Returns counted seconds; each track's literal goes to `ctx.split_used`, each segment's
    membership to `ctx.membership`."""
    model, candidates, unit = ctx.model, ctx.by_demand[demand.id], ctx.unit
    locked_tracks = locked_groups(c.locked for c in candidates if c.locked is not None)
    free = [c for c in candidates if c.locked is None]
    total: LinearExpr = sum(min(sum(t.duration for t in group), demand.max_duration) for group in locked_tracks)
    shortest, longest = -(-demand.min_duration // unit), demand.max_duration // unit
    used_before = None
    for number in range(max(0, demand.tracks - len(locked_tracks))):
        used = model.NewBoolVar(f"used[{demand.id}#{number}]")
        ctx.split_used.setdefault(demand.id, []).append(used)  # critical_met counts them
        parts = []
        for candidate in free:
            member = model.NewBoolVar(f"member[{demand.id}/{candidate.slot}#{number}]")
            part = model.NewIntVar(0, candidate.longest, f"part[{demand.id}/{candidate.slot}#{number}]")
            model.Add(part == candidate.duration).OnlyEnforceIf(member)
            model.Add(part <= candidate.longest * member)
            model.AddImplication(member, used)
            ctx.membership.setdefault(candidate, []).append((number, member))
            parts.append(part)
        model.Add(sum(parts) >= shortest * used)
        model.Add(sum(parts) <= longest * used)
        if used_before is not None:  # symmetry: tracks are used in order
            model.AddImplication(used, used_before)
        used_before = used
        total += unit * sum(parts)
    for candidate in free:  # a present segment belongs to exactly one track
        members = [m for _, m in ctx.membership.get(candidate, [])]
        model.Add(sum(members) == candidate.present)
    return total


def coverage(ctx: ModelContext, demand: Demand) -> LinearExpr:
    """A coverage demand: its locked links cover the window from its start as far as they reach,
    a chain of free links covers on from there. Returns the seconds covered."""
    made = ctx.by_demand[demand.id]
    assert demand.coverage is not None
    links = [c for c in made if c.locked is None]
    fixed = [c.locked for c in made if c.locked is not None]
    prefix = covered_prefix(fixed, demand.coverage)[0] // ctx.unit  # locked links from the window start
    chain = coverage_chain(ctx.model, demand, links, ctx.unit, prefix) if links else 0
    return chain + union_length([(t.start, t.end) for t in fixed], demand.coverage)


def coverage_chain(
    model: cp_model.CpModel, demand: Demand, links: Sequence[Candidate], unit: int, covered: int = 0
) -> LinearExpr:
    """Links cover the window in time order; consecutive links either overlap by ≥ handover
    (a handover) or do not overlap at all (a break). Returns the seconds the links cover beyond
    `covered` (units from the start already covered by locked links), less one handover for
    each break, so that touching links never pass for a handover."""
    handover = -(-demand.handover // unit)
    covered, breaks = [], []
    for number, link in enumerate(links):
        value = model.NewIntVar(0, link.longest, f"covered[{demand.id}/{number}]")
        model.Add(value <= link.longest * link.present)
        if number == 0:
            if covered:  # maximising makes it min(duration, end - covered)
                model.Add(value <= link.duration)
                model.Add(value <= link.end - covered).OnlyEnforceIf(link.present)
            else:
                model.Add(value == link.duration).OnlyEnforceIf(link.present)
        else:
            before = links[number - 1]
            model.AddImplication(link.present, before.present)  # links are used in order
            model.Add(link.start >= before.start + 1).OnlyEnforceIf(link.present)
            model.Add(link.end >= before.end + 1).OnlyEnforceIf(link.present)
            chained = model.NewBoolVar(f"handover[{demand.id}/{number}]")
            model.AddImplication(chained, link.present)
            model.Add(link.start <= before.end - handover).OnlyEnforceIf(chained)
            model.Add(value == link.end - before.end).OnlyEnforceIf(chained)
            model.Add(link.start >= before.end).OnlyEnforceIf([chained.Not(), link.present])
            model.Add(value == link.duration).OnlyEnforceIf([chained.Not(), link.present])
            breaks.append(link.present - chained)  # a link that does not take over from the one before
        covered.append(value)
    # Each opportunity serves at most one link.
    for number in range(len(links[0].options) if links else 0):
        model.Add(sum(link.options[number].chosen for link in links) <= 1)
    return unit * sum(covered) - demand.handover * sum(breaks)
