"""Urgent insertion keeps every rule of a real scenario: seeded emergencies and late-adds into
greedy plans of mars-relay (start spacing, max_links, RFI, after, max_gap, critical), mars-week
(MSPA, arrays) and a generated DSN-scale week (split tracks, arrays). Each decided schedule passes
the check every plan passes before it is written (inside `insert`), keeps the untouchable tracks
exactly, and lists in displaced.csv exactly the tracks it changed."""

import random

import pandas as pd
import pytest

from scheduler import api
from scheduler.errors import InfeasibleError
from scheduler.inputs import load_scenario_text
from scheduler.synthetic.scenario_file import scenario_text

PLACE = ["request_id", "station", "start", "end"]


def urgent_requests(scenario, count: int, seed: int) -> list[tuple[dict, pd.Timestamp]]:
    """Requests of 1-4 h at a random target, mission and priority 1-3, in the 24 h after a random --now."""
    rng = random.Random(seed)
    missions = [*sorted({r.mission for r in scenario.requests}), "NEWCRAFT"]
    targets = [t.id for t in scenario.targets]
    span = (scenario.end - scenario.start).total_seconds() / 3600 - 26
    found = []
    for number in range(count):
        now = pd.Timestamp(scenario.start) + pd.Timedelta(minutes=rng.randrange(0, int(span * 60), 5))
        window = {"start": now.isoformat(), "end": (now + pd.Timedelta(hours=24)).isoformat()}
        request = {
            "id": f"URGENT-{number}",
            "mission": rng.choice(missions),
            "agency": "TEST",
            "target": rng.choice(targets),
            "priority": rng.randint(1, 3),
            "duration": f"{rng.randint(1, 4)}h",
            "window": window,
        }
        found.append(({"request": request}, now))
    return found


def rows(frame: pd.DataFrame) -> set[tuple]:
    return set(frame[PLACE].itertuples(index=False, name=None))


@pytest.mark.slow
@pytest.mark.parametrize("name", ["mars-relay", "mars-week", "generated"])
def test_insertions_keep_every_rule(name: str) -> None:
    scenario = load_scenario_text(scenario_text(3, 1)) if name == "generated" else api.load_scenario(name)
    plan = api.plan(scenario, solver="greedy")
    before = plan.schedule
    for tier in ("emergency", "late-add"):
        for request, now in urgent_requests(scenario, 4, seed=len(name)):
            try:
                result = api.insert(
                    scenario, before, request, tier=tier, now=now, repair=False, view_periods=plan.view_periods
                )
            except InfeasibleError as refused:
                assert tier == "late-add" or "cannot be placed" in str(refused)
                continue
            after = result.plan.schedule
            begun = before[before.setup_start < now]
            assert rows(begun) <= rows(after), "a running track changed"
            changed = rows(before) - rows(after)
            touched = before[before.track_id.isin(set(result.displaced.track))]
            assert rows(touched) >= changed
            assert (tier == "late-add") <= result.displaced.empty
            assert request["request"]["id"] in set(after.request_id)
            for row in result.displaced.itertuples():
                old = pd.Timestamp(row.end) - pd.Timestamp(row.start)
                new = pd.Timestamp(row.new_end) - pd.Timestamp(row.new_start) if row.new_start else pd.Timedelta(0)
                assert row.lost_seconds == (old - new).total_seconds()
                if row.change == "shortened":
                    assert row.start <= row.new_start < row.new_end <= row.end
