"""Random allocation problems combining every request semantic (plain, MSPA, split, array, ΔDOR,
coverage, per-day and per-horizon demands, min_gap, outages, start spacing at complexes with MSPA
sessions, and the mission rule: six missions share the requests, a third of which are
`concurrent`), for property tests of the solvers."""

from datetime import UTC, datetime

from hypothesis import strategies as st

from scheduler.problem.types import ComplexLimits, Demand, Downtime, Opportunity, Problem

H = 3600
DAY = 24 * H
EPOCH = datetime(2026, 12, 7, tzinfo=UTC)
ANTENNAS = ("A1", "A2", "B1", "B2", "C1")
COMPLEX = {"A1": "A", "A2": "A", "B1": "B", "B2": "B", "C1": "C"}
HORIZON = 3 * DAY


@st.composite
def demands(draw: st.DrawFn, index: int) -> list[Demand]:
    kind = draw(st.sampled_from(["plain", "plain", "mspa", "mspa", "split", "array", "ddor", "coverage"]))
    shortest = draw(st.integers(1, 4)) * H
    longest = shortest + draw(st.integers(0, 2)) * H
    passes = []
    for antenna in ANTENNAS:
        for day in range(3):
            a = day * DAY + draw(st.integers(0, 12)) * H + H
            passes.append(((antenna,), a, min(HORIZON - H, a + draw(st.integers(6, 11)) * H)))
    if kind == "array":
        passes = [((x, y), a, b) for (x,), a, b in passes for y in ANTENNAS if COMPLEX[y] == COMPLEX[x] and y > x]
    if kind == "ddor":
        passes = [((x, "C1"), a, b) for (x,), a, b in passes if x in ("A1", "B1")]
    opportunities = tuple(Opportunity(ants, a, b - shortest, b, 600, 600) for ants, a, b in passes if b - a >= shortest)
    base = {
        "mission": f"M{draw(st.integers(0, 5))}",
        "agency": "NASA",
        "target": "t",
        "priority": draw(st.integers(1, 10)),
        "concurrent": draw(st.sampled_from([False, False, True])),
    }
    if kind == "coverage":
        start = draw(st.integers(0, 40)) * H
        return [
            Demand(f"C{index}", f"C{index}", **base, tracks=1, min_duration=shortest, max_duration=longest + 2 * H,
                   opportunities=opportunities, coverage=(start, min(HORIZON, start + DAY)))
        ]  # fmt: skip
    per_day = draw(st.booleans()) and kind != "split"
    gap = draw(st.integers(0, 6)) * H if kind in ("plain", "mspa") else 0
    count = draw(st.integers(1, 3))
    spans = [(d * DAY, (d + 1) * DAY) for d in range(3)] if per_day else [(0, HORIZON)]
    return [
        Demand(f"R{index}#{n}", f"R{index}", **base, tracks=count, min_duration=shortest, max_duration=longest,
               opportunities=tuple(o for o in opportunities if a <= o.earliest_start < b),
               min_segment=H if kind == "split" else None, min_gap=gap,
               mspa="MARS" if kind == "mspa" else None, period=(a, b))
        for n, (a, b) in enumerate(spans)
    ]  # fmt: skip


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    found = [d for i in range(draw(st.integers(6, 12))) for d in draw(demands(i))]
    outages = tuple(
        Downtime(draw(st.sampled_from(ANTENNAS)), (s := draw(st.integers(0, 60)) * H), s + draw(st.integers(2, 12)) * H)
        for _ in range(draw(st.integers(0, 3)))
    )
    spacing = draw(st.sampled_from([0, 0, 900, 1800]))
    limits = tuple(ComplexLimits(name, spacing) for name in sorted(set(COMPLEX.values()))) if spacing else ()
    return Problem(
        "random", EPOCH, HORIZON, 60, ANTENNAS, tuple(found), outages,
        complexes=tuple(COMPLEX.items()), complex_limits=limits,
    )  # fmt: skip
