"""What a plan achieved: summary figures, unsatisfied requests and their reasons."""

from collections import defaultdict

import numpy as np
import pandas as pd

from scheduler.problem import Demand, Problem, Track
from scheduler.solve import Solution

UNSATISFIED_COLUMNS = ["request_id", "mission", "requested_s", "scheduled_s", "reason"]


def counted_seconds(problem: Problem, tracks: tuple[Track, ...]) -> dict[str, int]:
    """Scheduled time on target per demand, capped at what the demand asked for."""
    got: dict[str, int] = defaultdict(int)
    for track in tracks:
        got[track.demand_id] += track.duration
    return {d.id: min(got[d.id], d.requested) for d in problem.demands}


def _satisfied(demand: Demand, tracks: list[Track]) -> bool:
    return sum(t.duration >= demand.min_duration for t in tracks) >= demand.tracks


def request_table(problem: Problem, tracks: tuple[Track, ...]) -> pd.DataFrame:
    """Per request: mission, agency, priority, requested and scheduled seconds, satisfied."""
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)
    counted = counted_seconds(problem, tracks)
    rows = [
        {
            "request_id": d.request_id,
            "mission": d.mission,
            "agency": d.agency,
            "priority": d.priority,
            "requested_s": d.requested,
            "scheduled_s": counted[d.id],
            "satisfied": _satisfied(d, by_demand[d.id]),
            "reachable": bool(d.opportunities),
        }
        for d in problem.demands
    ]
    frame = pd.DataFrame(
        rows,
        columns=["request_id", "mission", "agency", "priority", "requested_s", "scheduled_s", "satisfied", "reachable"],
    )
    return (
        frame.groupby("request_id", sort=False)
        .agg(
            mission=("mission", "first"),
            agency=("agency", "first"),
            priority=("priority", "first"),
            requested_s=("requested_s", "sum"),
            scheduled_s=("scheduled_s", "sum"),
            satisfied=("satisfied", "all"),
            reachable=("reachable", "any"),
        )
        .reset_index()
    )


def unsatisfied_table(problem: Problem, tracks: tuple[Track, ...], solution: Solution) -> pd.DataFrame:
    requests = request_table(problem, tracks)
    missing = requests[~requests.satisfied].copy()
    missing["reason"] = np.where(
        ~missing.reachable,
        "no view period long enough for a track",
        np.where(
            solution.status == "OPTIMAL", "outcompeted for antenna time", "outcompeted for antenna time or time limit"
        ),
    )
    return missing[UNSATISFIED_COLUMNS].reset_index(drop=True)


def unsatisfied_fractions(requests: pd.DataFrame) -> pd.Series:
    """Unsatisfied fraction of requested time per mission."""
    per_mission = requests.groupby("mission")[["requested_s", "scheduled_s"]].sum()
    return 1.0 - per_mission.scheduled_s / per_mission.requested_s.where(per_mission.requested_s > 0, 1)


def summary(problem: Problem, solution: Solution, wall_s: float) -> dict:
    """summary.json contents."""
    tracks = solution.tracks
    requests = request_table(problem, tracks)
    unsatisfied = unsatisfied_fractions(requests)
    per_agency = requests.groupby("agency")[["requested_s", "scheduled_s"]].sum()
    busy: dict[str, int] = defaultdict(int)
    for track in tracks:
        for antenna in track.antennas:
            busy[antenna] += track.duration + track.setup + track.teardown
    return {
        "scenario": problem.name,
        "solver": solution.solver,
        "status": solution.status,
        "objective": solution.objective,
        "bound": solution.bound,
        "gap": round(solution.gap, 6),
        "solve_s": round(solution.solve_s, 3),
        "wall_s": round(wall_s, 3),
        "tracks": len(tracks),
        "requests": len(requests),
        "satisfied_requests": int(requests.satisfied.sum()),
        "satisfied_fraction": round(float(requests.satisfied.mean()) if len(requests) else 1.0, 4),
        "requested_hours": round(requests.requested_s.sum() / 3600, 3),
        "scheduled_hours": round(requests.scheduled_s.sum() / 3600, 3),
        "U_max": round(float(unsatisfied.max()) if len(unsatisfied) else 0.0, 4),
        "U_rms": round(float(np.sqrt((unsatisfied**2).mean())) if len(unsatisfied) else 0.0, 4),
        "missions": {
            m: {
                "requested_h": round(g.requested_s.sum() / 3600, 3),
                "scheduled_h": round(g.scheduled_s.sum() / 3600, 3),
                "unsatisfied_fraction": round(float(unsatisfied[m]), 4),
            }
            for m, g in requests.groupby("mission")
        },
        "agencies": {
            a: {"requested_h": round(row.requested_s / 3600, 3), "scheduled_h": round(row.scheduled_s / 3600, 3)}
            for a, row in per_agency.iterrows()
        },
        "utilisation": {a: round(busy[a] / problem.horizon, 4) for a in problem.antennas},
    }
