"""Urgent insertion in the service (README: Urgent insertion; docs/design.md: Service HTTP API).

An agency's urgent request is decided in the asking request's own thread, never behind the job
queue, against the campaign's latest version (its scenario, schedule and view periods read back
from the stored files), by the engine's fast decision (`scheduler.insert(..., repair=False)`).
An emergency, or a late-add that displaces nobody, is applied at once as a new version; the
repair that re-places what an emergency displaced follows as a normal job. A late-add that would
displace someone is not applied (`LateAddBlocked`): the route opens a proposal asking the
displaced agencies instead.
"""

import json
import time
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import ValidationError

import scheduler.workflows.insert  # noqa: F401  (the decision path imported with the service, not on the first emergency)
from scheduler import api
from scheduler.csv_cells import csv_text
from scheduler.errors import InfeasibleError, InputError
from scheduler.inputs.fields import Strict
from scheduler.inputs.messages import input_error
from scheduler.outputs.json_text import json_text
from scheduler.outputs.scenario_file import scenario_yaml
from scheduler.service.campaign_scenario import check_requests, plain
from scheduler.service.db.accounts import Principal
from scheduler.service.db.campaigns import snapshot
from scheduler.service.db.session import Database
from scheduler.service.errors import ServiceError, bad_input, conflict, forbidden
from scheduler.service.schedules import Schedules
from scheduler.service.version_inputs import version_files_of, view_periods_table

DISPLACED_KEYS = ("track", "request_id", "agency", "change", "lost_seconds")


class UrgentAsk(Strict):
    """The body of `POST …/urgent`: one request in scenario keys (and its target if new), its
    tier, and the moment before which tracks are untouchable (default: the clock)."""

    request: dict[str, Any]
    target: dict[str, Any] | None = None
    tier: Literal["emergency", "late-add"] = "emergency"
    now: str | None = None


@dataclass(frozen=True)
class Decided:
    """An insertion decided against version `base`, ready to be stored as the next version."""

    base: int
    request: dict[str, Any]  # as the campaign keeps it: with `agency` and `inserted`
    target: dict[str, Any] | None
    tier: str
    now: str
    files: dict[str, str]
    summary: dict[str, Any]
    displaced: list[dict[str, Any]]
    decision_s: float

    def brief(self) -> dict[str, Any]:
        """What the answer and the audit log say of it."""
        inserted = self.summary.get("insertion", {})
        placed = {k: inserted.get(k) for k in ("stations", "start", "end")}
        return {
            "request_id": self.request["id"],
            "tier": self.tier,
            "now": self.now,
            "base_version": self.base,
            "decision_s": self.decision_s,
            "placed": placed,
            "displaced": self.displaced,
        }


def read_ask(actor: Principal, body: Any, campaign: str) -> UrgentAsk:
    """The body checked: a mapping of the schema, the request the actor's agency's."""
    source = f"campaign {campaign}, urgent request"
    if actor.role != "agency" or actor.agency is None:
        raise forbidden(f"a {actor.role} token cannot ask for urgent time", "use the token of the requesting agency")
    try:
        ask = UrgentAsk.model_validate(plain(body, "", source) if isinstance(body, dict) else body)
    except ValidationError as exc:
        raise bad_input(input_error(exc, body, source)) from None
    agency = ask.request.get("agency", actor.agency)
    if agency != actor.agency:
        raise forbidden(f"{actor.name} cannot ask for time for agency {agency}", "set request.agency to your own")
    return ask.model_copy(update={"request": {**ask.request, "agency": actor.agency}})


def _check_fits_campaign(db: Database, campaign: str, ask: UrgentAsk) -> None:
    """The request must be new to the campaign and fit its scenario as it stands (409, 422)."""
    seen = snapshot(db, campaign)
    request_id = ask.request.get("id")
    if any(r.request_id == request_id for r in seen.requests):
        raise conflict(f"request {request_id} exists in campaign {campaign}", "request.id", "give the request a new id")
    base = dict(seen.campaign.scenario)
    if ask.target is not None:
        base["targets"] = [*base.get("targets", []), ask.target]
    bodies = [*seen.bodies, {**ask.request, "inserted": ask.tier}]
    try:
        check_requests(base, bodies, len(bodies) - 1, f"campaign {campaign}, urgent request")
    except InputError as exc:
        field = exc.field if exc.field.startswith("targets") else f"request.{exc.field}"
        raise bad_input(InputError(exc.file, field, exc.problem, exc.fix)) from None


def displaced_rows(result: Any) -> list[dict[str, Any]]:
    """displaced.csv's rows as JSON (track, request_id, agency, change, lost_seconds, and the places)."""
    rows = []
    for row in result.displaced.to_dict(orient="records"):
        item = {k: (str(v) if not isinstance(v, int | float) else v) for k, v in row.items()}
        item["lost_seconds"] = int(row["lost_seconds"])
        rows.append(item)
    return rows


def decide(db: Database, schedules: Schedules, campaign: str, base: int, ask: UrgentAsk, began: float) -> Decided:
    """Decide the insertion against version `base`; errors are the service's (422, 409).
    `answer_s` runs from `began` (a `time.perf_counter()`, the body read) to the files made."""
    _check_fits_campaign(db, campaign, ask)
    data = schedules.version(campaign, base)
    stored = data.files["view_periods.csv"]
    periods = schedules.memo((campaign, base, "view_periods"), lambda: view_periods_table(stored))
    urgent = {"request": ask.request, **({"target": ask.target} if ask.target is not None else {})}
    try:
        result = _insert(data, urgent, ask.tier, ask.now, periods)
    except InfeasibleError as refused:
        if ask.tier != "late-add":
            raise ServiceError(422, str(refused), "request", "widen its window, or free its stations") from None
        try:
            would = _insert(data, urgent, "emergency", ask.now, periods)
        except InfeasibleError:
            raise ServiceError(422, str(refused), "request", "widen its window, or free its stations") from None
        raise LateAddBlocked(campaign, ask, str(refused), displaced_rows(would)) from None
    except InputError as exc:
        raise bad_input(exc) from None
    decision_s = float(result.plan.summary["decision_s"])
    note = f"{data.scenario.name} with {ask.request['id']} inserted ({ask.tier}) by jointtrack"
    more = {"displaced.csv": csv_text(result.displaced), "diff.csv": csv_text(result.diff)}
    files = version_files_of(result.plan, scenario_yaml(result.scenario, note), **more)
    summary = {**json.loads(files["summary.json"]), "answer_s": round(time.perf_counter() - began, 4)}
    files["summary.json"] = json_text(summary)
    request = {**ask.request, "inserted": ask.tier}
    return Decided(
        base, request, ask.target, ask.tier, summary["now"], files, summary, displaced_rows(result), decision_s
    )


def _insert(data: Any, urgent: dict[str, Any], tier: str, now: str | None, periods: Any) -> Any:
    return api.insert(
        data.scenario,
        data.schedule,
        urgent,
        tier=tier,
        now=now,
        repair=False,
        view_periods=periods,  # type: ignore[arg-type]
    )


class LateAddBlocked(Exception):
    """A late-add that would displace others: not applied; what blocks it (`refusal`, the engine's
    line) and what placing it now would displace (`displaced`, rows as `displaced_rows`)."""

    def __init__(self, campaign: str, ask: UrgentAsk, refusal: str, displaced: list[dict[str, Any]]) -> None:
        super().__init__(refusal)
        self.campaign, self.ask, self.refusal, self.displaced = campaign, ask, refusal, displaced

    @property
    def agencies(self) -> list[str]:
        return sorted({str(d["agency"]) for d in self.displaced})

    def refused(self, why: str) -> ServiceError:
        """409 naming the blocker and the displacement, when no proposal can be opened (`why`)."""
        would = "; ".join(
            f"{d['track']} ({d['request_id']}, {d['agency']}): {d['change']}, {d['lost_seconds']} s lost"
            for d in self.displaced
        )
        return ServiceError(
            409,
            f"campaign {self.campaign}: {self.refusal}; placed now it would displace {would}",
            "tier",
            f"{why}; or agree it with {', '.join(self.agencies)} (or widen its window); "
            "send tier emergency only for an emergency",
        )
