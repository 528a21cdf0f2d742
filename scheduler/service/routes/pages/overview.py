"""What the campaign page shows of a version: its Gantt chart, satisfaction per agency and per
mission, the cross-support ledger and the unsatisfied requests with their reasons."""

import io
import re
from dataclasses import dataclass
from typing import Any

import pandas as pd

from scheduler.outputs.gantt import gantt_figure
from scheduler.service.schedules import VersionData

SCRIPT = re.compile(r"<script\b")


@dataclass(frozen=True)
class Overview:
    """A version as the campaign page lays it out."""

    number: int
    summary: dict[str, Any]
    agencies: list[dict[str, Any]]
    missions: list[dict[str, Any]]
    ledger: list[dict[str, str]]
    unsatisfied: list[dict[str, str]]
    gantt: str  # plotly's div and script, without plotly.js (served from /static)

    def gantt_with(self, nonce: str) -> str:
        """The chart's HTML with the page's CSP nonce on its script."""
        return SCRIPT.sub(f'<script nonce="{nonce}"', self.gantt)


def satisfaction(figures: dict[str, dict[str, Any]], key: str) -> list[dict[str, Any]]:
    """Rows of requested and scheduled hours and the satisfied share, by agency or mission."""
    rows = []
    for name, row in sorted(figures.items()):
        requested, scheduled = float(row.get("requested_h", 0)), float(row.get("scheduled_h", 0))
        rows.append(
            {
                key: name,
                "requested_h": f"{requested:.1f}",
                "scheduled_h": f"{scheduled:.1f}",
                "satisfied": f"{100 * (1 - float(row.get('unsatisfied_fraction', 0))):.0f} %",
            }
        )
    return rows


def gantt_fragment(data: VersionData) -> str:
    periods = pd.read_csv(io.StringIO(data.files["view_periods.csv"]))
    for column in ("start", "end"):
        periods[column] = pd.to_datetime(periods[column], utc=True, format="ISO8601")
    scenario = data.scenario
    title = f"{scenario.name}, version {data.number}: {len(data.schedule)} tracks"
    figure = gantt_figure(data.schedule, periods, scenario.stations, title, (scenario.start, scenario.end))
    config = {"scrollZoom": True, "displaylogo": False}
    return figure.to_html(include_plotlyjs=False, full_html=False, div_id="gantt", config=config)


def overview(data: VersionData, summary: dict[str, Any]) -> Overview:
    return Overview(
        data.number,
        summary,
        satisfaction(summary.get("agencies", {}), "agency"),
        satisfaction(summary.get("missions", {}), "mission"),
        data.table("ledger.csv").to_dict(orient="records"),
        data.table("unsatisfied.csv").to_dict(orient="records"),
        gantt_fragment(data),
    )
