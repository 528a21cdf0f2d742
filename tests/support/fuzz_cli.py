"""Fuzzing the command line's arguments and the schedule CSVs it reads (tests/cli/test_fuzz_cli.py,
benchmarks/fuzz.py --classes cli,schedule).

`cli_arguments()` draws a command and hostile values for its options (numbers out of range or
not numbers, paths that are devices, directories, loops of links or names with markup and control
characters, unknown schemes and formats); `schedule_mutants()` mutates a planned schedule.csv
(empty, malformed, reversed or far-off times, leap seconds, `bits` that are no number, control
characters and spreadsheet formulas in cells, repeated rows and ids, columns dropped, the file
truncated or turned binary) and runs `validate`, `export` or `repair` on it. Every run happens in
process, on a tiny scenario (one antenna, a target at the pole), and must end as the contract says:
exit 0 (1 for a validation with violations), or exit 2 with one line; never exit 70 or a traceback.
"""

import contextlib
import io
import os
import warnings
from pathlib import Path

from hypothesis import strategies as st

import scheduler.cli.app as cli
from tests.conftest import REPO, SCENARIOS

SATNET = REPO / "tests" / "data" / "satnet"
NUMBERS = ["0", "-1", "1", "2", "2147483648", "9223372036854775808", "1e400", "nan", "inf", "-inf", "abc", "", "1e-9"]
DURATIONS = ["3h", "0", "off", "1e9d", "-1d", "7d", "PT4H", "x", "", "1h30m"]
TEXT = ["", "x", "[/]", "[bold]x", "a\nb", "\t", "=1+2", "-", "é", "A" * 300, "\x00"]
COMMANDS = ["plan", "visibility", "validate", "export", "repair", "sweep", "stations", "generate", "satnet"]


def prepare(folder: Path) -> None:
    """The files the fuzzed commands read: the tiny scenario, a schedule planned from it, an event,
    and paths that are not what they seem."""
    (folder / "tiny.yaml").write_text((SCENARIOS / "pole-one-antenna.yaml").read_text(encoding="utf-8"))
    code, _, _ = invoke(["plan", str(folder / "tiny.yaml"), "--out", str(folder / "planned"), "--quiet"], folder)
    assert code == 0
    (folder / "schedule.csv").write_text((folder / "planned" / "schedule.csv").read_text(encoding="utf-8"))
    (folder / "event.yaml").write_text(
        "outages:\n  - {station: TEST-1, start: 2026-12-01T02:00:00Z, end: 2026-12-01T03:00:00Z}\n"
    )
    (folder / "a-dir").mkdir()
    loop = folder / "loop"
    if not loop.is_symlink():
        os.symlink(loop, loop)
    (folder / "not-yaml.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")


def paths(folder: Path) -> list[str]:
    """Hostile and ordinary paths, as arguments."""
    return [
        str(folder / "tiny.yaml"),
        str(folder / "schedule.csv"),
        str(folder / "event.yaml"),
        str(folder / "missing.yaml"),
        str(folder / "a-dir"),
        str(folder / "loop"),
        str(folder / "not-yaml.yaml"),
        "/dev/null",
        "/dev/zero",
        "-",
        "",
        str(folder / "out[/]x"),
        str(folder / "out\nnew"),
        "default",
    ]


def outputs(folder: Path) -> list[str]:
    return [str(folder / "o" / name) for name in ("plain", "x.csv", "x.ics", "x.xml", "x.json", "[/]", "a\nb")] + [
        "/dev/null",
        str(folder / "a-dir"),
        str(folder / "loop"),
        str(folder / "tiny.yaml.copy"),
        "-",
    ]


@st.composite
def cli_arguments(draw: st.DrawFn, folder: Path) -> list[str]:
    """One command line: a command, its arguments, and one to four hostile options."""
    path, out = st.sampled_from(paths(folder)), st.sampled_from(outputs(folder))
    number, text = st.sampled_from(NUMBERS), st.sampled_from(TEXT)
    tiny, schedule = str(folder / "tiny.yaml"), str(folder / "schedule.csv")
    command = draw(st.sampled_from(COMMANDS))
    scenario = draw(st.sampled_from([tiny, tiny, tiny, draw(path)]))
    head = {
        "plan": ["plan", scenario],
        "visibility": ["visibility", scenario],
        "validate": ["validate", scenario, draw(st.sampled_from([schedule, schedule, draw(path)]))],
        "export": ["export", draw(st.sampled_from([schedule, schedule, draw(path)]))],
        "repair": [
            "repair",
            scenario,
            schedule,
            "--event",
            draw(st.sampled_from([str(folder / "event.yaml"), draw(path)])),
        ],
        "sweep": [
            "sweep",
            scenario,
            "--vary",
            draw(st.sampled_from(["outages", "missions", "clouds", ""])),
            "--address",
            draw(st.sampled_from(["http://x", "", "tcp://h:99999", "x", "ws:/", "tls://"])),
        ],
        "stations": ["stations"],
        "generate": ["generate", "--weeks", draw(st.sampled_from(["0", "-1", "53", "x", "1e400"]))],
        "satnet": ["satnet", draw(st.sampled_from(["solve", "verify", "to-scenario"])), str(SATNET / "tiny_week.json")],
    }[command]
    options = {
        "plan": ["--out", "--time-limit", "--workers", "--seed", "--solver", "--window", "--force", "--quiet"],
        "visibility": ["--out", "--quiet"],
        "validate": [],
        "export": ["--format", "--out", "--scenario", "--by"],
        "repair": ["--out", "--change-penalty", "--freeze", "--time-limit", "--workers", "--seed", "--quiet"],
        "sweep": ["--vary", "--runs", "--time-limit", "--seed", "--out", "--tls-cert"],
        "stations": ["--agency", "--kind", "--select", "--format"],
        "generate": ["--seed", "--out"],
        "satnet": ["--maintenance", "--out", "--time-limit", "--workers", "--seed"],
    }[command]
    flags = {"--force", "--quiet", "--freeze"}
    values = {
        "--out": out,
        "--format": st.sampled_from(["csv", "json", "ics", "xml", "table", "pdf", ""]),
        "--by": st.sampled_from(["station", "mission", "agency", ""]),
        "--scenario": path,
        "--solver": st.sampled_from(["cpsat", "greedy", "CPSAT", "", "foo"]),
        "--window": st.sampled_from(DURATIONS),
        "--vary": st.sampled_from(["outages", "weather", "missions", "clouds", ""]),
        "--tls-cert": path,
        "--maintenance": st.sampled_from([str(SATNET / "tiny_maintenance.csv"), draw(path)]),
        "--kind": st.sampled_from(["radio", "optical", "laser", ""]),
        "--agency": text,
        "--select": st.sampled_from(["DSS-14", "aperture>=70", "agency:", "DSS-*", "[/]", ""]),
    }
    chosen = draw(st.lists(st.sampled_from(options), max_size=4, unique=True)) if options else []
    arguments = list(head)
    for option in chosen:
        arguments.append(option)
        if option not in flags:
            arguments.append(draw(values.get(option, number)))
    if command in ("plan", "repair", "satnet") and "--time-limit" not in chosen:
        arguments += ["--time-limit", "2"]  # a valid run stays short
    if command in ("plan", "repair", "sweep", "satnet") and "--out" not in chosen:
        arguments += ["--out", str(folder / "o" / "default")]
    return arguments


CELLS = {
    "time": ["", " ", "yesterday", "2200-01-01T00:00:00Z", "1600-01-01T00:00:00Z", "2016-12-31T23:59:60Z",
             "2026-12-01T12:59:60Z", "2026-12-01T01:00:00.5Z", "2026-12-01T03:00:00+05:00", "2026-12-01"],
    "bits": ["abc", "nan", "1e400", "-5", "1.5", "99999999999999999999", "", "inf", " 7 "],
    "text": [*TEXT, "'=1+2", "@SUM(A1)", "+1", "a,b", '"q"', "A\r\nB", "\u2028"],
}  # fmt: skip


@st.composite
def schedule_mutants(draw: st.DrawFn, planned: str) -> str:
    """The planned schedule.csv with one to three mutations."""
    lines = planned.splitlines()
    header, rows = lines[0].split(","), [line.split(",") for line in lines[1:]]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(st.sampled_from(["cell", "cell", "cell", "swap", "repeat", "drop-column", "reverse", "shape"]))
        if kind in ("cell", "swap") and rows:
            row, column = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(header) - 1))
            name = header[column]
            pool = (
                CELLS["time"] if name.endswith(("start", "end")) else CELLS["bits"] if name == "bits" else CELLS["text"]
            )
            value = draw(st.sampled_from(pool))
            if column < len(rows[row]):  # a row of another shape has fewer cells
                quoted = any(c in value for c in ',"\n\r')
                rows[row][column] = '"' + value.replace('"', '""') + '"' if quoted else value
        elif kind == "repeat" and rows:
            rows.append(list(draw(st.sampled_from(rows))))
        elif kind == "drop-column":
            gone = draw(st.integers(0, len(header) - 1))
            header, rows = header[:gone] + header[gone + 1 :], [r[:gone] + r[gone + 1 :] for r in rows]
        elif kind == "reverse" and rows and "start" in header and "end" in header:
            row = draw(st.sampled_from(rows))
            a, b = header.index("start"), header.index("end")
            row[a], row[b] = row[b], row[a]
        else:
            rows = draw(st.sampled_from([[], rows[:1], [*rows, ["x"] * 3], [[*r, "extra"] for r in rows]]))
    text = "\n".join(",".join(r) for r in [header, *rows]) + "\n"
    ending = draw(st.sampled_from(["keep", "keep", "crlf", "bom", "truncate", "binary"]))
    if ending == "crlf":
        text = text.replace("\n", "\r\n")
    elif ending == "bom":
        text = "\ufeff" + text
    elif ending == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif ending == "binary":
        text = text[:40] + "\x00\x01\xff" + text[40:]
    return text


@st.composite
def schedule_commands(draw: st.DrawFn, folder: Path) -> list[str]:
    """A command that reads the mutant, mutant.csv in `folder`."""
    mutant, tiny = str(folder / "mutant.csv"), str(folder / "tiny.yaml")
    return draw(
        st.sampled_from(
            [
                ["validate", tiny, mutant],
                ["export", mutant, "--format", draw(st.sampled_from(["csv", "json", "ics", "xml"])),
                 "--out", "/dev/null"],
                ["export", mutant, "--format", "xml", "--scenario", tiny, "--out", "/dev/null"],
                ["repair", tiny, mutant, "--event", str(folder / "event.yaml"),
                 "--out", str(folder / "o" / "r"), "--time-limit", "2", "--quiet", "--force"],
            ]
        )
    )  # fmt: skip


def invoke(arguments: list[str], folder: Path | None = None) -> tuple[int, str, str]:
    """Run the command line in process, in `folder` (relative outputs such as `--out -` land there):
    exit code, stdout, stderr (warnings one line each, as `jointtrack` prints them)."""
    out, err = io.StringIO(), io.StringIO()
    where = contextlib.chdir(folder) if folder is not None else contextlib.nullcontext()
    with where, warnings.catch_warnings(), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        getattr(cli, "one_line_warnings", lambda: None)()  # as `jointtrack` prints them
        code = cli.run(lambda: cli.app(arguments))
    return code, out.getvalue(), err.getvalue()


def acceptable(arguments: list[str], code: int, stderr: str) -> bool:
    """Exit 0, 1 (validate and satnet verify only, for violations), or 2 with exactly one line;
    never a traceback or an internal error. Warnings are one line each."""
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("warning: ")]
    if "Traceback" in stderr or "internal error" in stderr:
        return False
    if code == 2:
        return len(lines) == 1
    checks = arguments[0] == "validate" or arguments[:2] == ["satnet", "verify"]
    return code == 0 or (code == 1 and checks)
