"""The schedule as an interactive Gantt chart (plotly, self-contained HTML)."""

import pandas as pd
import plotly.express as px


def gantt_figure(schedule: pd.DataFrame, title: str):
    """Antennas as rows, tracks coloured by mission, setup..teardown shown as the bar."""
    if schedule.empty:
        frame = pd.DataFrame({"station": [], "setup_start": [], "teardown_end": [], "mission": []})
    else:
        frame = schedule.assign(
            setup_start=schedule.setup_start.dt.tz_convert(None),
            teardown_end=schedule.teardown_end.dt.tz_convert(None),
            on_target=schedule.start.dt.strftime("%Y-%m-%d %H:%M") + " – " + schedule.end.dt.strftime("%H:%M"),
        )
    figure = px.timeline(
        frame,
        x_start="setup_start",
        x_end="teardown_end",
        y="station",
        color="mission",
        hover_data=[c for c in ("request_id", "target", "on_target") if c in frame.columns],
        title=title,
    )
    figure.update_yaxes(categoryorder="category descending", title=None)
    figure.update_xaxes(title="UTC")
    return figure


def gantt_html(schedule: pd.DataFrame, title: str) -> str:
    """Self-contained page (plotly.js embedded) so it opens offline."""
    return gantt_figure(schedule, title).to_html(include_plotlyjs=True, full_html=True)
