"""parties.csv: who a proposal asks to consent, and who it only tells (README: Proposals).

An agency must consent when the proposal moves, shortens or drops any of its baseline tracks,
or puts one of its tracks in a new coordination pair (coordination.csv: another agency's track
on the same band, at another complex, whose target comes within the `rfi` separation). An
agency whose tracks only grow (tracks added, or lengthened where they stand) is told, not
asked. Agencies the proposal leaves as they were are not parties.
"""

from collections import defaultdict
from collections.abc import Callable

import pandas as pd

from scheduler.problem.changes import Change

PARTY_COLUMNS = [
    "agency",
    "must_consent",
    "response",
    "reason",
    "hours_before",
    "hours_after",
    "moved",
    "shortened",
    "dropped",
    "new_pairs",
]
PENDING = "pending"  # no answer yet: what a proposal starts with


def new_pairs(baseline: pd.DataFrame, proposal: pd.DataFrame) -> pd.DataFrame:
    """The proposal's coordination pairs (rows of coordination.csv) that the baseline did not have:
    no baseline pair of the same two requests is on target together over an overlapping time."""
    known: dict[frozenset, list[tuple[str, str]]] = defaultdict(list)
    for row in baseline.itertuples():
        known[frozenset((row.request_a, row.request_b))].append((row.overlap_start, row.overlap_end))

    def fresh(row: tuple) -> bool:
        spans = known[frozenset((row.request_a, row.request_b))]  # type: ignore[attr-defined]
        return not any(a < row.overlap_end and row.overlap_start < b for a, b in spans)  # type: ignore[attr-defined]

    mask = pd.Series([fresh(row) for row in proposal.itertuples()], index=proposal.index, dtype=bool)
    return proposal.loc[mask].reset_index(drop=True)


def party_table(changes: list[Change], pairs: pd.DataFrame, agency_of: Callable[[str], str]) -> pd.DataFrame:
    """One row per agency the proposal changes, by name: hours on target before and after (each
    track once, an array's antennas together), its baseline tracks moved, shortened and dropped,
    and the new coordination pairs it is in. `changes` run from the baseline's tracks to the
    proposal's; `pairs` are the new pairs; `agency_of` names a demand's agency."""
    counts: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for change in changes:
        figures = counts[agency_of(change.track.demand_id)]
        if change.before is not None:
            figures["hours_before"] += change.before.duration / 3600
        if change.after is not None:
            figures["hours_after"] += change.after.duration / 3600
        if change.kind == "dropped":
            figures["dropped"] += 1
        elif change.shortened:
            figures["shortened"] += 1
        elif change.extended or change.kind == "added":
            figures["gained"] += 1
        elif change.kind == "moved":
            figures["moved"] += 1
    for row in pairs.itertuples():
        for agency in {row.agency_a, row.agency_b}:
            counts[agency]["new_pairs"] += 1
    rows = []
    for agency, figures in sorted(counts.items()):
        asked = any(figures[k] for k in ("moved", "shortened", "dropped", "new_pairs"))
        if not asked and not figures["gained"]:
            continue  # left as it was: not a party
        rows.append(
            {
                "agency": agency,
                "must_consent": asked,
                "response": PENDING,
                "reason": "",
                "hours_before": round(figures["hours_before"], 3),
                "hours_after": round(figures["hours_after"], 3),
                **{k: int(figures[k]) for k in ("moved", "shortened", "dropped", "new_pairs")},
            }
        )
    return pd.DataFrame(rows, columns=PARTY_COLUMNS)
