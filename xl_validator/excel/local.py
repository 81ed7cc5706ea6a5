"""Local rules for a run in Excel: the open workbook's own Local rules sheet, rule workbooks
named in its settings, and files the user names on this computer.

A workbook's settings may name rule workbooks but never Python: opening a return must not
run code, so Python local rules come only from the caller (``validate_book(local_rules=...)``)
or from this computer's own setting, the XL_VALIDATOR_LOCAL_RULES environment variable
(files or modules separated by the system's path separator, ';' on Windows).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..rules.local import LocalRules, is_rules_sheet, load_local_rules
from ..rules.local.vocabulary import squeeze
from .read import sheet_values
from .settings import Settings

USER_SETTING = "XL_VALIDATOR_LOCAL_RULES"  # this computer's, never the workbook's


def _book_sheets(book):
    """Rows of a sheet of the open workbook by name (loosely), or None: for =Sheet!Column lists."""
    def rows(name: str):
        sheet = next((s for s in book.sheets if squeeze(s.name) == squeeze(name)), None)
        return None if sheet is None else sheet_values(sheet)[0]
    return rows


def gather_local_rules(book, year: str, named, settings: Settings) -> tuple[LocalRules, list[str]]:
    """The run's local rules and notes on any the settings name but this computer cannot use.
    ``named``: files or modules from the caller; None: those of this computer's own setting."""
    notes, specs = [], list([named] if isinstance(named, (str, Path)) else (named or []))
    if named is None:
        specs = [p.strip() for p in os.environ.get(USER_SETTING, "").split(os.pathsep) if p.strip()]
    for path in settings.local_rules:
        if Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
            notes.append(f"Local rules '{path}' (from the workbook's settings) were not run: a workbook's settings "
                         "may name rule workbooks only, never code. Name Python rules on this computer instead.")
        elif not Path(path).exists():
            notes.append(f"Local rules workbook '{path}' (from the settings) was not found on this computer: "
                         "its rules were not run.")
        else:
            specs.append(path)
    own = next((s for s in book.sheets if is_rules_sheet(s.name)), None)
    rows, where, first_row = None, "", 1
    if own is not None:
        rows, row_off, _ = sheet_values(own)
        where, first_row = f"{book.name}, sheet '{own.name}'", row_off + 1
    local = load_local_rules(specs, year, own_rows=rows, own_where=where, own_first_row=first_row,
                             own_sheets=_book_sheets(book))
    return local, notes
