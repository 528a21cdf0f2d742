"""Data volume: the bits a track returns, and what a volume demand counts in the objective.

A track's bits are the integral of its rate over its time on target. Rates are constant per slot
of the resolution grid, and every slot counts whole kilobits, floor(rate · unit / 1000), so the
CP-SAT model, the greedy baseline, the scoring and the reports all count the same integers; a
partial slot (a locked track off the grid) counts its share, rounded down.

A volume demand counts as equivalent seconds: its requested time S (tracks × max_duration) times
the delivered fraction of its volume, floor(S · min(B, V) / V), with B and V in kilobits. It thus
combines with time demands in one objective, and fairness compares missions by the fraction of
what they asked for, whether hours or bits.
"""

import math
from collections.abc import Iterable
from itertools import pairwise

import numpy as np

from scheduler.problem.types import Demand, RateProfile, Track

KBIT = 1000


def volume_kbit(demand: Demand) -> int:
    """The demand's volume in whole kilobits (rounded up)."""
    assert demand.volume_bits is not None
    return -(-demand.volume_bits // KBIT)


def profile_of(demand: Demand, antennas: tuple[str, ...]) -> RateProfile | None:
    return None if demand.rates is None else demand.rates.get(antennas)


def slot_kbit(profile: RateProfile, first: int, last: int) -> np.ndarray:
    """Kilobits of each slot first..last−1 (zero outside the view periods)."""
    out = np.zeros(max(0, last - first), dtype=np.int64)
    for start, bps in profile.segments:
        low, high = max(first, start), min(last, start + len(bps))
        if high > low:
            out[low - first : high - first] = np.floor(bps[low - start : high - start] * profile.unit / KBIT)
    return out


def cumulative_kbit(profile: RateProfile, first: int, last: int) -> list[int]:
    """Kilobits from the start of slot `first` to each grid point first..last: F[k] − F[j] is what
    a track on target over slots j..k−1 (counted from `first`) returns."""
    return [0, *np.cumsum(slot_kbit(profile, first, last)).tolist()]


def rate_runs(profile: RateProfile, first: int, last: int) -> list[tuple[int, int, int]]:
    """(from, to, kilobits per slot): maximal runs of slots first..last−1 with the same nonzero
    kilobits per slot, in order."""
    per_slot = slot_kbit(profile, first, last)
    change = np.flatnonzero(np.diff(per_slot)) + 1
    edges = [0, *change.tolist(), len(per_slot)]
    return [(first + a, first + b, int(per_slot[a])) for a, b in pairwise(edges) if per_slot[a] > 0]


def track_kbit(demand: Demand, track: Track) -> int:
    """Kilobits a track of the demand returns (0 without a rate profile for its antennas)."""
    profile = profile_of(demand, track.antennas)
    if profile is None or track.end <= track.start:
        return 0
    unit = profile.unit
    first, last = track.start // unit, math.ceil(track.end / unit)
    edges = np.arange(first, last + 1) * unit
    covered = np.minimum(edges[1:], track.end) - np.maximum(edges[:-1], track.start)
    return int(np.sum(slot_kbit(profile, first, last) * covered // unit))


def delivered_kbit(demand: Demand, tracks: Iterable[Track]) -> int:
    return sum(track_kbit(demand, t) for t in tracks)


def volume_seconds(demand: Demand, tracks: Iterable[Track]) -> int:
    """Equivalent seconds a volume demand counts: S · min(B, V) // V."""
    volume = volume_kbit(demand)
    return demand.requested * min(delivered_kbit(demand, tracks), volume) // volume


def volume_met(demand: Demand, tracks: Iterable[Track]) -> bool:
    return delivered_kbit(demand, tracks) >= volume_kbit(demand)
