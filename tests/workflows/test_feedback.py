"""Feedback: the outcome rules one by one on the hand-checked chain scenario
(tests/scenarios/feedback/chain.yaml: CHAIN asks for three 2 h tracks at least 4 h apart on one
antenna; planned 00-02, 06-08, 12-14 h; a re-opened track can only come back at 18-20 h after
--now 09:00). Each test's comment works out the tracks expected."""

from pathlib import Path

import pandas as pd
import pytest

from scheduler import api
from scheduler.errors import InputError
from scheduler.inputs import load_scenario

HERE = Path(__file__).resolve().parent.parent / "scenarios" / "feedback"
SCHEDULE = str(HERE / "chain.schedule.csv")
NOW = "2026-12-01T09:00:00Z"
DAY = "2026-12-01T"


def outcome(track: str, state: str, start: str = "", end: str = "", cause: str = "") -> dict:
    """A row of the outcomes file; times as HH:MM on the scenario's day."""
    at = {t: f"{DAY}{t}:00Z" if t else "" for t in (start, end)}
    return {"track_id": track, "state": state, "actual_start": at[start], "actual_end": at[end], "cause": cause}


def run(rows: list[dict], now: str = NOW, scenario: str | Path = HERE / "chain.yaml"):
    return api.feedback(scenario, SCHEDULE, rows, now=now, time_limit_s=5, workers=1)


def chain(result) -> list[tuple[str, str]]:
    schedule = result.plan.schedule
    return [(f"{r.start:%H:%M}", f"{r.end:%H:%M}") for r in schedule.sort_values("start").itertuples()]


def test_failed_track_is_requeued_in_the_rest_of_the_horizon() -> None:
    # T0001 ran, T0002 failed: CHAIN asks for one track more; T0003 stays (minimal change), so the
    # only place is 18:00-20:00 (after --now, 4 h from T0003).
    result = run([outcome("T0001", "completed", "00:00", "02:00"), outcome("T0002", "failed", cause="station")])
    assert chain(result) == [("00:00", "02:00"), ("12:00", "14:00"), ("18:00", "20:00")]
    reasons = dict(zip(result.diff.old_start, result.diff.reason, strict=True))
    assert reasons[f"{DAY}06:00:00Z"] == "re-opened: failed, station"
    request = result.execution[result.execution.scope == "request"].iloc[0]
    assert (request.tracks, request.reported, request.done, request.failures) == (2, 2, 1, 1)
    assert (request.planned_s, request.delivered_s, request.success_rate) == (14400, 7200, 0.5)
    assert result.plan.unsatisfied.empty


def test_a_track_is_done_at_90_percent_and_stays_as_it_ran() -> None:
    # 1 h 48 min of 2 h is 90 %: done, kept as it ran; nothing re-queued.
    result = run([outcome("T0001", "partial", "00:00", "01:48")])
    assert chain(result) == [("00:00", "01:48"), ("06:00", "08:00"), ("12:00", "14:00")]
    assert result.plan.summary["feedback"]["done"] == 2  # T0002 unreported: taken as planned
    assert result.plan.summary["scheduled_hours"] == pytest.approx(5.8)  # 1.8 + 2 + 2: delivered time counts


def test_below_90_percent_the_track_is_requeued() -> None:
    # 1 h 47 min is 89 %: re-opened, re-queued at 18:00-20:00; its partial time still counts as
    # delivered in the ledger.
    result = run([outcome("T0001", "partial", "00:00", "01:47", "weather")])
    assert chain(result) == [("06:00", "08:00"), ("12:00", "14:00"), ("18:00", "20:00")]
    assert result.plan.summary["feedback"]["delivered_hours"] == pytest.approx(2 + 107 / 60, abs=1e-3)
    assert result.ledger.on_target_h.sum() == pytest.approx(6 + 107 / 60, abs=1e-3)


def test_failure_limit_leaves_the_request_out() -> None:
    # Two failures (max_failures 2): CHAIN asks for nothing more; its T0003 is dropped.
    result = run([outcome("T0001", "failed", cause="station"), outcome("T0002", "not_attempted", cause="weather")])
    assert chain(result) == []
    assert result.plan.unsatisfied.reason.tolist() == ["failure limit"]
    assert result.execution.note.tolist() == ["failure limit", ""]
    assert result.plan.summary["feedback"]["failure_limit"] == ["CHAIN"]
    dropped = result.diff[result.diff.old_start == f"{DAY}12:00:00Z"].iloc[0]
    assert (dropped.change, dropped.reason) == ("dropped", "failure limit")


def test_preempted_is_never_a_failure() -> None:
    # The same two tracks lost, one to a pre-emption: one failure, under the limit; both re-opened,
    # and only one fits (18:00-20:00).
    result = run(
        [outcome("T0001", "aborted", "00:00", "00:30", "preempted"), outcome("T0002", "failed", cause="station")]
    )
    assert result.plan.summary["feedback"]["failures"] == 1
    assert result.plan.summary["feedback"]["preempted"] == 1
    assert chain(result) == [("12:00", "14:00"), ("18:00", "20:00")]
    request = result.execution.iloc[0]
    assert (request.failures, request.preempted, request.success_rate) == (1, 1, 0.0)


def test_bad_data_reopens_the_whole_track() -> None:
    # T0001 ran in full but its data is bad: re-opened whole, re-queued at 18:00-20:00, a failure.
    result = run([outcome("T0001", "bad_data", "00:00", "02:00", "spacecraft")])
    assert chain(result) == [("06:00", "08:00"), ("12:00", "14:00"), ("18:00", "20:00")]
    assert result.plan.summary["feedback"]["failures"] == 1
    assert result.execution.iloc[0].delivered_s == 7200  # T0002 as planned; bad data delivers nothing


def test_min_gap_chain_restarts_from_the_real_pass(tmp_path: Path) -> None:
    # T0001 ran 30 min late (00:30-02:30). At --now 03:00 the chain counts from its real end: the
    # next track starts 06:30 at the earliest, the last 4 h after that ends; with the horizon
    # ending 14:30 the two future tracks must become exactly 06:30-08:30 and 12:30-14:30.
    text = (HERE / "chain.yaml").read_text().replace("end: 2026-12-01T20:00:00Z", "end: 2026-12-01T14:30:00Z")
    (tmp_path / "chain.yaml").write_text(text)
    result = run([outcome("T0001", "completed", "00:30", "02:30")], "2026-12-01T03:00:00Z", tmp_path / "chain.yaml")
    assert chain(result) == [("00:30", "02:30"), ("06:30", "08:30"), ("12:30", "14:30")]


def test_history_stays_and_untouched_future_is_kept() -> None:
    # Everything ran as planned: nothing changes.
    result = run([outcome("T0001", "completed", "00:00", "02:00"), outcome("T0002", "completed", "06:00", "08:00")])
    assert chain(result) == [("00:00", "02:00"), ("06:00", "08:00"), ("12:00", "14:00")]
    assert set(result.diff.change) == {"kept"}
    assert result.execution.success_rate.tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    ("row", "field", "problem"),
    [
        (outcome("T0009", "completed", "00:00", "02:00"), "row 2 track_id", "unknown track 'T0009'"),
        (outcome("T0001", "completed"), "row 2", "a completed track without actual times"),
        (outcome("T0001", "completed", "02:00", "01:00"), "row 2 actual_end", "is not after actual_start"),
        (outcome("T0001", "completed", "00:00", "21:00"), "row 2", "actual times outside the horizon"),
        (outcome("T0001", "lost"), "row 2 state", "unknown state 'lost'"),
        (outcome("T0001", "failed", cause="gremlins"), "row 2 cause", "unknown cause 'gremlins'"),
        (outcome("T0003", "failed", cause="station"), "row 2 track_id", "T0003 has not begun by --now"),
    ],
)
def test_bad_outcome_is_one_line_naming_row_and_field(row: dict, field: str, problem: str) -> None:
    with pytest.raises(InputError) as error:
        run([row])
    assert error.value.field == field
    assert error.value.problem.startswith(problem)


def test_times_outside_the_horizon_are_refused(tmp_path: Path) -> None:
    frame = pd.DataFrame([outcome("T0001", "completed", "00:00", "02:00")])
    frame.loc[0, "actual_start"] = "2026-11-30T23:00:00Z"
    frame.to_csv(tmp_path / "outcomes.csv", index=False)
    with pytest.raises(InputError, match="actual times outside the horizon"):
        run(str(tmp_path / "outcomes.csv"))  # type: ignore[arg-type]


def test_written_plan_validates_as_history(tmp_path: Path) -> None:
    result = run([outcome("T0001", "partial", "00:00", "01:48")])
    result.write(tmp_path / "out")
    assert {"execution.csv", "diff.csv", "schedule.csv", "ledger.csv"} <= {p.name for p in (tmp_path / "out").iterdir()}
    scenario, written = load_scenario(HERE / "chain.yaml"), tmp_path / "out" / "schedule.csv"
    violations = api.validate(scenario, written)
    assert [(v.rule, v.track_id) for v in violations] == [("duration", "T0001")]  # history: 1 h 48 of a 2 h track
    assert api.validate(scenario, written, now=NOW) == []  # history is what ran, not judged alone
