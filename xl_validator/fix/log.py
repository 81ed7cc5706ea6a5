"""What both ways of writing a fixed copy (openpyxl, or part by part) write alike: each new value
as a date or text, and for ``undo`` the 'Fix log' of changed cells and the hidden 'Fix marks' of
the fill and note each marked cell had."""
from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pandas as pd

from .. import catalogue
from ..annotate.marks import RECORD

LOG_SHEET = "Fix log"
LOG_HEADER = ["Sheet", "Cell", "Column", "Old value", "New value", "Fix", "Rule codes", "Time"]
LOG_WIDTHS = (14, 8, 20, 22, 22, 28, 16, 20)
MARKS_SHEET = "Fix marks"  # hidden: each cell the fixed copy filled or noted, with its fill and note before
MARKS_HEADER = ["Sheet", "Cell", "Fill before", "Note before", "Note author before"]
RESULT_SHEETS = ("Summary", "Errors", "Rules", MARKS_SHEET, RECORD)  # written by the fix run; stale once undone


def log_rows(found: pd.DataFrame, old_values: list) -> list[list]:
    """One row per changed cell: where, the value it held, the new one, which fix and the rules it
    resolves, and when. An empty value is an empty cell."""
    now = datetime.now().strftime("%d/%m/%Y %H:%M:%S")
    return [[None if v == "" else v for v in (ch.sheet, ch.cell.rsplit("!", 1)[1], ch.column, old, ch.new, ch.fix,
                                              ", ".join(ch.resolves), now)]
            for ch, old in zip(found.itertuples(index=False), old_values)]


def typed_values(found: pd.DataFrame, holds_dates: Callable[[str, str], bool]) -> list:
    """The value to write per change: a real date in a date column whose sheet holds real dates
    (``holds_dates(sheet, column letter)``), so it sorts and filters as the dates around it do;
    the text otherwise."""
    values, holds = list(found["new"]), {}
    for i, ch in enumerate(found.itertuples(index=False)):
        if ch.column not in catalogue.date_columns(ch.table):
            continue
        letter = ch.cell.rsplit("!", 1)[1].rstrip("0123456789")
        if (ch.sheet, letter) not in holds:
            holds[ch.sheet, letter] = holds_dates(ch.sheet, letter)
        if holds[ch.sheet, letter]:
            try:
                values[i] = datetime.strptime(ch.new, "%d/%m/%Y")
            except ValueError:
                pass
    return values
