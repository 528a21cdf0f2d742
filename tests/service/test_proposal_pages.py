"""The negotiation's pages in a real headless Chromium against a real server, on SQLite and
PostgreSQL: an agency's inbox; a proposal page with its diff Gantt and party table; a counter
from the edit form of the agency's own requests; a rejection needing its reason (shown as text);
the coordinator's forced apply."""

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.service.negotiation import API, R, baselined, proposed
from tests.service.support import Server, unique
from tests.service.test_pages import browser, log_in  # noqa: F401  (the module's Chromium fixture)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:  # noqa: F811
    """A page in a fresh context (one log-in each), recording console errors."""
    contexts = []

    def make() -> Any:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        contexts.append(context)
        tab = context.new_page()
        tab.errors = []
        tab.on("console", lambda m: tab.errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: tab.errors.append(str(e)))
        return tab

    yield make
    for context in contexts:
        context.close()


@pytest.mark.slow  # ~25 s: three log-ins, six pages with plotly, a counter's job
def test_a_negotiation_through_the_pages(open_page: Any, server: Server) -> None:
    name = unique("pages-negotiate")
    baselined(server, name)
    with server.client("NASA") as nasa:
        first = proposed(nasa, name)
    jaxa = open_page()
    log_in(jaxa, server, "JAXA", "/inbox")
    jaxa.click(f"#inbox a[href='/proposals/{first['id']}']")
    jaxa.wait_for_selector("#diff-gantt .barlayer .point", state="attached", timeout=30_000)
    rows = jaxa.locator("#parties tbody tr td:first-child").all_inner_texts()
    assert rows == ["ESA", "JAXA", "NASA"] and jaxa.errors == []
    ticks = jaxa.locator("#diff-gantt .ytick text").all_text_contents()
    rows = [("ESA", "TEST-A"), ("JAXA", "TEST-A"), ("NASA", "TEST-A"), ("NASA", "TEST-B")]
    assert sorted(ticks) == [f"{a} · {s} · {side}" for a, s in rows for side in ("baseline", "proposal")]
    own = jaxa.input_value("#counter-requests")
    assert "id: R" in own and "id: P" not in own  # only JAXA's own requests
    freed = {k: v for k, v in R.items() if k != "window"}
    jaxa.fill("#counter-requests", json.dumps([freed]))
    jaxa.fill("#counter-reason", "anywhere on TEST-A")
    jaxa.click("#counter-form button[type=submit]")
    jaxa.wait_for_selector("#job-result a", timeout=120_000)
    jaxa.click("#job-result a")
    assert jaxa.inner_text("#proposal-state") == "open" and "round 2" in jaxa.inner_text("main")

    esa = open_page()
    log_in(esa, server, "ESA", "/inbox")
    links = esa.locator("#inbox tbody a").all_inner_texts()
    second = int(links[0].split()[-1])
    assert f"proposal {first['id']}" not in links  # superseded: no longer awaiting an answer
    esa.click("#inbox tbody a")
    esa.click("#reject-form button[type=submit]")
    assert esa.get_attribute("#proposal-error", "data-field") == "reason"
    esa.fill("#reject-reason", "<b>P</b> is needed & cannot move")
    esa.click("#reject-form button[type=submit]")
    esa.wait_for_url(f"{server.url}/proposals/{second}")
    assert esa.inner_text("#proposal-state") == "rejected"
    assert "<b>P</b> is needed & cannot move" in esa.inner_text("#parties") and esa.locator("#parties b").count() == 0

    office = open_page()
    log_in(office, server, "office", f"/proposals/{second}")
    office.click("#apply-form button[type=submit]")
    assert "not every asked agency concurred" in office.inner_text("#proposal-error")
    office.check("#apply-force")
    office.fill("#apply-reason", "U cannot wait")
    office.click("#apply-form button[type=submit]")
    office.wait_for_url(f"{server.url}/proposals/{second}")
    assert office.inner_text("#proposal-state") == "applied"
    with server.client("office") as client:
        assert client.get(f"{API}/campaigns/{name}").json()["baseline"] == 2
