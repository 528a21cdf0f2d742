"""A proposal's diff Gantt: for each agency the proposal changes and each antenna it uses, its
baseline tracks on one row and the proposal's just below, in each mission's colour (the schedule Gantt's), so a
moved, shortened or dropped track shows as the difference between the two rows."""

import pandas as pd
import plotly.graph_objects as go

from scheduler.outputs.gantt import MISSION_COLOURS, TRACK_WIDTH
from scheduler.outputs.schedule_table import read_schedule_text

HOVER = "%{customdata[0]} (%{customdata[1]})<br>%{customdata[2]}<br>%{customdata[3]} – %{customdata[4]}<extra></extra>"


def _times(frame: pd.DataFrame, column: str) -> list[str]:
    return frame[column].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S").tolist()


def diff_gantt(baseline_csv: str, proposal_csv: str, agencies: list[str], title: str) -> str:
    """The chart as plotly's div and script (plotly.js served apart), without a CSP nonce yet."""
    sides = {
        "baseline": read_schedule_text(baseline_csv, "baseline"),
        "proposal": read_schedule_text(proposal_csv, "proposal"),
    }
    shown = {side: frame[frame.agency.isin(agencies)] for side, frame in sides.items()}
    both = pd.concat(shown.values())
    rows = [
        f"{agency} · {station} · {side}"
        for agency in agencies
        for station in sorted(set(both.station[both.agency == agency]))
        for side in sides
    ]
    order = go.Scatter(x=[None] * len(rows), y=rows, showlegend=False, hoverinfo="skip", mode="markers")
    traces: list[go.BaseTraceType] = [order]
    missions = sorted(set(shown["baseline"].mission) | set(shown["proposal"].mission))
    for index, mission in enumerate(missions):
        colour = MISSION_COLOURS[index % len(MISSION_COLOURS)]
        parts = [(side, frame[frame.mission == mission]) for side, frame in shown.items()]
        for number, (side, part) in enumerate((side, part) for side, part in parts if not part.empty):
            custom = list(
                zip(
                    part.request_id,
                    part.agency,
                    part.station,
                    part.start.dt.strftime("%d %b %H:%MZ"),
                    part.end.dt.strftime("%d %b %H:%MZ"),
                    strict=True,
                )
            )
            traces.append(
                go.Bar(
                    name=str(mission),
                    legendgroup=str(mission),
                    showlegend=number == 0,
                    orientation="h",
                    width=TRACK_WIDTH,
                    base=_times(part, "start"),
                    x=((part.end - part.start).dt.total_seconds() * 1000).tolist(),
                    y=[f"{a} · {s} · {side}" for a, s in zip(part.agency, part.station, strict=True)],
                    text=[f"{r} {s}" for r, s in zip(part.request_id, part.station, strict=True)],
                    marker={"color": colour, "opacity": 0.55 if side == "baseline" else 1.0},
                    customdata=custom,
                    hovertemplate=HOVER,
                )
            )
    figure = go.Figure(traces)
    figure.update_layout(
        title={"text": title, "x": 0.01},
        barmode="overlay",
        height=160 + 48 * len(rows),
        margin={"l": 10, "r": 10, "t": 60, "b": 40},
        plot_bgcolor="white",
        font={"family": "DejaVu Sans, Arial, sans-serif", "size": 12},
    )
    figure.update_xaxes(type="date", title="UTC", showgrid=True, gridcolor="#e6e6e6", tickformat="%d %b\n%H:%M")
    figure.update_yaxes(autorange="reversed", fixedrange=True)
    config = {"displaylogo": False}
    return figure.to_html(include_plotlyjs=False, full_html=False, div_id="diff-gantt", config=config)
