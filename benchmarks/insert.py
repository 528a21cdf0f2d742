"""Urgent insertion benchmark: decision time and displaced time, against CP-SAT's proven least.

    python benchmarks/insert.py [--requests 10] [--seed 1] [--plan cpsat|greedy] [--time-limit 25]
                                [--proof-limit 60] [--sizes dsn-week,week,two-weeks] [--stations SEL] [--verbose]

Plans each schedule once (the bundled `dsn-week`; a generated DSN-scale week and a 2-week
horizon, `jointtrack generate --seed N`), computes its view periods and problem (not timed: a
running service holds them), then inserts `--requests` seeded emergencies one at a time into
the planned schedule: a random target (one of the scenario's, or a new fixed direction given
with the request), a random mission (one of the scenario's, so the mission rule bites, or a new
one), 1-4 h, priority 1, its window the 24 h after a random --now; `--stations aperture>=70`
asks for the oversubscribed 70 m antennas alone, so that insertions have to displace. Per size
it prints the median and worst decision time (from the request read to the schedule decided,
in process), the priority-weighted time displaced, and the least CP-SAT proves possible within
--proof-limit seconds for the same placement rule (same earliest-start window and track
length), with how many insertions it proved. Every decided schedule is also checked by the
validator's rules (not timed). The load average is printed with the figures. Target: worst
decision ≤ 2 s.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scheduler import api  # noqa: E402
from scheduler.errors import InfeasibleError  # noqa: E402
from scheduler.inputs import load_scenario_text  # noqa: E402
from scheduler.problem.types import priority_weight  # noqa: E402
from scheduler.problem.windows import from_now, with_locked  # noqa: E402
from scheduler.solvers import SolverSettings  # noqa: E402
from scheduler.solvers.cpsat.least_displaced import least_displaced  # noqa: E402
from scheduler.synthetic.scenario_file import scenario_text  # noqa: E402
from scheduler.workflows.insert import SLACK_S, decide_insertion, decided_plan  # noqa: E402
from scheduler.workflows.previous import prepare  # noqa: E402


def scenarios(sizes: list[str], seed: int) -> list[tuple[str, object]]:
    made = {
        "dsn-week": lambda: api.load_scenario("dsn-week"),
        "week": lambda: load_scenario_text(scenario_text(seed, 1), f"generated-{seed}-1w"),
        "two-weeks": lambda: load_scenario_text(scenario_text(seed, 2), f"generated-{seed}-2w"),
    }
    return [(size, made[size]()) for size in sizes]


def urgent_requests(scenario, count: int, seed: int, stations: str = "") -> list[tuple[dict, pd.Timestamp]]:
    """Seeded emergencies: target, mission, 1-4 h, window the 24 h after a random --now."""
    rng = random.Random(seed)
    missions = sorted({r.mission for r in scenario.requests})
    targets = [t.id for t in scenario.targets]
    span_min = int(((scenario.end - scenario.start).total_seconds() - 26 * 3600) // 60)
    found = []
    for number in range(count):
        now = pd.Timestamp(scenario.start) + pd.Timedelta(minutes=rng.randrange(0, span_min))
        window = {"start": now.isoformat(), "end": (now + pd.Timedelta(hours=24)).isoformat()}
        request = {
            "id": f"URGENT-{number}",
            "mission": rng.choice(missions) if rng.random() < 0.5 else f"CRAFT-{number}",
            "agency": "NASA",
            "priority": 1,
            "duration": f"{rng.randint(1, 4)}h",
            "window": window,
        }
        if stations:
            request["stations"] = [stations]
        data: dict = {"request": request}
        if rng.random() < 0.3:  # a target the scenario lacks
            request["target"] = f"NEW-{number}"
            data["target"] = {"id": request["target"], "ra_deg": rng.uniform(0, 360), "dec_deg": rng.uniform(-40, 60)}
        else:
            request["target"] = rng.choice(targets)
        found.append((data, now))
    return found


def run_size(name: str, scenario, args: argparse.Namespace) -> list[str]:
    began = time.perf_counter()
    plan = api.plan(scenario, solver=args.plan, time_limit_s=args.time_limit, workers=2, seed=args.seed)
    planned_s = time.perf_counter() - began
    began = time.perf_counter()
    prepared = prepare(scenario, plan.schedule, "schedule", plan.view_periods)
    prepare_s = time.perf_counter() - began
    decisions, displaced, refused = [], [], 0
    proven: list[tuple[int, int]] = []  # (ours, least) where CP-SAT proved the least
    settings = SolverSettings(time_limit_s=10, workers=2, seed=args.seed)
    for request, now in urgent_requests(scenario, args.requests, args.seed, args.stations):
        at = int((now - pd.Timestamp(scenario.start)).total_seconds())
        try:
            insertion = decide_insertion(prepared, request, "emergency", at)
        except InfeasibleError:
            refused += 1
            continue
        decisions.append(insertion.decision_s)
        keep = (*(prepared.planned[n].track for n in insertion.fixed), insertion.decision.placed)
        decided_plan(insertion, with_locked(from_now(insertion.problem, at), keep), settings, 0.0)  # validity
        weights = {d.id: priority_weight(d.priority) for d in insertion.problem.demands}
        mine = sum(weights[c.track.demand_id] * c.displaced_seconds for _, c in insertion.decision.changes)
        displaced.append(mine)
        demand = insertion.problem.demand(request["request"]["id"])
        tracks = tuple(p.track for p in prepared.planned)
        placed = insertion.decision.placed
        proof = least_displaced(
            insertion.problem, tracks, set(insertion.fixed), demand, at, SLACK_S, placed.duration, args.proof_limit
        )
        if proof is not None and proof.status == "OPTIMAL":
            proven.append((mine, proof.weighted_s))
        if args.verbose:
            print(
                f"  {request['request']['id']}: {insertion.decision_s:.3f} s, {len(insertion.decision.changes)} "
                f"displaced, {mine} ws; least {proof}",
                flush=True,
            )
    shape = f"{len(scenario.stations)} antennas, {len(scenario.requests)} requests, {len(prepared.planned)} tracks"
    ours, least = sum(m for m, _ in proven), sum(b for _, b in proven)
    equal = sum(m == b for m, b in proven)
    return [
        name,
        shape,
        f"{planned_s:.0f} s ({args.plan}), prepare {prepare_s:.2f} s",
        f"{len(decisions)} placed, {refused} refused",
        f"{statistics.median(decisions):.3f} s" if decisions else "-",
        f"{max(decisions):.3f} s" if decisions else "-",
        f"{sum(displaced) / 3600:.1f} wh",
        f"{len(proven)} proven: ours {ours / 3600:.1f} wh, least {least / 3600:.1f} wh ({equal} equal)",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--plan", choices=("cpsat", "greedy"), default="cpsat")
    parser.add_argument("--time-limit", type=float, default=25.0, help="planning time limit per schedule")
    parser.add_argument("--proof-limit", type=float, default=60.0, help="CP-SAT time per least-displaced proof")
    parser.add_argument("--sizes", default="dsn-week,week,two-weeks")
    parser.add_argument("--stations", default="", help="the urgent requests' stations, e.g. aperture>=70")
    parser.add_argument("--verbose", action="store_true", help="a line per insertion")
    args = parser.parse_args()
    header = [
        "size",
        "shape",
        "planned in",
        "requests",
        "median decision",
        "worst decision",
        "displaced (ours)",
        "least displaced (CP-SAT)",
    ]
    print(" | ".join(header))
    for name, scenario in scenarios(args.sizes.split(","), args.seed):
        print(" | ".join(run_size(name, scenario, args)), flush=True)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}; wh = priority-weighted hours")


if __name__ == "__main__":
    main()
