"""Every run setting is checked in one place, before any work, with one default each
(scheduler/settings.py): the command line, the Python API and the service meet the same rules."""

import ast
import math
from pathlib import Path

import pytest

import scheduler
from scheduler import settings
from scheduler.errors import InputError
from scheduler.problem.types import Problem
from scheduler.solvers import SolverSettings
from tests.conftest import REPO, SCENARIOS

BAD = [
    ({"solver": "foo"}, "unknown solver 'foo'"),
    ({"window_s": 60}, "60 is not a rolling window"),
    ({"window_s": -3600}, "is not a rolling window"),
    ({"time_limit_s": -1}, "-1 is not a time limit"),
    ({"time_limit_s": 0}, "0 is not a time limit"),
    ({"time_limit_s": math.nan}, "nan is not a time limit"),
    ({"time_limit_s": math.inf}, "inf is not a time limit"),
    ({"workers": 0}, "0 is not a worker count"),
    ({"workers": 2.5}, "2.5 is not a worker count"),
    ({"seed": -1}, "-1 is not a seed"),
    ({"seed": 2**31}, "2147483648 is not a seed"),
]


@pytest.mark.parametrize(("given", "message"), BAD)
def test_solver_settings_refuse_what_is_out_of_range(given: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        SolverSettings(**given)


@pytest.mark.parametrize(("given", "message"), BAD)
def test_the_api_refuses_a_bad_setting_before_computing_anything(
    given: dict, message: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a bad setting must be refused before any work")

    monkeypatch.setattr(scheduler.api, "load_scenario", never)
    with pytest.raises(InputError, match=message):
        scheduler.plan("default", **given)


@pytest.mark.parametrize("penalty", [-1, math.nan, math.inf, "one"])
def test_repair_refuses_a_bad_change_penalty(penalty: object) -> None:
    with pytest.raises(InputError, match="is not a change penalty"):
        scheduler.repair("default", SCENARIOS / "none.csv", "none.yaml", change_penalty=penalty)  # type: ignore[arg-type]


def test_settings_are_built_by_keyword_only() -> None:
    with pytest.raises(TypeError):
        SolverSettings(10, 2, 0)  # type: ignore[misc]


def test_one_default_per_setting_everywhere() -> None:
    assert SolverSettings().time_limit_s == settings.TIME_LIMIT_S
    assert Problem.__dataclass_fields__["change_penalty"].default == settings.CHANGE_PENALTY
    for function in (scheduler.plan, scheduler.repair):
        defaults = function.__kwdefaults__
        assert defaults["time_limit_s"] == settings.TIME_LIMIT_S
        assert defaults["workers"] == settings.WORKERS and defaults["seed"] == settings.SEED
    assert scheduler.repair.__kwdefaults__["change_penalty"] == settings.CHANGE_PENALTY


def test_no_literal_default_for_a_setting_outside_the_settings_module() -> None:
    """A default written as a number next to a setting's name would drift from settings.py."""
    names = {"time_limit", "time_limit_s", "workers", "seed", "change_penalty"}
    found = []
    for path in sorted((REPO / "scheduler").rglob("*.py")):
        if path.name == "settings.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                arguments = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + list(node.args.defaults)
                defaults += list(node.args.kw_defaults)
                for argument, default in zip(arguments, defaults, strict=True):
                    if argument.arg in names and isinstance(default, ast.Constant) and default.value is not None:
                        found.append(f"{path.relative_to(REPO)}:{node.lineno} {argument.arg}={default.value}")
    assert found == []


@pytest.mark.slow
def test_the_command_line_reports_a_bad_setting_in_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    for arguments, message in [
        (["--seed", str(2**31)], "is not a seed"),
        (["--time-limit", "inf"], "is not a time limit"),
        (["--workers", "0"], "is not a worker count"),
        (["--solver", "foo"], "unknown solver"),
        (["--window", "30m"], "is not a rolling window"),
    ]:
        result = subprocess.run(
            [sys.executable, "-m", "scheduler", "plan", "--out", str(tmp_path / "out"), *arguments],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 2, (arguments, result.stderr)
        assert result.stderr.count("\n") == 1 and message in result.stderr
        assert not (tmp_path / "out").exists()


@pytest.mark.slow
def test_a_window_shorter_than_the_longest_track_is_refused_in_one_line(tmp_path: Path) -> None:
    """`--window 3h` with a 4 h track once planned nothing and blamed the time limit (issue 28 §5)."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "plan", str(SCENARIOS / "pole-one-antenna.yaml"), "--window", "3h",
         "--out", str(tmp_path / "out")],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1
    assert "a window of 10800 s cannot hold a whole track of B" in result.stderr
    assert not (tmp_path / "out").exists()
