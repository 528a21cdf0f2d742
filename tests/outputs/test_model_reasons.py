"""unsatisfied.csv names why each unmet request is unmet (tests/scenarios/semantics/reasons.yaml)."""

from tests.support.model_support import plan


def test_each_unmet_request_has_its_hand_worked_reason() -> None:
    result = plan("reasons")
    reasons = dict(zip(result.unsatisfied.request_id, result.unsatisfied.reason, strict=True))
    assert reasons == {
        "NOVIEW": "no view period",
        "SHORT": "window too short",
        "DOWN": "blocked by downtime",
        "LOSER": "outcompeted by RIVAL",
    }
    assert [
        (r.request_id, r.start.strftime("%H:%M"), r.end.strftime("%H:%M")) for r in result.schedule.itertuples()
    ] == [("RIVAL", "04:00", "08:00")]


def test_a_coverage_gap_is_reported_with_its_times_and_cause() -> None:
    result = plan("continuous-gap")
    assert result.unsatisfied.reason.tolist() == [
        "coverage gap 2026-12-01T06:00:00Z..2026-12-01T07:00:00Z: blocked by downtime"
    ]
    assert result.unsatisfied.scheduled_s.tolist() == [11 * 3600 - 600]  # 11 h covered, less a handover per break


def test_a_request_without_a_window_is_never_told_its_window_is_too_short() -> None:
    """20 h tracks, five a day, from an antenna that always sees the target: the view periods,
    not a window (it has none), hold too few tracks (issue 28 §6)."""
    from scheduler.inputs import load_scenario_text
    from scheduler.solvers import SolverSettings
    from scheduler.workflows.plan import run_plan
    from tests.conftest import POLE_STATIONS_AND_TARGET

    text = (
        "name: long\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-03T00:00:00Z\n"
        + POLE_STATIONS_AND_TARGET.lstrip("\n")
        + "requests:\n  - {id: P, mission: M, target: pole, duration: 20h, tracks: 5, per: day, stations: [TEST-A]}\n"
    )
    settings = SolverSettings(time_limit_s=3, workers=1, seed=0, solver="greedy")
    result = run_plan(load_scenario_text(text), settings)
    assert result.unsatisfied.reason.tolist() == ["view periods too short: no room for 5 tracks of 20h a day"]
