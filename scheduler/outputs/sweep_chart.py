"""sweep.html: every variant's satisfaction and U_max by kind, and mean hours per agency (plotly)."""

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

BASE_COLUMNS = ["variant", "kind", "run", "seed", "satisfaction", "U_max", "U_rms", "scheduled_h", "tracks", "status"]


def sweep_html(table: pd.DataFrame, title: str) -> str:
    """Satisfaction and U_max of every variant by kind, and mean hours per agency by kind."""
    figure = make_subplots(
        rows=1, cols=2, subplot_titles=("satisfied requests and U_max per variant", "mean hours per agency")
    )
    for column, colour in (("satisfaction", "#1f77b4"), ("U_max", "#d62728")):
        figure.add_trace(
            go.Box(
                x=table.kind,
                y=table[column],
                name=column,
                boxpoints="all",
                marker_color=colour,
                text=table.variant,
                hovertemplate="%{text}: %{y:.3f}<extra></extra>",
            ),
            row=1,
            col=1,
        )
    agencies = [c for c in table.columns if c not in BASE_COLUMNS]
    means = table.groupby("kind", sort=False)[agencies].mean()
    for agency in agencies:
        figure.add_trace(go.Bar(x=means.index, y=means[agency], name=agency.removesuffix("_h")), row=1, col=2)
    figure.update_layout(title=title, boxmode="group", barmode="stack", template="plotly_white")
    figure.update_yaxes(title_text="fraction", row=1, col=1)
    figure.update_yaxes(title_text="hours on target", row=1, col=2)
    return figure.to_html(include_plotlyjs=True, full_html=True, config={"displaylogo": False})
