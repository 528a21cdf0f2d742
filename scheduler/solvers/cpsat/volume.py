"""Volume demands in the CP-SAT model.

Along a candidate's opportunity the rate is constant over runs of grid slots (a run per step of
the mission's rate ladder, problem/volume.py). A track over [start, end) returns, for each run
[a, b) of q kilobits per slot, q · max(0, min(end, b) − max(start, a)): each clamp is a min/max
equality, so the kilobits are exact on the grid and follow from the track's times by propagation
alone. (An element constraint on a cumulative table says the same, but CP-SAT expands it into
one literal per grid point: hundreds per track.) The demand counts floor(S · min(Σ kilobits,
V) / V) equivalent seconds, as `problem.scoring` does.
"""

from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.problem.grid import snap
from scheduler.problem.types import Demand
from scheduler.problem.volume import profile_of, rate_runs, track_kbit, volume_kbit
from scheduler.solvers.cpsat.candidates import Candidate


def volume_tracks(
    model: cp_model.CpModel, demand: Demand, candidates: Sequence[Candidate], unit: int
) -> cp_model.IntVar:
    """At most `tracks` tracks; returns the equivalent seconds the demand counts."""
    model.Add(sum(c.present for c in candidates) <= demand.tracks)
    delivered: list[cp_model.LinearExprT] = [track_kbit(demand, c.locked) for c in candidates if c.locked is not None]
    most = sum(delivered)
    for candidate in candidates:
        if candidate.locked is None:
            kbit, table_max = _candidate_kbit(model, demand, candidate, unit)
            delivered.append(kbit)
            most += table_max
    volume = volume_kbit(demand)
    total = model.NewIntVar(0, most, f"kbit[{demand.id}]")
    model.Add(total == sum(delivered))
    capped = model.NewIntVar(0, volume, f"kbit_counted[{demand.id}]")
    model.AddMinEquality(capped, [total, volume])
    seconds = model.NewIntVar(0, demand.requested, f"volume_s[{demand.id}]")
    model.AddDivisionEquality(seconds, capped * demand.requested, volume)
    model.Add(volume * seconds <= demand.requested * capped)  # the same, linear: for the LP relaxation
    return seconds


def _candidate_kbit(
    model: cp_model.CpModel, demand: Demand, candidate: Candidate, unit: int
) -> tuple[cp_model.IntVar, int]:
    """Kilobits the candidate returns when present (else 0), and the most it can return."""
    option = candidate.options[0]
    assert option.opportunity is not None
    grid = snap(option.opportunity, candidate.shortest, unit)
    profile = profile_of(demand, option.antennas)
    name = f"{demand.id}/{candidate.slot}@{option.antennas}"
    if grid is None or profile is None:
        return model.NewConstant(0), 0
    runs = rate_runs(profile, grid.earliest, grid.latest_end)
    most = sum(q * (b - a) for a, b, q in runs)
    overlaps = []
    for number, (a, b, q) in enumerate(runs):
        begin = model.NewIntVar(a, max(a, grid.latest_end), f"run_from[{name}#{number}]")  # start, clamped up to a
        finish = model.NewIntVar(min(b, grid.earliest), b, f"run_to[{name}#{number}]")  # end, clamped down to b
        overlap = model.NewIntVar(0, b - a, f"run_on_target[{name}#{number}]")
        model.AddMaxEquality(begin, [candidate.start, a])
        model.AddMinEquality(finish, [candidate.end, b])
        model.AddMaxEquality(overlap, [finish - begin, 0])
        overlaps.append(q * overlap)
    kbit = model.NewIntVar(0, most, f"kbit[{name}]")
    model.Add(kbit == sum(overlaps)).OnlyEnforceIf(candidate.present)
    model.Add(kbit == 0).OnlyEnforceIf(candidate.present.Not())
    model.Add(kbit <= max((q for _, _, q in runs), default=0) * candidate.duration)  # redundant: for the LP
    return kbit, most
