"""Check this child: after correcting a child's cells, re-check that child alone and see the
result at once, without re-validating (and repainting) the whole book."""
from __future__ import annotations

import dataclasses

from ..annotate.locate import flagged_cells, note_lines
from ..api import validate_return
from ..read import InputError, Return
from ..report import Report
from .layer import NOTE_LIMIT, Ui, read_open_return, gather_inputs
from .marks import read_record, repaint, split_record, write_record
from .read import is_remote
from .settings import read_settings

SHOWN = 15  # findings listed in the alert; the rest are on the child's cells


def selected_child(book, this: Return) -> str:
    """The CHILD of the row selected on a 903 sheet."""
    try:
        sel = book.selection
    except Exception:
        sel = None
    hint = "Select a cell in the child's row on one of the 903 sheets, then press Check this child."
    if sel is None:
        raise InputError(hint)
    for raw in this.tables.values():
        if raw.sheet and raw.sheet.lower() == sel.sheet.name.lower() and "CHILD" in raw.frame.columns:
            at = (raw.rows == sel.row).nonzero()[0]
            if not len(at):
                break
            child = str(raw.frame["CHILD"].iat[at[0]]).strip()
            if not child:
                raise InputError(f"Row {sel.row} of sheet '{sel.sheet.name}' has no CHILD identifier to check.")
            return child
    raise InputError(hint)


def only_child(ret: Return | None, child: str) -> Return | None:
    """The return's rows of one child, each keeping its sheet row, so findings land on its cells."""
    if ret is None:
        return None
    tables = {}
    for name, raw in ret.tables.items():
        if "CHILD" not in raw.frame.columns:
            continue
        keep = (raw.frame["CHILD"].astype(str).str.strip() == child).to_numpy()
        tables[name] = dataclasses.replace(raw, frame=raw.frame[keep].reset_index(drop=True), rows=raw.rows[keep],
                                           data_rows=raw.data_rows[keep])
    return dataclasses.replace(ret, tables=tables)


def check_child(book, year=None, *, rules=None) -> tuple[str, Report]:
    """Re-check the child of the selected row: repaint that child's cells only and return the findings.
    Rules that compare children with each other (a UPN used twice) need Validate. ``year`` and
    ``rules`` as for ``validate_book``."""
    ui = Ui(book)
    settings = read_settings(book)
    with ui.busy():
        this, year, how = read_open_return(book, year or settings.year or None)
        child = selected_child(book, this)
        last, providers, _ = gather_inputs(book, year, None, None, settings)
        report = validate_return(only_child(this, child), year, only_child(last, child),
                                 local_authority=settings.local_authority or None, provider_info=providers,
                                 rules=rules, year_chosen=how)
        cells = flagged_cells(report.findings, report.tables)
        cells = cells[~cells["table"].str.endswith("_last")]
        rows = {(raw.sheet, int(r)) for raw in report.tables.values() if raw.sheet and not raw.name.endswith("_last")
                for r in raw.rows}
        mine, others = split_record(read_record(book), rows)
        remote = is_remote(book)
        text = None if remote or len(cells) > NOTE_LIMIT else note_lines(cells, report.last_year())
        write_record(book, others + repaint(book, cells, text, mine, remote))
    return child, report


def child_text(child: str, report: Report) -> str:
    """The alert: the child's findings, each with its cell and last year's value where compared."""
    f = report.findings
    if not len(f):
        return (f"No errors found for child {child}.\n\nThe Errors and Summary sheets are brought up to date "
                "by Validate, which also checks the rules that compare children with each other.")
    last_year = report.last_year()
    lines = [f"{r.code} {r.cell.split('!')[-1] if r.cell else r.table}: {r.message}"
             + (f" [last year: {last_year.loc[i]}]" if last_year.loc[i] else "")
             for i, r in f.head(SHOWN).iterrows()]
    more = f"\n...and {len(f) - SHOWN} more (see the child's cells)." if len(f) > SHOWN else ""
    return (f"Child {child}: {len(f)} error{'s' if len(f) != 1 else ''}.\n\n" + "\n".join(lines) + more
            + "\n\nThe Errors and Summary sheets are brought up to date by Validate.")
