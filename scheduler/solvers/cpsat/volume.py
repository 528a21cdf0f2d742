"""Volume demands in the CP-SAT model.

Each candidate lies in one opportunity; on that opportunity's grid a cumulative table F holds the
kilobits delivered from its first grid point to each later one (problem/volume.py), so a track
over [start, end) returns F[end] − F[start], read with two element constraints: exact on the
grid. The demand counts floor(S · min(Σ kilobits, V) / V) equivalent seconds, as
`problem.scoring` does.
"""

from collections.abc import Sequence

from ortools.sat.python import cp_model

from scheduler.problem.grid import snap
from scheduler.problem.types import Demand
from scheduler.problem.volume import cumulative_kbit, profile_of, track_kbit, volume_kbit
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
    table = cumulative_kbit(profile, grid.earliest, grid.latest_end)
    at_start = model.NewIntVar(0, table[-1], f"kbit_at_start[{name}]")
    at_end = model.NewIntVar(0, table[-1], f"kbit_at_end[{name}]")
    model.AddElement(candidate.start - grid.earliest, table, at_start)
    model.AddElement(candidate.end - grid.earliest, table, at_end)
    kbit = model.NewIntVar(0, table[-1], f"kbit[{name}]")
    model.Add(kbit == at_end - at_start).OnlyEnforceIf(candidate.present)
    model.Add(kbit == 0).OnlyEnforceIf(candidate.present.Not())
    return kbit, table[-1]
