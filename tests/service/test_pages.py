"""The pages in a real headless Chromium against a real server, on SQLite and PostgreSQL: log-in
into a strict, HttpOnly session; the campaign page with its Gantt chart, satisfaction, ledger and
unsatisfied requests; an agency's requests with errors beside the field and text shown as text;
a plan's progress; the version history and a diff; forms refused without the session's CSRF token.

Without Chromium these tests skip, the reason shown in pytest's summary; with
JOINTTRACK_REQUIRE_BROWSER=1 (.ci/run sets it) a missing browser fails them.
"""

import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from scheduler.timeutil import DURATION_HINT
from tests.service.support import Server, planned, unique
from tests.support.browser import CHROMIUM_FLAGS, BrowserMissing, chromium_path

API = "/api/v1"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        executable = chromium_path()
        from playwright.sync_api import sync_playwright
    except (BrowserMissing, ImportError) as missing:
        if os.environ.get("JOINTTRACK_REQUIRE_BROWSER") == "1":
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh browser context (no cookies) and its page, recording console errors and dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.errors, tab.dialogs = [], []
    tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: tab.errors.append(str(e)))
    tab.on("dialog", lambda d: (tab.dialogs.append(d.message), d.dismiss()))
    yield tab
    context.close()


@pytest.fixture(scope="module")
def campaign(server: Server) -> str:
    name = unique("pages")
    assert planned(server, name)["state"] == "done"
    return name


def log_in(page: Any, server: Server, name: str, path: str) -> None:
    page.goto(server.url + path)
    assert page.url.startswith(f"{server.url}/login")
    page.fill("#token", server.tokens[name])
    page.click("button[type=submit]")
    page.wait_for_url(server.url + path)


@pytest.mark.slow
def test_log_in_opens_a_strict_session_and_the_campaign_page_shows_the_schedule(
    page: Any, server: Server, campaign: str
) -> None:
    log_in(page, server, "office", f"/campaigns/{campaign}")
    session = next(c for c in page.context.cookies() if c["name"] == "jt_session")
    assert session["httpOnly"] is True and session["sameSite"] == "Strict"
    assert server.tokens["office"] not in str(page.context.cookies())
    page.wait_for_selector("#gantt .barlayer .point", state="attached", timeout=30_000)
    agencies = page.locator("#agencies tbody tr td:first-child").all_inner_texts()
    missions = page.locator("#missions tbody tr td:first-child").all_inner_texts()
    assert agencies == ["ESA", "NASA"] and missions == ["LRO", "MRO", "TGO"]
    assert page.locator("#ledger tbody tr").count() >= 1
    assert page.locator("#unsatisfied").count() == 1
    assert page.errors == []  # plotly runs under the page's content security policy


@pytest.mark.slow
def test_an_agency_adds_and_edits_its_requests_with_errors_beside_the_field(
    page: Any, server: Server, campaign: str
) -> None:
    log_in(page, server, "NASA", f"/campaigns/{campaign}/requests")
    assert page.locator("#request-list tbody tr").count() == 2  # NASA's two, not ESA's
    page.fill("#id", "LRO-late")
    page.fill("#mission", "LRO")
    page.fill("#duration", "0h")
    page.fill("#note", "<script>alert('x')</script> & <b>bold</b>")
    page.click("#request-form button[type=submit]")
    assert page.inner_text("#duration-error") == f"must be a positive duration (got '0h'); fix: {DURATION_HINT}"
    assert page.input_value("#id") == "LRO-late"  # the form keeps what was typed
    page.fill("#duration", "2h")
    page.click("#request-form button[type=submit]")
    page.wait_for_selector("#row-LRO-late")
    assert page.inner_text("#row-LRO-late td.note") == "<script>alert('x')</script> & <b>bold</b>"
    assert page.locator("#row-LRO-late td.note b").count() == 0 and page.dialogs == []
    page.click("#row-LRO-late a")
    page.fill("#priority", "2")
    with server.client("NASA") as nasa:  # meanwhile another NASA planner saves it
        row = nasa.get(f"{API}/campaigns/{campaign}/requests/LRO-late").json()
        nasa.put(
            row_path := f"{API}/campaigns/{campaign}/requests/LRO-late",
            json={**row["request"], "tracks": 2},
            headers={"If-Match": "1"},
        )
    page.click("#request-form button[type=submit]")
    assert "changed since you read it" in page.inner_text("#form-error")
    page.goto(f"{server.url}/campaigns/{campaign}/requests/LRO-late")
    page.fill("#priority", "2")
    page.click("#request-form button[type=submit]")
    page.wait_for_url(f"{server.url}/campaigns/{campaign}/requests")
    with server.client("NASA") as nasa:
        saved = nasa.get(row_path).json()
    assert saved["version"] == 3 and saved["request"]["priority"] == 2 and saved["request"]["tracks"] == 2


def test_forms_without_the_sessions_csrf_token_are_refused(page: Any, server: Server, campaign: str) -> None:
    log_in(page, server, "NASA", f"/campaigns/{campaign}/requests")
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    form = {"id": "FORGED", "mission": "LRO", "target": "moon", "duration": "1h"}
    with httpx.Client(base_url=server.url, cookies=cookies) as forger:
        refused = forger.post(f"/campaigns/{campaign}/requests", data=form)
        wrong = forger.post(f"/campaigns/{campaign}/requests", data={**form, "csrf": "guess"})
    assert refused.status_code == 403 and wrong.status_code == 403
    with server.client("NASA") as nasa:
        assert nasa.get(f"{API}/campaigns/{campaign}/requests/FORGED").status_code == 404


@pytest.mark.slow
def test_a_plan_shows_its_progress_and_the_history_its_diff(page: Any, server: Server, campaign: str) -> None:
    with server.client("ESA") as esa:
        esa.delete(f"{API}/campaigns/{campaign}/requests/RELAY", headers={"If-Match": "1"})
    log_in(page, server, "office", f"/campaigns/{campaign}")
    page.select_option("#solver", "greedy")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url(f"{server.url}/jobs/*")
    assert page.locator("#job-progress").count() == 1
    page.wait_for_selector("#job-result", timeout=120_000)  # the page refreshes itself until the job is done
    assert page.inner_text("#job-state") == "done"
    page.click("#job-result a")
    page.goto(f"{server.url}/campaigns/{campaign}/versions")
    rows = page.locator("#version-list tbody tr")
    assert rows.count() >= 2
    last = int(rows.first.locator("td").first.inner_text())
    page.click(f"text=from {last - 1}")
    counts = page.inner_text("#diff-counts")
    assert "dropped" in counts and page.locator("#diff tr.dropped").count() >= 1
    dropped = page.locator("#diff tr.dropped td:nth-child(2)").all_inner_texts()
    assert set(dropped) == {"RELAY"}
    assert page.errors == []
