"""The safe bulk fixes in the open workbook: preview them on a sheet, apply them, undo them.

Preview and apply are separate button presses, so the preview lives in the workbook (the
'Fix preview' sheet) and apply works from what it lists: the analyst may delete the rows of
changes they do not want. Applied changes go to a 'Fix log' sheet with the same columns as
file mode's, so undo restores every cell exactly whichever way the fixes were made.

Every write is batched like the rest of the layer: one values block per rectangle of changed
cells, one for the log, one for the preview. On xlwings Lite the engine queues writes instead of
making them, so the workbook cannot be read back within a run: validation after fixing checks
the fixed tables held in memory, which are what the workbook holds once the writes land.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

from .. import catalogue
from ..api import validate_return
from ..fix.apply import LOG_HEADER, LOG_SHEET, before_after, fixed_tables, preview
from ..read import InputError, Return
from ..read.table import cell_text
from ..report import Report
from . import layer
from .blocks import rectangles
from .messages import alert, run_with_alerts
from .read import read_book, sheet_values
from .settings import read_settings

PREVIEW = "Fix preview"
PREVIEW_HEADER = ["Sheet", "Cell", "Column", "Old value", "New value", "Fix", "Rules resolved", "Go to cell"]
YEAR_ROW, HEADER_ROW = 2, 4  # the preview's collection year and its table header
SHOWN = 10  # skipped or edited cells named in an alert; the rest are counted


@dataclass
class AppliedFixes:
    """What Apply fixes changed and left alone, and the findings before and after."""

    changed: pd.DataFrame                             # sheet, row, col, cell, column, old, new, fix, rules
    skipped: list[str] = field(default_factory=list)  # cells left alone, with the reason
    before: Report | None = None
    after: Report | None = None


@dataclass
class UndoneFixes:
    restored: int
    edited_since: list[str]  # cells changed by hand after fixing (restored anyway)


def _text(value) -> str:
    """Text as typed: the apostrophe stops Excel turning '007' into 7 or '2025-04-01' into a date."""
    return "'" + value if value else ""


def _exact(value):
    """A value read from a cell, to be written back as it was (text stays text, numbers numbers)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, (bool, int, float, dt.date, dt.datetime)):
        return value
    return _text(str(value))


def _position(cell: str) -> tuple[int, int]:
    letters, row = coordinate_from_string(str(cell).strip().replace("$", ""))
    return int(row), column_index_from_string(letters)


def _grid(sheet):
    """The sheet's values read in one call, looked up by (row, column) (None outside the used
    range), and the sheet's last used row."""
    values, row_off, col_off = sheet_values(sheet)

    def at(row: int, col: int):
        r, c = row - 1 - row_off, col - 1 - col_off
        if 0 <= r < len(values) and 0 <= c < len(values[r]):
            return values[r][c]
        return None
    return at, row_off + len(values)


def _formulas(sheet, cells: pd.DataFrame) -> set[tuple[int, int]]:
    """Cells holding a formula, read in one call over the changed cells' span (desktop Excel).
    The Office.js engine cannot read formulas within a run: there the check is not made."""
    r1, r2, c1, c2 = cells["row"].min(), cells["row"].max(), cells["col"].min(), cells["col"].max()
    try:
        found = sheet.range((int(r1), int(c1)), (int(r2), int(c2))).formula
    except NotImplementedError:
        return set()
    if isinstance(found, str):  # a single cell's formula comes as text, a block's as rows
        found = ((found,),)
    return {(int(r1) + i, int(c1) + j) for i, row in enumerate(found) for j, f in enumerate(row)
            if isinstance(f, str) and f.startswith("=")}


def _write(book, cells: pd.DataFrame, value: str) -> int:
    """Write column ``value`` of ``cells`` (sheet, row, col) with one call per rectangle; returns the calls."""
    rects = rectangles(cells)
    lookup = {(s, int(r), int(c)): v for s, r, c, v in cells[["sheet", "row", "col", value]].itertuples(index=False)}
    for name, r1, c1, r2, c2 in rects.itertuples(index=False):
        block = [[lookup[(name, r, c)] for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
        book.sheets[name].range((int(r1), int(c1)), (int(r2), int(c2))).value = block
    return len(rects)


def _delete(book, name: str) -> None:
    sheet = layer.find_sheet(book, name)
    if sheet is not None:
        sheet.delete()


# --- preview ------------------------------------------------------------------------------------

def preview_showing(book) -> bool:
    return layer.find_sheet(book, PREVIEW) is not None


def preview_fixes(book, year=None, only=None) -> pd.DataFrame:
    """List the cells the safe fixes would change on a 'Fix preview' sheet (replacing an older
    preview); nothing else is written. Returns fix.preview's table (empty: no sheet is added)."""
    year = catalogue.normalise_year(year or read_settings(book).year or catalogue.default_year())
    found = preview(read_book(book, year=year), year, only)
    _delete(book, PREVIEW)
    if found.empty:
        return found
    cell = found["cell"].str.rsplit("!", n=1).str[1]
    rows, cols = zip(*map(_position, cell))
    links = np.empty(len(found), dtype=object)
    for name, idx in found.groupby("sheet", sort=False).indices.items():
        links[idx] = layer.cell_link(name, np.asarray(cols)[idx], np.asarray(rows)[idx])
    block = [[_text(PREVIEW), _text(f"{len(found):,} cells would change; nothing has been changed yet. Delete the "
                                    "row of any change you do not want, then press Apply fixes.")],
             [_text("Collection year"), _text(year)], [],
             [_text(h) for h in PREVIEW_HEADER]]
    block += [[_text(s), _text(c), _text(col), _text(old), _text(new), _text(fix), _text(", ".join(rules)), link]
              for s, c, col, old, new, fix, rules, link
              in zip(found["sheet"], cell, found["column"], found["old"], found["new"], found["fix"],
                     found["resolves"], links)]
    width = len(PREVIEW_HEADER)
    sheet = book.sheets.add(PREVIEW, after=book.sheets[len(book.sheets) - 1])
    sheet.range((1, 1)).value = [r + [""] * (width - len(r)) for r in block]
    layer.cosmetic(lambda: setattr(sheet.range((HEADER_ROW, 1), (HEADER_ROW, width)).font, "bold", True))
    sheet.activate()
    return found


# --- apply --------------------------------------------------------------------------------------

def _read_preview(book) -> tuple[str, pd.DataFrame]:
    """The collection year and the changes still listed on the preview sheet."""
    sheet = layer.find_sheet(book, PREVIEW)
    if sheet is None:
        raise InputError(f"There is no fix preview to apply: press Fix first, look through the '{PREVIEW}' "
                         "sheet, then press Apply fixes.")
    at, last = _grid(sheet)
    if [cell_text(at(HEADER_ROW, c)) for c in range(1, len(PREVIEW_HEADER) + 1)] != PREVIEW_HEADER:
        raise InputError(f"The '{PREVIEW}' sheet has been rearranged, so it cannot be applied safely: delete "
                         "it and press Fix again.")
    rows = [[cell_text(at(r, c)) for c in range(1, 8)] for r in range(HEADER_ROW + 1, last + 1)]
    listed = pd.DataFrame([r for r in rows if r[0] or r[1]],
                          columns=["sheet", "cell", "column", "old", "new", "fix", "rules"])
    return catalogue.normalise_year(cell_text(at(YEAR_ROW, 2)) or None), listed


def _check(book, this: Return, listed: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The listed changes whose cell still holds the previewed value, with the table position each
    one is at; the others are left alone, with the reason."""
    at_row, at_col = {}, {}  # (sheet, row) -> (table, position); (sheet, column number) -> column name
    for name, raw in this.tables.items():
        sheet, rows, cols = raw.layout()
        at_row.update({(sheet, int(r)): (name, i) for i, r in enumerate(rows)})
        at_col.update({(sheet, int(c)): col for col, c in cols.items()})
    grids, formulas, keep, skipped = {}, {}, [], []
    for ch in listed.drop_duplicates(["sheet", "cell"]).itertuples(index=False):
        label = f"{ch.sheet}!{ch.cell}"
        sheet = layer.find_sheet(book, ch.sheet)
        try:
            row, col = _position(ch.cell)
        except (ValueError, TypeError):
            skipped.append(f"{label}: not a cell address; left alone")
            continue
        if sheet is None or (sheet.name, row) not in at_row or at_col.get((sheet.name, col)) != ch.column:
            skipped.append(f"{label}: no longer the {ch.column} of a 903 table; left alone")
            continue
        if sheet.name not in grids:
            grids[sheet.name] = _grid(sheet)[0]
        current = grids[sheet.name](row, col)
        if cell_text(current) != ch.old:
            skipped.append(f"{label}: now holds {cell_text(current)!r}, not the {ch.old!r} previewed; left alone")
            continue
        table, position = at_row[(sheet.name, row)]
        keep.append((table, position, sheet.name, row, col, ch.cell, ch.column, current, ch.new, ch.fix, ch.rules))
    changed = pd.DataFrame(keep, columns=["table", "position", "sheet", "row", "col", "cell", "column", "old", "new",
                                          "fix", "rules"])
    for name, cells in changed.groupby("sheet", sort=False):
        formulas[name] = _formulas(book.sheets[name], cells)
    formula = np.array([(r, c) in formulas[s] for s, r, c in zip(changed["sheet"], changed["row"], changed["col"])],
                       dtype=bool)
    skipped += [f"{s}!{c}: holds a formula; left alone" for s, c in zip(changed["sheet"][formula],
                                                                        changed["cell"][formula])]
    return changed[~formula].reset_index(drop=True), skipped


def _log_start(book) -> int:
    """The row the next log entries go to (1: a new log, header included); refuses an edited log."""
    sheet = layer.find_sheet(book, LOG_SHEET)
    if sheet is None:
        return 1
    at, last = _grid(sheet)
    if [cell_text(at(1, c)) for c in range(1, len(LOG_HEADER) + 1)] != LOG_HEADER:
        raise InputError(f"Row 1 of the '{LOG_SHEET}' sheet should read {', '.join(LOG_HEADER)}. The log has "
                         "been edited, so no more fixes can be added to it safely: undo the fixes or rename it.")
    return last + 1


def _log(book, changed: pd.DataFrame, start: int) -> None:
    """One row per changed cell in one values block; the old value exactly as it was, for undo."""
    now = _text(dt.datetime.now().strftime("%d/%m/%Y %H:%M:%S"))
    rows = [[_text(s), _text(c), _text(col), _exact(old), _text(new), _text(fix), _text(rules), now]
            for s, c, col, old, new, fix, rules in changed[["sheet", "cell", "column", "old", "new", "fix", "rules"]]
            .itertuples(index=False)]
    if start == 1:
        sheet = book.sheets.add(LOG_SHEET, after=book.sheets[len(book.sheets) - 1])
        rows.insert(0, [_text(h) for h in LOG_HEADER])
    else:
        sheet = layer.find_sheet(book, LOG_SHEET)
    if rows:
        sheet.range((start, 1)).value = rows


def apply_fixes(book) -> AppliedFixes:
    """Apply the changes listed on the preview sheet (a cell edited since is left alone), log them,
    remove the preview, and mark the errors still left, with the counts before and after fixing."""
    year, listed = _read_preview(book)
    settings = read_settings(book)
    ui = layer.Ui(book)
    with ui.busy():
        ui.status("xl_validator: reading the workbook...")
        this = read_book(book, year=year)
        changed, skipped = _check(book, this, listed)
        start = _log_start(book)
        last, providers, notes = layer.gather_inputs(book, year, None, None, settings)
        options = {"local_authority": settings.local_authority or None, "provider_info": providers}
        before = validate_return(this, year, last, **options)
        data_rows = [int(this.tables[t].data_rows[p]) for t, p in zip(changed["table"], changed["position"])]
        fixed = fixed_tables(this, changed[["table", "column", "new"]].assign(row=data_rows))
        after = validate_return(fixed, year, last, progress=ui.progress, **options)
        ui.status("xl_validator: fixing...")  # nothing is written before this point: a failed run changes nothing
        _write(book, changed.assign(value=changed["new"].map(_text)), "value")
        _log(book, changed, start)
        _delete(book, PREVIEW)
        layer.clear_book(book)
        layer.mark_errors(book, after, notes)
        _write_before_after(book, changed, skipped, before, after)
    return AppliedFixes(changed, skipped, before, after)


def _write_before_after(book, changed: pd.DataFrame, skipped: list[str], before: Report, after: Report) -> None:
    """Next to the Summary's lists: cells fixed, findings before and after, and the rules that changed."""
    counts = before_after(before, after)
    counts = counts[counts["change"] != 0]
    rows = [["Before / after fixing"], ["Cells fixed", len(changed)], ["Cells left alone", len(skipped)],
            ["Findings before", len(before.findings)], ["Findings after", len(after.findings)], [],
            ["Code", "Before", "After", "Change", "Message"]]
    rows += [[r.code, r.before, r.after, r.change, r.message] for r in counts.itertuples(index=False)]
    summary = layer.find_sheet(book, layer.SUMMARY)
    summary.range((1, 7)).value = layer.values_block(rows, 5)
    for row in (1, 7):
        layer.cosmetic(lambda row=row: setattr(summary.range((row, 7), (row, 11)).font, "bold", True))


# --- undo ---------------------------------------------------------------------------------------

def undo_fixes(book) -> UndoneFixes:
    """Put every cell on the Fix log back as it was before its first fix (so repeated fix runs unwind
    newest first), remove the log, and clear the error marks, which no longer match the cells."""
    log = layer.find_sheet(book, LOG_SHEET)
    if log is None:
        raise InputError(f"There are no fixes to undo: this workbook has no '{LOG_SHEET}' sheet.")
    at, last = _grid(log)
    if [cell_text(at(1, c)) for c in range(1, len(LOG_HEADER) + 1)] != LOG_HEADER:
        raise InputError(f"Row 1 of the '{LOG_SHEET}' sheet should read {', '.join(LOG_HEADER)}. The log has "
                         "been edited, so the fixes cannot be undone safely.")
    first_old, last_new = {}, {}
    for r in range(2, last + 1):
        name, cell = cell_text(at(r, 1)), cell_text(at(r, 2))
        if not name and not cell:
            continue
        sheet = layer.find_sheet(book, name)
        if sheet is None:
            raise InputError(f"Row {r} of the '{LOG_SHEET}' sheet is for sheet '{name}', which is no longer in "
                             "this workbook: nothing was undone.")
        try:
            key = (sheet.name, *_position(cell))
        except (ValueError, TypeError):
            raise InputError(f"Row {r} of the '{LOG_SHEET}' sheet has '{cell}' where a cell address should be: "
                             "nothing was undone.") from None
        first_old.setdefault(key, at(r, 4))
        last_new[key] = cell_text(at(r, 5))
    cells = pd.DataFrame([(s, r, c, _exact(old)) for (s, r, c), old in first_old.items()],
                         columns=["sheet", "row", "col", "value"])
    grids = {name: _grid(book.sheets[name])[0] for name in cells["sheet"].unique()}
    edited = [f"{s}!{get_column_letter(c)}{r}" for (s, r, c), new in last_new.items()
              if cell_text(grids[s](r, c)) != new]
    _write(book, cells, "value")
    log.delete()
    layer.clear_book(book)
    return UndoneFixes(len(cells), edited)


# --- what the buttons call ----------------------------------------------------------------------

def _listed(items: list[str]) -> str:
    more = f"\n... and {len(items) - SHOWN:,} more" if len(items) > SHOWN else ""
    return "\n".join(items[:SHOWN]) + more


def fix_command(book) -> None:
    """Fix: list the safe fixes for review, or point at the list already showing."""
    if preview_showing(book):
        layer.find_sheet(book, PREVIEW).activate()
        alert(book, f"The fixes are already listed on the '{PREVIEW}' sheet. Look through them, delete the row of "
                    "any change you do not want, then press Apply fixes. To list them afresh, delete that sheet "
                    "and press Fix again.")
        return
    found = run_with_alerts(book, preview_fixes)
    if found is None:
        return
    if found.empty:
        alert(book, "No safe fixes were found: no value needs a mechanical correction.")
        return
    alert(book, f"{len(found):,} cells can be corrected safely (spaces, lower case, date and postcode forms). "
                f"They are listed on the '{PREVIEW}' sheet and nothing has been changed yet: look through them, "
                "then press Apply fixes.")


def apply_command(book) -> None:
    """Apply fixes: make the previewed changes and say what happened."""
    done = run_with_alerts(book, apply_fixes)
    if done is None:
        return
    text = (f"{len(done.changed):,} cells fixed; each is listed on the '{LOG_SHEET}' sheet, and Undo fixes puts "
            f"them back.\n\nErrors: {len(done.before.findings):,} before fixing, {len(done.after.findings):,} now.")
    if done.skipped:
        text += f"\n\n{len(done.skipped):,} cells were left alone:\n" + _listed(done.skipped)
    alert(book, text)


def undo_command(book) -> None:
    """Undo fixes: put the fixed cells back and say what happened."""
    done = run_with_alerts(book, undo_fixes)
    if done is None:
        return
    text = (f"{done.restored:,} cells are back as they were before fixing, and the '{LOG_SHEET}' sheet is "
            "removed. The error marks were cleared: press Validate to check the return again.")
    if done.edited_since:
        text += ("\n\nThese cells had been changed by hand after fixing; their original value was put back "
                 "anyway:\n" + _listed(done.edited_since))
    alert(book, text)
