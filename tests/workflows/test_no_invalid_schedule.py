"""No invalid schedule leaves the tool: plan, repair and sweep check every schedule before
writing it; a violation (our bug, simulated here by a solver that overbooks an antenna) is exit
70 with one line naming the rule and the track, and nothing is written."""

from dataclasses import replace
from pathlib import Path

import pytest
from distributed import Client, LocalCluster

import scheduler.workflows.plan as plan_workflow
import scheduler.workflows.repair as repair_workflow
import scheduler.workflows.sweep as sweep_workflow
from scheduler.cli.app import app, run
from scheduler.errors import InvalidSchedule
from scheduler.inputs import load_scenario
from scheduler.solvers import SolverSettings, solve
from scheduler.workflows.sweep import run_sweep
from tests.workflows.test_repair import TWO_POLES


def overbooking(problem, settings, progress=None):
    """The real solver's solution with its first track booked a second time, an hour later."""
    solution = solve(problem, settings)
    first = solution.tracks[0]
    return replace(solution, tracks=(*solution.tracks, replace(first, start=first.start + 3600, end=first.end + 3600)))


@pytest.fixture
def two_poles(tmp_path: Path) -> Path:
    (tmp_path / "two-poles.yaml").write_text(TWO_POLES)
    return tmp_path / "two-poles.yaml"


def one_line(capsys: pytest.CaptureFixture[str]) -> str:
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


def test_plan_with_a_violation_is_exit_70_naming_rule_and_track_and_writes_nothing(
    two_poles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(plan_workflow, "solve", overbooking)
    out = tmp_path / "out"
    code = run(lambda: app(["plan", str(two_poles), "--out", str(out), "--quiet", "--time-limit", "3"]))
    line = one_line(capsys)
    assert code == 70
    assert line.startswith("internal error: the planned schedule breaks the rule ")
    assert "'too many tracks'" in line or "'overlap'" in line or "'duration'" in line
    assert "on track " in line and "nothing was written" in line
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["two-poles.yaml"]  # no staging directory either


def test_repair_with_a_violation_is_exit_70_and_leaves_the_old_outputs(
    two_poles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    plan = plan_workflow.run_plan(load_scenario(two_poles), SolverSettings(time_limit_s=3, workers=1, seed=0))
    plan.write(tmp_path / "plan")
    (tmp_path / "event.yaml").write_text("withdrawn: [R]\n")
    out = tmp_path / "plan"  # repair over the plan's own directory: it must stay as it was
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    monkeypatch.setattr(repair_workflow, "solve", overbooking)
    arguments = ["repair", str(two_poles), str(out / "schedule.csv"), "--event", str(tmp_path / "event.yaml")]
    code = run(lambda: app([*arguments, "--out", str(out), "--quiet", "--time-limit", "3"]))
    assert code == 70
    assert "breaks the rule" in one_line(capsys)
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_a_sweep_variant_with_a_violation_fails_the_sweep(two_poles: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sweep_workflow, "solve", overbooking)
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as client,
        pytest.raises(InvalidSchedule) as raised,
    ):
        run_sweep(load_scenario(two_poles), ("outages",), 1, SolverSettings(time_limit_s=3, workers=1, seed=0), client)
    assert raised.value.rule in ("too many tracks", "overlap", "duration", "min gap")
