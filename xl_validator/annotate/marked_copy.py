"""Marking flagged cells in a copy of the package: the error fill and one note per cell.

The same marks as ``marks.mark_cell`` makes through openpyxl, and the same record of what each
cell had before, made on the sheet's XML so the rest of the workbook is never re-written.
"""
from __future__ import annotations

import re

import pandas as pd

from .graft import Graft
from .marks import AUTHOR, ERROR_RGB, OWN_SHEETS, RECORD_HEADER
from .notes_part import comments_part, drawing_part, existing_notes, with_analysts_note
from .package import COMMENTS_CT, COMMENTS_TYPE, VML_CT, VML_TYPE, Package, rels_path, resolve
from .sheet_part import add_legacy_drawing, legacy_drawing_id, mark_cells, merged_top_left, unselect_tab
from .sheet_xml import table_sheet

ERROR_FILL_XML = (f'<fill><patternFill patternType="solid"><fgColor rgb="00{ERROR_RGB}"/>'
                  f'<bgColor rgb="00{ERROR_RGB}"/></patternFill></fill>').encode()


def checked_before(pkg: Package) -> bool:
    """Whether the workbook carries marks of an earlier run (our sheets, or notes we signed)."""
    if any(a.get("name") in OWN_SHEETS for _, a, _ in pkg.sheets()):
        return True
    author = b"<author>" + AUTHOR.encode() + b"</author>"
    return any(author in data for name, data in pkg.parts.items() if re.search(r"comments\d*\.xml$", name))


def copy_marked(copy: Graft, lines: pd.Series | None) -> list[list]:
    """Fill and note every flagged cell (``lines``: note text by sheet, row, column); returns the
    record of what each cell had before. Every sheet's tab is unselected (the copy opens on the
    Summary)."""
    pkg, record = copy.pkg, []
    parts = {a["name"]: part for _, a, part in copy.originals if part.endswith(".xml")}
    by_sheet: dict[str, dict[tuple[int, int], str]] = {}
    for (sheet, row, col), text in (lines.items() if lines is not None else ()):
        if sheet in parts:
            by_sheet.setdefault(sheet, {})[(int(row), int(col))] = text
    fill = copy.styles.add("fills", ERROR_FILL_XML) if by_sheet else None
    marked_style: dict[int, int] = {}
    for sheet, part in parts.items():
        xml = pkg.text(part)
        unselected = unselect_tab(xml)
        if sheet not in by_sheet:
            if unselected is not xml:
                pkg.parts[part] = unselected
                copy.changed.add(part)
            continue
        merged = merged_top_left(unselected)
        texts: dict[tuple[int, int], str] = {}
        for cell, text in by_sheet[sheet].items():
            cell = merged.get(cell, cell)  # a cell inside a merged range is marked on its first cell
            texts[cell] = f"{texts[cell]}\n{text}" if cell in texts else text
        before: dict[tuple[int, int], str] = {}

        def restyle(row, col, style):
            before[(row, col)] = copy.styles.fill_text(style)
            if style not in marked_style:
                marked_style[style] = copy.styles.with_fill(style, fill)
            return marked_style[style]

        wanted: dict[int, list[int]] = {}
        for r, c in texts:
            wanted.setdefault(r, []).append(c)
        xml = mark_cells(unselected, wanted, restyle)
        pkg.parts[part], changed, theirs = _notes(pkg, part, xml, texts)
        copy.changed |= {part, *changed}
        for (r, c) in texts:
            own = theirs.get((r, c))
            record.append(["fill", sheet, r, c, r, c, before[(r, c)]])
            record.append(["note added", sheet, r, c, r, c, ""] if own is None
                          else ["note replaced", sheet, r, c, r, c, own])
    return record


def _notes(pkg: Package, part: str, xml: bytes, texts: dict) -> tuple[bytes, list[str], dict]:
    """Write the sheet's comments part and legacy drawing with our notes; returns the sheet's
    XML (pointing at the drawing), the parts changed and the analyst's notes on flagged cells."""
    comments = next(iter(pkg.related(part, COMMENTS_TYPE)), None)
    theirs = existing_notes(pkg.parts.get(comments)) if comments else {}
    ours = {cell: with_analysts_note(theirs.get(cell), text) for cell, text in texts.items()}
    if comments is None:
        comments = pkg.free_name("xl/comments1.xml")
        pkg.declare(comments, COMMENTS_CT)
        pkg.relate(part, COMMENTS_TYPE, comments)
    pkg.parts[comments] = comments_part(pkg.parts.get(comments), ours)
    rid = legacy_drawing_id(xml)
    vml = next((resolve(part, r["Target"]) for r in pkg.relationships(part) if r.get("Id") == rid), None)
    if vml is None:
        vml = pkg.free_name("xl/drawings/vmlDrawing1.vml")
        pkg.declare_default("vml", VML_CT)
        xml = add_legacy_drawing(xml, pkg.relate(part, VML_TYPE, vml))
    pkg.parts[vml] = drawing_part(pkg.parts.get(vml), {c: t for c, t in ours.items() if c not in theirs})
    return xml, [comments, vml, rels_path(part)], {c: t for c, t in theirs.items() if c in texts}


def record_xml(record: list[list]) -> bytes:
    """The hidden record of every mark, in the layout the Excel layer's Clear reads."""
    return table_sheet([RECORD_HEADER, *record], len(RECORD_HEADER))
