"""Every malformed scenario in tests/bad_inputs/ fails cleanly: exit 2, one line naming the file,
the field and a fix, no traceback, and an existing output directory left untouched."""

import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.cli.app import app, run

BAD = Path(__file__).parent.parent / "bad_inputs"
EXPECTED = dict(
    line.split("\t", 1)
    for line in (BAD / "EXPECTED.tsv").read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
)


def test_corpus_is_large_and_fully_described() -> None:
    files = {p.name for p in BAD.glob("*.yaml")}
    assert len(files) >= 50
    assert files == set(EXPECTED)


@pytest.fixture
def previous_outputs(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    out.mkdir()
    (out / "schedule.csv").write_text("previous run\n")
    (out / ".jointtrack-output").write_text('{"written_by": "jointtrack", "files": ["schedule.csv"]}')
    return out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input_gives_one_clear_line_and_exit_2(
    name: str, previous_outputs: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(lambda: app(["plan", str(BAD / name), "--out", str(previous_outputs), "--quiet"]))
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert code == 2, captured.err
    assert len(lines) == 1, captured.err
    line = lines[0]
    assert line.startswith("error: ") and name in line
    assert EXPECTED[name].strip() in line
    assert "fix:" in line
    assert "Traceback" not in captured.err + captured.out
    assert sorted(p.name for p in previous_outputs.iterdir()) == [".jointtrack-output", "schedule.csv"]
    assert (previous_outputs / "schedule.csv").read_text() == "previous run\n"


@pytest.mark.slow
@pytest.mark.parametrize("name", ["yaml-syntax-colon.yaml", "unknown-station.yaml", "not-utf8.yaml"])
def test_bad_input_through_the_real_entry_point(name: str, previous_outputs: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "plan", str(BAD / name), "--out", str(previous_outputs)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
    assert (previous_outputs / "schedule.csv").read_text() == "previous run\n"
