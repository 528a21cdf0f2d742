"""The SatNet verifier: each rule of the benchmark README (and ours, rule 5: one resource at a time
per spacecraft), with a case that breaks it."""

from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.satnet.solution import Entry
from scheduler.satnet.verify import metrics, verify
from scheduler.satnet.week import read_week

DATA = Path(__file__).parent.parent / "data" / "satnet"
T0 = 1699999200
H = 3600


@pytest.fixture(scope="module")
def week():
    return read_week(DATA / "tiny_week.json", DATA / "tiny_maintenance.csv")


def track(track_id: str, resource: str, on_h: float, off_h: float, sc: int | None = None) -> Entry:
    """An entry with setup and teardown as the tiny week's request asks."""
    setup, teardown = {"A": (3600, 900), "B": (1800, 900), "C": (1800, 900)}.get(track_id, (0, 0))
    subject = sc if sc is not None else {"A": 1}.get(track_id, 2)
    on, off = T0 + int(on_h * H), T0 + int(off_h * H)
    return Entry(resource, subject, on - setup, on, off, off + teardown, track_id)


VALID = [
    track("A", "DSS-14", 3, 5),
    track("B", "DSS-43", 1, 6),
    track("B", "DSS-43", 13, 18),
    track("C", "DSS-34", 10, 13),  # B and C are one spacecraft's (subject 2): one after the other
]


def rules(week, entries: list[Entry]) -> list[str]:
    return sorted(v.rule for v in verify(week, entries))


def test_valid_solution_has_no_violation_and_full_metrics(week) -> None:
    assert verify(week, VALID) == []
    facts = metrics(week, VALID)
    assert facts["T_S"] == 15.0 and facts["T_R"] == 15.0
    assert facts["satisfied"] == 3
    assert facts["U_RMS"] == 0.0 and facts["U_MAX"] == 0.0


def test_metrics_cap_at_duration_and_average_over_missions(week) -> None:
    entries = [track("A", "DSS-14", 2, 6), track("C", "DSS-34", 10.5, 13.5)]  # A gets 4 h of 2 h asked
    facts = metrics(week, entries)
    assert facts["T_S"] == 5.0  # 2 h (capped) + 3 h
    assert facts["satisfied"] == 2
    # mission 1: fully served; mission 2: 3 h of 13 h
    assert facts["U_MAX"] == pytest.approx(10 / 13)
    assert facts["U_RMS"] == pytest.approx(((10 / 13) ** 2 / 2) ** 0.5)


def test_rule1_track_outside_every_view_period(week) -> None:
    assert rules(week, [track("A", "DSS-14", 5, 7)]) == ["rule 1"]


def test_rule1_resource_not_usable_for_the_request(week) -> None:
    found = verify(week, [track("A", "DSS-63", 3, 5)])
    assert [v.rule for v in found] == ["rule 1"] and "DSS-63" in found[0].detail


def test_rule1_wrong_spacecraft(week) -> None:
    assert rules(week, [track("A", "DSS-14", 3, 5, sc=7)]) == ["rule 1"]


def test_rule1_unknown_request(week) -> None:
    assert rules(week, [Entry("DSS-14", 1, T0, T0 + H, T0 + 2 * H, T0 + 3 * H, "Z")]) == ["rule 1"]


def test_rule2_start_and_end_must_include_setup_and_teardown(week) -> None:
    good = track("A", "DSS-14", 3, 5)
    short_setup = Entry(good.RESOURCE, good.SC, good.TRACKING_ON - 60, good.TRACKING_ON, good.TRACKING_OFF,
                        good.END_TIME, "A")  # fmt: skip
    long_teardown = Entry(good.RESOURCE, good.SC, good.START_TIME, good.TRACKING_ON, good.TRACKING_OFF,
                          good.END_TIME + 60, "A")  # fmt: skip
    assert rules(week, [short_setup]) == ["rule 2"]
    assert rules(week, [long_teardown]) == ["rule 2"]


def test_rule3_two_tracks_on_one_antenna_overlap(week) -> None:
    found = verify(week, [track("B", "DSS-43", 1, 6), track("B", "DSS-43", 12, 17), track("C", "DSS-43", 13, 16)])
    # B and C are one spacecraft's: on one antenna at once, they break rule 5 too
    assert [(v.rule, v.track_id) for v in found] == [("rule 3", "C"), ("rule 5", "C")]
    assert "overlaps B on DSS-43" in found[0].detail


def test_rule3_array_occupies_every_member_antenna(week) -> None:
    # A on the array DSS-34_DSS-35 (busy 5.5-8.25 h) runs into DSS-35 maintenance at 7-7.5 h
    found = verify(week, [track("A", "DSS-34_DSS-35", 6.5, 8)])
    assert [v.rule for v in found] == ["rule 3"] and "maintenance on DSS-35" in found[0].detail
    # the array and a track on one member antenna at different times do not conflict
    assert verify(week, [track("A", "DSS-34_DSS-35", 2, 4), track("C", "DSS-34", 10.5, 13.5)]) == []


def test_rule3_setup_and_teardown_occupy_the_antenna(week) -> None:
    # on-target times 2-4 h and 4.5-7.5 h do not meet, but A's teardown (to 4.25 h) and C's setup
    # (from 4 h) do, on DSS-34
    a = track("A", "DSS-34_DSS-35", 2, 4)
    c = Entry("DSS-34", 2, T0 + 4 * H, T0 + int(4.5 * H), T0 + int(7.5 * H), T0 + int(7.75 * H), "C")
    found = [v for v in verify(week, [a, c]) if v.rule == "rule 3"]
    assert [(v.rule, v.track_id) for v in found] == [("rule 3", "C")]


def test_rule4_single_track_shorter_than_duration_min(week) -> None:
    assert rules(week, [track("A", "DSS-14", 3, 3.5)]) == ["rule 4"]
    assert rules(week, [track("B", "DSS-43", 1, 7)]) == ["rule 4"]  # 6 h of at least 8 h


def test_rule4_requests_under_8h_get_one_track(week) -> None:
    found = verify(week, [track("C", "DSS-34", 10.5, 12), track("C", "DSS-43", 14, 15.5)])
    assert [v.rule for v in found] == ["rule 4"] and "at most one" in found[0].detail


def test_rule4_split_segments_at_least_4h(week) -> None:
    found = verify(week, [track("B", "DSS-43", 1, 4), track("B", "DSS-43", 12, 18)])  # 3 h + 6 h
    assert [v.rule for v in found] == ["rule 4"] and "shorter than 4 h" in found[0].detail


def test_rule4_split_total_within_duration_min_and_duration(week) -> None:
    assert rules(week, [track("B", "DSS-43", 1, 7), track("B", "DSS-43", 12, 18)]) == ["rule 4"]  # 12 h > 10 h
    # (two segments of 4 h or more always reach B's 8 h minimum; the lower end is pinned in
    # test_rule4_single_track_shorter_than_duration_min)


def test_rule5_one_spacecraft_is_tracked_by_one_resource_at_a_time(week) -> None:
    # B (DSS-43) and C (DSS-34) are subject 2's: on target together 12-13 h on two antennas
    found = verify(week, [track("B", "DSS-43", 1, 6), track("B", "DSS-43", 12, 17), track("C", "DSS-34", 10, 13)])
    assert [(v.rule, v.track_id, v.detail) for v in found] == [
        ("rule 5", "B", f"SC 2 on target with C too, {T0 + 12 * H}..{T0 + 13 * H} (one resource at a time)")
    ]
    # end to start is no overlap (C 10-13 h, B 13-18 h in VALID); another spacecraft at the same
    # time is none either (A, subject 1, on target 3-5 h beside B there)
    assert verify(week, VALID) == []


def test_bad_week_file_is_one_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "week.json"
    bad.write_text('[{"subject": 1}]')
    with pytest.raises(InputError, match="missing key"):
        read_week(bad, None)
    bad.write_text("{not json")
    with pytest.raises(InputError, match="not valid JSON"):
        read_week(bad, None)


def test_bad_maintenance_file_is_one_input_error(tmp_path: Path) -> None:
    bad = tmp_path / "m.csv"
    bad.write_text("week,year,start,end,antenna\n1,2023,0,1,DSS-14\n")
    with pytest.raises(InputError, match="missing column"):
        read_week(DATA / "tiny_week.json", bad)
