"""Fuzzing the command line (tests/support/fuzz_cli.py): hostile option values and paths, and
mutated schedule CSVs given to validate, export and repair, end in exit 0 (1 for violations) or
one line and exit 2, never exit 70 or a traceback. `python benchmarks/fuzz.py --classes cli,schedule`
runs the same properties longer; what its runs found is pinned in tests beside each fix."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.fuzz_cli import acceptable, cli_arguments, invoke, prepare, schedule_commands, schedule_mutants

EXAMPLES = 40  # per property: about 7 s each; benchmarks/fuzz.py runs thousands


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    made = tmp_path_factory.mktemp("fuzz-cli")
    prepare(made)
    return made


@pytest.mark.slow
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_hostile_command_lines_end_in_one_line(data: st.DataObject, folder: Path) -> None:
    arguments = data.draw(cli_arguments(folder))
    code, _, stderr = invoke(arguments, folder)
    assert acceptable(arguments, code, stderr), f"{arguments!r}: exit {code}: {stderr}"


@pytest.mark.slow
@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_mutated_schedules_are_checked_or_refused_in_one_line(data: st.DataObject, folder: Path) -> None:
    text = data.draw(schedule_mutants((folder / "schedule.csv").read_text(encoding="utf-8")))
    (folder / "mutant.csv").write_bytes(text.encode("utf-8", "surrogateescape"))
    arguments = data.draw(schedule_commands(folder))
    code, _, stderr = invoke(arguments, folder)
    assert acceptable(arguments, code, stderr), f"{arguments!r}: exit {code}: {stderr}\n--- mutant ---\n{text}"
