"""Read the 903 tables from an open workbook, exactly as file mode reads them from a saved one."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .. import catalogue
from ..read import InputError, RawTable, ReadIssue, Return
from ..read import derive_header_uasc
from ..read.workbook import OWN_SHEETS, read_sheet_rows

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_LAST_SERIAL = 2958465  # 31/12/9999


def is_remote(book) -> bool:
    """True on the engine behind xlwings Lite and Server (Office.js), which queues actions
    instead of talking to Excel: no fill colours or note text can be read there."""
    try:
        return book.app.engine.name == "remote"
    except Exception:
        return False


def sheet_values(sheet) -> tuple[list[list], int, int]:
    """The used range's values in one call, and the row and column offsets of its top-left cell."""
    used = sheet.used_range
    values = used.options(ndim=2).value or [[]]
    return values, used.row - 1, used.column - 1


def read_book(book, suffix: str = "", year: str | None = None) -> Return:
    """Every 903 sheet of ``book`` as a Return (``suffix`` '_last' for last year's workbook)."""
    tables: dict[str, RawTable] = {}
    issues: list[ReadIssue] = []
    remote = is_remote(book)
    for sheet in book.sheets:
        if sheet.name.strip().lower() in OWN_SHEETS:
            continue
        values, row_off, col_off = sheet_values(sheet)
        table, found = read_sheet_rows(sheet.name, [tuple(r) for r in values], book.name, suffix, year,
                                       row_offset=row_off, col_offset=col_off)
        issues += found
        if table is None:
            continue
        if table.name in tables:
            issues.append(ReadIssue(table.source, f"a second sheet for {table.name} (first: sheet "
                                    f"'{tables[table.name].sheet}'); this one is ignored", table.name))
            continue
        if remote:
            _serial_dates(table, values, row_off, col_off)
        tables[table.name] = table
    if not tables:
        raise InputError(
            f"No 903 sheets were found in '{book.name}'. Name each sheet after its table (Header, Episodes, "
            "Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm, Missing, SWEpisodes, DoLo) or give it "
            "that table's header row with a CHILD column.")
    derive_header_uasc(tables, suffix)
    return Return(tables, issues, "xlsx", book.name)


def _serial_dates(table: RawTable, values: list[list], row_off: int, col_off: int) -> None:
    """Office.js may send a date cell as its serial number (45000 for 17/03/2023), where desktop
    Excel sends a date: in a date column, a number cell becomes the date it shows. Text is left as typed."""
    wanted = [c for c in catalogue.date_columns(table.name.removesuffix("_last")) if c in table.cols]
    if not wanted or not len(table):
        return
    width = max(len(r) for r in values)
    grid = np.empty((len(values), width), dtype=object)
    for i, r in enumerate(values):  # one pass over rows, not cells, to make a rectangular array
        grid[i, :len(r)] = r
    rows = table.rows - row_off - 1
    for column in wanted:
        raw = pd.Series(grid[rows, table.cols[column] - col_off - 1])
        kind = raw.map(type)
        number = kind.isin([float, int, np.float64, np.int64])
        serial = pd.to_numeric(raw.where(number), errors="coerce")
        ok = number & (serial >= 1) & (serial <= _LAST_SERIAL)
        if ok.any():
            days = _EXCEL_EPOCH + pd.to_timedelta(np.floor(serial[ok].astype(float)), unit="D")
            table.frame.loc[ok.to_numpy(), column] = days.dt.strftime("%d/%m/%Y").to_numpy()
