"""A page in headless Chromium: what its console said, and a screenshot.

For the browser test of the Gantt chart and for `docs/make_picture.py`. It drives the
system's Chromium (Debian's `chromium` package) through Playwright and never downloads a
browser. Needs the `playwright` package (in the `test` extra).
"""

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Flags for a root user on a machine without network: no sandbox (root), no GPU, and nothing
# that phones home. Playwright gives every launch a fresh, empty profile directory.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
INSTALL_HINT = (
    "install Debian's Chromium with `apt-get install -y chromium` (as root; .ci/run does this), "
    "or set JOINTTRACK_CHROMIUM to the path of a Chromium binary"
)


class BrowserMissing(RuntimeError):
    """No Chromium binary, or no Playwright package, to render pages with."""


def chromium_path() -> Path:
    """The Chromium to use: $JOINTTRACK_CHROMIUM, else `chromium` on the PATH."""
    named = os.environ.get("JOINTTRACK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not named or not Path(named).is_file():
        raise BrowserMissing(f"no Chromium found; {INSTALL_HINT}")
    return Path(named)


@dataclass
class PageLog:
    """Console errors and uncaught exceptions of a page, as they happen."""

    errors: list[str] = field(default_factory=list)

    def on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def on_page_error(self, error: Any) -> None:
        self.errors.append(f"exception: {error}")


@contextmanager
def chromium_page(width: int = 1600, height: int = 900) -> Iterator[tuple[Any, PageLog]]:
    """A fresh headless Chromium page (Playwright `Page`) and the log of its errors."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BrowserMissing("the playwright package is missing; pip install 'jointtrack[test]'") from None
    executable = chromium_path()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            log = PageLog()
            page.on("console", log.on_console)
            page.on("pageerror", log.on_page_error)
            yield page, log
        finally:
            browser.close()


def open_gantt(page: Any, html: Path) -> None:
    """Load a Gantt page and wait until plotly has drawn its bars."""
    page.goto(html.resolve().as_uri())
    page.wait_for_selector(".js-plotly-plot .barlayer .point", state="attached", timeout=30_000)


def screenshot_gantt(html: Path, png: Path, width: int = 1600) -> list[str]:
    """Write a PNG of the whole Gantt page; return the page's console errors."""
    with chromium_page(width=width, height=600) as (page, log):
        open_gantt(page, html)
        page.screenshot(path=str(png), full_page=True)
        return log.errors


def screenshot_signed_in(url: str, token: str, drawn: str, png: Path) -> list[str]:
    """Sign in to a service page at `url` with `token`, wait until `drawn` (a CSS selector) is
    on it, write a PNG of the whole page; return the page's console errors."""
    with chromium_page(width=1400, height=900) as (page, log):
        page.goto(url)
        page.fill("#token", token)
        page.click("button[type=submit]")
        page.wait_for_selector(drawn, state="attached", timeout=60_000)
        page.screenshot(path=str(png), full_page=True)
        return log.errors
