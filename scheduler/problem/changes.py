"""How one schedule became another, track by track: kept, moved, dropped or added.

A previous track is kept when a new track of its demand has the same antennas and times on
target. The others of one demand are paired in start order: an old track with a new one is a
move (possibly shorter or longer), an old one left over is dropped, a new one left over added.
Repair diffs and the party table of a proposal read the same pairing.
"""

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from scheduler.problem.types import Track

ChangeKind = Literal["kept", "moved", "dropped", "added"]


@dataclass(frozen=True)
class Change:
    """One track's fate: `before` (None when added) and `after` (None when dropped)."""

    kind: ChangeKind
    before: Track | None
    after: Track | None

    @property
    def track(self) -> Track:
        """The track the change is about: the old one, or the added one."""
        found = self.before or self.after
        assert found is not None
        return found

    @property
    def shortened(self) -> bool:
        """A move to less time on target."""
        return self.kind == "moved" and self.after.duration < self.before.duration  # type: ignore[union-attr]

    @property
    def extended(self) -> bool:
        """A move that only adds time: same antennas, the old time on target still inside the new."""
        if self.kind != "moved":
            return False
        before, after = self.before, self.after
        assert before is not None and after is not None
        return before.antennas == after.antennas and after.start <= before.start and before.end <= after.end


def _place(track: Track) -> tuple:
    return (track.demand_id, track.antennas, track.start, track.end)


def track_changes(old: tuple[Track, ...], new: tuple[Track, ...]) -> list[Change]:
    """Every old and new track's change: kept first, then moved and dropped (old tracks in start
    order), then added."""
    same = {_place(t) for t in old} & {_place(t) for t in new}
    changes = [Change("kept", t, t) for t in sorted(new, key=lambda t: t.start) if _place(t) in same]
    unmatched: dict[str, list[Track]] = defaultdict(list)
    for track in sorted((t for t in new if _place(t) not in same), key=lambda t: t.start):
        unmatched[track.demand_id].append(track)
    for track in sorted((t for t in old if _place(t) not in same), key=lambda t: t.start):
        waiting = unmatched[track.demand_id]
        changes.append(Change("moved", track, waiting.pop(0)) if waiting else Change("dropped", track, None))
    changes += [Change("added", None, t) for tracks in unmatched.values() for t in tracks]
    return changes
