"""Values the tool writes into a workbook from a return: always text, never a formula.

openpyxl turns any string starting with '=' into a formula and refuses control
characters. A return's values are data, so every cell written from them holds
exactly the text the return holds: a leading '=' stays text, and a control
character is written as the escape Excel itself uses (``_x0001_``), which Excel
reads back as the same character. The tool's own links are cell hyperlinks,
not formulas, so no workbook the tool writes holds a formula it did not copy
from the input. A CSV file has no types, so its values are ``neutralise``d instead.
"""
from __future__ import annotations

import re

from .read.table import EXCEL_MAX_CHARS

# What Excel and LibreOffice start a formula (or a DDE call) with when they open a CSV.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def clean(value):
    """A value ready for a cell: strings with control characters escaped and cut to what a cell
    holds (the reader notes any such value); others unchanged."""
    if isinstance(value, str):
        if _CONTROL.search(value):
            value = _CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", value)
        return value[:EXCEL_MAX_CHARS]
    return value


def put(cell, value):
    """Write ``value`` into ``cell`` as data: a string is text even when it starts with '='."""
    cell.value = clean(value)
    if isinstance(cell.value, str) and cell.value:
        cell.data_type = "s"
    return cell


def put_at(ws, row: int, column: int, value):
    return put(ws.cell(row=row, column=column), value)


def append(ws, values) -> None:
    """``ws.append`` for a row of data: strings stay text. Only the cells openpyxl took for
    formulas are touched (``ws.max_row`` would scan every cell of the sheet on each row)."""
    values = [clean(v) for v in values]
    ws.append(values)
    row = ws._current_row  # the row openpyxl just appended
    for col, v in enumerate(values, start=1):
        if isinstance(v, str) and v.startswith("="):
            ws.cell(row=row, column=col).data_type = "s"


def neutralise(value) -> str:
    """The value as text for a CSV file, with a leading quote when a spreadsheet would otherwise
    run it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
