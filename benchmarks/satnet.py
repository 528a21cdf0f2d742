"""SatNet benchmark: plan each real DSN week and compare with the published results.

    python benchmarks/satnet.py [--data DIR] [--time-limit S [S ...]] [--workers N] [--weeks W10 W20]

DIR holds W??_2018.json and W??_2018_maintenance.csv (default: $JOINTTRACK_SATNET_DATA, else
shared/data/satnet in a folder above the repository). Every solution is checked by the independent
verifier; per week and time limit the table shows T_S / T_R, U_RMS, U_MAX, satisfied requests,
the proven upper bound on T_S, its method and gap, the time used and what ended each phase (the
work budget, or the clock and what it cut), what seeded the search, and the relaxation's
iterations, beside the published rows (README of the data folder). The machine's load average is
printed at the start and after each run: figures measured under load are indicative only.
"""

import argparse
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scheduler.satnet.plan import plan_week, summary_facts  # noqa: E402
from scheduler.satnet.verify import verify  # noqa: E402
from scheduler.satnet.week import read_week  # noqa: E402
from scheduler.solvers import SolverSettings  # noqa: E402

# week: (method, T_S, T_R, U_RMS, U_MAX, satisfied, run time) — SatNet data README
PUBLISHED = {
    "W10": [("Δ-MILP", 822, 1192, 0.26, 0.48, 203, "18 h"), ("RL/PPO", 886, 1192, 0.28, 0.71, 204, "4 h train")],
    "W20": [("Δ-MILP", 1059, 1406, 0.21, 0.64, 249, "10.5 h"), ("RL/PPO", 1000, 1406, 0.27, 0.81, 223, "18 h train")],
    "W30": [("Δ-MILP", 983, 1464, 0.29, 0.64, 231, "13.5 h"), ("RL/PPO", 1100, 1464, 0.28, 0.85, 229, "13 h train")],
}
HEADER = (
    f"{'week':<5} {'limit':>5} {'method':<11} {'T_S / T_R':>13} {'U_RMS':>6} {'U_MAX':>6} {'sat.':>5} {'bound':>7}"
    f" {'gap':>6} {'time':>8}  stopped by / seed / relaxation iterations / bound method"
)


def goals_met(facts: dict, rows: list[tuple], time_limit_s: float) -> list[str]:
    """Which of the goals this week misses (empty: all met)."""
    missed = []
    factor = 1.15 if time_limit_s >= 300 else 1.10
    if facts["T_S"] < factor * max(r[1] for r in rows):
        missed.append(f"T_S < {factor:.2f} x best published")
    if time_limit_s >= 300 and facts["U_RMS"] >= min(r[3] for r in rows):
        missed.append("U_RMS not below both")
    if facts["U_MAX"] >= min(r[4] for r in rows):
        missed.append("U_MAX not below both")
    if facts["satisfied"] <= max(r[5] for r in rows):
        missed.append("satisfied not above both")
    return missed


def default_data() -> Path:
    """$JOINTTRACK_SATNET_DATA, else the first shared/data/satnet found above the repository, else
    the copy of the three weeks shipped with the tests."""
    if "JOINTTRACK_SATNET_DATA" in os.environ:
        return Path(os.environ["JOINTTRACK_SATNET_DATA"])
    candidates = [parent / "shared" / "data" / "satnet" for parent in REPO.parents]
    return next((c for c in candidates if c.is_dir()), REPO / "tests" / "data" / "satnet")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=default_data())
    parser.add_argument("--time-limit", type=float, nargs="+", default=[300.0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weeks", nargs="*", default=None)
    args = parser.parse_args()
    weeks = sorted(p.name.removesuffix("_2018.json") for p in args.data.glob("W??_2018.json"))
    weeks = [w for w in weeks if args.weeks is None or w in args.weeks]
    if not weeks:
        print(f"no W??_2018.json in {args.data}", file=sys.stderr)
        return 2
    print(f"load average at start: {load()}")
    print(HEADER)
    failed = False
    for name in weeks:
        maintenance = args.data / f"{name}_2018_maintenance.csv"
        week = read_week(args.data / f"{name}_2018.json", maintenance if maintenance.is_file() else None)
        greedy = plan_week(
            week,
            SolverSettings(time_limit_s=min(args.time_limit), workers=args.workers, seed=args.seed, solver="greedy"),
        )
        print(row(name, "-", "greedy", greedy, searched=False))
        for limit in args.time_limit:
            plan = plan_week(week, SolverSettings(time_limit_s=limit, workers=args.workers, seed=args.seed))
            print(row(name, f"{limit:.0f}", "jointtrack", plan, searched=True) + f"  [load {load()}]")
            violations = verify(week, plan.entries) + verify(week, greedy.entries)
            missed = goals_met(summary_facts(plan), PUBLISHED.get(name, []), limit) if name in PUBLISHED else []
            print(f"{'':<5} {'':>5} violations: {len(violations)}; goals missed: {', '.join(missed) or 'none'}")
            failed |= bool(violations)
        for method, ts, tr, rms, umax, sat, run in PUBLISHED.get(name, []):
            print(f"{'':<5} {'':>5} {method:<11} {ts:>6} / {tr:<5} {rms:>6.2f} {umax:>6.2f} {sat:>5} {'':>7} {'':>6}"
                  f" {run:>8}")  # fmt: skip
    return 1 if failed else 0


def row(name: str, limit: str, label: str, result, searched: bool) -> str:
    """One line of the table."""
    facts = summary_facts(result)
    line = (
        f"{name:<5} {limit:>5} {label:<11} {facts['T_S']:>6.0f} / {facts['T_R']:<5.0f} {facts['U_RMS']:>6.2f}"
        f" {facts['U_MAX']:>6.2f} {facts['satisfied']:>5}"
    )
    if not searched:
        return line + f" {'-':>7} {'-':>6} {facts['solve_s']:>6.0f} s"
    solution = result.solution
    relaxed = solution.relaxation if solution is not None else None
    cut = facts["cut_by_clock"]
    stopped = facts["stopped_by"] + (f" (clock cut: {', '.join(cut)})" if cut else "")
    iterations = f"{relaxed.iterations} it, {relaxed.seconds:.0f} s" if relaxed is not None else "no relaxation"
    return line + (
        f" {facts['upper_bound']:>7.0f} {facts['gap']:>6.1%} {facts['solve_s']:>6.0f} s  {stopped} / "
        f"{facts['seeded_by']} / {iterations} / {result.bound_method}"
    )


def load() -> str:
    return " ".join(f"{value:.1f}" for value in os.getloadavg())


if __name__ == "__main__":
    sys.exit(main())
