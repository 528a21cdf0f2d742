"""The README's Python API example runs as written, and the API answers like the command line."""

import re
from pathlib import Path

import pandas as pd
import pytest

import scheduler
from scheduler.errors import InputError

README = Path(__file__).resolve().parent.parent / "README.md"


def readme_example() -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(r"<!-- python-api-example -->\s*```python\n(.*?)```", text, re.S)
    assert match, "README has no Python API example"
    return match.group(1)


@pytest.mark.slow
def test_readme_python_api_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    exec(compile(readme_example(), "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert re.search(r"^\d+(\.\d+)? h of 513(\.0)? h requested$", printed, re.M)
    written = sorted(p.name for p in (tmp_path / "plan-default").iterdir())
    assert {"schedule.csv", "schedule.ics", "summary.json", "gantt.html"} <= set(written)


def test_view_periods_and_export_work_from_a_loaded_scenario() -> None:
    loaded = scheduler.load_scenario("international")
    periods = scheduler.view_periods(loaded)
    assert list(periods.columns) == ["station", "target", "start", "end", "max_elevation_deg"]
    assert len(periods) > 0 and (periods.end > periods.start).all()
    assert set(periods.station) <= {s.id for s in loaded.stations}


def test_bad_input_raises_the_command_lines_one_line_error() -> None:
    with pytest.raises(InputError, match="no such scenario file"):
        scheduler.load_scenario("no-such-scenario.yaml")
    with pytest.raises(InputError, match="unknown format"):
        scheduler.export(pd.DataFrame(), "pdf")  # type: ignore[arg-type]
