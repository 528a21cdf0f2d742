"""How the tracks of one demand form groups: segments of a split track, links of a coverage chain,
locked tracks taken whole. One convention for every solver."""

from collections import defaultdict
from collections.abc import Iterable

from scheduler.problem.types import Demand, Track


def split_group(demand: Demand, number: int) -> str:
    return f"{demand.id}/track{number + 1}"


def chain_groups(demand: Demand, tracks: list[Track]) -> list[Track]:
    """Links of a coverage chain in time order, each handover-connected run sharing a group."""
    grouped: list[Track] = []
    run, reach = 0, None
    for track in sorted(tracks, key=lambda t: t.start):
        if reach is None or track.start > reach - demand.handover:
            run += 1
        reach = track.end if reach is None else max(reach, track.end)
        grouped.append(_with_group(track, f"{demand.id}/chain{run}"))
    return grouped


def _with_group(track: Track, group: str) -> Track:
    return Track(track.demand_id, track.antennas, track.start, track.end, track.setup, track.teardown, group)


def locked_groups(tracks: Iterable[Track | None]) -> list[list[Track]]:
    """Locked tracks of one demand as whole tracks: segments with one group together."""
    grouped: dict[str, list[Track]] = {}
    for number, track in enumerate(tracks):
        assert track is not None
        grouped.setdefault(track.group or f"#{number}", []).append(track)
    return list(grouped.values())


def by_demand(tracks: Iterable[Track]) -> defaultdict[str, list[Track]]:
    """Tracks by demand id, each demand's in the given order (an empty list for any other id)."""
    found: defaultdict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        found[track.demand_id].append(track)
    return found


def tracks_held(demand: Demand, tracks: list[Track]) -> int:
    """How many of the demand's tracks `tracks` (its own) are: a split track's segments count once."""
    return len(locked_groups(tracks)) if demand.min_segment else len(tracks)
