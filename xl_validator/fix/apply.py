"""Preview the safe fixes and write them into a copy of the return with a log (``undo`` puts them back)."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import PatternFill
from openpyxl.xml.functions import tostring

from .. import catalogue
from ..annotate import write_annotated
from ..annotate.locate import flagged_cells
from ..annotate.package import Unsupported
from ..annotate.workbook import marked_cell, write_edited
from ..api import provider_names, validate_return
from ..prepare.postcodes import load_postcodes
from ..prepare.providers import read_providers
from ..outputs import input_paths, refuse_inputs, scratch_folder
from ..read import InputError, RawTable, Return, derive_header_uasc, read_return, refuse_unreadable
from ..read.table import cell_text
from ..report import Report, cell_address
from ..rules import registry
from ..rules.local import return_rules
from ..sheet_text import put
from .before_after import write_before_after
from .fixed_copy import FixedCopy
from .fixes import FIXES, columns, resolves
from .log import LOG_HEADER, LOG_SHEET, LOG_WIDTHS, MARKS_HEADER, MARKS_SHEET, log_rows, typed_values

PREVIEW_COLUMNS = ["table", "row", "sheet", "cell", "column", "old", "new", "fix", "resolves"]


@dataclass
class FixResult:
    """What a fix run changed, and the findings per rule before and after."""

    changes: pd.DataFrame            # the preview rows that were applied
    counts: pd.DataFrame             # code, message, before, after, change
    before: Report
    after: Report
    out: Path | None = None          # None for a dry run
    not_applied: list[str] = field(default_factory=list)  # cells left alone, with the reason

    def __repr__(self) -> str:
        where = f" -> {self.out}" if self.out else " (dry run)"
        return (f"<FixResult {len(self.changes)} cells changed; findings {len(self.before.findings)} -> "
                f"{len(self.after.findings)}{where}>")


def wanted_codes(only, year: str) -> set[str] | None:
    """``only`` as a set of rule codes in force ('147,103' or a list); None means every fix."""
    if only is None:
        return None
    items = only.split(",") if isinstance(only, str) else list(only)
    codes = {str(c).strip() for c in items if str(c).strip()}
    unknown = sorted(codes - set(registry(year)))
    if unknown:
        raise InputError(f"--only: rule(s) {', '.join(unknown)} are not in force in {year}")
    return codes


def changes(tables: dict[str, RawTable], year: str, only=None) -> pd.DataFrame:
    """Every cell the fixes would change, one row per cell (fix names joined by '+')."""
    wanted = wanted_codes(only, year)
    parts = []
    for name, raw in tables.items():
        if name.endswith("_last") or name not in catalogue.all_tables():
            continue
        sheet, rows, cols = raw.layout()
        for col in columns(name):
            if col.name not in raw.frame.columns or col.name not in cols:
                continue
            # Every fix works cell by cell, so each distinct value is fixed once (a code column holds a few).
            which, original = _distinct(raw.frame[col.name].astype(str))
            current, steps = original, []
            for fix in FIXES:
                codes = resolves(fix, col, year)
                if not fix.applies(col) or (wanted is not None and not wanted & set(codes)):
                    continue
                new = fix.run(current, col, year)
                hit = (new != current).to_numpy()
                if hit.any():
                    steps.append((fix.name, codes, hit))
                    current = new
            pos = np.flatnonzero((current != original).to_numpy()[which])
            if not len(pos):
                continue
            value_at = which[pos]
            names = [[] for _ in pos]
            claimed = [set() for _ in pos]
            for fix_name, codes, hit in steps:
                for i in np.flatnonzero(hit[value_at]):
                    names[i].append(fix_name)
                    claimed[i].update(codes)
            prefix = cell_address(sheet, cols[col.name], 1)[:-1]
            parts.append(pd.DataFrame({
                "table": name, "row": raw.data_rows[pos], "sheet": sheet,
                "cell": prefix + rows[pos].astype(str).astype(object), "column": col.name,
                "old": original.to_numpy()[value_at], "new": current.to_numpy()[value_at],
                "fix": ["+".join(n) for n in names], "resolves": [tuple(sorted(c)) for c in claimed],
            }))
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in PREVIEW_COLUMNS}).astype({"row": "int64"})
    return pd.concat(parts, ignore_index=True)[PREVIEW_COLUMNS]


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Which distinct value each cell holds, and the distinct values (in order of first sight)."""
    which, _ = pd.factorize(values, use_na_sentinel=False)
    first = np.empty(which.max() + 1 if len(which) else 0, dtype=np.int64)
    first[which[::-1]] = np.arange(len(which))[::-1]
    return which, values.iloc[first].reset_index(drop=True)


def preview(source, year: str | None = None, only=None) -> pd.DataFrame:
    """The cells the safe fixes would change: table, row (0-based data row of the source),
    sheet, cell, column, old, new, fix, resolves (rule codes). Nothing is written.

    For CSV or XML input, sheet and cell are where the value sits in the workbook
    ``apply_to_workbook`` writes (one sheet per table, header in row 1).
    """
    year = catalogue.normalise_year(year)
    ret = source if isinstance(source, Return) else read_return(source, year=year)
    return changes(ret.tables, year, only)


def fixed_tables(ret: Return, found: pd.DataFrame) -> Return:
    """A copy of ``ret`` with the changes made (the input's tables are not modified)."""
    tables = dict(ret.tables)
    for (table, column), group in found.groupby(["table", "column"], sort=False):
        raw = tables[table]
        if tables[table] is ret.tables[table]:
            raw = tables[table] = dataclasses.replace(raw, frame=raw.frame.copy())
        values = raw.frame[column].to_numpy().copy()
        values[raw.positions(group["row"].to_numpy())] = group["new"].to_numpy()
        raw.frame[column] = values
    header = tables.get("Header")
    if header is not None and "UASC" in header.frame and "UASC" not in header.cols and "UASC" in tables:
        # Header.UASC was derived from UASC.CHILD, which a fix may have trimmed: derive it again.
        tables["Header"] = dataclasses.replace(header, frame=header.frame.drop(columns="UASC"))
        derive_header_uasc(tables, "")
    return dataclasses.replace(ret, tables=tables)


def before_after(before: Report, after: Report) -> pd.DataFrame:
    """Findings per rule before and after fixing."""
    b = before.findings.groupby("code").size()
    a = after.findings.groupby("code").size()
    codes = sorted(set(b.index) | set(a.index))
    out = pd.DataFrame({"code": codes, "before": [int(b.get(c, 0)) for c in codes],
                        "after": [int(a.get(c, 0)) for c in codes]})
    rules = {**before.rules, **after.rules}
    out["change"] = out["after"] - out["before"]
    out["message"] = out["code"].map(lambda c: rules[c].message if c in rules else "")
    unchanged = out["change"] == 0  # changed rules first, most cleared at the top
    return (out.assign(_same=unchanged).sort_values(["_same", "change", "before", "code"],
                                                    ascending=[True, True, False, True])
            .drop(columns="_same").reset_index(drop=True))


def _put(cell, value) -> None:
    """Write a value as the user typed it: text stays text even when it starts with '='."""
    put(cell, None if value == "" else value)


def _holds_dates(wb):
    """Whether a column of an openpyxl workbook holds any real date (``typed_values``' test)."""
    return lambda sheet, letter: any(isinstance(c.value, (datetime, date)) for c in wb[sheet][letter])


def _write(cell, value) -> None:
    if isinstance(value, datetime):
        cell.value, cell.number_format = value, "dd/mm/yyyy"
    else:
        _put(cell, value)


def _checked(source: Path, found: pd.DataFrame, direct: bool, keep_vba: bool):
    """The workbook to write the fixed copy from and the changes its cells allow: the package
    itself where the part-by-part writer takes it (``direct``), else the workbook loaded by openpyxl.
    Returns (workbook, changes kept, notes on the others, old values)."""
    if direct:
        try:
            book = FixedCopy.read(source)
            return (book, *book.check(found))
        except Unsupported:
            pass
    wb = openpyxl.load_workbook(source, keep_vba=keep_vba)
    return (wb, *_check_cells(wb, found))


def _check_cells(wb, found: pd.DataFrame) -> tuple[pd.DataFrame, list[str], list]:
    """Keep the changes whose cell still holds the value read (a formula is never overwritten)."""
    keep, notes, old_values = [], [], []
    for i, ch in enumerate(found.itertuples(index=False)):
        cell = wb[ch.sheet][ch.cell.rsplit("!", 1)[1]]
        if cell.data_type == "f":
            notes.append(f"{ch.cell}: holds a formula ({cell.value}); not changed")
        elif cell_text(cell.value) != ch.old:
            notes.append(f"{ch.cell}: holds {cell.value!r}, not the {ch.old!r} read; not changed")
        else:
            keep.append(i)
            old_values.append(cell.value)
    return found.iloc[keep].reset_index(drop=True), notes, old_values


def _log(wb, found: pd.DataFrame, old_values: list) -> None:
    """One row per changed cell, appended to the log of an earlier run if there is one."""
    ws = wb[LOG_SHEET] if LOG_SHEET in wb.sheetnames else None
    if ws is None:
        ws = wb.create_sheet(LOG_SHEET)
        ws.append(LOG_HEADER)
        ws.freeze_panes = "A2"
        for col, width in zip("ABCDEFGH", LOG_WIDTHS):
            ws.column_dimensions[col].width = width
    for row in log_rows(found, old_values):
        r = ws.max_row + 1
        for c, value in enumerate(row, start=1):
            put(ws.cell(row=r, column=c), value)
    ws.auto_filter.ref = f"A1:H{ws.max_row}"


def read_this_and_last(source, year, previous, keep_going: bool):
    this = read_return(source, year=year)
    last = read_return(previous, suffix="_last", year=year) if previous is not None else None
    if not keep_going:
        for ret in (this, last):
            if ret is not None:
                refuse_unreadable(ret)
    return this, last


def _record_marks(before, after, report: Report) -> None:
    """On a hidden sheet of ``after``, the fill and note each marked cell had in ``before``
    (the fixed copy before annotating), so ``undo`` puts them back exactly."""
    ws = after[MARKS_SHEET] if MARKS_SHEET in after.sheetnames else None
    if ws is None:
        ws = after.create_sheet(MARKS_SHEET)
        ws.append(MARKS_HEADER)
        ws.sheet_state = "hidden"
    cells = flagged_cells(report.findings, report.tables).drop_duplicates(["sheet", "row", "col"])
    seen = set()
    r = ws.max_row  # asked once: openpyxl works it out afresh on every call
    for sheet, row, col in zip(cells["sheet"], cells["row"], cells["col"]):
        if sheet not in before.sheetnames:
            continue
        cell = marked_cell(before[sheet], int(row), int(col))
        if (sheet, cell.coordinate) in seen:
            continue
        seen.add((sheet, cell.coordinate))
        fill = tostring(cell.fill.to_tree()).decode() if cell.has_style and cell.fill != PatternFill() else ""
        note = cell.comment
        r += 1
        for c, value in enumerate((sheet, cell.coordinate, fill, note.text if note else None,
                                   note.author if note else None), start=1):
            put(ws.cell(row=r, column=c), value)


def apply_to_workbook(source, out_path=None, year: str | None = None, only=None, dry_run: bool = False, *,
                      previous=None, local_authority: str | None = None, provider_info=None,
                      keep_going: bool = True, local_rules=None) -> FixResult:
    """Apply the safe fixes to a copy of ``source`` (.xlsx, CSV folder or XML) written to ``out_path``
    (.xlsx; an .xlsm source may be copied to .xlsm, keeping its macros).

    The copy keeps every cell's formatting, holds the new values as text, a 'Fix log'
    sheet (for ``undo``) and the annotated Errors/Summary of the fixed return with a
    before/after table. ``only``: rule codes; only fixes resolving them are applied.
    ``previous``, ``local_authority`` and ``provider_info`` only make the before/after
    validation complete, as do ``local_rules`` (as for ``validate``; False: none, not even the
    return's own Local rules sheet). ``dry_run`` validates both ways but writes nothing (no ``out_path`` needed).
    ``keep_going``: see ``xl_validator.validate``.
    """
    year = catalogue.normalise_year(year)
    if out_path is None and not dry_run:
        raise InputError("no output file given: the fixed copy needs --out (a new .xlsx), or use --dry-run")
    source, out = Path(source), Path(out_path or "")
    if not dry_run:
        refuse_inputs(out, input_paths(source, previous, provider_info, local_rules or None))
    macros = source.suffix.lower() == ".xlsm" and out.suffix.lower() == ".xlsm"
    if not dry_run and out.suffix.lower() != ".xlsx" and not macros:
        raise InputError(f"{out}: the fixed copy is a workbook; give an --out ending in .xlsx "
                         "(or .xlsm for an .xlsm return, to keep its macros)")
    this, last = read_this_and_last(source, year, previous, keep_going)
    found = changes(this.tables, year, only)
    is_book = source.suffix.lower() in (".xlsx", ".xlsm")
    book, notes, old_values = None, [], list(found["old"])
    if is_book:
        direct = dry_run or macros or source.suffix.lower() == ".xlsx"  # an .xlsm to .xlsx loses its macros
        book, found, notes, old_values = _checked(source, found, direct, keep_vba=macros)
    providers = read_providers(provider_info) if provider_info is not None else None
    options = {"local_authority": local_authority, "provider_info": providers, "postcodes": load_postcodes(),
               "local_rules": None if local_rules is False else return_rules(source, year, local_rules)}
    before = validate_return(this, year, last, **options)
    # The provider lists, postcodes and local rules are read once for both runs; with nothing to
    # change, the return after fixing is the return before.
    after = validate_return(fixed_tables(this, found), year, last, **options) if len(found) else before
    before.inputs["providers"] = after.inputs["providers"] = provider_names(provider_info)  # not "a table"
    result = FixResult(found, before_after(before, after), before, after, None, notes)
    if dry_run:
        return result
    summary = [lambda wb: write_before_after(wb, result)]
    if isinstance(book, FixedCopy):
        try:  # the return's package copied part by part, the fixes and their records written into it
            values = typed_values(found, book.holds_dates)
            write_edited(after, book.pkg, out, book.edit(found, values, old_values, after), extra=summary)
            result.out = out
            return result
        except Unsupported:  # a shape the part-by-part writer does not handle: openpyxl writes it
            book = openpyxl.load_workbook(source, keep_vba=macros)
    with scratch_folder(out.parent, out) as tmp:  # beside the output, removed however this ends
        if is_book:  # the fixes, their log and the marks' record go into the copy, then it is annotated
            wb = book
            for ch, value in zip(found.itertuples(index=False), typed_values(found, _holds_dates(wb))):
                _write(wb[ch.sheet][ch.cell.rsplit("!", 1)[1]], value)
            _log(wb, found, old_values)
            _record_marks(wb, wb, after)
            fixed = Path(tmp) / f"fixed{out.suffix.lower()}"
            wb.save(fixed)
            write_annotated(after, fixed, out, extra=summary)
        else:
            write_annotated(after, None, out, extra=[lambda book: _log(book, found, old_values),
                                                     lambda book: _record_marks(openpyxl.Workbook(), book, after),
                                                     *summary])
    result.out = out
    return result
