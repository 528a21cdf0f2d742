"""The validator flags each broken operations rule by name (band, after, start spacing, max links,
rfi, critical) and notes unmet soft rules (max_gap, spread) without calling them violations.

Hand-written schedules in tests/scenarios/validate/ops-*.csv against operations.yaml, whose
targets are visible from every antenna at every instant, so only the rule under test decides.
"""

from pathlib import Path

import pytest

from scheduler.check import schedule_notes, validate_schedule
from scheduler.inputs import load_scenario
from scheduler.outputs.schedule_table import read_schedule_csv

HERE = Path(__file__).parent.parent / "scenarios" / "validate"
SCENARIO = load_scenario(HERE / "operations.yaml")


def schedule(name: str):
    return read_schedule_csv(str(HERE / f"ops-{name}.csv"))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("band", {("T03", "band")}),
        ("after", {("T02", "after")}),
        ("spacing", {("T04", "start spacing")}),
        ("links", {("T04", "max links")}),
        ("rfi", {("T04", "rfi")}),
        ("critical", {("CRIT", "critical not met")}),
    ],
)
def test_validator_flags_the_broken_operations_rule_and_nothing_else(name: str, expected: set) -> None:
    assert {(v.track_id, v.rule) for v in validate_schedule(SCENARIO, schedule(name))} == expected


def test_a_schedule_keeping_every_operations_rule_is_valid_and_has_no_notes() -> None:
    assert validate_schedule(SCENARIO, schedule("clean")) == []
    assert schedule_notes(SCENARIO, schedule("clean")) == []


def test_unmet_max_gap_and_spread_are_notes_not_violations() -> None:
    assert validate_schedule(SCENARIO, schedule("notes")) == []
    notes = {(n.track_id, n.rule): n.detail for n in schedule_notes(SCENARIO, schedule("notes"))}
    assert notes == {
        ("GAP", "max gap"): "37h without a track 2026-12-01T11:00:00Z..2026-12-03T00:00:00Z, more than 30h",
        ("NAV", "spread"): "period 1: tracks on 1 of 2 complexes",
    }


def test_rfi_detail_names_the_angle_the_complex_and_the_partner() -> None:
    (violation,) = validate_schedule(SCENARIO, schedule("rfi"))
    assert violation.detail.startswith("POLE and NEAR 1.501 deg apart from ALPHA at 2026-12-01T03:30:00Z beside T02")


def test_a_station_the_scenario_lacks_is_not_allowed_and_breaks_no_other_rule_check() -> None:
    tampered = schedule("clean")
    tampered.loc[tampered.track_id == "T01", "station"] = "Z-9"
    found = {(v.track_id, v.rule) for v in validate_schedule(SCENARIO, tampered)}
    assert ("T01", "station not allowed") in found
    assert not {rule for _, rule in found} & {"band", "start spacing", "max links", "rfi"}
