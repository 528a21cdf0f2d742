"""The urgent form and the outcomes on the campaign page, in a real headless Chromium against a
real server, on SQLite and PostgreSQL: an agency's late-add on full antennas shows what blocks
it and changes nothing; its emergency shows the tracks it displaced; reported outcomes appear as
planned vs executed per track and success per station (scenarios: see test_urgent.py and
test_outcomes.py)."""

from typing import Any

import pytest

from tests.service.support import Server, wait_job
from tests.service.test_outcomes import HEADER
from tests.service.test_outcomes import NOW as OUTCOMES_NOW
from tests.service.test_outcomes import campaign as outcomes_campaign
from tests.service.test_pages import browser, log_in, page  # noqa: F401  (the Chromium fixtures)
from tests.service.test_urgent import NOW, full_campaign

API = "/api/v1"


def fill_urgent(page: Any, request_id: str, tier: str) -> None:  # noqa: F811
    page.fill("#id", request_id)
    page.fill("#mission", "OMEGA")
    page.select_option("#target", "pole")
    page.fill("#priority", "1")
    page.fill("#duration", "2h")
    page.fill("#window_start", "2026-12-01T02:00:00Z")
    page.fill("#window_end", "2026-12-01T06:00:00Z")
    page.select_option("#tier", tier)
    page.fill("#now", NOW)
    page.click("#urgent-form button[type=submit]")
    page.wait_for_load_state()


@pytest.mark.slow
def test_the_urgent_form_shows_the_blocker_or_the_displaced(page: Any, server: Server) -> None:  # noqa: F811
    campaign = full_campaign(server)
    log_in(page, server, "NASA", f"/campaigns/{campaign}/urgent")
    fill_urgent(page, "LATE", "late-add")
    blocked = page.locator("#urgent-error").inner_text()
    assert "late-add LATE would displace" in blocked and "T0004 (LO, JAXA): shortened, 7200 s lost" in blocked
    assert page.locator("#urgent-result").count() == 0
    assert page.input_value("#id") == "LATE"  # the form keeps what was typed
    fill_urgent(page, "EM", "emergency")
    result = page.locator("#urgent-result").inner_text()
    assert "EM (emergency) is in version 2" in result and "TEST-B 2026-12-01T02:00:00Z" in result
    assert page.locator("#displaced tbody tr td").all_inner_texts() == ["T0004", "LO", "JAXA", "shortened", "7200"]
    assert [e for e in page.errors if "status of 409" not in e] == []  # the refusal's page is a 409


@pytest.mark.slow
def test_the_campaign_page_shows_planned_vs_executed_and_station_success(page: Any, server: Server) -> None:  # noqa: F811
    name = outcomes_campaign(server)
    with server.client("office") as office:
        sent = office.post(
            f"{API}/campaigns/{name}/outcomes",
            params={"now": OUTCOMES_NOW},
            content=HEADER
            + "T0001,failed,,,station\nT0002,partial,2026-12-01T00:00:00Z,2026-12-01T01:55:00Z,weather\n",
            headers={"Content-Type": "text/csv"},
        )
        assert sent.status_code == 202, sent.text
        assert wait_job(office, sent.json()["job"])["state"] == "done"
    log_in(page, server, "office", f"/campaigns/{name}")
    rows = [r.split("\t") for r in page.locator("#outcomes tbody tr").all_inner_texts()]
    assert [(r[0], r[1], r[2], r[4], r[5], r[7], r[8]) for r in rows] == [
        ("T0001 (v1)", "ONE", "TEST-E", "120", "failed", "", "station"),
        ("T0002 (v1)", "TWO", "TEST-N", "120", "partial", "115", "weather"),  # 115 of 120 min: over 90 %
    ]
    success = [r.split("\t") for r in page.locator("#station-success tbody tr").all_inner_texts()]
    assert success == [["TEST-E", "1", "0", "0 %"], ["TEST-N", "1", "1", "100 %"]]
    assert page.errors == []
