"""Nothing the user owns is lost to an output: existing directories, hidden files, symlinks,
devices, FIFOs, modes (issue 28, part 1)."""

import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from scheduler.errors import InputError
from scheduler.outputs.atomic import write_file
from scheduler.outputs.output_dir import MARKER, write_all
from tests.conftest import SCENARIOS

TINY = str(SCENARIOS / "tiny-moon.yaml")


def jointtrack(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scheduler", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def plan_into(out: Path, *extra: str) -> subprocess.CompletedProcess:
    return jointtrack("plan", TINY, "--solver", "greedy", "--quiet", "--out", str(out), *extra)


def home_like(directory: Path) -> dict[str, str]:
    """A directory that is someone's home: a repository, a key, a dotfile and a document."""
    (directory / ".git" / "objects").mkdir(parents=True)
    (directory / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (directory / ".ssh").mkdir()
    (directory / ".ssh" / "id_rsa").write_text("PRIVATE KEY")
    (directory / ".bashrc").write_text("alias ll='ls -l'")
    (directory / "schedule.csv").write_text("my own spreadsheet")
    return snapshot(directory)


def snapshot(directory: Path) -> dict[str, str]:
    return {str(p.relative_to(directory)): p.read_text() for p in sorted(directory.rglob("*")) if p.is_file()}


@pytest.mark.slow
def test_plan_refuses_a_directory_it_did_not_write_and_touches_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    before = home_like(home)
    result = plan_into(home)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "already holds files that jointtrack did not write" in result.stderr
    assert "--force" in result.stderr
    assert snapshot(home) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["home"]  # no staging, no lock left


@pytest.mark.slow
@pytest.mark.parametrize("command", ["repair", "propose", "feedback", "sweep"])
def test_every_writing_command_refuses_a_directory_it_did_not_write(tmp_path: Path, command: str) -> None:
    """The same rule for every command that writes a directory, checked before any work."""
    assert plan_into(tmp_path / "first").returncode == 0
    schedule = str(tmp_path / "first" / "schedule.csv")
    (tmp_path / "event.yaml").write_text("withdrawn: []\n")
    (tmp_path / "outcomes.csv").write_text("track_id,state,actual_start,actual_end,cause\n")
    arguments = {
        "repair": [schedule, "--event", str(tmp_path / "event.yaml")],
        "propose": [schedule],
        "feedback": [schedule, "--outcomes", str(tmp_path / "outcomes.csv")],
        "sweep": ["--vary", "outages", "--runs", "1"],
    }[command]
    home = tmp_path / "home"
    home.mkdir()
    before = home_like(home)
    result = jointtrack(command, TINY, *arguments, "--quiet", "--out", str(home))
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "did not write" in result.stderr and "--force" in result.stderr
    assert snapshot(home) == before


@pytest.mark.slow
def test_plan_with_force_keeps_every_hidden_and_foreign_entry(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    before = home_like(home)
    result = plan_into(home, "--force")
    assert result.returncode == 0, result.stderr
    after = snapshot(home)
    for name, text in before.items():
        if name != "schedule.csv":  # --force: ours replaces a file of the same name, nothing else
            assert after[name] == text
    assert after["schedule.csv"].startswith("track_id,")
    assert MARKER in after and "summary.json" in after


@pytest.mark.slow
def test_replanning_a_previous_output_replaces_ours_and_keeps_what_the_user_added(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    assert plan_into(out).returncode == 0
    (out / ".notes").write_text("mine")
    (out / "analysis").mkdir()
    (out / "analysis" / "chart.png").write_bytes(b"png")
    (out / "summary.json").write_text("edited")  # ours: replaced by the new run
    result = plan_into(out)
    assert result.returncode == 0, result.stderr
    assert (out / ".notes").read_text() == "mine"
    assert (out / "analysis" / "chart.png").read_bytes() == b"png"
    assert (out / "summary.json").read_text().startswith("{")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan"]


def test_a_previous_output_alone_is_replaced_whole_and_stale_files_of_ours_go(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    write_all(out, {"a.csv": "1", "old.csv": "1"})
    write_all(out, {"a.csv": "2"})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.csv"]
    (out / "mine.txt").write_text("x")
    write_all(out, {"c.csv": "3"})  # around the user's file: our a.csv is stale, theirs stays
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "c.csv", "mine.txt"]


def test_an_empty_existing_directory_is_written_and_keeps_its_mode(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    out.mkdir()
    os.chmod(out, 0o750)
    write_all(out, {"a.csv": "x"})
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o750
    write_all(out, {"a.csv": "y"})  # a previous output, swapped whole: the mode stays
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o750


@pytest.mark.parametrize("mask", [0o022, 0o077, 0o002])
def test_a_new_directory_gets_the_mode_the_umask_says(tmp_path: Path, mask: int) -> None:
    old = os.umask(mask)
    try:
        write_all(tmp_path / "plan", {"a.csv": "x"})
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(tmp_path / "plan").st_mode) == 0o777 & ~mask


@pytest.mark.slow
def test_out_through_a_symlink_writes_the_real_directory_and_keeps_the_link(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir()
    link = tmp_path / "link"
    link.symlink_to(real)
    assert plan_into(link).returncode == 0
    assert plan_into(link).returncode == 0  # a second run: the previous output, through the link
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (real / "schedule.csv").is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link", "real"]


@pytest.mark.slow
def test_out_through_a_symlink_loop_is_one_short_line(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    result = plan_into(tmp_path / "a" / "deeper")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and len(result.stderr) < 400
    assert "loop of symbolic links" in result.stderr


def test_writing_a_plan_onto_a_file_is_refused_and_the_file_kept(tmp_path: Path, tiny_plan) -> None:
    target = tmp_path / "notes.txt"
    target.write_text("keep me")
    with pytest.raises(InputError, match="exists and is not a directory"):
        tiny_plan.write(target)
    assert target.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_api_write_refuses_a_foreign_directory_unless_forced(tmp_path: Path, tiny_plan) -> None:
    (tmp_path / ".bashrc").write_text("x")
    with pytest.raises(InputError, match="did not write"):
        tiny_plan.write(tmp_path)
    tiny_plan.write(tmp_path, force=True)
    assert (tmp_path / ".bashrc").read_text() == "x" and (tmp_path / "schedule.csv").is_file()


def test_export_through_a_symlink_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "target.csv"
    target.write_text("old")
    os.chmod(target, 0o600)
    link = tmp_path / "out.csv"
    link.symlink_to(target)
    write_file(link, "new")
    assert link.is_symlink() and target.read_text() == "new"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600  # the replaced file keeps its mode
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv", "target.csv"]


def test_export_to_dev_null_leaves_the_device_a_device() -> None:
    write_file(Path("/dev/null"), "anything")
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_export_to_a_fifo_writes_through_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[str] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    write_file(fifo, "through the pipe")
    reader.join(timeout=10)
    assert received == ["through the pipe"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_export_to_a_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        write_file(tmp_path, "x")


@pytest.mark.slow
@pytest.mark.parametrize("out", ["/dev/stdout", "-"])
def test_visibility_to_stdout_by_name_prints_the_csv(out: str) -> None:
    result = jointtrack("visibility", TINY, "--out", out, "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("station,target,start,end")


@pytest.mark.slow
def test_export_to_dev_null_from_the_command_line(tmp_path: Path) -> None:
    out = tmp_path / "plan"
    assert plan_into(out).returncode == 0
    result = jointtrack("export", str(out / "schedule.csv"), "--format", "json", "--out", "/dev/null")
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)
