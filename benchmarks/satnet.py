"""SatNet benchmark: plan each real DSN week and compare with the published results.

    python benchmarks/satnet.py [--data DIR] [--time-limit S] [--workers N] [--weeks W10 W20]

DIR holds W??_2018.json and W??_2018_maintenance.csv (default: $JOINTTRACK_SATNET_DATA, else
shared/data/satnet in a folder above the repository). Every solution is checked by the independent
verifier; the table shows T_S / T_R, U_RMS, U_MAX, satisfied requests, the proven upper bound on
T_S and its gap, and the wall time, beside the published rows (README of the data folder).
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
    f"{'week':<5} {'method':<11} {'T_S / T_R':>13} {'U_RMS':>6} {'U_MAX':>6} {'sat.':>5} {'bound':>7} {'gap':>6}"
    f" {'time':>10}  bound method"
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
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--weeks", nargs="*", default=None)
    args = parser.parse_args()
    weeks = sorted(p.name.removesuffix("_2018.json") for p in args.data.glob("W??_2018.json"))
    weeks = [w for w in weeks if args.weeks is None or w in args.weeks]
    if not weeks:
        print(f"no W??_2018.json in {args.data}", file=sys.stderr)
        return 2
    print(HEADER)
    failed = False
    for name in weeks:
        maintenance = args.data / f"{name}_2018_maintenance.csv"
        week = read_week(args.data / f"{name}_2018.json", maintenance if maintenance.is_file() else None)
        greedy = plan_week(
            week, SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=args.seed, solver="greedy")
        )
        plan = plan_week(week, SolverSettings(time_limit_s=args.time_limit, workers=args.workers, seed=args.seed))
        for label, result in (("greedy", greedy), ("jointtrack", plan)):
            facts = summary_facts(result)
            searched = label != "greedy"
            bound = f"{facts['upper_bound']:>7.0f} {facts['gap']:>6.1%}" if searched else f"{'-':>7} {'-':>6}"
            clock = f" ({result.stopped_by})" if searched else ""
            print(
                f"{name:<5} {label:<11} {facts['T_S']:>6.0f} / {facts['T_R']:<5.0f}"
                f" {facts['U_RMS']:>6.2f} {facts['U_MAX']:>6.2f} {facts['satisfied']:>5}"
                f" {bound} {facts['solve_s']:>8.0f} s{clock}  {result.bound_method if searched else ''}"
            )
        facts = summary_facts(plan)
        violations = verify(week, plan.entries) + verify(week, greedy.entries)
        for method, ts, tr, rms, umax, sat, run in PUBLISHED.get(name, []):
            print(f"{'':<5} {method:<11} {ts:>6} / {tr:<5} {rms:>6.2f} {umax:>6.2f} {sat:>5} {'':>7} {'':>6} {run:>10}")
        missed = goals_met(facts, PUBLISHED.get(name, []), args.time_limit) if name in PUBLISHED else []
        print(f"{'':<5} violations: {len(violations)}; goals missed: {', '.join(missed) or 'none'}")
        failed |= bool(violations)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
