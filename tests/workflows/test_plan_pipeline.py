"""The end-to-end pipeline on small scenarios: exact hand-checked results and invariants."""

import pandas as pd

from scheduler.check import validate_schedule
from scheduler.outputs.plan_outputs import PlanResult


def test_hand_checked_pole_schedule_takes_a_and_b_and_drops_c(pole_plan: PlanResult) -> None:
    schedule = pole_plan.schedule
    assert sorted(schedule.request_id) == ["A", "B"]
    durations = dict(zip(schedule.request_id, (schedule.end - schedule.start).dt.total_seconds(), strict=True))
    assert durations == {"A": 4 * 3600, "B": 5 * 3600}
    assert ((schedule.start - schedule.setup_start).dt.total_seconds() == 1800).all()
    assert ((schedule.teardown_end - schedule.end).dt.total_seconds() == 900).all()
    assert pole_plan.unsatisfied.request_id.tolist() == ["C"]
    assert pole_plan.summary["status"] == "OPTIMAL"
    weighted = (10 * 240 + 9 * 300) * 60  # priority weight × seconds on target
    assert pole_plan.summary["weighted_time_s"] == weighted
    # C's mission and agency get nothing (U_max = 1): fairness 0.05 and agency balance 0.01 of
    # the total weighted request (A, B and C: (10·240 + 9·300 + 2·240) minutes)
    # the floor: the first 10 % of A's and B's requested time count 10 more per second (C has none)
    floor = 10 * 0.1 * (240 + 300) * 60
    assert pole_plan.summary["objective"] == weighted + floor - 0.06 * (10 * 240 + 9 * 300 + 2 * 240) * 60


def test_pole_view_period_covers_the_whole_horizon(pole_plan: PlanResult) -> None:
    vp = pole_plan.view_periods
    assert len(vp) == 1
    assert vp.start.iloc[0] == pd.Timestamp("2026-12-01T00:00:00Z")
    assert vp.end.iloc[0] == pd.Timestamp("2026-12-01T12:00:00Z")
    assert abs(vp.max_elevation_deg.iloc[0] - 40.0) < 0.5


def test_track_never_leaves_view_period(tiny_plan: PlanResult) -> None:
    vp = tiny_plan.view_periods
    assert len(tiny_plan.schedule) > 0
    for track in tiny_plan.schedule.itertuples():
        periods = vp[(vp.station == track.station) & (vp.target == track.target)]
        inside = (periods.start <= track.start) & (track.end <= periods.end)
        assert inside.any(), f"{track.track_id} on {track.station} leaves every view period"


def test_no_overlap_on_any_antenna_including_setup_and_teardown(tiny_plan: PlanResult) -> None:
    for _, rows in tiny_plan.schedule.groupby("station"):
        rows = rows.sort_values("setup_start")
        assert (rows.setup_start.iloc[1:].to_numpy() >= rows.teardown_end.iloc[:-1].to_numpy()).all()


def test_per_day_counts_and_request_tracks_never_overlap(tiny_plan: PlanResult) -> None:
    schedule = tiny_plan.schedule
    day = schedule.start.dt.floor("D")
    assert schedule.groupby(["request_id", day]).size().max() <= 2
    relay = schedule[schedule.request_id == "RELAY"]
    assert set(relay.station) <= {"DSS-63"}
    for _, rows in schedule.groupby("request_id"):
        rows = rows.sort_values("start")
        assert (rows.start.iloc[1:].to_numpy() >= rows.end.iloc[:-1].to_numpy()).all()


def test_tiny_plan_validates_clean(tiny_plan: PlanResult) -> None:
    assert validate_schedule(tiny_plan.scenario, tiny_plan.schedule) == []
