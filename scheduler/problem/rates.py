"""Rate profiles: from a downlink request's received Pr/N0 at each station (sky/downlink.py) to the
data rate per slot of the resolution grid for every antenna set it may use.

A slot's rate is the highest selectable rate that closes at both ends of the slot (the weaker of
its two grid points; G/T and range change by far less than a rate step within a slot). Arrayed
antennas add their Pr/N0 where all of them see the target.
"""

from collections.abc import Iterable, Mapping

import numpy as np

from scheduler.inputs.downlink import DownlinkSpec
from scheduler.problem.types import RateProfile
from scheduler.sky.downlink import LinkSamples
from scheduler.sky.link_budget import combined_pr_n0_dbhz, max_rate_bps, selectable_rate_bps

Segments = list[tuple[int, list[np.ndarray]]]


def rate_profiles(
    downlink: DownlinkSpec, samples: Mapping[str, LinkSamples], antenna_sets: Iterable[tuple[str, ...]], unit: int
) -> dict[tuple[str, ...], RateProfile]:
    """The rate profile of each antenna set (one antenna, or an array) on a grid of `unit` seconds."""
    profiles = {}
    for antennas in sorted(set(antenna_sets)):
        segments: Segments = [(first, [values]) for first, values in samples[antennas[0]].segments]
        for other in antennas[1:]:
            segments = _common(segments, samples[other].segments)
        profiles[antennas] = RateProfile(
            unit, tuple((first, slot_rates(downlink, combined_pr_n0_dbhz(np.stack(v)))) for first, v in segments)
        )
    return profiles


def slot_rates(downlink: DownlinkSpec, pr_n0_dbhz: np.ndarray) -> np.ndarray:
    """Rate (bit/s) per slot between consecutive grid points: the highest that closes at both."""
    weaker = np.minimum(pr_n0_dbhz[:-1], pr_n0_dbhz[1:])
    limit = max_rate_bps(weaker, downlink.required_eb_n0_db, downlink.margin_db)
    return selectable_rate_bps(limit, downlink.rates_bps)


def _common(segments: Segments, others: tuple[tuple[int, np.ndarray], ...]) -> Segments:
    """Where both sets of segments hold points (at least two, one slot), values side by side."""
    found: Segments = []
    for first, values in segments:
        length = len(values[0])
        for other_first, other in others:
            low, high = max(first, other_first), min(first + length, other_first + len(other))
            if high - low >= 2:
                picked = [v[low - first : high - first] for v in values]
                found.append((low, [*picked, other[low - other_first : high - other_first]]))
    return found
