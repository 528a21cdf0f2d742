"""The Gantt page in a real headless Chromium (Debian's `chromium`): it loads without console
errors, draws something, shows a track's details on hover and zooms in time.

Without Chromium these tests skip, the reason shown in pytest's summary; with
JOINTTRACK_REQUIRE_BROWSER=1 (.ci/run sets it after installing Chromium) a missing browser fails.
"""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageStat

from scheduler.outputs.plan_outputs import PlanResult, plan_files
from tests.support.browser import BrowserMissing, PageLog, chromium_page, chromium_path, open_gantt


@pytest.fixture(scope="module")
def gantt_file(tiny_plan: PlanResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gantt") / "gantt.html"
    path.write_text(plan_files(tiny_plan)["gantt.html"], encoding="utf-8")
    return path


@pytest.fixture
def page(gantt_file: Path) -> Iterator[tuple[Any, PageLog]]:
    try:
        chromium_path()
        with chromium_page(width=1400, height=700) as (page, log):
            open_gantt(page, gantt_file)
            yield page, log
    except BrowserMissing as missing:
        if os.environ.get("JOINTTRACK_REQUIRE_BROWSER") == "1":
            pytest.fail(str(missing))
        pytest.skip(str(missing))


def x_range_hours(page: Any) -> float:
    return page.evaluate(
        """() => {
            const range = document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range;
            return (new Date(range[1]) - new Date(range[0])) / 3600e3;
        }"""
    )


@pytest.mark.slow
def test_gantt_page_loads_without_console_errors_and_is_not_blank(
    page: tuple[Any, PageLog], tiny_plan: PlanResult, tmp_path: Path
) -> None:
    browser_page, log = page
    shot = tmp_path / "gantt.png"
    browser_page.screenshot(path=str(shot), full_page=True)
    assert log.errors == []
    image = Image.open(shot).convert("RGB")
    assert image.width == 1400 and image.height > 300
    assert max(ImageStat.Stat(image).stddev) > 20  # not one flat colour
    assert len(image.getcolors(maxcolors=1 << 20)) > 50  # bars, shading, text: many colours
    # every track drawn: one on-target bar, one setup and one teardown bar each
    bars = browser_page.evaluate(
        """() => document.querySelector('.js-plotly-plot')._fullData
            .filter(t => t.legendgroup && t.legendgroup !== 'view periods' && t.legendgroup !== 'key')
            .reduce((n, t) => n + t.x.length, 0)"""
    )
    assert bars == 3 * len(tiny_plan.schedule)


@pytest.mark.slow
def test_hovering_a_track_shows_its_details(page: tuple[Any, PageLog], tiny_plan: PlanResult) -> None:
    browser_page, log = page
    mission = sorted(tiny_plan.schedule.mission)[0]
    first = tiny_plan.schedule[tiny_plan.schedule.mission == mission].iloc[0]
    index = browser_page.evaluate(
        "name => document.querySelector('.js-plotly-plot')._fullData"
        ".filter(t => t.type === 'bar').findIndex(t => t.name === name)",
        mission,
    )
    box = browser_page.locator(".barlayer .trace").nth(index).locator(".point path").first.bounding_box()
    browser_page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    label = browser_page.locator(".hoverlayer .hovertext")
    label.wait_for(timeout=5_000)
    text = label.text_content()
    assert first.track_id in text and first.request_id in text and first.station in text
    assert "on target" in text and "setup from" in text
    assert log.errors == []


@pytest.mark.slow
def test_range_buttons_zoom_in_time(page: tuple[Any, PageLog]) -> None:
    browser_page, log = page
    assert x_range_hours(browser_page) == pytest.approx(48, abs=0.01)  # the whole tiny-moon horizon
    browser_page.locator(".rangeselector .button", has_text="6 h").click()
    browser_page.wait_for_function(
        "() => { const r = document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range;"
        " return (new Date(r[1]) - new Date(r[0])) < 7 * 3600e3; }"
    )
    assert x_range_hours(browser_page) == pytest.approx(6, abs=0.01)
    browser_page.locator(".rangeselector .button", has_text="all").click()
    browser_page.wait_for_function(
        "() => { const r = document.querySelector('.js-plotly-plot')._fullLayout.xaxis.range;"
        " return (new Date(r[1]) - new Date(r[0])) > 24 * 3600e3; }"
    )
    assert log.errors == []
