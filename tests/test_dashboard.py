"""The Dashboard: every figure against a hand count of a small return (tests/dashboard_return.py),
what could not be counted, last year's figures, suppression, the sheet and the commands."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import xl_validator as xv
from xl_validator.annotate.dashboard import SHEET, dashboard_layout, write_dashboard
from xl_validator.cli import main
from xl_validator.report import dashboard as dash
from xl_validator.report.dashboard import dashboard

from dashboard_return import LA, YEAR, Postcodes, last_year, this_year

DEMO = Path(__file__).resolve().parent.parent / "workbook_templates" / "demo"


@pytest.fixture(scope="module")
def report():
    return xv.validate(this_year(), year=YEAR, previous=last_year(), local_authority=LA, postcodes=Postcodes())


@pytest.fixture(scope="module")
def board(report):
    return dashboard(report)


# (figure, line, this year, of) counted by hand from the children described in dashboard_return.py
HAND_COUNTS = [
    ("cla", "Looked after at 31 March", 5, None),  # A B E G H (C and I left, D short breaks, F unreadable)
    ("cla", "Short breaks only (V3, V4), not included above", 1, None),  # D
    ("started", "Started in the year", 3, None),  # B H I
    ("ceased", "Ceased in the year", 2, None),  # C I
    ("ceased", "Adopted", 1, 2), ("ceased", "Returned home", 1, 2), ("ceased", "Other reasons", 0, 2),
    ("age", "Under 1", 0, 5), ("age", "1 to 4", 1, 5), ("age", "5 to 9", 1, 5),  # E 2; G 5 on 31 March
    ("age", "10 to 15", 1, 5), ("age", "16 and over", 2, 5),  # A 10; B and H 16
    ("sex", "Male", 3, 5), ("sex", "Female", 2, 5),
    ("ethnicity", "White", 1, 5), ("ethnicity", "Mixed or multiple", 1, 5),
    ("ethnicity", "Asian or Asian British", 2, 5), ("ethnicity", "Black, African, Caribbean or Black British", 1, 5),
    ("legal_status", "Care order (interim or full)", 4, 5),
    ("legal_status", "Accommodated by agreement (section 20)", 1, 5),
    ("need", "N1 Abuse or neglect", 4, 5), ("need", "N4 Family in acute stress", 1, 5),
    ("uasc", "UASC at 31 March", 1, 5),  # H; A's UASC status ended 01/01/2026
    ("placement_type", "Foster care", 3, 5),  # A, H, and G's temporary T1 counted as the U4 it interrupts
    ("placement_type", "Secure units and children's homes", 2, 5),  # B, E
    ("placement_area", "Inside the council's area", 2, 5), ("placement_area", "Outside the council's area", 1, 5),
    ("placement_distance", "More than 20 miles from home", 1, 5), ("placement_distance", "20 miles or less", 2, 5),
    ("stability_short", "Three or more placements", 1, 5),  # E: U6 on 1 April, then P U4, P K2 (L is no move)
    ("stability_short", "Two placements", 1, 5),  # G: U4 on 1 April, then T1
    ("stability_short", "One placement", 3, 5),
    ("stability_long", "In the same placement for 2 years or more", 1, 2),  # of A and G (under 16, in care since 2023)
    ("adoption", "Children adopted in the year", 1, None),
    ("adoption", "Median days", (date(2025, 3, 1) - date(2024, 2, 1)).days, None),  # C: care began last year
    ("missing", "Children missing", 2, None), ("missing", "Episodes missing", 2, None),
    ("missing", "Children away from placement", 1, None), ("missing", "Episodes away from placement", 1, None),
    ("reviews", "Reviews on time", 3, 4), ("reviews", "Reviews late", 1, 4),  # B's second is late
    ("reviews", "First reviews on time", 1, 1),  # 09/06/2025 is the 20th working day after 12/05/2025
    ("reviews", "Second reviews on time", 0, 1),
    ("reviews", "Later reviews on time", 2, 2),  # B's third; A's 01/11/2025, six months after 01/05/2025
    ("leavers_touch", "All aged 17 to 21", 2, 3), ("leavers_touch", "Aged 17", 1, 1),
    ("leavers_touch", "Aged 19 to 21", 1, 2),
    ("leavers_eet", "All aged 17 to 21", 1, 3), ("leavers_accom", "All aged 17 to 21", 1, 3),
]


@pytest.mark.parametrize("key, label, value, of", HAND_COUNTS)
def test_each_figure_matches_the_hand_count(board, key, label, value, of):
    line = next(x for x in board.figure(key).lines if x.label == label)
    assert (line.value, line.of) == (value, of)


@pytest.mark.parametrize("key, reason", [
    ("cla", "1 episode with a blank or unreadable start date (DECOM) not counted"),  # F
    ("placement_area", "2 children whose placement postcode (PL_POST) is blank or not in the postcode directory"),
    ("placement_distance", "2 children whose home or placement postcode is blank"),  # E blank, H unknown
    ("missing", "1 episode with a blank or unreadable start date (MIS_START) not counted"),
    ("reviews", "1 review with a blank or unreadable date (REVIEW) not counted"),  # 31/02/2025
    ("reviews", "1 review whose place in the sequence is not known"),  # A's first of the year
    ("leavers_touch", "1 young person with a blank or unreadable date of birth (DOB) not counted"),
])
def test_each_figure_says_what_it_could_not_count(board, key, reason):
    assert any(text.startswith(reason) for text in board.figure(key).not_counted), board.figure(key).not_counted


@pytest.mark.parametrize("key, label, value", [
    ("cla", "Looked after at 31 March", 4),  # A C E G on 31 March 2025
    ("started", "Started in the year", 2),  # E J
    ("ceased", "Returned home", 1),  # J
    ("placement_type", "Placed for adoption", 1),  # C in A5
    ("age", "1 to 4", 3),  # C 3, E 1, G 3 on 31 March 2025
])
def test_last_years_figures_come_from_last_years_return(board, key, label, value):
    assert board.last_year and board.figure(key).last_line(label).value == value


def test_a_table_last_year_lacks_gives_no_last_year_figure(board):
    assert board.figure("missing").last is None and board.figure("leavers_eet").last is None


def test_without_last_years_return_no_figure_has_a_last_year():
    report = xv.validate(this_year(), year=YEAR, local_authority=LA, postcodes=Postcodes())
    board = dashboard(report)
    assert not board.last_year and all(f.last is None for f in board.figures)
    assert board.figure("cla").value("Looked after at 31 March") == 5


def test_placements_by_area_need_the_council_code_and_distance_the_postcodes():
    no_la = dashboard(xv.validate(this_year(), year=YEAR, postcodes=Postcodes()))
    assert "local authority not given" in no_la.figure("placement_area").note
    assert no_la.figure("placement_distance").value("More than 20 miles from home") == 1
    no_postcodes = dashboard(xv.validate(this_year(), year=YEAR, local_authority=LA, postcodes=None))
    for key in ("placement_area", "placement_distance"):
        assert no_postcodes.figure(key).note.startswith("Not worked out") and not no_postcodes.figure(key).lines


def test_data_quality_counts_this_years_errors_per_child(report, board):
    errors = report.findings[(report.findings["severity"] == "error") & ~report.findings["table"].str.endswith("_last")]
    children = 9 + 4  # A to I in Header, and the four care leavers L1 to L4 in OC3
    assert board.figure("quality").value("Children in the return") == children
    assert board.figure("quality").value("Errors per 100 children") == round(100 * len(errors) / children, 1)
    top = board.figure("error_groups").lines
    assert len(top) <= 5 and [x.value for x in top] == sorted((x.value for x in top), reverse=True)


def test_trend_ends_with_this_run_after_the_recorded_ones(report):
    history = pd.DataFrame({"at": pd.to_datetime(["2026-04-20 09:00", "2026-05-01 10:30"]), "findings": [150, 120]})
    trend = dashboard(report, history).figure("trend")
    assert [(x.label, x.value) for x in trend.lines] == [
        ("20/04/2026 09:00", 150), ("01/05/2026 10:30", 120), ("This run", len(report.findings))]


def test_one_figure_that_fails_leaves_the_others(report, monkeypatch):
    def broken(ep):
        raise ValueError("boom")

    steps = tuple((keys, broken if keys == ("missing",) else step) for keys, step in dash.PER_RETURN)
    monkeypatch.setattr(dash, "PER_RETURN", steps)
    board = dashboard(report)
    assert "boom" in board.figure("missing").note
    assert board.figure("cla").value("Looked after at 31 March") == 5


# --- the sheet ------------------------------------------------------------------------------------

def _sheet(board, suppress=False):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    return write_dashboard(wb, board, suppress)


def _row_of(ws, label, column=1):
    return next(r for r in range(1, ws.max_row + 1) if ws.cell(r, column).value == label)


def test_suppression_shows_1_to_4_children_as_c_and_says_so(board):
    shown = _sheet(board, suppress=False)
    hidden = _sheet(board, suppress=True)
    assert "shown as they are" in shown["A3"].value and "SUPPRESSED" in hidden["A3"].value
    uasc = _row_of(hidden, "UASC at 31 March")
    assert (shown.cell(uasc, 2).value, hidden.cell(uasc, 2).value, hidden.cell(uasc, 3).value) == (1, "[c]", "[c]")
    cla = _row_of(hidden, "Looked after at 31 March")
    assert hidden.cell(cla, 2).value == 5 and hidden.cell(cla, 4).value == "[c]"  # last year's 4
    zero = _row_of(hidden, "Under 1")
    assert hidden.cell(zero, 2).value == 0  # none is not a small number
    adopted_days = _row_of(hidden, "Median days", 8)
    assert hidden.cell(adopted_days, 9).value == 394  # days, not children: never withheld
    assert hidden.cell(_row_of(hidden, "Children adopted in the year", 8), 9).value == "[c]"


def test_the_sheet_has_titles_definitions_charts_and_prints_on_a4_landscape(board, tmp_path):
    _sheet(board).parent.save(tmp_path / "d.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "d.xlsx")[SHEET]  # as saved: notes, print setup and charts kept
    assert ws.title == SHEET and "Richmond upon Thames (E09000027)" in ws["A2"].value and YEAR in ws["A2"].value
    title = _row_of(ws, "Children looked after at 31 March")
    assert ws.cell(title, 1).comment.text == board.figure("cla").definition
    approximate = next(c for row in ws.iter_rows() for c in row if str(c.value).startswith("Reviews held on time"))
    assert "approximate" in approximate.value and "working days" in approximate.comment.text
    assert len(ws._charts) == 3  # placements by type, reasons for leaving, top error groups
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9  # A4
    assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) == (1, 2) and ws.sheet_properties.pageSetUpPr.fitToPage
    definitions = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(r, 1).value).startswith("What each figure"))
    assert ws.print_title_rows == "$1:$4" and ws.print_area == f"'{SHEET}'!$A$1:$M${definitions - 2}"
    last_chart = max(c.anchor._from.row for c in ws._charts)  # 0-based row of the lowest chart's top
    assert last_chart + 1 < definitions - 2  # the charts print, the list of definitions does not
    assert ws.cell(definitions + 1, 2).value == board.figure("cla").definition
    figures_shown = {c.value for row in ws.iter_rows() for c in row}
    assert "n/a" in figures_shown  # missing: last year's return had no Missing table


def test_charts_plot_the_figures_rows(board):
    lay = dashboard_layout(board)
    chart = next(c for c in lay.charts if c.title.startswith("Placements"))
    labels = [lay.rows[r - 1][chart.col - 1] for r in range(chart.first, chart.last + 1)]
    assert labels == [x.label for x in board.figure("placement_type").lines]
    trend = dashboard(xv.validate(this_year(), year=YEAR, postcodes=None),
                      pd.DataFrame({"at": pd.to_datetime(["2026-05-01"]), "findings": [3]}))
    assert any(c.kind == "line" for c in dashboard_layout(trend).charts)


# --- the commands ---------------------------------------------------------------------------------

def test_dashboard_command_writes_the_sheet_and_refuses_to_overwrite_an_input(tmp_path):
    out = tmp_path / "dashboard.xlsx"
    ret = DEMO / "903_demo_2025-26.xlsx"
    args = [str(ret), "--previous", str(DEMO / "903_demo_2024-25.xlsx"), "--la", "E09000027", "-q", "--no-history"]
    assert main(["dashboard", *args, "--out", str(out), "--suppress-small"]) == 0
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == [SHEET] and "SUPPRESSED" in wb[SHEET]["A3"].value
    before = ret.stat().st_mtime_ns
    assert main(["dashboard", *args, "--out", str(ret)]) == 2
    assert main(["dashboard", *args, "--out", str(tmp_path / "dashboard.csv")]) == 2
    assert ret.stat().st_mtime_ns == before


def test_validate_with_dashboard_adds_the_sheet_and_a_second_run_replaces_it(tmp_path):
    first, second = tmp_path / "checked.xlsx", tmp_path / "again.xlsx"
    ret = str(DEMO / "903_demo_2025-26.xlsx")
    assert main(["validate", ret, "--year", YEAR, "--out", str(first), "--dashboard", "-q", "--no-history"]) == 1
    assert openpyxl.load_workbook(first).sheetnames[:3] == [SHEET, "Summary", "Errors"]
    assert main(["validate", str(first), "--year", YEAR, "--out", str(second), "-q", "--no-history"]) == 1
    assert SHEET not in openpyxl.load_workbook(second).sheetnames  # the earlier run's Dashboard is taken away
    assert main(["validate", ret, "--out", str(tmp_path / "f.csv"), "--dashboard", "-q", "--no-history"]) == 2


def test_the_order_of_rows_does_not_change_any_figure(board):
    shuffled = {name: t.sample(frac=1, random_state=7).reset_index(drop=True) for name, t in this_year().items()}
    last = {name: t.iloc[::-1].reset_index(drop=True) for name, t in last_year().items()}
    again = dashboard(xv.validate(shuffled, year=YEAR, previous=last, local_authority=LA, postcodes=Postcodes()))
    for before, after in zip(board.figures[:-3], again.figures[:-3]):  # data quality: findings differ in order only
        assert (before.lines, before.last, sorted(before.not_counted)) == (after.lines, after.last,
                                                                           sorted(after.not_counted)), before.key
