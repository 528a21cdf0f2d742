"""Service benchmark: the real `jointtrack serve` under 50 readers of the schedule and 10 writers
of requests at once, on SQLite and on PostgreSQL.

    python benchmarks/service.py [--seconds 60] [--readers 50] [--writers 10] [--think 1.0]
                                 [--backend sqlite|postgresql|both] [--scenario default] [--postgres URL]

For each backend: a fresh database (a temporary SQLite file; a new PostgreSQL database on the
server `--postgres` names, dropped afterwards), a coordinator and three agencies, the server as
a subprocess, the scenario posted and planned (greedy). Then for `--seconds`: every reader asks
for the latest schedule (`GET …/schedule?format=json`), pauses (uniform 0..2·`--think` s, as a
person or a polling tool would) and asks again; every writer (one agency's planner) edits its
own requests (`PUT` with `If-Match`), one write in ten adding a new request (`POST`), with the
same pauses. `--think 0` sends the next request as soon as the answer is in (saturation: the
latency is then the queue of 60 clients over the throughput). Measured per kind: requests,
throughput, p50 and p95 latency, answers with a 5xx status; then lost writes: acknowledged
additions missing from the campaign, and acknowledged edits whose request does not end at the
version and note they made; and the CPU time per request of the server and of the clients. The
clients run in this process (asyncio, httpx) on the same machine as the server.
"""

import argparse
import asyncio
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from scenarios import bundled_path  # noqa: E402
from tests.service.support import accounts, database, start_server, wait_job  # noqa: E402

AGENCIES = ["NASA", "ESA", "JAXA"]
OWN = 5  # requests each writer edits


@dataclass
class Tally:
    """Latencies and statuses per kind of request, and what the writers were told."""

    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    added: set[str] = field(default_factory=set)
    edits: dict[str, tuple[int, str]] = field(default_factory=dict)  # request → (version, note) acknowledged

    def record(self, kind: str, began: float, status: int) -> None:
        self.latency[kind].append(time.perf_counter() - began)
        if status >= 500:
            self.errors[kind] += 1


async def pause(think_s: float, rng: random.Random) -> None:
    """A person's pause between two requests: uniform in 0..2·think_s (none when 0)."""
    if think_s > 0:
        await asyncio.sleep(rng.uniform(0, 2 * think_s))


async def reader(client: httpx.AsyncClient, path: str, until: float, tally: Tally, think_s: float, seed: int) -> None:
    rng = random.Random(seed)
    await pause(think_s, rng)  # readers do not all start at once
    while time.perf_counter() < until:
        began = time.perf_counter()
        answer = await client.get(path, params={"format": "json"})
        tally.record("read schedule", began, answer.status_code)
        await pause(think_s, rng)


async def writer(client: httpx.AsyncClient, path: str, number: int, until: float, tally: Tally, think_s: float) -> None:
    versions = {f"B{number}-{k}": 1 for k in range(OWN)}
    made, rng = 0, random.Random(1000 + number)
    await pause(think_s, rng)
    while time.perf_counter() < until:
        began = time.perf_counter()
        if made % 10 == 9:
            request_id = f"B{number}-new-{made}"
            body = {"id": request_id, "mission": f"B{number}", "target": "moon", "duration": "1h"}
            answer = await client.post(path, json=body)
            tally.record("add request", began, answer.status_code)
            if answer.status_code == 201:
                tally.added.add(request_id)
        else:
            request_id = f"B{number}-{made % OWN}"
            note = f"edit {made}"
            body = {"id": request_id, "mission": f"B{number}", "target": "moon", "duration": "1h", "note": note}
            answer = await client.put(
                f"{path}/{request_id}", json=body, headers={"If-Match": str(versions[request_id])}
            )
            tally.record("edit request", began, answer.status_code)
            if answer.status_code == 200:
                versions[request_id] = answer.json()["version"]
                tally.edits[request_id] = (versions[request_id], note)
        made += 1
        await pause(think_s, rng)


def prepare(server_url: str, tokens: dict[str, str], scenario: str, writers: int) -> str:
    """Post and plan the scenario, and give each writer its requests; the campaign id."""
    name = f"bench-{secrets.token_hex(3)}"
    text = bundled_path(scenario).read_text(encoding="utf-8").replace(f"name: {scenario}", f"name: {name}", 1)
    office = httpx.Client(base_url=server_url, headers={"Authorization": f"Bearer {tokens['office']}"}, timeout=120)
    assert office.post("/api/v1/campaigns", content=text).status_code == 201
    target = "moon"
    for number in range(writers):
        agency = AGENCIES[number % len(AGENCIES)]
        with httpx.Client(base_url=server_url, headers={"Authorization": f"Bearer {tokens[agency]}"}) as client:
            for k in range(OWN):
                body = {"id": f"B{number}-{k}", "mission": f"B{number}", "target": target, "duration": "1h"}
                assert client.post(f"/api/v1/campaigns/{name}/requests", json=body).status_code == 201
    job = office.post(f"/api/v1/campaigns/{name}/plans", json={"solver": "greedy", "time_limit_s": 10}).json()["job"]
    assert wait_job(office, job, 600)["state"] == "done"
    return name


def agency_client(server_url: str, tokens: dict[str, str], number: int) -> httpx.AsyncClient:
    headers = {"Authorization": f"Bearer {tokens[AGENCIES[number % len(AGENCIES)]]}"}
    return httpx.AsyncClient(base_url=server_url, headers=headers, timeout=60)


async def load(server_url: str, tokens: dict[str, str], name: str, args: argparse.Namespace) -> Tally:
    tally = Tally()
    until = time.perf_counter() + args.seconds
    path = f"/api/v1/campaigns/{name}"
    clients = []
    tasks = []
    for number in range(args.readers):
        agency = AGENCIES[number % len(AGENCIES)]
        client = httpx.AsyncClient(
            base_url=server_url, headers={"Authorization": f"Bearer {tokens[agency]}"}, timeout=60
        )
        clients.append(client)
        tasks.append(reader(client, f"{path}/schedule", until, tally, args.think, number))
    for number in range(args.writers):
        agency = AGENCIES[number % len(AGENCIES)]
        client = httpx.AsyncClient(
            base_url=server_url, headers={"Authorization": f"Bearer {tokens[agency]}"}, timeout=60
        )
        clients.append(client)
        tasks.append(writer(client, f"{path}/requests", number, until, tally, args.think))
    await asyncio.gather(*tasks)
    for client in clients:
        await client.aclose()
    return tally


def lost_writes(server_url: str, token: str, name: str, tally: Tally) -> int:
    with httpx.Client(base_url=server_url, headers={"Authorization": f"Bearer {token}"}, timeout=60) as office:
        rows = {r["id"]: r for r in office.get(f"/api/v1/campaigns/{name}/requests").json()["requests"]}
    missing = len(tally.added - set(rows))
    wrong = sum(
        1
        for request_id, (version, note) in tally.edits.items()
        if rows.get(request_id, {}).get("version") != version or rows[request_id]["request"].get("note") != note
    )
    return missing + wrong


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


def run(backend: str, args: argparse.Namespace) -> list[tuple]:
    if backend == "postgresql":
        os.environ["JOINTTRACK_TEST_POSTGRES"] = args.postgres
    with tempfile.TemporaryDirectory() as folder, database(backend, Path(folder)) as url:
        tokens = accounts(url)
        server = start_server(url, tokens, Path(folder))
        try:
            name = prepare(server.url, tokens, args.scenario, args.writers)
            before, cpu = os.getloadavg()[0], (process_cpu(server.process.pid), os.times())
            tally = asyncio.run(load(server.url, tokens, name, args))
            after = os.getloadavg()[0]
            server_cpu = process_cpu(server.process.pid) - cpu[0]
            client_cpu = sum(os.times()[:2]) - sum(cpu[1][:2])
            lost = lost_writes(server.url, tokens["office"], name, tally)
        finally:
            server.stop()
    rows = []
    for kind, values in tally.latency.items():
        rows.append(
            (
                backend,
                kind,
                len(values),
                len(values) / args.seconds,
                1000 * statistics.median(values),
                1000 * percentile(values, 0.95),
                tally.errors.get(kind, 0),
            )
        )
    answered = sum(len(v) for v in tally.latency.values())
    print(
        f"{backend}: lost writes {lost}; load average {before:.1f} before, {after:.1f} after; CPU per request: "
        f"server {1000 * server_cpu / answered:.2f} ms, clients {1000 * client_cpu / answered:.2f} ms",
        flush=True,
    )
    return [(*row, lost) for row in rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=10)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause of a client between requests, s (0: none)")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--scenario", default="default")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("JOINTTRACK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/test"),
    )
    args = parser.parse_args()
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    rows = [row for backend in backends for row in run(backend, args)]
    print(
        f"\n{args.readers} readers, {args.writers} writers, {args.seconds:g} s, mean pause {args.think:g} s, "
        f"{os.cpu_count()} cores"
    )
    print("| backend | kind | requests | per s | p50 ms | p95 ms | 5xx | lost writes |")
    print("|---|---|---|---|---|---|---|---|")
    for backend, kind, count, rate, p50, p95, errors, lost in rows:
        print(f"| {backend} | {kind} | {count:,} | {rate:,.0f} | {p50:.1f} | {p95:.1f} | {errors} | {lost} |")


if __name__ == "__main__":
    main()
