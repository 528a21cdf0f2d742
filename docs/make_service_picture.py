"""Make docs/service.png, the README's picture of the shared service: a campaign's page.

    .venv/bin/python docs/make_service_picture.py [--time-limit 10] [--solver cpsat]

Starts `jointtrack serve` on a temporary SQLite database with a coordinator and the default
scenario's agencies, posts the default scenario, plans it, logs in as the coordinator in
headless Chromium (Debian's `chromium`; see tests/support/browser.py) and takes a screenshot of the
campaign page: its Gantt chart, satisfaction by agency and mission, the cross-support ledger and
the unsatisfied requests.
"""

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scenarios import bundled_path  # noqa: E402
from tests.service.support import accounts, database, planned, start_server  # noqa: E402
from tests.support.browser import screenshot_signed_in  # noqa: E402

PICTURE = Path(__file__).with_name("service.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--solver", default="cpsat")
    parser.add_argument("--out", type=Path, default=PICTURE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, database("sqlite", Path(folder)) as url:
        tokens = accounts(url)
        server = start_server(url, tokens, Path(folder))
        try:
            text = bundled_path("default").read_text(encoding="utf-8")
            job = planned(server, "default", text, solver=args.solver, time_limit_s=args.time_limit)
            url = f"{server.url}/campaigns/default"
            errors = screenshot_signed_in(url, tokens["office"], "#gantt .barlayer .point", args.out)
        finally:
            server.stop()
    for error in errors:
        print(error, file=sys.stderr)
    print(f"wrote {args.out} (version {job['version']})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
