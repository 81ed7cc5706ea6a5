"""The marks a run adds to a copy of the return, and taking them away again before the next run.

Every fill and note the tool writes is listed in a hidden ``xl_validator`` sheet with what the
cell had before, in the format the Excel layer's Clear reads: a checked copy validated again
(from the command line or opened in Excel and cleared) gets its own fills and comments back,
and the stale marks of the earlier run are gone.
"""
from __future__ import annotations

from openpyxl.comments import Comment
from openpyxl.styles import PatternFill

from ..sheet_text import clean

RECORD = "xl_validator"
RECORD_HEADER = ["Kind", "Sheet", "First row", "First column", "Last row", "Last column", "Before"]
NO_FILL, UNKNOWN_FILL = "none", "unknown"  # unknown: a fill the record cannot describe; Clear leaves none
AUTHOR = "xl_validator"
ANALYST_NOTE_END = "\n---\n"  # an analyst's own comment, then ours, in one cell
ERROR_RGB = "FFC7CE"
ERROR_FILL = PatternFill("solid", start_color=ERROR_RGB, end_color=ERROR_RGB)
OWN_SHEETS = ("Summary", "Errors", "Rules", RECORD)


def fill_text(fill) -> str:
    """A cell's fill as the record keeps it: '#RRGGBB', 'none', or 'unknown' (theme colours, patterns)."""
    if fill is None or fill.fill_type is None:
        return NO_FILL
    rgb = fill.start_color.rgb if fill.start_color is not None else None
    if fill.fill_type == "solid" and fill.start_color.type == "rgb" and isinstance(rgb, str) and len(rgb) >= 6:
        return "#" + rgb[-6:].upper()
    return UNKNOWN_FILL


def fill_from_text(text: str) -> PatternFill:
    if text and text.startswith("#") and len(text) == 7:
        return PatternFill("solid", start_color="FF" + text[1:], end_color="FF" + text[1:])
    return PatternFill(fill_type=None)


def mark_cell(cell, text: str) -> list[list]:
    """Fill and note one flagged cell; returns the record rows that undo it."""
    sheet, row, col = cell.parent.title, cell.row, cell.column
    record = [["fill", sheet, row, col, row, col, fill_text(cell.fill)]]
    own = cell.comment.text if cell.comment is not None else None
    if own is not None:
        record.append(["note replaced", sheet, row, col, row, col, own])
        text = f"{own}{ANALYST_NOTE_END}{text}"  # the analyst's note stays first
    else:
        record.append(["note added", sheet, row, col, row, col, ""])
    cell.fill = ERROR_FILL
    comment = Comment(clean(text), AUTHOR)
    comment.width, comment.height = 320, min(60 + 40 * text.count("\n"), 400)
    cell.comment = comment
    return record


def write_record(wb, record: list[list]) -> None:
    ws = wb.create_sheet(RECORD)
    ws.append(RECORD_HEADER)
    for row in record:
        ws.append(row)
    ws.sheet_state = "hidden"


def remove_marks(wb) -> int:
    """Undo an earlier run in a loaded copy: restore the recorded fills and comments and delete
    the sheets it added. A copy written before the record existed is cleaned by what marks are
    ours (comments signed by the tool, and the error fill under them). Returns the cells restored."""
    added = recorded_sheets(wb)
    restored = _undo_record(wb) if RECORD in wb.sheetnames else _undo_signed(wb)
    for name in (*OWN_SHEETS, *added):
        if name in wb.sheetnames:
            del wb[name]
    return restored


def recorded_sheets(wb) -> list[str]:
    """Sheets an earlier run added besides its own three (the Dashboard), as its record lists them."""
    if RECORD not in wb.sheetnames:
        return []
    rows = wb[RECORD].iter_rows(min_row=2, max_col=2, values_only=True)
    return [name for kind, name in rows if kind == "sheet" and name and name not in OWN_SHEETS]


def record_sheet(wb, name: str) -> None:
    """Note in the record that this run added sheet ``name``, so the next run or Clear removes it."""
    if RECORD in wb.sheetnames:
        wb[RECORD].append(["sheet", name, 0, 0, 0, 0, ""])


def _undo_record(wb) -> int:
    """Put back what the record says each cell had, unless the analyst has since given the
    cell a fill or comment of their own (theirs is kept)."""
    cells = set()
    rows = list(wb[RECORD].iter_rows(min_row=2, values_only=True))
    for kind, name, r1, c1, r2, c2, before in ((tuple(r) + (None,) * 7)[:7] for r in rows):
        if name not in wb.sheetnames or kind not in ("fill", "note added", "note replaced"):
            continue  # a sheet deleted since, or a row of the Excel layer's own sheets
        ws = wb[name]
        for r in range(int(r1), int(r2) + 1):
            for c in range(int(c1), int(c2) + 1):
                cell = ws.cell(row=r, column=c)
                cells.add((name, r, c))
                if kind == "fill" and fill_text(cell.fill) == "#" + ERROR_RGB:
                    cell.fill = fill_from_text(str(before or ""))
                elif kind != "fill" and cell.comment is not None and cell.comment.author == AUTHOR:
                    cell.comment = Comment(str(before), "") if kind == "note replaced" and before else None
    return len(cells)


def _undo_signed(wb) -> int:
    restored = 0
    for ws in wb.worksheets:
        if ws.title in OWN_SHEETS:
            continue
        for cell in [c for row in ws.iter_rows() for c in row if c.comment is not None]:
            if cell.comment.author != AUTHOR:
                continue
            own, sep, _ = cell.comment.text.rpartition(ANALYST_NOTE_END)
            cell.comment = Comment(own, "") if sep else None
            if fill_text(cell.fill) == "#" + ERROR_RGB:
                cell.fill = PatternFill(fill_type=None)
            restored += 1
    return restored
