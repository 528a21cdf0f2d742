"""The Gantt chart's figure: rows, bars, shading and hover text (the page itself: test_gantt_browser)."""

import re

import pandas as pd
import pytest

from scheduler.outputs.exports.records import schedule_from_records
from scheduler.outputs.gantt import gantt_figure, gantt_html
from stations import Station, load_catalog

ESA = [
    Station(id="NNO-1", kind="radio", lat_deg=-31.05, lon_deg=116.19, height_m=252, agency="ESA", complex="New Norcia"),
    Station(id="CEB-1", kind="radio", lat_deg=-33.0, lon_deg=-69.4, height_m=1550, agency="ESA", complex="Cebreros"),
]
STATIONS = [load_catalog()["DSS-63"], load_catalog()["DSS-14"], *ESA]
HORIZON = (pd.Timestamp("2026-12-07T00:00Z"), pd.Timestamp("2026-12-08T00:00Z"))


def track(track_id: str, station: str, mission: str, agency: str, start: str, minutes: int) -> dict:
    begin = pd.Timestamp(start)
    return {
        "track_id": track_id,
        "request_id": f"{mission}-R",
        "mission": mission,
        "agency": agency,
        "target": "mars",
        "station": station,
        "setup_start": (begin - pd.Timedelta(minutes=45)).isoformat(),
        "start": begin.isoformat(),
        "end": (begin + pd.Timedelta(minutes=minutes)).isoformat(),
        "teardown_end": (begin + pd.Timedelta(minutes=minutes + 15)).isoformat(),
        "group": "",
    }


@pytest.fixture(scope="module")
def schedule() -> pd.DataFrame:
    return schedule_from_records(
        [
            track("T1", "DSS-63", "TGO", "ESA", "2026-12-07T02:00Z", 240),
            track("T2", "NNO-1", "MRO", "NASA", "2026-12-07T08:00Z", 180),
            track("T3", "DSS-63", "MRO", "NASA", "2026-12-07T12:00Z", 120),
        ]
    )


@pytest.fixture(scope="module")
def view_periods() -> pd.DataFrame:
    times = pd.to_datetime(
        ["2026-12-07T01:00Z", "2026-12-07T15:00Z", "2026-12-07T07:00Z", "2026-12-07T12:00Z"], utc=True
    )
    return pd.DataFrame(
        {
            "station": ["DSS-63", "NNO-1"],
            "target": ["mars", "mars"],
            "start": times[[0, 2]],
            "end": times[[1, 3]],
            "max_elevation_deg": [55.2, 61.0],
        }
    )


@pytest.fixture(scope="module")
def figure(schedule: pd.DataFrame, view_periods: pd.DataFrame):
    return gantt_figure(schedule, view_periods, STATIONS, "test", HORIZON)


def trace(figure, name: str):
    return next(t for t in figure.data if t.name == name)


def test_rows_are_every_antenna_grouped_by_agency_and_complex_idle_ones_too(figure) -> None:
    order = figure.data[0]  # the trace that fixes the row order
    assert list(zip(*order.y, strict=True)) == [
        ("ESA · Cebreros", "CEB-1"),
        ("ESA · New Norcia", "NNO-1"),
        ("NASA · Goldstone", "DSS-14"),
        ("NASA · Madrid", "DSS-63"),
    ]
    assert figure.layout.yaxis.autorange == "reversed"  # first row on top


def test_each_track_is_drawn_on_target_with_setup_and_teardown_apart(figure) -> None:
    mro = trace(figure, "MRO")
    assert list(mro.base) == ["2026-12-07T08:00:00", "2026-12-07T12:00:00"]
    assert list(mro.x) == [3 * 3_600_000, 2 * 3_600_000]
    assert list(zip(*mro.y, strict=True)) == [("ESA · New Norcia", "NNO-1"), ("NASA · Madrid", "DSS-63")]
    setup, teardown = trace(figure, "MRO setup"), trace(figure, "MRO teardown")
    assert list(setup.base) == ["2026-12-07T07:15:00", "2026-12-07T11:15:00"]
    assert list(setup.x) == [45 * 60_000] * 2
    assert list(teardown.base) == ["2026-12-07T11:00:00", "2026-12-07T14:00:00"]
    assert setup.marker.pattern.shape == "/" and mro.marker.pattern.shape is None
    assert setup.marker.color == mro.marker.color != trace(figure, "TGO").marker.color
    assert setup.legendgroup == mro.legendgroup == "MRO"  # one legend click hides the whole track


def test_view_periods_are_shaded_behind_the_tracks_with_their_own_hover(figure) -> None:
    shading = trace(figure, "mars")
    assert shading.legendgroup == "view periods" and shading.opacity < 0.5
    assert list(shading.base) == ["2026-12-07T01:00:00", "2026-12-07T07:00:00"]
    assert figure.data.index(shading) < figure.data.index(trace(figure, "MRO"))  # drawn first, so behind
    assert shading.hoverinfo == "skip"  # the track on top takes the hover, and names its view period
    assert list(trace(figure, "TGO").customdata[0])[-1] == "07 Dec 01:00Z – 07 Dec 15:00Z, max elevation 55.2°"


def test_hover_names_track_request_mission_station_and_times(figure) -> None:
    tgo = trace(figure, "TGO")
    details = list(tgo.customdata[0])
    assert details[:7] == ["T1", "TGO-R", "TGO", "ESA", "mars", "DSS-63", "NASA · Madrid"]
    assert details[7:11] == ["07 Dec 01:15Z", "07 Dec 02:00Z", "07 Dec 06:00Z", "07 Dec 06:15Z"]
    assert "%{customdata[0]}" in tgo.hovertemplate and "setup from" in tgo.hovertemplate


def test_time_axis_zooms_with_range_buttons_over_the_horizon(figure) -> None:
    axis = figure.layout.xaxis
    assert axis.type == "date" and list(axis.range) == ["2026-12-07T00:00:00", "2026-12-08T00:00:00"]
    assert [b.label for b in axis.rangeselector.buttons] == ["6 h", "1 day", "3 days", "all"]
    assert figure.layout.yaxis.fixedrange  # zoom moves time only


def test_page_is_self_contained_so_it_opens_offline(schedule: pd.DataFrame, view_periods: pd.DataFrame) -> None:
    html = gantt_html(schedule, view_periods, STATIONS, "test")
    assert not re.search(r"<script[^>]+src=", html)
    assert "Plotly.newPlot" in html and len(html) > 1_000_000  # plotly.js is embedded


def test_an_empty_schedule_still_shows_the_antennas(view_periods: pd.DataFrame) -> None:
    figure = gantt_figure(schedule_from_records([]), view_periods, STATIONS, "empty")
    assert len(figure.data[0].y[1]) == 4
    assert [t.name for t in figure.data[1:]] == ["mars"]
