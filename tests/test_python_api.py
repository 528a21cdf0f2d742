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


def test_a_scenario_changed_after_loading_is_checked_again_on_entry() -> None:
    """`model_copy` skips validation: a priority of 99 must not be planned unchecked (issue 28 §5)."""
    import dataclasses

    loaded = scheduler.load_scenario("default")
    bad_request = loaded.spec.requests[0].model_copy(update={"priority": 99})
    changed = dataclasses.replace(
        loaded, spec=loaded.spec.model_copy(update={"requests": (bad_request, *loaded.spec.requests[1:])})
    )
    for call in (lambda: scheduler.plan(changed, time_limit_s=1), lambda: scheduler.view_periods(changed)):
        with pytest.raises(InputError, match=r"requests\[0\] \(LRO-daily\)\.priority: .*less than or equal to 10"):
            call()


def test_a_valid_change_after_loading_is_planned_as_changed() -> None:
    import dataclasses

    loaded = scheduler.load_scenario(Path(__file__).parent / "scenarios" / "pole-one-antenna.yaml")
    fewer = dataclasses.replace(loaded, spec=loaded.spec.model_copy(update={"requests": loaded.spec.requests[:1]}))
    result = scheduler.plan(fewer, time_limit_s=2, solver="greedy")
    assert set(result.schedule.request_id) == {"A"} and result.summary["requests"] == 1
    assert scheduler.load_scenario(loaded) is loaded  # what load_scenario made is not checked twice
