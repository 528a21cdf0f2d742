"""Solver benchmark: greedy and the CP-SAT search side by side on one DSN week, in the same run.

    python benchmarks/solver.py [--seed N] [--weeks W] [--scenario FILE] [--time-limit 60] [--workers 2]

Generates a week (`scheduler.synthetic.week`: 14 antennas, 3 complexes, 34 missions, ~1.3x
oversubscribed) or reads a scenario file (`--scenario scenarios/dsn-week.yaml`), solves it with
the greedy baseline and with the search, checks both schedules against the problem's own
constraints (`scheduler.check.allocation`), and prints per solver: solve time (and whether the
work budget or the clock ended it), priority-weighted time on target, satisfied requests, U_max
and U_rms (largest and root-mean-square unsatisfied fraction of requested time over missions),
starved missions (some view time, nothing scheduled), objective, bound, gap and the bound's
method; then the search's weighted time over greedy's. The load average is printed with it.

Goals on 2 cores at 60 s: no starved mission, U_max and weighted time both better than greedy's.
"""

import argparse
import math
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scheduler.api import load_scenario, view_periods  # noqa: E402
from scheduler.check.allocation import check_allocation  # noqa: E402
from scheduler.outputs.report import metrics  # noqa: E402
from scheduler.problem.build import build_problem  # noqa: E402
from scheduler.problem.scoring import counted_seconds  # noqa: E402
from scheduler.problem.types import Problem  # noqa: E402
from scheduler.solvers import Solution, SolverSettings, solve  # noqa: E402
from scheduler.synthetic.week import generate_week, oversubscription_ratio  # noqa: E402


def _bound_and_gap(solver: str, solution: Solution) -> list[str]:
    """A greedy schedule proves no bound; CP-SAT's is unknown when it found no solution of its own
    (the greedy one kept, with the bound set to its objective: that gap of 0 proves nothing)."""
    if solver == "greedy" or not math.isfinite(solution.bound):
        return ["-", "-"]
    if "greedy kept" in solution.solver and solution.bound <= solution.objective:
        return ["unknown", "unknown"]
    return [f"{solution.bound:.0f}", f"{solution.gap:.2%}"]


def scenario_problem(path: Path) -> Problem:
    """The allocation problem of a scenario file (its view periods computed)."""
    scenario = load_scenario(path)
    return build_problem(scenario, view_periods(scenario))


def starved_missions(problem: Problem, tracks: tuple) -> list[str]:
    """Missions with some opportunity and no time on target."""
    counted = counted_seconds(problem, tracks)
    reachable, got = set(), defaultdict(int)
    for demand in problem.demands:
        got[demand.mission] += counted[demand.id]
        if demand.opportunities:
            reachable.add(demand.mission)
    return sorted(m for m in reachable if got[m] == 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weeks", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--scenario", type=Path, default=None)
    args = parser.parse_args()

    problem = scenario_problem(args.scenario) if args.scenario else generate_week(args.seed, args.weeks)
    load = os.getloadavg()
    print(
        f"problem {problem.name}: {len(problem.antennas)} antennas, {len(problem.demands)} demands, "
        f"{len({d.request_id for d in problem.demands})} requests, {sum(d.tracks for d in problem.demands)} tracks, "
        f"{sum(len(d.opportunities) for d in problem.demands)} opportunities, "
        f"oversubscription {oversubscription_ratio(problem):.3f}x in antenna-hours"
    )
    print(f"load average before solving: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on {os.cpu_count()} cores")

    header = ["solver", "solve_s", "weighted_h", "satisfied", "U_max", "U_rms", "starved", "objective", "bound", "gap"]
    header += ["bound method", "errors"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    weighted = {}
    for solver in ("greedy", "cpsat"):
        settings = SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=args.seed, solver=solver)
        began = time.perf_counter()
        solution = solve(problem, settings)
        wall = time.perf_counter() - began
        figures = metrics(problem, solution.tracks)
        errors = check_allocation(problem, solution.tracks)
        weighted[solver] = figures["weighted_time_s"]
        cells = [
            f"{solution.solver} ({solution.status})",
            f"{wall:.1f}" + (f" ({solution.stopped_by})" if solver != "greedy" else ""),
            f"{figures['weighted_time_s'] / 3600:.1f}",
            f"{figures['satisfied']}/{figures['requests']}",
            f"{figures['u_max']:.3f}",
            f"{figures['u_rms']:.3f}",
            str(len(starved_missions(problem, solution.tracks))),
            f"{solution.objective:.0f}",
            *_bound_and_gap(solver, solution),
            solution.bound_method if solver != "greedy" else "-",
            str(len(errors)),
        ]
        print("| " + " | ".join(cells) + " |")
        for error in errors[:5]:
            print(f"    {error}")
    if len(weighted) == 2 and weighted["greedy"] > 0:
        print(f"search / greedy weighted time: {weighted['cpsat'] / weighted['greedy']:.3f}")
    load = os.getloadavg()
    print(f"load average after solving: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()
