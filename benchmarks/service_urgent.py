"""Urgent insertion through the real `jointtrack serve`: how long an agency waits for an emergency.

    python benchmarks/service_urgent.py [--scenario dsn-week] [--requests 10]

A fresh SQLite database, the accounts, the server as a subprocess, the scenario posted and
planned (greedy, 30 s). Then `--requests` emergencies of NASA one after another (targets in
turn from the scenario's, durations 1-4 h, `now` stepping an hour each from the second day, the
window to the middle of the third), each answered at once as a new version; the repair job each
queues is waited for before the next. Printed: the HTTP answer time (median, worst), the
engine's `decision_s` and the service's `answer_s` (median, worst), and the tracks displaced.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.service.support import accounts, start_server, wait_job  # noqa: E402


def emergency(n: int, targets: list[str], day: str) -> dict:
    """The n-th urgent request: a target in turn, 1-4 h, from `now` to the middle of the next day."""
    return {
        "request": {
            "id": f"EM{n}",
            "mission": "URGENT",
            "target": targets[n % len(targets)],
            "priority": 1,
            "duration": f"{1 + n % 4}h",
            "window": {"start": f"{day}T{n:02d}:00:00Z", "end": f"{day[:-2]}{int(day[-2:]) + 1:02d}T12:00:00Z"},
        },
        "tier": "emergency",
        "now": f"{day}T{n:02d}:00:00Z",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", default="dsn-week", help="a bundled scenario (without OEM files)")
    parser.add_argument("--requests", type=int, default=10, choices=range(1, 24), metavar="1..23")
    options = parser.parse_args()
    import yaml

    text = (REPO / "scenarios" / f"{options.scenario}.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    targets = [t["id"] for t in data["targets"]]
    start = str(data["start"])[:10]
    day = f"{start[:-2]}{int(start[-2:]) + 1:02d}"
    directory = Path(tempfile.mkdtemp())
    url = f"sqlite:///{directory / 'urgent.db'}"
    server = start_server(url, accounts(url), directory)
    try:
        with server.client("office") as office, server.client("NASA") as nasa:
            name = data["name"]
            assert office.post("/api/v1/campaigns", content=text).status_code == 201
            job = office.post(f"/api/v1/campaigns/{name}/plans", json={"solver": "greedy", "time_limit_s": 30})
            assert wait_job(office, job.json()["job"], 1800)["state"] == "done"
            walls, decisions, answers, displaced = [], [], [], []
            for n in range(options.requests):
                began = time.perf_counter()
                answer = nasa.post(f"/api/v1/campaigns/{name}/urgent", json=emergency(n, targets, day))
                wall = time.perf_counter() - began
                if answer.status_code != 201:
                    print(f"EM{n}: {answer.status_code} {answer.json()['error']}")
                    continue
                body = answer.json()
                walls.append(wall)
                decisions.append(body["decision_s"])
                answers.append(body["answer_s"])
                displaced.append(len(body["displaced"]))
                if body["repair_job"] is not None:
                    wait_job(office, body["repair_job"], 600)
        for label, values in (("HTTP answer", walls), ("decision_s", decisions), ("answer_s", answers)):
            print(f"{label}: median {statistics.median(values):.3f} s, worst {max(values):.3f} s")
        print(f"answered {len(walls)} of {options.requests}; tracks displaced: {displaced}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
