"""Write 903 tables into a workbook laid out the way analysts keep them: one sheet per
table, a bold frozen header, dates as real Excel dates, codes as text, and drop-down
lists for coded columns (from a hidden 'Lists' sheet)."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from .. import catalogue
from ..annotate import save_atomically

DROPDOWN_ROWS = 5000


def _as_cell(value: str, is_date: bool):
    if is_date and value:
        try:
            return datetime.strptime(value, "%d/%m/%Y")
        except ValueError:
            return value  # keep what was typed; the rules will say it is not a date
    return value


def write_return_workbook(tables: dict[str, pd.DataFrame], path: Path, year: str, dropdowns: bool = True) -> Path:
    year = catalogue.normalise_year(year)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    lists = wb.create_sheet("Lists") if dropdowns else None
    list_ranges: dict[str, str] = {}
    for name, spec in catalogue.tables(year).items():
        ws = wb.create_sheet(name)
        cols = [c["name"] for c in spec["columns"]]
        ws.append(cols)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        frame = tables.get(name)
        dates = [c["type"] == "date" for c in spec["columns"]]
        if frame is not None:
            for row in frame[cols].itertuples(index=False):
                ws.append([_as_cell(v, d) for v, d in zip(row, dates)])
        last_row = max(ws.max_row, DROPDOWN_ROWS)
        for i, col in enumerate(spec["columns"], start=1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = max(11, len(col["name"]) + 3)
            fmt = "dd/mm/yyyy" if col["type"] == "date" else "@"
            for (cell,) in ws.iter_rows(min_row=2, max_row=ws.max_row, min_col=i, max_col=i):
                cell.number_format = fmt
            listname = col.get("codelist")
            if lists is not None and listname and col["type"] == "code":
                if listname not in list_ranges:
                    codes = catalogue.codes(listname, year)
                    c = len(list_ranges) + 1
                    lists.cell(row=1, column=c, value=listname)
                    for r, code in enumerate(codes, start=2):
                        lists.cell(row=r, column=c, value=code)
                    lc = get_column_letter(c)
                    list_ranges[listname] = f"{quote_sheetname('Lists')}!${lc}$2:${lc}${len(codes) + 1}"
                dv = DataValidation(type="list", formula1=list_ranges[listname], allow_blank=True,
                                    showErrorMessage=False)
                dv.add(f"{letter}2:{letter}{last_row}")
                ws.add_data_validation(dv)
    if lists is not None:
        lists.sheet_state = "hidden"
        wb.move_sheet("Lists", offset=len(wb.sheetnames))
    return save_atomically(wb, Path(path))
