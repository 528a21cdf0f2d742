"""Usage errors (an unknown option, a missing argument, an option value of the wrong type) as the
one line every other bad input gets (docs/design.md: Exit codes), instead of click's framed
usage box; help asked for, or no arguments at all, still prints the help."""

from typing import Any

import typer

from scheduler.errors import InputError

# typer carries its own copy of click and exports only BadParameter: its UsageError is a base of it
UsageError: type[Exception] = next(c for c in typer.BadParameter.__mro__ if c.__name__ == "UsageError")


class OneLineTyper(typer.Typer):
    """A Typer app whose usage errors are `InputError`s and whose exits are `SystemExit`s, for
    `scheduler.cli.app.run` to turn into one line and an exit code."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("standalone_mode", False)
        try:
            code = super().__call__(*args, **kwargs)
        except UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError":  # `jointtrack` alone: typer printed the help
                raise SystemExit(2) from None
            raise usage_error(exc) from None
        except typer.Abort:
            raise KeyboardInterrupt from None
        if isinstance(code, int) and code:
            raise SystemExit(code)
        return code


def usage_error(exc: Exception) -> InputError:
    """The usage error as an InputError: the command, what is wrong, and where the help is."""
    context, words = getattr(exc, "ctx", None), []
    while context is not None and context.parent is not None:  # the subcommands, not the program's name
        words.insert(0, context.info_name)
        context = context.parent
    path = " ".join(["jointtrack", *words])
    problem = " ".join(exc.format_message().split()).rstrip(".")  # type: ignore[attr-defined]
    return InputError(path, "", problem, f"see `{path} --help`")
