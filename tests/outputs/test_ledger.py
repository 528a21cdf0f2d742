"""The cross-support ledger: who gave antenna time to whom, in hand-checked hours."""

import pandas as pd

from scheduler.outputs.exports.records import schedule_from_records
from scheduler.outputs.ledger import LEDGER_COLUMNS, ledger_summary, support_ledger
from scheduler.outputs.plan_outputs import PlanResult, cross_support

ANTENNA_AGENCY = {"DSS-63": "NASA", "DSS-43": "NASA", "NNO-1": "ESA", "UDSC": "JAXA"}


def track(track_id: str, station: str, agency: str, start: str, end: str, setup_min: int, teardown_min: int, group=""):
    begin, finish = pd.Timestamp(start), pd.Timestamp(end)
    return {
        "track_id": track_id,
        "request_id": f"{agency}-R",
        "mission": f"{agency}-M",
        "agency": agency,
        "target": "mars",
        "station": station,
        "setup_start": (begin - pd.Timedelta(minutes=setup_min)).isoformat(),
        "start": begin.isoformat(),
        "end": finish.isoformat(),
        "teardown_end": (finish + pd.Timedelta(minutes=teardown_min)).isoformat(),
        "group": group,
    }


def hand_schedule() -> pd.DataFrame:
    return schedule_from_records(
        [
            # NASA antennas: 4 h for ESA, 2 h for NASA itself
            track("T1", "DSS-63", "ESA", "2026-12-07T02:00Z", "2026-12-07T06:00Z", 60, 15),
            track("T2", "DSS-43", "NASA", "2026-12-07T02:00Z", "2026-12-07T04:00Z", 30, 15),
            # ESA's New Norcia: 3 h for NASA
            track("T3", "NNO-1", "NASA", "2026-12-07T10:00Z", "2026-12-07T13:00Z", 30, 30),
            # a JAXA mission arrayed on two antennas of two agencies for 1.5 h: each antenna gave it
            track("T4-1", "DSS-43", "JAXA", "2026-12-07T20:00Z", "2026-12-07T21:30Z", 30, 15, group="G1"),
            track("T4-2", "NNO-1", "JAXA", "2026-12-07T20:00Z", "2026-12-07T21:30Z", 30, 30, group="G1"),
        ]
    )


def test_ledger_counts_hours_on_target_and_antenna_time_per_agency_pair() -> None:
    ledger = support_ledger(hand_schedule(), ANTENNA_AGENCY.__getitem__)
    assert list(ledger.columns) == LEDGER_COLUMNS
    assert ledger.to_dict(orient="records") == [
        {"provider_agency": "ESA", "user_agency": "JAXA", "tracks": 1, "on_target_h": 1.5, "antenna_h": 2.5},
        {"provider_agency": "ESA", "user_agency": "NASA", "tracks": 1, "on_target_h": 3.0, "antenna_h": 4.0},
        {"provider_agency": "NASA", "user_agency": "ESA", "tracks": 1, "on_target_h": 4.0, "antenna_h": 5.25},
        {"provider_agency": "NASA", "user_agency": "JAXA", "tracks": 1, "on_target_h": 1.5, "antenna_h": 2.25},
        {"provider_agency": "NASA", "user_agency": "NASA", "tracks": 1, "on_target_h": 2.0, "antenna_h": 2.75},
    ]


def test_ledger_summary_separates_cross_support_from_own_use() -> None:
    facts = ledger_summary(support_ledger(hand_schedule(), ANTENNA_AGENCY.__getitem__))
    assert facts["given_h"] == {"ESA": 4.5, "NASA": 5.5}
    assert facts["received_h"] == {"ESA": 4.0, "JAXA": 3.0, "NASA": 3.0}
    assert facts["own_use_h"] == {"NASA": 2.0}
    assert facts["cross_support_fraction"] == round(10.0 / 12.0, 4)
    assert [(p["provider_agency"], p["user_agency"]) for p in facts["pairs"]] == [
        ("ESA", "JAXA"),
        ("ESA", "NASA"),
        ("NASA", "ESA"),
        ("NASA", "JAXA"),
    ]


def test_empty_schedule_gives_an_empty_ledger_and_zero_summary() -> None:
    ledger = support_ledger(schedule_from_records([]), ANTENNA_AGENCY.__getitem__)
    assert ledger.empty and list(ledger.columns) == LEDGER_COLUMNS
    assert ledger_summary(ledger) == {
        "given_h": {},
        "received_h": {},
        "own_use_h": {},
        "cross_support_fraction": 0.0,
        "pairs": [],
    }


def test_plan_ledger_takes_antenna_agencies_from_the_scenario_stations(tiny_plan: PlanResult) -> None:
    ledger = cross_support(tiny_plan)
    schedule = tiny_plan.schedule
    on_target_h = (schedule.end - schedule.start).dt.total_seconds() / 3600
    assert set(ledger.provider_agency) == {"NASA"}  # tiny-moon uses one DSN antenna per complex
    assert ledger.on_target_h.sum() == on_target_h.sum()
    esa = ledger[ledger.user_agency == "ESA"].iloc[0]
    assert esa.on_target_h == on_target_h[schedule.agency == "ESA"].sum() == 8.0
