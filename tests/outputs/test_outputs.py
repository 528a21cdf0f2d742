"""Outputs are written atomically: a killed run leaves the previous outputs whole."""

import signal
import subprocess
import sys
from pathlib import Path

from scheduler.outputs.output_dir import write_all

KILL_ON_THIRD_FSYNC = """
import os, signal, sys
from pathlib import Path
from scheduler.outputs.output_dir import write_all
real_fsync, calls = os.fsync, []
def fsync_then_die(fd):
    calls.append(fd)
    if len(calls) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    real_fsync(fd)
os.fsync = fsync_then_die
write_all(Path(sys.argv[1]), {name: "new " * 100000 for name in ("a.csv", "b.json", "c.html", "d.csv")})
"""


def test_outputs_replace_previous_files_and_keep_user_files(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    write_all(out, {"a.csv": "one", "b.json": "{}"})
    (out / "notes.txt").write_text("mine")
    write_all(out, {"a.csv": "two", "b.json": "[]"})
    assert sorted(p.name for p in out.iterdir()) == [".jointtrack-output", "a.csv", "b.json", "notes.txt"]
    assert (out / "a.csv").read_text() == "two"
    assert (out / "notes.txt").read_text() == "mine"
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]  # no staging left behind


def test_run_killed_mid_write_leaves_previous_outputs_whole(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    previous = {"a.csv": "old a", "b.json": "old b", "c.html": "old c", "d.csv": "old d"}
    write_all(out, previous)
    killed = subprocess.run([sys.executable, "-c", KILL_ON_THIRD_FSYNC, str(out)], capture_output=True)
    assert killed.returncode == -signal.SIGKILL
    assert {p.name: p.read_text() for p in out.iterdir() if p.name != ".jointtrack-output"} == previous


def test_outputs_are_readable_by_others_like_ordinary_files(tmp_path: Path) -> None:
    import os

    write_all(tmp_path / "plan", {"a.csv": "x"})
    mode = os.stat(tmp_path / "plan" / "a.csv").st_mode & 0o777
    mask = os.umask(0)
    os.umask(mask)
    assert mode == 0o666 & ~mask
