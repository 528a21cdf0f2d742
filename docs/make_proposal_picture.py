"""Make docs/proposal.png, the README's picture of a proposal page of the shared service.

    .venv/bin/python docs/make_proposal_picture.py

Starts `jointtrack serve` on a temporary SQLite database, makes the negotiation campaign of the
service's tests (tests/service/negotiation.py: ESA's P and JAXA's R baselined on TEST-A, NASA's
new U in their way), has NASA propose, logs in as JAXA in headless Chromium (Debian's
`chromium`; see tests/support/browser.py) and takes a screenshot of the proposal's page: the
party table, the diff Gantt and JAXA's answer forms.
"""

import argparse
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.service.negotiation import baselined, proposed  # noqa: E402
from tests.service.support import accounts, database, start_server  # noqa: E402
from tests.support.browser import screenshot_signed_in  # noqa: E402

PICTURE = Path(__file__).with_name("proposal.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=PICTURE)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, database("sqlite", Path(folder)) as url:
        tokens = accounts(url)
        server = start_server(url, tokens, Path(folder))
        try:
            baselined(server, "negotiation")
            with server.client("NASA") as nasa:
                proposal = proposed(nasa, "negotiation")
            url = f"{server.url}/proposals/{proposal['id']}"
            errors = screenshot_signed_in(url, tokens["JAXA"], "#diff-gantt .barlayer .point", args.out)
        finally:
            server.stop()
    for error in errors:
        print(error, file=sys.stderr)
    print(f"wrote {args.out} (proposal {proposal['id']})")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
