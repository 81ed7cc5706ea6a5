"""The chase outputs' content: one CSV per social worker, the sheet names and titles of
chase_list.xlsx (written as XML by ``annotate.chase_book``), dates as text. Everything is built
in memory first, so the files are written together or not at all."""
from __future__ import annotations

import csv
import io
import re

import numpy as np
import pandas as pd

from ..sheet_text import neutralise
from .chase import COLUMNS, NO_WORKER, TITLES

SHEET, SUMMARY, FIXED = "Chase list", "Summary", "Fixed since last chase"
FIXED_TITLES = ["Social worker", "Child", "Code", "What was wrong (DfE message)", "Where", "First seen"]
SUMMARY_TITLES = ["Social worker", "Open", "New", "Fixed since last chase", "Oldest open (first seen)"]


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
