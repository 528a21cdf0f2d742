"""The validator flags each broken request rule by name, and accepts schedules that keep them.

Hand-written schedules in tests/scenarios/validate/ against a scenario whose target is visible
from every antenna at every instant (see semantics.yaml), so only the rule under test decides.
"""

from pathlib import Path

import pytest

from scheduler.check import validate_schedule
from scheduler.inputs import load_scenario
from scheduler.outputs.schedule_table import read_schedule_csv

HERE = Path(__file__).parent.parent / "scenarios" / "validate"


def found(scenario: str, schedule: str) -> set[tuple[str, str]]:
    """(track id, rule) of every violation of the schedule."""
    loaded = load_scenario(HERE / f"{scenario}.yaml")
    return {(v.track_id, v.rule) for v in validate_schedule(loaded, read_schedule_csv(str(HERE / f"{schedule}.csv")))}


@pytest.mark.parametrize(
    ("schedule", "expected"),
    [
        ("overlap", {("T12", "overlap")}),
        ("mspa-same-request", {("T11", "overlap"), ("T11", "mission overlap")}),  # one probe on target twice, too
        ("downtime", {("T12", "overlap")}),
        ("setup", {("T06", "setup too short")}),
        ("window", {("T06", "outside request window")}),
        ("duration", {("T01", "duration")}),
        ("count", {("T02", "too many tracks")}),
        ("min-gap", {("T04", "min gap")}),
        ("segment", {("T07-1", "segment too short")}),
        ("split-total", {("T07-1", "duration")}),
        ("segments-overlap", {("T07-2", "segments overlap")}),
        ("array-complexes", {("T08-1", "array")}),
        ("array-size", {("T08-1", "array")}),
        ("not-simultaneous", {("T08-1", "not simultaneous")}),
        ("ddor", {("T09-1", "delta-DOR")}),
        ("handover", {("T13-2", "handover")}),
        ("group", {("T12-1", "group not requested")}),
        ("station", {("T01", "station not allowed")}),
        ("mission", {("T21", "mission overlap")}),
        ("mission-array", {("T23", "mission overlap")}),  # the array's two rows are one track: one pair
    ],
)
def test_validator_flags_the_broken_rule_and_nothing_else(schedule: str, expected: set) -> None:
    assert found("semantics", schedule) == expected


@pytest.mark.parametrize("schedule", ["clean", "partial-coverage", "mspa-shared", "mission-concurrent"])
def test_validator_accepts_a_schedule_that_keeps_every_rule(schedule: str) -> None:
    assert found("semantics", schedule) == set()


def test_locked_track_kept_exactly_is_accepted() -> None:
    assert found("locked", "locked-kept") == set()


def test_locked_track_moved_by_a_minute_is_flagged() -> None:
    assert found("locked", "locked-moved") == {("locked[0]", "locked track")}


def test_mission_overlap_names_both_tracks_the_mission_and_when() -> None:
    scenario = load_scenario(HERE / "semantics.yaml")
    (violation,) = validate_schedule(scenario, read_schedule_csv(str(HERE / "mission.csv")))
    assert str(violation) == (
        "T21: mission overlap: M11 on target with T20 too, "
        "2026-12-01T03:00:00Z..2026-12-01T04:00:00Z (one antenna at a time)"
    )
