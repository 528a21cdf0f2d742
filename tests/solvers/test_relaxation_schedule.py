"""What the relaxation hands on: the restricted master's schedule is valid and keeps the mission
rule; its bound file proves the bound again from its prices alone (and a changed file fails);
`--bound-only` prints the curve; the clock cuts the bound, and says so."""

import json
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

from hypothesis import HealthCheck, given, settings

from scheduler.check.allocation import check_allocation
from scheduler.problem.types import Problem, Track
from scheduler.satnet.convert import to_problem
from scheduler.satnet.week import read_week
from scheduler.solvers.bound import Relaxation
from scheduler.solvers.bound.report import bound_document, recompute
from scheduler.solvers.bound.steps import mission_key
from scheduler.solvers.cpsat.seeding import grow_bound
from scheduler.solvers.greedy import solve_greedy_tracks
from scheduler.solvers.policy import POLICY
from tests.solvers.relaxation_support import small_problems

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


def test_a_saved_bound_is_proved_again_from_its_prices() -> None:
    problem = to_problem(read_week(*TINY))
    relaxation = Relaxation(problem)
    relaxation.grow(1e9, time_only=False)
    relaxation.grow(1e9, time_only=True)
    document = json.loads(json.dumps(bound_document(problem, relaxation.result())))
    again = recompute(problem, document)
    assert again["objective"] == document["objective_bound"]
    assert document["weighted_time_bound_s"] is None or again["weighted_time_s"] == document["weighted_time_bound_s"]
    assert document["curve"][0]["phase"] == "objective" and document["iterations"] == len(document["curve"])


def test_the_clock_cuts_the_bound_and_says_so() -> None:
    problem = to_problem(read_week(*TINY))
    relaxation = Relaxation(problem)
    budget = POLICY.budget(60.0, 2)
    bound, cut = grow_bound(relaxation, solve_greedy_tracks(problem), budget, 0.0, lambda _m: None)
    assert cut == ("bound",)
    assert bound.cut.startswith("objective phase stopped by the clock after 0 iterations")


def jointtrack(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scheduler", *args], capture_output=True, text=True, timeout=300)


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
    document["objective_bound"] *= 0.9  # a bound that the prices do not prove
    saved.write_text(json.dumps(document))
    wrong = jointtrack("satnet", "check-bound", str(TINY[0]), str(saved), "--maintenance", str(TINY[1]))
    assert wrong.returncode == 1
    assert "DIFFERS" in wrong.stdout
