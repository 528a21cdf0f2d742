"""Which antennas a request's tracks may use together, and when: single-antenna passes, the common
passes of arrayed (`array: N`, one complex) and ΔDOR (`complexes: N`) antenna sets, and the
passes of the arrays a request lists (`A+B`)."""

import itertools
from collections import defaultdict

from scheduler.inputs import RequestSpec, Scenario

MAX_COMBINATIONS = 400  # antenna sets tried per arrayed or ΔDOR request

Passes = list[tuple[int, int]]


def usable_sets(
    scenario: Scenario, request: RequestSpec, passes: dict[str, Passes]
) -> list[tuple[tuple[str, ...], int, int]]:
    """(antennas, start, end): single-antenna passes, or common passes of arrayed/ΔDOR sets."""
    if request.array is None and request.complexes is None:
        return [((s,), a, b) for s, found in passes.items() for a, b in found]
    by_complex: dict[str, list[str]] = defaultdict(list)
    for station_id in passes:
        by_complex[scenario.station(station_id).complex].append(station_id)
    if request.array is not None:
        sets = [
            combo for members in by_complex.values() for combo in itertools.combinations(sorted(members), request.array)
        ]
    else:
        assert request.complexes is not None
        sets = [
            tuple(sorted(pick))
            for chosen in itertools.combinations(sorted(by_complex), request.complexes)
            for pick in itertools.product(*(sorted(by_complex[c]) for c in chosen))
        ]
    found = []
    for antennas in sorted(sets)[:MAX_COMBINATIONS]:
        common = passes[antennas[0]]
        for other in antennas[1:]:
            common = intersect(common, passes[other])
        found += [(antennas, a, b) for a, b in common]
    return found


def listed_arrays(
    arrays: tuple[tuple[str, ...], ...], target: str, by_pair: dict[tuple[tuple[str, ...], str], Passes]
) -> list[tuple[tuple[str, ...], Passes]]:
    """A request's explicit arrays with their passes: the array's own view periods where given
    (an `A+B` row of a view-period CSV), else the common part of its members'."""
    found = []
    for members in arrays:
        if (members, target) in by_pair:
            found.append((members, sorted(by_pair[(members, target)])))
            continue
        common = sorted(by_pair.get(((members[0],), target), []))
        for other in members[1:]:
            common = intersect(common, sorted(by_pair.get(((other,), target), [])))
        found.append((members, common))
    return found


def intersect(first: Passes, second: Passes) -> Passes:
    """Common parts of two sorted lists of disjoint intervals."""
    out, i, j = [], 0, 0
    while i < len(first) and j < len(second):
        a, b = max(first[i][0], second[j][0]), min(first[i][1], second[j][1])
        if b > a:
            out.append((a, b))
        if first[i][1] < second[j][1]:
            i += 1
        else:
            j += 1
    return out
