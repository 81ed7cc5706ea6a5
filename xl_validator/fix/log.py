"""What a fixed copy records for ``undo``: the 'Fix log' of changed cells and the hidden 'Fix marks'
of the fill and note each marked cell had. Both ways of writing the copy (openpyxl, or part by
part) write these same rows."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

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
