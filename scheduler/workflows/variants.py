"""What-if variants of a problem (README: Sweeps): random antenna outages, clouds over optical
sites, added missions.

A variant only changes the problem — outages and clouds add downtime, an added mission copies
the opportunities of an existing request — so the view periods are computed once for all.
Each variant draws from its own seed, derived from the sweep's seed, its kind and its number.
"""

from dataclasses import dataclass, replace

import numpy as np

from scheduler.problem.types import Demand, Downtime, Problem
from scheduler.timeutil import DAY, HOUR

KINDS = ("outages", "weather", "missions")


@dataclass(frozen=True)
class Variant:
    name: str  # baseline, outages-1, weather-3, ...
    kind: str  # baseline or one of KINDS
    run: int
    seed: int


def variants(kinds: tuple[str, ...], runs: int, seed: int) -> list[Variant]:
    """The baseline, then `runs` variants of each kind, each with a seed of its own."""
    made = [Variant("baseline", "baseline", 0, seed)]
    for kind in kinds:
        for run in range(1, runs + 1):
            state = np.random.SeedSequence([seed, KINDS.index(kind), run]).generate_state(1)[0]
            made.append(Variant(f"{kind}-{run}", kind, run, int(state)))
    return made


def apply_variant(problem: Problem, variant: Variant, optical: frozenset[str]) -> Problem:
    """`problem` as `variant` changes it; `optical` names the optical antennas (weather)."""
    rng = np.random.default_rng(variant.seed)
    if variant.kind == "outages":
        return replace(problem, downtime=(*problem.downtime, *antenna_outages(problem, rng)))
    if variant.kind == "weather":
        return replace(problem, downtime=(*problem.downtime, *clouds(problem, optical, rng)))
    if variant.kind == "missions":
        return replace(problem, demands=(*problem.demands, *added_mission(problem, variant.run, rng)))
    return problem


def antenna_outages(problem: Problem, rng: np.random.Generator) -> list[Downtime]:
    """One or two antennas lost for 6 to 48 hours each, at a random time."""
    count = min(len(problem.antennas), int(rng.integers(1, 3)))
    lost = rng.choice(len(problem.antennas), size=count, replace=False)
    outages = []
    for index in sorted(lost):
        length = int(rng.integers(6 * HOUR, 48 * HOUR + 1))
        start = int(rng.integers(0, max(1, problem.horizon - length // 2)))
        outages.append(Downtime(problem.antennas[index], start, min(problem.horizon, start + length)))
    return outages


def clouds(problem: Problem, optical: frozenset[str], rng: np.random.Generator, cloudy: float = 0.35) -> list[Downtime]:
    """Each optical antenna, each day: with probability `cloudy`, clouds for 2 to 10 hours."""
    blocks = []
    for antenna in sorted(optical & set(problem.antennas)):
        for day in range(0, problem.horizon, DAY):
            if rng.random() < cloudy:
                length = int(rng.integers(2 * HOUR, 10 * HOUR + 1))
                start = day + int(rng.integers(0, DAY))
                blocks.append(Downtime(antenna, start, min(problem.horizon, start + length)))
    return blocks


def added_mission(problem: Problem, run: int, rng: np.random.Generator) -> list[Demand]:
    """A new mission asking what an existing request asks, at a random priority 1-5: another
    probe at the same target, competing for the same passes."""
    requests = sorted({d.request_id for d in problem.demands})
    if not requests:
        return []  # nothing to copy (`sweep` refuses this before it starts)
    template = requests[int(rng.integers(len(requests)))]
    agencies = sorted({d.agency for d in problem.demands})
    agency = agencies[int(rng.integers(len(agencies)))]
    priority = int(rng.integers(1, 6))
    mission = f"NEW-{run}"
    return [
        replace(
            d,
            id=d.id.replace(template, mission, 1),
            request_id=mission,
            mission=mission,
            agency=agency,
            priority=priority,
        )
        for d in problem.demands
        if d.request_id == template
    ]
