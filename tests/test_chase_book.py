"""chase_list.xlsx as written directly as XML (annotate.chase_book): what openpyxl reads back from
it, on a return with formula-like text, a control character, dates first seen and a worker with
nothing left open; and the empty list."""
from dataclasses import replace
from datetime import date, datetime, time

import openpyxl
import pandas as pd
import pytest
from rulecheck import frame

import xl_validator as xv
from xl_validator.annotate.chase_book import chase_book
from xl_validator.report.chase import NO_WORKER, TITLES, chase_list, fixed_list, per_worker
from xl_validator.report.chase_files import FIXED_TITLES, SUMMARY_TITLES
from xl_validator.report.followup import FIXED_COLUMNS, FollowUp
from xl_validator.report.identity import finding_keys

YEAR = "2025/26"


def child(c, ethnic):
    return {"CHILD": c, "SEX": "M", "DOB": "01/01/2012", "ETHNIC": ethnic, "UPN": "UN1", "MOTHER": ""}


def sw(c, sw_id):
    return {"CHILD": c, "DOB": "01/01/2012", "SW_ID": sw_id, "SW_DECOM": "01/04/2025", "SW_DEC": "",
            "SW_REASON": "FCONTA"}


@pytest.fixture(scope="module")
def report():
    """Three children with a wrong ethnicity: a formula-like CHILD, a value with a control character."""
    header = [child("A1", "XXXX"), child("=1+1", "=SUM(A1)"), child("C3", "Q\x01Q")]
    return xv.validate({"Header": frame("Header", header),
                        "SWEpisodes": frame("SWEpisodes", [sw("A1", "SW200"), sw("C3", "SW300")])},
                       year=YEAR, rules=["103"], postcodes=None)


def follow(report):
    """A1's finding first seen on 2 October, the others new; SW900's finding fixed since that chase."""
    keys = finding_keys(report.findings, report.tables)
    since = pd.Series(pd.NaT, index=keys.index, dtype="datetime64[ns]")
    since[report.findings["child"] == "A1"] = pd.Timestamp(2026, 10, 2, 9, 30)
    fixed = pd.DataFrame([[1, "103", "Z9", "Header", "ETHNIC", pd.Timestamp(2026, 9, 1), "SW900"]],
                         columns=FIXED_COLUMNS)
    return FollowUp(keys, since, fixed, pd.Timestamp(2026, 10, 2, 9, 30))


def written(tmp_path, items, summary, fixed, last_chase=None, notes=()):
    path = tmp_path / "chase_list.xlsx"
    chase_book(items, summary, fixed, last_chase, notes).write(path, set())
    return openpyxl.load_workbook(path)


def test_chase_list_sheet_keeps_text_dates_numbers_and_layout(report, tmp_path):
    items = chase_list(report, follow=follow(report))
    wb = written(tmp_path, items, per_worker(items, items.iloc[:0]), items.iloc[:0])
    ws = wb["Chase list"]
    assert [c.value for c in ws[1]] == TITLES and ws.freeze_panes == "A2" and ws.auto_filter.ref == "A1:N4"
    assert ws.page_setup.orientation == "landscape" and ws.column_dimensions["G"].width == 70
    by_child = {r[1].value: r for r in ws.iter_rows(min_row=2)}
    formula = by_child["=1+1"]
    assert formula[1].data_type == "s" and formula[11].value == "ETHNIC==SUM(A1)" and formula[0].value == NO_WORKER
    assert by_child["A1"][2].value == "open" and by_child["A1"][3].value == datetime(2026, 10, 2)
    assert by_child["A1"][3].number_format == "dd/mm/yyyy" and by_child["C3"][2].value == "new"
    assert isinstance(by_child["A1"][9].value, int) and by_child["A1"][6].alignment.wrap_text
    assert by_child["C3"][11].value == "ETHNIC=Q_x0001_Q"  # Excel's escape of a control character (Excel reads \x01)


def test_summary_and_fixed_sheets(report, tmp_path):
    f = follow(report)
    items, fixed = chase_list(report, follow=f), fixed_list(report, f)
    wb = written(tmp_path, items, per_worker(items, fixed), fixed, f.last_chase, ["a note", "=not a formula"])
    assert wb.sheetnames == ["Summary", "Chase list", "Fixed since last chase"]
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    assert summary[0] == SUMMARY_TITLES
    today = datetime.combine(date.today(), time())  # a new finding is first seen today
    assert summary[1:5] == [["SW200", 1, 0, 0, datetime(2026, 10, 2)], ["SW300", 1, 1, 0, today],
                            ["SW900", 0, 0, 1, None], [NO_WORKER, 1, 1, 0, today]]
    assert summary[5][:4] == ["All", 3, 2, 1] and wb["Summary"]["A6"].font.b and wb["Summary"]["D6"].font.b
    assert wb["Summary"]["E6"].value is None and not wb["Summary"]["E6"].has_style
    assert [r[0] for r in summary[7:]] == ["Fixed: listed by the chase of 02/10/2026 and no longer found.",
                                          "a note", "=not a formula"]
    assert wb["Summary"]["A10"].data_type == "s" and wb["Summary"]["E4"].number_format == "dd/mm/yyyy"
    ws = wb["Fixed since last chase"]
    assert [[c.value for c in row] for row in ws.iter_rows()] == [
        FIXED_TITLES, ["SW900", "Z9", "103", report.rules["103"].message, "Header: ETHNIC", datetime(2026, 9, 1)]]
    assert ws["F2"].number_format == "dd/mm/yyyy" and ws.freeze_panes == "A2"
    assert wb["Summary"]["A1"].font.b and wb["Summary"]["A1"].fill.fgColor.rgb == "001F4E78"


def test_empty_list(report, tmp_path):
    items = chase_list(replace(report, findings=report.findings.iloc[:0]))
    fixed = fixed_list(report, None)
    wb = written(tmp_path, items, per_worker(items, fixed), fixed)
    assert [[c.value for c in row] for row in wb["Chase list"].iter_rows()] == [TITLES]
    assert wb["Chase list"].auto_filter.ref == "A1:N2"
    assert [[c.value for c in row] for row in wb["Fixed since last chase"].iter_rows()] == [FIXED_TITLES]
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    assert summary[:2] == [SUMMARY_TITLES, ["All", 0, 0, 0, None]]
    assert summary[3][0].startswith("No earlier chase in the run history")
