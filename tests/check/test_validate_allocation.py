"""The allocation check flags each broken problem constraint of solver tracks, by name."""

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from scheduler.check.allocation import check_allocation
from scheduler.problem.types import Demand, Downtime, Opportunity, Problem, Track
from scheduler.solvers import SolverSettings, solve
from scheduler.synthetic.week import generate_week

H = 3600
# One antenna pass 0..12 h (setup 30 min, teardown 15 min), an array pass on A+B 0..12 h.
ALONE = Opportunity(("A",), 1800, 10 * H, 12 * H, 1800, 900)
BOTH = Opportunity(("A", "B"), 1800, 10 * H, 12 * H, 1800, 900)
PROBLEM = Problem(
    "tiny",
    datetime(2026, 12, 1, tzinfo=UTC),
    24 * H,
    60,
    ("A", "B"),
    (
        Demand("D1", "R1", "M1", "NASA", "t", 1, 1, 2 * H, 2 * H, (ALONE,)),
        Demand("D2", "R2", "M2", "ESA", "t", 5, 1, 2 * H, 2 * H, (BOTH,)),
        Demand("D3", "R3", "M3", "JAXA", "t", 5, 1, 3 * H, 3 * H, (ALONE,), min_segment=H),
    ),
    (Downtime("B", 20 * H, 22 * H),),
)
GOOD = (
    Track("D1", ("A",), 1 * H, 3 * H, 1800, 900),
    Track("D2", ("A", "B"), 4 * H, 6 * H, 1800, 900),
    Track("D3", ("A",), 7 * H, 8 * H, 1800, 900, "S1"),
    Track("D3", ("A",), 9 * H, 11 * H, 1800, 900, "S1"),
)


def rules(tracks: tuple[Track, ...]) -> set[str]:
    return {v.rule for v in check_allocation(PROBLEM, tracks)}


def test_tracks_that_keep_every_constraint_pass() -> None:
    assert check_allocation(PROBLEM, GOOD) == []


@pytest.mark.parametrize(
    ("index", "change", "rule"),
    [
        (0, {"start": 2 * H, "end": 4 * H}, "overlap"),  # into the array track's setup
        (1, {"antennas": ("A",)}, "outside opportunities"),  # an array track on one antenna
        (0, {"setup": 600}, "outside opportunities"),  # shorter setup than the antenna needs
        (0, {"end": 2 * H}, "duration"),
        (2, {"end": 7 * H + 1800}, "segment too short"),
        (3, {"end": 12 * H}, "duration"),  # segments total 4 h of the 3 h asked
        (3, {"group": "S2"}, "too many tracks"),  # two split tracks of a one-track demand
    ],
)
def test_a_changed_track_breaks_the_named_rule(index: int, change: dict, rule: str) -> None:
    tracks = list(GOOD)
    tracks[index] = replace(tracks[index], **change)
    assert rule in rules(tuple(tracks))


def test_a_second_track_of_a_one_track_demand_is_too_many() -> None:
    assert rules((*GOOD, Track("D1", ("A",), 8 * H + 3600, 10 * H, 1800, 900))) >= {"too many tracks"}


def test_a_track_during_downtime_overlaps_it() -> None:
    late = Opportunity(("A", "B"), 1800, 20 * H, 23 * H, 1800, 900)
    problem = replace(PROBLEM, demands=(replace(PROBLEM.demands[1], opportunities=(BOTH, late)),))
    violations = check_allocation(problem, (Track("D2", ("A", "B"), 20 * H, 22 * H, 1800, 900),))
    assert [(v.rule, v.detail) for v in violations] == [("overlap", "on B with downtime")]


def test_greedy_schedule_of_a_synthetic_week_keeps_every_constraint() -> None:
    week = generate_week(seed=3)
    tracks = solve(week, SolverSettings(solver="greedy")).tracks
    assert len(tracks) > 200
    assert check_allocation(week, tracks) == []


def semantics_problem(**changes) -> Problem:
    """Two requests on antenna A or B all day; `changes` replace fields of both demands."""
    whole = tuple(Opportunity((antenna,), 0, 22 * H, 24 * H, 0, 0) for antenna in ("A", "B"))
    demands = tuple(
        replace(Demand(f"D{k}", f"R{k}", f"M{k}", "NASA", "t", 5, 3, H, 4 * H, whole), **changes) for k in (1, 2)
    )
    return replace(PROBLEM, demands=demands, downtime=())


def test_mspa_partners_may_share_an_antenna_and_others_may_not() -> None:
    together = (Track("D1", ("A",), H, 3 * H, 0, 0), Track("D2", ("A",), 2 * H, 4 * H, 0, 0))
    assert check_allocation(semantics_problem(mspa="MARS"), together) == []
    assert [v.rule for v in check_allocation(semantics_problem(), together)] == ["overlap"]


def test_tracks_of_one_request_closer_than_min_gap() -> None:
    problem = semantics_problem(min_gap=2 * H)
    apart = (Track("D1", ("A",), H, 2 * H, 0, 0), Track("D1", ("A",), 4 * H, 5 * H, 0, 0))
    close = (Track("D1", ("A",), H, 2 * H, 0, 0), Track("D1", ("A",), 3 * H, 4 * H, 0, 0))
    assert check_allocation(problem, apart) == []
    assert [v.rule for v in check_allocation(problem, close)] == ["min gap"]


def test_coverage_links_of_one_chain_hand_over() -> None:
    problem = semantics_problem(coverage=(0, 6 * H), handover=600)
    first = Track("D1", ("A",), 0, 3 * H, 0, 0, "C1")
    handed = (first, Track("D1", ("B",), 3 * H - 600, 6 * H, 0, 0, "C1"))
    rushed = (first, Track("D1", ("B",), 3 * H - 300, 6 * H, 0, 0, "C1"))
    assert check_allocation(problem, handed) == []
    assert [v.rule for v in check_allocation(problem, rushed)] == ["handover"]


def test_a_locked_track_must_be_there_and_may_lie_outside_opportunities() -> None:
    fixed = Track("D1", ("C",), H, 2 * H, 0, 0)  # C offers no opportunity to D1
    problem = replace(semantics_problem(), locked=(fixed,))
    assert check_allocation(problem, (fixed,)) == []
    assert [v.rule for v in check_allocation(problem, ())] == ["locked track missing"]


def one_mission(**changes) -> Problem:
    """semantics_problem's two requests as one mission's; `changes` replace fields of R2's demand."""
    first, second = semantics_problem().demands
    return replace(PROBLEM, demands=(first, replace(second, mission="M1", **changes)), downtime=())


def test_one_mission_is_on_target_with_one_antenna_at_a_time() -> None:
    together = (Track("D1", ("A",), H, 3 * H, 0, 0), Track("D2", ("B",), 2 * H, 4 * H, 0, 0))
    after = (Track("D1", ("A",), H, 3 * H, 0, 0), Track("D2", ("B",), 3 * H, 5 * H, 0, 0))
    violations = check_allocation(one_mission(), together)
    assert [(v.track_id, v.rule, v.detail) for v in violations] == [
        ("D2@B@7200", "mission overlap", "M1 on target with D1@A@3600")
    ]
    assert check_allocation(one_mission(), after) == []
    assert check_allocation(one_mission(concurrent=True), together) == []


def test_a_coverage_chains_own_links_overlap_but_not_the_missions_other_tracks() -> None:
    problem = one_mission(coverage=(0, 6 * H), handover=600)
    chain = (Track("D2", ("A",), 0, 3 * H, 0, 0, "C1"), Track("D2", ("B",), 3 * H - 600, 6 * H, 0, 0, "C1"))
    assert check_allocation(problem, chain) == []
    beside = (*chain, Track("D1", ("C",), 5 * H, 7 * H, 0, 0))
    assert [v.rule for v in check_allocation(problem, beside) if v.rule == "mission overlap"] == ["mission overlap"]
