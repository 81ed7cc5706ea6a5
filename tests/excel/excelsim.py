"""Drive the Excel layer through xlwings' remote (Office.js) engine without Excel.

``payload`` builds what Office.js would send; ``Workbook`` keeps the state of a
pretend workbook and applies the actions a run returns, the way Excel would
(for the actions the layer uses), so a second run sees the first one's results.
"""
from __future__ import annotations

import copy
import os

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
import xlwings as xw  # noqa: E402

from xl_validator import catalogue  # noqa: E402


def sheet(name: str, values: list[list], hidden: bool = False) -> dict:
    return {"name": name, "values": values or [[""]], "pictures": [], "tables": [], "shapes": [], "charts": [],
            "notes": [], "visibility": "Hidden" if hidden else "Visible"}


def header_rows(rows: list[dict], table: str = "Header") -> list[list]:
    cols = catalogue.columns(table)
    return [cols] + [[str(r.get(c, "")) for c in cols] for r in rows]


class Workbook:
    """A pretend workbook: sheets with values, fills per cell, names, selection."""

    def __init__(self, sheets: list[dict], names: list[dict] | None = None, name: str = "903.xlsx"):
        self.name = name
        self.sheets = [copy.deepcopy(s) for s in sheets]
        self.names = names or []
        self.fills: dict[tuple[str, int, int], str] = {}
        self.active, self.selection = 0, "A1"
        self.alerts: list[str] = []
        self.notes: dict[tuple[str, str], str] = {}  # (sheet, 'B3') -> text
        self.paints: list[tuple[str | None, set]] = []  # (colour or None, cells) per fill action applied

    def payload(self) -> dict:
        return {"client": "Office.js", "version": xw.__version__,
                "book": {"name": self.name, "active_sheet_index": self.active, "selection": self.selection},
                "names": copy.deepcopy(self.names), "sheets": copy.deepcopy(self.sheets)}

    def book(self):
        return xw.Book(json=self.payload())

    def sheet_names(self) -> list[str]:
        return [s["name"] for s in self.sheets]

    def values(self, name: str) -> list[list]:
        return next(s for s in self.sheets if s["name"] == name)["values"]

    def apply(self, actions: list[dict]) -> None:
        for a in actions:
            getattr(self, "_" + a["func"], lambda a: None)(a)

    def _cells(self, a):
        name = self.sheets[a["sheet_position"]]["name"]
        for r in range(a["start_row"] + 1, a["start_row"] + a["row_count"] + 1):
            for c in range(a["start_column"] + 1, a["start_column"] + a["column_count"] + 1):
                yield name, r, c

    def _addSheet(self, a):
        ix, name = a["args"]
        self.sheets.insert(ix, sheet(name, [[""]]))

    def _sheetDelete(self, a):
        name = self.sheets.pop(a["sheet_position"])["name"]
        self.fills = {k: v for k, v in self.fills.items() if k[0] != name}

    def _setSheetVisibility(self, a):
        self.sheets[a["sheet_position"]]["visibility"] = a["args"][0]

    def _activateSheet(self, a):
        self.active = a["args"][0]

    def _rangeSelect(self, a):
        from openpyxl.utils import get_column_letter
        self.active = a["sheet_position"]
        self.selection = f"{get_column_letter(a['start_column'] + 1)}{a['start_row'] + 1}"

    def _setRangeColor(self, a):
        self.paints.append((a["args"][0] and a["args"][0].upper(), set(self._cells(a))))
        for key in self._cells(a):
            if a["args"][0] is None:
                self.fills.pop(key, None)
            else:
                self.fills[key] = a["args"][0].upper()

    def _setValues(self, a):
        values = self.sheets[a["sheet_position"]]["values"]
        r0, c0 = a["start_row"], a["start_column"]
        need_rows, need_cols = r0 + len(a["values"]), c0 + max(len(r) for r in a["values"])
        width = max(need_cols, max(len(r) for r in values))
        for r in values:
            r.extend([""] * (width - len(r)))
        values.extend([[""] * width for _ in range(need_rows - len(values))])
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                values[r0 + i][c0 + j] = v[1:] if isinstance(v, str) and v.startswith("'") else v

    def _address(self, a):
        return self.sheets[a["sheet_position"]]["name"], a["args"][0].replace("$", "")

    def _addNote(self, a):
        self.notes[self._address(a)] = a["args"][1]
        self._sync_notes()

    def _setNoteText(self, a):
        self.notes[self._address(a)] = a["args"][1]

    def _deleteNote(self, a):
        self.notes.pop(self._address(a), None)
        self._sync_notes()

    def _sync_notes(self):
        for s in self.sheets:
            s["notes"] = [{"address": addr} for (name, addr) in self.notes if name == s["name"]]

    def _namesAdd(self, a):
        name, refers_to = a["args"]
        self.names.append({"name": name, "refers_to": refers_to, "book_scope": True, "scope_sheet_index": None,
                           "scope_sheet_name": None, "sheet_index": None, "address": None})

    def _setNameRefersTo(self, a):
        for n in self.names:
            if n["name"] == a["args"][0]:
                n["refers_to"] = a["args"][3]

    def _alert(self, a):
        self.alerts.append(a["args"][0])


def run(wb: Workbook, func=None, **kw):
    """Run a layer function (default: Validate) on a fresh payload of ``wb`` and apply its
    actions; return (result, actions)."""
    if func is None:
        from xl_validator.excel import validate_book as func
    book = wb.book()
    result = func(book, **kw)
    actions = book.json()["actions"]
    wb.apply(actions)
    return result, actions
