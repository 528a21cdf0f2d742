"""A synthetic DSN week as a scenario file: the generator's requests on the real sky.

The requests, stations (the catalog's DSN antennas), downtime and horizon are those of
`generate.synthesize`; targets are the real Moon, Mars, Jupiter and Venus, and fixed
directions (the generator's synthetic positions) for the other bodies. Visibility then comes
from the real sky, so `jointtrack plan` on it sees other passes than the synthetic problem:
the scenario exercises the whole pipeline and the validator at DSN scale.
"""

from datetime import timedelta

import yaml

from scheduler.synthetic.network import BIG
from scheduler.synthetic.week import SyntheticRequest, oversubscription_ratio, synthesize
from scheduler.timeutil import format_time

REAL_BODIES = {"moon", "mars", "jupiter", "venus"}


def _minutes(seconds: int) -> str:
    return f"{seconds // 60}m"


def _request(request: SyntheticRequest) -> dict:
    entry: dict = {
        "id": request.id,
        "mission": request.mission,
        "agency": request.agency,
        "target": request.target,
        "priority": request.priority,
    }
    if request.min_duration == request.max_duration:
        entry["duration"] = _minutes(request.max_duration)
    else:
        entry["min_duration"] = _minutes(request.min_duration)
        entry["max_duration"] = _minutes(request.max_duration)
    entry["tracks"] = request.tracks
    entry["per"] = "day" if request.kind == "daily" else "week"
    entry["stations"] = list(request.antennas)
    if request.array > 1:
        entry["array"] = request.array
    if request.min_segment:
        entry["split"] = {"min_segment": _minutes(request.min_segment)}
    return entry


def scenario_data(seed: int, weeks: int = 1) -> dict:
    """The scenario (as YAML-ready data) of `generate_week(seed, weeks)`."""
    made = synthesize(seed, weeks)
    problem = made.problem
    start = problem.epoch

    def at(seconds: int) -> str:
        return format_time(start + timedelta(seconds=seconds))

    targets = [
        {"id": body, "body": body}
        if body in REAL_BODIES
        else {"id": body, "ra_deg": round(ra % 360.0, 4), "dec_deg": round(dec, 4)}
        for body, (ra, _, dec) in made.sky.items()
    ]
    used = {r.target for r in made.requests}
    return {
        "name": problem.name,
        "description": f"Synthetic DSN-scale requests (jointtrack generate --seed {seed} --weeks {weeks})",
        "start": at(0),
        "end": at(problem.horizon),
        "stations": sorted(problem.antennas, key=lambda a: (a not in BIG, a)),
        "downtime": [{"station": d.antenna, "start": at(d.start), "end": at(d.end)} for d in problem.downtime],
        "targets": [t for t in targets if t["id"] in used],
        "requests": [_request(r) for r in made.requests],
    }


def scenario_text(seed: int, weeks: int = 1) -> str:
    """The scenario as YAML text."""
    return yaml.safe_dump(scenario_data(seed, weeks), sort_keys=False, width=120)


def summary_line(seed: int, weeks: int = 1) -> str:
    """Requests, tracks and oversubscription of the synthetic problem behind the scenario."""
    made = synthesize(seed, weeks)
    tracks = sum(d.tracks for d in made.problem.demands)
    ratio = oversubscription_ratio(made.problem)
    size = f"{len(made.requests)} requests, {tracks} tracks"
    return f"{size}, {ratio:.2f}x oversubscribed (antenna-hours, synthetic passes)"
