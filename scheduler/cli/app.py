"""The `jointtrack` command: its commands, and every error turned into one line and an exit code
(docs/design.md: Command line, Exit codes). Commands import what they need when they run, so
`jointtrack --help` starts fast."""

import os
import sys
from collections.abc import Callable

import typer

from scheduler.cli import catalog, operations, planning
from scheduler.cli.bounds import check_bound
from scheduler.cli.export import export
from scheduler.cli.options import EXIT_BAD_INPUT, EXIT_INFEASIBLE, EXIT_INTERNAL, err
from scheduler.cli.satnet import app as satnet_app
from scheduler.cli.service import admin, serve
from scheduler.errors import InfeasibleError, InputError, InvalidSchedule
from scheduler.interrupts import EXIT_INTERRUPTED, Interrupted, install

app = typer.Typer(
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
    """`text` on standard error as it is: no markup, no highlighting, no wrapping."""
    err.print(text, markup=False, highlight=False, soft_wrap=True)


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
        if os.environ.get("JOINTTRACK_DEBUG"):
            raise
        one_line(f"internal error: {type(exc).__name__}: {exc} (set JOINTTRACK_DEBUG=1 for a traceback)")
        return EXIT_INTERNAL
    return 0


def main() -> None:
    install()  # Ctrl-C and SIGTERM abort the run at any stage, the search included
    sys.exit(run(app))
