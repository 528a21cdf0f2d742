"""Two schedules compared track by track (scheduler/outputs/schedule_diff.py): kept, moved,
dropped and added, a multi-antenna track counted once, with the reasons."""

import pandas as pd

from scheduler.outputs.schedule_diff import DIFF_COLUMNS, schedule_diff


def table(rows: list[tuple]) -> pd.DataFrame:
    """Schedule rows (track_id, request_id, station, start hour, end hour, group)."""
    day = pd.Timestamp("2026-12-07T00:00:00Z")
    return pd.DataFrame(
        [
            {
                "track_id": t,
                "request_id": r,
                "station": s,
                "start": day + pd.Timedelta(hours=a),
                "end": day + pd.Timedelta(hours=b),
                "group": g,
            }
            for t, r, s, a, b, g in rows
        ]
    )


def test_tracks_are_kept_moved_dropped_and_added_with_their_reasons() -> None:
    old = table(
        [
            ("T1", "A", "DSS-14", 1, 3, ""),
            ("T2", "A", "DSS-43", 5, 7, ""),
            ("T3", "B", "DSS-24", 2, 4, "G1"),  # one array track on two antennas
            ("T4", "B", "DSS-25", 2, 4, "G1"),
            ("T5", "C", "DSS-63", 8, 9, ""),
        ]
    )
    new = table(
        [
            ("T1", "A", "DSS-14", 1, 3, ""),
            ("T2", "A", "DSS-43", 6, 8, ""),
            ("T3", "B", "DSS-24", 2, 4, "G7"),
            ("T4", "B", "DSS-25", 2, 4, "G7"),
            ("T5", "D", "DSS-63", 8, 9, ""),
        ]
    )
    diff = schedule_diff(old, new, lambda request, _start: f"{request}#1", withdrawn={"C"}, added={"D"})
    assert list(diff.columns) == DIFF_COLUMNS
    rows = [(r.change, r.request_id, r.old_stations, r.new_stations, r.reason) for r in diff.itertuples()]
    assert rows == [
        ("moved", "A", "DSS-43", "DSS-43", "re-planned"),
        ("dropped", "C", "DSS-63", "", "request withdrawn"),
        ("added", "D", "", "DSS-63", "new request"),
        ("kept", "A", "DSS-14", "DSS-14", ""),
        ("kept", "B", "DSS-24 DSS-25", "DSS-24 DSS-25", ""),
    ]
    moved = diff.iloc[0]
    assert (moved.old_start, moved.new_start) == ("2026-12-07T05:00:00Z", "2026-12-07T06:00:00Z")
    assert set(diff.demand_id) == {"A#1", "B#1", "C#1", "D#1"}


def test_identical_schedules_keep_every_track() -> None:
    same = table([("T1", "A", "DSS-14", 1, 3, ""), ("T2", "A", "DSS-14", 5, 6, "")])
    diff = schedule_diff(same, same, lambda request, _start: request)
    assert list(diff.change) == ["kept", "kept"]
