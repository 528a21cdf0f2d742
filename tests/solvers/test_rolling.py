"""Rolling windows: window arithmetic, fixed tracks carried over, a valid schedule across a
window edge, and `plan` rolling long horizons on its own."""

import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from scheduler.check import validate_schedule
from scheduler.inputs import load_scenario
from scheduler.problem.types import Demand, Opportunity, Problem, Track
from scheduler.solvers import SolverSettings, solve
from scheduler.solvers.rolling import window_problem, windows
from scheduler.timeutil import DAY
from scheduler.workflows.plan import run_plan
from tests.conftest import POLE_STATIONS_AND_TARGET

HOUR = 3600
SETTINGS = SolverSettings(time_limit_s=4, workers=1, seed=0)

# Two antennas that always see a target at the celestial pole, two days, per-day and
# whole-horizon requests: 50 h asked of 96 h of antenna time, so everything fits.
TWO_DAYS = (
    """
name: two-poles-two-days
start: 2026-12-01T00:00:00Z
end: 2026-12-03T00:00:00Z
"""
    + POLE_STATIONS_AND_TARGET.lstrip("\n")
    + """requests:
  - {id: P, mission: ALPHA, agency: ESA, target: pole, priority: 1, duration: 5h, tracks: 2, per: day}
  - {id: Q, mission: BETA, agency: NASA, target: pole, priority: 2, duration: 4h, tracks: 3, per: day}
  - {id: R, mission: GAMMA, agency: JAXA, target: pole, priority: 3, duration: 3h, tracks: 2}
"""
)


def day_demand(day: int, antennas: tuple[str, ...] = ("A", "B")) -> Demand:
    """One 4 h track on day `day`, anywhere in the day, on either antenna (10 min setup/teardown)."""
    opportunities = tuple(
        Opportunity((a,), day * DAY + 600, (day + 1) * DAY - 4 * HOUR - 600, (day + 1) * DAY - 600, 600, 600)
        for a in antennas
    )
    return Demand(f"D#{day + 1}", "D", "M", "X", "t", 3, 1, 4 * HOUR, 4 * HOUR, opportunities)


def test_windows_overlap_and_end_at_the_horizon() -> None:
    assert windows(28 * DAY, 7 * DAY, DAY) == [
        (a * DAY, b * DAY) for a, b in [(0, 7), (6, 13), (12, 19), (18, 25), (24, 28)]
    ]
    assert windows(5 * DAY, 7 * DAY, DAY) == [(0, 5 * DAY)]
    with pytest.raises(ValueError):
        windows(5 * DAY, DAY, DAY)


def test_window_locks_earlier_tracks_and_keeps_their_demands() -> None:
    problem = Problem("p", datetime(2026, 12, 1, tzinfo=UTC), 3 * DAY, 60, ("A", "B"), tuple(map(day_demand, range(3))))
    earlier = Track("D#1", ("A",), 2 * HOUR, 6 * HOUR, 600, 600)
    second = window_problem(problem, (earlier,), DAY + 18 * HOUR, 3 * DAY)
    assert second.locked == (earlier,)
    assert [d.id for d in second.demands] == ["D#1", "D#2", "D#3"]  # D#1 only for its locked track
    assert second.demands[0].opportunities == ()
    assert second.demands[1].opportunities[0].earliest_start == DAY + 18 * HOUR + 600


def test_split_track_locked_in_a_later_window_keeps_it_feasible() -> None:
    # Two 2.5 h passes on day one: the 4 h split track needs a segment in each; the next windows
    # lock both segments, which must not count as two tracks of a one-track demand.
    passes = tuple(Opportunity(("A",), a, b - HOUR, b, 600, 600) for a, b in ((3600, 12_600), (21_600, 30_600)))
    split = Demand("S", "S", "M", "X", "t", 1, 1, 4 * HOUR, 4 * HOUR, passes, min_segment=HOUR)
    problem = Problem("p", datetime(2026, 12, 1, tzinfo=UTC), 2 * DAY, 60, ("A", "B"), (split, day_demand(1)))
    solution = solve(problem, replace(SETTINGS, window_s=DAY))
    segments = [t for t in solution.tracks if t.demand_id == "S"]
    assert solution.status == "FEASIBLE"
    assert len(segments) == 2 and sum(t.duration for t in segments) == 4 * HOUR
    assert len({t.group for t in segments}) == 1


def test_window_problem_keeps_tracks_inside_the_window() -> None:
    problem = Problem("p", datetime(2026, 12, 1, tzinfo=UTC), 3 * DAY, 60, ("A", "B"), tuple(map(day_demand, range(3))))
    first = window_problem(problem, (), 0, DAY + 6 * HOUR)
    assert [d.id for d in first.demands] == ["D#1", "D#2"]
    second_day = first.demands[1].opportunities[0]
    assert (second_day.earliest_start, second_day.latest_end) == (DAY + 600, DAY + 6 * HOUR - 600)
    assert second_day.latest_start == DAY + 6 * HOUR - 600 - 4 * HOUR


def test_plan_rolls_a_long_horizon_by_itself_and_serves_every_day() -> None:
    problem = Problem("p", datetime(2026, 12, 1, tzinfo=UTC), 9 * DAY, 60, ("A", "B"), tuple(map(day_demand, range(9))))
    solution = solve(problem, SETTINGS)
    assert solution.solver == "cpsat-rolling"
    assert sorted(t.demand_id for t in solution.tracks) == [f"D#{n}" for n in range(1, 10)]
    for track in solution.tracks:
        day = int(track.demand_id.split("#")[1]) - 1
        assert day * DAY <= track.start - track.setup and track.end + track.teardown <= (day + 1) * DAY
    assert solve(problem, replace(SETTINGS, window_s=0)).solver == "cpsat"


def test_two_window_plan_is_valid_and_complete(tmp_path: Path) -> None:
    (tmp_path / "two-days.yaml").write_text(TWO_DAYS)
    scenario = load_scenario(tmp_path / "two-days.yaml")
    result = run_plan(scenario, replace(SETTINGS, window_s=DAY))
    assert result.solution.solver == "cpsat-rolling"
    assert validate_schedule(scenario, result.schedule) == []
    assert result.summary["scheduled_hours"] == result.summary["requested_hours"] == 50.0
    per_day = result.schedule.groupby(["request_id", result.schedule.start.dt.day]).size().to_dict()
    assert {k: v for k, v in per_day.items() if k[0] in "PQ"} == {("P", 1): 2, ("P", 2): 2, ("Q", 1): 3, ("Q", 2): 3}


@pytest.mark.slow
def test_plan_rejects_a_window_that_is_not_a_length_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "two-days.yaml").write_text(TWO_DAYS)
    command = [sys.executable, "-m", "scheduler", "plan", str(tmp_path / "two-days.yaml"), "--window", "weekly"]
    result = subprocess.run([*command, "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    expected = "error: --window: 'weekly' is not a window length; fix: write e.g. --window 7d, or off"
    assert result.stderr.strip() == expected
