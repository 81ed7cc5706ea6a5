"""The council's list of social workers for chase emails: a CSV file or a workbook sheet with the
columns SW_ID, name and email (header names matched loosely, any order, other columns ignored)."""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from .table import InputError, cell_text

WANTED = {"SW_ID": ("swid", "socialworkerid", "id"), "name": ("name", "socialworker", "fullname"),
          "email": ("email", "emailaddress", "mail")}
_ADDRESS = re.compile(r"[^@\s<>,;:\"()\[\]\\]+@[^@\s<>,;:\"()\[\]\\]+\.[A-Za-z0-9-]+")


@dataclass
class Worker:
    name: str
    email: str  # '' when the list gives none (or none usable)


@dataclass
class WorkerList:
    workers: dict[str, Worker] = field(default_factory=dict)  # by SW_ID, trimmed and upper-cased
    notes: list[str] = field(default_factory=list)  # rows that could not be used as given


def _rows(path: Path) -> tuple[str, list[list[str]]]:
    """(where, rows as text) from a CSV file or the first sheet of a workbook holding an SW_ID column."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for damaged files
            raise InputError(f"{path}: the worker list cannot be opened ({type(e).__name__}: {e})") from None
        for ws in wb.worksheets:
            rows = [[cell_text(v) for v in row] for row in ws.iter_rows(values_only=True)]
            if rows and _columns(rows[0]).get("SW_ID") is not None:
                return f"{path}, sheet '{ws.title}'", rows
        raise InputError(f"{path}: no sheet has a header row with the columns SW_ID, name and email")
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return str(path), list(csv.reader(io.StringIO(raw.decode(encoding))))
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: the worker list is neither UTF-8 nor Windows-1252 text")


def _columns(header: list[str]) -> dict[str, int | None]:
    norm = [re.sub(r"[^a-z]", "", h.lower()) for h in header]
    return {want: next((i for i, h in enumerate(norm) if h in names), None) for want, names in WANTED.items()}


def read_workers(path) -> WorkerList:
    """The worker list at ``path``; a missing file or column is an InputError, a row without a
    usable address a note (that worker's draft is addressed to nobody)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: the worker list (--workers) was not found")
    where, rows = _rows(path)
    if not rows:
        raise InputError(f"{where}: the worker list is empty; expected a header row SW_ID, name, email")
    cols = _columns(rows[0])
    missing = [c for c, i in cols.items() if i is None]
    if missing:
        raise InputError(f"{where}, row 1: no column {', '.join(missing)}; expected a header row with SW_ID, "
                         f"name and email (found: {', '.join(h for h in rows[0] if h) or 'nothing'})")
    out = WorkerList()
    for n, row in enumerate(rows[1:], start=2):
        get = {c: (row[i].strip() if i < len(row) else "") for c, i in cols.items()}
        sw = get["SW_ID"].upper()
        if not sw:
            continue
        email = get["email"]
        if email and not _ADDRESS.fullmatch(email):
            out.notes.append(f"{where}, row {n}: '{email}' is not an email address; {sw}'s draft is addressed "
                             "to nobody")
            email = ""
        if sw in out.workers:
            out.notes.append(f"{where}, row {n}: {sw} is listed again; the first row is used")
            continue
        out.workers[sw] = Worker(re.sub(r"[\x00-\x1f\x7f]", " ", get["name"]).strip(), email)
    return out
