"""The Dashboard button on the remote (Office.js) engine: one block of values, batched formats,
native charts, the suppression setting, and Clear taking the sheet away again."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parent.parent))
from dashboard_return import LA, this_year  # noqa: E402
from excelsim import Workbook, run, sheet  # noqa: E402

from xl_validator.annotate.dashboard import SHEET  # noqa: E402
from xl_validator.excel import clear_book, desktop, validate_book, write_settings  # noqa: E402
from xl_validator.excel.dashboard import dashboard_book  # noqa: E402


def hand_made_book() -> Workbook:
    sheets = []
    for name, frame in this_year().items():
        sheets.append(sheet(name, [list(frame.columns)] + frame.astype(str).values.tolist()))
    return Workbook(sheets, name="903_2025-26.xlsx")


def _row(wb, label):
    return next(r for r in wb.values(SHEET) if r and r[0] == label)


def test_dashboard_button_writes_the_figures_in_one_block_with_charts():
    wb = hand_made_book()
    run(wb, write_settings, local_authority=LA)
    board, actions = run(wb, dashboard_book, year="2025/26")
    assert wb.sheet_names()[0] == SHEET
    at = wb.sheet_names().index(SHEET)
    values = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == at]
    assert len(values) == 1  # every figure in one write
    assert _row(wb, "Looked after at 31 March")[1] == 5 and _row(wb, "UASC at 31 March")[1] == 1
    assert "shown as they are" in wb.values(SHEET)[2][0]
    assert sum(a["func"] == "addChart" for a in actions) == 3
    assert len(actions) < 250  # formats batched: per section, figure title and block of percentages
    assert any(r and str(r[0]).startswith("What each figure counts") for r in wb.values(SHEET))  # no notes here
    assert board.figure("cla").value("Looked after at 31 March") == 5


def test_the_setting_suppresses_small_numbers_and_the_sheet_says_so():
    wb = hand_made_book()
    run(wb, write_settings, local_authority=LA, suppress_small=True)
    run(wb, dashboard_book, year="2025/26")
    assert "SUPPRESSED" in wb.values(SHEET)[2][0]
    assert _row(wb, "UASC at 31 March")[1:3] == ["[c]", "[c]"] and _row(wb, "Looked after at 31 March")[1] == 5


def test_clear_removes_the_dashboard_even_after_validate():
    wb = hand_made_book()
    run(wb, dashboard_book, year="2025/26")
    run(wb, validate_book, year="2025/26")
    assert SHEET in wb.sheet_names()
    run(wb, clear_book)
    assert SHEET not in wb.sheet_names() and "Errors" not in wb.sheet_names()


def test_the_ribbon_entry_builds_it_and_says_how_small_numbers_are_shown(monkeypatch):
    wb = hand_made_book()
    run(wb, write_settings, year="2025/26")
    book = wb.book()
    monkeypatch.setattr(desktop.xw.Book, "caller", staticmethod(lambda: book))
    desktop.dashboard()
    wb.apply(book.json()["actions"])
    assert wb.sheet_names()[0] == SHEET and "Small numbers are shown as they are" in wb.alerts[-1]
