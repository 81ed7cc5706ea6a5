"""The Fix workflow in the open workbook (preview, apply, undo) through xlwings' remote engine,
with the pretend workbook applying each run's actions as Excel would."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from excelsim import Workbook, header_rows, sheet  # noqa: E402

from xl_validator.excel import desktop, fixing, write_settings  # noqa: E402
from xl_validator.excel.blocks import rectangles  # noqa: E402
from xl_validator.fix.apply import LOG_HEADER  # noqa: E402

YEAR = "2022/23"
HEADER = [  # sheet rows 2-7
    {"CHILD": "1", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "wbri"},
    {"CHILD": "2", "SEX": "2", "DOB": "01/01/2012", "ETHNIC": "wbri"},
    {"CHILD": "3", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI"},
    {"CHILD": "4", "SEX": "2", "DOB": "2012-01-01", "ETHNIC": "WBRI"},
    {"CHILD": "5", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI "},
    {"CHILD": "007 ", "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "WBRI"},
]
EPISODE = {"DECOM": "01/04/2022", "RNE": "S", "LS": "C2", "CIN": "N1", "PLACE": "U1", "PLACE_PROVIDER": "PR1",
           "HOME_POST": "TW9 1DN", "PL_POST": "TW9 2DN"}
EPISODES = [  # sheet rows 2-4
    {**EPISODE, "CHILD": "1", "DEC": "2023-01-05", "REC": "E11"},
    {**EPISODE, "CHILD": "2", "DEC": "2023-02-01", "REC": "E11", "HOME_POST": "tw91dn", "PL_POST": "tw9 2dn"},
    {**EPISODE, "CHILD": "3", "RNE": "s", "LS": "C2 "},
]
EXPECTED = {  # (sheet, cell): (old, new)
    ("Header", "D2"): ("wbri", "WBRI"), ("Header", "D3"): ("wbri", "WBRI"),
    ("Header", "C5"): ("2012-01-01", "01/01/2012"), ("Header", "D6"): ("WBRI ", "WBRI"),
    ("Header", "A7"): ("007 ", "007"),
    ("Episodes", "H2"): ("2023-01-05", "05/01/2023"), ("Episodes", "H3"): ("2023-02-01", "01/02/2023"),
    ("Episodes", "K3"): ("tw91dn", "TW9 1DN"), ("Episodes", "L3"): ("tw9 2dn", "TW9 2DN"),
    ("Episodes", "C4"): ("s", "S"), ("Episodes", "D4"): ("C2 ", "C2"),
}
# one column's contiguous cells are a run: D2:D3, C5, D6, A7, H2:H3, K3, L3, C4, D4
RUNS = 9


def make(header=HEADER, episodes=EPISODES):
    return Workbook([sheet("Header", header_rows(header)), sheet("Episodes", header_rows(episodes, "Episodes"))])


def run(wb, func, **kw):
    """Run ``func`` on a fresh payload of ``wb`` and apply its actions; (result, actions, sheets before)."""
    book, names = wb.book(), wb.sheet_names()
    result = func(book, **kw)
    actions = book.json()["actions"]
    wb.apply(actions)
    run.sheets_before = names
    return result, actions


def address(a) -> str:
    from openpyxl.utils import get_column_letter
    return f"{get_column_letter(a['start_column'] + 1)}{a['start_row'] + 1}"


def data_writes(before: list[str], actions):
    """The setValues actions on the 903 sheets, as {(sheet, cell): value written}, and how many;
    ``before``: the sheet names before the run (positions move as sheets are added and deleted)."""
    names = list(before)
    written, count = {}, 0
    for a in actions:
        if a["func"] == "addSheet":
            names.insert(a["args"][0], a["args"][1])
        elif a["func"] == "sheetDelete":
            names.pop(a["sheet_position"])
        if a["func"] != "setValues" or names[a["sheet_position"]] not in ("Header", "Episodes"):
            continue
        count += 1
        for i, row in enumerate(a["values"]):
            for j, v in enumerate(row):
                a1 = dict(a, start_row=a["start_row"] + i, start_column=a["start_column"] + j)
                written[(names[a["sheet_position"]], address(a1))] = v
    return written, count


def preview_rows(wb) -> dict:
    rows = wb.values(fixing.PREVIEW)
    assert rows[fixing.HEADER_ROW - 1] == fixing.PREVIEW_HEADER
    return {(r[0], r[1]): r for r in rows[fixing.HEADER_ROW:] if any(r)}


def test_preview_lists_exactly_the_mechanical_cells_and_changes_nothing():
    wb = make()
    found, actions = run(wb, fixing.preview_fixes, year=YEAR)
    assert len(found) == len(EXPECTED)
    rows = preview_rows(wb)
    assert {k: (r[3], r[4]) for k, r in rows.items()} == EXPECTED
    assert rows[("Episodes", "H2")][2:7] == ["DEC", "2023-01-05", "05/01/2023", "date_format", "147"]
    assert rows[("Header", "D6")][7] == '=HYPERLINK("#\'Header\'!D6","Header!D6")'
    assert wb.values(fixing.PREVIEW)[fixing.YEAR_ROW - 1][:2] == ["Collection year", YEAR]
    assert data_writes(run.sheets_before, actions) == ({}, 0)
    assert [a["func"] for a in actions if a["func"] in ("addSheet", "setValues")] == ["addSheet", "setValues"]


def test_apply_writes_exactly_those_cells_as_text_one_call_per_block():
    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    done, actions = run(wb, fixing.apply_fixes)
    written, count = data_writes(run.sheets_before, actions)
    assert written == {k: "'" + new for k, (old, new) in EXPECTED.items()}  # text: '007' keeps its zeros
    assert wb.values("Header")[6][0] == "007"
    cells = done.changed[["sheet", "row", "col"]]
    print(f"\n{len(EXPECTED)} cells in {count} writes ({RUNS} column runs); {len(actions)} actions in all")
    assert count == len(rectangles(cells)) == 7 <= RUNS  # K3:L3 and C4:D4 are one block each
    assert done.skipped == []
    assert fixing.PREVIEW not in wb.sheet_names()


def test_fix_log_has_one_row_per_changed_cell_with_file_modes_columns():
    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    run(wb, fixing.apply_fixes)
    log = wb.values("Fix log")
    assert log[0] == LOG_HEADER
    assert {(r[0], r[1]): (r[3], r[4]) for r in log[1:]} == EXPECTED
    assert len(log) == len(EXPECTED) + 1
    episodes_h2 = next(r for r in log if r[:2] == ["Episodes", "H2"])
    assert episodes_h2[2] == "DEC" and episodes_h2[5] == "date_format" and episodes_h2[6] == "147"


def test_validation_after_applying_no_longer_reports_the_rules_resolved():
    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    done, _ = run(wb, fixing.apply_fixes)
    before, after = set(done.before.findings["code"]), set(done.after.findings["code"])
    assert {"147", "103"} <= before
    assert not {"147", "103"} & after
    assert not [r for r in wb.values("Errors")[1:] if r[0] in ("147", "103")]
    summary = wb.values("Summary")
    pairs = {r[6]: r[7] for r in summary if len(r) > 7 and r[6]}
    assert pairs["Cells fixed"] == len(EXPECTED) and pairs["Cells left alone"] == 0
    assert pairs["Findings before"] == len(done.before.findings)
    assert pairs["Findings after"] == len(done.after.findings) < len(done.before.findings)
    assert ["147", 2, 0, -2] in [r[6:10] for r in summary if len(r) > 9]


def test_a_cell_changed_between_preview_and_apply_is_left_alone_and_reported():
    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    wb.values("Header")[2][3] = "WMIX"  # the analyst corrects D3 by hand before applying
    _, actions = run(wb, fixing.apply_command)
    written, _ = data_writes(run.sheets_before, actions)
    assert set(written) == set(EXPECTED) - {("Header", "D3")}
    assert wb.values("Header")[2][3] == "WMIX"
    assert "Header!D3: now holds 'WMIX', not the 'wbri' previewed; left alone" in wb.alerts[-1]
    assert len(wb.values("Fix log")) == len(EXPECTED)  # header + every cell but D3


def test_deleting_a_preview_row_leaves_that_cell_alone():
    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    rows = wb.values(fixing.PREVIEW)
    at = next(i for i, r in enumerate(rows) if r[:2] == ["Episodes", "K3"])
    del rows[at]
    _, actions = run(wb, fixing.apply_fixes)
    assert set(data_writes(run.sheets_before, actions)[0]) == set(EXPECTED) - {("Episodes", "K3")}
    assert wb.values("Episodes")[2][10] == "tw91dn"


def test_undo_restores_the_exact_old_values_in_batched_writes():
    wb = make()
    original = {name: [list(r) for r in wb.values(name)] for name in ("Header", "Episodes")}
    run(wb, fixing.preview_fixes, year=YEAR)
    run(wb, fixing.apply_fixes)
    done, actions = run(wb, fixing.undo_fixes)
    written, count = data_writes(run.sheets_before, actions)
    assert written == {k: "'" + old for k, (old, new) in EXPECTED.items()}
    assert count == 7
    assert done.restored == len(EXPECTED) and done.edited_since == []
    for name, rows in original.items():
        assert [r[:len(rows[0])] for r in wb.values(name)] == rows
    assert wb.sheet_names() == ["Header", "Episodes"]  # log, Summary, Errors and the record are gone


def test_two_fix_runs_unwind_to_the_first_values_and_edits_since_are_reported():
    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    run(wb, fixing.apply_fixes)
    wb.values("Header")[1][3] = "wiri"  # D2 typed again in lower case, then fixed again
    run(wb, fixing.preview_fixes, year=YEAR)
    assert set(preview_rows(wb)) == {("Header", "D2")}
    run(wb, fixing.apply_fixes)
    assert len(wb.values("Fix log")) == len(EXPECTED) + 2  # appended under the first run's rows
    wb.values("Episodes")[1][7] = "06/01/2023"  # H2 edited by hand after fixing
    done, _ = run(wb, fixing.undo_fixes)
    assert wb.values("Header")[1][3] == "wbri"  # the first run's old value, not 'wiri'
    assert wb.values("Episodes")[1][7] == "2023-01-05"
    assert done.edited_since == ["Episodes!H2"]


def test_large_apply_costs_one_write_per_block():
    header = [{"CHILD": str(i), "SEX": "1", "DOB": "01/01/2012", "ETHNIC": "wbri" if i % 10 < 7 else "WBRI"}
              for i in range(3000)]
    wb = make(header, EPISODES[:1])
    run(wb, fixing.preview_fixes, year=YEAR)
    done, actions = run(wb, fixing.apply_fixes)
    written, count = data_writes(run.sheets_before, actions)
    blocks = len(rectangles(done.changed[["sheet", "row", "col"]]))
    painted = sum(a["func"] == "setRangeColor" for a in actions)
    print(f"\n{len(written)} cells fixed in {count} writes; {len(actions)} actions in all ({painted} fills)")
    assert len(written) == 2101 and count == blocks == 301
    assert len(actions) <= count + painted + 50


def test_nothing_to_fix_adds_no_sheet():
    wb = make([{**r, "CHILD": str(i), "DOB": "01/01/2012", "ETHNIC": "WBRI"} for i, r in enumerate(HEADER)],
              [{**EPISODE, "CHILD": "1"}])
    run(wb, write_settings, year=YEAR)  # the buttons take the year from the workbook's settings
    run(wb, fixing.fix_command)
    assert wb.sheet_names() == ["Header", "Episodes"]
    assert wb.alerts == ["No safe fixes were found: no value needs a mechanical correction."]


def test_buttons_in_order_and_out_of_order_give_plain_alerts(monkeypatch):
    wb = make()
    run(wb, write_settings, year=YEAR)
    book = {}
    monkeypatch.setattr(desktop.xw.Book, "caller", staticmethod(lambda: book["now"]))

    def press(button):
        book["now"] = wb.book()
        button()
        wb.apply(book["now"].json()["actions"])
        return wb.alerts[-1]

    assert press(desktop.apply_fixes).startswith("There is no fix preview to apply: press Fix first")
    assert press(desktop.undo_fixes) == "There are no fixes to undo: this workbook has no 'Fix log' sheet."
    assert press(desktop.fix).startswith(f"{len(EXPECTED)} cells can be corrected safely")
    assert press(desktop.fix).startswith("The fixes are already listed on the 'Fix preview' sheet.")
    assert press(desktop.apply_fixes).startswith(f"{len(EXPECTED)} cells fixed")
    assert press(desktop.undo_fixes).startswith(f"{len(EXPECTED)} cells are back as they were")
    assert not any("Traceback" in a or "unexpected" in a for a in wb.alerts)


@pytest.mark.parametrize("sheet_name, row", [(fixing.PREVIEW, fixing.HEADER_ROW - 1), ("Fix log", 0)])
def test_an_edited_header_stops_apply_and_undo_before_any_write(sheet_name, row):
    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    if sheet_name == "Fix log":
        run(wb, fixing.apply_fixes)
    wb.values(sheet_name)[row][0] = "Where"
    func = fixing.apply_command if sheet_name == fixing.PREVIEW else fixing.undo_command
    _, actions = run(wb, func)
    assert [a["func"] for a in actions] == ["alert"]
    assert "cannot be" in wb.alerts[-1]


def test_desktop_never_overwrites_a_formula(monkeypatch):
    """Desktop Excel reads formulas (one call over the changed cells' span); a cell holding one is left
    alone. The remote engine cannot read them, so the formulas answer from here, as COM would."""
    from xlwings.pro import _xlremote

    def formula(rng):
        (r1, c1), (h, w) = rng.arg1, rng.shape
        cell = lambda r, c: '=LOWER("WBRI")' if (rng.sheet.name, r, c) == ("Header", 2, 4) else ""  # noqa: E731
        return tuple(tuple(cell(r, c) for c in range(c1, c1 + w)) for r in range(r1, r1 + h))

    wb = make()
    run(wb, fixing.preview_fixes, year=YEAR)
    monkeypatch.setattr(_xlremote.Range, "formula", property(formula, _xlremote.Range.formula.fset))
    done, actions = run(wb, fixing.apply_fixes)
    assert set(data_writes(run.sheets_before, actions)[0]) == set(EXPECTED) - {("Header", "D2")}
    assert done.skipped == ["Header!D2: holds a formula; left alone"]
