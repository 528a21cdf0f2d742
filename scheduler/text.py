"""Text from users that ends up in our files and on the terminal: one line, no control characters.

A newline in an agency name would split a CSV row's meaning, break an iCalendar content line and
turn one line of output into two; so names and labels (agencies, complexes, station names, outage
reasons) refuse control characters where they are read. What we print is never read as console
markup (`[/]` in a name prints as itself).
"""

import re
from typing import Annotated

from pydantic import AfterValidator

CONTROL_CHARACTERS = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(value: str) -> str:
    """`value` if it holds no control character, else ValueError (for pydantic)."""
    found = CONTROL_CHARACTERS.search(value)
    if found is not None:
        raise ValueError(f"holds the control character {found.group()!r}: names and labels are one line of text")
    return value


def printable(text: str) -> str:
    """`text` with every control character written as its escape (`\\n`), so it prints on one line."""
    return CONTROL_CHARACTERS.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


Label = Annotated[str, AfterValidator(one_line)]
