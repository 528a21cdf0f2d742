"""Proposals: who must consent on small hand-checked scenarios (a move, a shortening, a drop, a
new coordination pair, an agency that only gains), frozen tracks never moved, and the consent
term choosing the plan that asks fewer agencies among plans of equal time.

Every scenario runs on two antennas that always see the pole (30 min setup, 15 min teardown,
so a track of T hours holds its antenna T + 45 min); each baseline is written by hand."""

from pathlib import Path

import pandas as pd
import pytest

import scheduler
from scheduler.check import validate_schedule
from scheduler.errors import InputError
from scheduler.inputs import load_scenario_text
from tests.support.proposals import DAY, baseline_frame, party, scenario_text

FAST = {"time_limit_s": 5, "workers": 1}
BEFORE = "2026-11-20T00:00:00Z"  # a proposal made early enough that nothing is frozen

# P and R share TEST-A, Q is on TEST-B. KARI's new U wants 8 h of TEST-A: R (TEST-A only, the
# least important) must go, and P must leave TEST-A (P's 3 h 45 min and U's 8 h 45 min exceed 12 h).
SHARED = """  - {id: P, mission: P, agency: ESA, target: pole, priority: 1, duration: 3h}
  - {id: Q, mission: Q, agency: NASA, target: pole, priority: 2, duration: 3h}
  - {id: R, mission: R, agency: JAXA, target: pole, priority: 9, duration: 3h, stations: [TEST-A]}
"""
URGENT = "  - {id: U, mission: U, agency: KARI, target: pole, priority: 1, duration: 8h, stations: [TEST-A]}\n"
SHARED_BASELINE = [
    ("R", "JAXA", "pole", "TEST-A", "00:30", "03:30"),
    ("P", "ESA", "pole", "TEST-A", "04:15", "07:15"),
    ("Q", "NASA", "pole", "TEST-B", "00:30", "03:30"),
]


def proposal(requests: str, baseline: list, now: str = BEFORE, extra: str = "", **options) -> scheduler.ProposalResult:
    scenario = load_scenario_text(scenario_text(requests, extra), "proposal.yaml")
    result = scheduler.propose(scenario, baseline_frame(baseline), now=now, **FAST, **options)
    assert validate_schedule(scenario, result.plan.schedule) == []
    return result


def places(schedule: pd.DataFrame, request: str) -> list[tuple[str, str, str]]:
    rows = schedule[schedule.request_id == request]
    return [(r.station, f"{r.start:%H:%M}", f"{r.end:%H:%M}") for r in rows.itertuples()]


@pytest.fixture(scope="module")
def displaced() -> scheduler.ProposalResult:
    return proposal(SHARED + URGENT, SHARED_BASELINE)


def test_a_moved_track_asks_its_agency(displaced: scheduler.ProposalResult) -> None:
    assert places(displaced.plan.schedule, "P")[0][0] == "TEST-B"
    assert party(displaced.parties, "ESA") == {
        "must_consent": True,
        "response": "pending",
        "reason": "",
        "hours_before": 3.0,
        "hours_after": 3.0,
        "moved": 1,
        "shortened": 0,
        "dropped": 0,
        "new_pairs": 0,
    }


def test_a_dropped_track_asks_its_agency(displaced: scheduler.ProposalResult) -> None:
    assert places(displaced.plan.schedule, "R") == []
    row = party(displaced.parties, "JAXA")
    assert (row["must_consent"], row["dropped"], row["hours_before"], row["hours_after"]) == (True, 1, 3.0, 0.0)
    assert displaced.diff.set_index("request_id").loc["R", ["change", "reason"]].tolist() == ["dropped", "re-planned"]


def test_an_agency_that_only_gains_is_told_not_asked(displaced: scheduler.ProposalResult) -> None:
    [(station, start, end)] = places(displaced.plan.schedule, "U")
    assert station == "TEST-A" and pd.Timestamp(f"{DAY}T{end}") - pd.Timestamp(f"{DAY}T{start}") == pd.Timedelta(
        hours=8
    )
    row = party(displaced.parties, "KARI")
    assert (row["must_consent"], row["hours_before"], row["hours_after"]) == (False, 0.0, 8.0)
    assert (row["moved"], row["shortened"], row["dropped"], row["new_pairs"]) == (0, 0, 0, 0)


def test_an_agency_left_as_it_was_is_no_party(displaced: scheduler.ProposalResult) -> None:
    assert places(displaced.plan.schedule, "Q") == [("TEST-B", "00:30", "03:30")]
    assert displaced.parties.agency.tolist() == ["ESA", "JAXA", "KARI"]
    assert displaced.asked == ["ESA", "JAXA"]


def test_a_shortened_track_asks_its_agency() -> None:
    # P (2..4 h, TEST-A) holds 00:30-04:30; NASA's new 7 h U leaves TEST-A 12 h - 7 h 45 min =
    # 4 h 15 min, so P keeps 3 h 30 min of its 4 h, wherever it goes.
    requests = (
        "  - {id: P, mission: P, agency: ESA, target: pole, priority: 5, min_duration: 2h, max_duration: 4h,"
        " stations: [TEST-A]}\n"
        "  - {id: U, mission: U, agency: NASA, target: pole, priority: 1, duration: 7h, stations: [TEST-A]}\n"
    )
    result = proposal(requests, [("P", "ESA", "pole", "TEST-A", "00:30", "04:30")])
    row = party(result.parties, "ESA")
    assert (row["must_consent"], row["shortened"], row["moved"], row["hours_after"]) == (True, 1, 0, 3.5)
    assert party(result.parties, "NASA")["must_consent"] is False


def test_a_track_lengthened_where_it_stands_is_a_gain() -> None:
    # ESA asks 4 h instead of 3 h inside 00:00-04:30: the only 4 h track contains the old one.
    requests = (
        "  - {id: P, mission: P, agency: ESA, target: pole, priority: 5, duration: 4h, stations: [TEST-A],"
        f" window: {{start: {DAY}T00:00:00Z, end: {DAY}T04:30:00Z}}}}\n"
    )
    result = proposal(requests, [("P", "ESA", "pole", "TEST-A", "00:30", "03:30")])
    assert places(result.plan.schedule, "P") == [("TEST-A", "00:30", "04:30")]
    row = party(result.parties, "ESA")
    assert (row["must_consent"], row["moved"], row["hours_before"], row["hours_after"]) == (False, 0, 3.0, 4.0)


COORDINATED = (
    "  - {id: P, mission: P, agency: ESA, target: pole, priority: 3, duration: 3h, stations: [TEST-A], band: X}\n"
    "  - {id: Q, mission: Q, agency: NASA, target: near, priority: 3, duration: 3h, stations: [TEST-B], band: X,"
    f" window: {{start: {DAY}T00:00:00Z, end: {DAY}T{{end}}:00Z}}}}\n"
)
RFI = "rfi: {separation_deg: 2.0}\n"


def test_a_new_coordination_pair_asks_the_agency_whose_track_did_not_move() -> None:
    # NASA's Q (target 0.5 deg from ESA's) must now end by 04:00: whatever its place, it is on
    # target with ESA's kept P, on the same band at another complex, a pair the baseline lacked.
    baseline = [("P", "ESA", "pole", "TEST-A", "00:30", "03:30"), ("Q", "NASA", "near", "TEST-B", "06:30", "09:30")]
    result = proposal(COORDINATED.replace("{end}", "04:00"), baseline, extra=RFI)
    assert places(result.plan.schedule, "P") == [("TEST-A", "00:30", "03:30")]
    assert len(result.pairs) == 1 and set(result.pairs[["agency_a", "agency_b"]].iloc[0]) == {"ESA", "NASA"}
    esa, nasa = party(result.parties, "ESA"), party(result.parties, "NASA")
    assert (esa["must_consent"], esa["moved"], esa["new_pairs"]) == (True, 0, 1)
    assert (nasa["must_consent"], nasa["moved"], nasa["new_pairs"]) == (True, 1, 1)


def test_a_pair_the_baseline_already_had_asks_nobody_new() -> None:
    # The same two tracks already overlapped in the baseline; Q moves a little and still does.
    baseline = [("P", "ESA", "pole", "TEST-A", "00:30", "03:30"), ("Q", "NASA", "near", "TEST-B", "01:00", "04:00")]
    result = proposal(COORDINATED.replace("{end}", "03:45"), baseline, extra=RFI)
    assert len(result.pairs) == 0
    assert result.parties.agency.tolist() == ["NASA"]
    assert party(result.parties, "NASA")["moved"] == 1


def test_frozen_tracks_stay_even_where_moving_them_would_pay(displaced: scheduler.ProposalResult) -> None:
    # Unfrozen, R is dropped for U (the fixture); made at 06:00 eight days before, every track
    # whose activity begins before 06:00 is frozen: R, P and Q stay, U finds no room, and CNSA's
    # new hour on TEST-B begins after the freeze.
    extra_request = (
        "  - {id: S, mission: S, agency: CNSA, target: pole, priority: 1, duration: 1h, stations: [TEST-B]}\n"
    )
    result = proposal(SHARED + URGENT + extra_request, SHARED_BASELINE, now="2026-11-23T06:00:00Z")
    schedule = result.plan.schedule
    for request, _, _, station, start, end in SHARED_BASELINE:
        assert places(schedule, request) == [(station, start, end)]
    assert result.frozen == 3
    assert result.plan.unsatisfied.request_id.tolist() == ["U"]
    reason = "frozen until 2026-12-01T06:00:00Z (negotiation.freeze_before), no room after it"
    assert result.plan.unsatisfied.reason.tolist() == [reason]
    assert schedule[schedule.request_id == "S"].setup_start.min() >= pd.Timestamp(f"{DAY}T06:00:00Z")
    assert result.parties.agency.tolist() == ["CNSA"] and result.asked == []


def test_a_request_changed_under_a_frozen_track_is_refused_naming_it() -> None:
    changed = SHARED.replace("priority: 9, duration: 3h", "priority: 9, duration: 4h")
    with pytest.raises(InputError) as caught:
        proposal(changed, SHARED_BASELINE, now="2026-11-23T01:00:00Z")
    text = str(caught.value)
    assert "frozen track of R on TEST-A at 2026-12-01T00:30:00Z: no longer fits its request" in text
    assert "begins before 2026-12-01T01:00:00Z is frozen (negotiation.freeze_before)" in text


def test_a_withdrawn_request_drops_its_tracks_and_an_unknown_one_is_refused() -> None:
    kept = SHARED.replace(
        "  - {id: R, mission: R, agency: JAXA, target: pole, priority: 9, duration: 3h, stations: [TEST-A]}\n", ""
    )
    result = proposal(kept, SHARED_BASELINE, withdrawn=["R"])
    assert result.diff.set_index("request_id").loc["R", ["change", "reason"]].tolist() == [
        "dropped",
        "request withdrawn",
    ]
    assert party(result.parties, "JAXA")["dropped"] == 1
    with pytest.raises(InputError, match=r"row 2 request_id: request 'R' is not in the scenario; fix: .*--withdrawn"):
        proposal(kept, SHARED_BASELINE)


def test_the_proposal_exports_provisional_and_the_baseline_operational(displaced: scheduler.ProposalResult) -> None:
    files = displaced.files()
    assert 'status="PROVISIONAL"' in files["schedule.xml"]
    assert 'activityStatus="TENTATIVE"' in files["schedule.xml"] and "COMMITTED" not in files["schedule.xml"]
    baseline = scheduler.export(displaced.baseline, "xml", status="operational")
    assert 'status="OPERATIONAL"' in baseline and 'activityStatus="COMMITTED"' in baseline
    assert "TENTATIVE" not in baseline
    assert "STATUS:CONFIRMED" in scheduler.export(displaced.baseline, "ics", status="operational")


def test_the_result_carries_the_negotiation_facts(displaced: scheduler.ProposalResult, tmp_path: Path) -> None:
    facts = displaced.plan.summary["proposal"]
    assert (facts["now"], facts["respond_by"], facts["silence"]) == (BEFORE, "2026-11-23T00:00:00Z", "reject")
    assert (facts["must_consent"], facts["told"], facts["frozen_tracks"]) == (["ESA", "JAXA"], ["KARI"], 0)
    written = {p.name for p in displaced.write(tmp_path / "out")}
    assert {"diff.csv", "parties.csv", "schedule.csv", "schedule.xml", "summary.json"} <= written
    assert (tmp_path / "out" / "parties.csv").read_text().splitlines()[0] == (
        "agency,must_consent,response,reason,hours_before,hours_after,moved,shortened,dropped,new_pairs"
    )
