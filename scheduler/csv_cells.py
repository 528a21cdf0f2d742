"""CSV text that is safe to open in a spreadsheet (docs/design.md: Outputs (`plan`), its "CSV files").

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a
formula (CSV injection). As OWASP advises, every CSV file we write prefixes such a cell with an
apostrophe, which spreadsheets show as text; a cell that already starts with an apostrophe gets
one more, so the escape can always be undone. Numbers (`-12.5`, `1e-3`) are not formulas and
stay as they are. Our readers (schedule.csv, a scenario's view-period CSV) take one leading
apostrophe off again, so a schedule written, edited and read back is the same schedule.
"""

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def neutralise(cell: str) -> str:
    """The cell as a spreadsheet should show it: text, never a formula."""
    if cell.startswith(ESCAPE) or (cell.startswith(FORMULA_STARTS) and not _NUMBER.match(cell)):
        return ESCAPE + cell
    return cell


def restore(cell: str) -> str:
    """A cell as it was before `neutralise`."""
    return cell[1:] if cell.startswith(ESCAPE) else cell


def _text_columns(frame: "pd.DataFrame") -> list:
    import pandas as pd

    return [c for c in frame.columns if frame[c].dtype == object or pd.api.types.is_string_dtype(frame[c])]


def csv_text(frame: "pd.DataFrame") -> str:
    """The frame as CSV (no index), every text cell and column name neutralised (`sweep.csv`
    names columns after agencies)."""
    out = frame.rename(columns=lambda name: neutralise(name) if isinstance(name, str) else name)
    for column in _text_columns(out):
        out[column] = out[column].map(lambda v: neutralise(v) if isinstance(v, str) else v)
    return out.to_csv(index=False)


def restored(frame: "pd.DataFrame") -> "pd.DataFrame":
    """A frame read from one of our CSV files, every text cell as it was before `neutralise`."""
    out = frame.copy()
    for column in _text_columns(out):
        out[column] = out[column].map(lambda v: restore(v) if isinstance(v, str) else v)
    return out
