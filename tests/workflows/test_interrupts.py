"""Interrupted runs: SIGTERM or Ctrl-C (SIGINT) at any stage of a real `plan` process — view
periods, the CP-SAT search, writing — is exit 143 or 130 with one line, no traceback, no
partial output directory, no temporary files left, and an existing output directory untouched."""

import signal
import time
from pathlib import Path

import pytest

from tests.support.signalled_run import Child
from tests.workflows.test_repair import TWO_POLES

EXPECTED = {
    signal.SIGINT: (130, "interrupted: stopped at Ctrl-C; no output written"),
    signal.SIGTERM: (143, "terminated: stopped at SIGTERM; no output written"),
}
TINY = str(Path(__file__).parent.parent / "scenarios" / "tiny-moon.yaml")
STAGES = {  # stage: (scenario, the step to wait for, extra options, step held)
    "view periods": ("default", "step: computing view periods", ["--solver", "greedy"], None),
    "search": (TINY, "step: search", ["--time-limit", "120"], None),  # searches for many seconds
    "writing": (TINY, "step: staged", ["--solver", "greedy"], "staged"),
}


@pytest.fixture
def previous_outputs(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "schedule.csv").write_text("previous run\n")
    (out / ".jointtrack-output").write_text('{"written_by": "jointtrack", "files": ["schedule.csv"]}')
    (out / "notes.txt").write_text("the operator's own file\n")
    return out


@pytest.mark.slow
@pytest.mark.parametrize("stage", sorted(STAGES))
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_at_any_stage_stops_the_plan_cleanly(
    stage: str, number: signal.Signals, previous_outputs: Path, tmp_path: Path
) -> None:
    scenario, step, options, hold = STAGES[stage]
    child = Child(["plan", scenario, "--out", "out", *options], tmp_path, hold)
    child.wait_for(step)
    if stage == "search":
        child.wait_for("step: search")
        time.sleep(1.0)  # past the short completion stage, into the main search
    child.process.send_signal(number)
    code, lines = child.finish()
    assert (code, lines) == (EXPECTED[number][0], [EXPECTED[number][1]])
    assert child.stdout == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "tmp"]  # no staging directory, no lock
    assert sorted(p.name for p in previous_outputs.iterdir()) == [".jointtrack-output", "notes.txt", "schedule.csv"]
    assert (previous_outputs / "schedule.csv").read_text() == "previous run\n"
    assert list(child.temporary.iterdir()) == []


@pytest.mark.slow
@pytest.mark.parametrize("number", [signal.SIGINT, signal.SIGTERM], ids=["Ctrl-C to the group", "SIGTERM"])
def test_a_signal_during_a_sweep_closes_its_local_cluster_and_leaves_nothing(
    number: signal.Signals, tmp_path: Path
) -> None:
    (tmp_path / "two-poles.yaml").write_text(TWO_POLES)
    arguments = ["sweep", "two-poles.yaml", "--vary", "outages", "--runs", "3", "--out", "out", "--time-limit", "3"]
    child = Child(arguments, tmp_path)
    child.wait_for("step: computing view periods (once for all variants)")  # the local cluster is up
    if number == signal.SIGINT:
        child.signal_group(number)  # the workers get it too, as from a terminal: they must not speak
    else:
        child.process.send_signal(number)
    code, lines = child.finish()
    assert (code, lines) == (EXPECTED[number][0], [EXPECTED[number][1]])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tmp", "two-poles.yaml"]
    assert list(child.temporary.iterdir()) == []  # the scheduler's and workers' scratch is gone too
