"""Two `plan` processes writing the same --out at once: the second fails at once with one line
naming the first (its pid), and the directory holds the first run's complete output."""

import json
import os
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.outputs.run_lock import output_lock
from tests.support.signalled_run import Child

TINY = str(Path(__file__).parent.parent / "scenarios" / "tiny-moon.yaml")
FILES = [
    ".jointtrack-output",
    "coordination.csv",
    "gantt.html",
    "ledger.csv",
    "schedule.csv",
    "schedule.ics",
    "schedule.json",
    "schedule.xml",
    "summary.json",
    "unsatisfied.csv",
    "view_periods.csv",
]


@pytest.mark.slow
def test_a_second_run_on_the_same_output_fails_naming_the_first(tmp_path: Path) -> None:
    first = Child(["plan", TINY, "--out", "out", "--solver", "greedy", "--seed", "1"], tmp_path, hold="staged")
    first.wait_for("step: staged")  # the first run's outputs are staged, about to replace out/
    second = Child(["plan", TINY, "--out", "out", "--solver", "greedy", "--seed", "2"], tmp_path)
    code, lines = second.finish()
    assert code == 2
    assert lines == [
        f"error: --out: out is being written by another jointtrack run (pid {first.process.pid}); "
        "fix: wait for that run to finish, or choose another --out"
    ]
    first.release.touch()
    code, lines = first.finish()
    assert (code, lines) == (0, [])
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == FILES
    assert json.loads((tmp_path / "out" / "summary.json").read_text())["seed"] == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []  # the lock file is gone


def test_a_failed_run_leaves_no_lock_and_no_folder_it_made(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "out"
    with pytest.raises(RuntimeError), output_lock(target):
        assert (tmp_path / "a" / "b" / ".out.lock").read_text() == f"{os.getpid()}\n"
        held = f"being written by another jointtrack run \\(pid {os.getpid()}\\)"
        with pytest.raises(InputError, match=held), output_lock(target):
            pass
        raise RuntimeError("the run failed")
    assert list(tmp_path.iterdir()) == []
