"""The schedule as an interactive Gantt chart (plotly; one self-contained HTML page).

Rows are antennas, grouped by agency and complex. Each track is drawn in its mission's
colour: time on target solid, setup and teardown hatched and paler. Behind the tracks, each
target's view periods shade the row. Hover shows a track's details; drag or the range
buttons zoom in time.
"""

from collections.abc import Sequence
from datetime import datetime

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import qualitative

from scheduler.inputs.downlink import format_bits
from stations import Station

# Kelly's colours of maximum contrast (K. L. Kelly, "Twenty-two colors of maximum contrast", 1965),
# without white and black, then plotly's Dark24 for larger scenarios.
KELLY = (
    "#0067A5", "#F38400", "#BE0032", "#008856", "#875692", "#F3C300", "#A1CAF1", "#882D17", "#8DB600", "#E68FAC",
    "#604E97", "#C2B280", "#F99379", "#B3446C", "#654522", "#DCD300", "#E25822", "#2B3D26", "#848482", "#F6A600",
)  # fmt: skip
MISSION_COLOURS = [*KELLY, *qualitative.Dark24]
TARGET_COLOURS = ["#5b8bd0", "#d9822b", "#b5a100", "#8e6bbf", "#3aa17e", "#c4577a", "#7f7f7f"]
TRACK_WIDTH = 0.56  # of a row's height


def _ms(delta: pd.Series) -> list[float]:
    return (delta.dt.total_seconds() * 1000).tolist()


def _iso(times: pd.Series) -> list[str]:
    return times.dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S").tolist()


def _hhmm(times: pd.Series) -> pd.Series:
    return times.dt.strftime("%d %b %H:%MZ")


def antenna_rows(stations: Sequence[Station], schedule: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Every antenna (scenario stations, plus any others in the schedule) → (group, antenna),
    ordered by agency, complex, antenna id."""
    known = {s.id: s for s in stations}
    ids = set(known) | {str(s) for s in schedule.station.unique()}

    def group(station_id: str) -> str:
        station = known.get(station_id)
        return f"{station.agency} · {station.complex}" if station else "other"

    return {i: (group(i), i) for i in sorted(ids, key=lambda i: (group(i), i))}


def _y(rows: dict[str, tuple[str, str]], stations: pd.Series) -> list[list[str]]:
    pairs = [rows[s] for s in stations]
    return [[p[0] for p in pairs], [p[1] for p in pairs]]


def _view_period_traces(view_periods: pd.DataFrame, rows: dict[str, tuple[str, str]]) -> list[go.Bar]:
    """One shading trace per target. They take no hover: plotly would give the hover to the
    wide shading rather than the track on top; each track's hover names its view period."""
    traces = []
    periods = view_periods[view_periods.station.isin(rows)]
    for index, (target, frame) in enumerate(periods.groupby("target", sort=True)):
        traces.append(
            go.Bar(
                name=str(target),
                legendgroup="view periods",
                legendgrouptitle_text="view periods",
                orientation="h",
                base=_iso(frame.start),
                x=_ms(frame.end - frame.start),
                y=_y(rows, frame.station),
                width=0.94,
                marker={"color": TARGET_COLOURS[index % len(TARGET_COLOURS)], "line": {"width": 0}},
                opacity=0.18,
                hoverinfo="skip",
            )
        )
    return traces


def _view_period_of(frame: pd.DataFrame, view_periods: pd.DataFrame) -> pd.Series:
    """For each track, the view period it lies in (same station and target), as hover text."""
    periods = view_periods.rename(columns={"start": "vp_start", "end": "vp_end"})
    pairs = frame[["station", "target", "start", "end"]].reset_index().merge(periods, on=["station", "target"])
    slack = pd.Timedelta(seconds=1)  # view-period edges are rounded to the second
    inside = pairs[(pairs.vp_start - slack <= pairs.start) & (pairs.end <= pairs.vp_end + slack)]
    inside = inside.drop_duplicates("index").set_index("index")
    text = (
        _hhmm(inside.vp_start)
        + " – "
        + _hhmm(inside.vp_end)
        + ", max elevation "
        + inside.max_elevation_deg.map("{:.1f}°".format)
    )
    return text.reindex(frame.index).fillna("–")


def _track_details(frame: pd.DataFrame, rows: dict[str, tuple[str, str]], view_periods: pd.DataFrame) -> list:
    hours = ((frame.end - frame.start).dt.total_seconds() / 3600).round(2)
    custom = pd.DataFrame(
        {
            "track": frame.track_id,
            "request": frame.request_id,
            "mission": frame.mission,
            "agency": frame.agency,
            "target": frame.target,
            "station": frame.station,
            "site": [rows[s][0] for s in frame.station],
            "setup": _hhmm(frame.setup_start),
            "start": _hhmm(frame.start),
            "end": _hhmm(frame.end),
            "teardown": _hhmm(frame.teardown_end),
            "hours": hours,
            "group": ("<br>array group " + frame.group).where(frame.group != "", ""),
            "data": _data_text(frame),
            "view_period": _view_period_of(frame, view_periods),
        }
    )
    return custom.to_numpy()


def _data_text(frame: pd.DataFrame) -> list[str]:
    """For tracks with a downlink: the data returned and the mean rate on target."""
    seconds = (frame.end - frame.start).dt.total_seconds()
    bits = frame.get("bits", pd.Series("", index=frame.index))
    return [
        f"<br>data rate {format_bits(float(b) / s)}/s (mean), {format_bits(float(b))} returned" if b and s else ""
        for b, s in zip(bits.astype(str), seconds, strict=True)
    ]


TRACK_HOVER = (
    "<b>%{customdata[0]}</b> %{customdata[1]}<br>"
    "%{customdata[2]} (%{customdata[3]}) on %{customdata[4]}<br>"
    "%{customdata[5]} · %{customdata[6]}<br>"
    "setup from %{customdata[7]}<br>"
    "on target %{customdata[8]} – %{customdata[9]} (%{customdata[11]} h)<br>"
    "teardown until %{customdata[10]}<br>"
    "in view period %{customdata[14]}"
    "%{customdata[13]}"
    "%{customdata[12]}<extra></extra>"
)


def _track_traces(schedule: pd.DataFrame, view_periods: pd.DataFrame, rows: dict[str, tuple[str, str]]) -> list[go.Bar]:
    traces = []
    common = {"orientation": "h", "width": TRACK_WIDTH, "hovertemplate": TRACK_HOVER}
    for index, (mission, frame) in enumerate(schedule.groupby("mission", sort=True)):
        colour = MISSION_COLOURS[index % len(MISSION_COLOURS)]
        custom = _track_details(frame, rows, view_periods)
        y = _y(rows, frame.station)
        traces.append(
            go.Bar(
                name=str(mission),
                legendgroup=str(mission),
                legendgrouptitle_text="missions" if index == 0 else None,
                base=_iso(frame.start),
                x=_ms(frame.end - frame.start),
                y=y,
                marker={"color": colour, "line": {"width": 0.5, "color": "white"}},
                customdata=custom,
                **common,
            )
        )
        edges = {"setup": (frame.setup_start, frame.start), "teardown": (frame.end, frame.teardown_end)}
        for part, (begin, finish) in edges.items():
            traces.append(
                go.Bar(
                    name=f"{mission} {part}",
                    legendgroup=str(mission),
                    showlegend=False,
                    base=_iso(begin),
                    x=_ms(finish - begin),
                    y=y,
                    marker={"color": colour, "opacity": 0.45, "pattern": {"shape": "/", "solidity": 0.4}},
                    customdata=custom,
                    **common,
                )
            )
    return traces


def _legend_key() -> go.Bar:
    """A legend entry explaining the hatched setup/teardown ends."""
    return go.Bar(
        name="setup / teardown",
        legendgroup="key",
        orientation="h",
        x=[None],
        y=[[None], [None]],
        marker={"color": "#888888", "opacity": 0.45, "pattern": {"shape": "/", "solidity": 0.4}},
        hoverinfo="skip",
    )


def gantt_figure(
    schedule: pd.DataFrame,
    view_periods: pd.DataFrame,
    stations: Sequence[Station],
    title: str,
    horizon: tuple[datetime, datetime] | None = None,
) -> go.Figure:
    rows = antenna_rows(stations, schedule)
    # An invisible first trace fixes the row order (plotly orders categories by first appearance).
    order = go.Scatter(
        x=[None] * len(rows), y=_y(rows, pd.Series(list(rows))), showlegend=False, hoverinfo="skip", mode="markers"
    )
    traces = [order, *_view_period_traces(view_periods, rows), *_track_traces(schedule, view_periods, rows)]
    if not schedule.empty:
        traces.append(_legend_key())
    figure = go.Figure(traces)
    legend_lines = sum(1 for t in traces if t.showlegend is not False) + 6  # entries and group titles
    x_range = [pd.Timestamp(t).tz_convert("UTC").strftime("%Y-%m-%dT%H:%M:%S") for t in horizon] if horizon else None
    figure.update_layout(
        title={"text": title, "x": 0.01, "y": 0.99, "yanchor": "top"},
        barmode="overlay",
        height=140 + max(44 * len(rows), 23 * legend_lines),
        margin={"l": 10, "r": 10, "t": 84, "b": 40},
        legend={"groupclick": "toggleitem", "tracegroupgap": 8},
        hoverlabel={"align": "left"},
        plot_bgcolor="white",
        font={"family": "DejaVu Sans, Arial, sans-serif", "size": 12},
    )
    figure.update_xaxes(
        type="date",
        range=x_range,
        title="UTC",
        tickformat="%a %d %b\n%H:%M",
        showgrid=True,
        gridcolor="#e6e6e6",
        rangeselector={
            "buttons": [
                {"count": 6, "label": "6 h", "step": "hour", "stepmode": "backward"},
                {"count": 1, "label": "1 day", "step": "day", "stepmode": "backward"},
                {"count": 3, "label": "3 days", "step": "day", "stepmode": "backward"},
                {"label": "all", "step": "all"},
            ]
        },
    )
    figure.update_yaxes(autorange="reversed", fixedrange=True, showdividers=True, dividercolor="#999999")
    return figure


def gantt_html(
    schedule: pd.DataFrame,
    view_periods: pd.DataFrame,
    stations: Sequence[Station],
    title: str,
    horizon: tuple[datetime, datetime] | None = None,
) -> str:
    """Self-contained page (plotly.js embedded) so it opens offline."""
    figure = gantt_figure(schedule, view_periods, stations, title, horizon)
    return figure.to_html(include_plotlyjs=True, full_html=True, config={"scrollZoom": True, "displaylogo": False})
