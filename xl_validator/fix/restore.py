"""Undo a fix run: a copy of the fixed workbook with every logged cell back to its old value and
every marked cell back to its fill and note, without the sheets the run added."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.comments import Comment
from openpyxl.styles import PatternFill
from openpyxl.styles.fills import Fill
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.xml.functions import fromstring

from ..outputs import refuse_inputs, save_atomically
from ..read import InputError
from ..read.table import cell_text
from ..sheet_text import put
from .log import LOG_HEADER, LOG_SHEET, MARKS_HEADER, MARKS_SHEET, RESULT_SHEETS

_COORD = re.compile(r"\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})")


@dataclass
class UndoResult:
    out: Path
    restored: int
    edited_since: list[str]  # cells whose value was no longer the fixed one (restored anyway)


def undo(path, out_path) -> UndoResult:
    """Write a copy of a fixed workbook with every logged cell back to its old value (newest
    change undone first, so repeated fix runs unwind) and every cell the fix run marked back to
    its fill and note before, without the log and the result sheets."""
    path, out = Path(path), Path(out_path)
    refuse_inputs(out, [path])
    try:
        wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    except Exception as e:  # openpyxl raises many types for damaged files
        raise InputError(f"{path}: the workbook cannot be opened ({type(e).__name__}: {e})") from None
    if LOG_SHEET not in wb.sheetnames:
        raise InputError(f"{path}: no '{LOG_SHEET}' sheet, so nothing to undo; undo works on a copy "
                         "written by 'xl-validator fix' whose log has not been deleted")
    log = wb[LOG_SHEET]
    header = [c.value for c in log[1]][:len(LOG_HEADER)]
    if header != LOG_HEADER:
        raise InputError(f"{path}, sheet '{LOG_SHEET}': row 1 should read {', '.join(LOG_HEADER)}; "
                         "the log was edited, so the changes cannot be undone safely")
    rows = [r for r in log.iter_rows(min_row=2, max_col=len(LOG_HEADER)) if any(c.value is not None for c in r)]
    cells = [_logged_cell(wb, path, LOG_SHEET, row[0].row, row[0].value, row[1].value) for row in rows]
    edited = []
    for row, cell in zip(reversed(rows), reversed(cells)):
        if cell_text(cell.value) != cell_text(row[4].value):
            edited.append(f"{cell.parent.title}!{cell.coordinate}")
        put(cell, None if row[3].value == "" else row[3].value)
    if MARKS_SHEET in wb.sheetnames:
        _restore_marks(wb, path)
    for name in (LOG_SHEET, *RESULT_SHEETS):
        if name in wb.sheetnames:
            del wb[name]
    save_atomically(wb, out)
    return UndoResult(out, len(rows), edited)


def _logged_cell(wb, path: Path, log_name: str, r: int, sheet, coord):
    """The cell a log row names, or a clear error saying which row of the log is wrong."""
    where = f"{path}, sheet '{log_name}' row {r}"
    if not isinstance(sheet, str) or sheet not in wb.sheetnames or not isinstance(wb[sheet], Worksheet):
        raise InputError(f"{where}: sheet {sheet!r} is not a worksheet of this workbook; the log was edited "
                         "or the sheet renamed, so the changes cannot be undone safely")
    if not isinstance(coord, str) or not _COORD.fullmatch(coord.strip().upper()):
        raise InputError(f"{where}: {coord!r} is not a cell address like B7; the log was edited, so the changes "
                         "cannot be undone safely")
    cell = wb[sheet][coord.strip().upper().replace("$", "")]
    if isinstance(cell, MergedCell):
        raise InputError(f"{where}: {sheet}!{coord} is now inside merged cells; unmerge them and undo again")
    return cell


def _restore_marks(wb, path: Path) -> None:
    """Put back the fill and note of every cell the fix run marked (newest run first)."""
    marks = wb[MARKS_SHEET]
    rows = [r for r in marks.iter_rows(min_row=2, max_col=len(MARKS_HEADER)) if r[0].value is not None]
    for row in reversed(rows):
        cell = _logged_cell(wb, path, MARKS_SHEET, row[0].row, row[0].value, row[1].value)
        fill = row[2].value
        try:
            cell.fill = Fill.from_tree(fromstring(fill)) if fill else PatternFill()
        except Exception:  # an edited fill description: leave the cell unfilled rather than guess
            cell.fill = PatternFill()
        cell.comment = Comment(str(row[3].value), str(row[4].value or "")) if row[3].value is not None else None
