"""What each track begun before `--now` delivered, in the figures execution.csv shows, and the
reasons diff.csv gives for history (README: Feedback)."""

from dataclasses import replace

import pandas as pd

from scheduler.outputs.execution import Executed
from scheduler.problem.types import Problem
from scheduler.problem.volume import KBIT, track_kbit
from scheduler.timeutil import format_time
from scheduler.workflows.history import DELIVERING, Ran
from scheduler.workflows.previous import Prepared


def execution_rows(prepared: Prepared, ran: tuple[Ran, ...]) -> list[Executed]:
    """Each track begun before --now: planned and delivered seconds and bits, and its verdict."""
    found = []
    for item in ran:
        demand = prepared.problem.demand(item.track.demand_id)
        planned_bits = track_kbit(demand, item.track) * KBIT
        if item.outcome is None:
            delivered_bits = planned_bits
        elif item.outcome.state in DELIVERING and item.contact is not None:
            ran_as = replace(item.track, start=item.contact[0], end=item.contact[1])
            delivered_bits = track_kbit(demand, ran_as) * KBIT
        else:
            delivered_bits = 0
        found.append(
            Executed(
                demand.request_id,
                item.track.antennas,
                item.outcome is not None,
                item.done,
                item.failure,
                item.preempted,
                item.track.duration,
                item.delivered_s,
                planned_bits,
                delivered_bits,
            )
        )
    return found


def history_reasons(
    prepared: Prepared, ran: tuple[Ran, ...], diff: pd.DataFrame, problem: Problem, limited: set[str]
) -> list[str]:
    """diff.csv's reason of each row: what became of a history track (ran as reported, re-opened
    and why), `failure limit` for the tracks a left-out request loses, else the repair's own."""
    epoch = pd.Timestamp(prepared.scenario.start)
    why: dict[tuple[str, str], str] = {}
    for item in ran:
        outcome = item.outcome
        if outcome is None:
            continue
        key = (item.track.demand_id, format_time(epoch + pd.Timedelta(seconds=item.track.start)))
        cause = f", {outcome.cause}" if outcome.cause else ""
        why[key] = f"ran ({outcome.state})" if item.done else f"re-opened: {outcome.state}{cause}"
    requests = {d.id: d.request_id for d in problem.demands}
    return [
        why.get((row.demand_id, row.old_start))
        or ("failure limit" if requests.get(row.demand_id) in limited and row.change == "dropped" else row.reason)
        for row in diff.itertuples()
    ]
