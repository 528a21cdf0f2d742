"""Long fuzzing runs of the command line: mutated bundled scenarios (tests/inputs/test_fuzz.py's
property), hostile command-line arguments and mutated schedule CSVs (tests/cli/test_fuzz_cli.py's).

    python benchmarks/fuzz.py --examples 5000 [--seed N] [--classes scenario,cli,schedule]

`--examples` runs per class. Prints each failing example (the input, the exit code and stderr)
and goes on, then a count of outcomes per class; exit 1 if any example failed.
"""

import argparse
import collections
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support import fuzz_cli
from tests.support.fuzz_support import acceptable, attached_files, memoised_view_periods, mutated_scenario, plan_mutant

CLASSES = ("scenario", "cli", "schedule")


def scenario_run(folder: Path) -> Callable[[st.DataObject], tuple[str, int, str, str]]:
    """A mutated bundled scenario, planned: (label, exit code, stderr, the input)."""
    attached_files(folder)

    def one(data: st.DataObject) -> tuple[str, int, str, str]:
        name, text = data.draw(mutated_scenario())
        code, stderr = plan_mutant(text, folder)
        return f"plan {name}", code, stderr if not acceptable(code, stderr) else "", text

    return one


def cli_run(folder: Path) -> Callable[[st.DataObject], tuple[str, int, str, str]]:
    """A hostile command line."""
    fuzz_cli.prepare(folder)

    def one(data: st.DataObject) -> tuple[str, int, str, str]:
        arguments = data.draw(fuzz_cli.cli_arguments(folder))
        code, _, stderr = fuzz_cli.invoke(arguments, folder)
        bad = not fuzz_cli.acceptable(arguments, code, stderr)
        return (
            " ".join(arguments[:2] if arguments[0] == "satnet" else arguments[:1]),
            code,
            stderr if bad else "",
            repr(arguments),
        )

    return one


def schedule_run(folder: Path) -> Callable[[st.DataObject], tuple[str, int, str, str]]:
    """A mutated schedule.csv given to validate, export or repair."""
    fuzz_cli.prepare(folder)
    planned = (folder / "schedule.csv").read_text(encoding="utf-8")

    def one(data: st.DataObject) -> tuple[str, int, str, str]:
        text = data.draw(fuzz_cli.schedule_mutants(planned))
        (folder / "mutant.csv").write_bytes(text.encode("utf-8", "surrogateescape"))
        arguments = data.draw(fuzz_cli.schedule_commands(folder))
        code, _, stderr = fuzz_cli.invoke(arguments, folder)
        bad = not fuzz_cli.acceptable(arguments, code, stderr)
        return arguments[0], code, stderr if bad else "", f"{arguments!r}\n{text}"

    return one


RUNS = {"scenario": scenario_run, "cli": cli_run, "schedule": schedule_run}


def run_class(name: str, examples: int, seed_value: int) -> tuple[collections.Counter[str], list[str], float]:
    """`examples` runs of one class: outcome counts ("label: exit N"), failures, seconds."""
    outcomes: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory, memoised_view_periods():
        one = RUNS[name](Path(directory))

        @seed(seed_value)
        @settings(max_examples=examples, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(data=st.data())
        def property_holds(data: st.DataObject) -> None:
            label, code, failed, given_input = one(data)
            outcomes[f"{label}: exit {code}"] += 1
            runs = sum(outcomes.values())
            if runs % 100 == 0:
                print(f"{name}: {runs} runs, {time.perf_counter() - began:.0f} s", flush=True)
            if failed:
                failures.append(f"{label}: exit {code}: {failed.strip()}")
                print(f"FAIL {failures[-1]}\n--- input ---\n{given_input}\n", flush=True)

        property_holds()
    return outcomes, failures, time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="runs per class")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--classes", default=",".join(CLASSES), help="comma-separated: " + ", ".join(CLASSES))
    arguments = parser.parse_args()
    chosen = [c.strip() for c in arguments.classes.split(",") if c.strip()]
    unknown = [c for c in chosen if c not in CLASSES]
    if unknown:
        parser.error(f"unknown class {unknown[0]!r}; use {', '.join(CLASSES)}")
    failing = 0
    for name in chosen:
        outcomes, failures, wall = run_class(name, arguments.examples, arguments.seed)
        failing += len(failures)
        print(f"{name}: {sum(outcomes.values())} runs in {wall:.0f} s, {len(failures)} failing")
        for outcome, count in sorted(outcomes.items()):
            print(f"  {outcome}: {count}")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
