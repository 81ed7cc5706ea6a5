"""Inputs an attacker or an unlucky user would give, and the checks every hostile case makes:
exit status, a message naming the file and the problem, no traceback, inputs unchanged,
no partial or temporary file left, no formula cell in any workbook written."""
from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd

from xl_validator import catalogue
from xl_validator.cli import main
from xl_validator.sample import generate

YEAR = "2025/26"
INJECTED = "=cmd|' /C calc'!A0"  # DDE: what a spreadsheet would run if it were a formula
LINK = '=HYPERLINK("http://example.invalid/x","click")'


def sample_tables(children: int = 25, error_rate: float = 0.1) -> tuple[dict, dict]:
    this, last = generate(children, YEAR, seed=15, error_rate=error_rate)
    return this, last


def hostile_tables(children: int = 25) -> dict[str, pd.DataFrame]:
    """A return whose first child's identifier and some values would run as formulas."""
    this, _ = sample_tables(children, error_rate=0)
    first = this["Header"]["CHILD"].iat[0]
    for frame in this.values():
        if "CHILD" in frame:
            frame["CHILD"] = frame["CHILD"].replace(first, INJECTED)
    this["Episodes"].loc[0, "PL_POST"] = LINK
    this["Header"].loc[1, "UPN"] = "+1+1"
    return this


def write_xlsx(tables: dict[str, pd.DataFrame], path: Path) -> Path:
    """One sheet per table, every value stored as text (as a typed '=...' text cell is)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, frame in tables.items():
        ws = wb.create_sheet(name)
        ws.append(list(frame.columns))
        for r, row in enumerate(frame.itertuples(index=False), start=2):
            for c, value in enumerate(row, start=1):
                if value != "":
                    cell = ws.cell(row=r, column=c)
                    cell.value = value
                    cell.data_type = "s"
    wb.save(path)
    return path


def write_csvs(tables: dict[str, pd.DataFrame], folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / catalogue.all_tables()[name]["csv_files"][0], index=False)
    return folder


def run(capsys, *args) -> tuple[int, str, str]:
    """The command line in this process: (exit status, stdout, stderr); never a traceback."""
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    return code, out, err


def digests(*paths) -> dict[str, str]:
    """SHA-256 of every file under the given files and folders."""
    out = {}
    for p in map(Path, paths):
        for f in ([p] if p.is_file() else sorted(x for x in p.rglob("*") if x.is_file())):
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


def leftovers(*folders) -> list[str]:
    """Partial outputs or scratch folders in the given folders, and openpyxl sheet files in the
    system temp folder."""
    found = [str(p) for f in map(Path, folders) if f.is_dir() for p in f.rglob(".xl_validator-*")
             if not p.name.endswith((".sqlite", ".json"))]
    return found + [str(p) for p in Path(tempfile.gettempdir()).glob("openpyxl.*")]


def formula_cells(folder: Path) -> list[str]:
    """Every formula cell in every workbook under ``folder`` (the inputs here hold none)."""
    out = []
    for book in sorted(Path(folder).rglob("*.xlsx")):
        wb = openpyxl.load_workbook(book)
        for ws in wb.worksheets:
            out += [f"{book.name}!{ws.title}!{c.coordinate}: {c.value}"
                    for row in ws.iter_rows() for c in row if c.data_type == "f"]
    return out


def workbook_texts(path: Path) -> set[str]:
    wb = openpyxl.load_workbook(path)
    return {c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str)}
