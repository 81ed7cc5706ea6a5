"""Desktop Excel: many scattered flagged cells are filled a multi-area address at a time, Clear
puts every fill and note back exactly, and beyond the note limit only the rarest rules' cells
get a note (counted calls, through the desktop shape of tests/excel/excelsim.py)."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from excelsim import Workbook, desktop, header_rows, run, sheet  # noqa: E402

import xl_validator.excel as xe  # noqa: E402
from xl_validator.annotate.locate import flagged_cells  # noqa: E402
from xl_validator.excel import layer  # noqa: E402
from xl_validator.excel.blocks import rectangles  # noqa: E402
from xl_validator.excel.layer import FILL  # noqa: E402

RULES = ["101", "102", "103"]  # SEX (column B), DOB (C), ETHNIC (D)


def child(i: int, bad_sex: bool, bad_dob: bool, bad_ethnic: bool) -> dict:
    return {"CHILD": str(i), "SEX": "7" if bad_sex else "1", "DOB": "2012-01-01" if bad_dob else "01/01/2012",
            "ETHNIC": "XXXX" if bad_ethnic else "WBRI"}


def painted(wb) -> set:
    return {k for k, v in wb.fills.items() if k[0] == "Header" and v == FILL}


def flagged(report) -> set:
    cells = flagged_cells(report.findings, report.tables)
    return set(zip(cells["sheet"], cells["row"], cells["col"]))


def test_scattered_cells_take_few_fill_calls_and_clear_puts_every_fill_and_note_back():
    rows = [child(i, i % 3 == 0, i % 7 == 0, i % 5 == 0) for i in range(3000)]  # child i on sheet row i + 2
    wb = Workbook([sheet("Header", header_rows(rows))])
    own = {("Header", r, 2): "#FFFF00" for r in range(2, 3002, 50)}  # the analyst's yellow, some on flagged cells
    own[("Header", 5, 5)] = "#00B050"  # and green on a cell no rule flags
    wb.fills.update(own)
    wb.notes[("Header", "D2")] = "checked with social worker"
    wb._sync_notes()
    with desktop(wb) as calls:
        report, _ = run(wb, year="2022/23", rules=RULES)
        rects = rectangles(flagged_cells(report.findings, report.tables))
        assert len(rects) > 1500
        assert calls["fills"] <= len(rects) / 10  # one call per multi-area address (and one for the legend)
        assert calls["fill reads"] <= len(rects) / 5  # areas holding the analyst's yellow are read block by block
        assert calls.addresses and max(len(a) for a in calls.addresses) <= 255
        assert painted(wb) == flagged(report)
        assert wb.fills[("Header", 5, 5)] == "#00B050"

        for i in range(0, 3000, 15):  # correct every child whose SEX and ETHNIC were both wrong
            wb.values("Header")[i + 1][1] = "1"
            wb.values("Header")[i + 1][3] = "WBRI"
        report, _ = run(wb, year="2022/23", rules=RULES)
        assert painted(wb) == flagged(report)
        assert wb.fills[("Header", 2, 2)] == "#FFFF00"  # child 0's SEX: corrected, the analyst's fill is back
        run(wb, xe.clear_book)
    assert wb.fills == own
    assert wb.notes == {("Header", "D2"): "checked with social worker"}
    assert wb.sheet_names() == ["Header"]


def test_beyond_the_note_limit_only_the_rarest_rules_cells_get_notes(monkeypatch):
    monkeypatch.setattr(layer, "NOTE_LIMIT", 10)
    # 101 flags 30 SEX cells; 103 two ETHNIC cells; 102 three DOB cells: 5 cells noted, 101's left to the Errors sheet
    rows = [child(i, i < 30, 35 <= i < 38, i in (0, 32)) for i in range(40)]
    wb = Workbook([sheet("Header", header_rows(rows))])
    with desktop(wb) as calls:
        report, _ = run(wb, year="2022/23", rules=RULES)
        assert len(painted(wb)) == 35 and calls["notes"] == 5
        assert set(wb.notes) == {("Header", a) for a in ("D2", "D34", "C37", "C38", "C39")}
        assert wb.notes[("Header", "D2")].startswith("103: ")  # child 0's SEX (B2) is flagged but not noted
        summary = " ".join(str(v) for r in wb.values("Summary") for v in r)
        assert ("35 cells are flagged, more than the 10 that get a note: notes were added to the 5 cells of the "
                "2 rules that flag fewest cells") in summary
        run(wb, xe.clear_book)
    assert wb.notes == {} and wb.fills == {}
