"""Each antenna's downtime as disjoint spans: outages that overlap or touch merged into one, so
that two entries over the same hours (an event's outage on top of maintenance) block the time once."""

from collections import defaultdict

from scheduler.problem.types import Problem


def merged_downtime(problem: Problem, unit: int = 1) -> dict[str, list[tuple[int, int]]]:
    """Per antenna, sorted disjoint [start, end) spans in units of `unit` seconds (rounded outward)."""
    spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for outage in problem.downtime:
        start, end = outage.start // unit, -(-outage.end // unit)
        if end > start:
            spans[outage.antenna].append((start, end))
    merged: dict[str, list[tuple[int, int]]] = {}
    for antenna, found in spans.items():
        out: list[tuple[int, int]] = []
        for start, end in sorted(found):
            if out and start <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], end))
            else:
                out.append((start, end))
        merged[antenna] = out
    return merged
