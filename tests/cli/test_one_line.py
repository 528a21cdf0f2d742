"""What the terminal shows stays one line per message (issue 28 §4, §6): names are never read as
console markup, usage errors and bad options are one line, warnings are one line, a bug stays
exit 70 even with JOINTTRACK_DEBUG=1."""

import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.cli.app import app, one_line, run
from scheduler.errors import InputError
from tests.conftest import POLE_STATIONS_AND_TARGET, SCENARIOS

MARKUP = (
    "name: markup\nstart: 2026-12-01T00:00:00Z\nend: 2026-12-01T12:00:00Z\n"
    + POLE_STATIONS_AND_TARGET.lstrip("\n")
    + "requests:\n  - {id: A, mission: M, agency: 'A[/]B [bold]', target: pole, priority: 1, duration: 2h}\n"
)


def jointtrack(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run(
        [sys.executable, "-m", "scheduler", *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **environment},
    )


@pytest.mark.slow
def test_markup_in_a_name_prints_as_itself_after_a_plan(tmp_path: Path) -> None:
    """`[/]` in an agency was read as console markup: exit 70 after the outputs were written."""
    (tmp_path / "markup.yaml").write_text(MARKUP)
    result = jointtrack("plan", str(tmp_path / "markup.yaml"), "--out", str(tmp_path / "out"), "--solver", "greedy")
    assert result.returncode == 0, result.stderr
    assert "A[/]B [bold]" in result.stdout and result.stderr == ""


def test_an_error_message_with_a_newline_is_printed_on_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    def fail() -> None:
        raise InputError("x.yaml", "field", "got 'a\nb'\r", "fix\tit")

    assert run(fail) == 2
    assert capsys.readouterr().err == "error: x.yaml: field: got 'a\\nb'\\r; fix: fix\\tit\n"


@pytest.mark.parametrize(
    ("arguments", "said"),
    [
        (["plan", "--seed", "abc"], "error: jointtrack plan: Invalid value for '--seed'"),
        (["plan", "--bogus"], "error: jointtrack plan: No such option: --bogus"),
        (["export"], "error: jointtrack export: Missing argument 'schedule_csv'; fix: see `jointtrack export --help`"),
        (
            ["sweep", "default", "--vary", "outages", "--runs", "0"],
            "error: jointtrack sweep: Invalid value for '--runs'",
        ),
        (["satnet", "verify", "week.json"], "error: jointtrack satnet verify: Missing argument 'solution'"),
    ],
)
def test_usage_errors_are_one_line_and_exit_2(arguments: list[str], said: str) -> None:
    result = jointtrack(*arguments)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith(said), result.stderr
    assert result.stdout == ""


def test_help_is_still_help() -> None:
    assert jointtrack("plan", "--help").returncode == 0
    alone = jointtrack()
    assert alone.returncode == 2 and "Usage:" in alone.stdout and alone.stderr == ""


def test_jointtrack_debug_shows_the_traceback_and_keeps_exit_70(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def bug() -> None:
        raise RuntimeError("a bug of ours")

    monkeypatch.setenv("JOINTTRACK_DEBUG", "1")
    assert run(bug) == 70
    err = capsys.readouterr().err
    assert "Traceback" in err and err.strip().splitlines()[-1] == "internal error: RuntimeError: a bug of ours"


@pytest.mark.slow
def test_erfa_warnings_outside_1900_2100_are_one_line_once(tmp_path: Path) -> None:
    """ERFA warned in two lines (with its source line), once per function, outside 1900-2100."""
    old = (SCENARIOS / "pole-one-antenna.yaml").read_text().replace("2026-12-01", "1850-12-01")
    (tmp_path / "old.yaml").write_text(old)
    result = jointtrack("plan", str(tmp_path / "old.yaml"), "--out", str(tmp_path / "out"), "--quiet")
    assert result.returncode == 0
    assert result.stderr.splitlines() == [
        "warning: the horizon lies outside 1900-2100, where ERFA's theories of the Earth's motion lose accuracy "
        "(positions may be off by arcseconds)"
    ]


@pytest.mark.parametrize(
    ("address", "said"),
    [
        ("http://x", "'http://x': a Dask scheduler speaks tcp:// or tls://"),
        ("", "'' is not a scheduler address"),
        ("gopher://h:70", "a Dask scheduler speaks tcp:// or tls://"),
        ("tcp://h:99999", "port 99999 is outside 1..65535"),
    ],
)
def test_sweep_refuses_an_address_it_cannot_use_before_any_work(
    address: str, said: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["sweep", str(SCENARIOS / "pole-one-antenna.yaml"), "--vary", "outages", "--address", address]
    assert run(lambda: app([*arguments, "--out", str(tmp_path / "out")])) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --address: ") and said in lines[0]
    assert not (tmp_path / "out").exists()


def test_sweep_of_missions_needs_a_request_to_copy(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (SCENARIOS / "pole-one-antenna.yaml").read_text().split("\nrequests:")[0] + "\nrequests: []\n"
    (tmp_path / "empty.yaml").write_text(text)
    arguments = ["sweep", str(tmp_path / "empty.yaml"), "--vary", "missions", "--out", str(tmp_path / "out")]
    assert run(lambda: app(arguments)) == 2
    line = capsys.readouterr().err.strip()
    assert line == (
        "error: --vary: missions copies a request of the scenario, which has none; "
        "fix: add requests to the scenario, or vary outages or weather"
    )


def test_one_line_escapes_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    one_line("a\nb\x1b[31mred")
    assert capsys.readouterr().err == "a\\nb\\x1b[31mred\n"
