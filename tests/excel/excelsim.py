"""Drive the Excel layer through xlwings' remote (Office.js) engine without Excel.

``payload`` builds what Office.js would send; ``Workbook`` keeps the state of a
pretend workbook and applies the actions a run returns, the way Excel would
(for the actions the layer uses), so a second run sees the first one's results.
"""
from __future__ import annotations

import copy
import os
from collections import Counter
from contextlib import ExitStack, contextmanager
from unittest import mock

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


# --- the desktop engine's shape, with every call to Excel counted ----------------------------------

NOTE_ACTIONS = ("addNote", "setNoteText", "deleteNote")


def remote_calls(actions: list[dict]) -> Counter:
    """Calls a run made on the remote engine, by kind: every change is one action; reads come
    with the payload and cost nothing."""
    kinds = {"setRangeColor": "fills", "setValues": "value writes", **{a: "notes" for a in NOTE_ACTIONS}}
    return Counter(kinds.get(a["func"], "other writes") for a in actions)


@contextmanager
def desktop(wb: Workbook, calls: Counter | None = None):
    """Run the layer as on desktop Excel, on top of the remote engine and ``wb``: fills and notes
    read back from ``wb`` (a block of mixed fills raises, as xlwings' COM engine does), a
    multi-area address ('B2:B5,D7') fills every area, and every call to Excel is counted in
    ``calls`` by kind (fills, fill reads, notes, note reads, value writes, value reads); the
    multi-area addresses used are listed in ``calls.addresses``."""
    from xlwings.pro import _xlremote as xr

    from xl_validator.excel import child, layer

    calls = Counter() if calls is None else calls
    calls.addresses = []
    color, note, text = xr.Range.color, xr.Range.note, xr.Note.text
    add_note, delete, notes, raw = xr.Range.add_note, xr.Note.delete, xr.Sheet.notes, xr.Range.raw_value
    sheet_range = xr.Sheet.range

    def fill_of(parts) -> tuple | None:
        found = {wb.fills.get((p.sheet.name, r, c)) for p in parts
                 for r in range(p.arg1[0], p.arg1[0] + p.shape[0]) for c in range(p.arg1[1], p.arg1[1] + p.shape[1])}
        if len(found) > 1:
            raise TypeError("mixed fills")
        hexa = found.pop()
        return None if hexa is None else tuple(int(hexa[i:i + 2], 16) for i in (1, 3, 5))

    def counted(kind, then):
        def call(*args, **kw):
            calls[kind] += 1
            return then(*args, **kw)
        return call

    class Areas:
        """What desktop Excel makes of a multi-area address: one range, every area filled."""

        def __init__(self, sheet, address):
            calls.addresses.append(address)
            self.address, self.parts = address, [sheet_range(sheet, a) for a in address.split(",")]

        @property
        def color(self):
            calls["fill reads"] += 1
            return fill_of(self.parts)

        @color.setter
        def color(self, value):
            calls["fills"] += 1
            for p in self.parts:
                color.fset(p, value)

    def areas_or_range(sheet, arg1, arg2=None):
        if isinstance(arg1, str) and "," in arg1:
            return Areas(sheet, arg1)
        return sheet_range(sheet, arg1, arg2)

    with ExitStack() as stack:
        patch = lambda *a: stack.enter_context(mock.patch.object(*a))  # noqa: E731
        for module in (layer, child):
            patch(module, "is_remote", lambda book: False)
        patch(xr.Sheet, "range", areas_or_range)
        patch(xr.Range, "color", property(counted("fill reads", lambda r: fill_of([r])),
                                          counted("fills", color.fset)))
        patch(xr.Range, "note", property(counted("note reads", note.fget)))
        patch(xr.Range, "add_note", counted("notes", add_note))
        patch(xr.Range, "raw_value", property(counted("value reads", raw.fget), counted("value writes", raw.fset)))
        patch(xr.Note, "text", property(counted("note reads", lambda n: wb.notes[(n.range.sheet.name,
                                                                                   n.range.address.replace("$", ""))]),
                                        counted("notes", text.fset)))
        patch(xr.Note, "delete", counted("notes", delete))
        patch(xr.Note, "location", property(lambda n: n.range))
        patch(xr.Sheet, "notes", property(counted("note reads", notes.fget)))
        yield calls
