"""Long-horizon benchmark: 1 to 4 weeks planned in rolling one-week windows.

    python benchmarks/long_horizon.py [--weeks 1 2 3 4] [--source generator|default]
                                      [--time-per-week S] [--workers N] [--window off]

Each horizon runs in a fresh subprocess, which reports its own wall time and peak resident
memory (getrusage ru_maxrss: interpreter, libraries and CP-SAT included). Sources:
`generator` — the DSN-scale synthetic weeks of `scheduler.synthetic.week.generate_week`;
`default` — the bundled default scenario (six DSN antennas, real sky) stretched to N weeks,
view periods included in the wall time. Horizons over 8 days are solved in rolling 7-day
windows overlapping by a day (`--window off`: one model, for comparison); the solver gets
`--time-per-week` seconds per week of horizon. Goal: 4 weeks within 5 minutes and 2 GiB on 2
cores.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scheduler.problem.types import Problem, priority_weight  # noqa: E402


def default_problem(weeks: int) -> Problem:
    """The default scenario over `weeks` weeks, with its view periods computed."""
    from datetime import timedelta

    from scenarios import bundled_path
    from scheduler.inputs import load_scenario_text
    from scheduler.problem.build import build_problem
    from scheduler.sky.visibility import compute_view_periods
    from scheduler.timeutil import format_time

    text = bundled_path("default").read_text()
    end = format_time(load_scenario_text(text).start + timedelta(weeks=weeks))
    scenario = load_scenario_text(text.replace("end: 2026-12-14T00:00:00Z", f"end: {end}"), "default")
    return build_problem(scenario, compute_view_periods(scenario))


def child(weeks: int, source: str, time_per_week: float, workers: int, window: str) -> None:
    """Build and solve one horizon; print one JSON line of measurements."""
    from scheduler.outputs.report import summary
    from scheduler.solvers import SolverSettings, solve

    began = time.perf_counter()
    if source == "generator":
        from scheduler.synthetic.week import generate_week

        problem = generate_week(0, weeks=weeks)
    else:
        problem = default_problem(weeks)
    built = time.perf_counter() - began
    window_s = 0 if window == "off" else None
    settings = SolverSettings(time_limit_s=time_per_week * weeks, workers=workers, seed=0, window_s=window_s)
    solution = solve(problem, settings)
    wall = time.perf_counter() - began
    facts = summary(problem, solution, wall)
    weights = {d.id: priority_weight(d.priority) for d in problem.demands}
    weighted_h = sum(weights[t.demand_id] * t.duration for t in solution.tracks) / 3600
    print(
        json.dumps(
            {
                "weeks": weeks,
                "demands": len(problem.demands),
                "opportunities": sum(len(d.opportunities) for d in problem.demands),
                "tracks": len(solution.tracks),
                "build_s": round(built, 1),
                "solve_s": round(wall - built, 1),
                "wall_s": round(wall, 1),
                "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
                "weighted_h": round(weighted_h, 1),
                "scheduled_h": facts["scheduled_hours"],
                "requested_h": facts["requested_hours"],
                "satisfied": facts["satisfied_fraction"],
                "U_max": facts["U_max"],
                "solver": solution.solver,
                "status": solution.status,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, nargs="+", default=[1, 2, 3, 4])
    parser.add_argument("--source", choices=("generator", "default"), default="generator")
    parser.add_argument("--time-per-week", type=float, default=60.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--window", choices=("auto", "off"), default="auto")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.source, args.time_per_week, args.workers, args.window)
        return
    columns = ("weeks", "demands", "tracks", "build_s", "solve_s", "wall_s", "peak_mib", "weighted_h", "satisfied")
    print(" ".join(f"{c:>10}" for c in (*columns, "U_max", "status", "solver")))
    for weeks in args.weeks:
        command = [sys.executable, __file__, "--child", str(weeks), "--source", args.source]
        command += ["--time-per-week", str(args.time_per_week), "--workers", str(args.workers), "--window", args.window]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        row = json.loads(done.stdout.strip().splitlines()[-1])
        print(" ".join(f"{row[c]:>10}" for c in (*columns, "U_max", "status", "solver")), flush=True)


if __name__ == "__main__":
    main()
