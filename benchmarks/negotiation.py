"""Negotiation benchmark: a re-plan from scratch against a proposal, when one agency changes three
of its requests after the baseline was agreed.

    python benchmarks/negotiation.py [--time-limit 8] [--baseline-time-limit 25] [--workers 2] [--seed 0]
                                     [--agency ESA] [--skip-generated]

On `dsn-week` and on a generated DSN week (`jointtrack generate --seed N`): the baseline is the
plan of the scenario as it was; then the agency (ESA by default) asks, in its first three plain
requests (no split, array, continuous or volume), 1 h more per track, one more track per period,
and 3 steps more priority. The changed scenario is planned from scratch (`scheduler.plan`) and
proposed against the baseline (`scheduler.propose`, made a freeze period before the week, so
nothing is frozen), with the same time limit. Per way, against the baseline: agencies asked to
consent (README: Proposals), baseline tracks moved, shortened and dropped, hours on target lost
by the other agencies, hours scheduled, and the wall and CPU time to produce it. The load
average is printed with the table: the machine's other work slows wall times.
"""

import argparse
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import scheduler  # noqa: E402
from scheduler.inputs import load_scenario_text  # noqa: E402
from scheduler.synthetic.scenario_file import scenario_data  # noqa: E402
from scheduler.timeutil import parse_duration  # noqa: E402
from scheduler.workflows.propose import consent  # noqa: E402
from scheduler.workflows.repair import previous_tracks  # noqa: E402

PLAIN = ("split", "array", "complexes", "continuous", "volume", "window", "after", "critical")


def _plus_hour(text: str) -> str:
    """A scenario duration one hour longer, in minutes."""
    return f"{int(parse_duration(text).total_seconds()) // 60 + 60}m"


def changed(data: dict, agency: str) -> tuple[dict, list[str]]:
    """The scenario data with the agency's first three plain requests changed: 1 h longer tracks,
    one more track per period, 3 steps more priority. Returns the data and the changed ids."""
    mine = [r for r in data["requests"] if r.get("agency") == agency and not any(k in r for k in PLAIN)]
    if len(mine) < 3:
        raise SystemExit(f"{agency} has {len(mine)} plain requests in {data['name']}; choose another --agency")
    first, second, third = (dict(r) for r in mine[:3])
    for key in ("duration", "min_duration", "max_duration"):
        if key in first:
            first[key] = _plus_hour(first[key])
    second["tracks"] = second.get("tracks", 1) + 1
    third["priority"] = max(1, third.get("priority", 5) - 3)
    by_id = {r["id"]: r for r in (first, second, third)}
    requests = [by_id.get(r["id"], r) for r in data["requests"]]
    return {**data, "requests": requests}, list(by_id)


def timed(run: Callable[[], object]) -> tuple[object, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = run()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def row(name: str, way: str, scenario, problem, baseline, tracks, agency: str, wall: float, cpu: float) -> list[str]:
    """The figures of one way against the baseline."""
    old = previous_tracks(scenario, baseline, "baseline")
    parties, _ = consent(scenario, problem, old, tracks)
    others = parties[parties.agency != agency]
    lost = (others.hours_before - others.hours_after).clip(lower=0).sum()
    asked = parties.agency[parties.must_consent].tolist()
    hours = sum(t.duration for t in tracks) / 3600
    return [
        name,
        way,
        f"{len(asked)} ({', '.join(asked)})" if asked else "0",
        str(int(parties.moved.sum())),
        str(int(parties.shortened.sum())),
        str(int(parties.dropped.sum())),
        f"{lost:.1f}",
        f"{hours:.1f}",
        f"{wall:.1f} s ({cpu:.1f} s CPU)",
    ]


def case(name: str, data: dict, args: argparse.Namespace) -> list[list[str]]:
    """Baseline, then the re-plan from scratch and the proposal of the changed scenario."""
    original = load_scenario_text(yaml.safe_dump(data, sort_keys=False), f"{name}.yaml")
    print(f"{name}: planning the baseline ({args.baseline_time_limit:.0f} s)", flush=True)
    base = scheduler.plan(original, time_limit_s=args.baseline_time_limit, workers=args.workers, seed=args.seed)
    data2, ids = changed(data, args.agency)
    scenario = load_scenario_text(yaml.safe_dump(data2, sort_keys=False), f"{name}-changed.yaml")
    print(f"{name}: {args.agency} changed {', '.join(ids)}; re-planning and proposing", flush=True)
    settings = {"time_limit_s": args.time_limit, "workers": args.workers, "seed": args.seed}
    scratch, wall_s, cpu_s = timed(lambda: scheduler.plan(scenario, **settings))
    now = scenario.start - scenario.spec.negotiation.freeze_before
    proposal, wall_p, cpu_p = timed(lambda: scheduler.propose(scenario, base.schedule, now=now, **settings))
    assert scheduler.validate(scenario, proposal.plan.schedule) == []
    figures = (scenario, proposal.plan.problem, base.schedule)
    return [
        row(name, "from scratch", *figures, scratch.solution.tracks, args.agency, wall_s, cpu_s),
        row(name, "proposal", *figures, proposal.plan.solution.tracks, args.agency, wall_p, cpu_p),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=8.0)
    parser.add_argument("--baseline-time-limit", type=float, default=25.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--agency", default="ESA")
    parser.add_argument("--skip-generated", action="store_true")
    args = parser.parse_args()
    dsn = yaml.safe_load((REPO / "scenarios" / "dsn-week.yaml").read_text())
    rows = case("dsn-week", dsn, args)
    if not args.skip_generated:
        rows += case(f"generated week (seed {args.seed})", scenario_data(args.seed), args)
    header = ["problem", "way", "agencies asked", "moved", "shortened", "dropped", "h lost by others", "h", "time"]
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for line in rows:
        print("| " + " | ".join(line) + " |")
    print(
        f"\nload average {' '.join(f'{x:.2f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
        f"time limit {args.time_limit:.0f} s, {args.workers} workers, seed {args.seed}"
    )


if __name__ == "__main__":
    main()
