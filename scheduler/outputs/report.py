"""What a plan achieved: summary figures, satisfaction per mission and agency, unsatisfied requests."""

import math
from collections import defaultdict

import numpy as np
import pandas as pd

from scheduler.outputs.reasons import request_reasons
from scheduler.problem.operations import gaps_too_long, spread_short
from scheduler.problem.scoring import counted_seconds, demand_satisfied
from scheduler.problem.types import Problem, Track, priority_weight
from scheduler.problem.volume import KBIT, delivered_kbit
from scheduler.solvers.interface import Solution

UNSATISFIED_COLUMNS = [
    "request_id",
    "mission",
    "requested_s",
    "scheduled_s",
    "requested_bits",
    "delivered_bits",
    "shortfall_bits",
    "reason",
]
REQUEST_COLUMNS = [
    "request_id",
    "mission",
    "agency",
    "priority",
    "requested_s",
    "scheduled_s",
    "satisfied",
    "reachable",
    "requested_bits",
    "delivered_bits",
    "shortfall_bits",
]


def request_table(problem: Problem, tracks: tuple[Track, ...]) -> pd.DataFrame:
    """Per request: mission, agency, priority, requested and scheduled seconds, satisfied, and the
    bits asked for (volume requests) and returned (requests with a downlink; else 0)."""
    by_demand: dict[str, list[Track]] = defaultdict(list)
    for track in tracks:
        by_demand[track.demand_id].append(track)
    counted = counted_seconds(problem, tracks)
    delivered = {d.id: delivered_kbit(d, by_demand[d.id]) * KBIT for d in problem.demands}
    rows = [
        {
            "request_id": d.request_id,
            "mission": d.mission,
            "agency": d.agency,
            "priority": d.priority,
            "requested_s": d.requested,
            "scheduled_s": counted[d.id],
            "satisfied": demand_satisfied(d, by_demand[d.id]),
            "reachable": bool(d.opportunities),
            "requested_bits": d.volume_bits or 0,
            "delivered_bits": delivered[d.id],
            "shortfall_bits": max(0, (d.volume_bits or 0) - delivered[d.id]),
        }
        for d in problem.demands
    ]
    frame = pd.DataFrame(rows, columns=REQUEST_COLUMNS)
    short = set(spread_short(problem, tracks))  # soft rules unmet: the request is not satisfied
    frame["satisfied"] &= np.array([d.id not in short for d in problem.demands], dtype=bool)
    frame["satisfied"] &= ~frame.request_id.isin(list(gaps_too_long(problem, tracks)))
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
            requested_bits=("requested_bits", "sum"),
            delivered_bits=("delivered_bits", "sum"),
            shortfall_bits=("shortfall_bits", "sum"),
        )
        .reset_index()
    )


def unsatisfied_fractions(requests: pd.DataFrame, key: str = "mission") -> pd.Series:
    """Unsatisfied fraction of requested time per mission (or agency)."""
    grouped = requests.groupby(key)[["requested_s", "scheduled_s"]].sum()
    return 1.0 - grouped.scheduled_s / grouped.requested_s.where(grouped.requested_s > 0, 1)


def metrics(problem: Problem, tracks: tuple[Track, ...]) -> dict:
    """Headline figures of a set of tracks: weighted and plain time, satisfied requests, U_max,
    U_rms (over missions) and per-agency satisfaction."""
    counted = counted_seconds(problem, tracks)
    requests = request_table(problem, tracks)
    missions = unsatisfied_fractions(requests, "mission")
    agencies = requests.groupby("agency")[["requested_s", "scheduled_s", "requested_bits", "delivered_bits"]].sum()
    agency_gap = unsatisfied_fractions(requests, "agency")
    return {
        "weighted_time_s": sum(priority_weight(d.priority) * counted[d.id] for d in problem.demands),
        "scheduled_s": int(requests.scheduled_s.sum()),
        "requested_s": int(requests.requested_s.sum()),
        "requested_bits": int(requests.requested_bits.sum()),
        "delivered_bits": int(requests.delivered_bits.sum()),
        "satisfied": int(requests.satisfied.sum()),
        "requests": len(requests),
        "u_max": float(missions.max()) if len(missions) else 0.0,
        "u_rms": float(np.sqrt((missions**2).mean())) if len(missions) else 0.0,
        "per_mission": {
            m: {
                "requested_s": int(g.requested_s.sum()),
                "scheduled_s": int(g.scheduled_s.sum()),
                "requested_bits": int(g.requested_bits.sum()),
                "delivered_bits": int(g.delivered_bits.sum()),
                "unsatisfied_fraction": float(missions[m]),
            }
            for m, g in requests.groupby("mission")
        },
        "per_agency": {
            a: {
                "requested_s": int(row.requested_s),
                "scheduled_s": int(row.scheduled_s),
                "requested_bits": int(row.requested_bits),
                "delivered_bits": int(row.delivered_bits),
                "unsatisfied_fraction": float(agency_gap[a]),
            }
            for a, row in agencies.iterrows()
        },
    }


def unsatisfied_table(problem: Problem, tracks: tuple[Track, ...], solution: Solution) -> pd.DataFrame:
    """unsatisfied.csv: each request not fully met, with the reason; for a volume request, the
    bits asked for, returned and missing (empty for time requests)."""
    requests = request_table(problem, tracks)
    missing = requests[~requests.satisfied].copy()
    volume = missing.requested_bits > 0
    for column in ("requested_bits", "delivered_bits", "shortfall_bits"):
        missing[column] = missing[column].astype(object).where(volume, "")
    reasons = request_reasons(problem, tracks, solution.status, set(missing.request_id))
    missing["reason"] = [reasons[r] for r in missing.request_id]
    return missing[UNSATISFIED_COLUMNS].reset_index(drop=True)


def summary(problem: Problem, solution: Solution, wall_s: float) -> dict:
    """summary.json contents."""
    tracks = solution.tracks
    figures = metrics(problem, tracks)
    busy: dict[str, int] = defaultdict(int)
    for track in tracks:
        for antenna in track.antennas:
            busy[antenna] += track.duration + track.setup + track.teardown
    requests = figures["requests"]
    return {
        "scenario": problem.name,
        "solver": solution.solver,
        "status": solution.status,
        "objective": round(solution.objective, 3),
        "bound": round(solution.bound, 3) if math.isfinite(solution.bound) else None,
        "gap": round(solution.gap, 6) if math.isfinite(solution.gap) else None,
        "bound_method": solution.bound_method or None,
        "weighted_time_bound_s": round(solution.time_bound) if math.isfinite(solution.time_bound) else None,
        "objective_units": "priority-weighted seconds on target with each mission's floor, less fairness and "
        "change penalties",
        "solve_s": round(solution.solve_s, 3),
        "stopped_by": solution.stopped_by,
        "cut_by_clock": list(solution.cut_by_clock),
        "seeded_by": solution.seeded_by,
        "bound_file": "bound.json" if solution.relaxation is not None else None,
        "rounds": solution.rounds,
        "wall_s": round(wall_s, 3),
        "tracks": len(tracks),
        "requests": requests,
        "satisfied_requests": figures["satisfied"],
        "satisfied_fraction": round(figures["satisfied"] / requests if requests else 1.0, 4),
        "requested_hours": round(figures["requested_s"] / 3600, 3),
        "scheduled_hours": round(figures["scheduled_s"] / 3600, 3),
        "weighted_time_s": figures["weighted_time_s"],
        "requested_bits": figures["requested_bits"],
        "delivered_bits": figures["delivered_bits"],
        "U_max": round(figures["u_max"], 4),
        "U_rms": round(figures["u_rms"], 4),
        "missions": _satisfaction(figures["per_mission"]),
        "agencies": _satisfaction(figures["per_agency"]),
        "utilisation": {a: round(busy[a] / problem.horizon, 4) for a in problem.antennas},
    }


def _satisfaction(groups: dict) -> dict:
    return {
        name: {
            "requested_h": round(g["requested_s"] / 3600, 3),
            "scheduled_h": round(g["scheduled_s"] / 3600, 3),
            "requested_bits": g["requested_bits"],
            "delivered_bits": g["delivered_bits"],
            "unsatisfied_fraction": round(g["unsatisfied_fraction"], 4),
        }
        for name, g in groups.items()
    }
