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
