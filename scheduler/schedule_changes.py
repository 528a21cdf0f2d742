"""The Python API's changes to a planned or agreed schedule: a proposal against a baseline, an
urgent insertion, the outcomes of tracks that ran (README: Proposals, Urgent insertion, Feedback).
Re-exported by `scheduler.api` (and `scheduler`), like the rest of the Python API."""

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import pandas as pd

from scheduler.api import ScenarioLike, ScheduleLike, load_scenario, now_time, schedule_table
from scheduler.progress import Progress, no_progress
from scheduler.settings import CHANGE_PENALTY, SEED, TIME_LIMIT_S, WORKERS, check_change_penalty, check_solver_settings

if TYPE_CHECKING:
    from scheduler.workflows.feedback import FeedbackResult
    from scheduler.workflows.insert import InsertResult
    from scheduler.workflows.propose import ProposalResult


def propose(
    scenario: ScenarioLike,
    baseline: ScheduleLike,
    *,
    now: datetime | str | None = None,
    withdrawn: Iterable[str] = (),
    change_penalty: float = CHANGE_PENALTY,
    time_limit_s: float = TIME_LIMIT_S,
    workers: int = WORKERS,
    seed: int = SEED,
    progress: Progress = no_progress,
) -> "ProposalResult":
    """A proposal: the scenario's current requests re-planned against the `baseline` schedule
    with as few changes as it takes, baseline tracks frozen `negotiation.freeze_before` ahead of
    `now` (default: the clock) kept as they are. `.plan`, `.diff`, `.parties` (who must consent),
    `.files()` and `.write(directory)`. `withdrawn` names requests gone from the scenario whose
    baseline tracks are dropped (README: Proposals)."""
    check_solver_settings(time_limit_s, workers, seed, "cpsat", None)  # before any import or work
    change_penalty = check_change_penalty(change_penalty)
    from scheduler.errors import InputError
    from scheduler.solvers.interface import SolverSettings
    from scheduler.timeutil import TIME_HINT, parse_time
    from scheduler.workflows.propose import propose as make_proposal

    try:
        moment = None if now is None else parse_time(now)
    except ValueError:
        raise InputError("now (--now)", "", f"{now!r} is not a time", TIME_HINT) from None
    if isinstance(withdrawn, str):
        withdrawn = [withdrawn]
    source = str(baseline) if isinstance(baseline, str | Path) else "<baseline>"
    settings = SolverSettings(time_limit_s=time_limit_s, workers=workers, seed=seed)
    loaded, table = load_scenario(scenario), schedule_table(baseline)
    return make_proposal(loaded, table, settings, moment, source, progress, change_penalty, frozenset(withdrawn))


def insert(
    scenario: ScenarioLike,
    schedule: ScheduleLike,
    request: str | Path | dict,
    *,
    tier: Literal["emergency", "late-add"] = "emergency",
    now: "datetime | str | None" = None,
    slack_s: int = 1800,
    repair: bool = True,
    view_periods: pd.DataFrame | None = None,
    time_limit_s: float = TIME_LIMIT_S,
    workers: int = WORKERS,
    seed: int = SEED,
    progress: Progress = no_progress,
) -> "InsertResult":
    """Insert an urgent request (a request file, or its data `{"request": {...}, "target": {...}}`)
    into a planned schedule: `.plan` (a `PlanResult`; `.plan.summary["decision_s"]`), `.displaced`,
    `.diff`, `.scenario` (the scenario with the request); `.write(directory)`. `now` (default:
    the clock): tracks begun before it stay. With `repair`, a minimal-change repair re-places what
    was displaced after the decision; `view_periods` (the scenario's, if known) saves computing
    them. A request that cannot be placed raises `scheduler.errors.InfeasibleError`."""
    check_solver_settings(time_limit_s, workers, seed, "cpsat", None)  # before any import or work
    from scheduler.solvers.interface import SolverSettings
    from scheduler.workflows.insert import insert as insert_request

    if tier not in ("emergency", "late-add"):
        from scheduler.errors import InputError

        raise InputError("tier", "", f"unknown tier {tier!r}", "use emergency or late-add")
    source = str(schedule) if isinstance(schedule, str | Path) else "<schedule>"
    at = now_time(now)
    settings = SolverSettings(time_limit_s=time_limit_s, workers=workers, seed=seed)
    return insert_request(
        load_scenario(scenario),
        schedule_table(schedule),
        request,
        tier,
        at,
        settings,
        source,
        progress,
        view_periods,
        slack_s,
        repair,
    )


def feedback(
    scenario: ScenarioLike,
    schedule: ScheduleLike,
    outcomes: str | Path | list[dict],
    *,
    now: "datetime | str | None" = None,
    change_penalty: float = CHANGE_PENALTY,
    view_periods: pd.DataFrame | None = None,
    time_limit_s: float = TIME_LIMIT_S,
    workers: int = WORKERS,
    seed: int = SEED,
    progress: Progress = no_progress,
) -> "FeedbackResult":
    """Fold the outcomes of tracks that ran (an outcomes CSV, or its rows as dicts) into the plan:
    `.plan` (history as it ran, what is missing re-queued by a minimal-change repair), `.diff`,
    `.execution` (per request and station: planned vs delivered, failures, success rate);
    `.write(directory)`. `now` (default: the clock): tracks begun before it are history."""
    check_solver_settings(time_limit_s, workers, seed, "cpsat", None)  # before any import or work
    change_penalty = check_change_penalty(change_penalty)
    from scheduler.solvers.interface import SolverSettings
    from scheduler.workflows.feedback import feedback as fold_outcomes

    source = str(schedule) if isinstance(schedule, str | Path) else "<schedule>"
    settings = SolverSettings(time_limit_s=time_limit_s, workers=workers, seed=seed)
    loaded = load_scenario(scenario)
    at = now_time(now)
    return fold_outcomes(
        loaded, schedule_table(schedule), outcomes, at, settings, source, progress, view_periods, change_penalty
    )
