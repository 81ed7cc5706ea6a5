"""The Excel layer driven through xlwings' remote (Office.js) engine, with a pretend workbook
applying the actions as Excel would."""
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
import excelsim  # noqa: E402
from excelsim import Workbook, header_rows, run, sheet  # noqa: E402

import xl_validator.excel as xe  # noqa: E402
from xl_validator.annotate.locate import flagged_cells  # noqa: E402
from xl_validator.excel.blocks import cells_of, rectangles  # noqa: E402
from xl_validator.excel.layer import FILL  # noqa: E402

RULES = ["101", "102", "103"]
ROWS = [  # sheet rows 2-5; errors: SEX (B) rows 3-4, DOB (C) row 3, ETHNIC (D) rows 3-4
    {"CHILD": "1", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI"},
    {"CHILD": "2", "SEX": "7", "DOB": "2012-01-01", "ETHNIC": "XXXX"},
    {"CHILD": "3", "SEX": "8", "DOB": "01/01/2012", "ETHNIC": "ZZZZ"},
    {"CHILD": "4", "SEX": "2", "DOB": "01/01/2013", "ETHNIC": "WBRI"},
]
EXPECTED = {("Header", 3, 2), ("Header", 4, 2), ("Header", 3, 3), ("Header", 3, 4), ("Header", 4, 4)}


def make(rows=ROWS, **kw):
    return Workbook([sheet("Header", header_rows(rows)), sheet("Notes", [["written by the analyst"]])], **kw)


def data_paints(wb, colour=FILL):
    return [cells for c, cells in wb.paints if c == colour and all(s == "Header" for s, _, _ in cells)]


def test_paints_exactly_the_flagged_cells_one_call_per_block():
    wb = make()
    report, actions = run(wb, year="2022/23", rules=RULES)
    blocks = data_paints(wb)
    assert set().union(*blocks) == EXPECTED
    assert len(blocks) == 3  # B3:B4, C3, D3:D4
    cells = flagged_cells(report.findings, report.tables)
    assert set(zip(cells["sheet"], cells["row"], cells["col"])) == EXPECTED
    assert wb.sheet_names() == ["Summary", "Header", "Notes", "Errors", "xl_validator"]
    assert next(s for s in wb.sheets if s["name"] == "xl_validator")["visibility"] == "Hidden"
    assert not [a for a in actions if a["func"] in ("addNote", "setNoteText")]  # no notes on this engine


def test_errors_sheet_lists_findings_with_links():
    wb = make()
    run(wb, year="2022/23", rules=RULES)
    rows = wb.values("Errors")
    assert rows[0] == ["Code", "Message", "Table", "Child", "Row", "Column", "Go to cell", "Source", "Severity", "Last year"]
    found = {(r[0], r[3], r[4], r[5]) for r in rows[1:]}
    assert found == {("101", "2", 3, "SEX"), ("101", "3", 4, "SEX"), ("102", "2", 3, "DOB"),
                     ("103", "2", 3, "ETHNIC"), ("103", "3", 4, "ETHNIC")}
    links = {r[0] + r[3]: r[6] for r in rows[1:]}
    assert links["1022"] == '=HYPERLINK("#\'Header\'!C3","Header!C3")'
    assert links["1033"] == '=HYPERLINK("#\'Header\'!D4","Header!D4")'


def test_summary_sheet_counts_settings_and_legend():
    wb = make()
    run(wb, year="2022/23", rules=RULES)
    rows = wb.values("Summary")
    pairs = {r[0]: r[1] for r in rows if r and r[0]}
    assert pairs["Findings"] == 5 and pairs["Cells flagged"] == 5 and pairs["Blocks painted"] == 3
    assert pairs["Collection year"] == "2022/23 (given)" and pairs["Council code"] == "not given"
    assert [r[:2] for r in rows if r[0] in ("101", "103")] == [["101", 2], ["103", 2]]
    assert ["Header", 5] in [r[:2] for r in rows]
    legend = next(i for i, r in enumerate(rows, start=1) if str(r[1]).startswith("Cells filled like this"))
    assert wb.fills[("Summary", legend, 1)] == FILL


def test_clear_restores_cells_and_removes_own_sheets():
    wb = make()
    run(wb, year="2022/23", rules=RULES)
    _, actions = run(wb, xe.clear_book)
    assert set().union(*data_paints(wb, None)) == EXPECTED
    assert [a["func"] for a in actions].count("sheetDelete") == 3
    assert wb.sheet_names() == ["Header", "Notes"]
    assert not wb.fills
    assert wb.values("Notes") == [["written by the analyst"]]


def test_second_validate_after_a_fix_no_longer_paints_that_cell():
    wb = make()
    run(wb, year="2022/23", rules=RULES)
    wb.values("Header")[2][1] = "1"  # child 2's SEX fixed (B3)
    report, actions = run(wb, year="2022/23", rules=RULES)
    assert len(report.findings) == 4
    assert {k for k in wb.fills if k[0] == "Header"} == EXPECTED - {("Header", 3, 2)}
    assert wb.sheet_names().count("Errors") == 1 and wb.sheet_names().count("xl_validator") == 1
    assert len(wb.values("Errors")) == 5


def test_ten_thousand_flagged_cells_cost_one_action_per_block():
    # Children 0-6 of every ten have a bad SEX (B) and a bad DOB (C): one B:C block per run of 7.
    rows = [{"CHILD": str(i), "SEX": "7" if i % 10 < 7 else "1", "DOB": "2012-01-01" if i % 10 < 7 else "01/01/2012",
             "ETHNIC": "WBRI"} for i in range(7143)]
    wb = make(rows)
    report, actions = run(wb, year="2022/23", rules=["101", "102"])
    cells = flagged_cells(report.findings, report.tables)
    rects = rectangles(cells)
    assert len(cells) >= 10000 and len(rects) == 715
    assert set().union(*data_paints(wb)) == set(zip(cells["sheet"], cells["row"], cells["col"]))
    assert len(data_paints(wb)) == len(rects)
    print(f"\n{len(cells)} flagged cells in {len(rects)} blocks: {len(actions)} actions in all")
    assert len(actions) <= len(rects) + 40


def test_rectangles_cover_cells_exactly_and_merge_matching_columns():
    import numpy as np
    rng = np.random.default_rng(1)
    cells = pd.DataFrame({"sheet": rng.choice(["A", "B"], 100_000), "row": rng.integers(2, 3000, 100_000),
                          "col": rng.integers(1, 12, 100_000)})
    rects = rectangles(cells)
    back = cells_of(rects)
    assert len(back) == len(back.drop_duplicates())  # no overlaps
    assert set(map(tuple, back.to_numpy().tolist())) == set(map(tuple, cells.drop_duplicates().to_numpy().tolist()))
    square = pd.DataFrame({"sheet": "S", "row": [2, 3, 4, 2, 3, 4, 9], "col": [2, 2, 2, 3, 3, 3, 3]})
    assert rectangles(square).values.tolist() == [["S", 2, 2, 4, 3], ["S", 9, 3, 9, 3]]


def test_used_range_not_at_a1_and_dates_from_office_js():
    values = [[""] * 9 for _ in range(2)] + [["", ""] + r for r in header_rows(ROWS[:2])]
    values[3][4] = 40909.0  # DOB as a serial number: 01/01/2012
    values[4][4] = "2012-01-01T00:00:00.000Z"  # DOB as Office.js sends a recognised date
    s = sheet("Header", [r + [""] * (9 - len(r)) for r in values])
    s["used_range_address"] = "C3:I5"  # the payload is anchored at A1, the used range is not
    wb = Workbook([s])
    report, _ = run(wb, year="2022/23", rules=RULES)
    assert sorted(report.findings["code"]) == ["101", "103"]  # both DOBs read as dates
    assert set().union(*data_paints(wb)) == {("Header", 5, 4), ("Header", 5, 6)}


def test_next_and_previous_error_wrap_around():
    wb = make()
    run(wb, year="2022/23", rules=RULES)
    wb.active, wb.selection = 1, "A1"
    seen = [run(wb, xe.next_error)[0] for _ in range(6)]
    assert seen == ["Header!B3", "Header!C3", "Header!D3", "Header!B4", "Header!D4", "Header!B3"]
    assert run(wb, xe.previous_error)[0] == "Header!D4"


def test_settings_are_kept_in_the_workbook_and_used():
    wb = make()
    run(wb, xe.write_settings, year="2022/23", local_authority="E09000027",
        previous="/nowhere/903_last.xlsx", providers=["/nowhere/a.xlsx", "/nowhere/b.xlsx"])
    got = xe.read_settings(wb.book())
    assert (got.year, got.local_authority, got.providers) == ("2022/23", "E09000027",
                                                              ["/nowhere/a.xlsx", "/nowhere/b.xlsx"])
    report, _ = run(wb, rules=RULES)  # year from the settings; missing files are noted, not fatal
    assert report.year == "2022/23"
    text = " ".join(str(v) for r in wb.values("Summary") for v in r)
    assert "E09000027" in text and "/nowhere/903_last.xlsx' (from the settings) was not found" in text


def test_a_long_path_setting_survives_excels_255_character_limit():
    wb = make()
    long = "C:/" + "x" * 600 + '/"903".xlsx'
    run(wb, xe.write_settings, previous=long)
    assert max(len(p) for p in wb.names[0]["refers_to"].split("&")) < 255
    assert xe.read_settings(wb.book()).previous == long


@pytest.mark.parametrize("workbook, words", [
    (Workbook([sheet("Budget", [["Cost", "Total"], [1, 2]])]), "No 903 sheets were found"),
    (make(), "not supported"),
])
def test_problems_become_plain_alerts(workbook, words):
    kwargs = {"year": "1999/00"} if words == "not supported" else {}
    run(workbook, xe.run_with_alerts, action=xe.validate_book, **kwargs)
    assert len(workbook.alerts) == 1 and words in workbook.alerts[0]
    assert "Traceback" not in workbook.alerts[0]


def test_clear_and_navigation_without_a_run():
    wb = make()
    _, actions = run(wb, xe.clear_book)
    assert actions == []
    run(wb, xe.run_with_alerts, action=xe.next_error)
    assert wb.alerts == ["No errors are marked in this workbook: run Validate first."]


@pytest.fixture
def desktop():
    """The desktop path (fills and notes readable, multi-area addresses) on the same pretend
    workbook, with the analyst's own fill and note on cells that get flagged."""
    wb = make()
    wb.fills[("Header", 3, 2)] = "#FFFF00"  # the analyst's own yellow on a cell that gets flagged
    wb.notes[("Header", "D4")] = "checked with social worker"
    wb._sync_notes()
    with excelsim.desktop(wb) as calls:
        wb.calls = calls
        yield wb


def test_desktop_records_fills_and_notes_and_clear_restores_them(desktop):
    wb = desktop
    run(wb, year="2022/23", rules=RULES)
    assert {k for k, v in wb.fills.items() if k[0] == "Header" and v == FILL} == EXPECTED
    assert wb.notes[("Header", "B3")] == "101: Gender code is not valid."
    assert wb.notes[("Header", "D4")].startswith("103: ")
    assert set(k for k in wb.notes if k[0] == "Header") == {("Header", a) for a in ("B3", "B4", "C3", "D3", "D4")}
    run(wb, xe.clear_book)
    assert wb.fills == {("Header", 3, 2): "#FFFF00"}
    assert wb.notes == {("Header", "D4"): "checked with social worker"}
    assert wb.sheet_names() == ["Header", "Notes"]


def test_summary_shows_the_region_beside_each_rule_from_the_benchmark_setting(tmp_path):
    """Issue 13: a benchmark (here a folder of two councils' profiles) set in the workbook puts
    the region's median errors per 100 children beside this book's own figure for each rule."""
    import json

    def profile(council, children, found):
        return {"format": "xl_validator error profile", "format_version": 1, "council": council,
                "year": "2022/23", "run_at": "2026-11-01T09:00:00", "tool_version": "0.1.0", "children": children,
                "rules_run": RULES, "rule_versions": {c: "2022/23" for c in RULES}, "findings": sum(found.values()),
                "by_rule": {c: {"group": "Child details", "findings": n, "children": n} for c, n in found.items()}}

    region = tmp_path / "region"
    region.mkdir()
    (region / "a.json").write_text(json.dumps(profile("E09000003", 100, {"101": 10})))
    (region / "b.json").write_text(json.dumps(profile("E09000005", 50, {"101": 1, "103": 2})))
    wb = make()
    run(wb, xe.write_settings, year="2022/23", benchmark=str(region))
    assert xe.read_settings(wb.book()).benchmark == str(region)
    run(wb, rules=RULES)
    rows = wb.values("Summary")
    at = next(i for i, r in enumerate(rows) if str(r[0]).startswith("Against the region"))
    block = {r[0]: r[1:4] for r in rows[at + 2:at + 6] if r and r[0]}
    assert block["101"] == [50.0, 6.0, 44.0]   # ours 2 of 4 children; region (10 + 2) / 2 per 100
    assert block["103"] == [50.0, 2.0, 48.0]   # region median of 0 and 4
    missing = make()
    run(missing, xe.write_settings, year="2022/23", benchmark="/nowhere/region.xlsx")
    run(missing, rules=RULES)
    assert "Regional benchmark '/nowhere/region.xlsx' was not found" in " ".join(
        str(v) for r in missing.values("Summary") for v in r)


def test_desktop_note_says_open_since_when_the_run_history_saw_the_finding_before(desktop, tmp_path, monkeypatch):
    """Issue 16: the cell note carries the date the history first saw the finding; a new one has no date."""
    from datetime import datetime

    import xl_validator as xv
    from xl_validator.report import history

    db = tmp_path / "h.sqlite"
    monkeypatch.setenv(history.ENV, str(db))
    earlier = ROWS[:2] + [{**ROWS[2], "SEX": "1"}] + ROWS[3:]  # child 3's SEX was not yet wrong
    report = xv.validate({"Header": pd.DataFrame(earlier)}, year="2022/23", rules=RULES, postcodes=None)
    history.record(report, None, at=datetime(2026, 10, 2, 9, 0))
    run(desktop, year="2022/23", rules=RULES)
    assert desktop.notes[("Header", "B3")] == "101: Gender code is not valid. (open since 02/10/2026)"
    assert desktop.notes[("Header", "B4")] == "101: Gender code is not valid."
