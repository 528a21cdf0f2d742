"""The benchmark's solution file: a JSON array of scheduled tracks (Unix seconds)."""

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from scheduler.errors import InputError
from scheduler.inputs.paths import read_capped
from scheduler.satnet.values import name, unix_time, whole

MAX_FILE_BYTES = 50_000_000
SOLUTION_KEYS = ("RESOURCE", "SC", "START_TIME", "TRACKING_ON", "TRACKING_OFF", "END_TIME", "TRACK_ID")


@dataclass(frozen=True)
class Entry:
    """One track of a SatNet solution."""

    RESOURCE: str
    SC: int
    START_TIME: int
    TRACKING_ON: int
    TRACKING_OFF: int
    END_TIME: int
    TRACK_ID: str


def solution_json(entries: list[Entry]) -> str:
    ordered = sorted(entries, key=lambda e: (e.TRACKING_ON, e.RESOURCE, e.TRACK_ID))
    return json.dumps([asdict(e) for e in ordered], indent=1) + "\n"


def finite_only(constant: str) -> float:
    """JSON's NaN and Infinity (which Python's reader accepts) refused as not valid JSON."""
    raise ValueError(f"{constant} is not a number JSON allows")


def read_solution(path: str | Path) -> list[Entry]:
    source = str(path)
    text = read_capped(Path(path), source, "file", MAX_FILE_BYTES, "give one week's solution")
    try:
        data = json.loads(text.decode("utf-8"), parse_constant=finite_only)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(source, "", f"not valid JSON ({exc})".splitlines()[0], "give a JSON array of tracks") from None
    if not isinstance(data, list):
        raise InputError(
            source, "", "expected a JSON array of tracks", f"write objects with {', '.join(SOLUTION_KEYS)}"
        )
    entries = []
    for index, item in enumerate(data):
        if not isinstance(item, dict) or (missing := [k for k in SOLUTION_KEYS if k not in item]):
            key = missing[0] if isinstance(item, dict) else ""
            raise InputError(source, f"[{index}].{key}".rstrip("."), "missing key or not an object", "see the README")
        where = f"[{index}]"
        entries.append(
            Entry(
                name(item["RESOURCE"], f"{where}.RESOURCE", source, "RESOURCE"),
                whole(item, "SC", where, source),
                *(unix_time(item, k, where, source) for k in ("START_TIME", "TRACKING_ON", "TRACKING_OFF", "END_TIME")),
                name(item["TRACK_ID"], f"{where}.TRACK_ID", source, "TRACK_ID"),
            )
        )
    return entries
