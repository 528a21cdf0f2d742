"""Long fuzzing runs of the command line on mutated bundled scenarios (tests/inputs/test_fuzz.py's property).

    python benchmarks/fuzz.py --examples 5000 [--seed N]

Prints each failing example (the scenario, the exit code, stderr and the mutant's text) and goes
on, then a count of outcomes; exit 1 if any example failed.
"""

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, given, seed, settings

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.fuzz_support import acceptable, attached_files, memoised_view_periods, mutated_scenario, plan_mutant


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    outcomes: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    began = time.perf_counter()
    with tempfile.TemporaryDirectory() as directory, memoised_view_periods():
        folder = Path(directory)
        attached_files(folder)

        @seed(arguments.seed)
        @settings(
            max_examples=arguments.examples, deadline=None, database=None, suppress_health_check=list(HealthCheck)
        )
        @given(mutant=mutated_scenario())
        def property_holds(mutant: tuple[str, str]) -> None:
            name, text = mutant
            code, stderr = plan_mutant(text, folder)
            outcomes[f"exit {code}"] += 1
            runs = sum(outcomes.values())
            if runs % 250 == 0:
                print(f"{runs} runs, {time.perf_counter() - began:.0f} s: {dict(outcomes)}", flush=True)
            if not acceptable(code, stderr):
                failures.append(f"{name}: exit {code}: {stderr.strip()}")
                print(f"FAIL {failures[-1]}\n--- mutant ---\n{text}\n", flush=True)

        property_holds()
    wall = time.perf_counter() - began
    print(f"{sum(outcomes.values())} runs in {wall:.0f} s: {dict(outcomes)}; {len(failures)} failing")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
