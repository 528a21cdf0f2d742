"""Each request semantic on its own hand-checkable scenario (tests/scenarios/semantics/):
the exact tracks, worked out in the scenario's comment, and a plan the validator accepts."""

import pytest

from tests.model_support import plan, rows


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("min-gap", [("GAPPY", "TEST-1", "00:00", "02:00"), ("GAPPY", "TEST-1", "08:00", "10:00")]),
        ("window-downtime", [("W", "TEST-1", "02:00", "06:00")]),
        ("setup", [("A", "TEST-1", "00:30", "05:45"), ("B", "TEST-2", "00:05", "05:55")]),
        ("array", [("ARR", "TEST-1", "02:00", "06:00"), ("ARR", "TEST-2", "02:00", "06:00")]),
        ("delta-dor", [("DDOR", "TEST-1", "03:00", "05:00"), ("DDOR", "TEST-3", "03:00", "05:00")]),
        ("mspa", [("M1", "TEST-1", "00:00", "06:00"), ("M2", "TEST-1", "00:00", "06:00")]),
        ("mspa-tags", [("M1", "TEST-1", "00:00", "06:00"), ("M2", "TEST-1", "00:00", "06:00")]),
        ("continuous", [("COVER", "TEST-1", "00:00", "06:00"), ("COVER", "TEST-2", "05:50", "12:00")]),
        ("continuous-gap", [("COVER", "TEST-1", "00:00", "06:00"), ("COVER", "TEST-2", "07:00", "12:00")]),
    ],
)
@pytest.mark.parametrize("solver", ["cpsat", "greedy"])
def test_semantic_gives_the_hand_worked_tracks(name: str, expected: list, solver: str) -> None:
    assert rows(plan(name, solver).schedule) == expected


def test_antennas_of_an_arrayed_track_share_a_group() -> None:
    schedule = plan("array").schedule
    assert schedule.group.nunique() == 1 and schedule.group.iloc[0] != ""


def test_handover_links_share_a_group_and_a_gap_starts_a_new_chain() -> None:
    assert plan("continuous").schedule.group.nunique() == 1
    assert plan("continuous-gap").schedule.group.nunique() == 2


def test_mspa_partners_leave_no_room_for_an_untagged_request() -> None:
    assert plan("mspa").unsatisfied.request_id.tolist() == ["N"]
