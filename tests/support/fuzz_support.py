"""Mutated bundled scenarios for fuzzing the command line (tests/inputs/test_fuzz.py, benchmarks/fuzz.py).

Each example takes one bundled scenario, applies one to three mutations (drop a key, swap a
value's type, perturb a number or a time, truncate the text) and plans it in process with the
greedy solver. The property: exit 0, or exit 2 with one line on stderr; never a traceback, never
exit 70. View periods are memoised on what they depend on, so mutated requests cost no sky work;
the suite's quick run also leaves out the renderings (`light_outputs`), the long run does not.
"""

import contextlib
import copy
import io
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

import yaml
from hypothesis import strategies as st

import scheduler.workflows.plan as plan_workflow
from scheduler.cli.app import app, run
from scheduler.inputs.yaml_file import read_yaml
from scheduler.sky.visibility import compute_view_periods

SCENARIOS = Path(__file__).resolve().parent.parent.parent / "scenarios"
NAMES = sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
ODD_VALUES = [None, True, 0, -1, 7, 1e308, -0.0, float("nan"), float("inf"), "", "x", "1h", [], {}, [1, "a"], {"k": 1}]


@cache
def bundled(name: str) -> dict:
    return read_yaml((SCENARIOS / f"{name}.yaml").read_text(encoding="utf-8"))


def paths(data: object, prefix: tuple = ()) -> Iterator[tuple]:
    """Every key or index path into a parsed document."""
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield (*prefix, key)
        yield from paths(value, (*prefix, key))


def _parent(data: object, path: tuple) -> object:
    for key in path[:-1]:
        data = data[key]
    return data


def _perturb_time(text: str, hours: int) -> str:
    moved = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC) + timedelta(hours=hours)
    return moved.strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def mutated_scenario(draw: st.DrawFn) -> tuple[str, str]:
    """(bundled name, mutated YAML text)."""
    name = draw(st.sampled_from(NAMES))
    data = read_yaml(yaml.safe_dump(bundled(name)))  # a deep copy
    for _ in range(draw(st.integers(1, 3))):
        every = list(paths(data))
        if not every:
            break
        path = draw(st.sampled_from(every))
        parent, key = _parent(data, path), path[-1]
        value = parent[key]
        kind = draw(st.sampled_from(["drop", "swap", "perturb"]))
        if kind == "drop":
            del parent[key]
        elif kind == "swap":
            parent[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))  # never mutate the shared ones
        elif isinstance(value, bool):
            parent[key] = not value
        elif isinstance(value, int | float):
            parent[key] = draw(st.sampled_from([value + 1, value - 1, value * 10, -value, value / 3, 0, 10**9]))
        elif isinstance(value, str) and TIME.match(value):
            hours = draw(st.integers(-96, 96))
            parent[key] = draw(st.sampled_from([_perturb_time(value, hours), value[:10], value.replace("T", " ")]))
        elif isinstance(value, str):
            parent[key] = draw(st.sampled_from([value + "x", value[:-1], value.upper(), value * 2, "-" + value]))
        else:
            parent[key] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    if draw(st.integers(0, 9)) == 0:  # one in ten: a truncated file
        text = text[: draw(st.integers(0, len(text)))]
    return name, text


def attached_files(folder: Path) -> None:
    """The trajectory and view-period files the bundled scenarios name, beside the mutants."""
    for extra in [*SCENARIOS.glob("*.oem"), *SCENARIOS.glob("*.csv"), *SCENARIOS.glob("*.xml")]:
        shutil.copy(extra, folder / extra.name)


@contextlib.contextmanager
def memoised_view_periods() -> Iterator[None]:
    """View periods computed once per distinct stations, targets and horizon."""
    original = plan_workflow.compute_view_periods
    known: dict[str, object] = {}

    def cached(scenario):
        fields = {"requests", "locked", "objective", "name", "description", "resolution"}
        key = repr((scenario.spec.model_dump(exclude=fields), scenario.stations))
        if key not in known:
            known[key] = compute_view_periods(scenario)
        return known[key].copy()

    plan_workflow.compute_view_periods = cached
    try:
        yield
    finally:
        plan_workflow.compute_view_periods = original


@contextlib.contextmanager
def light_outputs() -> Iterator[None]:
    """Plans write their tables (schedule, unsatisfied requests, summary) but not the renderings
    (Gantt chart, iCalendar, XML), which cost most of a small plan: for the quick suite run."""
    from scheduler.outputs.plan_outputs import PlanResult

    original = PlanResult.files

    def tables(self: PlanResult) -> dict[str, str]:
        return {
            "schedule.csv": self.schedule.to_csv(index=False),
            "unsatisfied.csv": self.unsatisfied.to_csv(index=False),
            "summary.json": repr(self.summary),
        }

    PlanResult.files = tables  # type: ignore[method-assign]
    try:
        yield
    finally:
        PlanResult.files = original  # type: ignore[method-assign]


def plan_mutant(text: str, folder: Path) -> tuple[int, str]:
    """Plan the mutated text in process (greedy, quiet): the exit code and what went to stderr."""
    scenario = folder / "mutant.yaml"
    scenario.write_text(text, encoding="utf-8")
    errors = io.StringIO()
    arguments = ["plan", str(scenario), "--solver", "greedy", "--out", str(folder / "out"), "--quiet"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(errors):
        code = run(lambda: app(arguments))  # the consoles write to whatever sys.stderr is
    return code, errors.getvalue()


def acceptable(code: int, stderr: str) -> bool:
    """Exit 0, or exit 2 with exactly one line; never a traceback or an internal error."""
    if "Traceback" in stderr:
        return False
    return code == 0 or (code == 2 and len(stderr.strip().splitlines()) == 1)
