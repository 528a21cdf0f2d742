"""What the relaxation hands on: the restricted master's schedule is valid and keeps the mission
rule; its bound file proves the bound again from its prices alone (and a changed file fails);
`--bound-only` prints the curve; the clock cuts the bound, and says so; its prices aim the rounds."""

import json
import random
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from scheduler.check.allocation import check_allocation
from scheduler.problem.scoring import FLOOR_WEIGHT, counted_for, mission_floors
from scheduler.problem.types import Demand, Opportunity, Problem, Track, priority_weight
from scheduler.satnet.convert import to_problem
from scheduler.satnet.week import read_week
from scheduler.solvers.bound import Relaxation
from scheduler.solvers.bound.report import bound_document, recompute
from scheduler.solvers.bound.steps import mission_key
from scheduler.solvers.cpsat.neighbourhoods import draw_region
from scheduler.solvers.cpsat.seeding import grow_bound
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.policy import POLICY
from tests.solvers.relaxation_support import EPOCH, small_problems

DATA = Path(__file__).resolve().parent.parent / "data" / "satnet"
TINY = (DATA / "tiny_week.json", DATA / "tiny_maintenance.csv")


def mission_overlaps(problem: Problem, tracks: tuple[Track, ...]) -> list[tuple[Track, Track]]:
    """Pairs of tracks of one mission-rule key (different requests) on target at once."""
    by_key: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_key[mission_key(problem.demand(track.demand_id))].append(track)
    found = []
    for mine in by_key.values():
        mine.sort(key=lambda t: t.start)
        for index, first in enumerate(mine):
            for second in mine[index + 1 :]:
                if second.start >= first.end:
                    break
                if problem.demand(first.demand_id).request_id != problem.demand(second.demand_id).request_id:
                    found.append((first, second))
    return found


@pytest.mark.slow
@settings(max_examples=10, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_restricted_master_schedule_is_valid_and_keeps_the_mission_rule(problem: Problem) -> None:
    greedy = solve_greedy_tracks(problem)
    relaxation = Relaxation(problem)
    relaxation.add_schedule(greedy)
    relaxation.grow(1e9, time_only=False)
    seeded = relaxation.seed(2.0, 30.0, 0, 1)
    assert check_allocation(problem, seeded) == []
    assert mission_overlaps(problem, seeded) == []


def mip_value(problem: Problem, tracks: tuple[Track, ...]) -> float:
    """The restricted master MIP's objective: priority-weighted counted seconds and mission floors."""
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)
    counted = {d.id: min(d.requested, counted_for(d, by_demand[d.id])) for d in problem.demands}
    floors = mission_floors(problem)
    missions: dict[str, float] = defaultdict(float)
    for demand in problem.demands:
        missions[demand.mission] += counted[demand.id]
    return sum(priority_weight(d.priority) * counted[d.id] for d in problem.demands) + FLOOR_WEIGHT * sum(
        min(floors[m], held) for m, held in missions.items()
    )


@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(small_problems())
def test_the_restricted_master_starts_from_the_search_start_and_never_returns_less(problem: Problem) -> None:
    greedy = solve_greedy_tracks(problem)
    relaxation = Relaxation(problem)
    relaxation.grow(1e9, time_only=False)
    seeded = relaxation.seed(2.0, 30.0, 0, 1, greedy)
    assert check_allocation(problem, seeded) == []
    assert mission_overlaps(problem, seeded) == []
    assert mip_value(problem, seeded) >= mip_value(problem, greedy) - 1e-6
    assert relaxation.seed(2.0, 30.0, 0, 1, greedy) == seeded  # the same seed, the same schedule


def test_a_saved_bound_is_proved_again_from_its_prices() -> None:
    problem = to_problem(read_week(*TINY))
    relaxation = Relaxation(problem)
    relaxation.grow(1e9, time_only=False)
    relaxation.grow(1e9, time_only=True)
    document = json.loads(json.dumps(bound_document(problem, relaxation.result())))
    assert recompute(problem, document) == document["values"]
    assert document["objective_bound"] == document["values"]["objective"]
    assert document["curve"][0]["phase"] == "objective" and document["iterations"] == len(document["curve"])


def test_the_clock_cuts_the_bound_and_says_so() -> None:
    problem = to_problem(read_week(*TINY))
    relaxation = Relaxation(problem)
    budget = POLICY.budget(60.0, 2)
    bound, cut = grow_bound(relaxation, problem, solve_greedy_tracks(problem), budget, 0.0, lambda _m: None)
    assert cut == ("bound",)
    assert bound.cut.startswith("objective phase stopped by the clock after 0 iterations")


def jointtrack(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler", *args], capture_output=True, text=True, timeout=300)


@pytest.mark.slow
def test_bound_only_prints_the_curve_and_check_bound_recomputes_it(tmp_path: Path) -> None:
    week = ["satnet", "solve", str(TINY[0]), "--maintenance", str(TINY[1])]
    done = jointtrack(*week, "--bound-only", "--time-limit", "5", "--out", str(tmp_path), "--quiet")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0].split() == ["phase", "iter", "seconds", "master", "bound"]
    assert "bound on T_S" in done.stdout
    saved = tmp_path / "bound.json"
    check = jointtrack("satnet", "check-bound", str(TINY[0]), str(saved), "--maintenance", str(TINY[1]))
    assert check.returncode == 0, check.stderr
    assert "agrees" in check.stdout and "DIFFERS" not in check.stdout
    document = json.loads(saved.read_text())
    document["values"]["time"] *= 0.9  # a bound that the prices do not prove
    saved.write_text(json.dumps(document))
    wrong = jointtrack("satnet", "check-bound", str(TINY[0]), str(saved), "--maintenance", str(TINY[1]))
    assert wrong.returncode == 1
    assert "DIFFERS" in wrong.stdout


def test_rounds_aim_where_the_prices_say_value_is_lost() -> None:
    """Three 4 h requests on one antenna free for 10 h: the prices value the antenna's
    time, so an empty schedule loses value in every window that could hold a track."""
    hour = 3600
    opportunities = (Opportunity(("A",), 600, 9 * hour, 10 * hour - 600, 600, 600),)
    demands = tuple(
        Demand(f"R{i}", f"R{i}", f"M{i}", "NASA", "t", 1, 1, hour, 4 * hour, opportunities) for i in (0, 1, 2)
    )
    problem = Problem("aims", EPOCH, 10 * hour, 60, ("A",), demands)
    relaxation = Relaxation(problem)
    relaxation.grow(1e9, time_only=False)
    nothing = relaxation.losses((), 4 * hour)
    assert nothing and all(loss > 0 and end - start == 4 * hour for start, end, loss in nothing)
    served = relaxation.losses(solve_greedy_tracks(problem), 4 * hour)
    assert sum(loss for *_, loss in served) < sum(loss for *_, loss in nothing)
    region = draw_region(problem, (), "priced", 4 * hour, random.Random(0), [], nothing[:1])
    assert region.kind == "priced" and region.start <= (nothing[0][0] + nothing[0][1]) // 2 < region.end
