"""Make docs/schedule.png, the README's picture: the Gantt chart of the default plan.

    .venv/bin/python docs/make_picture.py [--time-limit 30]

Plans the embedded default scenario, writes its gantt.html to a temporary folder and takes
a screenshot of it in headless Chromium (Debian's `chromium`; see scheduler/browser.py).
"""

import argparse
import sys
import tempfile
from pathlib import Path

from scenarios import bundled_path
from scheduler.inputs import load_scenario
from scheduler.outputs.plan_outputs import plan_files
from scheduler.solvers import SolverSettings
from scheduler.workflows.plan import run_plan
from tests.support.browser import screenshot_gantt

PICTURE = Path(__file__).with_name("schedule.png")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=30.0)
    parser.add_argument("--out", type=Path, default=PICTURE)
    args = parser.parse_args()
    result = run_plan(load_scenario(bundled_path("default")), SolverSettings(time_limit_s=args.time_limit))
    with tempfile.TemporaryDirectory() as folder:
        html = Path(folder) / "gantt.html"
        html.write_text(plan_files(result)["gantt.html"], encoding="utf-8")
        errors = screenshot_gantt(html, args.out)
    for error in errors:
        print(error, file=sys.stderr)
    print(f"wrote {args.out} ({result.summary['tracks']} tracks)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
