"""Validate again after correcting a few cells: only the cells whose state changed are repainted
(counted as actions through the remote engine), and the result is what a fresh run paints."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from excelsim import Workbook, header_rows, run, sheet  # noqa: E402

import xl_validator.excel as xe  # noqa: E402
from xl_validator.excel.layer import FILL  # noqa: E402
from xl_validator.sample import generate  # noqa: E402

ROWS = [
    {"CHILD": "1", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI"},
    {"CHILD": "2", "SEX": "7", "DOB": "2012-01-01", "ETHNIC": "XXXX"},
    {"CHILD": "3", "SEX": "8", "DOB": "01/01/2012", "ETHNIC": "ZZZZ"},
]


def paints(actions):
    """Fill actions on the data sheets: those before the run adds its own sheets (the Summary legend)."""
    first_added = next((i for i, a in enumerate(actions) if a["func"] == "addSheet"), len(actions))
    return [a for a in actions[:first_added] if a["func"] == "setRangeColor"]


def data_fills(wb):
    own = {"Summary", "Errors", "xl_validator"}
    return {k: v for k, v in wb.fills.items() if k[0] not in own}


def test_a_corrected_cell_is_the_only_cell_repainted():
    wb = Workbook([sheet("Header", header_rows(ROWS))])
    run(wb, year="2022/23", rules=["101", "103"])
    assert set(data_fills(wb)) == {("Header", 3, 2), ("Header", 4, 2), ("Header", 3, 4), ("Header", 4, 4)}
    wb.values("Header")[2][1] = "1"  # B3: SEX corrected
    _, actions = run(wb, year="2022/23", rules=["101", "103"])
    header = paints(actions)
    assert len(header) == 1 and header[0]["args"] == [None]  # B3 unpainted; nothing else touched
    assert (header[0]["start_row"], header[0]["start_column"]) == (2, 1)
    assert set(data_fills(wb)) == {("Header", 4, 2), ("Header", 3, 4), ("Header", 4, 4)}
    wb.values("Header")[3][3] = "QQQQ"  # D4 still wrong, differently: stays painted
    wb.values("Header")[3][1] = "1"  # B4 corrected
    wb.values("Header")[1][1] = "9"  # B2 newly wrong
    _, actions = run(wb, year="2022/23", rules=["101", "103"])
    assert sorted((a["start_row"] + 1, a["args"][0]) for a in paints(actions)) == [(2, FILL), (4, None)]
    run(wb, xe.clear_book)
    assert data_fills(wb) == {} and wb.sheet_names() == ["Header"]


def tables_as_sheets(tables):
    return [sheet(name, [list(df.columns)] + df.to_numpy().tolist()) for name, df in tables.items() if len(df)]


def test_fixing_one_cell_in_a_2700_child_book_costs_a_handful_of_actions():
    tables, _ = generate(2700, "2025/26", seed=11)
    wb = Workbook(tables_as_sheets(tables))
    report, first = run(wb, year="2025/26")
    finding = report.findings[report.findings["code"] == "178"].iloc[0]  # an invalid provider code
    sheet_name, address = finding["cell"].split("!")
    col = ord(address[0]) - ord("A")
    row = int(address[1:]) - 1
    wb.values(sheet_name)[row][col] = "PR4"
    _, second = run(wb, year="2025/26")
    assert len(paints(first)) > 600 and len(paints(second)) == 1  # the one cell corrected
    assert len(second) <= 35  # the rest rewrites the Errors and Summary sheets: the same for any book size
    assert (sheet_name, row + 1, col + 1) not in wb.fills

    fresh = Workbook(wb.sheets[:])  # the corrected values in a book never validated
    fresh.sheets = [s for s in fresh.sheets if s["name"] not in ("Summary", "Errors", "xl_validator")]
    run(fresh, year="2025/26")
    assert data_fills(wb) == data_fills(fresh)


def test_check_this_child_repaints_that_childs_cells_and_lists_its_findings():
    from xl_validator.excel.child import check_child, child_text

    wb = Workbook([sheet("Header", header_rows(ROWS))])
    run(wb, year="2022/23", rules=["101", "103"])
    wb.values("Header")[2][1] = "1"  # child 2's SEX corrected (B3); ETHNIC D3 still wrong
    wb.values("Header")[3][1] = "1"  # child 3's SEX corrected too (B4), but child 3 is not checked
    wb.active, wb.selection = wb.sheet_names().index("Header"), "A3"
    (child, report), actions = run(wb, check_child, year="2022/23", rules=["101", "103"])
    assert child == "2" and sorted(report.findings["code"]) == ["103"]
    assert [(a["start_row"] + 1, a["start_column"] + 1, a["args"][0]) for a in paints(actions)] == [(3, 2, None)]
    assert set(data_fills(wb)) == {("Header", 4, 2), ("Header", 3, 4), ("Header", 4, 4)}
    text = child_text(child, report)
    assert text.startswith("Child 2: 1 error.") and "103 D3: " in text
    run(wb, xe.clear_book)  # the record stayed whole: Clear puts every cell back
    assert data_fills(wb) == {}
    wb.selection = "A1"
    with pytest.raises(xe.layer.InputError, match="Select a cell in the child's row"):
        check_child(wb.book(), year="2022/23")
