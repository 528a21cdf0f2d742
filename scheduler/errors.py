"""Errors that reach the user as one clear line."""

from dataclasses import dataclass


@dataclass
class InputError(Exception):
    """Bad input: names the file, the field, what is wrong and how to fix it (exit 2)."""

    file: str
    field: str
    problem: str
    fix: str = ""

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        text = f"{where}: {self.problem}"
        return f"{text}; fix: {self.fix}" if self.fix else text


class InfeasibleError(Exception):
    """The solver proved that no schedule meets constraints that must hold (exit 3)."""


class InvalidSchedule(Exception):
    """A planned schedule breaks a rule of the independent validator: our bug (exit 70). Raised
    before anything is written."""

    def __init__(self, rule: str, track: str, detail: str = "") -> None:
        super().__init__(rule, track, detail)
        self.rule, self.track, self.detail = rule, track, detail

    def __str__(self) -> str:
        detail = f" ({self.detail})" if self.detail else ""
        return f"the planned schedule breaks the rule {self.rule!r} on track {self.track}{detail}; nothing was written"
