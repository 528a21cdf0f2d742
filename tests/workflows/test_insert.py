"""Urgent insertion: an emergency takes the least priority-weighted time of others and never
touches a running track or an earlier emergency; a late-add displaces nobody or is refused
naming what blocks it; the request file says one track; what is written loads back and validates.

The scenarios are hand-checked variants of tests/scenarios/insert/two-full.yaml: two antennas that
always see a target at the pole, no setup or teardown, 5-minute grid, --now 01:00 (tracks begun
before it are running). Each test's comment works out the expected tracks.
"""

from pathlib import Path

import pandas as pd
import pytest

from scheduler import api
from scheduler.errors import InfeasibleError, InputError
from scheduler.inputs import load_scenario
from scheduler.outputs.schedule_table import read_schedule_csv

HERE = Path(__file__).resolve().parent.parent / "scenarios" / "insert"
TWO_FULL = (HERE / "two-full.yaml").read_text()
TWO_FULL_TRACKS = [
    ("T0001", "RUN-A", "ALPHA", "ESA", "TEST-A", "00:00", "02:00"),
    ("T0002", "RUN-B", "BETA", "ESA", "TEST-B", "00:00", "02:00"),
    ("T0003", "HI", "GAMMA", "NASA", "TEST-A", "02:00", "06:00"),
    ("T0004", "LO", "DELTA", "JAXA", "TEST-B", "02:00", "06:00"),
]
NOW = "2026-12-01T01:00:00Z"
EMERGENCY = {
    "request": {"id": "EM", "mission": "OMEGA", "agency": "ISRO", "target": "pole", "priority": 1, "duration": "2h"}
}


def schedule_of(rows: list[tuple]) -> pd.DataFrame:
    """A schedule table with no setup or teardown, times on 2026-12-01."""
    day = "2026-12-01T"
    records = [
        {
            "track_id": t,
            "request_id": r,
            "mission": m,
            "agency": a,
            "target": "pole",
            "station": s,
            "setup_start": day + b + ":00Z",
            "start": day + b + ":00Z",
            "end": day + e + ":00Z",
            "teardown_end": day + e + ":00Z",
            "group": "",
            "bits": "",
            "band": "",
        }
        for t, r, m, a, s, b, e in rows
    ]
    frame = pd.DataFrame(records)
    for column in ("setup_start", "start", "end", "teardown_end"):
        frame[column] = pd.to_datetime(frame[column], utc=True)
    return frame


@pytest.fixture()
def two_full():
    """The hand-checked scenario and its planned schedule (tests/scenarios/insert/two-full.yaml)."""
    return load_scenario(HERE / "two-full.yaml"), read_schedule_csv(str(HERE / "two-full.schedule.csv"))


def places(schedule: pd.DataFrame) -> set[tuple]:
    return {(r.request_id, r.station, f"{r.start:%H:%M}", f"{r.end:%H:%M}") for r in schedule.itertuples()}


def test_emergency_shortens_the_track_of_least_weight(two_full) -> None:
    # Both antennas are free from 02:00 (the running tracks end then). At 02:00 on A, HI keeps
    # 04:00-06:00 (2 h x weight 9 displaced); on B, LO keeps 04:00-06:00 (2 h x weight 2): B wins.
    # A later start loses more: at 02:30, LO keeps no 2 h piece and would go whole.
    scenario, schedule = two_full
    result = api.insert(scenario, schedule, EMERGENCY, tier="emergency", now=NOW, repair=False)
    assert places(result.plan.schedule) == {
        ("RUN-A", "TEST-A", "00:00", "02:00"),
        ("RUN-B", "TEST-B", "00:00", "02:00"),
        ("HI", "TEST-A", "02:00", "06:00"),
        ("EM", "TEST-B", "02:00", "04:00"),
        ("LO", "TEST-B", "04:00", "06:00"),
    }
    assert result.displaced[["track", "request_id", "agency", "change", "lost_seconds"]].values.tolist() == [
        ["T0004", "LO", "JAXA", "shortened", 7200]
    ]
    figures = result.plan.summary["insertion"]
    assert (figures["displaced_s"], figures["weighted_displaced_s"], figures["lost_s"]) == (7200, 14400, 7200)
    assert 0 < result.plan.summary["decision_s"] < result.plan.summary["wall_s"]
    assert api.validate(result.scenario, result.plan.schedule) == []


def test_emergency_never_touches_a_running_track(tmp_path: Path) -> None:
    # LO runs on B from 00:00 to 06:00 (begun before --now 01:00), the cheapest to cut but
    # untouchable; so the emergency goes on A at 01:00, and HI (01:30-07:30) keeps 03:00-07:30.
    (tmp_path / "s.yaml").write_text(TWO_FULL.replace("max_duration: 4h}", "max_duration: 6h}"))
    scenario = load_scenario(tmp_path / "s.yaml")
    schedule = schedule_of(
        [
            ("T0001", "LO", "DELTA", "JAXA", "TEST-B", "00:00", "06:00"),
            ("T0002", "HI", "GAMMA", "NASA", "TEST-A", "01:30", "07:30"),
        ]
    )
    result = api.insert(scenario, schedule, EMERGENCY, tier="emergency", now=NOW, repair=False)
    assert places(result.plan.schedule) == {
        ("LO", "TEST-B", "00:00", "06:00"),
        ("EM", "TEST-A", "01:00", "03:00"),
        ("HI", "TEST-A", "03:00", "07:30"),
    }
    assert result.displaced.change.tolist() == ["shortened"]
    assert result.displaced.lost_seconds.tolist() == [5400]


def test_removed_track_moves_where_it_fits_else_is_dropped(tmp_path: Path) -> None:
    # RUN-A and RUN-B hold both antennas until 02:00; HI and LO (fixed 4 h here) follow on A and
    # B until 06:00. The emergency at 02:00 removes LO whole (weight 2 x 4 h, against HI's 9 x 4 h);
    # LO then moves to the longest free place, the earliest: B right after the emergency, 04:00-08:00.
    (tmp_path / "s.yaml").write_text(TWO_FULL.replace("min_duration: 2h, max_duration: 4h", "duration: 4h"))
    scenario = load_scenario(tmp_path / "s.yaml")
    result = api.insert(scenario, schedule_of(TWO_FULL_TRACKS), EMERGENCY, tier="emergency", now=NOW, repair=False)
    moved = result.displaced.iloc[0]
    assert (moved.track, moved.change, moved.lost_seconds) == ("T0004", "moved", 0)
    assert (moved.new_stations, moved.new_start, moved.new_end) == (
        "TEST-B",
        "2026-12-01T04:00:00Z",
        "2026-12-01T08:00:00Z",
    )
    assert ("EM", "TEST-B", "02:00", "04:00") in places(result.plan.schedule)
    # With a window ending at 06:00, LO has no 4 h left anywhere: dropped.
    text = TWO_FULL.replace("min_duration: 2h, max_duration: 4h", "duration: 4h").replace(
        "priority: 9, duration: 4h}",
        "priority: 9, duration: 4h, window: {start: 2026-12-01T00:00:00Z, end: 2026-12-01T06:00:00Z}}",
    )
    (tmp_path / "s.yaml").write_text(text)
    scenario = load_scenario(tmp_path / "s.yaml")
    result = api.insert(scenario, schedule_of(TWO_FULL_TRACKS), EMERGENCY, tier="emergency", now=NOW, repair=False)
    dropped = result.displaced.iloc[0]
    assert (dropped.track, dropped.change, dropped.lost_seconds, dropped.new_stations) == (
        "T0004",
        "dropped",
        14400,
        "",
    )
    assert "LO" not in set(result.plan.schedule.request_id)


def test_an_earlier_emergency_is_untouchable(tmp_path: Path) -> None:
    # LO is an earlier emergency (inserted: emergency): the new one cannot cut it and shortens HI
    # on A instead (HI keeps 04:00-06:00).
    text = TWO_FULL.replace(
        "{id: LO, mission: DELTA, agency: JAXA, target: pole, priority: 9,",
        "{id: LO, mission: DELTA, agency: JAXA, target: pole, priority: 9, inserted: emergency,",
    )
    (tmp_path / "s.yaml").write_text(text)
    scenario = load_scenario(tmp_path / "s.yaml")
    result = api.insert(scenario, schedule_of(TWO_FULL_TRACKS), EMERGENCY, tier="emergency", now=NOW, repair=False)
    assert ("EM", "TEST-A", "02:00", "04:00") in places(result.plan.schedule)
    assert result.displaced[["request_id", "change", "lost_seconds"]].values.tolist() == [["HI", "shortened", 7200]]


def test_mission_rule_keeps_one_spacecraft_on_one_antenna(two_full) -> None:
    # The emergency is for DELTA, whose LO track runs 02:00-06:00 on B: never on target together,
    # so wherever the emergency goes LO gives way. On B at 02:00 LO keeps 04:00-06:00; on A, HI
    # would lose 2 h x 9 and LO the same 2 h: B wins, and nothing of DELTA overlaps.
    scenario, schedule = two_full
    request = {"request": {**EMERGENCY["request"], "mission": "DELTA"}}
    result = api.insert(scenario, schedule, request, tier="emergency", now=NOW, repair=False)
    assert {("EM", "TEST-B", "02:00", "04:00"), ("LO", "TEST-B", "04:00", "06:00")} <= places(result.plan.schedule)


def test_late_add_goes_where_it_displaces_nobody(two_full) -> None:
    # Both antennas are free from 06:00 on: the late-add takes A at 06:00 (the earliest, A before B).
    scenario, schedule = two_full
    result = api.insert(scenario, schedule, EMERGENCY, tier="late-add", now=NOW, repair=False)
    assert ("EM", "TEST-A", "06:00", "08:00") in places(result.plan.schedule)
    assert result.displaced.empty
    assert places(result.plan.schedule) - {("EM", "TEST-A", "06:00", "08:00")} == places(schedule)


def test_late_add_that_would_displace_is_refused_naming_the_blocker(two_full) -> None:
    # Inside 01:00-06:00 both antennas are taken; the least disruptive place would cut LO (T0004).
    scenario, schedule = two_full
    window = {"start": "2026-12-01T01:00:00Z", "end": "2026-12-01T06:00:00Z"}
    request = {"request": {**EMERGENCY["request"], "window": window}}
    with pytest.raises(InfeasibleError) as refused:
        api.insert(scenario, schedule, request, tier="late-add", now=NOW, repair=False)
    assert str(refused.value) == ("late-add EM would displace other tracks wherever it goes; at least T0004 (LO, JAXA)")


def test_emergency_with_no_free_view_period_is_refused(two_full) -> None:
    # The window 00:00-02:00 is held by the running tracks alone.
    scenario, schedule = two_full
    window = {"start": "2026-12-01T00:00:00Z", "end": "2026-12-01T02:00:00Z"}
    with pytest.raises(InfeasibleError, match="emergency EM cannot be placed: from --now on"):
        api.insert(scenario, schedule, {"request": {**EMERGENCY["request"], "window": window}}, now=NOW)


@pytest.mark.parametrize(
    ("change", "field", "text"),
    [
        ({"tracks": 2}, "request.tracks", "asks for 2 tracks, an insertion places one"),
        ({"split": {"min_segment": "1h"}}, "request.split", "split describes more than one track"),
        ({"target": "comet"}, "request.target", "unknown target 'comet'"),
        ({"per": "day", "window": {"start": "2026-12-01T00:00:00Z", "end": "2026-12-01T12:00:00Z"}}, "", ""),
        ({"id": "HI"}, "request.id", "the scenario already has request 'HI'"),
    ],
)
def test_bad_request_is_one_line_naming_the_field(two_full, change: dict, field: str, text: str) -> None:
    scenario, schedule = two_full
    if change.get("per") == "day":  # a one-day horizon: one period, accepted
        api.insert(scenario, schedule, {"request": {**EMERGENCY["request"], **change}}, now=NOW, repair=False)
        return
    with pytest.raises(InputError) as error:
        api.insert(scenario, schedule, {"request": {**EMERGENCY["request"], **change}}, now=NOW, repair=False)
    assert (error.value.field, error.value.problem) == (field, text)


def test_new_target_comes_with_the_request(two_full) -> None:
    scenario, schedule = two_full
    request = {
        "request": {**EMERGENCY["request"], "target": "pole-2"},
        "target": {"id": "pole-2", "ra_deg": 10.0, "dec_deg": 89.99},
    }
    result = api.insert(scenario, schedule, request, now=NOW, repair=False)
    assert ("EM", "TEST-B", "02:00", "04:00") in places(result.plan.schedule)
    assert "pole-2" in set(result.plan.view_periods.target)


def test_written_scenario_loads_back_and_marks_the_emergency(two_full, tmp_path: Path) -> None:
    scenario, schedule = two_full
    result = api.insert(scenario, schedule, EMERGENCY, now=NOW, time_limit_s=5, workers=1)
    result.write(tmp_path / "out")
    again = load_scenario(tmp_path / "out" / "scenario.yaml")
    assert [r.inserted for r in again.requests] == [None, None, None, None, "emergency"]
    written = pd.read_csv(tmp_path / "out" / "schedule.csv")
    assert api.validate(again, tmp_path / "out" / "schedule.csv") == []
    assert ("EM", "TEST-B") in set(zip(written.request_id, written.station, strict=True))
    assert {"displaced.csv", "diff.csv", "scenario.yaml", "summary.json"} <= {
        p.name for p in (tmp_path / "out").iterdir()
    }


def test_repair_after_the_decision_keeps_the_emergency_and_the_running_tracks(two_full) -> None:
    scenario, schedule = two_full
    result = api.insert(scenario, schedule, EMERGENCY, now=NOW, time_limit_s=5, workers=1)
    assert result.plan.summary["insertion"]["repaired"] is True
    lo = result.diff[result.diff.request_id == "LO"].iloc[0]
    assert (lo.old_start, lo.reason) == ("2026-12-01T02:00:00Z", "displaced by emergency EM")
    kept = places(result.plan.schedule)
    assert {
        ("RUN-A", "TEST-A", "00:00", "02:00"),
        ("RUN-B", "TEST-B", "00:00", "02:00"),
        ("EM", "TEST-B", "02:00", "04:00"),
    } <= kept
    assert all(start >= "01:00" for request, _, start, _ in kept if request not in ("RUN-A", "RUN-B"))


@pytest.mark.parametrize("name", ["default", "lunar-campaign", "mars-relay", "data-return-volume", "international"])
def test_written_scenario_loads_back_to_the_same_spec(name: str, tmp_path: Path) -> None:
    # OEM paths made absolute and volumes written in bits: the copy loads from anywhere.
    from scheduler.outputs.scenario_file import scenario_yaml

    scenario = api.load_scenario(name)
    (tmp_path / "copy.yaml").write_text(scenario_yaml(scenario, "a copy"))
    again = load_scenario(tmp_path / "copy.yaml")
    assert again.spec == scenario.spec.model_copy(
        update={"targets": tuple(again.spec.targets)}  # the OEM paths, now absolute
    )
    assert [t.id for t in again.targets] == [t.id for t in scenario.targets]
    assert set(again.trajectories) == set(scenario.trajectories)  # every OEM file found again
