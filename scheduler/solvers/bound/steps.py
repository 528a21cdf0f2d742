"""The relaxation's time grid: every priced demand's pieces as jobs on steps of Δ seconds (10 minutes
by policy), rounded in the requests' favour so that every real schedule maps onto the grid.

The map. A real piece on target over [s, e) (integer seconds, length L = e − s) becomes the grid
piece [S, E) with S = ⌊s/Δ⌋, E = ⌊e/Δ⌋; it counts min((E − S + ε)·Δ, u) seconds (u: the longest
piece), where ε = 1 when Δ > 1 (real times fall between steps) and ε = 0 when Δ = 1 (the map is
the identity), less what lies outside the view period [on, off]: on − S·Δ when S = ⌊on/Δ⌋ (the
job's head), (E + 1)·Δ − off when E = ⌊off/Δ⌋ (its tail) — a real piece there starts at on or
later, ends at off or earlier. A job has SU = ⌊su/Δ⌋ setup and TD = ⌊td/Δ⌋ teardown steps: its antenna use is
[S − SU, E + TD). (The cap splits a piece's lengths into one job counting E − S + ε steps and a job
per longer length counting u/Δ: `Job.credit`.)

Claim: the grid pieces of any valid real schedule form a valid grid schedule of at least its value.
1. Value: E − S = ⌊s/Δ + L/Δ⌋ − ⌊s/Δ⌋ ≥ ⌊L/Δ⌋, so (E − S + ε)·Δ ≥ L, and u ≥ L; E − S ≤ ⌈L/Δ⌉.
   At the edges L = e − s ≤ min((E + 1)·Δ, off) − max(S·Δ, on): the head and tail. Under the cap,
   min(u, x − h − t) ≥ u − (h − c)⁺ − (t − c)⁺ with c = x − u ≥ 0 keeps a capped job's count
   separable in S and E.
2. Inside its view period [on, off] with latest start ls: S ∈ [⌊on/Δ⌋, ⌊ls/Δ⌋], E ≤ ⌊off/Δ⌋; lengths
   L ∈ [ℓ, u] give E − S ∈ [⌊ℓ/Δ⌋, ⌈u/Δ⌉].
3. One antenna: e₁ + td₁ + su₂ ≤ s₂ gives S₂ − E₁ = ⌊s₂/Δ⌋ − ⌊e₁/Δ⌋ ≥ ⌊(td₁ + su₂)/Δ⌋ ≥ TD₁ + SU₂
   (⌊x + y⌋ − ⌊x⌋ ≥ ⌊y⌋ and ⌊a⌋ + ⌊b⌋ ≤ ⌊a + b⌋): the grid uses do not overlap.
4. Downtime and locked tracks' antenna time [d₀, d₁) block steps [⌊d₀/Δ⌋, ⌊d₁/Δ⌋): a real use
   ending by d₀ ends on the grid by ⌊e/Δ⌋ + ⌊td/Δ⌋ ≤ ⌊d₀/Δ⌋; one starting at s − su ≥ d₁ starts at
   ⌊s/Δ⌋ − ⌊su/Δ⌋ ≥ ⌊(s − su)/Δ⌋ ≥ ⌊d₁/Δ⌋.
5. The mission rule: a piece holds its key's steps [S, E); two real pieces with e₁ ≤ s₂ have
   E₁ ≤ S₂, so no step is held twice; a locked piece [s, e) fills [⌊s/Δ⌋, ⌊e/Δ⌋), which no other
   piece of its key can then hold (it would end by ⌊s/Δ⌋ or start from ⌊e/Δ⌋).
6. An array piece is one job on each member with equal real time, which is what its rows ask.
So any schedule's value is at most the grid optimum, and every bound on that is one on the real
problem. Each job's antenna use lasts at least a step (`_step` picks Δ so: the pricing DP needs
it); Δ = 1 always qualifies.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from scheduler.problem.downtime import merged_downtime
from scheduler.problem.types import Demand, Problem, Track

STEPS = (600, 300, 120, 60, 30, 10, 1)  # Δ tried in turn (from the policy's step down)


@dataclass(frozen=True)
class Job:
    """A piece of demand `demand` (its index) on one antenna: on target over steps [S, E) with
    S in [s_lo, s_hi], E ≤ e_hi, short ≤ E − S ≤ long, counting (E − S + credit)·Δ seconds; the
    antenna busy over [S − su, E + td). Its seconds count in master row `link` (the demand's own,
    or its array member's); it holds mission-rule key `key` (−1: none) at 1/share per step, and
    counts 1/share of a piece."""

    demand: int
    link: int
    key: int
    opportunity: int
    s_lo: int
    s_hi: int
    e_hi: int
    short: int
    long: int
    su: int
    td: int
    share: int
    credit: float = 0.0
    head: float = 0.0  # steps not counted when S = s_lo (the view period begins inside that step)
    tail: float = 0.0  # steps not counted when E = e_hi (it ends inside that step)

    def counted(self, start: int, end: int) -> float:
        """Steps the piece [start, end) counts."""
        cut = (self.head if start == self.s_lo else 0.0) + (self.tail if end == self.e_hi else 0.0)
        return end - start + self.credit - cut


@dataclass(frozen=True)
class ArrayGroup:
    """An array (or ΔDOR) opportunity of one demand: the master counts the least of its members'
    seconds (`links`), at most `most` seconds."""

    demand: int
    links: tuple[int, ...]
    most: float


@dataclass(frozen=True)
class Grid:
    """The priced demands' jobs per antenna on steps of `step` seconds; `slack` is ε above.
    Master rows: `links` = one per demand, then one per array member; mission-rule keys `keys`,
    whose steps in `full` are already held by a locked track."""

    step: int
    slack: int
    steps: int
    priced: tuple[int, ...]
    antennas: tuple[str, ...]
    jobs: tuple[tuple[Job, ...], ...]  # per antenna
    arrays: tuple[ArrayGroup, ...]
    links: int
    keys: tuple[str, ...]
    full: frozenset[tuple[int, int]] = field(default=frozenset())

    def work(self) -> int:
        """Deterministic cost of pricing every antenna once (job-steps): the budget's unit."""
        return sum(sum(j.e_hi - j.s_lo for j in jobs) + self.steps for jobs in self.jobs)


def priced_demands(problem: Problem) -> tuple[int, ...]:
    """Demands the antenna schedules price: reachable, neither MSPA, coverage nor volume (those
    are bounded by their requested time alone)."""
    return tuple(
        i
        for i, d in enumerate(problem.demands)
        if d.opportunities and d.coverage is None and d.mspa is None and d.volume_bits is None
    )


def mission_key(demand: Demand) -> str:
    """The mission rule's key: the mission, or for a concurrent demand only its own request."""
    return f"request:{demand.request_id}" if demand.concurrent else f"mission:{demand.mission}"


def build_grid(problem: Problem, step_s: int) -> Grid:
    """The grid of `problem` at the coarsest step up to `step_s` where every job lasts a step."""
    priced = priced_demands(problem)
    step = _step(problem, priced, step_s)
    slack = 0 if step == 1 else 1
    keys = sorted({mission_key(problem.demands[r]) for r in priced})
    key_index = {k: i for i, k in enumerate(keys)}
    blocked = _blocked(problem, step)
    jobs: dict[str, list[Job]] = defaultdict(list)
    arrays: list[ArrayGroup] = []
    links = len(problem.demands)
    for r in priced:
        demand = problem.demands[r]
        short, long = demand.shortest_piece // step, -(-demand.max_duration // step)
        for number, opportunity in enumerate(demand.opportunities):
            s_lo, s_hi = opportunity.earliest_start // step, opportunity.latest_start // step
            e_hi = opportunity.latest_end // step
            su, td = opportunity.setup // step, opportunity.teardown // step
            share = len(opportunity.antennas)
            if share > 1:
                most = max(0, min(demand.requested, opportunity.latest_end - opportunity.earliest_start))
                arrays.append(ArrayGroup(r, tuple(range(links, links + share)), float(most)))
            for member, antenna in enumerate(opportunity.antennas):
                link = links + member if share > 1 else r
                for g0, g1 in _free(blocked.get(antenna, [])):
                    lo, end = max(s_lo, g0 + su), min(e_hi, g1 - td)
                    head = (opportunity.earliest_start - s_lo * step) / step if slack and lo == s_lo else 0.0
                    tail = ((e_hi + 1) * step - opportunity.latest_end) / step if slack and end == e_hi else 0.0
                    for shortest, longest, credit in _lengths(short, long, demand.max_duration / step, slack):
                        hi = min(s_hi, end - shortest)
                        over = longest + slack - credit - shortest if shortest == longest else 0.0  # a capped job's
                        if hi >= lo:  # room under its cap: edges cut only beyond it (a separable upper bound)
                            jobs[antenna].append(Job(r, link, key_index[mission_key(demand)], number, lo, hi, end,
                                                     shortest, longest, su, td, share, credit,
                                                     max(0.0, head - over), max(0.0, tail - over)))  # fmt: skip
            links += share if share > 1 else 0
    names = tuple(a for a in problem.antennas if jobs[a])
    steps = -(-problem.horizon // step) + 2
    full = _locked_steps(problem, step, key_index)
    return Grid(step, slack, steps, priced, names, tuple(tuple(jobs[a]) for a in names), tuple(arrays), links,
                tuple(keys), full)  # fmt: skip


def _lengths(short: int, long: int, most: float, slack: int) -> list[tuple[int, int, float]]:
    """(shortest, longest, credit) of the jobs a piece of short..long steps splits into, counting at
    most `most` steps: lengths counting E − S + ε while that is at most `most`, then one job per
    longer length counting `most`."""
    capped = min(long, int(most - slack))
    found = [(short, capped, float(slack))] if capped >= short else []
    return found + [(n, n, most - n) for n in range(max(short, capped + 1), long + 1)]


def _step(problem: Problem, priced: tuple[int, ...], most: int) -> int:
    """The coarsest Δ ≤ `most` at which every job's antenna use lasts at least one step."""
    for step in (s for s in STEPS if s <= most):
        if all(
            problem.demands[r].shortest_piece // step + o.setup // step + o.teardown // step >= 1
            for r in priced
            for o in problem.demands[r].opportunities
        ):
            return step
    return 1


def _blocked(problem: Problem, step: int) -> dict[str, list[tuple[int, int]]]:
    """Steps [⌊d₀/Δ⌋, ⌊d₁/Δ⌋) that downtime and locked tracks' antenna time take, per antenna."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for antenna, found in merged_downtime(problem).items():
        spans[antenna] += [(a // step, b // step) for a, b in found]
    for track in problem.locked:
        for antenna in track.antennas:
            spans[antenna].append(((track.start - track.setup) // step, (track.end + track.teardown) // step))
    return {a: sorted((s, e) for s, e in found if e > s) for a, found in spans.items()}


def _free(blocked: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The gaps between blocked spans, unbounded at both ends."""
    gaps, cursor = [], -(10**9)
    for start, end in blocked:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    gaps.append((cursor, 10**12))
    return gaps


def _locked_steps(problem: Problem, step: int, key_index: dict[str, int]) -> frozenset[tuple[int, int]]:
    """(key, step) cells a locked track fills whole: no priced piece of its mission may hold them."""
    cells = set()
    for track in problem.locked:
        key = key_index.get(mission_key(problem.demand(track.demand_id)))
        if key is not None:
            cells |= {(key, t) for t in range(track.start // step, track.end // step)}
    return frozenset(cells)


def grid_piece(track: Track, step: int) -> tuple[int, int]:
    """The grid piece [S, E) of a real track (the map above)."""
    return track.start // step, track.end // step
