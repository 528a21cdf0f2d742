"""Each request semantic on its own hand-checkable scenario (tests/scenarios/semantics/):
the exact tracks, worked out in the scenario's comment, and a plan the validator accepts."""

import pandas as pd
import pytest

from tests.support.model_support import plan, rows


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
        ("max-gap", [("TIMER", "TEST-1", "02:40", "04:40"), ("TIMER", "TEST-1", "07:20", "09:20")]),
        ("spread", [("NAV", "TEST-1", "00:00", "02:00"), ("NAV", "TEST-3", "02:00", "04:00")]),
        (
            "after",
            [
                ("DL", "TEST-1", "01:30", "02:30"),
                ("DL", "TEST-1", "04:00", "05:00"),
                ("UL", "TEST-1", "00:00", "01:00"),
                ("UL", "TEST-1", "02:30", "03:30"),
            ],
        ),
        ("band", [("KA", "TEST-2", "02:00", "06:00")]),
        (
            "rfi",
            [
                ("LANDER", "TEST-1", "04:00", "08:00"),
                ("ORBITER", "TEST-1", "00:00", "04:00"),
                ("PROBE", "TEST-3", "04:00", "08:00"),
                ("RELAY", "TEST-2", "00:00", "04:00"),
            ],
        ),
        (
            "complex-rules",
            [("A", "TEST-1", "00:00", "02:00"), ("B", "TEST-2", "00:30", "02:30"), ("C", "TEST-3", "02:00", "04:00")],
        ),
        ("critical", [("LANDING", "TEST-1", "00:00", "02:00"), ("LOW", "TEST-1", "02:00", "06:00")]),
        ("mission", [("DL", "TEST-1", "00:00", "04:00"), ("UL", "TEST-2", "04:00", "06:00")]),
        ("mission-concurrent", [("DL", "TEST-1", "00:00", "04:00"), ("UL", "TEST-2", "00:00", "06:00")]),
        (
            "mission-array",
            [
                ("ARR", "TEST-1", "00:00", "04:00"),
                ("ARR", "TEST-2", "00:00", "04:00"),
                ("ONE", "TEST-3", "04:00", "06:00"),
            ],
        ),
        (
            "mission-handover",
            [
                ("COVER", "TEST-1", "00:00", "06:00"),
                ("COVER", "TEST-2", "05:50", "12:00"),
                ("PING", "TEST-3", "12:00", "14:00"),
            ],
        ),
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


@pytest.mark.parametrize("name", ["max-gap", "spread", "after", "band", "rfi", "complex-rules", "critical"])
def test_every_operations_rule_is_met_in_its_scenario(name: str) -> None:
    assert plan(name).unsatisfied.empty


@pytest.mark.parametrize("solver", ["cpsat", "greedy"])
def test_a_request_kept_out_by_its_own_missions_tracks_names_them(solver: str) -> None:
    unsatisfied = plan("mission", solver).unsatisfied
    assert unsatisfied.request_id.tolist() == ["NAV"]
    assert unsatisfied.reason.iloc[0] == (
        "mission rule: ALPHA is on target with its own DL 2026-12-01T00:00:00Z..2026-12-01T04:00:00Z, "
        "UL 2026-12-01T04:00:00Z..2026-12-01T06:00:00Z (one antenna at a time; `concurrent: true` exempts)"
    )


def test_a_coverage_chains_handover_is_one_mission_track_and_the_rest_waits() -> None:
    schedule = plan("mission-handover").schedule
    chain = schedule[schedule.request_id == "COVER"]
    assert chain.group.nunique() == 1 and chain.end.iloc[0] - chain.start.iloc[1] == pd.Timedelta(minutes=10)
