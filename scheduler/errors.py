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
