"""Find a Local rules sheet and read its rows as definitions, each with its sheet row number."""
from __future__ import annotations

from pathlib import Path

from ...read import InputError
from ...read.limits import check_zip
from ...read.workbook import HEADER_SEARCH_ROWS
from .vocabulary import squeeze, vocabulary


def is_rules_sheet(name: str) -> bool:
    return squeeze(name).replace("_", " ") in {squeeze(n).replace("_", " ") for n in vocabulary()["sheet_names"]}


def _heading(cell) -> str:
    return squeeze(cell).replace(" ", "_")


def definition_rows(rows: list[list], where: str, first_row: int = 1) -> list[tuple[int, dict]]:
    """(sheet row, {heading: cell}) for every filled row under the header row; InputError when
    no header row with 'code' and 'check' is found or a needed column is missing."""
    known = vocabulary()["columns"]
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        heads = [_heading(c) for c in row]
        if "code" in heads and "check" in heads:
            break
    else:
        raise InputError(f"{where}: no header row with 'code' and 'check' in the first {HEADER_SEARCH_ROWS} rows "
                         f"(expected columns: {', '.join(known)})")
    missing = [c for c in vocabulary()["required_columns"] if c not in heads]
    if missing:
        raise InputError(f"{where}: the header row (row {first_row + i}) has no column(s) {', '.join(missing)}")
    at = {h: j for j, h in reversed(list(enumerate(heads))) if h in known}
    out = []
    for n, row in enumerate(rows[i + 1:], start=first_row + i + 1):
        cells = {h: (row[j] if j < len(row) else None) for h, j in at.items()}
        if any(str(v).strip() for v in cells.values() if v is not None):
            out.append((n, cells))
    return out


class BookSheets:
    """The sheets of a saved workbook, read one at a time by name (loosely: case and spaces)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        check_zip(self.path)
        try:
            from python_calamine import CalamineWorkbook
        except ImportError:
            CalamineWorkbook = None
        try:
            if CalamineWorkbook is not None:
                self._book = CalamineWorkbook.from_path(str(self.path))
                self.names = list(self._book.sheet_names)
            else:
                import openpyxl
                self._book = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
                self.names = list(self._book.sheetnames)
        except Exception as e:  # damaged or not a workbook: each library raises its own types
            raise InputError(f"{self.path}: the workbook cannot be opened ({type(e).__name__}: {e})") from None
        self._calamine = CalamineWorkbook is not None

    def find(self, name: str) -> str | None:
        wanted = squeeze(name)
        return next((n for n in self.names if squeeze(n) == wanted), None)

    def rules_sheet(self) -> str | None:
        return next((n for n in self.names if is_rules_sheet(n)), None)

    def __call__(self, name: str) -> list[list] | None:
        found = self.find(name)
        if found is None:
            return None
        if self._calamine:
            return self._book.get_sheet_by_name(found).to_python(skip_empty_area=False)
        return [list(r) for r in self._book[found].iter_rows(values_only=True)]
