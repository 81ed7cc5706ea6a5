"""Fills and notes in the open workbook, and the hidden record of what each cell had before.

A second run changes only the cells whose state changed: flagged cells that are now clean
get back what they had, newly flagged cells are painted, cells flagged both times are left
alone (their note is rewritten only when its text changed). Every call is a COM round trip
on the desktop and an action on the Office.js engine, so after correcting a few cells a run
costs a few calls, not a repaint of the book; on the desktop one call fills many blocks.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..annotate.marks import NO_FILL, RECORD, RECORD_HEADER, UNKNOWN_FILL
from ..read.table import cell_text
from .blocks import a1, cells_of, multi_areas, rectangles

FILL = "#FFC7CE"
NOTE_KINDS = ("note added", "note replaced")


def values_block(rows: list[list], width: int | None = None) -> list[list]:
    """A block of values for one call: text gets a leading apostrophe so Excel keeps it as typed
    ('001234' stays text, '=1' is not run, '2025/26' is not turned into a date)."""
    width = width or max((len(r) for r in rows), default=1)
    return [[_cell(v) for v in r] + [""] * (width - len(r)) for r in rows]


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return "" if np.isnan(value) else float(value)
    return "'" + str(value)


def find_sheet(book, name: str):
    for sheet in book.sheets:
        if sheet.name.lower() == name.lower():
            return sheet
    return None


# --- the record -----------------------------------------------------------------------------------

def read_record(book) -> pd.DataFrame | None:
    sheet = find_sheet(book, RECORD)
    if sheet is None:
        return None
    values = sheet.used_range.options(ndim=2).value
    rows = [r + [None] * (len(RECORD_HEADER) - len(r)) for r in values[1:] if any(v not in (None, "") for v in r)]
    frame = pd.DataFrame(rows, columns=["kind", "sheet", "r1", "c1", "r2", "c2", "before"])
    for c in ("kind", "sheet", "before"):
        frame[c] = frame[c].map(cell_text)
    for c in ("r1", "c1", "r2", "c2"):
        frame[c] = pd.to_numeric(frame[c], errors="coerce").fillna(0).astype("int64")
    return frame


def write_record(book, record: list[list]) -> None:
    old = find_sheet(book, RECORD)
    if old is not None:
        old.delete()
    sheet = book.sheets.add(RECORD, after=book.sheets[len(book.sheets) - 1])
    sheet.range((1, 1)).value = values_block([RECORD_HEADER] + record, len(RECORD_HEADER))
    sheet.visible = False


def per_cell(record: pd.DataFrame | None, kinds) -> pd.DataFrame:
    """The record's rows of some kinds as one row per cell: sheet, row, col, kind, before."""
    columns = ["sheet", "row", "col", "kind", "before"]
    if record is None or record.empty:
        return pd.DataFrame({c: pd.Series(dtype="int64" if c in ("row", "col") else object) for c in columns})
    rows = record[record["kind"].isin(kinds)].reset_index(drop=True)
    cells = cells_of(rows)
    size = (rows["r2"] - rows["r1"] + 1) * (rows["c2"] - rows["c1"] + 1)
    which = rows.index.repeat(size)
    cells["kind"] = rows["kind"].to_numpy()[which]
    cells["before"] = rows["before"].to_numpy()[which]
    return cells.drop_duplicates(["sheet", "row", "col"], keep="first")[columns].reset_index(drop=True)


def fill_rows(fills: pd.DataFrame) -> list[list]:
    """Per-cell fills as few record rows: one per rectangle of cells that had the same fill."""
    out = []
    for before, group in fills.groupby("before", sort=False):
        for r in rectangles(group).itertuples(index=False):
            out.append(["fill", r.sheet, int(r.r1), int(r.c1), int(r.r2), int(r.c2), before])
    return out


def split_record(old: pd.DataFrame | None, rows: set) -> tuple[pd.DataFrame | None, list[list]]:
    """The record's cells on some (sheet, row)s, one record row per cell, and every other record
    row as it stands: one child's cells can be repainted without touching anyone else's."""
    if old is None:
        return None, []
    cells = pd.concat([per_cell(old, ("fill",)), per_cell(old, NOTE_KINDS)], ignore_index=True)
    inside = pd.Series([(s, int(r)) in rows for s, r in zip(cells["sheet"], cells["row"])], dtype=bool)
    mine = cells[inside.to_numpy()]
    theirs = cells[~inside.to_numpy()]
    record = pd.DataFrame({"kind": mine["kind"], "sheet": mine["sheet"], "r1": mine["row"], "c1": mine["col"],
                           "r2": mine["row"], "c2": mine["col"], "before": mine["before"]})
    others = fill_rows(theirs[theirs["kind"] == "fill"])
    others += [[k, s, int(r), int(c), int(r), int(c), b]
               for s, r, c, k, b in theirs[theirs["kind"] != "fill"].itertuples(index=False)]
    others += old[old["kind"] == "sheet"].to_numpy().tolist()
    return record, others


# --- painting -------------------------------------------------------------------------------------

def _hex(color) -> str:
    if color is None:
        return NO_FILL
    if isinstance(color, str):
        return color if color.startswith("#") else "#" + color
    return "#{:02X}{:02X}{:02X}".format(*color)


def _keys(frame: pd.DataFrame) -> pd.Series:
    return frame["sheet"].astype(str) + "!" + frame["row"].astype(str) + ":" + frame["col"].astype(str)


def repaint(book, wanted: pd.DataFrame, notes: pd.Series | None, old: pd.DataFrame | None,
            remote: bool) -> list[list]:
    """Make the flagged cells exactly ``wanted`` (sheet, row, col) with ``notes`` (text by
    (sheet, row, col); None: no notes), changing only what differs from the ``old`` record.
    Returns the new record's fill and note rows."""
    present = {s.name for s in book.sheets}
    wanted = wanted[["sheet", "row", "col"]].astype({"row": "int64", "col": "int64"}).drop_duplicates()
    had = per_cell(old, ("fill",))
    had = had[had["sheet"].isin(present)]
    keep = _keys(had).isin(set(_keys(wanted))).to_numpy()
    _restore_fills(book, had[~keep], remote)
    added = wanted[~_keys(wanted).isin(set(_keys(had))).to_numpy()]
    fills = pd.concat([had[keep][["sheet", "row", "col", "before"]], _paint(book, rectangles(added), remote)],
                      ignore_index=True)
    old_notes = per_cell(old, NOTE_KINDS)
    old_notes = old_notes[old_notes["sheet"].isin(present)]
    return fill_rows(fills) + _renote(book, notes, old_notes)


def _restore_fills(book, cells: pd.DataFrame, remote: bool) -> None:
    for before, group in cells.groupby("before", sort=False):
        fill_blocks(book, rectangles(group), None if before in (NO_FILL, UNKNOWN_FILL) else before, remote)


def fill_blocks(book, rects: pd.DataFrame, color, remote: bool) -> None:
    """Fill rectangles with one colour (None: no fill). The remote engine fills only the first
    area of a multi-area address, so there each rectangle is a call; on the desktop one call
    fills every rectangle of a multi-area address (up to 255 characters)."""
    if remote:
        for name, group in rects.groupby("sheet", sort=False):
            sheet = book.sheets[name]
            for r1, c1, r2, c2 in group[["r1", "c1", "r2", "c2"]].astype("int64").itertuples(index=False):
                sheet.range((r1, c1), (r2, c2)).color = color
        return
    for name, address, _ in multi_areas(rects):
        book.sheets[name].range(address).color = color


def _paint(book, rects: pd.DataFrame, remote: bool) -> pd.DataFrame:
    """Fill the rectangles; returns per-cell befores. The remote engine cannot read fills (Clear
    leaves those cells unfilled); on the desktop each multi-area address's fill is read in one
    call before it is painted, halving the areas where their fills differ."""
    if remote or rects.empty:
        fill_blocks(book, rects, FILL, remote)
        return cells_of(rects).assign(before=UNKNOWN_FILL)
    parts = []
    for name, address, group in multi_areas(rects):
        sheet = book.sheets[name]
        rng = sheet.range(address)
        parts += _fills_before(sheet, group, rng)
        rng.color = FILL
    return pd.concat(parts, ignore_index=True)


def _fills_before(sheet, rects: pd.DataFrame, rng=None) -> list[pd.DataFrame]:
    """Per-cell fills of some rectangles: one read when they share a fill, else each half's."""
    if rng is None:
        rng = sheet.range(",".join(a1(*r) for r in rects[["r1", "c1", "r2", "c2"]].to_numpy("int64").tolist()))
    try:
        return [cells_of(rects).assign(before=_hex(rng.color))]
    except Exception:  # Excel reports no single colour for cells with mixed fills
        pass
    if len(rects) > 1:
        half = len(rects) // 2
        return _fills_before(sheet, rects.iloc[:half]) + _fills_before(sheet, rects.iloc[half:])
    cells = cells_of(rects)  # one block of mixed fills: cell by cell
    return [cells.assign(before=[_hex(sheet.range((int(r), int(c))).color)
                                 for r, c in zip(cells["row"], cells["col"])])]


def _renote(book, notes: pd.Series | None, old: pd.DataFrame) -> list[list]:
    """Notes as wanted: old ones no longer wanted put back, new ones added, changed ones rewritten;
    a note the analyst had is kept in the record so Clear puts it back."""
    wanted = {} if notes is None else {(s, int(r), int(c)): t for (s, r, c), t in notes.items()}
    before = {(s, int(r), int(c)): (k, b) for s, r, c, k, b in old.itertuples(index=False)}
    for (name, row, col), (kind, text) in before.items():
        if (name, row, col) not in wanted:
            rng = book.sheets[name].range((row, col))
            if rng.note is None:
                continue
            if kind == "note added":
                rng.note.delete()
            else:
                rng.note.text = text
    record = []
    for name in dict.fromkeys(k[0] for k in wanted):
        sheet = book.sheets[name]
        current = {(n.location.row, n.location.column): n.text for n in sheet.notes}
        for (_, row, col), lines in ((k, v) for k, v in wanted.items() if k[0] == name):
            rng = sheet.range((row, col))
            if (name, row, col) in before:
                kind, text = before[(name, row, col)]
            elif (row, col) in current:
                kind, text = "note replaced", current[(row, col)]
            else:
                kind, text = "note added", ""
            record.append([kind, name, row, col, row, col, text])
            if (row, col) not in current:
                rng.add_note(lines)
            elif current[(row, col)] != lines:
                rng.note.text = lines
    return record
