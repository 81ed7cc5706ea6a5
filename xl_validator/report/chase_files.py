"""The chase outputs a worker reads: one CSV per social worker, and the Chase list sheet added to
an open openpyxl workbook (with links to the return's cells when the workbook holds them). The
chase_list.xlsx file is written as XML by ``annotate.chase_book``. Everything is built in memory
first, so the files are written together or not at all."""
from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ..sheet_text import neutralise, put_at
from .chase import COLUMNS, FIXED_COLUMNS, NO_WORKER, TITLES

SHEET, SUMMARY, FIXED = "Chase list", "Summary", "Fixed since last chase"
FIXED_TITLES = ["Social worker", "Child", "Code", "What was wrong (DfE message)", "Where", "First seen"]
SUMMARY_TITLES = ["Social worker", "Open", "New", "Fixed since last chase", "Oldest open (first seen)"]
_HEAD = PatternFill("solid", start_color="1F4E78", end_color="1F4E78")


def day(value) -> str:
    """A date as dd/mm/yyyy for text outputs; blank for none."""
    return value.strftime("%d/%m/%Y") if isinstance(value, (pd.Timestamp, np.datetime64)) and not pd.isna(value) \
        else ""


def days(dates: pd.Series) -> pd.Series:
    """``day`` of each date, a column at a time."""
    dates = pd.to_datetime(dates)
    return dates.dt.strftime("%d/%m/%Y").where(dates.notna(), "")


def csv_names(workers) -> dict[str, str]:
    """{SW_ID: file name}: chase_<SW_ID>.csv made safe for a file system and distinct (case ignored)."""
    names, used = {}, set()
    for worker in workers:
        stem = "no_known_worker" if worker == NO_WORKER else re.sub(r"[^A-Za-z0-9_-]+", "_", worker).strip("_")
        stem = stem or "worker"
        name, n = f"chase_{stem}.csv", 1
        while name.lower() in used:
            n += 1
            name = f"chase_{stem}_{n}.csv"
        used.add(name.lower())
        names[worker] = name
    return names


def chase_csvs(items: pd.DataFrame) -> dict[str, tuple[str, bytes]]:
    """{SW_ID: (file name, CSV bytes)}: UTF-8 with a BOM so Excel shows names and dashes right,
    every value neutralised so a spreadsheet never runs it as a formula."""
    table = items[COLUMNS].assign(since=days(items["since"]))
    field = _csv_field()
    columns = [_csv_column(table[c].tolist(), field) for c in COLUMNS]
    lines: dict[str, list[str]] = {}
    for worker, row in zip(table["worker"].tolist(), zip(*columns)):
        lines.setdefault(worker, []).append(",".join(row) + "\r\n")
    head = ",".join(map(field, TITLES)) + "\r\n"
    return {worker: (name, ("\ufeff" + head + "".join(lines[worker])).encode("utf-8"))
            for worker, name in csv_names(lines).items()}


def _csv_column(values: list, field) -> list[str]:
    """A column's values neutralised and quoted, each distinct text once (messages and guidance
    repeat on most rows of a long list)."""
    quoted: dict[str, str] = {}
    out = []
    for v in values:
        if type(v) is str:
            q = quoted.get(v)
            if q is None:
                q = quoted[v] = field(neutralise(v))
        else:
            q = field(neutralise(v))
        out.append(q)
    return out


def _csv_field():
    """A function giving one value as the csv module writes it in a row of several (quoted when it
    holds a comma, quote or line break), so rows can be joined without a writer per file."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")

    def field(value: str) -> str:
        text.seek(0)
        text.truncate()
        writer.writerow((value, ""))  # a second field: a lone empty value would be written ""
        return text.getvalue()[:-3]  # less ',' and the line end

    return field


def _heading(ws, titles, widths) -> None:
    for i, (title, width) in enumerate(zip(titles, widths), start=1):
        c = ws.cell(row=1, column=i, value=title)
        c.font, c.fill = Font(bold=True, color="FFFFFF"), _HEAD
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"


def _put_rows(ws, rows, date_columns=()) -> None:
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            value = value.item() if isinstance(value, np.generic) else value
            if isinstance(value, pd.Timestamp):
                value = None if pd.isna(value) else value.to_pydatetime()
            cell = put_at(ws, r, c, None if value is pd.NaT else value)
            if c in date_columns:
                cell.number_format = "dd/mm/yyyy"


def write_chase_sheet(wb, items: pd.DataFrame):
    """Add (or replace) the 'Chase list' sheet: one row per finding needing a person, with a
    link to the cell when the workbook holds the table's sheet."""
    if SHEET in wb.sheetnames:
        del wb[SHEET]
    ws = wb.create_sheet(SHEET)
    _heading(ws, TITLES, (16, 12, 8, 11, 10, 60, 70, 34, 16, 7, 22, 30, 30, 16))
    _put_rows(ws, items[COLUMNS].itertuples(index=False), date_columns=(4,))
    link_col, what_col = len(TITLES), TITLES.index("What to check") + 1
    for r, (cell_ref, table) in enumerate(zip(items["cell"], items["table"]), start=2):
        sheet = cell_ref.rsplit("!", 1)[0].strip("'") if cell_ref else ""
        if sheet in wb.sheetnames and not table.endswith("(last year)"):
            link = ws.cell(row=r, column=link_col)
            link.hyperlink = "#" + cell_ref
            link.style = "Hyperlink"
        ws.cell(row=r, column=what_col).alignment = Alignment(wrap_text=True, vertical="top")
    ws.auto_filter.ref = f"A1:{get_column_letter(len(TITLES))}{max(len(items) + 1, 2)}"
    ws.page_setup.orientation = "landscape"
    return ws
