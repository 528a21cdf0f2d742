"""The `jointtrack` command: its commands, and every error turned into one line and an exit code
(docs/design.md: Command line, Exit codes). Commands import what they need when they run, so
`jointtrack --help` starts fast."""

import os
import sys
import traceback
import warnings
from collections.abc import Callable

from scheduler.cli import catalog, operations, planning
from scheduler.cli.bounds import check_bound
from scheduler.cli.export import export
from scheduler.cli.options import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, err
from scheduler.cli.satnet import app as satnet_app
from scheduler.cli.service import admin, serve
from scheduler.cli.usage import OneLineTyper
from scheduler.errors import InfeasibleError, InputError, InvalidSchedule
from scheduler.interrupts import EXIT_INTERRUPTED, Interrupted, install
from scheduler.text import printable

ERFA_RANGE = (
    "the horizon lies outside 1900-2100, where ERFA's theories of the Earth's motion lose accuracy "
    "(positions may be off by arcseconds)"
)

app = OneLineTyper(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    help="Plan joint tracking schedules for an international deep-space network.",
)
for command in (
    planning.plan,
    planning.visibility,
    planning.validate,
    export,
    planning.repair,
    operations.insert,
    operations.feedback,
    planning.propose,
    planning.sweep,
    catalog.schema,
    catalog.stations,
    catalog.generate,
    catalog.scenarios,
    serve,
):
    app.command()(command)
app.command("check-bound")(check_bound)
app.add_typer(satnet_app, name="satnet")
app.add_typer(admin, name="admin")


def one_line(text: str) -> None:
    """`text` on standard error as one line: control characters escaped, no markup, no
    highlighting, no wrapping."""
    err.print(printable(text), markup=False, highlight=False, soft_wrap=True)


def warning_line(message: Warning | str, category: type[Warning]) -> str:
    """A warning as the one line we print: ERFA's range warnings said in our words."""
    text = str(message)
    if category.__name__ == "ErfaWarning" and "1900-2100" in text:
        return ERFA_RANGE
    if category.__name__ == "ErfaWarning" and "dubious year" in text:
        return "UTC outside the leap-second table (before 1960 or years ahead): no leap seconds assumed there"
    return f"{category.__name__}: {text}"


def one_line_warnings() -> None:
    """Every warning as one line on stderr (`warning: …`), each text once: never the two-line
    form with a source line that Python prints by default."""
    shown: set[str] = set()

    def show(message: Warning | str, category: type[Warning], *_where: object, **_more: object) -> None:
        line = warning_line(message, category)
        if line not in shown:
            shown.add(line)
            one_line(f"warning: {line}")

    warnings.showwarning = show


def run(entry: Callable[[], object]) -> int:
    """Run the CLI, turning our errors into one line and an exit code."""
    try:
        entry()
    except SystemExit as exc:  # typer/click finished: usage errors already printed (exit 2)
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_BAD_INPUT)
    except InputError as exc:
        one_line(f"error: {exc}")
        return EXIT_BAD_INPUT
    except InfeasibleError as exc:
        one_line(f"infeasible: {exc}")
        return EXIT_INFEASIBLE
    except InvalidSchedule as exc:
        one_line(f"internal error: {exc} (a bug: please report it with the scenario)")
        return EXIT_INTERNAL
    except Interrupted as exc:
        one_line(f"{exc}; no output written")
        return exc.exit_code
    except KeyboardInterrupt:  # Ctrl-C where the command line's handlers are not installed
        one_line("interrupted: stopped at Ctrl-C; no output written")
        return EXIT_INTERRUPTED
    except OSError as exc:  # a file system refusal while writing outputs
        where = f" {exc.filename}" if exc.filename else ""
        one_line(f"error: cannot write{where}: {exc.strerror or exc}; fix: check the path, permissions and free space")
        return EXIT_BAD_INPUT
    except MemoryError:
        one_line("error: out of memory; fix: plan a shorter horizon or fewer stations and requests")
        return EXIT_BAD_INPUT
    except Exception as exc:
        if os.environ.get("JOINTTRACK_DEBUG"):  # the traceback, and still exit 70: our bug either way
            traceback.print_exc()
            one_line(f"internal error: {type(exc).__name__}: {exc}")
            return EXIT_INTERNAL
        one_line(f"internal error: {type(exc).__name__}: {exc} (set JOINTTRACK_DEBUG=1 for a traceback)")
        return EXIT_INTERNAL
    return 0


def main() -> None:
    install()  # Ctrl-C and SIGTERM abort the run at any stage, the search included
    one_line_warnings()
    sys.exit(run(app))
