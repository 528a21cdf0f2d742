"""What a person sees in the terminal: progress on long steps (never in pipes), summary tables."""

import io
import os
import pty
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from scheduler.cli.console import print_plan_summary, step_progress
from scheduler.outputs.ledger import LEDGER_COLUMNS
from scheduler.outputs.plan_outputs import PlanResult, cross_support
from tests.conftest import SCENARIOS

POLE = str(SCENARIOS / "pole-one-antenna.yaml")


def run_with_terminal_stderr(*args: str) -> tuple[int, str, str]:
    """Run jointtrack with stdout to a pipe and stderr to a pseudo-terminal, as in a shell
    pipeline `jointtrack … | other`; return the exit code, stdout and what the terminal got."""
    controller, terminal = pty.openpty()
    seen: list[bytes] = []

    def drain() -> None:
        while True:
            try:
                chunk = os.read(controller, 65536)
            except OSError:  # the terminal side is closed
                return
            if not chunk:
                return
            seen.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "100"}
    with subprocess.Popen(
        [sys.executable, "-m", "scheduler", *args], stdout=subprocess.PIPE, stderr=terminal, env=env
    ) as process:
        os.close(terminal)
        stdout, _ = process.communicate(timeout=600)
    reader.join(timeout=10)
    os.close(controller)
    return process.returncode, stdout.decode(), b"".join(seen).decode(errors="replace")


def test_progress_is_silent_off_a_terminal_and_when_quiet() -> None:
    piped, terminal = Console(file=io.StringIO()), Console(file=io.StringIO(), force_terminal=True)
    for console, quiet in [(piped, False), (terminal, True)]:
        with step_progress(console, quiet) as report:
            report("computing view periods")
            report("solving 3 demands")
        assert console.file.getvalue() == ""


def test_progress_on_a_terminal_shows_each_step_and_ticks_it_off() -> None:
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    with step_progress(console) as report:
        report("computing view periods")
        report("solving 3 demands")
    text = console.file.getvalue()
    assert "computing view periods" in text and "solving 3 demands" in text
    assert text.count("✓") >= 2  # both steps end ticked off


def test_visibility_shows_progress_on_the_terminal_and_keeps_stdout_pure_csv() -> None:
    code, stdout, terminal = run_with_terminal_stderr("visibility", POLE)
    assert code == 0
    assert stdout.splitlines()[0] == "station,target,start,end,max_elevation_deg"
    assert len(stdout.splitlines()) == 2 and "\x1b" not in stdout
    assert "computing view periods" in terminal and "✓" in terminal


@pytest.mark.slow
def test_quiet_plan_prints_nothing_even_on_a_terminal(tmp_path: Path) -> None:
    code, stdout, terminal = run_with_terminal_stderr("plan", POLE, "--out", str(tmp_path), "--quiet")
    assert code == 0
    assert stdout == "" and terminal == ""
    assert (tmp_path / "schedule.xml").is_file()


@pytest.mark.slow
def test_plan_summary_shows_facts_missions_and_the_cross_support_matrix(tiny_plan: PlanResult) -> None:
    console = Console(file=io.StringIO(), width=120)
    print_plan_summary(console, tiny_plan.summary, cross_support(tiny_plan), Path("plan-tiny-moon"))
    text = console.file.getvalue()
    assert "OPTIMAL" in text and "plan-tiny-moon" in text
    assert all(mission in text for mission in ("LRO", "MRO", "TGO"))
    matrix = next(line for line in text.splitlines() if line.startswith("│ NASA"))
    assert [cell.strip() for cell in matrix.strip("│").split("│")] == ["NASA", "8.0", "32.0", "8.0"]


def test_plan_summary_without_tracks_prints_no_ledger() -> None:
    facts = {
        "scenario": "empty",
        "status": "OPTIMAL",
        "gap": 0.0,
        "tracks": 0,
        "satisfied_requests": 0,
        "requests": 0,
        "scheduled_hours": 0.0,
        "requested_hours": 0.0,
        "U_max": 0.0,
        "U_rms": 0.0,
        "wall_s": 0.1,
        "missions": {},
    }
    console = Console(file=io.StringIO(), width=120)
    print_plan_summary(console, facts, pd.DataFrame(columns=LEDGER_COLUMNS), Path("out"))
    assert "Cross support" not in console.file.getvalue()
